//! Elementwise binary primitives with MATLAB implicit expansion, each beside its adjoints.
//!
//! Operands are dlarrays or plain numbers ([`Operand`]); adjoints are summed over expanded dimensions
//! back to each operand's size.

use super::elementwise::{acc_map0, acc_map1, acc_map2, zip};
use super::{Operand, or_panic};
use crate::error::{At, Result};
use crate::{DlArray, Real};

macro_rules! binary_forward {
    ($name:ident, $try_name:ident, $op:literal, |$x:ident, $y:ident| $body:expr, $doc:literal, $example:literal) => {
        #[doc = $doc]
        ///
        /// # Panics
        ///
        /// When the sizes are incompatible for implicit expansion, at the caller; see the `try_` form.
        ///
        /// # Example
        ///
        /// ```
        /// use autodiff_runtime::{dlarray, ops::*};
        #[doc = $example]
        /// ```
        #[track_caller]
        #[inline]
        pub fn $name<T: Real>(a: &impl Operand<T>, b: &impl Operand<T>) -> DlArray<T> {
            or_panic($try_name(a, b))
        }

        #[doc = concat!("Fallible form of [`", stringify!($name), "`](fn@", stringify!($name), "): `Err(SizeMismatch)` naming the operation, both sizes and the caller's line.")]
        ///
        /// # Example
        ///
        /// ```
        /// use autodiff_runtime::{dlarray, ops::*};
        #[doc = concat!("assert!(", stringify!($try_name), "(&dlarray([1.0, 2.0]), &dlarray([1.0, 2.0, 3.0])).is_err());")]
        /// ```
        #[track_caller]
        #[inline]
        pub fn $try_name<T: Real>(a: &impl Operand<T>, b: &impl Operand<T>) -> Result<DlArray<T>> {
            zip($op, a.operand(), b.operand(), |$x: T, $y: T| $body).map_err(At::attach(At::caller()))
        }
    };
}

binary_forward!(
    plus,
    try_plus,
    "plus",
    |x, y| x + y,
    "`a + b` (MATLAB `plus`).",
    "assert_eq!(plus(&dlarray([1.0, 2.0]), &10.0).to_vec(), vec![11.0, 12.0]);"
);
/// Adjoint of `plus` for `a`: `ā += g`.
pub fn plus_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    _b: &impl Operand<T>,
) {
    acc_map0(slot, a.operand().size(), g, true, |g| g);
}
/// Adjoint of `plus` for `b`: `b̄ += g`.
pub fn plus_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    _a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map0(slot, b.operand().size(), g, true, |g| g);
}

binary_forward!(
    minus,
    try_minus,
    "minus",
    |x, y| x - y,
    "`a - b` (MATLAB `minus`).",
    "assert_eq!(minus(&1.0, &dlarray([1.0, 2.0])).to_vec(), vec![0.0, -1.0]);"
);
/// Adjoint of `minus` for `a`: `ā += g`.
pub fn minus_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    _b: &impl Operand<T>,
) {
    acc_map0(slot, a.operand().size(), g, true, |g| g);
}
/// Adjoint of `minus` for `b`: `b̄ -= g`.
pub fn minus_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    _a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map0(slot, b.operand().size(), g, false, |g| -g);
}

binary_forward!(
    times,
    try_times,
    "times",
    |x, y| x * y,
    "`a .* b`, elementwise (MATLAB `times`).",
    "assert_eq!(times(&dlarray([[1.0], [2.0]]), &dlarray([3.0, 4.0])).to_vec(), vec![3.0, 6.0, 4.0, 8.0]);"
);
/// Adjoint of `times` for `a`: `ā += g·b`.
pub fn times_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map1(slot, a.operand().size(), g, b.operand(), |g, b| g * b);
}
/// Adjoint of `times` for `b`: `b̄ += g·a`.
pub fn times_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map1(slot, b.operand().size(), g, a.operand(), |g, a| g * a);
}

binary_forward!(
    rdivide,
    try_rdivide,
    "rdivide",
    |x, y| x / y,
    "`a ./ b`, elementwise (MATLAB `rdivide`).",
    "assert_eq!(rdivide(&dlarray([1.0, 3.0]), &2.0).to_vec(), vec![0.5, 1.5]);"
);
/// Adjoint of `rdivide` for `a`: `ā += g / b`.
pub fn rdivide_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map1(slot, a.operand().size(), g, b.operand(), |g, b| g / b);
}
/// Adjoint of `rdivide` for `b`: `b̄ -= g·a / b² = g·out / b`.
pub fn rdivide_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    _a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map2(slot, b.operand().size(), g, out.into(), b.operand(), |g, o, b| -g * o / b);
}

binary_forward!(
    power,
    try_power,
    "power",
    |x, y| x.powf(y),
    "`a .^ b`, elementwise (MATLAB `power`).",
    "assert_eq!(power(&dlarray([2.0, 3.0]), &2.0).to_vec(), vec![4.0, 9.0]);"
);
/// Adjoint of `power` for `a`: `ā += g·b·a^(b−1)` (0 where `b = 0`).
pub fn power_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map2(slot, a.operand().size(), g, a.operand(), b.operand(), |g, a, b| {
        if b == T::ZERO { T::ZERO } else { g * b * a.powf(b - T::ONE) }
    });
}
/// Adjoint of `power` for `b`: `b̄ += g·out·ln(a)` (0 where `a = 0`, as the one-sided limit for `b > 0`).
pub fn power_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map2(
        slot,
        b.operand().size(),
        g,
        out.into(),
        a.operand(),
        |g, o, a| if a == T::ZERO { T::ZERO } else { g * o * a.ln() },
    );
}

binary_forward!(
    atan2,
    try_atan2,
    "atan2",
    |y, x| y.atan2(x),
    "Four-quadrant inverse tangent `atan2(y, x)` (MATLAB `atan2`).",
    "assert!((atan2(&dlarray([1.0]), &1.0).get(0) - std::f64::consts::FRAC_PI_4).abs() < 1e-15);"
);
/// Adjoint of `atan2` for `y`: `ȳ += g·x / (x² + y²)` (0 at the origin).
pub fn atan2_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    y: &impl Operand<T>,
    x: &impl Operand<T>,
) {
    acc_map2(slot, y.operand().size(), g, y.operand(), x.operand(), |g, y, x| {
        let r2 = x * x + y * y;
        if r2 == T::ZERO { T::ZERO } else { g * x / r2 }
    });
}
/// Adjoint of `atan2` for `x`: `x̄ −= g·y / (x² + y²)` (0 at the origin).
pub fn atan2_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    y: &impl Operand<T>,
    x: &impl Operand<T>,
) {
    acc_map2(slot, x.operand().size(), g, y.operand(), x.operand(), |g, y, x| {
        let r2 = x * x + y * y;
        if r2 == T::ZERO { T::ZERO } else { -g * y / r2 }
    });
}

binary_forward!(
    hypot,
    try_hypot,
    "hypot",
    |x, y| x.hypot(y),
    "`√(a² + b²)` without undue overflow (MATLAB `hypot`).",
    "assert_eq!(hypot(&dlarray([3.0]), &4.0).get(0), 5.0);"
);
/// Adjoint of `hypot` for `a`: `ā += g·a / out` (0 where `out = 0`).
pub fn hypot_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    a: &impl Operand<T>,
    _b: &impl Operand<T>,
) {
    acc_map2(
        slot,
        a.operand().size(),
        g,
        a.operand(),
        out.into(),
        |g, a, o| if o == T::ZERO { T::ZERO } else { g * a / o },
    );
}
/// Adjoint of `hypot` for `b`: `b̄ += g·b / out` (0 where `out = 0`).
pub fn hypot_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    _a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map2(
        slot,
        b.operand().size(),
        g,
        b.operand(),
        out.into(),
        |g, b, o| if o == T::ZERO { T::ZERO } else { g * b / o },
    );
}

/// Whether the first operand is the one `maximum`/`minimum` returns: ties go to the first operand; NaN
/// loses (MATLAB omits NaN).
#[inline]
fn first_wins<T: Real>(a: T, b: T, larger: bool) -> bool {
    if a.is_nan() {
        return false;
    }
    if b.is_nan() {
        return true;
    }
    if larger { a >= b } else { a <= b }
}

binary_forward!(
    maximum,
    try_maximum,
    "max",
    |x, y| if first_wins(x, y, true) { x } else { y },
    "Elementwise larger value, MATLAB `max(A, B)`; NaN is omitted. (The reduction is [`max`](super::max).)",
    "assert_eq!(maximum(&dlarray([1.0, 5.0]), &dlarray([3.0, 2.0])).to_vec(), vec![3.0, 5.0]);"
);
/// Adjoint of `maximum` for `a`: `ā += g` where `a` is returned (ties go to `a`).
pub fn maximum_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map2(
        slot,
        a.operand().size(),
        g,
        a.operand(),
        b.operand(),
        |g, a, b| if first_wins(a, b, true) { g } else { T::ZERO },
    );
}
/// Adjoint of `maximum` for `b`: `b̄ += g` where `b` is returned.
pub fn maximum_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map2(
        slot,
        b.operand().size(),
        g,
        a.operand(),
        b.operand(),
        |g, a, b| if first_wins(a, b, true) { T::ZERO } else { g },
    );
}

binary_forward!(
    minimum,
    try_minimum,
    "min",
    |x, y| if first_wins(x, y, false) { x } else { y },
    "Elementwise smaller value, MATLAB `min(A, B)`; NaN is omitted. (The reduction is [`min`](super::min).)",
    "assert_eq!(minimum(&dlarray([1.0, 5.0]), &3.0).to_vec(), vec![1.0, 3.0]);"
);
/// Adjoint of `minimum` for `a`: `ā += g` where `a` is returned (ties go to `a`).
pub fn minimum_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map2(
        slot,
        a.operand().size(),
        g,
        a.operand(),
        b.operand(),
        |g, a, b| if first_wins(a, b, false) { g } else { T::ZERO },
    );
}
/// Adjoint of `minimum` for `b`: `b̄ += g` where `b` is returned.
pub fn minimum_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    acc_map2(
        slot,
        b.operand().size(),
        g,
        a.operand(),
        b.operand(),
        |g, a, b| if first_wins(a, b, false) { T::ZERO } else { g },
    );
}

impl<'a, T: Real> From<&'a DlArray<T>> for super::Opnd<'a, T> {
    fn from(x: &'a DlArray<T>) -> Self {
        super::Opnd::Array(x)
    }
}

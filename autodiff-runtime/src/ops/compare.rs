//! Comparisons and logical operations. Results are 0/1 arrays of the operands' element type and are
//! **untraced**: they have no adjoint (MATLAB returns untraced logical arrays).

use super::elementwise::{map, zip};
use super::{Operand, or_panic};
use crate::dlarray::Tag;
use crate::error::{At, Result};
use crate::{DlArray, Real};

#[inline]
fn truth<T: Real>(v: bool) -> T {
    if v { T::ONE } else { T::ZERO }
}

macro_rules! comparison {
    ($name:ident, $try_name:ident, $op:literal, |$x:ident, $y:ident| $test:expr, $doc:literal, $example:literal) => {
        #[doc = $doc]
        ///
        /// # Example
        ///
        /// ```
        /// use autodiff_runtime::{dlarray, ops::*};
        #[doc = $example]
        /// ```
        #[track_caller]
        pub fn $name<T: Real>(a: &impl Operand<T>, b: &impl Operand<T>) -> DlArray<T> {
            or_panic($try_name(a, b))
        }

        #[doc = concat!("Fallible form of [`", stringify!($name), "`](fn@", stringify!($name), ").")]
        ///
        /// # Example
        ///
        /// ```
        /// use autodiff_runtime::{dlarray, ops::*};
        #[doc = concat!("assert!(", stringify!($try_name), "(&dlarray([1.0, 2.0]), &dlarray([1.0, 2.0, 3.0])).is_err());")]
        /// ```
        #[track_caller]
        pub fn $try_name<T: Real>(a: &impl Operand<T>, b: &impl Operand<T>) -> Result<DlArray<T>> {
            zip($op, a.operand(), b.operand(), |$x: T, $y: T| truth::<T>($test))
                .map(|y| y.retag(Tag::UNTRACED))
                .map_err(At::attach(At::caller()))
        }
    };
}

comparison!(
    eq,
    try_eq,
    "eq",
    |x, y| x == y,
    "`a == b` elementwise (MATLAB `eq`), 1 where true.",
    "assert_eq!(eq(&dlarray([1.0, 2.0]), &2.0).to_vec(), vec![0.0, 1.0]);"
);
comparison!(
    ne,
    try_ne,
    "ne",
    |x, y| x != y,
    "`a ~= b` elementwise (MATLAB `ne`).",
    "assert_eq!(ne(&dlarray([1.0, 2.0]), &2.0).to_vec(), vec![1.0, 0.0]);"
);
comparison!(
    lt,
    try_lt,
    "lt",
    |x, y| x < y,
    "`a < b` elementwise (MATLAB `lt`).",
    "assert_eq!(lt(&dlarray([1.0, 2.0]), &2.0).to_vec(), vec![1.0, 0.0]);"
);
comparison!(
    le,
    try_le,
    "le",
    |x, y| x <= y,
    "`a <= b` elementwise (MATLAB `le`).",
    "assert_eq!(le(&dlarray([1.0, 3.0]), &2.0).to_vec(), vec![1.0, 0.0]);"
);
comparison!(
    gt,
    try_gt,
    "gt",
    |x, y| x > y,
    "`a > b` elementwise (MATLAB `gt`).",
    "assert_eq!(gt(&dlarray([1.0, 3.0]), &2.0).to_vec(), vec![0.0, 1.0]);"
);
comparison!(
    ge,
    try_ge,
    "ge",
    |x, y| x >= y,
    "`a >= b` elementwise (MATLAB `ge`).",
    "assert_eq!(ge(&dlarray([2.0, 1.0]), &2.0).to_vec(), vec![1.0, 0.0]);"
);
comparison!(
    and,
    try_and,
    "and",
    |x, y| x != T::ZERO && y != T::ZERO,
    "Logical `a & b` (non-zero is true).",
    "assert_eq!(and(&dlarray([1.0, 0.0]), &dlarray([2.0, 2.0])).to_vec(), vec![1.0, 0.0]);"
);
comparison!(
    or,
    try_or,
    "or",
    |x, y| x != T::ZERO || y != T::ZERO,
    "Logical `a | b` (non-zero is true).",
    "assert_eq!(or(&dlarray([1.0, 0.0]), &0.0).to_vec(), vec![1.0, 0.0]);"
);

/// Logical not `~x`: 1 where `x` is 0.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::not};
/// assert_eq!(not(&dlarray([0.0, 3.0])).to_vec(), vec![1.0, 0.0]);
/// ```
pub fn not<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    map(x, |v| truth(v == T::ZERO)).retag(Tag::UNTRACED)
}

impl<T: Real> DlArray<T> {
    /// MATLAB's truth of an array in `if`/`while`: non-empty and every element non-zero (and not NaN).
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::dlarray;
    /// assert!(dlarray([1.0, 2.0]).is_true());
    /// assert!(!dlarray([1.0, 0.0]).is_true());
    /// ```
    pub fn is_true(&self) -> bool {
        !self.is_empty() && self.view().iter().all(|&v| v != T::ZERO && !v.is_nan())
    }
}

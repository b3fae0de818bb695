//! Elementwise unary primitives, each beside its adjoint.
//!
//! Values at non-differentiable points (SPEC §5): `abs'(0) = 0`; `sign`, `floor`, `ceil`, `round` and
//! `fix` have derivative 0 everywhere.

use super::elementwise::{acc_map0, acc_map1, map};
use crate::{DlArray, Real};

macro_rules! unary {
    ($(#[$doc:meta])* $name:ident, |$x:ident| $f:expr, $example:literal) => {
        $(#[$doc])*
        ///
        /// # Example
        ///
        /// ```
        /// use autodiff_runtime::{dlarray, ops::*};
        #[doc = $example]
        /// ```
        #[inline]
        pub fn $name<T: Real>(x: &DlArray<T>) -> DlArray<T> {
            map(x, |$x: T| $f)
        }
    };
}

/// Adjoint kernel whose derivative needs only `x`: `x̄ += g·f'(x)`.
macro_rules! adj_x {
    ($(#[$doc:meta])* $name:ident, |$g:ident, $x:ident| $d:expr) => {
        $(#[$doc])*
        #[inline]
        pub fn $name<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>) {
            acc_map1(slot, x.size(), g, x.into(), |$g: T, $x: T| $d);
        }
    };
}

/// Adjoint kernel whose derivative needs only the output `y`: `x̄ += g·f'(y)`.
macro_rules! adj_y {
    ($(#[$doc:meta])* $name:ident, |$g:ident, $y:ident| $d:expr) => {
        $(#[$doc])*
        #[inline]
        pub fn $name<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>) {
            acc_map1(slot, x.size(), g, out.into(), |$g: T, $y: T| $d);
        }
    };
}

/// Adjoint kernel of a function with derivative 0 everywhere: nothing to add. Generated code never
/// calls it (the rule table marks these primitives as constant), but it keeps the pair complete.
macro_rules! adj_zero {
    ($name:ident) => {
        #[doc = concat!("Adjoint of `", stringify!($name), "`: the derivative is 0 everywhere, so nothing is added.")]
        #[inline]
        pub fn $name<T: Real>(_slot: &mut DlArray<T>, _g: &DlArray<T>, _out: &DlArray<T>, _x: &DlArray<T>) {}
    };
}

unary!(/// Negation `-x` (MATLAB `uminus`).
    uminus, |x| -x, "assert_eq!(uminus(&dlarray([1.0, -2.0])).to_vec(), vec![-1.0, 2.0]);");
/// Adjoint of `uminus`: `x̄ −= g`.
pub fn uminus_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>) {
    acc_map0(slot, x.size(), g, false, |g| -g);
}

unary!(/// `e^x`.
    exp, |x| x.exp(), "assert_eq!(exp(&dlarray(0.0)).get(0), 1.0);");
adj_y!(/// Adjoint of `exp`: `x̄ += g·eˣ` (reuses the output).
    exp_adj, |g, y| g * y);

unary!(/// Natural logarithm.
    log, |x| x.ln(), "assert_eq!(log(&dlarray(1.0)).get(0), 0.0);");
adj_x!(/// Adjoint of `log`: `x̄ += g / x`.
    log_adj, |g, x| g / x);

unary!(/// `ln(1 + x)`, accurate for small `x`.
    log1p, |x| x.ln_1p(), "assert!((log1p(&dlarray(1e-20_f64)).get(0) - 1e-20).abs() < 1e-35);");
adj_x!(/// Adjoint of `log1p`: `x̄ += g / (1 + x)`.
    log1p_adj, |g, x| g / (T::ONE + x));

unary!(/// Square root.
    sqrt, |x| x.sqrt(), "assert_eq!(sqrt(&dlarray([4.0, 9.0])).to_vec(), vec![2.0, 3.0]);");
adj_y!(/// Adjoint of `sqrt`: `x̄ += g / (2√x)` (infinite at 0, as the derivative).
    sqrt_adj, |g, y| g / (y + y));

unary!(/// Absolute value.
    abs, |x| x.abs(), "assert_eq!(abs(&dlarray([-1.5, 2.0])).to_vec(), vec![1.5, 2.0]);");
adj_x!(/// Adjoint of `abs`: `x̄ += g·sign(x)`; `abs'(0) = 0` (documented choice).
    abs_adj, |g, x| g * x.sign());

unary!(/// MATLAB `sign`: −1, 0 or 1. Derivative 0 everywhere.
    sign, |x| x.sign(), "assert_eq!(sign(&dlarray([-3.0, 0.0, 2.0])).to_vec(), vec![-1.0, 0.0, 1.0]);");
adj_zero!(sign_adj);

unary!(/// Sine.
    sin, |x| x.sin(), "assert_eq!(sin(&dlarray(0.0)).get(0), 0.0);");
adj_x!(/// Adjoint of `sin`: `x̄ += g·cos x`.
    sin_adj, |g, x| g * x.cos());

unary!(/// Cosine.
    cos, |x| x.cos(), "assert_eq!(cos(&dlarray(0.0)).get(0), 1.0);");
adj_x!(/// Adjoint of `cos`: `x̄ −= g·sin x`.
    cos_adj, |g, x| -g * x.sin());

unary!(/// Tangent.
    tan, |x| x.tan(), "assert_eq!(tan(&dlarray(0.0)).get(0), 0.0);");
adj_y!(/// Adjoint of `tan`: `x̄ += g·(1 + tan²x)`.
    tan_adj, |g, y| g * (T::ONE + y * y));

unary!(/// Inverse sine.
    asin, |x| x.asin(), "assert_eq!(asin(&dlarray(0.0)).get(0), 0.0);");
adj_x!(/// Adjoint of `asin`: `x̄ += g / √(1 − x²)`.
    asin_adj, |g, x| g / (T::ONE - x * x).sqrt());

unary!(/// Inverse cosine.
    acos, |x| x.acos(), "assert_eq!(acos(&dlarray(1.0)).get(0), 0.0);");
adj_x!(/// Adjoint of `acos`: `x̄ −= g / √(1 − x²)`.
    acos_adj, |g, x| -g / (T::ONE - x * x).sqrt());

unary!(/// Inverse tangent.
    atan, |x| x.atan(), "assert_eq!(atan(&dlarray(0.0)).get(0), 0.0);");
adj_x!(/// Adjoint of `atan`: `x̄ += g / (1 + x²)`.
    atan_adj, |g, x| g / (T::ONE + x * x));

unary!(/// Hyperbolic sine.
    sinh, |x| x.sinh(), "assert_eq!(sinh(&dlarray(0.0)).get(0), 0.0);");
adj_x!(/// Adjoint of `sinh`: `x̄ += g·cosh x`.
    sinh_adj, |g, x| g * x.cosh());

unary!(/// Hyperbolic cosine.
    cosh, |x| x.cosh(), "assert_eq!(cosh(&dlarray(0.0)).get(0), 1.0);");
adj_x!(/// Adjoint of `cosh`: `x̄ += g·sinh x`.
    cosh_adj, |g, x| g * x.sinh());

unary!(/// Hyperbolic tangent.
    tanh, |x| x.tanh(), "assert_eq!(tanh(&dlarray(0.0)).get(0), 0.0);");
adj_y!(/// Adjoint of `tanh`: `x̄ += g·(1 − tanh²x)`.
    tanh_adj, |g, y| g * (T::ONE - y * y));

unary!(/// Error function.
    erf, |x| x.erf(), "assert_eq!(erf(&dlarray(0.0)).get(0), 0.0);");
adj_x!(/// Adjoint of `erf`: `x̄ += g·(2/√π)·e^(−x²)`.
    erf_adj, |g, x| g * T::from_f64(std::f64::consts::FRAC_2_SQRT_PI) * (-(x * x)).exp());

unary!(/// Round toward −∞. Derivative 0 everywhere.
    floor, |x| x.floor(), "assert_eq!(floor(&dlarray([-1.5, 1.5])).to_vec(), vec![-2.0, 1.0]);");
adj_zero!(floor_adj);
unary!(/// Round toward +∞. Derivative 0 everywhere.
    ceil, |x| x.ceil(), "assert_eq!(ceil(&dlarray([-1.5, 1.5])).to_vec(), vec![-1.0, 2.0]);");
adj_zero!(ceil_adj);
unary!(/// Round half away from zero (MATLAB `round`). Derivative 0 everywhere.
    round, |x| x.round(), "assert_eq!(round(&dlarray([-2.5, 2.5, 0.4])).to_vec(), vec![-3.0, 3.0, 0.0]);");
adj_zero!(round_adj);
unary!(/// Round toward zero (MATLAB `fix`). Derivative 0 everywhere.
    fix, |x| x.trunc(), "assert_eq!(fix(&dlarray([-2.5, 2.5])).to_vec(), vec![-2.0, 2.0]);");
adj_zero!(fix_adj);

/// Integer power `x^n` (MATLAB `x.^n` with a constant integer `n`).
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::powi};
/// assert_eq!(powi(&dlarray([2.0, -3.0]), 3).to_vec(), vec![8.0, -27.0]);
/// ```
#[inline]
pub fn powi<T: Real>(x: &DlArray<T>, n: i32) -> DlArray<T> {
    match n {
        2 => map(x, |v| v * v),
        _ => map(x, |v| v.powi(n)),
    }
}
/// Adjoint of `powi`: `x̄ += g·n·x^(n−1)`.
#[inline]
pub fn powi_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>, n: i32) {
    let nn = T::from_f64(n as f64);
    match n {
        0 => {}
        1 => acc_map0(slot, x.size(), g, true, |g| g),
        2 => acc_map1(slot, x.size(), g, x.into(), |g, x| g * (x + x)),
        _ => acc_map1(slot, x.size(), g, x.into(), |g, x| g * nn * x.powi(n - 1)),
    }
}

/// Real power `x^p` with a constant exponent (MATLAB `x.^p`); `p` is given as `f64` for either
/// precision.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::powf};
/// assert_eq!(powf(&dlarray([4.0_f32]), 0.5).to_vec(), vec![2.0_f32]);
/// ```
#[inline]
pub fn powf<T: Real>(x: &DlArray<T>, p: f64) -> DlArray<T> {
    let p = T::from_f64(p);
    map(x, |v| v.powf(p))
}
/// Adjoint of `powf`: `x̄ += g·p·x^(p−1)` (0 for `p = 0`).
#[inline]
pub fn powf_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>, p: f64) {
    if p == 0.0 {
        return;
    }
    let pt = T::from_f64(p);
    acc_map1(slot, x.size(), g, x.into(), |g, x| g * pt * x.powf(pt - T::ONE));
}

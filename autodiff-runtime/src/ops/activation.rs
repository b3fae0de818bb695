//! Activation functions, each beside its adjoint. All are numerically stable at saturation: no NaN or
//! Inf for large inputs of either sign.
//!
//! Values at non-differentiable points: `relu'(0) = 0`, `relu'(x) = 1` for any `x > 0` (so
//! `relu'(eps) = 1`); `leakyrelu'(0) = scale`.

use super::elementwise::{acc_map1, map};
use crate::{DlArray, Real};

/// Rectified linear unit `max(x, 0)`.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::relu};
/// assert_eq!(relu(&dlarray([-1.0, 0.0, 2.0])).to_vec(), vec![0.0, 0.0, 2.0]);
/// ```
#[inline]
pub fn relu<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    map(x, |v| if v > T::ZERO { v } else { T::ZERO })
}
/// Adjoint of `relu`: `x̄ += g` where `x > 0` (so `relu'(0) = 0`).
#[inline]
pub fn relu_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>) {
    acc_map1(slot, x.size(), g, x.into(), |g, x| if x > T::ZERO { g } else { T::ZERO });
}

/// Leaky ReLU: `x` for `x > 0`, `scale·x` otherwise (MATLAB's default scale is 0.01).
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::leakyrelu};
/// assert_eq!(leakyrelu(&dlarray([-2.0, 3.0]), 0.1).to_vec(), vec![-0.2, 3.0]);
/// ```
#[inline]
pub fn leakyrelu<T: Real>(x: &DlArray<T>, scale: f64) -> DlArray<T> {
    let s = T::from_f64(scale);
    map(x, |v| if v > T::ZERO { v } else { s * v })
}
/// Adjoint of `leakyrelu`: `x̄ += g` where `x > 0`, `g·scale` elsewhere.
#[inline]
pub fn leakyrelu_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>, scale: f64) {
    let s = T::from_f64(scale);
    acc_map1(slot, x.size(), g, x.into(), |g, x| if x > T::ZERO { g } else { g * s });
}

/// Gaussian error linear unit `x·Φ(x) = x/2·(1 + erf(x/√2))` (MATLAB `gelu`, exact form).
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::gelu};
/// assert_eq!(gelu(&dlarray([0.0])).get(0), 0.0);
/// assert!((gelu(&dlarray([1.0_f64])).get(0) - 0.8413447460685429).abs() < 1e-15);
/// ```
#[inline]
pub fn gelu<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    let half = T::from_f64(0.5);
    let r = T::from_f64(std::f64::consts::FRAC_1_SQRT_2);
    map(x, |v| half * v * (T::ONE + (v * r).erf()))
}
/// Adjoint of `gelu`: `x̄ += g·(Φ(x) + x·φ(x))`, φ the standard normal density.
#[inline]
pub fn gelu_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>) {
    let half = T::from_f64(0.5);
    let r = T::from_f64(std::f64::consts::FRAC_1_SQRT_2);
    let c = T::from_f64(1.0 / (2.0 * std::f64::consts::PI).sqrt());
    acc_map1(slot, x.size(), g, x.into(), |g, x| {
        let cdf = half * (T::ONE + (x * r).erf());
        let pdf = c * (-(half * x * x)).exp();
        g * (cdf + x * pdf)
    });
}

/// Logistic sigmoid `1 / (1 + e^(−x))`, computed without overflow for either sign.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::sigmoid};
/// let y = sigmoid(&dlarray([0.0, 1000.0, -1000.0]));
/// assert_eq!(y.to_vec(), vec![0.5, 1.0, 0.0]);
/// ```
#[inline]
pub fn sigmoid<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    map(x, stable_sigmoid)
}
#[inline]
pub(crate) fn stable_sigmoid<T: Real>(v: T) -> T {
    if v >= T::ZERO {
        T::ONE / (T::ONE + (-v).exp())
    } else {
        let e = v.exp();
        e / (T::ONE + e)
    }
}
/// Adjoint of `sigmoid`: `x̄ += g·y·(1 − y)` (reuses the output).
#[inline]
pub fn sigmoid_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>) {
    acc_map1(slot, x.size(), g, out.into(), |g, y| g * y * (T::ONE - y));
}

/// Softplus `ln(1 + eˣ)`, computed as `max(x, 0) + ln(1 + e^(−|x|))` (no overflow).
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::softplus};
/// let y = softplus(&dlarray([0.0, 1000.0, -1000.0]));
/// assert_eq!(y.to_vec(), vec![std::f64::consts::LN_2, 1000.0, 0.0]);
/// ```
#[inline]
pub fn softplus<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    map(x, |v| v.max(T::ZERO) + (-v.abs()).exp().ln_1p())
}
/// Adjoint of `softplus`: `x̄ += g·sigmoid(x)`.
#[inline]
pub fn softplus_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>) {
    acc_map1(slot, x.size(), g, x.into(), |g, x| g * stable_sigmoid(x));
}

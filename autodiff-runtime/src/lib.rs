//! Runtime of `autodiff`: [`DlArray`], the primitive operations with their adjoint kernels,
//! [`dlfeval`] and the trace checks of `dlgradient`.
//!
//! Users depend on the `autodiff` facade crate, which re-exports everything here together with the
//! `#[differentiable]` macro. This crate never records operations at run time: derivatives are code
//! generated at compile time, which calls the adjoint kernels in [`ops`] through a hidden `__private`
//! module.

#![forbid(unsafe_code)]

mod dlarray;
pub mod error;
mod gradcheck;
mod learnables;
pub mod ops;
mod pool;
#[doc(hidden)]
pub mod private;
mod real;
mod trace;

pub use dlarray::DlArray;
pub use dlarray::construct::{
    IntoDlArray, dlarray, dlarray_fmt, ones, ones_like, rand, rand_like, randn, randn_like, rng, zeros, zeros_like,
};
pub use dlarray::format::{Format, Label};
pub use error::{Error, Result, Size};
pub use gradcheck::{GradcheckOptions, GradcheckReport, gradcheck, gradcheck_with};
pub use learnables::Learnables;
pub use ops::{All, Dims, IndexSpec, Operand};
pub use real::Real;
#[doc(hidden)]
pub use trace::arity;
pub use trace::{DlfevalFn, dlfeval};

/// MATLAB's `extractdata(X)`: the plain data of a dlarray as an `ndarray` array, **untraced**.
///
/// Inside a `#[differentiable]` function the result is a constant: `x + atan(&dlarray(extractdata(x)))`
/// has derivative 1 (SPEC §4, rule 2).
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, extractdata};
/// let a = extractdata(&dlarray([1.0, 2.0]));
/// assert_eq!(a.shape(), &[1, 2]);
/// ```
pub fn extractdata<T: Real>(x: &DlArray<T>) -> ndarray::ArrayD<T> {
    x.extractdata()
}

/// MATLAB's `stripdims(X)`: the same data without dimension labels.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray_fmt, stripdims};
/// assert_eq!(stripdims(&dlarray_fmt([[1.0]], "CB").unwrap()).dims(), "");
/// ```
pub fn stripdims<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    x.stripdims()
}

/// MATLAB's `dims(X)`: the dimension labels as a string.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray_fmt, dims};
/// assert_eq!(dims(&dlarray_fmt([[1.0, 2.0]], "TC").unwrap()), "CT");
/// ```
pub fn dims<T: Real>(x: &DlArray<T>) -> String {
    x.dims()
}

/// MATLAB's `finddim(X, label)`: the 0-based dimensions carrying `label`.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray_fmt, finddim, Label};
/// assert_eq!(finddim(&dlarray_fmt([[1.0, 2.0]], "BC").unwrap(), Label::B), vec![1]);
/// ```
pub fn finddim<T: Real>(x: &DlArray<T>, label: Label) -> Vec<usize> {
    x.finddim(label)
}

/// `dlgradient` option: keep the trace after the call (MATLAB `'RetainData'`, default `false`).
///
/// Accepted for compatibility. Generated adjoint code keeps the forward values it needs until the end
/// of the function whatever this says, so several `dlgradient` calls can share one forward sweep.
///
/// # Example
///
/// ```
/// use autodiff::prelude::*;
///
/// #[differentiable]
/// fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
///     let y = sum(&(x * x), All);
///     let g1 = dlgradient(&y, x, RetainData(true))?;
///     let g2 = dlgradient(&y, x)?;
///     Ok((g1, g2))
/// }
/// let (g1, g2) = dlfeval(f, &dlarray([1.0, 2.0])).unwrap();
/// assert_eq!(g1, g2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RetainData(pub bool);

/// `dlgradient` option: make the gradient itself traced so it can be differentiated again (MATLAB
/// `'EnableHigherDerivatives'`, default `false`). `true` is not supported yet: the macro reports it at
/// compile time.
///
/// # Example
///
/// ```
/// use autodiff::prelude::*;
///
/// #[differentiable]
/// fn f(x: &DlArray) -> Result<DlArray> {
///     let y = sum(&x.exp(), All);
///     dlgradient(&y, x, EnableHigherDerivatives(false))
/// }
/// assert_eq!(dlfeval(f, &dlarray(0.0)).unwrap().get(0), 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EnableHigherDerivatives(pub bool);

/// MATLAB's `dlgradient(y, x1, …, xk)`: the gradient of the traced scalar `y` with respect to `x`, which
/// may be a dlarray, an intermediate traced value, a container of dlarrays (`Vec`, `#[derive(Learnables)]`
/// struct), or a tuple of such targets (the result is then a tuple).
///
/// `dlgradient` exists only inside `#[differentiable]` functions: the macro replaces each call with the
/// reverse sweep it generates for that call. Outside one, a call does not compile. Options
/// ([`RetainData`], [`EnableHigherDerivatives`]) follow the targets as extra arguments.
///
/// At run time it returns MATLAB's errors: `y` not 1x1 ("Value to differentiate is non-scalar. It must
/// be a traced real dlarray scalar."), `y` or `x` untraced, or the function not called through
/// [`dlfeval`]. A target that `y` does not depend on gets zeros.
///
/// # Example
///
/// ```
/// use autodiff::prelude::*;
///
/// #[differentiable]
/// fn model(w: &DlArray, x: &DlArray) -> Result<(DlArray, DlArray)> {
///     let loss = sum(&(w * x).tanh(), All);
///     dlgradient(&loss, (w, x))
/// }
///
/// let (gw, gx) = dlfeval(model, (&dlarray([0.5, -0.5]), &dlarray([1.0, 2.0]))).unwrap();
/// assert!((gw.get(0) - (1.0 - 0.5_f64.tanh().powi(2))).abs() < 1e-15);
/// assert!((gx.get(1) - (-0.5) * (1.0 - 1.0_f64.tanh().powi(2))).abs() < 1e-15);
/// ```
pub fn dlgradient<Y: private::InsideDifferentiable, X, G>(y: Y, x: X) -> Result<G> {
    let _ = (y, x);
    unreachable!("no type implements InsideDifferentiable")
}

//! # autodiff
//!
//! MATLAB's deep-learning automatic differentiation — `dlarray`, `dlfeval`, `dlgradient` — for Rust,
//! with the derivative code written **at compile time**: `#[differentiable]` rewrites a function into
//! forward code and, at each `dlgradient` call, a straight-line reverse sweep. There is no run-time
//! tape of operations.
//!
//! ```
//! use autodiff::prelude::*;
//!
//! #[differentiable]
//! fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
//!     let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
//!     let grad = dlgradient(&f, x)?;
//!     Ok((f, grad))
//! }
//!
//! let x0 = dlarray([-1.0, 2.0]);
//! let (fval, gradval) = dlfeval(rosenbrock, &x0)?;
//! assert_eq!(fval.to_string(), "  1x1 dlarray\n\n   104\n");
//! assert_eq!(gradval.to_string(), "  1x2 dlarray\n\n   396   200\n");
//! # Ok::<(), autodiff::Error>(())
//! ```
//!
//! Start with the [guide for MATLAB users](guide::for_matlab_users).

#![forbid(unsafe_code)]

pub use autodiff_macros::{Learnables, differentiable, differentiable_closure};
pub use autodiff_runtime::*;
/// `ndarray`, the exact version the library uses: build arrays with it and pass them to [`dlarray`](fn@dlarray).
pub use ndarray;

#[doc(hidden)]
pub use autodiff_runtime::private as __private;

pub mod guide;

// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;

/// Everything a user of the library needs in scope: `use autodiff::prelude::*;`.
///
/// Brings the types ([`DlArray`], [`Result`], [`Error`]), the MATLAB functions (`dlarray`, `dlfeval`,
/// `dlgradient`, `extractdata`, every primitive of [`ops`]), the macros, and the traits.
///
/// Note that [`Result`] here is `autodiff::Result<T, E = autodiff::Error>`, which shadows the standard
/// `Result` (with the same meaning when `E` is given).
pub mod prelude {
    pub use crate::ops::*;
    pub use crate::{
        All, Dims, DlArray, DlfevalFn, EnableHigherDerivatives, Error, Format, GradcheckOptions, GradcheckReport,
        Label, Learnables, Real, Result, RetainData, differentiable, differentiable_closure, dims, dlarray,
        dlarray_fmt, dlfeval, dlgradient, extractdata, finddim, gradcheck, gradcheck_with, ones, ones_like, rand,
        rand_like, randn, randn_like, rng, stripdims, zeros, zeros_like,
    };
}

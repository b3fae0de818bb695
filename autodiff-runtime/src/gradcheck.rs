//! `gradcheck`: compares the gradient a `#[differentiable]` function computes with `dlgradient` against
//! central finite differences, as PyTorch's `torch.autograd.gradcheck` does.

use crate::{DlArray, Learnables, Real};

/// Tolerances and step of [`gradcheck_with`]. The defaults are PyTorch's for `f64`: step `1e-6`,
/// `atol = 1e-5`, `rtol = 1e-3`.
///
/// # Example
///
/// ```
/// let opts = autodiff_runtime::GradcheckOptions { rtol: 1e-6, ..Default::default() };
/// assert_eq!(opts.step, 1e-6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradcheckOptions {
    /// Finite-difference step `h`: the numeric derivative is `(f(x + h) − f(x − h)) / 2h`.
    pub step: f64,
    /// Absolute tolerance.
    pub atol: f64,
    /// Relative tolerance: an entry passes when `|analytic − numeric| ≤ atol + rtol·|numeric|`.
    pub rtol: f64,
}

impl Default for GradcheckOptions {
    fn default() -> Self {
        GradcheckOptions { step: 1e-6, atol: 1e-5, rtol: 1e-3 }
    }
}

/// The outcome of a gradient check: how many entries were compared and the worst disagreement.
#[derive(Debug, Clone, PartialEq)]
pub struct GradcheckReport {
    /// Number of gradient entries compared.
    pub entries: usize,
    /// Largest `|analytic − numeric|`.
    pub max_abs_error: f64,
    /// Entries outside the tolerance: (parameter path, column-major index, analytic, numeric).
    pub failures: Vec<(String, usize, f64, f64)>,
}

impl GradcheckReport {
    /// True when every entry is within tolerance.
    ///
    /// # Example
    ///
    /// ```
    /// let r = autodiff_runtime::GradcheckReport { entries: 1, max_abs_error: 0.0, failures: vec![] };
    /// assert!(r.passed());
    /// ```
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Checks a `#[differentiable]` function `f(x) -> Result<(y, dy/dx)>` (it computes its own gradient
/// with `dlgradient`, like the seed's Rosenbrock) at `x` against central finite differences of `y`, with
/// the default tolerances. `x` may be a dlarray or any [`Learnables`] container.
///
/// # Errors
///
/// The function's own error, if it fails at `x` or at a perturbed point.
///
/// # Example
///
/// ```
/// use autodiff::prelude::*;
///
/// #[differentiable]
/// fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
///     let y = sum(&(x.sin() * x), All);
///     Ok((y.clone(), dlgradient(&y, x)?))
/// }
///
/// let report = gradcheck(f, &dlarray([0.3, -1.2, 2.0])).unwrap();
/// assert!(report.passed(), "{report:?}");
/// assert_eq!(report.entries, 3);
/// ```
pub fn gradcheck<T, X, F>(f: F, x: &X) -> crate::Result<GradcheckReport>
where
    T: Real,
    X: Learnables<T>,
    F: Fn(&X) -> crate::Result<(DlArray<T>, X)>,
{
    gradcheck_with(f, x, GradcheckOptions::default())
}

/// [`gradcheck`] with explicit step and tolerances.
///
/// # Errors
///
/// The function's own error, if it fails at `x` or at a perturbed point.
///
/// # Example
///
/// ```
/// use autodiff::prelude::*;
///
/// #[differentiable]
/// fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
///     let y = sum(&x.exp(), All);
///     Ok((y.clone(), dlgradient(&y, x)?))
/// }
///
/// let opts = GradcheckOptions { step: 1e-5, atol: 1e-8, rtol: 1e-7 };
/// assert!(gradcheck_with(f, &dlarray([0.5, 1.5]), opts).unwrap().passed());
/// ```
pub fn gradcheck_with<T, X, F>(f: F, x: &X, opts: GradcheckOptions) -> crate::Result<GradcheckReport>
where
    T: Real,
    X: Learnables<T>,
    F: Fn(&X) -> crate::Result<(DlArray<T>, X)>,
{
    let (_, grad) = crate::dlfeval(&f, x)?;
    let analytic: Vec<(String, DlArray<T>)> = grad.parameters();
    let params: Vec<(String, DlArray<T>)> = x.parameters();
    let h = opts.step;
    let mut report = GradcheckReport { entries: 0, max_abs_error: 0.0, failures: vec![] };
    for (p, ((name, value), (_, g))) in params.iter().zip(&analytic).enumerate() {
        for k in 0..value.numel() {
            let eval = |delta: f64| -> crate::Result<f64> {
                let mut which = 0;
                let shifted = x.map(&mut |q| {
                    let out = if which == p {
                        let v = q.get(k);
                        q.assign(k, &DlArray::scalar(T::from_f64(v.to_f64() + delta)))
                    } else {
                        q.clone()
                    };
                    which += 1;
                    out
                });
                let (y, _) = crate::dlfeval(&f, &shifted)?;
                Ok(y.get(0).to_f64())
            };
            let numeric = (eval(h)? - eval(-h)?) / (2.0 * h);
            let a = g.get(k).to_f64();
            let err = (a - numeric).abs();
            report.entries += 1;
            report.max_abs_error = report.max_abs_error.max(err);
            if err > opts.atol + opts.rtol * numeric.abs() || a.is_nan() != numeric.is_nan() {
                report.failures.push((name.clone(), k, a, numeric));
            }
        }
    }
    Ok(report)
}

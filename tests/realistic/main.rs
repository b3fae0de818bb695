//! Realistic programs written from the documentation of `autodiff` only (README, guide, API docs).
//!
//! Every model function is `#[differentiable]` and has a test checking its gradient, either with
//! `gradcheck` (central finite differences) or against a closed form stated in a comment.
#![allow(missing_docs)]
// Models that do not compile yet are kept as written behind `#[cfg(realistic_compile_errors)]`
// (each with a `// COMPILE ERROR:` comment quoting the first error). See them with
//     cargo rustc --test realistic -- --cfg realistic_compile_errors
#![allow(unexpected_cfgs)]

mod basics;
mod closures;
mod containers;
mod errors;
mod generic;
mod layers;
mod loops;
mod numerics;
mod traits;

/// Elementwise `|actual − expected| ≤ tol·(1 + |expected|)`, with a readable message.
pub(crate) fn assert_close(actual: &[f64], expected: &[f64], tol: f64) {
    assert_eq!(actual.len(), expected.len(), "length mismatch: {actual:?} vs {expected:?}");
    for (k, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= tol * (1.0 + e.abs()),
            "entry {k}: got {a}, expected {e} (tol {tol})\n actual   = {actual:?}\n expected = {expected:?}"
        );
    }
}

/// The same for `f32` results.
pub(crate) fn assert_close_f32(actual: &[f32], expected: &[f64], tol: f64) {
    let a: Vec<f64> = actual.iter().map(|&v| v as f64).collect();
    assert_close(&a, expected, tol);
}

/// A gradcheck report that compared something and found no disagreement.
pub(crate) fn assert_passed(report: &autodiff::GradcheckReport) {
    assert!(report.entries > 0, "gradcheck compared nothing: {report:?}");
    assert!(report.passed(), "gradcheck failed: {report:?}");
}

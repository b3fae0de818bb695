//! The seed's example: the value and gradient of the Rosenbrock function at `[-1, 2]`, printed as
//! MATLAB prints them.
//!
//! ```text
//! cargo run --release --example rosenbrock
//! ```

use autodiff::prelude::*;

/// `f(x) = 100 (x₂ − x₁²)² + (1 − x₁)²` and its gradient, MATLAB's
///
/// ```text
/// function [f,grad] = rosenbrock(x)
/// f = 100*(x(2) - x(1).^2).^2 + (1 - x(1)).^2;
/// grad = dlgradient(f,x);
/// ```
#[differentiable]
fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
    let grad = dlgradient(&f, x)?;
    Ok((f, grad))
}

/// The same function of two scalar inputs, differentiated with respect to both.
#[differentiable]
fn rosenbrock2(x1: &DlArray, x2: &DlArray) -> Result<(DlArray, DlArray, DlArray)> {
    let f = 100.0 * (x2 - x1.powi(2)).powi(2) + (1.0 - x1).powi(2);
    let (g1, g2) = dlgradient(&f, (x1, x2))?;
    Ok((f, g1, g2))
}

fn main() -> Result<()> {
    let x0 = dlarray([-1.0, 2.0]);
    let (fval, gradval) = dlfeval(rosenbrock, &x0)?;
    println!("fval =\n\n{fval}\ngradval =\n\n{gradval}");

    let (f, g1, g2) = dlfeval(rosenbrock2, (&dlarray(-1.0), &dlarray(2.0)))?;
    println!("two inputs: f = {}, df/dx1 = {}, df/dx2 = {}", f.get(0), g1.get(0), g2.get(0));
    Ok(())
}

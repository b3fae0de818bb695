//! Bring-up tests of the new macro core (`differentiable_next`), user code run through it.

use autodiff::differentiable_next as differentiable;
use autodiff::prelude::*;

#[differentiable]
fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
    let grad = dlgradient(&f, x)?;
    Ok((f, grad))
}

#[test]
fn seed_example() {
    let (f, g) = dlfeval(rosenbrock, &dlarray([-1.0, 2.0])).unwrap();
    assert_eq!(f.get(0), 104.0);
    assert_eq!(g.to_vec(), vec![396.0, 200.0]);
}

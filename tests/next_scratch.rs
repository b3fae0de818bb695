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

#[differentiable]
fn zipped1(ps: &Vec<DlArray>) -> Result<(DlArray, Vec<DlArray>)> {
    let qs = vec![dlarray(1.0), dlarray(2.0), dlarray(3.0)];
    let mut y = dlarray(0.0);
    for (a, b) in ps.iter().zip(qs.iter()) {
        y = y + a * b;
    }
    Ok((y.clone(), dlgradient(&y, ps)?))
}

#[differentiable]
fn enum1(ps: &Vec<DlArray>) -> Result<(DlArray, Vec<DlArray>)> {
    let mut y = dlarray(0.0);
    for (i, a) in ps.iter().enumerate() {
        y = y + a.powi(2) * (i as f64);
    }
    Ok((y.clone(), dlgradient(&y, ps)?))
}

#[test]
fn zip_enum_pieces() {
    let ps = vec![dlarray(0.5), dlarray(-1.0)];
    let (_, g) = dlfeval(zipped1, &ps).unwrap();
    assert_eq!(g[0].get(0), 1.0);
    assert_eq!(g[1].get(0), 2.0);
    let (_, g) = dlfeval(enum1, &ps).unwrap();
    assert_eq!(g[0].get(0), 0.0);
    assert_eq!(g[1].get(0), -2.0);
}

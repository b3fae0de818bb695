#![deny(warnings)]
use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut sum_ = dlarray(0.0);
    for i in 0..2 {
        sum_ = sum_ + x[i].powi(2);
    }
    let grad = dlgradient(&sum_, x)?;
    Ok((sum_, grad))
}
fn main() { let (y, g) = dlfeval(f, &dlarray([1.0, 2.0])).unwrap(); println!("{} {:?}", y.get(0), g.to_vec()); }

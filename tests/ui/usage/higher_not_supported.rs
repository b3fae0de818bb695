// EnableHigherDerivatives(true) through a loop: not supported yet, in the function and through a
// call of a function that has one.
use autodiff::prelude::*;

#[differentiable]
fn looped(x: &DlArray) -> DlArray {
    let mut f = dlarray(0.0);
    for i in 0..x.numel() {
        f = f + x[i].powi(2);
    }
    f
}

#[differentiable]
fn through_call(x: &DlArray) -> Result<DlArray> {
    let y = looped(x);
    let g = dlgradient(&y, x, EnableHigherDerivatives(true))?;
    dlgradient(&sum(&g, All), x)
}

#[differentiable]
fn in_body(x: &DlArray) -> Result<DlArray> {
    let mut y = dlarray(0.0);
    for i in 0..x.numel() {
        y = y + x[i].exp();
    }
    let g = dlgradient(&y, x, EnableHigherDerivatives(true))?;
    dlgradient(&sum(&g, All), x)
}

fn main() {}

// A slice parameter has no container type for its gradient.
use autodiff::prelude::*;

#[differentiable]
fn fun(xs: &[DlArray]) -> Result<DlArray> {
    let y = sum(&xs[0], All);
    dlgradient(&y, &xs[0])
}

fn main() {}

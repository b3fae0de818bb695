// A literal cannot be a gradient target.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let y = sum(&(x * 2.0), All);
    dlgradient(&y, 2.0)
}

fn main() {}

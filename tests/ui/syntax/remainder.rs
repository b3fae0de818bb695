// The remainder operator is not differentiable here.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let y = sum(&(x % 2.0), All);
    dlgradient(&y, x)
}

fn main() {}

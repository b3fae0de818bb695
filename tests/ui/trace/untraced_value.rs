// The value to differentiate must depend on a traced input.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let c = dlarray([1.0, 2.0]);
    let y = sum(&c, All);
    dlgradient(&y, x)
}

fn main() {}

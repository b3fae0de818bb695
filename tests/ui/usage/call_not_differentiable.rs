// A call on traced values to a function that is neither a primitive nor #[differentiable].
use autodiff::prelude::*;

fn helper(x: &DlArray) -> DlArray {
    x * 2.0
}

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let y = sum(&helper(x), All);
    dlgradient(&y, x)
}

fn main() {}

// `as` casts do not apply to traced values.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let n = x as f64;
    let y = sum(&(x * n), All);
    dlgradient(&y, x)
}

fn main() {}

// Closures inside a #[differentiable] function may not capture traced values.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let double = |k: f64| x * k;
    let y = sum(&double(2.0), All);
    dlgradient(&y, x)
}

fn main() {}

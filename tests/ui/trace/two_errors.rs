// Every error of a function is reported in one build.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let c = zeros_like(x);
    let y = sum(&(x * &c), All);
    let a = dlgradient(&y, &c)?;
    let b = dlgradient(&y, 3.0)?;
    Ok((a, b))
}

fn main() {}

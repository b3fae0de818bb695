// EnableHigherDerivatives(true) is not supported yet.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let y = sum(&x.exp(), All);
    dlgradient(&y, x, EnableHigherDerivatives(true))
}

fn main() {}

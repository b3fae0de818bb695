// A gradient taken inside a loop.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let mut g = zeros_like(x);
    for _ in 0..3 {
        let y = sum(&x.powi(2), All);
        g = g + dlgradient(&y, x)?;
    }
    Ok(g)
}

fn main() {}

// SPEC §4 rule 1: a dlarray created inside the objective is untraced (MATLAB: "x2 is untraced").
use autodiff::prelude::*;

#[differentiable]
fn fun(x1: &DlArray) -> Result<(DlArray, DlArray)> {
    let x2 = dlarray(0.0);
    let y = x1 + &x2;
    let dy = dlgradient(&y, &x2)?;
    let dy1 = dlgradient(&y, x1)?;
    Ok((dy, dy1))
}

fn main() {}

// unsafe code may not touch traced values.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let y = unsafe { sum(x, All) };
    dlgradient(&y, x)
}

fn main() {}

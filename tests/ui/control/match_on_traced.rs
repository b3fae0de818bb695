// A `match` whose scrutinee is a traced value.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let y = match x[0] * 2.0 {
        v => v.exp(),
    };
    dlgradient(&y, x)
}

fn main() {}

// `break` with a value out of a loop over traced values.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let mut y = x * 1.0;
    let z = loop {
        y = y.sin();
        if y.get(0) < 0.5 {
            break y * 2.0;
        }
    };
    dlgradient(&sum(&z, All), x)
}

fn main() {}

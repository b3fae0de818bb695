// `while let` around traced values.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let mut s = dlarray(0.0);
    let mut stack = vec![1.0, 2.0];
    while let Some(w) = stack.pop() {
        s = s + x[0] * w;
    }
    dlgradient(&s, x)
}

fn main() {}

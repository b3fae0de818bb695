// An early `return` from inside a loop over traced values.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let mut s = dlarray(0.0);
    for i in 0..x.numel() {
        s = s + x[i];
        if s.get(0) > 10.0 {
            return dlgradient(&s, x);
        }
    }
    dlgradient(&s, x)
}

fn main() {}

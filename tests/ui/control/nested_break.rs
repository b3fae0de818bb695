// `break` deep inside nested branches: only the last statement of an `if` directly in the loop body
// may leave the loop.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let mut s = dlarray(0.0);
    for i in 0..x.numel() {
        if i > 1 {
            if x.get(i) > 0.0 {
                break;
            }
        }
        s = s + x[i];
    }
    dlgradient(&s, x)
}

fn main() {}

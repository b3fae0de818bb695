// A label on a loop that carries traced values.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let mut s = dlarray(0.0);
    'rows: for i in 0..3 {
        for j in 0..3 {
            if i == j {
                continue 'rows;
            }
            s = s + x[i] * x[j];
        }
    }
    dlgradient(&s, x)
}

fn main() {}

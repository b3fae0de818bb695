// The result of extractdata is plain data: a new, untraced constant.
use autodiff::prelude::*;

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let c = dlarray(extractdata(x));
    let y = sum(&(x * &c), All);
    dlgradient(&y, &c)
}

fn main() {}

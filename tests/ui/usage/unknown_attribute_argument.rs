// #[differentiable] takes only `crate = path`.
use autodiff::prelude::*;

#[differentiable(mode = "forward")]
fn fun(x: &DlArray) -> DlArray {
    x * 2.0
}

fn main() {}

// async functions cannot be differentiated.
use autodiff::prelude::*;

#[differentiable]
async fn fun(x: &DlArray) -> DlArray {
    x * 2.0
}

fn main() {}

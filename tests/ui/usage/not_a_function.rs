// #[differentiable] applies to functions.
use autodiff::prelude::*;

#[differentiable]
struct Model {
    w: DlArray,
}

fn main() {}

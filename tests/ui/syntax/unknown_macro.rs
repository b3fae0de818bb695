// Macros other than the known ones may not take traced values.
use autodiff::prelude::*;

macro_rules! double {
    ($e:expr) => {
        $e * 2.0
    };
}

#[differentiable]
fn fun(x: &DlArray) -> Result<DlArray> {
    let y = sum(&double!(x), All);
    dlgradient(&y, x)
}

fn main() {}

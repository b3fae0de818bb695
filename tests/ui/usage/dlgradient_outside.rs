// dlgradient exists only inside #[differentiable] functions.
use autodiff::prelude::*;

fn plain(x: &DlArray) -> Result<DlArray> {
    let y = sum(&(x * x), All);
    dlgradient(&y, x)
}

fn main() {
    let _ = plain(&dlarray([1.0]));
}

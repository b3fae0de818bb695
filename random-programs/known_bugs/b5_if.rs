use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray, w: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut z = x * 1.0;
    if x.numel() > 1 {
        z = w * 2.0;
    }
    let y = sum(&z, All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}
fn main() { let (y, g) = dlfeval(f, (&dlarray([1.0, 2.0]), &dlarray([3.0, 4.0]))).unwrap(); println!("y = {}, dlgradient = {:?} (expected 14, [0, 0])", y.get(0), g.to_vec()); }

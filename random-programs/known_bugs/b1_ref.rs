use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray, #[untraced] d: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&(x * (2.0 * &d)), All);
    Ok((y.clone(), dlgradient(&y, x)?))
}
fn main() { let (y, g) = dlfeval(f, (&dlarray([1.0, 2.0]), &dlarray([3.0, 4.0]))).unwrap(); println!("{} {:?}", y.get(0), g.to_vec()); }

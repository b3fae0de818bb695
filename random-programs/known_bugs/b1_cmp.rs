use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray, #[untraced] d: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = if sum(d, All) > 0.5 { sum(x, All) } else { sum(&x.sin(), All) };
    Ok((y.clone(), dlgradient(&y, x)?))
}
fn main() { let (y, g) = dlfeval(f, (&dlarray([1.0, 2.0]), &dlarray([3.0, 4.0]))).unwrap(); println!("{} {:?}", y.get(0), g.to_vec()); }

use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray, w: &DlArray) -> Result<(DlArray, DlArray)> {
    let z = if x.get(0) > 5.0 { x * 2.0 } else { x.sin() * w[0].sin() };
    let y = sum(&z, All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}
fn main() { let (y, g) = dlfeval(f, (&dlarray([1.0, 2.0]), &dlarray([3.0, 4.0]))).unwrap(); println!("y = {}, dlgradient = {:?}", y.get(0), g.to_vec()); }

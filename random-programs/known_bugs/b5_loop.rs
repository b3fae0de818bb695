use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray, z: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut v = zeros::<f64>(&[1, 2]);
    for i in 0..2 {
        v[i] = z[i] - x[i].sin();
    }
    let y = sum(&v, All);
    let g = dlgradient(&y, z)?;
    Ok((y, g))
}
fn main() { let (y, g) = dlfeval(f, (&dlarray([1.0, 2.0]), &dlarray([3.0, 4.0]))).unwrap(); println!("y = {}, dlgradient = {:?} (expected [1, 1])", y.get(0), g.to_vec()); }

use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray, z: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut v: Vec<DlArray> = Vec::new();
    v.push(x.sin());
    v.push(z.cos());
    let y = sum(&v[0], All) + sum(&v[1], All);
    let gx = dlgradient(&y, x)?;
    Ok((y, gx))
}
fn main() { let (y, g) = dlfeval(f, (&dlarray([1.0, 2.0]), &dlarray([0.5, 0.1]))).unwrap(); println!("{} {:?}", y.get(0), g.to_vec()); }

use autodiff::prelude::*;
#[differentiable]
fn helper(a: &DlArray, b: &DlArray) -> DlArray {
    (a * b.sin()).sin()
}
#[differentiable]
fn f(x: &DlArray, w: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray(0.0);
    for i in 0..2 {
        s = s + helper(x, &w.at(i));
    }
    let y = sum(&s, All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}
fn main() { let (y, g) = dlfeval(f, (&dlarray([1.0, 2.0]), &dlarray([0.5, 0.25]))).unwrap(); println!("y = {}, dlgradient = {:?}", y.get(0), g.to_vec()); }

use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray(0.0);
    let mut k = 0;
    while k < 2 {
        s = s + x[k].powi(2);
        k += 1;
    }
    let y = s;
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}
fn main() { let (y, g) = dlfeval(f, &dlarray([1.0, 2.0, 3.0])).unwrap(); println!("y = {}, dlgradient = {:?} (expected [2, 4, 0])", y.get(0), g.to_vec()); }

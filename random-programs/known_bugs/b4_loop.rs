use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray(0.0);
    let mut k = 0;
    loop {
        if k >= 2 {
            break;
        }
        s -= x[k];
        k += 1;
    }
    let y = s;
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}
fn main() { let (y, g) = dlfeval(f, &dlarray([1.0, 2.0, 3.0])).unwrap(); println!("y = {}, dlgradient = {:?} (expected [-1, -1, 0])", y.get(0), g.to_vec()); }

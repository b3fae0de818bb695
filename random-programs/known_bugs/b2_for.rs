use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let v = vec![dlarray(1.0), dlarray(2.0)];
    let mut s = dlarray(0.0);
    for t in &v {
        s = s + t * x;
    }
    let y = sum(&s, All);
    Ok((y.clone(), dlgradient(&y, x)?))
}
fn main() { let (y, g) = dlfeval(f, &dlarray([1.0, 2.0])).unwrap(); println!("{} {:?}", y.get(0), g.to_vec()); }

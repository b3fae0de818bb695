use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let v = vec![dlarray(1.0), dlarray(2.0)];
    let c = v.iter().map(|t| t * 2.0).sum::<DlArray>();
    let y = sum(&(x * c), All);
    Ok((y.clone(), dlgradient(&y, x)?))
}
fn main() { let (y, g) = dlfeval(f, &dlarray([1.0, 2.0])).unwrap(); println!("{} {:?}", y.get(0), g.to_vec()); }

use autodiff::prelude::*;
#[differentiable]
fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut v: Vec<DlArray> = (0..2).map(|i| dlarray(i as f64)).collect();
    v[0] = x.sin();
    let y = sum(&(&v[0] + &v[1]), All);
    Ok((y.clone(), dlgradient(&y, x)?))
}
fn main() { let (y, g) = dlfeval(f, &dlarray([1.0, 2.0])).unwrap(); println!("{} {:?}", y.get(0), g.to_vec()); }

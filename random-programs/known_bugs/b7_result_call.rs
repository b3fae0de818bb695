use autodiff::prelude::*;
#[differentiable]
fn h(a: &DlArray) -> Result<DlArray> {
    Ok(a * 1.5)
}
#[differentiable]
fn g(a: &DlArray) -> Result<DlArray> {
    let w = h(a)?;
    Ok(w.sin())
}
fn main() { let y = dlfeval(g, &dlarray([1.0, 2.0])).unwrap(); println!("{:?}", y.to_vec()); }

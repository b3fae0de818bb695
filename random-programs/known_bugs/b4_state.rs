use autodiff::prelude::*;
#[differentiable]
fn f(q: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut state = q * 1.0;
    let mut i = 0;
    while i < q.numel() {
        state = (&state * 0.5 + q[i]).tanh();
        i += 1;
    }
    let y = sum(&state, All);
    Ok((y.clone(), dlgradient(&y, q)?))
}
fn main() { let (y, g) = dlfeval(f, &dlarray([0.1, 0.2, 0.3])).unwrap(); println!("y = {}, dlgradient = {:?}", y.get(0), g.to_vec()); }

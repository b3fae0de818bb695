// Generated code uses absolute paths: shadowing the prelude's names changes nothing.
#![allow(dead_code)]
use autodiff::prelude::*;

struct Option;
struct Some;
struct None;
struct Vec;
struct Box;
struct Fn;
struct Clone;
mod core {}
mod std {}

type Result<T> = ::core::result::Result<T, autodiff::Error>;
struct Ok;
struct Err;

#[differentiable]
fn f(x: &DlArray, w: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&(x * w).tanh(), All);
    let g = dlgradient(&y, w)?;
    ::core::result::Result::Ok((y, g))
}

#[differentiable]
fn g(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let (y, _) = f(x, x)?;
    let z = f(&y, x).unwrap().0;
    let grad = dlgradient(&z, x)?;
    ::core::result::Result::Ok((z, grad))
}

fn main() {
    let (y, gw) = dlfeval(f, (&dlarray([1.0, 2.0]), &dlarray([0.5, 0.5]))).unwrap();
    assert_eq!(y.numel(), 1);
    assert_eq!(gw.numel(), 2);
    let (z, gx) = dlfeval(g, &dlarray([0.3])).unwrap();
    assert_eq!((z.numel(), gx.numel()), (1, 1));
}

//! Generated code raises no warnings in users' crates: this file denies every rustc warning and every
//! default clippy lint (plus the pedantic ones that apply to generated code), and `.ci/run` builds it
//! with `cargo clippy --all-targets -- -D warnings`.

#![deny(warnings, clippy::all)]
#![deny(clippy::needless_borrow, clippy::redundant_clone, clippy::clone_on_copy, clippy::let_and_return)]
#![deny(non_snake_case, unused_mut, unused_variables, unused_parens, unused_braces)]

use autodiff::prelude::*;

#[derive(Clone, Learnables)]
struct Layer {
    weights: DlArray,
    bias: DlArray,
}

impl Layer {
    #[differentiable]
    fn forward(&self, x: &DlArray) -> DlArray {
        fullyconnect(x, &self.weights, &self.bias).relu()
    }
}

#[differentiable]
fn square_sum(x: &DlArray) -> DlArray {
    sum(&(x * x), All)
}

#[differentiable]
fn loss(layer: &Layer, x: &DlArray, scale: f64) -> Result<(DlArray, Layer)> {
    let h = layer.forward(x);
    let mut total = square_sum(&h) * scale;
    total += 1.0;
    let shadow = total.clone();
    let shadow = shadow / 2;
    let g = dlgradient(&shadow, layer)?;
    println!("loss {shadow} with {} parameters", g.num_learnables());
    Ok((shadow, g))
}

#[differentiable]
fn generic<T: Real>(x: &DlArray<T>) -> Result<(DlArray<T>, DlArray<T>)> {
    let y = sum(&x.exp(), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn expansions_are_lint_clean() {
    let layer = Layer { weights: dlarray([[0.5, -0.5], [1.0, 2.0]]), bias: dlarray([[0.1], [-0.1]]) };
    let x = dlarray_fmt([[1.0, 2.0]], "BC").unwrap();
    let (l, g) = dlfeval(loss, (&layer, &x, 0.5)).unwrap();
    assert!(l.get(0) > 0.0);
    assert_eq!(g.weights.size(), &[2, 2]);
    let (y, gx) = dlfeval(generic, &dlarray([0.0_f32])).unwrap();
    assert_eq!((y.get(0), gx.get(0)), (1.0, 1.0));
}

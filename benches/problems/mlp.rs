//! One training step of a 784-256-10 MLP, batch 128, ReLU, softmax cross-entropy: the problem of
//! `peers/mlp.py`, rebuilt from its closed-form data so that losses and gradients can be compared
//! with PyTorch's and JAX's. Shared by `benches/mlp.rs` and `tests/benchmark_problems.rs`.
//!
//! The peers store observations in rows (`X` is 128 x 784, `a1 = X·W1 + b1`); MATLAB, and this
//! library, store them in columns (`"CB"`: 784 x 128, `a1 = W1ᵀ·X + b1` with `fullyconnect`). The
//! weights here are the peers' transposed: the same numbers, the same loss, the same gradients
//! (transposed).

#![allow(dead_code)]

use autodiff::prelude::*;

/// Batch, inputs, hidden units, classes.
pub(crate) const B: usize = 128;
pub(crate) const I: usize = 784;
pub(crate) const H: usize = 256;
pub(crate) const O: usize = 10;
/// The SGD learn rate of the step.
pub(crate) const LR: f64 = 0.1;

/// The parameters.
#[derive(Clone, Learnables)]
pub(crate) struct Mlp<T: Real> {
    pub(crate) w1: DlArray<T>,
    pub(crate) b1: DlArray<T>,
    pub(crate) w2: DlArray<T>,
    pub(crate) b2: DlArray<T>,
}

/// `f(r, c)` for every element of an `rows x cols` array, computed in f64 and cast, as the peers do.
fn build<T: Real>(rows: usize, cols: usize, f: impl Fn(usize, usize) -> f64) -> DlArray<T> {
    let data: Vec<T> =
        (0..cols).flat_map(|c| (0..rows).map(move |r| (r, c))).map(|(r, c)| T::from_f64(f(r, c))).collect();
    // column-major data: a cols x rows array transposed
    dlarray(data).reshape(&[rows, cols])
}

/// The data: inputs `X` ("CB", 784 x 128) and one-hot targets `T` ("CB", 10 x 128).
pub(crate) fn data<T: Real>() -> (DlArray<T>, DlArray<T>) {
    // X[b, i] = sin(0.1·(b·784 + i) + 1)
    let x = build::<T>(I, B, |i, b| (0.1 * (b * I + i) as f64 + 1.0).sin());
    // y[b] = (7b + 3) mod 10
    let t = build::<T>(O, B, |c, b| if (7 * b + 3) % 10 == c { 1.0 } else { 0.0 });
    (x.with_format("CB"), t.with_format("CB"))
}

/// The initial parameters (the peers' `W1`, `W2` transposed).
pub(crate) fn params<T: Real>() -> Mlp<T> {
    Mlp {
        // W1[i, j] = 0.05·sin(0.37·(i·256 + j) + 0.5), here H x I
        w1: build(H, I, |j, i| 0.05 * (0.37 * (i * H + j) as f64 + 0.5).sin()),
        b1: build(H, 1, |j, _| 0.01 * (0.11 * j as f64).cos()),
        // W2[j, c] = 0.1·sin(0.53·(j·10 + c) + 0.25), here O x H
        w2: build(O, H, |c, j| 0.1 * (0.53 * (j * O + c) as f64 + 0.25).sin()),
        b2: build(O, 1, |c, _| 0.01 * (0.7 * c as f64).cos()),
    }
}

/// The loss alone (the primal).
pub(crate) fn loss<T: Real>(p: &Mlp<T>, x: &DlArray<T>, t: &DlArray<T>) -> DlArray<T> {
    let h = fullyconnect(x, &p.w1, &p.b1).relu();
    let z = fullyconnect(&h, &p.w2, &p.b2);
    crossentropy(&softmax(&z), t)
}

/// Loss and gradient, generated.
#[differentiable]
pub(crate) fn loss_and_gradient<T: Real>(
    p: &Mlp<T>,
    #[untraced] x: &DlArray<T>,
    #[untraced] t: &DlArray<T>,
) -> Result<(DlArray<T>, Mlp<T>)> {
    let h = fullyconnect(x, &p.w1, &p.b1).relu();
    let z = fullyconnect(&h, &p.w2, &p.b2);
    let loss = crossentropy(&softmax(&z), t);
    let gradients = dlgradient(&loss, p)?;
    Ok((loss, gradients))
}

/// Loss and gradient with the adjoint written by hand (the classic backpropagation formulas, with
/// the same array operations).
pub(crate) fn loss_and_gradient_by_hand<T: Real>(p: &Mlp<T>, x: &DlArray<T>, t: &DlArray<T>) -> (DlArray<T>, Mlp<T>) {
    let a1 = fullyconnect(x, &p.w1, &p.b1).stripdims();
    let h = a1.relu();
    let z = fullyconnect(&h, &p.w2, &p.b2);
    let prob = softmax(&z);
    let loss = crossentropy(&prob, t);
    // dz = (softmax(z) − t) / B; dW2 = dz·hᵀ; db2 = Σ_b dz; dh = W2ᵀ·dz; da1 = dh ⊙ (a1 > 0)
    let dz = ((prob - t) / B as f64).stripdims();
    let w2 = dz.matmul(&h.transpose());
    let b2 = sum(&dz, 1);
    let da1 = p.w2.transpose().matmul(&dz) * a1.gt(&0.0);
    let w1 = da1.matmul(&x.stripdims().transpose());
    let b1 = sum(&da1, 1);
    (loss, Mlp { w1, b1, w2, b2 })
}

/// One SGD step: the new parameters `θ − lr·g`.
pub(crate) fn sgd<T: Real>(p: &Mlp<T>, g: &Mlp<T>) -> Mlp<T> {
    p.zip_map(g, &mut |p, g| p - g * LR)
}

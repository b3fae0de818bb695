//! Containers: `Vec<DlArray>` state indexed in loops, `vec![]`, `push`, `clear`, array literals,
//! `for w in [a, b]`, `.iter().zip().enumerate()`, `Option`s of traced values, local structs, and a
//! vanilla RNN with a `Vec` of hidden states.

use autodiff::prelude::*;

use crate::{assert_close, assert_passed};

// ---------------------------------------------------------------------------------------------
// 23. `Vec<DlArray>` state read and written by index: `h[i] = h[i].tanh()`.

#[differentiable]
fn layered_tanh(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut h = vec![x * 1.0, x * 2.0, x * 3.0];
    for i in 0..h.len() {
        h[i] = h[i].tanh();
    }
    let mut total = dlarray(0.0);
    for i in 0..h.len() {
        total = total + sum(&h[i], All);
    }
    let g = dlgradient(&total, x)?;
    Ok((total, g))
}

#[test]
fn layered_tanh_gradient() -> Result<()> {
    let x = dlarray([0.2, -0.4]);
    let (_, g) = dlfeval(layered_tanh, &x)?;
    // total = Σ_k Σ tanh(k·x), d/dx = Σ_k k·(1 − tanh²(k·x)) for k = 1, 2, 3
    let expected: Vec<f64> =
        x.to_vec().iter().map(|v| (1..=3).map(|k| k as f64 * (1.0 - (k as f64 * v).tanh().powi(2))).sum()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 24. `push`, `clear`, then refill.

#[differentiable]
fn push_clear_refill(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut parts: Vec<DlArray> = Vec::new();
    parts.push(x.exp());
    parts.push(x.sin());
    let first_len = parts.len();
    parts.clear();
    for k in 0..first_len + 1 {
        parts.push(x * (k as f64));
    }
    parts.push(x.powi(2));
    let mut total = dlarray(0.0);
    for p in &parts {
        total = total + sum(p, All);
    }
    let g = dlgradient(&total, x)?;
    Ok((total, g))
}

#[test]
fn push_clear_refill_gradient() -> Result<()> {
    let x = dlarray([1.0, -0.5, 2.0]);
    let (_, g) = dlfeval(push_clear_refill, &x)?;
    // after clear: parts = [0·x, 1·x, 2·x, x²]; total = Σ(3x + x²), d/dx = 3 + 2x
    assert_close(&g.to_vec(), &[5.0, 2.0, 7.0], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 25. An array literal `[a * b, a - b]` and `for w in [a, b]`.

#[differentiable]
fn pair_model(a: &DlArray, b: &DlArray) -> Result<(DlArray, (DlArray, DlArray))> {
    let pair = [a * b, a - b];
    let mut total = sum(&pair[0], All) * 2.0 + 3.0 * sum(&pair[1], All);
    for w in [a, b] {
        total = total + sum(&w.powi(2), All);
    }
    let grads = dlgradient(&total, (a, b))?;
    Ok((total, grads))
}

#[test]
fn pair_model_gradient() -> Result<()> {
    let a = dlarray([1.0, 2.0]);
    let b = dlarray([-1.0, 0.5]);
    let (_, (ga, gb)) = dlfeval(pair_model, (&a, &b))?;
    // total = 2Σab + 3Σ(a − b) + Σa² + Σb²: d/da = 2b + 3 + 2a, d/db = 2a − 3 + 2b
    let got: Vec<f64> = ga.to_vec().into_iter().chain(gb.to_vec()).collect();
    assert_close(&got, &[-2.0 + 3.0 + 2.0, 1.0 + 3.0 + 4.0, 2.0 - 3.0 - 2.0, 4.0 - 3.0 + 1.0], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 26. `.iter().zip().enumerate()` over a `Vec<DlArray>` parameter and a plain slice.

#[differentiable]
fn weighted_params(ws: &Vec<DlArray>, coeffs: &[f64]) -> Result<(DlArray, Vec<DlArray>)> {
    let mut total = dlarray(0.0);
    for (i, (w, c)) in ws.iter().zip(coeffs.iter()).enumerate() {
        let scale = *c * (i as f64 + 1.0);
        total = total + scale * sum(&w.powi(2), All);
    }
    let g = dlgradient(&total, ws)?;
    Ok((total, g))
}

#[test]
fn weighted_params_gradient() -> Result<()> {
    let ws = vec![dlarray([1.0, 2.0]), dlarray(3.0), dlarray([[0.5], [-1.0]])];
    let coeffs = [0.5, 2.0, -1.0];
    let (_, g) = dlfeval(weighted_params, (&ws, &coeffs[..]))?;
    // d/dw_i = 2·c_i·(i+1)·w_i
    assert_eq!(g.len(), 3);
    assert_close(&g[0].to_vec(), &[1.0, 2.0], 1e-12);
    assert_close(&g[1].to_vec(), &[2.0 * 2.0 * 2.0 * 3.0], 1e-12);
    assert_close(&g[2].to_vec(), &[-3.0, 6.0], 1e-12);
    assert_eq!(g[2].size(), &[2, 1]);
    assert_passed(&gradcheck(|ws: &Vec<DlArray>| weighted_params(ws, &coeffs), &ws)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 27. `.iter().zip().enumerate()` over two plain slices: least squares with a weighted first point.

#[differentiable]
fn linreg(theta: &DlArray, xs: &[f64], ys: &[f64]) -> Result<(DlArray, DlArray)> {
    let mut loss = dlarray(0.0);
    for (k, (xv, yv)) in xs.iter().zip(ys).enumerate() {
        let w = if k == 0 { 2.0 } else { 1.0 };
        let r = theta[0] + theta[1] * *xv - *yv;
        loss = loss + w * r.powi(2);
    }
    let g = dlgradient(&loss, theta)?;
    Ok((loss, g))
}

#[test]
fn linreg_gradient() -> Result<()> {
    let theta = dlarray([0.5, 2.0]);
    let xs = [0.0, 1.0, 2.0, 3.0];
    let ys = [1.0, 2.0, 5.0, 6.0];
    let (_, g) = dlfeval(linreg, (&theta, &xs[..], &ys[..]))?;
    // d/dθ = Σ 2·w_k·r_k·[1, x_k], r_k = θ₀ + θ₁x_k − y_k
    let (mut g0, mut g1) = (0.0, 0.0);
    for k in 0..4 {
        let w = if k == 0 { 2.0 } else { 1.0 };
        let r = 0.5 + 2.0 * xs[k] - ys[k];
        g0 += 2.0 * w * r;
        g1 += 2.0 * w * r * xs[k];
    }
    assert_close(&g.to_vec(), &[g0, g1], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 28. `Option` combinators on an optional traced value.

#[differentiable]
fn optional_skip(x: &DlArray, use_skip: bool) -> Result<(DlArray, DlArray)> {
    let skip: Option<DlArray> = if use_skip { Some(x * 2.0) } else { None };
    let base = x.sin();
    let extra = skip.map(|s| s.exp()).unwrap_or(zeros_like(x));
    let y = sum(&(base + extra), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn optional_skip_gradient() -> Result<()> {
    let x = dlarray([0.1, -0.6]);
    // with the skip: y = Σ(sin x + e^{2x}), d/dx = cos x + 2e^{2x}
    let (_, g) = dlfeval(optional_skip, (&x, true))?;
    let expected: Vec<f64> = x.to_vec().iter().map(|v| v.cos() + 2.0 * (2.0 * v).exp()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    // without: d/dx = cos x
    let (_, g) = dlfeval(optional_skip, (&x, false))?;
    let expected: Vec<f64> = x.to_vec().iter().map(|v| v.cos()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 29. A local struct whose fields are updated in a loop (`state.h = ..`).

// COMPILE ERROR: a local struct with dlarray fields: "the trait bound `CellState: Clone` is not satisfied", "`CellState` is not a value `#[differentiable]` knows how to compute with"
#[cfg(realistic_compile_errors)]
struct CellState {
    h: DlArray,
    c: DlArray,
}

#[cfg(realistic_compile_errors)]
#[differentiable]
fn cell_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut st = CellState { h: x * 1.0, c: zeros_like(x) };
    for _ in 0..3 {
        st.c = &st.c + &st.h;
        st.h = st.h.tanh();
    }
    let y = sum(&(&st.c * 0.5 + &st.h), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[cfg(realistic_compile_errors)]
#[test]
fn cell_loop_gradient() -> Result<()> {
    let x = dlarray([0.3, -1.2, 0.8]);
    // c = x + tanh(x) + tanh(tanh(x)); h = tanh³(x) (three compositions); y = Σ(c/2 + h)
    let (_, g) = dlfeval(cell_loop, &x)?;
    let expected: Vec<f64> = x
        .to_vec()
        .iter()
        .map(|&v| {
            let t1 = v.tanh();
            let t2 = t1.tanh();
            let t3 = t2.tanh();
            let d1 = 1.0 - t1 * t1;
            let d2 = (1.0 - t2 * t2) * d1;
            let d3 = (1.0 - t3 * t3) * d2;
            0.5 * (1.0 + d1 + d2) + d3
        })
        .collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    assert_passed(&gradcheck(cell_loop, &x)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 30. A vanilla RNN over time steps with a `Vec<DlArray>` of hidden states.

#[derive(Clone, Learnables)]
struct Rnn {
    w: DlArray,
    u: DlArray,
    b: DlArray,
    v: DlArray,
}

#[differentiable]
fn rnn_sequence_loss(p: &Rnn, #[untraced] xs: &Vec<DlArray>, targets: &[f64]) -> Result<(DlArray, Rnn)> {
    let hidden = p.w.size()[0];
    let mut hs: Vec<DlArray> = vec![zeros::<f64>(&[hidden, 1])];
    for t in 0..xs.len() {
        let h = (p.w.matmul(&hs[t]) + p.u.matmul(&xs[t]) + &p.b).tanh();
        hs.push(h);
    }
    let mut loss = dlarray(0.0);
    for (t, h) in hs.iter().enumerate().skip(1) {
        let y = p.v.matmul(h);
        loss = loss + (y - targets[t - 1]).powi(2);
    }
    let n = xs.len() as f64;
    let loss = loss / n;
    let g = dlgradient(&loss, p)?;
    Ok((loss, g))
}

fn rnn_problem() -> (Rnn, Vec<DlArray>, [f64; 4]) {
    rng(7);
    let p = Rnn {
        w: randn::<f64>(&[3, 3]) * 0.4,
        u: randn::<f64>(&[3, 2]) * 0.5,
        b: randn::<f64>(&[3, 1]) * 0.1,
        v: randn::<f64>(&[1, 3]),
    };
    let xs: Vec<DlArray> = (0..4).map(|_| randn::<f64>(&[2, 1])).collect();
    (p, xs, [0.5, -0.2, 0.1, 0.9])
}

#[test]
fn rnn_sequence_loss_gradcheck() -> Result<()> {
    let (p, xs, targets) = rnn_problem();
    let (loss, g) = dlfeval(rnn_sequence_loss, (&p, &xs, &targets[..]))?;
    assert!(loss.get(0) > 0.0);
    assert_eq!(g.w.size(), &[3, 3]);
    assert_passed(&gradcheck(|p: &Rnn| rnn_sequence_loss(p, &xs, &targets), &p)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 30b. The same RNN reading the hidden states by index (`for t in 1..hs.len()`).

#[differentiable]
fn rnn_sequence_loss_indexed(p: &Rnn, #[untraced] xs: &Vec<DlArray>, targets: &[f64]) -> Result<(DlArray, Rnn)> {
    let hidden = p.w.size()[0];
    let mut hs: Vec<DlArray> = vec![zeros::<f64>(&[hidden, 1])];
    for t in 0..xs.len() {
        let h = (p.w.matmul(&hs[t]) + p.u.matmul(&xs[t]) + &p.b).tanh();
        hs.push(h);
    }
    let mut loss = dlarray(0.0);
    for t in 1..hs.len() {
        let y = p.v.matmul(&hs[t]);
        loss = loss + (y - targets[t - 1]).powi(2);
    }
    let n = xs.len() as f64;
    let loss = loss / n;
    let g = dlgradient(&loss, p)?;
    Ok((loss, g))
}

#[test]
fn rnn_sequence_loss_indexed_gradcheck() -> Result<()> {
    let (p, xs, targets) = rnn_problem();
    let (loss, g) = dlfeval(rnn_sequence_loss_indexed, (&p, &xs, &targets[..]))?;
    assert!(loss.get(0) > 0.0);
    assert_eq!(g.w.size(), &[3, 3]);
    assert_passed(&gradcheck(|p: &Rnn| rnn_sequence_loss_indexed(p, &xs, &targets), &p)?);
    Ok(())
}

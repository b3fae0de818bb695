//! Plain Rust mixed into models: f64/usize arithmetic, `as` casts, methods on plain numbers taken
//! out with `get`, `extractdata` decisions, consts, nested helper fns, `dbg!`, `println!`, asserts,
//! shadowing and reassignment in branches.

use autodiff::prelude::*;

use crate::{assert_close, assert_passed};

// ---------------------------------------------------------------------------------------------
// 1. A scale computed from the size with `as f64`.

/// Mean of the squares, written with a plain-number scale.
#[differentiable]
fn mean_square(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel() as f64;
    let scale = 1.0 / n;
    let y = scale * sum(&x.powi(2), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn mean_square_matches_closed_form() -> Result<()> {
    let x = dlarray([1.0, -2.0, 3.0, 0.5]);
    let (y, g) = dlfeval(mean_square, &x)?;
    // y = Σx²/n, dy/dx = 2x/n
    assert_close(&[y.get(0)], &[(1.0 + 4.0 + 9.0 + 0.25) / 4.0], 1e-12);
    let expected: Vec<f64> = x.to_vec().iter().map(|v| 2.0 * v / 4.0).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 2. A plain-number factor in front of a dlarray, `dt` a parameter.

/// Half a kinetic-energy step: e = Σ (0.5·dt·x)·x.
#[differentiable]
fn half_step_energy(x: &DlArray, dt: f64) -> Result<(DlArray, DlArray)> {
    let v = 0.5 * dt * x;
    let e = sum(&(v * x), All);
    let g = dlgradient(&e, x)?;
    Ok((e, g))
}

#[test]
fn half_step_energy_gradient() -> Result<()> {
    let x = dlarray([0.3, -1.5, 2.0]);
    let dt = 0.1;
    let (_, g) = dlfeval(half_step_energy, (&x, dt))?;
    // e = 0.5·dt·Σx², de/dx = dt·x
    let expected: Vec<f64> = x.to_vec().iter().map(|v| dt * v).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    assert_passed(&gradcheck(|x: &DlArray| half_step_energy(x, dt), &x)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 3. usize loop index cast to f64 inside the model.

/// Σ (i+1)/n · x_i².
#[differentiable]
fn index_weighted(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let mut acc = dlarray(0.0);
    for i in 0..n {
        let w = (i + 1) as f64 / n as f64;
        acc = acc + w * x[i].powi(2);
    }
    let g = dlgradient(&acc, x)?;
    Ok((acc, g))
}

#[test]
fn index_weighted_gradient() -> Result<()> {
    let x = dlarray([1.0, 2.0, -1.0, 0.5]);
    let (_, g) = dlfeval(index_weighted, &x)?;
    // d/dx_i = 2·(i+1)/n·x_i
    let expected: Vec<f64> = x.to_vec().iter().enumerate().map(|(i, v)| 2.0 * (i + 1) as f64 / 4.0 * v).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 4. Methods on the f64 returned by `get` (`.abs()`, `.max(1.0)`, `.powi(2)`).

/// Σ w_k·x_k + 0.1·v_k²·sin(x_k) where w_k = max(|v_k|, 1) and v_k = x.get(k) are plain numbers.
#[differentiable]
fn get_weighted(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut total = dlarray(0.0);
    for k in 0..x.numel() {
        let v = x.get(k);
        let w = v.abs().max(1.0);
        let bump = 0.1 * v.powi(2);
        total = total + w * x[k] + bump * x[k].sin();
    }
    let g = dlgradient(&total, x)?;
    Ok((total, g))
}

#[test]
fn get_weighted_treats_plain_numbers_as_constants() -> Result<()> {
    let x = dlarray([0.5, -3.0, 2.0]);
    let (_, g) = dlfeval(get_weighted, &x)?;
    // `get` gives plain numbers (constants): d/dx_k = max(|v_k|, 1) + 0.1·v_k²·cos(x_k)
    let expected: Vec<f64> = x.to_vec().iter().map(|&v| v.abs().max(1.0) + 0.1 * v.powi(2) * v.cos()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 5. `extractdata(&y).sum()` used for a plain decision.

/// Σ y² when Σy > 0, else Σ exp(y), with y = 2x − 1.
#[differentiable]
fn sign_switch(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = x * 2.0 - 1.0;
    let loss = if extractdata(&y).sum() > 0.0 { sum(&y.powi(2), All) } else { sum(&y.exp(), All) };
    let g = dlgradient(&loss, x)?;
    Ok((loss, g))
}

#[test]
fn sign_switch_both_branches() -> Result<()> {
    // positive branch: d/dx Σ(2x−1)² = 4(2x−1)
    let x = dlarray([1.0, 2.0]);
    let (_, g) = dlfeval(sign_switch, &x)?;
    assert_close(&g.to_vec(), &[4.0 * 1.0, 4.0 * 3.0], 1e-12);
    // negative branch: d/dx Σexp(2x−1) = 2·exp(2x−1)
    let x = dlarray([-1.0, 0.0]);
    let (_, g) = dlfeval(sign_switch, &x)?;
    assert_close(&g.to_vec(), &[2.0 * (-3.0_f64).exp(), 2.0 * (-1.0_f64).exp()], 1e-12);
    assert_passed(&gradcheck(sign_switch, &dlarray([0.7, 0.2]))?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 6. `(a - 1.0).abs()` on a plain f64 parameter.

#[differentiable]
fn damped_exp(x: &DlArray, a: f64) -> Result<(DlArray, DlArray)> {
    let damping = (a - 1.0).abs();
    let y = sum(&(damping * x.exp()), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn damped_exp_gradient() -> Result<()> {
    let x = dlarray([0.0, 1.0, -0.5]);
    let (_, g) = dlfeval(damped_exp, (&x, 0.25))?;
    // d/dx |a−1|·Σe^x = |a−1|·e^x = 0.75·e^x
    let expected: Vec<f64> = x.to_vec().iter().map(|v| 0.75 * v.exp()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 7. A `const` and a nested helper `fn` inside the model, and a plain helper next to it.

/// 1/√n, a plain helper next to the model.
#[cfg_attr(not(realistic_compile_errors), allow(dead_code))] // used only by a gated model
fn inv_sqrt_len(n: usize) -> f64 {
    1.0 / (n as f64).sqrt()
}

/// GAIN · clamp01(x₀) · Σ sin(x) / √n.
#[differentiable]
fn clamped_gain(x: &DlArray) -> Result<(DlArray, DlArray)> {
    const GAIN: f64 = 3.0;
    fn clamp01(v: f64) -> f64 {
        v.max(0.0).min(1.0)
    }
    let c = clamp01(x.get(0));
    let s = inv_sqrt_len(x.numel());
    let y = GAIN * c * s * sum(&x.sin(), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn clamped_gain_gradient() -> Result<()> {
    for x0 in [0.4, 2.0] {
        let x = dlarray([x0, -1.0, 0.3, 1.2]);
        let (_, g) = dlfeval(clamped_gain, &x)?;
        // c and s are plain numbers: d/dx = 3·c·cos(x)/√4
        let c = x0.clamp(0.0, 1.0);
        let expected: Vec<f64> = x.to_vec().iter().map(|v| 3.0 * c * v.cos() / 2.0).collect();
        assert_close(&g.to_vec(), &expected, 1e-12);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 8. `dbg!` in a model must not change the gradient.

#[differentiable]
fn with_dbg(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = dbg!(x * 3.0);
    let z = sum(&(y * x), All);
    let g = dlgradient(&z, x)?;
    Ok((z, g))
}

#[differentiable]
fn without_dbg(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = x * 3.0;
    let z = sum(&(y * x), All);
    let g = dlgradient(&z, x)?;
    Ok((z, g))
}

#[test]
fn dbg_does_not_change_gradient() -> Result<()> {
    let x = dlarray([1.0, -2.0, 0.5]);
    let (z1, g1) = dlfeval(with_dbg, &x)?;
    let (z2, g2) = dlfeval(without_dbg, &x)?;
    assert_eq!(z1.get(0), z2.get(0));
    assert_eq!(g1.to_vec(), g2.to_vec());
    // z = 3Σx², dz/dx = 6x
    assert_close(&g1.to_vec(), &[6.0, -12.0, 3.0], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 9. println!, assert!, debug_assert!, #[allow(unused_variables)] on a let.

#[differentiable]
fn chatty(x: &DlArray) -> Result<(DlArray, DlArray)> {
    assert!(x.numel() > 0, "empty input");
    debug_assert!(x.ndims() == 2);
    println!("chatty: x has {} elements, first = {}", x.numel(), x.get(0));
    #[allow(unused_variables)]
    let unused = x * 2.0;
    let y = sum(&(x.tanh() * x), All);
    println!("chatty: y = {}", y.get(0));
    let g = dlgradient(&y, x)?;
    println!("chatty: |g| = {}", norm(&g).get(0));
    Ok((y, g))
}

#[test]
fn chatty_gradient() -> Result<()> {
    let x = dlarray([0.3, -0.8, 1.1]);
    let (_, g) = dlfeval(chatty, &x)?;
    // d/dx x·tanh(x) = tanh(x) + x·(1 − tanh²(x))
    let expected: Vec<f64> = x.to_vec().iter().map(|v| v.tanh() + v * (1.0 - v.tanh().powi(2))).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    assert_passed(&gradcheck(chatty, &x)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 10. `let` shadowing.

#[differentiable]
fn shadowed(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = x * 2.0;
    let y = y.sin();
    let y = sum(&y, All) + 1.0;
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn shadowed_gradient() -> Result<()> {
    let x = dlarray([0.1, 0.7, -2.0]);
    let (y, g) = dlfeval(shadowed, &x)?;
    // y = Σ sin(2x) + 1, dy/dx = 2·cos(2x)
    let expected: Vec<f64> = x.to_vec().iter().map(|v| 2.0 * (2.0 * v).cos()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    let yv: f64 = x.to_vec().iter().map(|v| (2.0 * v).sin()).sum::<f64>() + 1.0;
    assert_close(&[y.get(0)], &[yv], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 11. `let mut` reassigned in branches, on a plain flag and on a plain value.

#[differentiable]
fn reassigned(x: &DlArray, square: bool) -> Result<(DlArray, DlArray)> {
    let mut y = x.exp();
    if square {
        y = &y * &y;
    } else {
        y = y + x;
    }
    let mut loss = sum(&y, All);
    if loss.get(0) > 100.0 {
        loss = loss * 0.01;
    }
    let g = dlgradient(&loss, x)?;
    Ok((loss, g))
}

#[test]
fn reassigned_gradient_in_each_branch() -> Result<()> {
    let x = dlarray([0.5, -1.0]);
    // square: loss = Σe^{2x}, d/dx = 2e^{2x}
    let (_, g) = dlfeval(reassigned, (&x, true))?;
    assert_close(&g.to_vec(), &[2.0 * 1.0_f64.exp(), 2.0 * (-2.0_f64).exp()], 1e-12);
    // not square: loss = Σ(e^x + x), d/dx = e^x + 1
    let (_, g) = dlfeval(reassigned, (&x, false))?;
    assert_close(&g.to_vec(), &[0.5_f64.exp() + 1.0, (-1.0_f64).exp() + 1.0], 1e-12);
    // large values take the rescaling branch: loss = 0.01·Σe^{2x}, d/dx = 0.02·e^{2x}
    let big = dlarray([3.0, 2.0]);
    let (_, g) = dlfeval(reassigned, (&big, true))?;
    assert_close(&g.to_vec(), &[0.02 * 6.0_f64.exp(), 0.02 * 4.0_f64.exp()], 1e-12);
    Ok(())
}

//! Loops: several loops into one accumulator, nested loops, `while` on traced values, `loop`/`break`,
//! `continue`, temporaries borrowed in a loop, compound assignment, a piecewise loss and an
//! explicit-Euler integrator.

use autodiff::prelude::*;

use crate::{assert_close, assert_passed};

// ---------------------------------------------------------------------------------------------
// 12. Two loops in sequence accumulating into the same variable.

#[differentiable]
fn two_passes(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let mut total = dlarray(0.0);
    for i in 0..n {
        total = total + x[i].powi(2);
    }
    for i in 0..n {
        total = total + 3.0 * x[i];
    }
    let g = dlgradient(&total, x)?;
    Ok((total, g))
}

#[test]
fn two_passes_gradient() -> Result<()> {
    let x = dlarray([1.0, -2.0, 0.5]);
    let (t, g) = dlfeval(two_passes, &x)?;
    // total = Σx² + 3Σx, d/dx = 2x + 3
    assert_close(&g.to_vec(), &[5.0, -1.0, 4.0], 1e-12);
    assert_close(&[t.get(0)], &[1.0 + 4.0 + 0.25 + 3.0 * (1.0 - 2.0 + 0.5)], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 13. Three loops in sequence on the same accumulator (the third one rescales it).

#[differentiable]
fn three_passes(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let mut total = dlarray(0.0);
    for i in 0..n {
        total = total + x[i].powi(2);
    }
    for i in 0..n - 1 {
        total = total + x[i] * x[i + 1];
    }
    for _ in 0..2 {
        total = total * 1.5;
    }
    let g = dlgradient(&total, x)?;
    Ok((total, g))
}

#[test]
fn three_passes_gradient() -> Result<()> {
    let x = dlarray([1.0, -2.0, 0.5, 3.0]);
    let (_, g) = dlfeval(three_passes, &x)?;
    // total = 2.25·(Σx_i² + Σx_i·x_{i+1}); d/dx_i = 2.25·(2x_i + x_{i−1} + x_{i+1})
    let v = x.to_vec();
    let expected: Vec<f64> = (0..4)
        .map(|i| {
            let left = if i > 0 { v[i - 1] } else { 0.0 };
            let right = if i < 3 { v[i + 1] } else { 0.0 };
            2.25 * (2.0 * v[i] + left + right)
        })
        .collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    assert_passed(&gradcheck(three_passes, &x)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 14. Nested loops: a quadratic form with a plain matrix.

const A: [[f64; 3]; 3] = [[2.0, 1.0, 0.0], [-1.0, 3.0, 0.5], [0.0, 4.0, 1.0]];

#[differentiable]
fn quadratic_form(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut q = dlarray(0.0);
    for i in 0..3 {
        for j in 0..3 {
            if A[i][j] == 0.0 {
                continue;
            }
            q = q + A[i][j] * x[i] * x[j];
        }
    }
    let g = dlgradient(&q, x)?;
    Ok((q, g))
}

#[test]
fn quadratic_form_gradient() -> Result<()> {
    let x = dlarray([1.0, 2.0, -1.0]);
    let (_, g) = dlfeval(quadratic_form, &x)?;
    // q = xᵀAx, dq/dx = (A + Aᵀ)x
    let v = x.to_vec();
    let expected: Vec<f64> = (0..3).map(|i| (0..3).map(|j| (A[i][j] + A[j][i]) * v[j]).sum()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 15. `while` loop whose condition is computed from traced values: Newton's square root.

#[differentiable]
fn newton_sqrt(a: &DlArray) -> Result<(DlArray, DlArray)> {
    let tol = 1e-13;
    let mut r = dlarray(1.0);
    let mut iters = 0;
    while !(extractdata(&(&r * &r - a)).sum().abs() < tol) && iters < 60 {
        r = 0.5 * (&r + a / &r);
        iters += 1;
    }
    let y = sum(&r, All);
    let g = dlgradient(&y, a)?;
    Ok((y, g))
}

#[test]
fn newton_sqrt_gradient() -> Result<()> {
    let a = dlarray(2.0);
    let (r, g) = dlfeval(newton_sqrt, &a)?;
    // r = √a, dr/da = 1/(2√a)
    assert_close(&[r.get(0)], &[2.0_f64.sqrt()], 1e-12);
    assert_close(&g.to_vec(), &[0.5 / 2.0_f64.sqrt()], 1e-9);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 15b. The same Newton iteration with the condition written with `get` instead of `extractdata`.

#[differentiable]
fn newton_sqrt_get(a: &DlArray) -> Result<(DlArray, DlArray)> {
    let tol = 1e-13;
    let mut r = dlarray(1.0);
    let mut iters = 0;
    while (r.get(0) * r.get(0) - a.get(0)).abs() >= tol && iters < 60 {
        r = 0.5 * (&r + a / &r);
        iters += 1;
    }
    let y = sum(&r, All);
    let g = dlgradient(&y, a)?;
    Ok((y, g))
}

#[test]
fn newton_sqrt_get_gradient() -> Result<()> {
    for a0 in [2.0, 9.0, 0.3] {
        let (r, g) = dlfeval(newton_sqrt_get, &dlarray(a0))?;
        // r = √a, dr/da = 1/(2√a)
        assert_close(&[r.get(0)], &[a0.sqrt()], 1e-12);
        assert_close(&g.to_vec(), &[0.5 / a0.sqrt()], 1e-9);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 16. `while` whose trip count depends on the value: add e^x until the total passes 10.

#[differentiable]
fn add_until(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut total = dlarray(0.0);
    let mut count = 0usize;
    while extractdata(&total).sum() < 10.0 {
        total = total + sum(&x.exp(), All);
        count += 1;
    }
    println!("add_until: {count} iterations");
    let g = dlgradient(&total, x)?;
    Ok((total, g))
}

#[test]
fn add_until_gradient() -> Result<()> {
    let x = dlarray([0.1, 0.2]);
    let (_, g) = dlfeval(add_until, &x)?;
    // total = count·Σe^x with count = ceil(10 / Σe^x); d/dx = count·e^x
    let s: f64 = x.to_vec().iter().map(|v| v.exp()).sum();
    let count = (10.0 / s).ceil();
    assert!(count >= 2.0);
    let expected: Vec<f64> = x.to_vec().iter().map(|v| count * v.exp()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 17. `loop` with `break`.

#[differentiable]
fn fourth_power(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut p = x * 1.0;
    let mut k = 1;
    loop {
        p = &p * x;
        k += 1;
        if k == 4 {
            break;
        }
    }
    let y = sum(&p, All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn fourth_power_gradient() -> Result<()> {
    let x = dlarray([1.5, -0.5, 2.0]);
    let (y, g) = dlfeval(fourth_power, &x)?;
    // y = Σx⁴, dy/dx = 4x³
    let expected: Vec<f64> = x.to_vec().iter().map(|v| 4.0 * v.powi(3)).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    assert_close(&[y.get(0)], &[x.to_vec().iter().map(|v| v.powi(4)).sum()], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 18. `continue`.

#[differentiable]
fn even_exp(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray(0.0);
    for i in 0..x.numel() {
        if i % 2 == 1 {
            continue;
        }
        s = s + x[i].exp();
    }
    let g = dlgradient(&s, x)?;
    Ok((s, g))
}

#[test]
fn even_exp_gradient() -> Result<()> {
    let x = dlarray([0.0, 1.0, 2.0, 3.0, -1.0]);
    let (_, g) = dlfeval(even_exp, &x)?;
    // only even positions count: d/dx_i = e^{x_i} for even i, 0 for odd i
    assert_close(&g.to_vec(), &[1.0, 0.0, 2.0_f64.exp(), 0.0, (-1.0_f64).exp()], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 19. A temporary borrowed inside the loop: `let t = &(x * k); s = s + t;`.

#[differentiable]
fn borrowed_temporaries(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = zeros_like(x);
    for k in 0..3 {
        let t = &(x * (k as f64 + 1.0));
        s = s + t;
    }
    let loss = sum(&(s * x), All);
    let g = dlgradient(&loss, x)?;
    Ok((loss, g))
}

#[test]
fn borrowed_temporaries_gradient() -> Result<()> {
    let x = dlarray([1.0, -2.0]);
    let (_, g) = dlfeval(borrowed_temporaries, &x)?;
    // s = (1+2+3)x = 6x, loss = 6Σx², d/dx = 12x
    assert_close(&g.to_vec(), &[12.0, -24.0], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 20. Compound assignment operators.

#[differentiable]
fn compound(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = x * 1.0;
    s += x.sin();
    s *= 2.0;
    s -= &(x * 0.5);
    let loss = sum(&(s * x), All);
    let g = dlgradient(&loss, x)?;
    Ok((loss, g))
}

#[test]
fn compound_gradient() -> Result<()> {
    let x = dlarray([0.4, -1.3, 2.2]);
    let (_, g) = dlfeval(compound, &x)?;
    // s = 1.5x + 2 sin x, loss = Σ(1.5x² + 2x sin x), d/dx = 3x + 2 sin x + 2x cos x
    let expected: Vec<f64> = x.to_vec().iter().map(|v| 3.0 * v + 2.0 * v.sin() + 2.0 * v * v.cos()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 21. A Huber-like piecewise loss written with `if` on `x.get(i)`.

#[differentiable]
fn huber_like(x: &DlArray, delta: f64) -> Result<(DlArray, DlArray)> {
    let mut loss = dlarray(0.0);
    for i in 0..x.numel() {
        let r = x.get(i);
        if r.abs() <= delta {
            loss = loss + 0.5 * x[i].powi(2);
        } else if r > 0.0 {
            loss = loss + delta * (x[i] - 0.5 * delta);
        } else {
            loss = loss - delta * (x[i] + 0.5 * delta);
        }
    }
    let g = dlgradient(&loss, x)?;
    Ok((loss, g))
}

#[test]
fn huber_like_gradient() -> Result<()> {
    let x = dlarray([0.3, 2.5, -4.0, -0.9]);
    let delta = 1.0;
    let (loss, g) = dlfeval(huber_like, (&x, delta))?;
    // h'(r) = r for |r| ≤ δ, δ·sign(r) otherwise
    assert_close(&g.to_vec(), &[0.3, 1.0, -1.0, -0.9], 1e-12);
    // h(r) = r²/2 or δ(|r| − δ/2)
    assert_close(&[loss.get(0)], &[0.045 + 2.0 + 3.5 + 0.405], 1e-12);
    // the library's huber (transition 1, divided by N = 4) agrees
    let lib = huber(&x, &zeros_like(&x));
    assert_close(&[lib.get(0) * 4.0], &[loss.get(0)], 1e-12);
    assert_passed(&gradcheck(|x: &DlArray| huber_like(x, 0.5), &dlarray([0.2, 1.7, -0.1, -2.0]))?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 22. A physics-style integrator: explicit Euler steps of a spring, x'' = −k x.

#[differentiable]
fn spring_energy(state0: &DlArray, k: f64, dt: f64, steps: usize) -> Result<(DlArray, DlArray)> {
    let mut pos = state0[0] * 1.0;
    let mut vel = state0[1] * 1.0;
    for _ in 0..steps {
        let acc = -k * &pos;
        let new_pos = &pos + dt * &vel;
        vel = &vel + dt * acc;
        pos = new_pos;
    }
    let energy = 0.5 * k * pos.powi(2) + 0.5 * vel.powi(2);
    let g = dlgradient(&energy, state0)?;
    Ok((energy, g))
}

#[test]
fn spring_energy_gradient() -> Result<()> {
    let (k, dt, steps) = (4.0, 0.05, 20);
    let s0 = dlarray([1.0, 0.5]);
    let (e, g) = dlfeval(spring_energy, (&s0, k, dt, steps))?;
    // One step is s ← M s with M = [[1, dt], [−k·dt, 1]]; s_n = Mⁿ s₀, E = ½ s_nᵀ D s_n with
    // D = diag(k, 1), so dE/ds₀ = (Mⁿ)ᵀ D s_n.
    let mut mn = [[1.0, 0.0], [0.0, 1.0]];
    let m = [[1.0, dt], [-k * dt, 1.0]];
    for _ in 0..steps {
        let mut next = [[0.0; 2]; 2];
        for i in 0..2 {
            for j in 0..2 {
                next[i][j] = m[i][0] * mn[0][j] + m[i][1] * mn[1][j];
            }
        }
        mn = next;
    }
    let s = s0.to_vec();
    let sn = [mn[0][0] * s[0] + mn[0][1] * s[1], mn[1][0] * s[0] + mn[1][1] * s[1]];
    let dsn = [k * sn[0], sn[1]];
    let expected = [mn[0][0] * dsn[0] + mn[1][0] * dsn[1], mn[0][1] * dsn[0] + mn[1][1] * dsn[1]];
    assert_close(&[e.get(0)], &[0.5 * k * sn[0].powi(2) + 0.5 * sn[1].powi(2)], 1e-12);
    assert_close(&g.to_vec(), &expected, 1e-10);
    assert_passed(&gradcheck(|s: &DlArray| spring_energy(s, k, dt, steps), &s0)?);
    Ok(())
}

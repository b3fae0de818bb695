//! Numerical models: Rosenbrock written three ways, a Gaussian log-likelihood (a tuple of targets),
//! several `dlgradient` calls sharing one forward pass, a gradient w.r.t. an intermediate value, a
//! three-target logistic regression, and second derivatives with `EnableHigherDerivatives(true)`:
//! a Hessian-vector product and a WGAN-GP style gradient penalty.

use autodiff::prelude::*;

use crate::{assert_close, assert_passed};

/// The closed-form gradient of the N-dimensional Rosenbrock function
/// f = Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²:
/// ∂f/∂x_i = −400·x_i·(x_{i+1} − x_i²) − 2(1 − x_i) [i < n−1] + 200(x_i − x_{i−1}²) [i > 0].
fn rosen_grad_closed(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    (0..n)
        .map(|i| {
            let mut g = 0.0;
            if i + 1 < n {
                g += -400.0 * x[i] * (x[i + 1] - x[i] * x[i]) - 2.0 * (1.0 - x[i]);
            }
            if i > 0 {
                g += 200.0 * (x[i] - x[i - 1] * x[i - 1]);
            }
            g
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 40. Rosenbrock, way 1: an indexed accumulation loop.

#[differentiable]
fn rosen_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let mut f = dlarray(0.0);
    for i in 0..n - 1 {
        f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2);
    }
    let g = dlgradient(&f, x)?;
    Ok((f, g))
}

// ---------------------------------------------------------------------------------------------
// 41. Rosenbrock, way 2: vectorized over ranges.

#[differentiable]
fn rosen_vectorized(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let head = x.at(0..n - 1);
    let tail = x.at(1..n);
    let f = sum(&(100.0 * (tail - head.powi(2)).powi(2) + (1.0 - &head).powi(2)), All);
    let g = dlgradient(&f, x)?;
    Ok((f, g))
}

// ---------------------------------------------------------------------------------------------
// 42. Rosenbrock, way 3: a `#[differentiable]` helper for one term, called in a loop.

#[differentiable]
fn rosen_term(a: &DlArray, b: &DlArray) -> DlArray {
    let d = b - a.powi(2);
    100.0 * &d * &d + (1.0 - a).powi(2)
}

#[differentiable]
fn rosen_helper(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut f = dlarray(0.0);
    for i in 0..x.numel() - 1 {
        f = f + rosen_term(&x.at(i), &x.at(i + 1));
    }
    let g = dlgradient(&f, x)?;
    Ok((f, g))
}

/// A model function: value and gradient.
type Model = fn(&DlArray) -> Result<(DlArray, DlArray)>;

#[test]
fn rosenbrock_three_ways_agree_with_closed_form() -> Result<()> {
    // the README's point first
    let x0 = dlarray([-1.0, 2.0]);
    let ways: [Model; 3] = [rosen_loop, rosen_vectorized, rosen_helper];
    for f in ways {
        let (fval, g) = dlfeval(f, &x0)?;
        assert_eq!(fval.get(0), 104.0);
        assert_close(&g.to_vec(), &[396.0, 200.0], 1e-12);
    }
    // then a 5-dimensional point
    let x = dlarray([0.5, -1.2, 1.0, 0.3, 2.0]);
    let expected = rosen_grad_closed(&x.to_vec());
    let (f1, g1) = dlfeval(rosen_loop, &x)?;
    let (f2, g2) = dlfeval(rosen_vectorized, &x)?;
    let (f3, g3) = dlfeval(rosen_helper, &x)?;
    assert_close(&g1.to_vec(), &expected, 1e-12);
    assert_close(&g2.to_vec(), &expected, 1e-12);
    assert_close(&g3.to_vec(), &expected, 1e-12);
    assert_close(&[f2.get(0), f3.get(0)], &[f1.get(0), f1.get(0)], 1e-12);
    assert_passed(&gradcheck(rosen_helper, &x)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 43. Gaussian negative log-likelihood; the gradient w.r.t. a tuple (μ, log σ).

#[differentiable]
fn gaussian_nll(mu: &DlArray, log_sigma: &DlArray, data: &[f64]) -> Result<(DlArray, (DlArray, DlArray))> {
    const LN_2PI: f64 = 1.8378770664093453;
    let n = data.len() as f64;
    let sigma = log_sigma.exp();
    let mut sq = dlarray(0.0);
    for &d in data {
        sq = sq + ((d - mu) / &sigma).powi(2);
    }
    let nll = 0.5 * sq + n * log_sigma + 0.5 * n * LN_2PI;
    let grads = dlgradient(&nll, (mu, log_sigma))?;
    Ok((nll, grads))
}

#[test]
fn gaussian_nll_gradient() -> Result<()> {
    let data = [1.0, 2.5, 0.3, 1.7, -0.4];
    let (mu, ls) = (0.8, 0.2_f64);
    let (nll, (gmu, gls)) = dlfeval(gaussian_nll, (&dlarray(mu), &dlarray(ls), &data[..]))?;
    // d/dμ = −Σ(d − μ)/σ², d/dlog σ = n − Σ(d − μ)²/σ²
    let s2 = (2.0 * ls).exp();
    let r1: f64 = data.iter().map(|d| d - mu).sum();
    let r2: f64 = data.iter().map(|d| (d - mu).powi(2)).sum();
    assert_close(&gmu.to_vec(), &[-r1 / s2], 1e-12);
    assert_close(&gls.to_vec(), &[5.0 - r2 / s2], 1e-12);
    let expected_nll = 0.5 * r2 / s2 + 5.0 * ls + 2.5 * (2.0 * std::f64::consts::PI).ln();
    assert_close(&[nll.get(0)], &[expected_nll], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 44. Several `dlgradient` calls sharing one forward computation (a GAN's two losses).

#[differentiable]
fn gan_losses(generator: &DlArray, disc: &DlArray, #[untraced] z: &DlArray) -> Result<(DlArray, DlArray)> {
    let fake = generator * z;
    let d_fake = (disc * &fake).sigmoid();
    let loss_g = -sum(&d_fake.log(), All);
    let loss_d = -sum(&(1.0 - &d_fake).log(), All);
    let g_gen = dlgradient(&loss_g, generator)?;
    let g_disc = dlgradient(&loss_d, disc)?;
    Ok((g_gen, g_disc))
}

#[test]
fn gan_losses_gradients() -> Result<()> {
    let (gen_v, disc_v) = (0.7, -1.3);
    let z = dlarray([0.5, -1.0, 2.0]);
    let (gg, gd) = dlfeval(gan_losses, (&dlarray(gen_v), &dlarray(disc_v), &z))?;
    // s_j = σ(d·g·z_j): d/dg (−Σ ln s) = −Σ(1 − s_j)·d·z_j; d/dd (−Σ ln(1 − s)) = Σ s_j·g·z_j
    let sig = |v: f64| 1.0 / (1.0 + (-v).exp());
    let zs = z.to_vec();
    let eg: f64 = zs.iter().map(|z| -(1.0 - sig(disc_v * gen_v * z)) * disc_v * z).sum();
    let ed: f64 = zs.iter().map(|z| sig(disc_v * gen_v * z) * gen_v * z).sum();
    assert_close(&gg.to_vec(), &[eg], 1e-12);
    assert_close(&gd.to_vec(), &[ed], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 45. A gradient w.r.t. an intermediate value (and the input, in one call).

#[differentiable]
fn intermediate_target(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let h = x.exp();
    let y = sum(&h.sin(), All);
    let (gh, gx) = dlgradient(&y, (&h, x))?;
    Ok((gh, gx))
}

#[test]
fn intermediate_target_gradient() -> Result<()> {
    let x = dlarray([0.0, 0.5, -1.0]);
    let (gh, gx) = dlfeval(intermediate_target, &x)?;
    // y = Σ sin(h), h = e^x: dy/dh = cos h, dy/dx = cos(h)·h
    let h: Vec<f64> = x.to_vec().iter().map(|v| v.exp()).collect();
    assert_close(&gh.to_vec(), &h.iter().map(|h| h.cos()).collect::<Vec<_>>(), 1e-12);
    assert_close(&gx.to_vec(), &h.iter().map(|h| h.cos() * h).collect::<Vec<_>>(), 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 46. A tuple of three targets: logistic regression w.r.t. weights, bias and inputs.

// COMPILE ERROR: returning a plain struct of gradients: "`#[differentiable]` does not know what the gradient of `LogisticGrads` is", "the trait bound `LogisticGrads: Clone` is not satisfied"
#[cfg(realistic_compile_errors)]
#[derive(Debug)]
struct LogisticGrads {
    w: DlArray,
    b: DlArray,
    x: DlArray,
}

#[cfg(realistic_compile_errors)]
#[differentiable]
fn logistic_three(w: &DlArray, b: &DlArray, x: &DlArray, #[untraced] t: &DlArray) -> Result<(DlArray, LogisticGrads)> {
    let z = w.matmul(x) + b;
    let p = sigmoid(&z);
    let loss = -mean(&(t * p.log() + (1.0 - t) * (1.0 - &p).log()), All);
    let (gw, gb, gx) = dlgradient(&loss, (w, b, x))?;
    Ok((loss, LogisticGrads { w: gw, b: gb, x: gx }))
}

#[cfg(realistic_compile_errors)]
#[test]
fn logistic_three_gradient() -> Result<()> {
    let w = dlarray([[0.5, -1.0, 0.25]]);
    let b = dlarray(0.1);
    let x = dlarray([[1.0, 0.0, -1.0, 2.0], [0.5, 1.5, 0.0, -1.0], [2.0, -0.5, 1.0, 0.0]]);
    let t = dlarray([[1.0, 0.0, 0.0, 1.0]]);
    let (_, g) = dlfeval(logistic_three, (&w, &b, &x, &t))?;
    // dz = (p − t)/N; dW = dz·xᵀ, db = Σ dz, dX = wᵀ·dz
    let p = sigmoid(&(w.matmul(&x) + &b));
    let dz = (p - &t) / 4.0;
    assert_close(&g.w.to_vec(), &dz.matmul(&x.transpose()).to_vec(), 1e-12);
    assert_close(&g.b.to_vec(), &[sum(&dz, All).get(0)], 1e-12);
    assert_close(&g.x.to_vec(), &w.transpose().matmul(&dz).to_vec(), 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 46b. The same three targets, returned as a tuple.

#[differentiable]
fn logistic_three_tuple(
    w: &DlArray,
    b: &DlArray,
    x: &DlArray,
    #[untraced] t: &DlArray,
) -> Result<(DlArray, (DlArray, DlArray, DlArray))> {
    let z = w.matmul(x) + b;
    let p = sigmoid(&z);
    let loss = -mean(&(t * p.log() + (1.0 - t) * (1.0 - &p).log()), All);
    let grads = dlgradient(&loss, (w, b, x))?;
    Ok((loss, grads))
}

#[test]
fn logistic_three_tuple_gradient() -> Result<()> {
    let w = dlarray([[0.5, -1.0, 0.25]]);
    let b = dlarray(0.1);
    let x = dlarray([[1.0, 0.0, -1.0, 2.0], [0.5, 1.5, 0.0, -1.0], [2.0, -0.5, 1.0, 0.0]]);
    let t = dlarray([[1.0, 0.0, 0.0, 1.0]]);
    let (_, (gw, gb, gx)) = dlfeval(logistic_three_tuple, (&w, &b, &x, &t))?;
    // dz = (p − t)/N; dW = dz·xᵀ, db = Σ dz, dX = wᵀ·dz
    let p = sigmoid(&(w.matmul(&x) + &b));
    let dz = (p - &t) / 4.0;
    assert_close(&gw.to_vec(), &dz.matmul(&x.transpose()).to_vec(), 1e-12);
    assert_close(&gb.to_vec(), &[sum(&dz, All).get(0)], 1e-12);
    assert_close(&gx.to_vec(), &w.transpose().matmul(&dz).to_vec(), 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 47. A Hessian-vector product of Rosenbrock with EnableHigherDerivatives(true).

#[differentiable]
fn rosen_value(x: &DlArray) -> DlArray {
    let mut f = dlarray(0.0);
    for i in 0..x.numel() - 1 {
        f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2);
    }
    f
}

/// The gradient through the helper (a `#[differentiable]` fn returning a plain `DlArray`).
#[differentiable]
fn rosen_via_value(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let f = rosen_value(x);
    let g = dlgradient(&f, x)?;
    Ok((f, g))
}

#[test]
fn rosen_via_value_gradient() -> Result<()> {
    let x = dlarray([0.5, -1.2, 1.0, 0.3]);
    let (_, g) = dlfeval(rosen_via_value, &x)?;
    assert_close(&g.to_vec(), &rosen_grad_closed(&x.to_vec()), 1e-12);
    Ok(())
}

// COMPILE ERROR: "`EnableHigherDerivatives(true)` is not supported by this macro core yet" (documented)
#[cfg(realistic_compile_errors)]
#[differentiable]
fn rosen_hvp(x: &DlArray, #[untraced] v: &DlArray) -> Result<DlArray> {
    let f = rosen_value(x);
    let g = dlgradient(&f, x, EnableHigherDerivatives(true))?;
    let hv = dlgradient(&sum(&(g * v), All), x)?;
    Ok(hv)
}

#[cfg(realistic_compile_errors)]
#[test]
fn rosen_hvp_matches_finite_differences_of_the_gradient() -> Result<()> {
    let x = dlarray([0.5, -1.2, 1.0, 0.3]);
    let v = dlarray([1.0, -0.5, 0.25, 2.0]);
    let hv = dlfeval(rosen_hvp, (&x, &v))?;
    // H·v ≈ (∇f(x + h·v) − ∇f(x − h·v)) / 2h
    let h = 1e-5;
    let (_, gp) = dlfeval(rosen_loop, &(&x + &(&v * h)))?;
    let (_, gm) = dlfeval(rosen_loop, &(&x - &(&v * h)))?;
    let fd: Vec<f64> = gp.to_vec().iter().zip(gm.to_vec()).map(|(a, b)| (a - b) / (2.0 * h)).collect();
    assert_close(&hv.to_vec(), &fd, 1e-6);
    // and in 2-D against the closed-form Hessian [[1200x₀² − 400x₁ + 2, −400x₀], [−400x₀, 200]]
    let x2 = dlarray([-1.0, 2.0]);
    let v2 = dlarray([0.3, -0.7]);
    let hv2 = dlfeval(rosen_hvp, (&x2, &v2))?;
    let (a, b) = (-1.0, 2.0);
    let (h11, h12, h22) = (1200.0 * a * a - 400.0 * b + 2.0, -400.0 * a, 200.0);
    assert_close(&hv2.to_vec(), &[h11 * 0.3 + h12 * -0.7, h12 * 0.3 + h22 * -0.7], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 48. A gradient penalty mean((‖∇ₓD(x)‖ − 1)²) differentiated w.r.t. D's parameters.

#[derive(Clone, Learnables)]
struct Critic {
    w1: DlArray,
    b1: DlArray,
    w2: DlArray,
}

#[differentiable]
fn critic(d: &Critic, x: &DlArray) -> DlArray {
    let h = (d.w1.matmul(x) + &d.b1).tanh();
    d.w2.matmul(&h)
}

/// ∇ₓ Σ D(x), first order only (used by the test to build finite differences).
#[differentiable]
fn critic_input_grad(d: &Critic, x: &DlArray) -> Result<DlArray> {
    let score = sum(&critic(d, x), All);
    dlgradient(&score, x)
}

#[test]
fn critic_input_grad_closed_form() -> Result<()> {
    rng(5);
    let d = Critic { w1: randn::<f64>(&[3, 2]), b1: randn::<f64>(&[3, 1]), w2: randn::<f64>(&[1, 3]) };
    let x = randn::<f64>(&[2, 4]);
    let gx = dlfeval(critic_input_grad, (&d, &x))?;
    // ∇ₓ Σ w₂·tanh(W₁x + b₁) = W₁ᵀ·(w₂ᵀ ⊙ (1 − tanh²(W₁x + b₁)))
    let h = (d.w1.matmul(&x) + &d.b1).tanh();
    let expected = d.w1.transpose().matmul(&(d.w2.transpose() * (1.0 - h.powi(2))));
    assert_close(&gx.to_vec(), &expected.to_vec(), 1e-12);
    Ok(())
}

#[differentiable]
fn gradient_penalty(d: &Critic, x: &DlArray) -> Result<(DlArray, Critic)> {
    let score = sum(&critic(d, x), All);
    let gx = dlgradient(&score, x, EnableHigherDerivatives(true))?;
    let norms = sum(&gx.powi(2), 0).sqrt();
    let penalty = mean(&(norms - 1.0).powi(2), All);
    let gd = dlgradient(&penalty, d)?;
    Ok((penalty, gd))
}

/// The penalty computed without second derivatives: ∇ₓD by `critic_input_grad`, the rest plain.
fn penalty_value(d: &Critic, x: &DlArray) -> Result<f64> {
    let gx = dlfeval(critic_input_grad, (d, x))?;
    let (rows, cols) = (gx.size()[0], gx.size()[1]);
    let mut total = 0.0;
    for j in 0..cols {
        let n: f64 = (0..rows).map(|i| gx.get(i + rows * j).powi(2)).sum::<f64>().sqrt();
        total += (n - 1.0).powi(2);
    }
    Ok(total / cols as f64)
}

/// `d` with element `k` of its `which`-th parameter moved by `h`.
fn perturbed(d: &Critic, which: usize, k: usize, h: f64) -> Critic {
    let mut idx = 0;
    d.map(&mut |p| {
        let out = if idx == which { p.assign(k, &(p.get(k) + h)) } else { p.clone() };
        idx += 1;
        out
    })
}

#[test]
fn gradient_penalty_matches_finite_differences() -> Result<()> {
    rng(11);
    let d = Critic { w1: randn::<f64>(&[4, 2]), b1: randn::<f64>(&[4, 1]) * 0.3, w2: randn::<f64>(&[1, 4]) };
    let x = randn::<f64>(&[2, 5]);
    let (penalty, gd) = dlfeval(gradient_penalty, (&d, &x))?;
    assert_close(&[penalty.get(0)], &[penalty_value(&d, &x)?], 1e-12);
    let h = 1e-6;
    let params = gd.parameters();
    assert_eq!(params.len(), 3);
    for (which, (name, g)) in params.iter().enumerate() {
        for k in 0..g.numel() {
            let fp = penalty_value(&perturbed(&d, which, k, h), &x)?;
            let fm = penalty_value(&perturbed(&d, which, k, -h), &x)?;
            let fd = (fp - fm) / (2.0 * h);
            assert!(
                (g.get(k) - fd).abs() <= 1e-6 + 1e-4 * fd.abs(),
                "{name}[{k}]: analytic {} vs numeric {fd}",
                g.get(k)
            );
        }
    }
    assert_passed(&gradcheck(|d: &Critic| gradient_penalty(d, &x), &d)?);
    Ok(())
}

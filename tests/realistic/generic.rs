//! Generic models over `T: Real`, tested in f32 and f64, and f32 models end to end.

use autodiff::prelude::*;

use crate::{assert_close, assert_close_f32, assert_passed};

// ---------------------------------------------------------------------------------------------
// 57. A generic softplus energy.

#[differentiable]
fn softplus_energy<T: Real>(x: &DlArray<T>) -> Result<(DlArray<T>, DlArray<T>)> {
    let y = sum(&(softplus(x) + 0.5 * x.powi(2)), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn softplus_energy_f64_and_f32() -> Result<()> {
    let v = [-2.0, -0.1, 0.0, 1.5, 30.0];
    let sig = |z: f64| 1.0 / (1.0 + (-z).exp());
    // d/dx Σ(softplus(x) + x²/2) = σ(x) + x
    let expected: Vec<f64> = v.iter().map(|&z| sig(z) + z).collect();

    let x64 = dlarray(v);
    let (_, g64) = dlfeval(softplus_energy::<f64>, &x64)?;
    assert_close(&g64.to_vec(), &expected, 1e-12);
    assert_passed(&gradcheck(softplus_energy::<f64>, &dlarray([-2.0, -0.1, 0.3, 1.5]))?);

    let x32 = dlarray(v.map(|z| z as f32));
    let (y32, g32) = dlfeval(softplus_energy::<f32>, &x32)?;
    assert_eq!(g32.class(), "single");
    assert_eq!(y32.class(), "single");
    assert_close_f32(&g32.to_vec(), &expected, 1e-5);
    let opts = GradcheckOptions { step: 1e-2, atol: 1e-2, rtol: 1e-2 };
    assert_passed(&gradcheck_with(softplus_energy::<f32>, &dlarray([-2.0_f32, -0.1, 0.3, 1.5]), opts)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 58. A generic centered variance with a usize → f64 cast.

#[differentiable]
fn centered_energy<T: Real>(x: &DlArray<T>) -> Result<(DlArray<T>, DlArray<T>)> {
    let n = x.numel() as f64;
    let centered = x - mean(x, All);
    let y = sum(&centered.powi(2), All) / n;
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn centered_energy_f64_and_f32() -> Result<()> {
    let v = [1.0, 4.0, -2.0, 0.5];
    let m = v.iter().sum::<f64>() / 4.0;
    // y = Σ(x − x̄)²/n, dy/dx = 2(x − x̄)/n (the x̄ term contributes Σ(x − x̄) = 0)
    let expected: Vec<f64> = v.iter().map(|z| 2.0 * (z - m) / 4.0).collect();
    let (_, g64) = dlfeval(centered_energy::<f64>, &dlarray(v))?;
    assert_close(&g64.to_vec(), &expected, 1e-12);
    let (_, g32) = dlfeval(centered_energy::<f32>, &dlarray(v.map(|z| z as f32)))?;
    assert_close_f32(&g32.to_vec(), &expected, 1e-6);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 59. An f32 model with f32 scalars, also after dlgradient (`&g * 0.5_f32`).

#[differentiable]
fn f32_model(x: &DlArray<f32>, w: f32) -> Result<(DlArray<f32>, DlArray<f32>)> {
    let y = sum(&(x.powi(2) * 1.5_f32 + x * w), All);
    let g = dlgradient(&y, x)?;
    let g_half = &g * 0.5_f32;
    Ok((y, g_half))
}

#[test]
fn f32_model_gradient() -> Result<()> {
    let x = dlarray([1.0_f32, -2.0, 0.25]);
    let w = 0.5_f32;
    let (y, g_half) = dlfeval(f32_model, (&x, w))?;
    assert_eq!(y.class(), "single");
    // y = Σ(1.5x² + w x), dy/dx = 3x + w, halved: 1.5x + w/2
    assert_close_f32(&g_half.to_vec(), &[1.5 + 0.25, -3.0 + 0.25, 0.375 + 0.25], 1e-6);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 60. An f32 logistic unit trained with mse.

#[differentiable]
fn f32_logistic(
    w: &DlArray<f32>,
    #[untraced] x: &DlArray<f32>,
    #[untraced] t: &DlArray<f32>,
) -> Result<(DlArray<f32>, DlArray<f32>)> {
    let p = sigmoid(&w.matmul(x));
    let loss = mse(&p, t);
    let g = dlgradient(&loss, w)?;
    Ok((loss, g))
}

#[test]
fn f32_logistic_gradient() -> Result<()> {
    let w = dlarray([[0.5_f32, -0.25]]);
    let x = dlarray([[1.0_f32, 2.0, -1.0], [0.0, 1.0, 3.0]]);
    let t = dlarray([[1.0_f32, 0.0, 1.0]]);
    let (_, g) = dlfeval(f32_logistic, (&w, &x, &t))?;
    // mse = Σ(p − t)²/(2N), N = 3 observations; dz = (p − t)·p(1 − p)/N; dW = dz·xᵀ
    let (wv, xv, tv) = (w.to_vec(), x.to_vec(), t.to_vec());
    let mut expected = [0.0_f64; 2];
    for j in 0..3 {
        let (x0, x1) = (xv[2 * j] as f64, xv[2 * j + 1] as f64);
        let z = wv[0] as f64 * x0 + wv[1] as f64 * x1;
        let p = 1.0 / (1.0 + (-z).exp());
        let dz = (p - tv[j] as f64) * p * (1.0 - p) / 3.0;
        expected[0] += dz * x0;
        expected[1] += dz * x1;
    }
    assert_eq!(g.class(), "single");
    assert_close_f32(&g.to_vec(), &expected, 1e-5);
    Ok(())
}

//! Fallible models: `?` on `try_` forms, early `return Err(..)` on plain conditions, `?` on a
//! fallible `#[differentiable]` helper.

#![allow(unused_imports)] // `assert_passed` is used only by gated models

use autodiff::error::At;
use autodiff::prelude::*;

use crate::{assert_close, assert_passed};

// ---------------------------------------------------------------------------------------------
// 61. `try_matmul(..)?` and early returns.

#[differentiable]
fn checked_affine(w: &DlArray, x: &DlArray, max_norm: f64) -> Result<(DlArray, DlArray)> {
    if w.numel() == 0 {
        return Err(Error::InvalidArgument {
            op: "checked_affine",
            reason: "empty weights".to_string(),
            at: At::caller(),
        });
    }
    let y = try_matmul(w, x)?;
    if norm(&y).get(0) > max_norm {
        return Err(Error::InvalidArgument {
            op: "checked_affine",
            reason: format!("output norm above {max_norm}"),
            at: At::caller(),
        });
    }
    let loss = sum(&y.tanh(), All);
    let g = dlgradient(&loss, w)?;
    Ok((loss, g))
}

#[test]
fn checked_affine_gradient_and_errors() -> Result<()> {
    let w = dlarray([[0.5, -0.2, 0.1], [0.3, 0.8, -0.6]]);
    let x = dlarray([[1.0], [0.5], [-1.0]]);
    let (_, g) = dlfeval(checked_affine, (&w, &x, 10.0))?;
    // dW = (1 − tanh²(Wx))·xᵀ
    let y = w.matmul(&x);
    let dy: Vec<f64> = y.to_vec().iter().map(|v| 1.0 - v.tanh().powi(2)).collect();
    let xv = x.to_vec();
    let expected: Vec<f64> = (0..3).flat_map(|j| (0..2).map(move |i| (i, j))).map(|(i, j)| dy[i] * xv[j]).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    assert_passed(&gradcheck(|w: &DlArray| checked_affine(w, &x, 10.0), &w)?);

    // inner dimensions disagree: the error of try_matmul comes back through `?`
    let bad_x = dlarray([[1.0], [2.0]]);
    let err = dlfeval(checked_affine, (&w, &bad_x, 10.0)).unwrap_err();
    assert!(matches!(err, Error::SizeMismatch { .. }), "{err}");
    // the early return on a plain condition
    let err = dlfeval(checked_affine, (&w, &x, 1e-3)).unwrap_err();
    assert!(err.to_string().contains("output norm above"), "{err}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 62. `try_index(..)?` inside a loop over plain indices.

#[differentiable]
fn pick_and_square(x: &DlArray, picks: &[usize]) -> Result<(DlArray, DlArray)> {
    if picks.is_empty() {
        return Err(Error::InvalidArgument { op: "pick_and_square", reason: "no picks".into(), at: At::caller() });
    }
    let mut total = dlarray(0.0);
    for &k in picks {
        let v = try_index(x, k)?;
        total = total + v.powi(2);
    }
    let g = dlgradient(&total, x)?;
    Ok((total, g))
}

#[test]
fn pick_and_square_gradient_and_errors() -> Result<()> {
    let x = dlarray([1.0, -2.0, 3.0]);
    let (_, g) = dlfeval(pick_and_square, (&x, &[0usize, 2, 2][..]))?;
    // total = x₀² + 2x₂²: gradient [2x₀, 0, 4x₂]
    assert_close(&g.to_vec(), &[2.0, 0.0, 12.0], 1e-12);
    let err = dlfeval(pick_and_square, (&x, &[1usize, 3][..])).unwrap_err();
    assert!(matches!(err, Error::IndexOutOfBounds { .. }), "{err}");
    assert!(dlfeval(pick_and_square, (&x, &[][..])).is_err());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 63–64. `?` on a fallible `#[differentiable]` helper that validates its input.

#[differentiable]
fn safe_log(p: &DlArray) -> Result<DlArray> {
    if extractdata(p).iter().any(|v| *v <= 0.0) {
        return Err(Error::InvalidArgument {
            op: "safe_log",
            reason: "non-positive probability".into(),
            at: At::caller(),
        });
    }
    Ok(p.log())
}

#[differentiable]
fn entropy(p: &DlArray) -> Result<(DlArray, DlArray)> {
    let logp = safe_log(p)?;
    let h = -sum(&(p * logp), All);
    let g = dlgradient(&h, p)?;
    Ok((h, g))
}

#[test]
fn entropy_gradient_and_error() -> Result<()> {
    let p = dlarray([0.2, 0.5, 0.3]);
    let (_, g) = dlfeval(entropy, &p)?;
    // d/dp (−Σ p ln p) = −(ln p + 1)
    let expected: Vec<f64> = p.to_vec().iter().map(|v| -(v.ln() + 1.0)).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    let err = dlfeval(entropy, &dlarray([0.5, 0.0, 0.5])).unwrap_err();
    assert!(err.to_string().contains("non-positive probability"), "{err}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 65–66. Early `return Err(..)` on plain conditions, and `?` on a fallible `#[differentiable]`
//        helper, without `try_` primitives.

#[differentiable]
fn checked_scale(x: &DlArray, s: f64) -> Result<DlArray> {
    if !s.is_finite() || s <= 0.0 {
        return Err(Error::InvalidArgument { op: "checked_scale", reason: format!("bad scale {s}"), at: At::caller() });
    }
    if x.numel() > 100 {
        return Err(Error::InvalidArgument { op: "checked_scale", reason: "too large".to_string(), at: At::caller() });
    }
    Ok(x * s)
}

#[differentiable]
fn scaled_energy(x: &DlArray, s: f64) -> Result<(DlArray, DlArray)> {
    let y = checked_scale(x, s)?;
    let e = sum(&y.powi(2), All);
    if e.get(0) > 1e6 {
        return Err(Error::InvalidArgument {
            op: "scaled_energy",
            reason: "energy overflow".to_string(),
            at: At::caller(),
        });
    }
    let g = dlgradient(&e, x)?;
    Ok((e, g))
}

#[test]
fn scaled_energy_gradient_and_errors() -> Result<()> {
    let x = dlarray([1.0, -2.0, 0.5]);
    let (_, g) = dlfeval(scaled_energy, (&x, 3.0))?;
    // e = Σ(s·x)², de/dx = 2s²x
    assert_close(&g.to_vec(), &[18.0, -36.0, 9.0], 1e-12);
    let err = dlfeval(scaled_energy, (&x, -1.0)).unwrap_err();
    assert!(err.to_string().contains("bad scale -1"), "{err}");
    let err = dlfeval(scaled_energy, (&x, 1e4)).unwrap_err();
    assert!(err.to_string().contains("energy overflow"), "{err}");
    Ok(())
}

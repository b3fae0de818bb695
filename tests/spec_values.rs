//! SPEC §6: the worked values that must come out exactly, and the seed's trace rules (§4) and
//! characteristics (§5).

use autodiff::prelude::*;

// ---------------------------------------------------------------------------------------------------
// Rosenbrock: f = 100(x2 − x1²)² + (1 − x1)² at [-1, 2].
// f = 100·(2 − 1)² + (1 + 1)² = 104; ∂f/∂x1 = −400·x1·(x2 − x1²) − 2(1 − x1) = 400 − 4 = 396;
// ∂f/∂x2 = 200·(x2 − x1²) = 200.

#[differentiable]
fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
    let grad = dlgradient(&f, x)?;
    Ok((f, grad))
}

#[differentiable]
fn rosenbrock2(x1: &DlArray, x2: &DlArray) -> Result<(DlArray, DlArray, DlArray)> {
    let f = 100.0 * (x2 - x1.powi(2)).powi(2) + (1.0 - x1).powi(2);
    let (g1, g2) = dlgradient(&f, (x1, x2))?;
    Ok((f, g1, g2))
}

#[test]
fn rosenbrock_value_and_gradient() {
    let (fval, gradval) = dlfeval(rosenbrock, &dlarray([-1.0, 2.0])).unwrap();
    assert_eq!(fval.to_vec(), vec![104.0]);
    assert_eq!(gradval.size(), &[1, 2]);
    assert_eq!(gradval.to_vec(), vec![396.0, 200.0]);
    assert_eq!(
        format!("fval =\n\n{fval}\ngradval =\n\n{gradval}"),
        "fval =\n\n  1x1 dlarray\n\n   104\n\ngradval =\n\n  1x2 dlarray\n\n   396   200\n"
    );
}

#[test]
fn rosenbrock_two_inputs() {
    let (f, g1, g2) = dlfeval(rosenbrock2, (&dlarray(-1.0), &dlarray(2.0))).unwrap();
    assert_eq!((f.get(0), g1.get(0), g2.get(0)), (104.0, 396.0, 200.0));
}

#[test]
fn rosenbrock_plain_call_is_an_error_without_dlfeval() {
    // MATLAB: dlgradient must be inside a function evaluated by dlfeval.
    let err = rosenbrock(&dlarray([-1.0, 2.0])).unwrap_err();
    assert!(matches!(err, Error::NotInDlfeval { .. }), "{err}");
    assert!(err.to_string().contains("dlfeval"), "{err}");
}

// ---------------------------------------------------------------------------------------------------
// y = x.^2, grad = dlgradient(sum(s .* y, 'all'), x) with x = [1 2; 3 4], s = [0 0; 0 1]:
// val = [1 4; 9 16]; ∂/∂x Σ s·x² = 2·s·x = [0 0; 0 8].

#[differentiable]
fn weighted_square(x: &DlArray, s: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = x.powi(2);
    let grad = dlgradient(&sum(&(s * &y), All), x)?;
    Ok((y, grad))
}

#[test]
fn weighted_square_value_and_gradient() {
    let x = dlarray([[1.0, 2.0], [3.0, 4.0]]);
    let s = dlarray([[0.0, 0.0], [0.0, 1.0]]);
    let (val, grad) = dlfeval(weighted_square, (&x, &s)).unwrap();
    assert_eq!(val, dlarray([[1.0, 4.0], [9.0, 16.0]]));
    assert_eq!(grad, dlarray([[0.0, 0.0], [0.0, 8.0]]));
}

// ---------------------------------------------------------------------------------------------------
// y = Σ sin(θ1·x + θ2), x = 0:10, θ = [1 2]:
// ∂y/∂θ1 = Σ x·cos(θ1·x + θ2), ∂y/∂θ2 = Σ cos(θ1·x + θ2). SPEC: y = −0.9668, dy = [0.6788 −1.1095].

#[differentiable]
fn sine_model(theta: &DlArray, x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&sin(&(theta[0] * x + theta[1])), All);
    let dy = dlgradient(&y, theta)?;
    Ok((y, dy))
}

#[test]
fn sine_model_value_and_gradient() {
    let x = dlarray((0..=10).map(|v| v as f64).collect::<Vec<_>>());
    let (y, dy) = dlfeval(sine_model, (&dlarray([1.0, 2.0]), &x)).unwrap();
    let exact_y: f64 = (0..=10).map(|v| (v as f64 + 2.0).sin()).sum();
    let exact_d1: f64 = (0..=10).map(|v| v as f64 * (v as f64 + 2.0).cos()).sum();
    let exact_d2: f64 = (0..=10).map(|v| (v as f64 + 2.0).cos()).sum();
    assert!((y.get(0) - exact_y).abs() < 1e-12);
    assert!((dy.get(0) - exact_d1).abs() < 1e-12 && (dy.get(1) - exact_d2).abs() < 1e-12);
    // the values SPEC quotes, at MATLAB's display precision
    assert_eq!(format!("{:.4}", y.get(0)), "-0.9668");
    assert_eq!(format!("{:.4} {:.4}", dy.get(0), dy.get(1)), "0.6788 -1.1095");
    assert_eq!(dy.to_string(), "  1x2 dlarray\n\n    0.6788   -1.1095\n");
}

// ---------------------------------------------------------------------------------------------------
// f = x1·exp(−(x1² + x2²)/2) at (2, 0.5): f = 2·e^(−2.125) = 0.238866;
// ∂f/∂x1 = (1 − x1²)·e^(..) = −3·0.119433 = −0.358299; ∂f/∂x2 = −x1·x2·e^(..) = −0.119433.

#[differentiable]
fn gaussian_bump(x1: &DlArray, x2: &DlArray) -> Result<(DlArray, DlArray, DlArray)> {
    let f = x1 * exp(&(-(x1.powi(2) + x2.powi(2)) / 2.0));
    let (d1, d2) = dlgradient(&f, (x1, x2))?;
    Ok((f, d1, d2))
}

#[test]
fn gaussian_bump_value_and_gradient() {
    let (f, d1, d2) = dlfeval(gaussian_bump, (&dlarray(2.0), &dlarray(0.5))).unwrap();
    let e = (-2.125_f64).exp();
    assert!((f.get(0) - 2.0 * e).abs() < 1e-15);
    assert!((d1.get(0) + 3.0 * e).abs() < 1e-15);
    assert!((d2.get(0) + e).abs() < 1e-15);
    assert_eq!(format!("{:.6} {:.6} {:.6}", f.get(0), d1.get(0), d2.get(0)), "0.238866 -0.358299 -0.119433");
}

// ---------------------------------------------------------------------------------------------------
// §4 rule 2: d/dx [x + atan(extractdata(x))] = 1 at any point (extractdata breaks tracing).

#[differentiable]
fn through_extractdata(x: &DlArray) -> Result<DlArray> {
    let y = x + atan(&dlarray(extractdata(x)));
    dlgradient(&y, x)
}

#[test]
fn extractdata_breaks_tracing() {
    for v in [2.5, -1.0, 0.0, 100.0] {
        assert_eq!(dlfeval(through_extractdata, &dlarray(v)).unwrap().to_vec(), vec![1.0]);
    }
    assert_eq!(dlfeval(through_extractdata, &dlarray(2.5)).unwrap().to_string(), "  1x1 dlarray\n\n     1\n");
}

// §4 rule 1: dlgradient(y, x1) is fine although y has an untraced part x2 made inside.

#[differentiable]
fn untraced_part(x1: &DlArray) -> Result<DlArray> {
    let x2 = dlarray(0.0);
    let y = x1 + x2;
    dlgradient(&y, x1)
}

#[test]
fn gradient_with_untraced_part() {
    assert_eq!(dlfeval(untraced_part, &dlarray(3.0)).unwrap().to_vec(), vec![1.0]);
}

// ---------------------------------------------------------------------------------------------------
// §5: relu'(0) = 0 and relu'(eps) = 1, through the MATLAB-style anonymous function.

#[test]
fn relu_at_zero_and_eps() {
    let g =
        |x: f64| dlfeval(differentiable_closure!(|t: &DlArray| dlgradient(&relu(t), t)), &dlarray(x)).unwrap().get(0);
    assert_eq!(g(0.0), 0.0);
    assert_eq!(g(f64::EPSILON), 1.0);
}

// round(x1 + x2) at [1.0 2.5]: value round(3.5) = 4 (half away from zero), gradient [0 0].

#[differentiable]
fn rounded(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = round(&(x[0] + x[1]));
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn round_has_zero_gradient() {
    let (y, g) = dlfeval(rounded, &dlarray([1.0, 2.5])).unwrap();
    assert_eq!(y.to_vec(), vec![4.0]);
    assert_eq!(g.to_vec(), vec![0.0, 0.0]);
    assert_eq!(g.size(), &[1, 2]);
}

// §5: the value to differentiate must be scalar.

#[differentiable]
fn non_scalar(x: &DlArray) -> Result<DlArray> {
    let y = x * 2.0;
    dlgradient(&y, x)
}

#[test]
fn non_scalar_value_is_an_error() {
    let err = dlfeval(non_scalar, &dlarray([1.0, 2.0])).unwrap_err();
    assert!(matches!(err, Error::NonScalarValue { .. }));
    let msg = err.to_string();
    assert!(msg.starts_with("Value to differentiate is non-scalar. It must be a traced real dlarray scalar."), "{msg}");
    assert!(msg.contains("`y` is 1x2"), "{msg}");
    assert!(msg.contains("spec_values.rs"), "the error names the user's line: {msg}");
}

//! `dlgradient` and `dlfeval` semantics (SPEC §2–§4): targets of every kind, several calls over one
//! forward sweep, unreached targets, options, nesting, tracing of arguments and outputs, and the
//! run-time errors with MATLAB's wording.

use autodiff::prelude::*;

// An intermediate target (Grad-CAM): the gradient of a score with respect to an activation.
// a = w·x (elementwise), score = Σ relu(a)·v  ⇒  ∂score/∂a = relu'(a)·v = [v0, 0, v2] for a = [+, −, +].
#[differentiable]
fn gradcam(w: &DlArray, x: &DlArray) -> Result<(DlArray, DlArray)> {
    let a = w * x;
    let v = dlarray([10.0, 20.0, 30.0]);
    let score = sum(&(a.relu() * v), All);
    let (da, dw) = dlgradient(&score, (&a, w))?;
    Ok((da, dw))
}

#[test]
fn intermediate_target() {
    let (da, dw) = dlfeval(gradcam, (&dlarray([1.0, -2.0, 3.0]), &dlarray([2.0, 2.0, 2.0]))).unwrap();
    assert_eq!(da.to_vec(), vec![10.0, 0.0, 30.0]);
    // ∂score/∂w = ∂score/∂a · x
    assert_eq!(dw.to_vec(), vec![20.0, 0.0, 60.0]);
}

// Two dlgradient calls over one shared forward sweep (a GAN takes two).
// d = Σ g·x, g = tanh(z):  ∂d/∂x = g; second loss e = Σ g² with respect to z: 2g·(1 − g²).
#[differentiable]
fn two_losses(x: &DlArray, z: &DlArray) -> Result<(DlArray, DlArray)> {
    let g = z.tanh();
    let d = sum(&(&g * x), All);
    let e = sum(&(&g * &g), All);
    let dx = dlgradient(&d, x)?;
    let dz = dlgradient(&e, z, RetainData(false))?;
    Ok((dx, dz))
}

#[test]
fn several_gradient_calls() {
    let z = dlarray([0.3, -0.7]);
    let (dx, dz) = dlfeval(two_losses, (&dlarray([1.0, 2.0]), &z)).unwrap();
    for k in 0..2 {
        let g = z.get(k).tanh();
        assert!((dx.get(k) - g).abs() < 1e-15);
        assert!((dz.get(k) - 2.0 * g * (1.0 - g * g)).abs() < 1e-15);
    }
}

// A target the value does not depend on gets zeros of its size, not an error.
#[differentiable]
fn unreached(x: &DlArray, w: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&x.exp(), All);
    dlgradient(&y, (x, w))
}

#[test]
fn unreached_target_gets_zeros() {
    let (dx, dw) = dlfeval(unreached, (&dlarray([0.0, 1.0]), &dlarray([[1.0, 2.0], [3.0, 4.0]]))).unwrap();
    assert_eq!(dx.to_vec(), vec![1.0, std::f64::consts::E]);
    assert_eq!(dw, zeros::<f64>(&[2, 2]));
}

// dlfeval traces dlarrays inside learnable structs; plain numbers pass through untouched.
#[derive(Clone, Learnables)]
struct Affine {
    scale: DlArray,
    shift: DlArray,
}

#[differentiable]
fn affine_loss(p: &Affine, x: &DlArray, weight: f64, label: &str) -> Result<(DlArray, Affine, usize)> {
    let y = sum(&((&p.scale * x + &p.shift).powi(2)), All) * weight;
    let g = dlgradient(&y, p)?;
    Ok((y, g, label.len()))
}

#[test]
fn learnables_and_plain_arguments() {
    let p = Affine { scale: dlarray(2.0), shift: dlarray(1.0) };
    let (y, g, n) = dlfeval(affine_loss, (&p, &dlarray([1.0, -1.0]), 0.5, "abc")).unwrap();
    // y = ½[(2+1)² + (−2+1)²] = 5; ∂y/∂scale = Σ (s·x+b)·x = 3 − (−1)·… = 3·1 + (−1)·(−1) = 4; ∂y/∂shift = 3 + (−1) = 2
    assert_eq!((y.get(0), g.scale.get(0), g.shift.get(0), n), (5.0, 4.0, 2.0, 3));
}

// Outputs of dlfeval are untraced; the trace does not outlive the call.
#[differentiable]
fn identity_plus(x: &DlArray) -> Result<(DlArray, bool)> {
    let y = x + 1.0;
    let traced = y.is_traced();
    Ok((y, traced))
}

#[test]
fn outputs_are_untraced() {
    let x = dlarray([1.0]);
    assert!(!x.is_traced());
    let (y, traced_inside) = dlfeval(identity_plus, &x).unwrap();
    assert!(traced_inside, "inside dlfeval the value is traced");
    assert!(!y.is_traced(), "the output is not");
    assert!(!x.is_traced(), "the caller's input is untouched");
}

// Nested dlfeval: the inner call is an independent evaluation; its result is a constant outside.
#[differentiable]
fn inner_gradient(x: &DlArray) -> Result<DlArray> {
    let y = sum(&(x * x * x), All);
    dlgradient(&y, x)
}

#[differentiable]
fn outer(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let g_inner = dlfeval(inner_gradient, x)?; // 3x², constant here
    let y = sum(&(x * &g_inner), All); // ∂y/∂x = 3x² (g_inner held constant)
    let g = dlgradient(&y, x)?;
    Ok((g_inner, g))
}

#[test]
fn nested_dlfeval() {
    let (inner, g) = dlfeval(outer, &dlarray([2.0])).unwrap();
    assert_eq!(inner.to_vec(), vec![12.0]);
    assert_eq!(g.to_vec(), vec![12.0]);
}

// Run-time trace errors (what the macro cannot see): a differentiable function called directly with a
// dlarray made inside the caller has untraced inputs.
#[differentiable]
fn grad_of_square(x: &DlArray) -> Result<DlArray> {
    let y = sum(&(x * x), All);
    dlgradient(&y, x)
}

#[differentiable]
fn calls_with_untraced(x: &DlArray) -> Result<DlArray> {
    let c = dlarray([1.0, 2.0]);
    let _ = x;
    grad_of_square(&c)
}

#[test]
fn untraced_value_is_an_error() {
    let err = dlfeval(calls_with_untraced, &dlarray(0.0)).unwrap_err();
    assert!(matches!(err, Error::UntracedValue { .. }), "{err}");
    assert!(err.to_string().starts_with("Value to differentiate must be a traced dlarray scalar."), "{err}");
}

#[differentiable]
fn grad_wrt(y_from: &DlArray, x: &DlArray) -> Result<DlArray> {
    let y = sum(&(y_from * x), All);
    dlgradient(&y, x)
}

#[differentiable]
fn untraced_target(w: &DlArray) -> Result<DlArray> {
    let c = dlarray([1.0, 2.0]);
    grad_wrt(w, &c)
}

#[test]
fn untraced_target_is_an_error() {
    let err = dlfeval(untraced_target, &dlarray([3.0, 4.0])).unwrap_err();
    assert!(matches!(err, Error::UntracedTarget { ref name, .. } if name == "x"), "{err}");
}

#[test]
fn gradient_outside_dlfeval_is_an_error() {
    let err = grad_of_square(&dlarray([1.0])).unwrap_err();
    assert!(matches!(err, Error::NotInDlfeval { .. }), "{err}");
}

// Errors of primitives name the operation, both sizes and the user's line.
#[differentiable]
fn bad_sizes(x: &DlArray) -> Result<DlArray> {
    let y = x + dlarray([1.0, 2.0, 3.0]);
    dlgradient(&sum(&y, All), x)
}

#[test]
fn shape_error_names_the_users_line() {
    let err = dlfeval(bad_sizes, &dlarray([1.0, 2.0])).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("plus: Arrays have incompatible sizes for this operation: 1x2 and 1x3"), "{msg}");
    // the line of `let y = x + dlarray(..)` in `bad_sizes`, found in this file's source
    let line = include_str!("dlgradient.rs")
        .lines()
        .position(|l| l.contains("let y = x + dlarray([1.0, 2.0, 3.0]);"))
        .unwrap()
        + 1;
    assert!(msg.contains(&format!("tests/dlgradient.rs:{line}:")), "{msg}");
}

#[differentiable]
fn bad_sizes_panics(x: &DlArray) -> DlArray {
    x * dlarray([1.0, 2.0, 3.0])
}

#[test]
fn shape_error_panics_at_the_users_line_without_result() {
    let r = std::panic::catch_unwind(|| bad_sizes_panics(&dlarray([1.0, 2.0])));
    let payload = r.unwrap_err();
    let msg = payload.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.starts_with("times: Arrays have incompatible sizes for this operation: 1x2 and 1x3"), "{msg}");
    assert!(msg.contains("tests/dlgradient.rs:"), "{msg}");
}

// Generic functions (f32 and f64), called from a differentiable function and through a closure.
#[differentiable]
fn generic_square<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    x * x
}

#[differentiable]
fn uses_generic(x: &DlArray<f32>) -> Result<DlArray<f32>> {
    let y = sum(&generic_square(x), All);
    dlgradient(&y, x)
}

#[test]
fn generic_and_single_precision() {
    let g = dlfeval(uses_generic, &dlarray([1.5_f32, -2.0])).unwrap();
    assert_eq!(g.to_vec(), vec![3.0_f32, -4.0]);
    assert_eq!(g.class(), "single");
    let closure = differentiable_closure!(|x: &DlArray| dlgradient(&sum(&generic_square(x), All), x));
    assert_eq!(dlfeval(closure, &dlarray([2.0])).unwrap().to_vec(), vec![4.0]);
}

// Methods on learnable structs, evaluated through a closure.
#[derive(Clone, Learnables)]
struct Scaler {
    w: DlArray,
}

impl Scaler {
    #[differentiable]
    fn apply(&self, x: &DlArray) -> DlArray {
        (&self.w * x).sin()
    }

    #[differentiable]
    fn loss(&self, x: &DlArray) -> Result<(DlArray, Scaler)> {
        let y = sum(&self.apply(x), All);
        let g = dlgradient(&y, self)?;
        Ok((y, g))
    }
}

#[test]
fn methods() {
    let s = Scaler { w: dlarray(0.5) };
    let x = dlarray([1.0, 2.0]);
    let (y, g) = dlfeval(differentiable_closure!(|s: &Scaler, x: &DlArray| s.loss(x)), (&s, &x)).unwrap();
    assert!((y.get(0) - (0.5_f64.sin() + 1.0_f64.sin())).abs() < 1e-15);
    // ∂/∂w Σ sin(w·x) = Σ x·cos(w·x)
    assert!((g.w.get(0) - (0.5_f64.cos() + 2.0 * 1.0_f64.cos())).abs() < 1e-15);
    // plain call of a method: inference only
    assert_eq!(s.apply(&x).numel(), 2);
}

// A closure capturing plain data from its environment.
#[test]
fn closure_captures_plain_data() {
    let scale = 3.0;
    let f = differentiable_closure!(move |x: &DlArray| -> Result<DlArray> {
        let y = sum(&(x * scale), All);
        dlgradient(&y, x)
    });
    assert_eq!(dlfeval(&f, &dlarray([1.0, 1.0])).unwrap().to_vec(), vec![3.0, 3.0]);
    // a differentiable closure is still callable as a closure
    assert!(f(&dlarray(1.0)).is_err(), "outside dlfeval, dlgradient reports it");
}

// ... and after serialization.
#[differentiable]
fn round_trip(x: &DlArray) -> Result<(bool, bool)> {
    let json = serde_json::to_string(x).expect("serialize");
    let back: DlArray = serde_json::from_str(&json).expect("deserialize");
    Ok((x.is_traced(), back.is_traced()))
}

#[test]
fn serialized_values_are_untraced() {
    assert_eq!(dlfeval(round_trip, &dlarray([1.0, 2.0])).unwrap(), (true, false));
}

// f32 end to end with f32 scalars: y = Σ (0.5·x)·x + 2·x, dy/dx = x + 2.
#[differentiable]
fn f32_scalars(x: &DlArray<f32>) -> Result<(DlArray<f32>, DlArray<f32>)> {
    let h = x * 0.5_f32;
    let y = sum(&(&h * x + 2.0 * x), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn f32_data_takes_f32_scalars() {
    let (y, g) = dlfeval(f32_scalars, &dlarray([1.0_f32, -2.0, 4.0])).unwrap();
    // y = 0.5·(1 + 4 + 16) + 2·(1 − 2 + 4) = 10.5 + 6
    assert_eq!(y.get(0), 16.5_f32);
    assert_eq!(g.to_vec(), vec![3.0_f32, 0.0, 6.0]);
    // outside #[differentiable] too: a gradient step in f32
    let w = dlarray([1.0_f32, 1.0, 1.0]);
    assert_eq!((&w - &g * 0.5_f32).to_vec(), vec![-0.5_f32, 1.0, -2.0]);
}

//! `EnableHigherDerivatives(true)`: the gradient is traced, and `dlgradient` of an expression of it
//! gives second derivatives. Checked against central finite differences of the first gradient.

use autodiff::prelude::*;

/// Rosenbrock, straight-line, in two variables.
#[differentiable]
fn rosenbrock(x: &DlArray) -> DlArray {
    100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2)
}

#[differentiable]
fn rosenbrock_gradient(x: &DlArray) -> Result<DlArray> {
    let f = rosenbrock(x);
    dlgradient(&f, x)
}

/// The Hessian-vector product H·v: the gradient of ∇f·v.
#[differentiable]
fn hvp(x: &DlArray, #[untraced] v: &DlArray) -> Result<DlArray> {
    let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
    let g = dlgradient(&f, x, EnableHigherDerivatives(true))?;
    dlgradient(&sum(&(g * v), All), x)
}

/// The same through a call of another differentiable function.
#[differentiable]
fn hvp_through_call(x: &DlArray, #[untraced] v: &DlArray) -> Result<DlArray> {
    let f = rosenbrock(x);
    let g = dlgradient(&f, x, EnableHigherDerivatives(true))?;
    dlgradient(&sum(&(g * v), All), x)
}

fn fd_hvp(x: &DlArray, v: &DlArray) -> Vec<f64> {
    let h = 1e-6;
    let gp = dlfeval(rosenbrock_gradient, &(x + &(v * h))).unwrap().to_vec();
    let gm = dlfeval(rosenbrock_gradient, &(x - &(v * h))).unwrap().to_vec();
    gp.iter().zip(gm).map(|(a, b)| (a - b) / (2.0 * h)).collect()
}

#[test]
fn hessian_vector_product_of_rosenbrock() {
    let x = dlarray([-1.0, 2.0]);
    let v = dlarray([0.3, -0.7]);
    // closed form: H = [[1200x₀² − 400x₁ + 2, −400x₀], [−400x₀, 200]] = [[402, 400], [400, 200]]
    // H·v = [402·0.3 − 400·0.7, 400·0.3 − 200·0.7] = [−159.4, −20]
    for f in [hvp, hvp_through_call] {
        let hv = dlfeval(f, (&x, &v)).unwrap().to_vec();
        assert!((hv[0] + 159.4).abs() < 1e-9 && (hv[1] + 20.0).abs() < 1e-9, "{hv:?}");
        for (a, b) in hv.iter().zip(fd_hvp(&x, &v)) {
            assert!((a - b).abs() < 1e-4 * (1.0 + b.abs()), "{a} vs {b}");
        }
    }
    // another point, against finite differences only
    let x = dlarray([0.5, -1.2]);
    let v = dlarray([1.0, 0.25]);
    let hv = dlfeval(hvp_through_call, (&x, &v)).unwrap().to_vec();
    for (a, b) in hv.iter().zip(fd_hvp(&x, &v)) {
        assert!((a - b).abs() < 1e-4 * (1.0 + b.abs()), "{a} vs {b}");
    }
}

/// A critic D(x) = w₂·tanh(W₁x + b₁) over a batch of columns.
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

/// The gradient penalty mean((‖∇ₓD(x)‖ − 1)²) over the batch, differentiated with respect to D.
#[differentiable]
fn gradient_penalty(d: &Critic, x: &DlArray) -> Result<(DlArray, Critic)> {
    let score = sum(&critic(d, x), All);
    let gx = dlgradient(&score, x, EnableHigherDerivatives(true))?;
    let norms = sum(&gx.powi(2), 0).sqrt();
    let penalty = mean(&(norms - 1.0).powi(2), All);
    let gd = dlgradient(&penalty, d)?;
    Ok((penalty, gd))
}

/// ∇ₓ Σ D(x), first order only.
#[differentiable]
fn critic_input_gradient(d: &Critic, x: &DlArray) -> Result<DlArray> {
    let score = sum(&critic(d, x), All);
    dlgradient(&score, x)
}

/// The penalty from the first-order gradient, computed as plain numbers.
fn penalty_value(d: &Critic, x: &DlArray) -> f64 {
    let gx = dlfeval(critic_input_gradient, (d, x)).unwrap();
    let (rows, cols) = (gx.size()[0], gx.size()[1]);
    let mut total = 0.0;
    for j in 0..cols {
        let n = (0..rows).map(|i| gx.get(i + rows * j).powi(2)).sum::<f64>().sqrt();
        total += (n - 1.0).powi(2);
    }
    total / cols as f64
}

#[test]
fn gradient_penalty_matches_finite_differences() {
    let d = Critic {
        w1: dlarray([[0.5, -1.0], [1.5, 0.25], [-0.75, 0.5]]),
        b1: dlarray([[0.1], [-0.2], [0.3]]),
        w2: dlarray([[1.0, -0.5, 2.0]]),
    };
    let x = dlarray([[0.3, -1.0, 0.8, 0.1], [1.2, 0.4, -0.6, 0.9]]);
    let (penalty, gd) = dlfeval(gradient_penalty, (&d, &x)).unwrap();
    assert!((penalty.get(0) - penalty_value(&d, &x)).abs() < 1e-12);
    let h = 1e-6;
    let names = ["w1", "b1", "w2"];
    for (which, g) in [&gd.w1, &gd.b1, &gd.w2].into_iter().enumerate() {
        for k in 0..g.numel() {
            let bump = |s: f64| {
                let mut e = d.clone();
                let p = [&mut e.w1, &mut e.b1, &mut e.w2][which].clone();
                let moved = p.assign(k, &(p.get(k) + s * h));
                match which {
                    0 => e.w1 = moved,
                    1 => e.b1 = moved,
                    _ => e.w2 = moved,
                }
                penalty_value(&e, &x)
            };
            let fd = (bump(1.0) - bump(-1.0)) / (2.0 * h);
            assert!((g.get(k) - fd).abs() <= 1e-6 + 1e-5 * fd.abs(), "{}[{k}]: {} vs {fd}", names[which], g.get(k));
        }
    }
}

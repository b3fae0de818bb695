//! A user trait `Layer` with `#[differentiable]` on the trait method and on both impls, used from a
//! generic model `fn model<L: Layer>(..)` and from a `Vec<Box<dyn Layer>>`.

use autodiff::prelude::*;

use crate::{assert_close, assert_passed};

trait Layer {
    #[differentiable]
    fn forward(&self, x: &DlArray) -> Result<DlArray>;
}

#[derive(Clone, Learnables)]
struct Linear {
    w: DlArray,
    b: DlArray,
}

#[derive(Clone, Learnables)]
struct ScaledTanh {
    scale: DlArray,
}

impl Layer for Linear {
    #[differentiable]
    fn forward(&self, x: &DlArray) -> Result<DlArray> {
        Ok(self.w.matmul(x) + &self.b)
    }
}

impl Layer for ScaledTanh {
    #[differentiable]
    fn forward(&self, x: &DlArray) -> Result<DlArray> {
        Ok(&self.scale * x.tanh())
    }
}

fn linear() -> Linear {
    Linear { w: dlarray([[1.0, -0.5], [0.25, 2.0]]), b: dlarray([[0.1], [-0.3]]) }
}

fn scaled_tanh() -> ScaledTanh {
    ScaledTanh { scale: dlarray([[1.5], [-0.5]]) }
}

// ---------------------------------------------------------------------------------------------
// 37. A generic model over `L: Layer`, differentiated w.r.t. the input.

#[differentiable]
fn generic_input_grad<L: Layer>(layer: &L, x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = layer.forward(x)?;
    let loss = sum(&y.powi(2), All);
    let g = dlgradient(&loss, x)?;
    Ok((loss, g))
}

#[test]
fn generic_input_grad_for_both_layer_types() -> Result<()> {
    let x = dlarray([[0.7], [-1.2]]);

    let lin = linear();
    let (_, g) = dlfeval(generic_input_grad::<Linear>, (&lin, &x))?;
    // loss = Σ(Wx + b)², d/dx = 2Wᵀ(Wx + b)
    let expected = lin.w.transpose().matmul(&(lin.w.matmul(&x) + &lin.b)) * 2.0;
    assert_close(&g.to_vec(), &expected.to_vec(), 1e-12);

    let st = scaled_tanh();
    let (_, g) = dlfeval(generic_input_grad::<ScaledTanh>, (&st, &x))?;
    // loss = Σ(s·tanh x)², d/dx = 2s²·tanh x·(1 − tanh² x)
    let expected: Vec<f64> = st
        .scale
        .to_vec()
        .iter()
        .zip(x.to_vec())
        .map(|(s, v)| 2.0 * s * s * v.tanh() * (1.0 - v.tanh().powi(2)))
        .collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 38. A generic model over `L: Layer + Learnables`, differentiated w.r.t. the layer.

#[differentiable]
fn generic_param_grad<L: Layer + Learnables<f64>>(layer: &L, #[untraced] x: &DlArray) -> Result<(DlArray, L)> {
    let y = layer.forward(x)?;
    let loss = mean(&y.tanh(), All);
    let g = dlgradient(&loss, layer)?;
    Ok((loss, g))
}

#[test]
fn generic_param_grad_gradcheck() -> Result<()> {
    let x = dlarray([[0.7, 0.1, -0.4], [-1.2, 0.5, 0.9]]);
    assert_passed(&gradcheck(|l: &Linear| generic_param_grad(l, &x), &linear())?);
    assert_passed(&gradcheck(|l: &ScaledTanh| generic_param_grad(l, &x), &scaled_tanh())?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 39. A `Vec<Box<dyn Layer>>` applied in a loop.

#[differentiable]
fn dyn_stack_loss(#[untraced] layers: &Vec<Box<dyn Layer>>, x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut h = x * 1.0;
    for layer in layers.iter() {
        h = layer.forward(&h)?;
    }
    let loss = sum(&h.powi(2), All) * 0.5;
    let g = dlgradient(&loss, x)?;
    Ok((loss, g))
}

#[test]
fn dyn_stack_loss_gradient() -> Result<()> {
    let layers: Vec<Box<dyn Layer>> = vec![Box::new(linear()), Box::new(scaled_tanh()), Box::new(linear())];
    let x = dlarray([[0.3], [0.8]]);
    let (loss, g) = dlfeval(dyn_stack_loss, (&layers, &x))?;
    // By hand: h1 = W x + b, h2 = s·tanh(h1), h3 = W h2 + b, loss = ½Σh3²;
    // d/dx = Wᵀ·(s·(1 − tanh² h1) ⊙ Wᵀ h3).
    let (lin, st) = (linear(), scaled_tanh());
    let h1 = lin.w.matmul(&x) + &lin.b;
    let h2 = &st.scale * h1.tanh();
    let h3 = lin.w.matmul(&h2) + &lin.b;
    assert_close(&[loss.get(0)], &[0.5 * sum(&h3.powi(2), All).get(0)], 1e-12);
    let back2 = lin.w.transpose().matmul(&h3);
    let back1 = &back2 * &st.scale * (1.0 - h1.tanh().powi(2));
    let expected = lin.w.transpose().matmul(&back1);
    assert_close(&g.to_vec(), &expected.to_vec(), 1e-12);
    assert_passed(&gradcheck(|x: &DlArray| dyn_stack_loss(&layers, x), &x)?);
    Ok(())
}

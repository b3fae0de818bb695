//! Layer structs with `#[derive(Learnables)]`: methods (`&self`, associated fn, `self` by value),
//! `Option` fields (`if let Some(b) = &self.bias`), `Vec`s of layers indexed by position, an MLP
//! with fullyconnect + relu + softmax + crossentropy, and `match` on a plain activation enum.

use autodiff::prelude::*;

use crate::{assert_close, assert_passed};

#[cfg_attr(not(realistic_compile_errors), allow(dead_code))] // used only by gated models
#[derive(Clone, Learnables)]
struct Dense {
    w: DlArray,
    bias: Option<DlArray>,
}

impl Dense {
    /// y = W·x (+ b when the layer has a bias).
    #[differentiable]
    fn forward(&self, x: &DlArray) -> Result<DlArray> {
        let mut y = try_matmul(&self.w, x)?;
        if let Some(b) = &self.bias {
            y = y + b;
        }
        Ok(y)
    }

    /// The same as `forward` with the panicking `matmul`, so that the models below compile while
    /// `try_matmul` does not (`forward` is kept above as written).
    #[differentiable]
    fn forward_matmul(&self, x: &DlArray) -> Result<DlArray> {
        let mut y = self.w.matmul(x);
        if let Some(b) = &self.bias {
            y = y + b;
        }
        Ok(y)
    }

    // COMPILE ERROR: associated fn without `self`: "struct is not supported in `trait`s or `impl`s", "implementation is not supported in `trait`s or `impl`s"
    #[cfg(realistic_compile_errors)]
    /// An associated function without `self`: W·x + b.
    #[differentiable]
    fn affine(w: &DlArray, x: &DlArray, b: &DlArray) -> DlArray {
        w.matmul(x) + b
    }

    #[cfg_attr(not(realistic_compile_errors), allow(dead_code))] // used only by gated models
    /// A method taking `self` by value: s·W·x.
    #[differentiable]
    fn into_scaled_output(self, x: &DlArray, s: f64) -> DlArray {
        s * self.w.matmul(x)
    }
}

#[cfg_attr(not(realistic_compile_errors), allow(dead_code))] // used only by gated models
fn dense(rows: usize, cols: usize, with_bias: bool) -> Dense {
    Dense {
        w: randn::<f64>(&[rows, cols]) * 0.5,
        bias: if with_bias { Some(randn::<f64>(&[rows, 1]) * 0.1) } else { None },
    }
}

// ---------------------------------------------------------------------------------------------
// 31. A method with an `if let Some(b) = &self.bias` inside, differentiated w.r.t. the layer.

#[differentiable]
fn dense_loss(layer: &Dense, #[untraced] x: &DlArray) -> Result<(DlArray, Dense)> {
    let y = layer.forward_matmul(x)?;
    let loss = sum(&y.tanh(), All);
    let g = dlgradient(&loss, layer)?;
    Ok((loss, g))
}

#[test]
fn dense_loss_with_and_without_bias() -> Result<()> {
    rng(1);
    let x = randn::<f64>(&[3, 2]);
    let with_bias = dense(2, 3, true);
    let (_, g) = dlfeval(dense_loss, (&with_bias, &x))?;
    // d/db = Σ_columns (1 − tanh²(Wx + b))
    let z = with_bias.w.matmul(&x) + with_bias.bias.as_ref().unwrap();
    let dz: Vec<f64> = z.to_vec().iter().map(|v| 1.0 - v.tanh().powi(2)).collect();
    let gb = g.bias.as_ref().expect("gradient of a Some bias is Some");
    assert_close(&gb.to_vec(), &[dz[0] + dz[2], dz[1] + dz[3]], 1e-12);
    assert_passed(&gradcheck(|l: &Dense| dense_loss(l, &x), &with_bias)?);

    let no_bias = dense(2, 3, false);
    let (_, g) = dlfeval(dense_loss, (&no_bias, &x))?;
    assert!(g.bias.is_none());
    assert_passed(&gradcheck(|l: &Dense| dense_loss(l, &x), &no_bias)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 32. Calling an associated function without `self`.

// COMPILE ERROR: calls `Dense::affine` (above): "ambiguous associated type" (E0223)
#[cfg(realistic_compile_errors)]
#[differentiable]
fn affine_loss(w: &DlArray, b: &DlArray, #[untraced] x: &DlArray) -> Result<(DlArray, (DlArray, DlArray))> {
    let y = Dense::affine(w, x, b);
    let loss = 0.5 * sum(&y.powi(2), All);
    let grads = dlgradient(&loss, (w, b))?;
    Ok((loss, grads))
}

#[cfg(realistic_compile_errors)]
#[test]
fn affine_loss_gradient() -> Result<()> {
    let w = dlarray([[1.0, -1.0], [0.5, 2.0]]);
    let b = dlarray([[0.1], [-0.2]]);
    let x = dlarray([[1.0, 0.0, 2.0], [3.0, -1.0, 1.0]]);
    let (_, (gw, gb)) = dlfeval(affine_loss, (&w, &b, &x))?;
    // y = Wx + b, loss = ½Σy²: dW = y·xᵀ, db = Σ_columns y
    let y = w.matmul(&x) + &b;
    let expected_w = y.matmul(&x.transpose());
    assert_close(&gw.to_vec(), &expected_w.to_vec(), 1e-12);
    assert_close(&gb.to_vec(), &sum(&y, 1).to_vec(), 1e-12);
    let report = gradcheck(|p: &(DlArray, DlArray)| affine_loss(&p.0, &p.1, &x), &(w.clone(), b.clone()))?;
    assert_passed(&report);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 33. Calling a method that takes `self` by value.

#[differentiable]
fn by_value_loss(layer: &Dense, #[untraced] x: &DlArray) -> Result<(DlArray, Dense)> {
    let owned = layer.clone();
    let y = owned.into_scaled_output(x, 2.0);
    let loss = sum(&y.powi(2), All);
    let g = dlgradient(&loss, layer)?;
    Ok((loss, g))
}

#[test]
fn by_value_loss_gradient() -> Result<()> {
    rng(2);
    let layer = dense(2, 3, true);
    let x = randn::<f64>(&[3, 1]);
    let (_, g) = dlfeval(by_value_loss, (&layer, &x))?;
    // y = 2Wx, loss = Σy²: dW = 2·2y·xᵀ = 8·W·x·xᵀ; the bias is not used: zeros
    let expected = (layer.w.matmul(&x).matmul(&x.transpose())) * 8.0;
    assert_close(&g.w.to_vec(), &expected.to_vec(), 1e-12);
    assert_eq!(g.bias.as_ref().map(|b| b.to_vec()), Some(vec![0.0, 0.0]));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 34. A small MLP: a `Vec` of layers indexed by position, fullyconnect + relu + softmax +
//     crossentropy.

#[derive(Clone, Learnables)]
struct Fc {
    w: DlArray,
    b: DlArray,
}

#[derive(Clone, Learnables)]
struct Mlp {
    layers: Vec<Fc>,
}

#[differentiable]
fn mlp_loss(p: &Mlp, #[untraced] x: &DlArray, #[untraced] t: &DlArray) -> Result<(DlArray, Mlp)> {
    let depth = p.layers.len();
    let mut h = x.clone();
    for i in 0..depth {
        h = fullyconnect(&h, &p.layers[i].w, &p.layers[i].b);
        if i + 1 < depth {
            h = h.relu();
        }
    }
    let y = softmax(&h);
    let loss = crossentropy(&y, t);
    let g = dlgradient(&loss, p)?;
    Ok((loss, g))
}

fn toy_classification() -> Result<(Mlp, DlArray, DlArray)> {
    rng(3);
    let sizes = [4, 6, 5, 3];
    let layers = sizes
        .windows(2)
        .map(|io| Fc { w: randn::<f64>(&[io[1], io[0]]) * 0.6, b: randn::<f64>(&[io[1], 1]) * 0.1 })
        .collect();
    let x = dlarray_fmt(randn::<f64>(&[4, 6]).extractdata(), "CB")?;
    let mut t = zeros::<f64>(&[3, 6]);
    for j in 0..6 {
        t = t.assign((j % 3, j), &1.0);
    }
    let t = t.with_format("CB");
    Ok((Mlp { layers }, x, t))
}

#[test]
fn mlp_loss_gradcheck_and_training() -> Result<()> {
    let (mut net, x, t) = toy_classification()?;
    assert_passed(&gradcheck(|p: &Mlp| mlp_loss(p, &x, &t), &net)?);
    // a few steps of plain gradient descent lower the loss
    let (first, _) = dlfeval(mlp_loss, (&net, &x, &t))?;
    for _ in 0..30 {
        let (_, g) = dlfeval(mlp_loss, (&net, &x, &t))?;
        net = net.zip_map(&g, &mut |p, g| p - g * 0.2);
    }
    let (last, _) = dlfeval(mlp_loss, (&net, &x, &t))?;
    assert!(last.get(0) < first.get(0), "{} !< {}", last.get(0), first.get(0));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 34b. The same MLP with a `&self` method on the layer, called in a loop over
//      `p.layers.iter().enumerate()`.

impl Fc {
    #[differentiable]
    fn apply(&self, x: &DlArray) -> DlArray {
        fullyconnect(x, &self.w, &self.b)
    }
}

#[differentiable]
fn mlp_methods_loss(p: &Mlp, #[untraced] x: &DlArray, #[untraced] t: &DlArray) -> Result<(DlArray, Mlp)> {
    let mut h = x.clone();
    for (i, layer) in p.layers.iter().enumerate() {
        h = layer.apply(&h);
        if i + 1 < p.layers.len() {
            h = h.relu();
        }
    }
    let loss = crossentropy(&softmax(&h), t);
    let g = dlgradient(&loss, p)?;
    Ok((loss, g))
}

#[test]
fn mlp_methods_loss_matches_indexed_version() -> Result<()> {
    let (net, x, t) = toy_classification()?;
    let (l1, g1) = dlfeval(mlp_loss, (&net, &x, &t))?;
    let (l2, g2) = dlfeval(mlp_methods_loss, (&net, &x, &t))?;
    assert_close(&[l2.get(0)], &[l1.get(0)], 1e-12);
    for (a, b) in g1.layers.iter().zip(&g2.layers) {
        assert_close(&b.w.to_vec(), &a.w.to_vec(), 1e-12);
        assert_close(&b.b.to_vec(), &a.b.to_vec(), 1e-12);
    }
    assert_passed(&gradcheck(|p: &Mlp| mlp_methods_loss(p, &x, &t), &net)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 33b. The `self`-by-value method called on a temporary clone (no `let`).

#[differentiable]
fn by_value_inline_loss(layer: &Dense, #[untraced] x: &DlArray) -> Result<(DlArray, Dense)> {
    let y = layer.clone().into_scaled_output(x, 2.0);
    let loss = sum(&y.powi(2), All);
    let g = dlgradient(&loss, layer)?;
    Ok((loss, g))
}

#[test]
fn by_value_inline_loss_gradient() -> Result<()> {
    rng(2);
    let layer = dense(2, 3, false);
    let x = randn::<f64>(&[3, 1]);
    let (_, g) = dlfeval(by_value_inline_loss, (&layer, &x))?;
    // y = 2Wx, loss = Σy²: dW = 8·W·x·xᵀ
    let expected = (layer.w.matmul(&x).matmul(&x.transpose())) * 8.0;
    assert_close(&g.w.to_vec(), &expected.to_vec(), 1e-12);
    assert!(g.bias.is_none());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 35. `match` on a plain activation enum, in a helper called in a loop; `if let` on the enum.

#[derive(Clone, Copy, Debug, PartialEq)]
enum Act {
    Relu,
    Tanh,
    Sigmoid,
    Leaky(f64),
}

#[differentiable]
fn activate(x: &DlArray, #[untraced] act: Act) -> DlArray {
    match act {
        Act::Relu => x.relu(),
        Act::Tanh => x.tanh(),
        Act::Sigmoid => sigmoid(x),
        Act::Leaky(s) => x.leakyrelu(s),
    }
}

#[differentiable]
fn activation_chain(x: &DlArray, #[untraced] acts: &[Act]) -> Result<(DlArray, DlArray)> {
    let mut h = x * 1.0;
    for &act in acts {
        h = activate(&h, act);
    }
    let mut y = sum(&h, All);
    if let Some(Act::Leaky(s)) = acts.last() {
        y = y * (1.0 + s);
    }
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn activation_chain_gradients() -> Result<()> {
    let x = dlarray([-1.5, -0.2, 0.3, 2.0]);
    let v = x.to_vec();
    let sig = |z: f64| 1.0 / (1.0 + (-z).exp());

    // relu: 1 for x > 0, else 0
    let (_, g) = dlfeval(activation_chain, (&x, &[Act::Relu][..]))?;
    assert_close(&g.to_vec(), &[0.0, 0.0, 1.0, 1.0], 1e-12);

    // sigmoid: σ(x)(1 − σ(x))
    let (_, g) = dlfeval(activation_chain, (&x, &[Act::Sigmoid][..]))?;
    let expected: Vec<f64> = v.iter().map(|&z| sig(z) * (1.0 - sig(z))).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);

    // tanh then leaky(0.1), the sum scaled by 1.1: 1.1·leaky'(tanh x)·(1 − tanh² x)
    let (_, g) = dlfeval(activation_chain, (&x, &[Act::Tanh, Act::Leaky(0.1)][..]))?;
    let expected: Vec<f64> =
        v.iter().map(|&z| 1.1 * (if z.tanh() > 0.0 { 1.0 } else { 0.1 }) * (1.0 - z.tanh().powi(2))).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 36. A method called in a loop over `p.layers.iter().enumerate()`.

#[derive(Clone, Learnables)]
struct Stack {
    layers: Vec<Dense>,
}

#[differentiable]
fn stack_loss(p: &Stack, #[untraced] x: &DlArray) -> Result<(DlArray, Stack)> {
    let mut h = x.clone();
    for (i, layer) in p.layers.iter().enumerate() {
        h = layer.forward_matmul(&h)?;
        if i + 1 < p.layers.len() {
            h = h.tanh();
        }
    }
    let loss = mean(&h.powi(2), All);
    let g = dlgradient(&loss, p)?;
    Ok((loss, g))
}

#[test]
fn stack_loss_gradcheck() -> Result<()> {
    rng(4);
    let p = Stack { layers: vec![dense(4, 3, true), dense(4, 4, false), dense(2, 4, true)] };
    let x = randn::<f64>(&[3, 5]);
    let (_, g) = dlfeval(stack_loss, (&p, &x))?;
    assert!(g.layers[1].bias.is_none());
    assert_eq!(g.layers[2].w.size(), &[2, 4]);
    assert_passed(&gradcheck(|p: &Stack| stack_loss(p, &x), &p)?);
    Ok(())
}

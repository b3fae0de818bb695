//! `#[differentiable]` on traits and `impl` blocks: a trait of layers used generically (`L: Layer`)
//! and through `Box<dyn Layer>`, an associated function without `self`, and a method taking `self`.

use autodiff::prelude::*;

#[differentiable]
trait Layer {
    fn forward(&self, x: &DlArray) -> Result<DlArray>;
    /// A plain method of the trait, left as it is.
    fn name(&self) -> String {
        "layer".to_string()
    }
}

#[derive(Clone, Learnables)]
struct Affine {
    w: DlArray,
    b: DlArray,
}

#[derive(Clone, Learnables)]
struct Tanh {
    scale: DlArray,
}

#[differentiable]
impl Layer for Affine {
    fn forward(&self, x: &DlArray) -> Result<DlArray> {
        Ok(Self::apply(&self.w, x) + &self.b)
    }
}

#[differentiable]
impl Layer for Tanh {
    fn forward(&self, x: &DlArray) -> Result<DlArray> {
        Ok(&self.scale * x.tanh())
    }
}

#[differentiable]
impl Affine {
    /// An associated function: W·x.
    fn apply(w: &DlArray, x: &DlArray) -> DlArray {
        w.matmul(x)
    }

    /// A method taking `self` by value: s·(W·x).
    fn into_scaled(self, x: &DlArray, s: f64) -> DlArray {
        Self::apply(&self.w, x) * s
    }
}

fn affine() -> Affine {
    Affine { w: dlarray([[1.0, -0.5], [0.25, 2.0]]), b: dlarray([[0.1], [-0.3]]) }
}

fn tanh_layer() -> Tanh {
    Tanh { scale: dlarray([[1.5], [-0.5]]) }
}

fn check<X: Learnables<f64>>(f: impl Fn(&X) -> Result<(DlArray, X)>, x: &X) {
    let report = gradcheck(f, x).expect("the function runs");
    assert!(report.passed(), "{report:?}");
}

/// Generic over the layer, differentiated with respect to the layer's parameters.
#[differentiable]
fn generic_loss<L: Layer + Learnables<f64>>(layer: &L, #[untraced] x: &DlArray) -> Result<(DlArray, L)> {
    let y = layer.forward(x)?;
    let loss = sum(&y.powi(2), All);
    Ok((loss.clone(), dlgradient(&loss, layer)?))
}

#[test]
fn generic_layers_are_differentiated() {
    let x = dlarray([[0.7], [-1.2]]);
    check(|l: &Affine| generic_loss(l, &x), &affine());
    check(|l: &Tanh| generic_loss(l, &x), &tanh_layer());
    // closed form for the affine layer: loss = Σ(Wx + b)², d/db = 2(Wx + b)
    let a = affine();
    let (_, g) = dlfeval(generic_loss::<Affine>, (&a, &x)).unwrap();
    let expected = (a.w.matmul(&x) + &a.b) * 2.0;
    assert_eq!(g.b.to_vec(), expected.to_vec());
}

/// Through `Box<dyn Layer>`, differentiated with respect to the input.
#[differentiable]
fn dyn_loss(#[untraced] layers: &Vec<Box<dyn Layer>>, x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut h = x.clone();
    for layer in layers {
        h = layer.forward(&h)?;
    }
    let loss = sum(&h.powi(2), All) * 0.5;
    Ok((loss.clone(), dlgradient(&loss, x)?))
}

#[test]
fn dyn_layers_are_differentiated() {
    let layers: Vec<Box<dyn Layer>> = vec![Box::new(affine()), Box::new(tanh_layer()), Box::new(affine())];
    assert_eq!(layers[0].name(), "layer");
    let x = dlarray([[0.3], [0.8]]);
    check(|x: &DlArray| dyn_loss(&layers, x), &x);
}

/// An associated function and a method taking `self` by value, from a model function.
#[differentiable]
fn assoc_and_by_value(layer: &Affine, #[untraced] x: &DlArray) -> Result<(DlArray, Affine)> {
    let y = Affine::apply(&layer.w, x) + layer.clone().into_scaled(x, 2.0);
    let loss = sum(&y.powi(2), All);
    Ok((loss.clone(), dlgradient(&loss, layer)?))
}

#[test]
fn associated_functions_and_by_value_methods() {
    let x = dlarray([[0.7], [-1.2]]);
    check(|l: &Affine| assoc_and_by_value(l, &x), &affine());
    // y = 3·Wx, loss = 9Σ(Wx)²: d/db = 0
    let (_, g) = dlfeval(assoc_and_by_value, (&affine(), &x)).unwrap();
    assert_eq!(g.b.to_vec(), vec![0.0, 0.0]);
}

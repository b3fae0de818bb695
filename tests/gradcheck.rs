//! `gradcheck` (dlgradient against central finite differences in f64) on multi-operation functions:
//! implicit expansion, values used several times, shadowing, reassignment, indexing, reductions over
//! dimensions, softmax + crossentropy, nested differentiable calls and methods, containers.

use autodiff::prelude::*;

fn check<X: Learnables<f64>>(f: impl Fn(&X) -> Result<(DlArray, X)>, x: &X) {
    let report = gradcheck(f, x).expect("the function runs");
    assert!(report.passed(), "{report:?}");
    assert!(report.entries > 0);
}

fn data(size: &[usize], seed: u64) -> DlArray {
    rng(seed);
    randn::<f64>(size)
}

#[differentiable]
fn broadcasting(p: &(DlArray, DlArray, DlArray)) -> Result<(DlArray, (DlArray, DlArray, DlArray))> {
    // (3x4) .* (1x4) + (3x1), then every element
    let y = sum(&((&p.0 * &p.1 + &p.2).tanh()), All);
    Ok((y.clone(), dlgradient(&y, p)?))
}

#[test]
fn gradcheck_broadcasting() {
    check(broadcasting, &(data(&[3, 4], 1), data(&[1, 4], 2), data(&[3, 1], 3)));
}

#[differentiable]
fn used_several_times(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&(x * x * x + x.sin() * x - x / (x * x + 1.0)), All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn gradcheck_used_several_times() {
    check(used_several_times, &data(&[2, 3], 4));
}

#[differentiable]
fn shadowing(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = x * 2.0;
    let y = y.exp() - 1.0;
    let y = y + x;
    let y = sum(&y, All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn gradcheck_shadowing() {
    check(shadowing, &data(&[1, 5], 5));
}

#[differentiable]
fn reassignment(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = x.clone();
    s = s * s;
    s += x;
    s *= 0.5;
    s -= x.cos();
    s /= 3;
    let total = sum(&s, All);
    Ok((total.clone(), dlgradient(&total, x)?))
}

#[test]
fn gradcheck_reassignment() {
    check(reassignment, &data(&[3, 2], 6));
}

#[differentiable]
fn indexing(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let a = x[0] * x[3] + x[(1, 2)];
    let b = sum(&x[2..5], All) * x[(.., 1)].sum(All);
    let c = x[vec![0, 0, 5]].powi(2).sum(All);
    let y = a + b + c;
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn gradcheck_indexing() {
    check(indexing, &data(&[2, 3], 7));
}

#[differentiable]
fn reductions(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let cols = sum(&(x * x), 0);
    let rows = mean(&x.exp(), 1);
    let m = max(&x, 1);
    let y = sum(&cols, All)
        + prod(&rows, All)
        + sum(&m, All)
        + logsumexp(&x, 0).sum(All)
        + norm(&x)
        + var(&x, All)
        + std(&x, 1).sum(All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn gradcheck_reductions() {
    check(reductions, &data(&[3, 4], 8));
}

#[differentiable]
fn softmax_crossentropy(z: &DlArray, t: &DlArray) -> Result<(DlArray, DlArray)> {
    let p = softmax(z);
    let loss = crossentropy(&p, t);
    Ok((loss.clone(), dlgradient(&loss, z)?))
}

#[differentiable]
fn softmax_ce_logits(z: &DlArray) -> Result<(DlArray, DlArray)> {
    let t = dlarray_fmt([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], "BC")?;
    let loss = crossentropy(&softmax(z), &t);
    Ok((loss.clone(), dlgradient(&loss, z)?))
}

#[test]
fn gradcheck_softmax_crossentropy() {
    let z = data(&[3, 2], 9).with_format("CB");
    check(softmax_ce_logits, &z);
    // and the value: two observations, mean of −log p(target)
    let t = dlarray_fmt([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], "BC").unwrap();
    let (loss, g) = dlfeval(softmax_crossentropy, (&z, &t)).unwrap();
    let p = softmax(&z);
    let want = -(p.get(1).ln() + p.get(3).ln()) / 2.0;
    assert!((loss.get(0) - want).abs() < 1e-14);
    // ∂loss/∂z = (p − t)/N
    for k in 0..6 {
        assert!((g.get(k) - (p.get(k) - t.get(k)) / 2.0).abs() < 1e-14);
    }
}

// nested differentiable calls: free functions, a function of two arguments returning a tuple, methods

#[differentiable]
fn layer(w: &DlArray, x: &DlArray) -> DlArray {
    (w.matmul(x)).tanh()
}

#[differentiable]
fn two_outputs(a: &DlArray, b: &DlArray) -> (DlArray, DlArray) {
    (a * b, a - b.exp())
}

#[differentiable]
fn nested(p: &(DlArray, DlArray, DlArray)) -> Result<(DlArray, (DlArray, DlArray, DlArray))> {
    let h = layer(&p.0, &p.2);
    let h2 = layer(&p.1, &h);
    let (u, v) = two_outputs(&h2, &h2);
    let y = sum(&(u + v), All);
    Ok((y.clone(), dlgradient(&y, p)?))
}

#[test]
fn gradcheck_nested_calls() {
    check(nested, &(data(&[3, 2], 10), data(&[3, 3], 11), data(&[2, 4], 12)));
}

#[derive(Clone, Learnables)]
struct Dense {
    weights: DlArray,
    bias: DlArray,
}

impl Dense {
    #[differentiable]
    fn forward(&self, x: &DlArray) -> DlArray {
        fullyconnect(x, &self.weights, &self.bias).relu()
    }
}

#[derive(Clone, Learnables)]
struct Mlp {
    fc1: Dense,
    fc2: Dense,
}

#[differentiable]
fn mlp_loss(net: &Mlp) -> Result<(DlArray, Mlp)> {
    let x = dlarray_fmt([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], "BC")?;
    let t = dlarray_fmt([[1.0, 0.0], [0.0, 1.0]], "BC")?;
    let h = net.fc1.forward(&x);
    let z = fullyconnect(&h, &net.fc2.weights, &net.fc2.bias);
    let loss = crossentropy(&softmax(&z), &t);
    Ok((loss.clone(), dlgradient(&loss, net)?))
}

#[test]
fn gradcheck_methods_and_learnables() {
    let net = Mlp {
        fc1: Dense { weights: data(&[4, 3], 13), bias: data(&[4, 1], 14) },
        fc2: Dense { weights: data(&[2, 4], 15), bias: data(&[2, 1], 16) },
    };
    check(mlp_loss, &net);
    let names: Vec<String> = net.parameters().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["fc1.weights", "fc1.bias", "fc2.weights", "fc2.bias"]);
}

#[differentiable]
fn vec_params(ws: &Vec<DlArray>) -> Result<(DlArray, Vec<DlArray>)> {
    let y = sum(&(&ws[0] * &ws[1]), All) + ws[2].powi(3).sum(All);
    Ok((y.clone(), dlgradient(&y, ws)?))
}

#[test]
fn gradcheck_vec_target() {
    check(vec_params, &vec![data(&[2, 2], 17), data(&[2, 2], 18), data(&[1, 3], 19)]);
}

#[differentiable]
fn shape_ops(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let r = reshape(x, &[3, 2]);
    let p = permute(&r, &[1, 0]);
    let c = cat(0, &[&p, &x.flip(1)]);
    let t = repmat(&c, &[1, 2]).transpose();
    let y = sum(&(t * t.sigmoid()), All) + cumsum(x, 1).sum(All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn gradcheck_shape_ops() {
    check(shape_ops, &data(&[2, 3], 20));
}

#[differentiable]
fn elementwise_zoo(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let a = atan2(&x, &(x * x + 1.0)) + hypot(&x, &2.0) + power(&(x * x + 1.0), &x);
    let b = gelu(x) + softplus(x) + leakyrelu(x, 0.1) + sigmoid(x).log() + erf(x) + sinh(&(x / 3.0));
    let c = maximum(x, &(x * 0.5)) - minimum(x, &0.3) + abs(x) + x.powf(2.0).sqrt();
    let y = sum(&(a + b + c), All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn gradcheck_elementwise_zoo() {
    // away from the kinks of relu-like functions at 0 and the max/min switch points
    check(elementwise_zoo, &dlarray([[0.7, -1.3, 2.1], [-0.45, 1.1, -2.2]]));
}

#[differentiable]
fn integer_literals(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&(2 * x * x + 3 - x / 4), All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn gradcheck_integer_literals() {
    check(integer_literals, &data(&[1, 3], 21));
}

#[differentiable]
fn indexed_assignment(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut y = zeros_like(x);
    y[0] = x[1] * x[2];
    y[2] = x[0].exp();
    let total = sum(&(y * x), All);
    Ok((total.clone(), dlgradient(&total, x)?))
}

#[test]
fn gradcheck_indexed_assignment() {
    check(indexed_assignment, &data(&[1, 4], 22));
}

#[differentiable]
fn matrix_chain(p: &(DlArray, DlArray)) -> Result<(DlArray, (DlArray, DlArray))> {
    let m = p.0.matmul(&p.1).matmul(&p.0.transpose());
    let y = sum(&(m * m), All);
    Ok((y.clone(), dlgradient(&y, p)?))
}

#[test]
fn gradcheck_matrix_chain() {
    check(matrix_chain, &(data(&[2, 3], 23), data(&[3, 3], 24)));
}

#[differentiable]
fn block_expressions(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = {
        let t = x * 3.0;
        t.cos() + t
    };
    let z = sum(&(y * x), All);
    Ok((z.clone(), dlgradient(&z, x)?))
}

#[test]
fn gradcheck_block_expressions() {
    check(block_expressions, &data(&[2, 2], 25));
}

#[differentiable]
fn losses(p: &(DlArray, DlArray)) -> Result<(DlArray, (DlArray, DlArray))> {
    let y = mse(&p.0, &p.1) + l2loss(&p.0, &p.1) + huber(&p.0, &p.1) + l1loss(&p.0, &p.1);
    Ok((y.clone(), dlgradient(&y, p)?))
}

#[test]
fn gradcheck_losses() {
    check(losses, &(dlarray([[0.3, -2.0, 1.4]]), dlarray([[0.1, 0.5, -0.2]])));
}

#[differentiable]
fn methods_chain(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = x.exp().log1p().tanh().sum(All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn gradcheck_methods_chain() {
    check(methods_chain, &data(&[3, 2], 26));
}

// Layer normalization written out: mean and variance over the channel dimension, broadcast back.
#[differentiable]
fn layer_norm(p: &(DlArray, DlArray, DlArray)) -> Result<(DlArray, (DlArray, DlArray, DlArray))> {
    let (x, gamma, beta) = (&p.0, &p.1, &p.2);
    let mu = mean(x, 0);
    let centered = x - &mu;
    let sigma2 = mean(&(&centered * &centered), 0);
    let y = centered / (sigma2 + 1e-5).sqrt() * gamma + beta;
    let loss = sum(&(y.powi(2) * 0.5 + y.sin()), All);
    Ok((loss.clone(), dlgradient(&loss, p)?))
}

#[test]
fn gradcheck_layer_norm() {
    check(layer_norm, &(data(&[4, 3], 27), data(&[4, 1], 28), data(&[4, 1], 29)));
}

// Reductions that mix elements: logsumexp, cumsum, norm, var and std over dimensions.
#[differentiable]
fn mixing_reductions(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let a = logsumexp(x, 1);
    let b = cumsum(x, 0);
    let c = norm(&b);
    let y = sum(&a, All) + c * var(x, 1).sum(All) - std(x, 0).sum(All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn gradcheck_mixing_reductions() {
    check(mixing_reductions, &data(&[3, 4], 30));
}

// Two-argument elementwise functions with their non-trivial derivatives.
#[differentiable]
fn binary_zoo(p: &(DlArray, DlArray)) -> Result<(DlArray, (DlArray, DlArray))> {
    let (a, b) = (&p.0, &p.1);
    let y = atan2(a, b) * hypot(a, b) + maximum(a, b) - minimum(&(a * 2.0), b) + (a / (b.powi(2) + 1.0));
    let loss = sum(&y, All);
    Ok((loss.clone(), dlgradient(&loss, p)?))
}

#[test]
fn gradcheck_binary_zoo() {
    check(binary_zoo, &(data(&[2, 3], 31), data(&[2, 3], 32)));
}

//! Control flow inside `#[differentiable]`: branches, matches, loops (ranges, containers, `while`,
//! `loop` with `break`, `continue`, nesting), loop-carried values, mutation, and layer loops; each
//! checked with `gradcheck` against central finite differences in f64, and some against closed forms.

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

// Rosenbrock as an element loop: f = Σ 100(x_{i+1} − x_i²)² + (1 − x_i)².
#[differentiable]
fn rosenbrock_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let mut f = dlarray(0.0);
    for i in 0..n - 1 {
        f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2);
    }
    let g = dlgradient(&f, x)?;
    Ok((f, g))
}

#[test]
fn rosenbrock_element_loop() {
    check(rosenbrock_loop, &data(&[1, 6], 1));
    // the seed's point: 104, [396 200]
    let (f, g) = dlfeval(rosenbrock_loop, &dlarray([-1.0, 2.0])).unwrap();
    assert_eq!((f.get(0), g.to_vec()), (104.0, vec![396.0, 200.0]));
    // and the benchmark point x = (−1.2, 1, −1.2, 1, …): f = 24.2·⌈(n−1)/2⌉ + 484·⌊(n−1)/2⌋ (peers/rosenbrock.py)
    let x = dlarray((0..10).map(|i| if i % 2 == 0 { -1.2 } else { 1.0 }).collect::<Vec<f64>>());
    let (f, _) = dlfeval(rosenbrock_loop, &x).unwrap();
    assert!((f.get(0) - (24.2 * 5.0 + 484.0 * 4.0)).abs() < 1e-9);
}

// A vanilla RNN over time steps: h_t = tanh(W h_{t−1} + U x_t + b), loss = Σ h_T.
#[derive(Clone, Learnables)]
struct Rnn {
    w: DlArray,
    u: DlArray,
    b: DlArray,
}

#[differentiable]
fn rnn_loss(p: &Rnn) -> Result<(DlArray, Rnn)> {
    let xs = dlarray([[0.5, -1.0, 0.25, 2.0], [1.0, 0.5, -0.5, 0.0]]); // 2 inputs x 4 steps
    let mut h = zeros::<f64>(&[3, 1]);
    for t in 0..4 {
        let x_t = xs.at((.., t));
        h = (p.w.matmul(&h) + p.u.matmul(&x_t) + &p.b).tanh();
    }
    let loss = sum(&h, All);
    Ok((loss.clone(), dlgradient(&loss, p)?))
}

#[test]
fn rnn_over_time_steps() {
    check(rnn_loss, &Rnn { w: data(&[3, 3], 2), u: data(&[3, 2], 3), b: data(&[3, 1], 4) });
}

// Piecewise: branching on the sign of a traced value.
#[differentiable]
fn piecewise(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut total = dlarray(0.0);
    for i in 0..x.numel() {
        if x[i] > 0.0 {
            total = total + x[i].powi(3);
        } else {
            total = total - x[i].sin() * 2.0;
        }
    }
    Ok((total.clone(), dlgradient(&total, x)?))
}

#[test]
fn piecewise_on_sign() {
    check(piecewise, &dlarray([[0.7, -1.2, 2.0, -0.3]]));
    // d/dx: 3x² for x > 0, −2cos x otherwise
    let (_, g) = dlfeval(piecewise, &dlarray([2.0, -1.0])).unwrap();
    assert_eq!(g.to_vec(), vec![12.0, -2.0 * (-1.0_f64).cos()]);
}

// Newton's iteration for √a in a while loop with a tolerance: y ← (y + a/y)/2. The gradient of the
// converged root is d√a/da = 1/(2√a), through the iterations.
#[differentiable]
fn newton_sqrt(a: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut y = a * 0.5 + 0.5;
    let mut steps = 0;
    while abs(&(&y * &y - a)).get(0) > 1e-12 && steps < 50 {
        y = (&y + a / &y) * 0.5;
        steps += 1;
    }
    let g = dlgradient(&y, a)?;
    Ok((y, g))
}

#[test]
fn newton_iteration_in_a_while_loop() {
    let (y, g) = dlfeval(newton_sqrt, &dlarray(2.0)).unwrap();
    assert!((y.get(0) - 2.0_f64.sqrt()).abs() < 1e-12);
    assert!((g.get(0) - 0.5 / 2.0_f64.sqrt()).abs() < 1e-9);
    check(newton_sqrt, &dlarray(3.5));
}

// Nested loops: a double sum of products.
#[differentiable]
fn nested(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray(0.0);
    for i in 0..x.size_of(0) {
        for j in 0..x.size_of(1) {
            s = s + x[(i, j)] * x[(j % x.size_of(0), i % x.size_of(1))].cos();
        }
        s = s * 0.9;
    }
    Ok((s.clone(), dlgradient(&s, x)?))
}

#[test]
fn nested_loops() {
    check(nested, &data(&[3, 3], 5));
}

// A loop with break: stop when the running sum exceeds a bound.
#[differentiable]
fn until_bound(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray(0.0);
    for i in 0..x.numel() {
        s = s + x[i].exp();
        if s.get(0) > 3.0 {
            break;
        }
        s = s * 1.5;
    }
    Ok((s.clone(), dlgradient(&s, x)?))
}

#[test]
fn loop_with_break() {
    // e^0.1·1.5 + e^0.2 ≈ 2.88 < 3, then (2.88)·1.5 + e^0.3 > 3: stops at i = 2, x[3] unused
    let x = dlarray([0.1, 0.2, 0.3, 0.4]);
    check(until_bound, &x);
    let (_, g) = dlfeval(until_bound, &x).unwrap();
    assert_eq!(g.get(3), 0.0);
    // ∂s/∂x0 = 1.5·1.5·e^0.1 (two multiplications after it)
    assert!((g.get(0) - 2.25 * 0.1_f64.exp()).abs() < 1e-12);
}

// `loop` with `break`, and `continue`.
#[differentiable]
fn loop_continue(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut acc = dlarray(1.0);
    let mut i = 0;
    loop {
        if i >= x.numel() {
            break;
        }
        i += 1;
        if i % 2 == 0 {
            continue;
        }
        acc = acc * (x[i - 1] + 2.0);
    }
    Ok((acc.clone(), dlgradient(&acc, x)?))
}

#[test]
fn loop_break_and_continue() {
    check(loop_continue, &dlarray([[0.5, 1.0, -0.5, 3.0, 0.25]]));
    // acc = (x0+2)(x2+2)(x4+2): ∂/∂x1 = 0
    let (_, g) = dlfeval(loop_continue, &dlarray([0.5, 1.0, -0.5, 3.0, 0.25])).unwrap();
    assert_eq!(g.get(1), 0.0);
    assert!((g.get(0) - 1.5 * 2.25).abs() < 1e-12);
}

// A match on an enum selecting the activation.
#[derive(Clone, Copy)]
enum Activation {
    Tanh,
    Relu,
    Sigmoid,
}

#[differentiable]
fn activated(x: &DlArray, #[untraced] act: Activation) -> DlArray {
    match act {
        Activation::Tanh => x.tanh(),
        Activation::Relu => x.relu(),
        Activation::Sigmoid => sigmoid(x),
    }
}

#[differentiable]
fn enum_match(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut y = dlarray(0.0);
    for (k, act) in [Activation::Tanh, Activation::Relu, Activation::Sigmoid].into_iter().enumerate() {
        let a = activated(x, act);
        y = y + sum(&a, All) * (k as f64 + 1.0);
    }
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn match_on_an_enum() {
    check(enum_match, &dlarray([[0.3, -0.8, 1.5]]));
}

// A model looping over a Vec of layers with a `forward` method.
#[derive(Clone, Learnables)]
struct Dense {
    w: DlArray,
    b: DlArray,
}

impl Dense {
    #[differentiable]
    fn forward(&self, x: &DlArray) -> DlArray {
        (self.w.matmul(x) + &self.b).tanh()
    }
}

#[derive(Clone, Learnables)]
struct Net {
    layers: Vec<Dense>,
}

#[differentiable]
fn net_loss(net: &Net) -> Result<(DlArray, Net)> {
    let mut h = dlarray([[0.5], [-1.0]]);
    for layer in &net.layers {
        h = layer.forward(&h);
    }
    let loss = sum(&(h * h), All);
    Ok((loss.clone(), dlgradient(&loss, net)?))
}

#[test]
fn loop_over_layers() {
    let net = Net {
        layers: vec![
            Dense { w: data(&[3, 2], 6), b: data(&[3, 1], 7) },
            Dense { w: data(&[3, 3], 8), b: data(&[3, 1], 9) },
            Dense { w: data(&[1, 3], 10), b: data(&[1, 1], 11) },
        ],
    };
    check(net_loss, &net);
    let names: Vec<String> = net.parameters().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names[0], "layers[0].w");
    assert_eq!(names[5], "layers[2].b");
}

// Indexed assignment building a vector in a loop: y_i = x_i · x_{i+1}.
#[differentiable]
fn build_vector(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let mut y = zeros::<f64>(&[1, n - 1]);
    for i in 0..n - 1 {
        y[i] = x[i] * x[i + 1];
    }
    let total = sum(&(y.powi(2)), All);
    Ok((total.clone(), dlgradient(&total, x)?))
}

#[test]
fn indexed_assignment_in_a_loop() {
    check(build_vector, &data(&[1, 5], 12));
}

// A branch outside loops that reassigns an outer value, and an if used as a value.
#[differentiable]
fn branches(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut y = x * 2.0;
    if sum(x, All) > 0.0 {
        y = y.exp();
    } else {
        y = y * y;
    }
    let z = if x[0] < 0.5 { sum(&y, All) } else { prod(&y, All) };
    Ok((z.clone(), dlgradient(&z, x)?))
}

#[test]
fn branches_and_value_ifs() {
    check(branches, &dlarray([[0.2, 0.4]]));
    check(branches, &dlarray([[0.8, 0.1]]));
    check(branches, &dlarray([[-0.3, -0.4]]));
}

// if let on an optional input, match on an integer.
#[differentiable]
fn optional_scale(x: &DlArray, scale: Option<f64>, mode: usize) -> DlArray {
    let y = if let Some(s) = scale { x * s } else { x.clone() };
    match mode {
        0 => sum(&y, All),
        1 => sum(&(&y * &y), All),
        _ => norm(&y),
    }
}

#[differentiable]
fn options_and_modes(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let a = optional_scale(x, Some(3.0), 1);
    let b = optional_scale(x, None, 2);
    let c = optional_scale(x, Some(-1.0), 0);
    let y = a + b + c;
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn if_let_and_integer_match() {
    check(options_and_modes, &data(&[1, 3], 13));
}

// push of traced values into a local Vec, then a loop over it.
#[differentiable]
fn pushed(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut parts = Vec::new();
    for i in 0..x.numel() {
        parts.push(x[i].sin() * (i as f64 + 1.0));
    }
    let mut total = dlarray(0.0);
    for p in &parts {
        total = total + p * p;
    }
    let last = &parts[parts.len() - 1];
    let y = total + last;
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn push_into_a_local_vec() {
    check(pushed, &data(&[1, 4], 14));
}

// zip over two containers, enumerate.
#[differentiable]
fn zipped(ps: &Vec<DlArray>) -> Result<(DlArray, Vec<DlArray>)> {
    let qs = vec![dlarray(1.0), dlarray(2.0), dlarray(3.0)];
    let mut y = dlarray(0.0);
    for (a, b) in ps.iter().zip(qs.iter()) {
        y = y + a * b;
    }
    for (i, a) in ps.iter().enumerate() {
        y = y + a.powi(2) * (i as f64);
    }
    Ok((y.clone(), dlgradient(&y, ps)?))
}

#[test]
fn zip_and_enumerate() {
    check(zipped, &vec![dlarray(0.5), dlarray(-1.0), dlarray(2.0)]);
}

// A loop-carried product, where the adjoint reads every overwritten value.
#[differentiable]
fn product_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut p = dlarray(1.0);
    for i in 0..x.numel() {
        p = p * x[i] + 0.1;
    }
    Ok((p.clone(), dlgradient(&p, x)?))
}

#[test]
fn loop_carried_product() {
    check(product_loop, &data(&[1, 5], 15));
}

// A loop over time steps calling a differentiable function, with the state in a tuple.
#[differentiable]
fn step(state: &DlArray, input: &DlArray, w: &DlArray) -> (DlArray, DlArray) {
    let next = (state * w + input).tanh();
    let out = &next * 2.0;
    (next, out)
}

#[differentiable]
fn unrolled(w: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray([[0.1, 0.2]]);
    let mut outputs = dlarray(0.0);
    for t in 0..5 {
        let input = dlarray([[t as f64 * 0.1, -0.2]]);
        let (next, out) = step(&s, &input, w);
        s = next;
        outputs = outputs + sum(&out, All);
    }
    Ok((outputs.clone(), dlgradient(&outputs, w)?))
}

#[test]
fn differentiable_calls_in_loops() {
    check(unrolled, &dlarray([[0.7, -0.4]]));
}

// Several variables carried through one loop, one of them only read.
#[differentiable]
fn two_carried(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut a = x[0] * 1.0;
    let mut b = x[1] * 1.0;
    for _ in 0..3 {
        let t = &a * &b;
        a = b.sin() + x[2];
        b = t.cos();
    }
    let y = a + b;
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn several_carried_values() {
    check(two_carried, &dlarray([[0.3, -0.6, 0.9]]));
}

// ---- independent iterations: accumulations are replayed (nothing stored per iteration) ----

// The accumulator starts 1x1 and implicit expansion grows it to 2x1 at the first iteration: the
// reverse sweep must use the sizes it had (recorded only where it changed).
// s = Σ_j (j+1)·x(:,j)²  ⇒  ∂/∂x(r,j) = 2(j+1)·x(r,j); loss = sum(s).
#[differentiable]
fn growing_accumulator(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray(0.0);
    for j in 0..3 {
        s = s + x.at((.., j)).powi(2) * ((j + 1) as f64);
    }
    let loss = sum(&s, All);
    Ok((loss.clone(), dlgradient(&loss, x)?))
}

#[test]
fn accumulator_grown_by_expansion() {
    let x = dlarray([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.25]]);
    check(growing_accumulator, &x);
    let (_, g) = dlfeval(growing_accumulator, &x).unwrap();
    assert_eq!(g.to_vec(), vec![2.0, -2.0, 8.0, 2.0, 18.0, 1.5]);
}

// `-=`, `+=`, an accumulator on the right of a minus (t = e − t flips its sign each step), two
// accumulators in one loop, an initial value that is traced, and an accumulator used non-linearly
// after the loop.
#[differentiable]
fn accumulations(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let mut s = x[0] * 2.0;
    let mut t = dlarray(0.0);
    for i in 1..n {
        s -= x[i].exp();
        s += x[i] * x[i - 1];
        t = x[i].sin() - t;
    }
    let y = &s * &s + t;
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn subtraction_and_several_accumulators() {
    check(accumulations, &data(&[1, 5], 21));
    // n = 2: s = 2x₀ − e^{x₁} + x₁x₀, t = sin x₁; y = s² + t
    // ∂y/∂x₀ = 2s(2 + x₁), ∂y/∂x₁ = 2s(−e^{x₁} + x₀) + cos x₁
    let (x0, x1) = (0.5_f64, -0.25_f64);
    let s = 2.0 * x0 - x1.exp() + x1 * x0;
    let (y, g) = dlfeval(accumulations, &dlarray([x0, x1])).unwrap();
    assert!((y.get(0) - (s * s + x1.sin())).abs() < 1e-12);
    assert!((g.get(0) - 2.0 * s * (2.0 + x1)).abs() < 1e-12);
    assert!((g.get(1) - (2.0 * s * (-x1.exp() + x0) + x1.cos())).abs() < 1e-12);
}

// A replayed loop inside a function that another differentiable function calls (its pullback runs the
// loop backwards), and a `let` of plain values inside the loop (evaluated again in the reverse sweep).
#[differentiable]
fn weighted_sum_of_squares(x: &DlArray) -> DlArray {
    let mut s = dlarray(0.0);
    for i in 0..x.numel() {
        let w = (i + 1) as f64;
        s = s + w * x[i].powi(2);
    }
    s
}

#[differentiable]
fn calls_a_replayed_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = weighted_sum_of_squares(x).sqrt();
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn replayed_loop_in_a_callee() {
    check(calls_a_replayed_loop, &data(&[1, 4], 22));
    // y = √(Σ (i+1) xᵢ²) at x = [3, 2]: s = 9 + 8 = 17, ∂y/∂xᵢ = (i+1) xᵢ / y
    let (y, g) = dlfeval(calls_a_replayed_loop, &dlarray([3.0, 2.0])).unwrap();
    let r = 17.0_f64.sqrt();
    assert!((y.get(0) - r).abs() < 1e-12);
    assert!((g.get(0) - 3.0 / r).abs() < 1e-12 && (g.get(1) - 4.0 / r).abs() < 1e-12);
}

// ---- local structs holding traced values: field reads, field assignment, whole-struct calls ----

/// The state of a recurrent cell, as a user would group it.
#[derive(Clone, Learnables)]
struct CellState {
    h: DlArray,
    c: DlArray,
}

#[differentiable]
fn cell_step(s: &CellState, w: &DlArray) -> CellState {
    let c = &s.c * 0.5 + (w * &s.h).tanh();
    CellState { h: c.sin() * &s.h, c }
}

// Fields assigned in a loop (`c` starts untraced and becomes traced), compound assignment on a field,
// and the whole struct passed to a differentiable function.
#[differentiable]
fn struct_state(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut st = CellState { h: x * 1.0, c: dlarray(0.0) };
    for i in 0..3 {
        st.c = &st.c + st.h.tanh() * (i as f64);
        st.h = st.h.sin() + &st.c;
        st.h *= 0.9;
    }
    let next = cell_step(&st, x);
    let y = sum(&(&next.h + &st.c), All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn local_struct_fields() {
    check(struct_state, &dlarray([0.3, -0.2, 0.7]));
}

// A closed form: s = S { a: x, b: 2x }; s.a = s.a · s.b; y = s.a + s.b = 2x² + 2x ⇒ y' = 4x + 2.
#[differentiable]
fn field_update(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = CellState { h: x * 1.0, c: x * 2.0 };
    s.h = &s.h * &s.c;
    let y = &s.h + &s.c;
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn field_assignment_closed_form() {
    let (y, g) = dlfeval(field_update, &dlarray(1.5)).unwrap();
    assert_eq!((y.get(0), g.get(0)), (2.0 * 2.25 + 3.0, 4.0 * 1.5 + 2.0));
}

/// `zip` of a traced `Vec` parameter with a local `Vec`: y = Σ aᵢ·bᵢ, dy/daᵢ = bᵢ = i + 1.
#[differentiable]
fn zipped1(ps: &Vec<DlArray>) -> Result<(DlArray, Vec<DlArray>)> {
    let qs = vec![dlarray(1.0), dlarray(2.0), dlarray(3.0)];
    let mut y = dlarray(0.0);
    for (a, b) in ps.iter().zip(qs.iter()) {
        y = y + a * b;
    }
    Ok((y.clone(), dlgradient(&y, ps)?))
}

/// `enumerate` over a traced `Vec`: y = Σ i·aᵢ², dy/daᵢ = 2i·aᵢ (0 and 2·1·(−1) = −2 below).
#[differentiable]
fn enum1(ps: &Vec<DlArray>) -> Result<(DlArray, Vec<DlArray>)> {
    let mut y = dlarray(0.0);
    for (i, a) in ps.iter().enumerate() {
        y = y + a.powi(2) * (i as f64);
    }
    Ok((y.clone(), dlgradient(&y, ps)?))
}

#[test]
fn zip_and_enumerate_over_a_vec_parameter() {
    let ps = vec![dlarray(0.5), dlarray(-1.0)];
    let (_, g) = dlfeval(zipped1, &ps).unwrap();
    assert_eq!(g[0].get(0), 1.0);
    assert_eq!(g[1].get(0), 2.0);
    let (_, g) = dlfeval(enum1, &ps).unwrap();
    assert_eq!(g[0].get(0), 0.0);
    assert_eq!(g[1].get(0), -2.0);
}

//! Loops inside `#[differentiable]`: what a gradient costs beside the primal computation alone, measured
//! in the same run.
//!
//! * `element_loop/{primal,gradient}/n`: Rosenbrock written as an element loop over a dlarray,
//!   `f = f + 100 (x[i+1] − x[i]²)² + (1 − x[i])²`, n = 1e2 … 1e5. Target: the gradient grows linearly
//!   with n and stays within 4x of the primal at every size.
//! * `rnn/{primal,gradient}/1000`: a vanilla RNN cell `h = tanh(W h + U x_t + b)` over 1000 time steps
//!   (hidden 32, input 16), loss `sum(h)`.
//!
//! The primal is the same body as the differentiated function, without `dlgradient`, called outside
//! `dlfeval` (untraced: no stacks). `cargo bench --bench loops`

use std::hint::black_box;

use autodiff::prelude::*;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn rosenbrock_primal(x: &DlArray) -> DlArray {
    let n = x.numel();
    let mut f = dlarray(0.0);
    for i in 0..n - 1 {
        f = f + 100.0 * (x.at(i + 1) - x.at(i).powi(2)).powi(2) + (1.0 - x.at(i)).powi(2);
    }
    f
}

#[differentiable]
fn rosenbrock_gradient(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let mut f = dlarray(0.0);
    for i in 0..n - 1 {
        f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2);
    }
    let g = dlgradient(&f, x)?;
    Ok((f, g))
}

fn start(n: usize) -> DlArray {
    dlarray((0..n).map(|i| if i % 2 == 0 { -1.2 } else { 1.0 }).collect::<Vec<f64>>())
}

fn rosenbrock_loop(c: &mut Criterion) {
    let mut g = c.benchmark_group("element_loop");
    for n in [100usize, 1_000, 10_000, 100_000] {
        let x = start(n);
        g.bench_with_input(BenchmarkId::new("primal", n), &x, |b, x| b.iter(|| black_box(rosenbrock_primal(x))));
        g.bench_with_input(BenchmarkId::new("gradient", n), &x, |b, x| {
            b.iter(|| black_box(dlfeval(rosenbrock_gradient, x).expect("gradient")))
        });
    }
    g.finish();
}

/// Parameters of the RNN cell.
#[derive(Clone, Learnables)]
struct Rnn {
    w: DlArray,
    u: DlArray,
    b: DlArray,
}

fn rnn_primal(p: &Rnn, xs: &DlArray) -> DlArray {
    let steps = xs.size()[1];
    let mut h = zeros::<f64>(&[p.w.size()[0], 1]);
    for t in 0..steps {
        let x_t = xs.at((.., t));
        h = (p.w.matmul(&h) + p.u.matmul(&x_t) + &p.b).tanh();
    }
    sum(&h, All)
}

#[differentiable]
fn rnn_gradient(p: &Rnn, #[untraced] xs: &DlArray) -> Result<(DlArray, Rnn)> {
    let steps = xs.size()[1];
    let mut h = zeros::<f64>(&[p.w.size()[0], 1]);
    for t in 0..steps {
        let x_t = xs.at((.., t));
        h = (p.w.matmul(&h) + p.u.matmul(&x_t) + &p.b).tanh();
    }
    let loss = sum(&h, All);
    Ok((loss.clone(), dlgradient(&loss, p)?))
}

fn rnn(c: &mut Criterion) {
    let (hidden, input, steps) = (32, 16, 1000);
    rng(7);
    let p = Rnn {
        w: randn::<f64>(&[hidden, hidden]) * 0.1,
        u: randn::<f64>(&[hidden, input]) * 0.1,
        b: randn::<f64>(&[hidden, 1]) * 0.1,
    };
    let xs = randn::<f64>(&[input, steps]);
    let mut g = c.benchmark_group("rnn");
    g.bench_function(BenchmarkId::new("primal", steps), |b| b.iter(|| black_box(rnn_primal(&p, &xs))));
    g.bench_function(BenchmarkId::new("gradient", steps), |b| {
        b.iter(|| black_box(dlfeval(|p: &Rnn| rnn_gradient(p, &xs), &p).expect("gradient")))
    });
    g.finish();
}

criterion_group!(benches, rosenbrock_loop, rnn);
criterion_main!(benches);

//! Primitive operations on `DlArray` beside the same computation on raw `ndarray` arrays, in the same
//! run: an elementwise chain, a reduction and a matrix product at 1, 1e3 and 1e6 elements. The target
//! is a ratio ≤ 1.1 at 1e6 elements (the wrapper costs nothing there); at 1 element the ratio shows the
//! fixed cost per operation (a `DlArray` scalar is stored inline, `ndarray` allocates).
//!
//! `cargo bench --bench ops`

use std::hint::black_box;

use autodiff::ndarray::{Array2, ArrayD, IxDyn};
use autodiff::prelude::*;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn data(n: usize) -> (DlArray, ArrayD<f64>) {
    rng(1);
    let x = rand::<f64>(&[1, n]);
    let a = x.extractdata();
    (x, a)
}

fn elementwise(c: &mut Criterion) {
    let mut g = c.benchmark_group("elementwise_chain");
    for n in [1usize, 1_000, 1_000_000] {
        let (x, a) = data(n);
        g.bench_with_input(BenchmarkId::new("dlarray", n), &x, |b, x| {
            b.iter(|| {
                let y = exp(x) * 2.0 + sin(x) - x;
                black_box(y)
            })
        });
        g.bench_with_input(BenchmarkId::new("ndarray", n), &a, |b, a| {
            b.iter(|| {
                let y = a.mapv(f64::exp) * 2.0 + a.mapv(f64::sin) - a;
                black_box(y)
            })
        });
    }
    g.finish();
}

fn reduction(c: &mut Criterion) {
    let mut g = c.benchmark_group("sum_of_squares");
    for n in [1usize, 1_000, 1_000_000] {
        let (x, a) = data(n);
        g.bench_with_input(BenchmarkId::new("dlarray", n), &x, |b, x| b.iter(|| black_box(sum(&(x * x), All))));
        g.bench_with_input(BenchmarkId::new("ndarray", n), &a, |b, a| b.iter(|| black_box((a * a).sum())));
    }
    g.finish();
}

fn matrix_product(c: &mut Criterion) {
    let mut g = c.benchmark_group("matmul");
    g.sample_size(20);
    for n in [1usize, 1_000, 1_000_000] {
        let side = (n as f64).sqrt().round() as usize;
        rng(2);
        let x = rand::<f64>(&[side, side]);
        let y = rand::<f64>(&[side, side]);
        let (a, b2): (Array2<f64>, Array2<f64>) =
            (x.extractdata().into_dimensionality().expect("2-D"), y.extractdata().into_dimensionality().expect("2-D"));
        g.bench_function(BenchmarkId::new("dlarray", n), |b| b.iter(|| black_box(matmul(&x, &y))));
        g.bench_function(BenchmarkId::new("ndarray", n), |b| b.iter(|| black_box(a.dot(&b2))));
    }
    g.finish();
    let _ = IxDyn(&[1]);
}

criterion_group!(benches, elementwise, reduction, matrix_product);
criterion_main!(benches);

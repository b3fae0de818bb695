//! ADBench's GMM objective: the log-likelihood of a Gaussian mixture with a Wishart prior on the
//! precisions (formula in ADBench's documentation, `shared/adbench/README.md` here), vectorized over
//! points and components with matrix products. Shared by `benches/gmm.rs` and
//! `tests/benchmark_problems.rs`.
//!
//! Parameters: `alphas` (K x 1), `means` (D x K), `icf` (D(D+1)/2 x K: per component the D log-diagonal
//! entries `q` of the Cholesky-like factor `Q = diag(exp q) + L`, then the strictly lower entries `l`
//! of `L` column by column). Flattened column-major, that is ADBench's gradient layout (alphas, means
//! and icf component by component).
//!
//! All K factors are stacked into one (K·D) x D matrix `A` (one gather from `[0; exp q; l]`), so that
//! `Q_k (x_i − μ_k)` for every point and component is `(A·X − A·M)` read block by block: two matrix
//! products instead of K·N small ones.

#![allow(dead_code)]

use autodiff::ndarray::Array2;
use autodiff::prelude::*;

/// The parameters.
#[derive(Clone, Learnables)]
pub(crate) struct Gmm {
    pub(crate) alphas: DlArray,
    pub(crate) means: DlArray,
    pub(crate) icf: DlArray,
}

/// The points and the prior, with the gathers that build `A` precomputed (they depend on D and K only).
pub(crate) struct Data {
    /// D x N points.
    pub(crate) x: DlArray,
    pub(crate) gamma: f64,
    pub(crate) m: usize,
    pub(crate) d: usize,
    pub(crate) k: usize,
    /// Positions in the (1 + D(D+1)/2) x K table `[0; exp q; l]` of every element of `A`, column-major.
    pub(crate) gather: Vec<usize>,
    /// Positions of the diagonal blocks (`block k`, column `k`) in the (K·D) x K matrix `A·M`.
    pub(crate) diag: Vec<usize>,
}

impl Data {
    pub(crate) fn new(x: DlArray, k: usize, gamma: f64, m: usize) -> Data {
        let d = x.size()[0];
        let rows = 1 + d * (d + 1) / 2;
        // the position of L[j, i] (j > i) among the strictly lower entries, column by column
        let lower = |i: usize, j: usize| (0..i).map(|c| d - 1 - c).sum::<usize>() + (j - i - 1);
        let mut gather = Vec::with_capacity(k * d * d);
        for i in 0..d {
            for r in 0..k * d {
                let (c, j) = (r / d, r % d);
                let within = match j.cmp(&i) {
                    std::cmp::Ordering::Equal => 1 + i,
                    std::cmp::Ordering::Greater => 1 + d + lower(i, j),
                    std::cmp::Ordering::Less => 0,
                };
                gather.push(c * rows + within);
            }
        }
        let diag = (0..k).flat_map(|c| (0..d).map(move |j| (c * d + j) + c * k * d)).collect();
        Data { x, gamma, m, d, k, gather, diag }
    }

    /// `K·C`, the prior's normalizing constant: `C = n·D·(ln γ − ½ ln 2) − ln Γ_D(n/2)`, `n = D + m + 1`.
    fn prior_constant(&self) -> f64 {
        let d = self.d as f64;
        let n = d + self.m as f64 + 1.0;
        let a = n / 2.0;
        let mvlgamma = 0.25 * d * (d - 1.0) * std::f64::consts::PI.ln()
            + (1..=self.d).map(|j| libm::lgamma(a + (1.0 - j as f64) / 2.0)).sum::<f64>();
        self.k as f64 * (n * d * (self.gamma.ln() - 0.5 * 2f64.ln()) - mvlgamma)
    }

    /// `−N·D/2·ln 2π − K·C`: the terms that do not depend on the parameters.
    fn constant(&self) -> f64 {
        let n = self.x.size()[1] as f64;
        -n * self.d as f64 * 0.5 * (2.0 * std::f64::consts::PI).ln() - self.prior_constant()
    }
}

/// The objective alone (the primal).
pub(crate) fn objective(p: &Gmm, data: &Data) -> DlArray {
    let (d, k, n) = (data.d, data.k, data.x.size()[1]);
    let q = p.icf.at((0..d, ..));
    let e = q.exp();
    let l = p.icf.at((d.., ..));
    let table = cat(0, &[&zeros::<f64>(&[1, k]), &e, &l]);
    let a = table.at(&data.gather[..]).reshape(&[k * d, d]);
    let b = a.matmul(&p.means).at(&data.diag[..]).reshape(&[k * d, 1]);
    let r = a.matmul(&data.x) - b;
    let sq = sum(&r.powi(2).reshape(&[d, k, n]), 0).reshape(&[k, n]);
    let inner = &p.alphas + sum(&q, 0).transpose() - sq * 0.5;
    let prior =
        (sum(&e.powi(2), All) + sum(&l.powi(2), All)) * (0.5 * data.gamma * data.gamma) - sum(&q, All) * data.m as f64;
    sum(&logsumexp(&inner, 0), All) - logsumexp(&p.alphas, All) * n as f64 + prior + data.constant()
}

/// Value and gradient, generated.
#[differentiable]
pub(crate) fn objective_and_gradient(p: &Gmm, #[untraced] data: &Data) -> Result<(DlArray, Gmm)> {
    let (d, k, n) = (data.d, data.k, data.x.size()[1]);
    let q = p.icf.at((0..d, ..));
    let e = q.exp();
    let l = p.icf.at((d.., ..));
    let table = cat(0, &[&zeros::<f64>(&[1, k]), &e, &l]);
    let a = table.at(&data.gather[..]).reshape(&[k * d, d]);
    let b = a.matmul(&p.means).at(&data.diag[..]).reshape(&[k * d, 1]);
    let r = a.matmul(&data.x) - b;
    let sq = sum(&r.powi(2).reshape(&[d, k, n]), 0).reshape(&[k, n]);
    let inner = &p.alphas + sum(&q, 0).transpose() - sq * 0.5;
    let prior =
        (sum(&e.powi(2), All) + sum(&l.powi(2), All)) * (0.5 * data.gamma * data.gamma) - sum(&q, All) * data.m as f64;
    let value = sum(&logsumexp(&inner, 0), All) - logsumexp(&p.alphas, All) * n as f64 + prior + data.constant();
    let gradient = dlgradient(&value, p)?;
    Ok((value, gradient))
}

/// Value and gradient, the same computation with its adjoint written by hand.
pub(crate) fn objective_and_gradient_by_hand(p: &Gmm, data: &Data) -> (DlArray, Gmm) {
    let (d, k, n) = (data.d, data.k, data.x.size()[1]);
    // forward, keeping what the adjoint reads
    let q = p.icf.at((0..d, ..));
    let e = q.exp();
    let l = p.icf.at((d.., ..));
    let table = cat(0, &[&zeros::<f64>(&[1, k]), &e, &l]);
    let a = table.at(&data.gather[..]).reshape(&[k * d, d]);
    let b = a.matmul(&p.means).at(&data.diag[..]).reshape(&[k * d, 1]);
    let r = a.matmul(&data.x) - b;
    let sq = sum(&r.powi(2).reshape(&[d, k, n]), 0).reshape(&[k, n]);
    let inner = &p.alphas + sum(&q, 0).transpose() - sq * 0.5;
    let lse = logsumexp(&inner, 0);
    let g2 = data.gamma * data.gamma;
    let prior = (sum(&e.powi(2), All) + sum(&l.powi(2), All)) * (0.5 * g2) - sum(&q, All) * data.m as f64;
    let value = sum(&lse, All) - logsumexp(&p.alphas, All) * n as f64 + prior + data.constant();
    // reverse: w = softmax over components per point = ∂value/∂inner
    let w = (inner - lse).exp();
    let w_sum = sum(&w, 1); // K x 1
    let alphas = &w_sum - softmax(&p.alphas) * n as f64;
    // ∂/∂r = −w (per block) ⊙ r;  ∂/∂(A·X) = r̄;  ∂/∂b = −Σ_n r̄
    let r_bar = (r.reshape(&[d, k, n]) * (-&w).reshape(&[1, k, n])).reshape(&[k * d, n]);
    let b_bar = -sum(&r_bar, 1);
    let mut am_bar = Array2::<f64>::zeros((k * d, k));
    for (t, &pos) in data.diag.iter().enumerate() {
        am_bar[[pos % (k * d), pos / (k * d)]] = b_bar.get(t);
    }
    let am_bar = dlarray(am_bar);
    let a_bar = r_bar.matmul(&data.x.transpose()) + am_bar.matmul(&p.means.transpose());
    let means = a.transpose().matmul(&am_bar);
    // scatter Ā into the table [0; exp q; l]
    let mut table_bar = Array2::<f64>::zeros((1 + d * (d + 1) / 2, k));
    let rows = table_bar.nrows();
    for (t, &pos) in data.gather.iter().enumerate() {
        table_bar[[pos % rows, pos / rows]] += a_bar.get(t);
    }
    let table_bar = dlarray(table_bar);
    let e_bar = table_bar.at((1..1 + d, ..)) + &e * g2;
    let l_bar = table_bar.at((1 + d.., ..)) + &l * g2;
    // q enters through exp, through Σ q in `inner` (every point) and through the prior
    let q_bar = e_bar * e + w_sum.transpose() - data.m as f64;
    let icf = cat(0, &[&q_bar, &l_bar]);
    (value, Gmm { alphas, means, icf })
}

/// Data of GradBench's shapes (D, K, N): points and parameters from the library's seeded generator.
pub(crate) fn generated(d: usize, k: usize, n: usize, seed: u64) -> (Gmm, Data) {
    rng(seed);
    let p = Gmm {
        alphas: randn::<f64>(&[k, 1]),
        means: rand::<f64>(&[d, k]),
        icf: randn::<f64>(&[d * (d + 1) / 2, k]) * 0.5,
    };
    let x = rand::<f64>(&[d, n]);
    (p, Data::new(x, k, 1.0, 0))
}

/// The parameters' gradient flattened in ADBench's layout: alphas, means and icf, each component by
/// component (column-major).
pub(crate) fn flat(g: &Gmm) -> Vec<f64> {
    [&g.alphas, &g.means, &g.icf].iter().flat_map(|a| a.to_vec()).collect()
}

//! The benchmark problems compute what they claim: values and gradients checked against closed forms,
//! against the same computation differentiated by hand, and against the numbers PyTorch, JAX and
//! ADBench publish for the same inputs. (The timings themselves live in `benches/`.)

use autodiff::prelude::*;

#[path = "../benches/problems/rosenbrock.rs"]
mod rosenbrock;

#[path = "../benches/problems/mlp.rs"]
mod mlp;

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol * (1.0 + y.abs()))
}

// ---- Rosenbrock ----

#[test]
fn rosenbrock_three_ways_agree() {
    for n in [2usize, 3, 100, 1001] {
        let x = rosenbrock::start(n);
        let (f, g) = dlfeval(rosenbrock::vectorized, &x).unwrap();
        let (fh, gh) = rosenbrock::vectorized_by_hand(&x);
        let (fl, gl) = dlfeval(rosenbrock::element_loop, &x).unwrap();
        let (fp, gp) = rosenbrock::element_loop_by_hand(&x);
        let mut gplain = vec![0.0; n];
        let fplain = rosenbrock::plain(&x.to_vec(), &mut gplain);
        // the value at the start point has a closed form (peers/rosenbrock.py)
        let want = rosenbrock::start_value(n);
        for v in [f.get(0), fh.get(0), fl.get(0), fp.get(0), fplain, rosenbrock::vectorized_primal(&x).get(0)] {
            assert!((v - want).abs() <= 1e-9 * want, "n = {n}: {v} vs {want}");
        }
        for other in [gh.to_vec(), gl.to_vec(), gp.to_vec()] {
            assert!(close(&g.to_vec(), &other, 1e-12), "n = {n}");
        }
        assert!(close(&g.to_vec(), &gplain, 1e-12));
    }
    // and the seed's point: 104, [396 200]
    let (f, g) = dlfeval(rosenbrock::vectorized, &dlarray([-1.0, 2.0])).unwrap();
    assert_eq!((f.get(0), g.to_vec()), (104.0, vec![396.0, 200.0]));
}

// ---- MLP ----

// Reference numbers from `peers/mlp.py` (numpy hand-written backprop, float64; PyTorch and JAX agree
// to 1e-15): the loss and, per parameter, the sum and the L1 norm of the gradient (invariant under
// the transposition between the peers' row layout and this library's column layout).
const MLP_LOSS: f64 = 2.3030406702800996;
const MLP_GRAD_SUMS: [f64; 4] = [0.5747351475743123, -0.008738484247986946, 0.0, 0.0];
const MLP_GRAD_L1: [f64; 4] = [150.7559610934791, 0.4937558356243332, 0.9137919569716341, 0.025766452787526414];

fn sums_and_l1<T: Real>(g: &mlp::Mlp<T>) -> ([f64; 4], [f64; 4]) {
    let parts = [&g.w1, &g.b1, &g.w2, &g.b2];
    let s = parts.map(|p| p.to_vec().iter().map(|v| v.to_f64()).sum::<f64>());
    let l1 = parts.map(|p| p.to_vec().iter().map(|v| v.to_f64().abs()).sum::<f64>());
    (s, l1)
}

#[test]
fn mlp_matches_the_peers_in_f64() {
    let (x, t) = mlp::data::<f64>();
    let p = mlp::params::<f64>();
    let (loss, g) = dlfeval(mlp::loss_and_gradient, (&p, &x, &t)).unwrap();
    assert!((loss.get(0) - MLP_LOSS).abs() < 1e-13, "{}", loss.get(0));
    assert!((mlp::loss(&p, &x, &t).get(0) - MLP_LOSS).abs() < 1e-13);
    let (s, l1) = sums_and_l1(&g);
    // W2's and b2's gradients sum to 0 up to rounding (softmax minus one-hot sums to 0 per sample)
    assert!(close(&s[..2], &MLP_GRAD_SUMS[..2], 1e-12) && s[2].abs() < 1e-13 && s[3].abs() < 1e-13, "{s:?}");
    assert!(close(&l1, &MLP_GRAD_L1, 1e-12), "{l1:?}");
    // the same computation differentiated by hand
    let (lh, gh) = mlp::loss_and_gradient_by_hand(&p, &x, &t);
    assert_eq!(lh.get(0), loss.get(0));
    for (a, b) in [(&g.w1, &gh.w1), (&g.b1, &gh.b1), (&g.w2, &gh.w2), (&g.b2, &gh.b2)] {
        assert_eq!(a.size(), b.size());
        assert!(close(&a.to_vec(), &b.to_vec(), 1e-12));
    }
}

#[test]
fn mlp_matches_the_peers_in_f32() {
    let (x, t) = mlp::data::<f32>();
    let p = mlp::params::<f32>();
    let (loss, g) = dlfeval(mlp::loss_and_gradient, (&p, &x, &t)).unwrap();
    assert!((loss.get(0) as f64 - MLP_LOSS).abs() < 1e-5);
    let (s, l1) = sums_and_l1(&g);
    assert!(close(&s[..2], &MLP_GRAD_SUMS[..2], 1e-5), "{s:?}");
    assert!(close(&l1, &MLP_GRAD_L1, 1e-5), "{l1:?}");
}

#[test]
fn mlp_sgd_step() {
    let (x, t) = mlp::data::<f64>();
    let p = mlp::params::<f64>();
    let (_, g) = dlfeval(mlp::loss_and_gradient, (&p, &x, &t)).unwrap();
    let q = mlp::sgd(&p, &g);
    // θ ← θ − 0.1·g, every parameter
    for (new, (old, grad)) in [(&q.w1, (&p.w1, &g.w1)), (&q.b2, (&p.b2, &g.b2))] {
        for k in [0, new.numel() - 1] {
            assert_eq!(new.get(k), old.get(k) - grad.get(k) * 0.1);
        }
    }
    // the step lowers the loss (measured: 2.3030407 → 2.3026609)
    let (before, after) = (mlp::loss(&p, &x, &t).get(0), mlp::loss(&q, &x, &t).get(0));
    assert!(after < before - 1e-4, "{before} → {after}");
}

// ---- GMM ----

#[path = "../benches/problems/gmm.rs"]
mod gmm;

/// ADBench's GMM unit-test input `gmm/test.txt` (D = 2, K = 3, N = 1, γ = 1, m = 0) and its expected
/// value and 18 gradient entries (`test/cpp/modules/common/GmmTests.cpp`), from microsoft/ADBench at
/// commit 38cb7931, MIT licence (Copyright (c) Microsoft Corporation). Copied as data.
fn adbench_test_input() -> (gmm::Gmm, gmm::Data) {
    let p = gmm::Gmm {
        alphas: dlarray(vec![-0.649014, 1.181166, -0.758453]).reshape(&[3, 1]),
        // one column per component
        means: dlarray(vec![0.092339, 0.186260, 0.345561, 0.396767, 0.538817, 0.419195]).reshape(&[2, 3]),
        icf: dlarray(vec![
            0.586443, -0.851887, 0.800321, //
            -1.509405, 0.875874, -0.242790, //
            0.166813, -1.965419, -1.270071,
        ])
        .reshape(&[3, 3]),
    };
    let x = dlarray(vec![1.175171, 2.029160]).reshape(&[2, 1]);
    (p, gmm::Data::new(x, 3, 1.0, 0))
}

const ADBENCH_VALUE: f64 = 8.073_804_080_049_758; // 8.07380408004975791 in ADBench's file
const ADBENCH_GRADIENT: [f64; 18] = [
    0.10866285550865246,
    -0.7412700395238985,
    0.6326071840152461,
    1.1169257653278701,
    0.16333301355145527,
    -0.021998982407119314,
    0.2277782922542361,
    1.2096302561283219,
    -0.060637592073395634,
    2.5852999405116224,
    0.11263269452421379,
    0.3857443098496118,
    0.07351805731823055,
    5.418363627155952,
    -0.32149440967744647,
    1.7189230977500494,
    0.8600910907908669,
    -0.9946409304663228,
];

#[test]
fn gmm_adbench_test_input() {
    let (p, data) = adbench_test_input();
    let (value, g) = dlfeval(|p: &gmm::Gmm| gmm::objective_and_gradient(p, &data), &p).unwrap();
    // ADBench checks with tolerance 1e-8
    assert!((value.get(0) - ADBENCH_VALUE).abs() < 1e-8, "{}", value.get(0));
    assert!((gmm::objective(&p, &data).get(0) - ADBENCH_VALUE).abs() < 1e-8);
    let flat = gmm::flat(&g);
    for (k, (got, want)) in flat.iter().zip(ADBENCH_GRADIENT).enumerate() {
        assert!((got - want).abs() < 1e-8, "entry {k}: {got} vs {want}");
    }
    let (vh, gh) = gmm::objective_and_gradient_by_hand(&p, &data);
    assert!((vh.get(0) - ADBENCH_VALUE).abs() < 1e-8);
    assert!(close(&gmm::flat(&gh), &ADBENCH_GRADIENT, 1e-8));
}

#[test]
fn gmm_generated_data_gradients_agree() {
    for (d, k, n) in [(2, 5, 20), (5, 3, 7), (10, 4, 15)] {
        let (p, data) = gmm::generated(d, k, n, 7);
        let (v, g) = dlfeval(|p: &gmm::Gmm| gmm::objective_and_gradient(p, &data), &p).unwrap();
        let (vh, gh) = gmm::objective_and_gradient_by_hand(&p, &data);
        assert!((v.get(0) - vh.get(0)).abs() < 1e-9 * (1.0 + v.get(0).abs()));
        assert!(close(&gmm::flat(&g), &gmm::flat(&gh), 1e-9), "D={d} K={k} N={n}");
        // and against finite differences
        let report = gradcheck(|p: &gmm::Gmm| gmm::objective_and_gradient(p, &data), &p).unwrap();
        assert!(report.passed(), "{report:?}");
    }
}

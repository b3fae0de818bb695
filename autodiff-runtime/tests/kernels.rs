//! Every adjoint kernel against central finite differences in f64.
//!
//! For a primitive `out = f(x₁, …, xₖ)` and a random cotangent `w` of `out`'s size, the scalar
//! `L = Σ w ⊙ f(x)` has `∂L/∂xᵢ` = what the adjoint kernel of `xᵢ` accumulates when given `g = w`.
//! The numeric side perturbs one element at a time: `(L(x + h·eⱼ) − L(x − h·eⱼ)) / 2h`, `h = 1e-6`.
//! Each kernel is also run twice into one slot, which must give exactly twice the gradient (the
//! in-place accumulation path), and sizes include MATLAB implicit-expansion cases.

use autodiff_runtime::private::{finish, ops, slot};
use autodiff_runtime::{All, DlArray, dlarray, randn, rng};

type Fwd = Box<dyn Fn(&[DlArray]) -> DlArray>;
type Adj = Box<dyn Fn(&mut DlArray, &DlArray, &DlArray, &[DlArray])>;

fn lsum(w: &DlArray, y: &DlArray) -> f64 {
    assert_eq!(w.size(), y.size(), "cotangent size");
    w.to_vec().iter().zip(y.to_vec()).map(|(a, b)| a * b).sum()
}

/// Checks the adjoints of `f` at `inputs`; `adjoints[i]` is `None` for a non-differentiable operand.
fn check(name: &str, inputs: Vec<DlArray>, f: Fwd, adjoints: Vec<Option<Adj>>) {
    let out = f(&inputs);
    let w = randn::<f64>(out.size());
    for (i, adj) in adjoints.iter().enumerate() {
        let Some(adj) = adj else { continue };
        let mut s = slot(&inputs[i]);
        adj(&mut s, &w, &out, &inputs);
        let analytic = finish(s, &inputs[i]);
        assert_eq!(analytic.size(), inputs[i].size(), "{name}: gradient size of operand {i}");
        // twice into one slot: the in-place path
        let mut s2 = slot(&inputs[i]);
        adj(&mut s2, &w, &out, &inputs);
        adj(&mut s2, &w, &out, &inputs);
        let twice = finish(s2, &inputs[i]);
        let h = 1e-6;
        for k in 0..inputs[i].numel() {
            let shifted = |d: f64| {
                let mut xs = inputs.clone();
                let v = xs[i].get(k);
                xs[i] = xs[i].assign(k, &(v + d));
                lsum(&w, &f(&xs))
            };
            let numeric = (shifted(h) - shifted(-h)) / (2.0 * h);
            let a = analytic.get(k);
            assert!(
                (a - numeric).abs() <= 1e-6 + 1e-5 * numeric.abs(),
                "{name}: operand {i}, element {k}: analytic {a} vs numeric {numeric} (inputs {:?})",
                inputs.iter().map(|x| x.size().to_vec()).collect::<Vec<_>>()
            );
            let t = twice.get(k);
            assert!((t - 2.0 * a).abs() <= 1e-12 * (1.0 + a.abs()), "{name}: accumulation {t} vs 2×{a}");
        }
    }
}

/// Random values in (lo, hi) of the given size.
fn uniform(size: &[usize], lo: f64, hi: f64) -> DlArray {
    let r = autodiff_runtime::rand::<f64>(size);
    &(&r * (hi - lo)) + lo
}

/// Random values with |x| in (0.2, 2): away from kinks at 0.
fn away_from_zero(size: &[usize]) -> DlArray {
    let m = uniform(size, 0.2, 2.0);
    let s = randn::<f64>(size).sign(); // ±1 (a standard normal sample is never exactly 0 here)
    &m * &s
}

const SHAPES: &[&[usize]] = &[&[1, 1], &[1, 5], &[4, 1], &[3, 4], &[2, 3, 2]];

/// Operand size pairs exercising implicit expansion.
const PAIRS: &[(&[usize], &[usize])] = &[
    (&[3, 4], &[3, 4]),
    (&[3, 1], &[1, 4]),
    (&[1, 1], &[2, 3]),
    (&[2, 3], &[1, 1]),
    (&[2, 3, 2], &[2, 3]),
    (&[2, 1, 3], &[1, 4, 1]),
    (&[1, 5], &[1, 5]),
];

macro_rules! unary_test {
    ($test:ident, $f:path, $adj:path, $gen:expr) => {
        #[test]
        fn $test() {
            rng(7);
            for size in SHAPES {
                let x: DlArray = $gen(size);
                check(
                    stringify!($f),
                    vec![x],
                    Box::new(|xs| $f(&xs[0])),
                    vec![Some(Box::new(|s, g, o, xs| $adj(s, g, o, &xs[0])))],
                );
            }
        }
    };
}

fn any(size: &[usize]) -> DlArray {
    randn::<f64>(size)
}
fn positive(size: &[usize]) -> DlArray {
    uniform(size, 0.3, 3.0)
}
fn unit(size: &[usize]) -> DlArray {
    uniform(size, -0.9, 0.9)
}

unary_test!(grad_uminus, ops::uminus, ops::uminus_adj, any);
unary_test!(grad_exp, ops::exp, ops::exp_adj, any);
unary_test!(grad_log, ops::log, ops::log_adj, positive);
unary_test!(grad_log1p, ops::log1p, ops::log1p_adj, positive);
unary_test!(grad_sqrt, ops::sqrt, ops::sqrt_adj, positive);
unary_test!(grad_abs, ops::abs, ops::abs_adj, away_from_zero);
unary_test!(grad_sin, ops::sin, ops::sin_adj, any);
unary_test!(grad_cos, ops::cos, ops::cos_adj, any);
unary_test!(grad_tan, ops::tan, ops::tan_adj, unit);
unary_test!(grad_asin, ops::asin, ops::asin_adj, unit);
unary_test!(grad_acos, ops::acos, ops::acos_adj, unit);
unary_test!(grad_atan, ops::atan, ops::atan_adj, any);
unary_test!(grad_sinh, ops::sinh, ops::sinh_adj, any);
unary_test!(grad_cosh, ops::cosh, ops::cosh_adj, any);
unary_test!(grad_tanh, ops::tanh, ops::tanh_adj, any);
unary_test!(grad_erf, ops::erf, ops::erf_adj, any);
unary_test!(grad_relu, ops::relu, ops::relu_adj, away_from_zero);
unary_test!(grad_gelu, ops::gelu, ops::gelu_adj, any);
unary_test!(grad_sigmoid, ops::sigmoid, ops::sigmoid_adj, any);
unary_test!(grad_softplus, ops::softplus, ops::softplus_adj, any);
unary_test!(grad_transpose, ops::transpose_2d, ops::transpose_adj_2d, any);
unary_test!(grad_squeeze, ops::squeeze, ops::squeeze_adj, any);
unary_test!(grad_softmax, ops::softmax, ops::softmax_adj, any);
unary_test!(grad_norm, ops::norm, ops::norm_adj, any);

// Piecewise-constant functions: derivative 0 everywhere (their kernels add nothing; FD away from jumps
// agrees).
unary_test!(grad_floor, ops::floor, ops::floor_adj, |s| &uniform(s, 0.1, 0.9) + 2.0);
unary_test!(grad_ceil, ops::ceil, ops::ceil_adj, |s| &uniform(s, 0.1, 0.9) + 2.0);
unary_test!(grad_round, ops::round, ops::round_adj, |s| &uniform(s, 0.1, 0.4) + 2.0);
unary_test!(grad_fix, ops::fix, ops::fix_adj, |s| &uniform(s, 0.1, 0.9) - 3.0);
unary_test!(grad_sign, ops::sign, ops::sign_adj, away_from_zero);

#[test]
fn grad_powi() {
    rng(8);
    for n in [-2, 0, 1, 2, 3, 5] {
        for size in SHAPES {
            let x = away_from_zero(size);
            check(
                "powi",
                vec![x],
                Box::new(move |xs| ops::powi(&xs[0], n)),
                vec![Some(Box::new(move |s, g, o, xs| ops::powi_adj(s, g, o, &xs[0], n)))],
            );
        }
    }
}

#[test]
fn grad_powf() {
    rng(9);
    for p in [0.5, 1.5, -0.7, 2.0] {
        for size in SHAPES {
            check(
                "powf",
                vec![positive(size)],
                Box::new(move |xs| ops::powf(&xs[0], p)),
                vec![Some(Box::new(move |s, g, o, xs| ops::powf_adj(s, g, o, &xs[0], p)))],
            );
        }
    }
}

#[test]
fn grad_leakyrelu() {
    rng(10);
    for size in SHAPES {
        check(
            "leakyrelu",
            vec![away_from_zero(size)],
            Box::new(|xs| ops::leakyrelu(&xs[0], 0.05)),
            vec![Some(Box::new(|s, g, o, xs| ops::leakyrelu_adj(s, g, o, &xs[0], 0.05)))],
        );
    }
}

macro_rules! binary_test {
    ($test:ident, $f:path, $adj0:path, $adj1:path, $gen_a:expr, $gen_b:expr) => {
        #[test]
        fn $test() {
            rng(11);
            for (sa, sb) in PAIRS {
                let (a, b): (DlArray, DlArray) = ($gen_a(sa), $gen_b(sb));
                check(
                    stringify!($f),
                    vec![a.clone(), b.clone()],
                    Box::new(|xs| $f(&xs[0], &xs[1])),
                    vec![
                        Some(Box::new(|s, g, o, xs| $adj0(s, g, o, &xs[0], &xs[1]))),
                        Some(Box::new(|s, g, o, xs| $adj1(s, g, o, &xs[0], &xs[1]))),
                    ],
                );
                // a plain number on either side: only the dlarray operand has an adjoint
                check(
                    concat!(stringify!($f), " (scalar rhs)"),
                    vec![a],
                    Box::new(|xs| $f(&xs[0], &1.25)),
                    vec![Some(Box::new(|s, g, o, xs| $adj0(s, g, o, &xs[0], &1.25)))],
                );
                check(
                    concat!(stringify!($f), " (scalar lhs)"),
                    vec![b],
                    Box::new(|xs| $f(&0.75, &xs[0])),
                    vec![Some(Box::new(|s, g, o, xs| $adj1(s, g, o, &0.75, &xs[0])))],
                );
            }
        }
    };
}

binary_test!(grad_plus, ops::plus, ops::plus_adj0, ops::plus_adj1, any, any);
binary_test!(grad_minus, ops::minus, ops::minus_adj0, ops::minus_adj1, any, any);
binary_test!(grad_times, ops::times, ops::times_adj0, ops::times_adj1, any, any);
binary_test!(grad_rdivide, ops::rdivide, ops::rdivide_adj0, ops::rdivide_adj1, any, away_from_zero);
binary_test!(grad_power, ops::power, ops::power_adj0, ops::power_adj1, positive, any);
binary_test!(grad_atan2, ops::atan2, ops::atan2_adj0, ops::atan2_adj1, any, any);
binary_test!(grad_hypot, ops::hypot, ops::hypot_adj0, ops::hypot_adj1, any, any);
binary_test!(grad_maximum, ops::maximum, ops::maximum_adj0, ops::maximum_adj1, any, any);
binary_test!(grad_minimum, ops::minimum, ops::minimum_adj0, ops::minimum_adj1, any, any);

macro_rules! reduction_test {
    ($test:ident, $f:path, $adj:path, $gen:expr) => {
        #[test]
        fn $test() {
            rng(12);
            let dims: Vec<autodiff_runtime::Dims> =
                vec![All.into(), 0.into(), 1.into(), 2.into(), [0, 2].into(), [0, 1].into()];
            for size in SHAPES {
                for d in &dims {
                    let x: DlArray = $gen(size);
                    let (d1, d2) = (d.clone(), d.clone());
                    check(
                        stringify!($f),
                        vec![x],
                        Box::new(move |xs| $f(&xs[0], d1.clone())),
                        vec![Some(Box::new(move |s, g, o, xs| $adj(s, g, o, &xs[0], d2.clone())))],
                    );
                }
            }
        }
    };
}

reduction_test!(grad_sum, ops::sum, ops::sum_adj, any);
reduction_test!(grad_mean, ops::mean, ops::mean_adj, any);
reduction_test!(grad_prod, ops::prod, ops::prod_adj, away_from_zero);
reduction_test!(grad_max, ops::max, ops::max_adj, any);
reduction_test!(grad_min, ops::min, ops::min_adj, any);
reduction_test!(grad_var, ops::var, ops::var_adj, any);
reduction_test!(grad_std, ops::std, ops::std_adj, any);
reduction_test!(grad_logsumexp, ops::logsumexp, ops::logsumexp_adj, any);

#[test]
fn grad_prod_with_zeros() {
    // ∂/∂xᵢ ∏x = ∏_{j≠i} xⱼ: with one zero only that element gets a non-zero gradient.
    let x = dlarray([[2.0, 0.0, 3.0]]);
    let out = ops::prod(&x, All);
    let mut s = slot(&x);
    ops::prod_adj(&mut s, &dlarray(1.0), &out, &x, All);
    assert_eq!(finish(s, &x).to_vec(), vec![0.0, 6.0, 0.0]);
    // two zeros: every gradient is 0
    let x = dlarray([[0.0, 0.0, 3.0]]);
    let mut s = slot(&x);
    ops::prod_adj(&mut s, &dlarray(1.0), &ops::prod(&x, All), &x, All);
    assert_eq!(finish(s, &x).to_vec(), vec![0.0, 0.0, 0.0]);
}

#[test]
fn grad_cumsum() {
    rng(13);
    for size in SHAPES {
        for dim in 0..3 {
            check(
                "cumsum",
                vec![any(size)],
                Box::new(move |xs| ops::cumsum(&xs[0], dim)),
                vec![Some(Box::new(move |s, g, o, xs| ops::cumsum_adj(s, g, o, &xs[0], dim)))],
            );
        }
    }
}

#[test]
fn grad_matmul() {
    rng(14);
    for (m, k, n) in [(1, 1, 1), (2, 3, 4), (4, 1, 3), (1, 5, 1), (3, 3, 3)] {
        check(
            "matmul",
            vec![any(&[m, k]), any(&[k, n])],
            Box::new(|xs| ops::matmul(&xs[0], &xs[1])),
            vec![
                Some(Box::new(|s, g, o, xs| ops::matmul_adj0(s, g, o, &xs[0], &xs[1]))),
                Some(Box::new(|s, g, o, xs| ops::matmul_adj1(s, g, o, &xs[0], &xs[1]))),
            ],
        );
    }
    // a 1x1 operand scales elementwise, as MATLAB's mtimes
    check(
        "matmul (scalar)",
        vec![any(&[1, 1]), any(&[2, 3])],
        Box::new(|xs| ops::matmul(&xs[0], &xs[1])),
        vec![
            Some(Box::new(|s, g, o, xs| ops::matmul_adj0(s, g, o, &xs[0], &xs[1]))),
            Some(Box::new(|s, g, o, xs| ops::matmul_adj1(s, g, o, &xs[0], &xs[1]))),
        ],
    );
}

#[test]
fn grad_reshape() {
    rng(15);
    check(
        "reshape",
        vec![any(&[2, 3, 2])],
        Box::new(|xs| ops::reshape(&xs[0], &[4, 3])),
        vec![Some(Box::new(|s, g, o, xs| ops::reshape_adj(s, g, o, &xs[0], &[4, 3])))],
    );
}

#[test]
fn grad_permute() {
    rng(16);
    for order in [[0, 1, 2], [2, 0, 1], [1, 0, 2], [1, 2, 0]] {
        check(
            "permute",
            vec![any(&[2, 3, 4])],
            Box::new(move |xs| ops::permute(&xs[0], &order)),
            vec![Some(Box::new(move |s, g, o, xs| ops::permute_adj(s, g, o, &xs[0], &order)))],
        );
    }
}

#[test]
fn grad_repmat() {
    rng(17);
    for reps in [[2usize, 1], [1, 3], [2, 2]] {
        for size in [&[1usize, 1][..], &[2, 3], &[3, 1]] {
            check(
                "repmat",
                vec![any(size)],
                Box::new(move |xs| ops::repmat(&xs[0], &reps)),
                vec![Some(Box::new(move |s, g, o, xs| ops::repmat_adj(s, g, o, &xs[0], &reps)))],
            );
        }
    }
}

#[test]
fn grad_cat() {
    rng(18);
    for dim in 0..3 {
        let mut a_size = vec![2, 3, 2];
        let mut b_size = a_size.clone();
        b_size[dim] = 1;
        a_size[dim] = 3;
        let inputs = vec![any(&a_size), any(&b_size), any(&a_size)];
        let adj = |i: usize| -> Option<Adj> {
            Some(Box::new(move |s, g, o, xs| ops::cat_adj(s, g, o, dim, &[&xs[0], &xs[1], &xs[2]], i)))
        };
        check(
            "cat",
            inputs,
            Box::new(move |xs| ops::cat(dim, &[&xs[0], &xs[1], &xs[2]])),
            vec![adj(0), adj(1), adj(2)],
        );
    }
}

#[test]
fn grad_flip() {
    rng(19);
    for size in SHAPES {
        for dim in 0..3 {
            check(
                "flip",
                vec![any(size)],
                Box::new(move |xs| ops::flip(&xs[0], dim)),
                vec![Some(Box::new(move |s, g, o, xs| ops::flip_adj(s, g, o, &xs[0], dim)))],
            );
        }
    }
}

#[test]
fn grad_index() {
    rng(20);
    let x = any(&[3, 4]);
    check(
        "index k",
        vec![x.clone()],
        Box::new(|xs| ops::index(&xs[0], 5)),
        vec![Some(Box::new(|s, g, o, xs| ops::index_adj(s, g, o, &xs[0], 5)))],
    );
    check(
        "index (i,j)",
        vec![x.clone()],
        Box::new(|xs| ops::index(&xs[0], (2, 1))),
        vec![Some(Box::new(|s, g, o, xs| ops::index_adj(s, g, o, &xs[0], (2, 1))))],
    );
    check(
        "index range",
        vec![x.clone()],
        Box::new(|xs| ops::index(&xs[0], 2..9)),
        vec![Some(Box::new(|s, g, o, xs| ops::index_adj(s, g, o, &xs[0], 2..9)))],
    );
    check(
        "index (:,j)",
        vec![x.clone()],
        Box::new(|xs| ops::index(&xs[0], (.., 3))),
        vec![Some(Box::new(|s, g, o, xs| ops::index_adj(s, g, o, &xs[0], (.., 3))))],
    );
    // repeated positions accumulate
    check(
        "index list",
        vec![x.clone()],
        Box::new(|xs| ops::index(&xs[0], vec![1, 1, 7, 0])),
        vec![Some(Box::new(|s, g, o, xs| ops::index_adj(s, g, o, &xs[0], vec![1, 1, 7, 0])))],
    );
    let v = any(&[1, 6]);
    check(
        "index vector range",
        vec![v],
        Box::new(|xs| ops::index(&xs[0], 1..)),
        vec![Some(Box::new(|s, g, o, xs| ops::index_adj(s, g, o, &xs[0], 1..)))],
    );
}

/// Runs of positions (ranges of a vector, whole columns) are copied as slices: the same values,
/// sizes, formats and adjoints as the general path (a list of the same positions), for arrays laid out
/// column-major and row-major.
#[test]
fn index_runs_agree_with_lists() {
    use autodiff_runtime::dlarray_fmt;
    rng(22);
    use ndarray::ShapeBuilder;
    let values: Vec<f64> = (0..20).map(|k| (k as f64 * 0.7).sin()).collect();
    let col_major = dlarray(ndarray::Array2::from_shape_vec((4, 5).f(), values).unwrap());
    let row_major = any(&[3, 4]);
    let formatted = dlarray_fmt(col_major.extractdata(), "CB").unwrap();
    let vector = any(&[1, 7]);
    for x in [&col_major, &row_major, &formatted, &vector] {
        let (rows, cols) = (x.size()[0], x.size()[1]);
        let n = rows * cols;
        let cases: Vec<(DlArray, DlArray)> = vec![
            (ops::index(x, 1..n - 1), ops::index(x, (1..n - 1).collect::<Vec<_>>())),
            (ops::index(x, (.., 1)), ops::index(x, (.., vec![1]))),
            (ops::index(x, (.., 0..2)), ops::index(x, (.., vec![0, 1]))),
        ];
        for (run, list) in &cases {
            assert_eq!(run.size(), list.size());
            assert_eq!(run.to_vec(), list.to_vec());
            assert_eq!(run.dims(), list.dims());
        }
        let g = dlarray((0..rows).map(|k| k as f64 + 0.5).collect::<Vec<_>>()).reshape(&[rows, 1]);
        let (mut a, mut b) = (slot(x), slot(x));
        let out = ops::index(x, (.., 2));
        ops::index_adj(&mut a, &g, &out, x, (.., 2));
        ops::index_adj(&mut b, &g, &out, x, (.., vec![2]));
        // twice, to accumulate into a materialized slot
        ops::index_adj(&mut a, &g, &out, x, (.., 2));
        ops::index_adj(&mut b, &g, &out, x, (.., vec![2]));
        assert_eq!(finish(a, x).to_vec(), finish(b, x).to_vec());
    }
}

#[test]
fn grad_assign() {
    rng(21);
    let x = any(&[3, 4]);
    let v = any(&[1, 3]);
    check(
        "assign range",
        vec![x.clone(), v],
        Box::new(|xs| ops::assign(&xs[0], 3..6, &xs[1])),
        vec![
            Some(Box::new(|s, g, o, xs| ops::assign_adj0(s, g, o, &xs[0], 3..6, &xs[1]))),
            Some(Box::new(|s, g, o, xs| ops::assign_adj1(s, g, o, &xs[0], 3..6, &xs[1]))),
        ],
    );
    let c = any(&[1, 1]);
    check(
        "assign fill",
        vec![x, c],
        Box::new(|xs| ops::assign(&xs[0], (.., 1), &xs[1])),
        vec![
            Some(Box::new(|s, g, o, xs| ops::assign_adj0(s, g, o, &xs[0], (.., 1), &xs[1]))),
            Some(Box::new(|s, g, o, xs| ops::assign_adj1(s, g, o, &xs[0], (.., 1), &xs[1]))),
        ],
    );
}

#[test]
fn grad_fullyconnect() {
    rng(22);
    // "CB": 4 features x 3 observations, 2 outputs; and "SSCB" flattened (2x2x2 features, 3 obs)
    let cases = vec![
        (any(&[4, 3]).with_format("CB"), any(&[2, 4]), any(&[2, 1])),
        (
            autodiff_runtime::dlarray_fmt(randn::<f64>(&[2, 2, 2, 3]).extractdata(), "SSCB").unwrap(),
            any(&[5, 8]),
            any(&[5, 1]),
        ),
        (any(&[4, 3]), any(&[2, 4]), any(&[1, 1])),
    ];
    for (x, w, b) in cases {
        check(
            "fullyconnect",
            vec![x, w, b],
            Box::new(|xs| ops::fullyconnect(&xs[0], &xs[1], &xs[2])),
            vec![
                Some(Box::new(|s, g, o, xs| ops::fullyconnect_adj0(s, g, o, &xs[0], &xs[1], &xs[2]))),
                Some(Box::new(|s, g, o, xs| ops::fullyconnect_adj1(s, g, o, &xs[0], &xs[1], &xs[2]))),
                Some(Box::new(|s, g, o, xs| ops::fullyconnect_adj2(s, g, o, &xs[0], &xs[1], &xs[2]))),
            ],
        );
    }
}

macro_rules! loss_test {
    ($test:ident, $f:path, $adj0:path, $adj1:path, $gen_y:expr, $gen_t:expr) => {
        #[test]
        fn $test() {
            rng(23);
            for size in [&[3usize, 4][..], &[5, 1], &[1, 6]] {
                let y: DlArray = $gen_y(size);
                let t: DlArray = $gen_t(size);
                check(
                    stringify!($f),
                    vec![y, t],
                    Box::new(|xs| $f(&xs[0], &xs[1])),
                    vec![
                        Some(Box::new(|s, g, o, xs| $adj0(s, g, o, &xs[0], &xs[1]))),
                        Some(Box::new(|s, g, o, xs| $adj1(s, g, o, &xs[0], &xs[1]))),
                    ],
                );
            }
        }
    };
}

loss_test!(grad_crossentropy, ops::crossentropy, ops::crossentropy_adj0, ops::crossentropy_adj1, positive, positive);
loss_test!(grad_mse, ops::mse, ops::mse_adj0, ops::mse_adj1, any, any);
loss_test!(grad_l2loss, ops::l2loss, ops::l2loss_adj0, ops::l2loss_adj1, any, any);
loss_test!(grad_l1loss, ops::l1loss, ops::l1loss_adj0, ops::l1loss_adj1, |s| &away_from_zero(s) * 3.0, |s| &uniform(
    s, -0.1, 0.1
) * 1.0);
loss_test!(
    grad_huber,
    ops::huber,
    ops::huber_adj0,
    ops::huber_adj1,
    |s| &away_from_zero(s) * 0.8,
    |s| &away_from_zero(s) * 0.3
);

// ---------------------------------------------------------------------------------------------------
// documented values at non-differentiable points (SPEC §5)

fn grad1(f: fn(&DlArray) -> DlArray, adj: fn(&mut DlArray, &DlArray, &DlArray, &DlArray), x: f64) -> f64 {
    let x = dlarray(x);
    let y = f(&x);
    let mut s = slot(&x);
    adj(&mut s, &dlarray(1.0), &y, &x);
    finish(s, &x).get(0)
}

#[test]
fn relu_derivative_at_zero_and_eps() {
    assert_eq!(grad1(ops::relu, ops::relu_adj, 0.0), 0.0);
    assert_eq!(grad1(ops::relu, ops::relu_adj, f64::EPSILON), 1.0);
}

#[test]
fn abs_derivative_at_zero_is_zero() {
    assert_eq!(grad1(ops::abs, ops::abs_adj, 0.0), 0.0);
    assert_eq!(grad1(ops::abs, ops::abs_adj, -2.0), -1.0);
}

#[test]
fn rounding_derivatives_are_zero() {
    for x in [-2.5, -0.5, 0.0, 0.5, 2.5, 3.7] {
        assert_eq!(grad1(ops::round, ops::round_adj, x), 0.0);
        assert_eq!(grad1(ops::floor, ops::floor_adj, x), 0.0);
        assert_eq!(grad1(ops::ceil, ops::ceil_adj, x), 0.0);
        assert_eq!(grad1(ops::fix, ops::fix_adj, x), 0.0);
        assert_eq!(grad1(ops::sign, ops::sign_adj, x), 0.0);
    }
}

#[test]
fn max_ties_go_to_first_occurrence() {
    // max([3 1 3]) = 3: the gradient goes to the first 3 only.
    let x = dlarray([3.0, 1.0, 3.0]);
    let y = ops::max(&x, All);
    let mut s = slot(&x);
    ops::max_adj(&mut s, &dlarray(1.0), &y, &x, All);
    assert_eq!(finish(s, &x).to_vec(), vec![1.0, 0.0, 0.0]);
    // along dim 0 of [[1 5],[1 2]]: column 0 ties → row 0; column 1 → row 0
    let x = dlarray([[1.0, 5.0], [1.0, 2.0]]);
    let y = ops::min(&x, 0);
    let mut s = slot(&x);
    ops::min_adj(&mut s, &dlarray([1.0, 1.0]), &y, &x, 0);
    assert_eq!(finish(s, &x).to_vec(), vec![1.0, 0.0, 0.0, 1.0]);
    // elementwise maximum: ties go to the first operand
    let (a, b) = (dlarray([2.0]), dlarray([2.0]));
    let y = ops::maximum(&a, &b);
    let (mut sa, mut sb) = (slot(&a), slot(&b));
    ops::maximum_adj0(&mut sa, &dlarray(1.0), &y, &a, &b);
    ops::maximum_adj1(&mut sb, &dlarray(1.0), &y, &a, &b);
    assert_eq!((finish(sa, &a).get(0), finish(sb, &b).get(0)), (1.0, 0.0));
}

#[test]
fn saturation_is_finite() {
    let big = dlarray([[1e4_f64], [-1e4], [0.0]]).with_format("CB");
    for y in [ops::softmax(&big), ops::sigmoid(&big), ops::softplus(&big), ops::logsumexp(&big, All)] {
        assert!(y.to_vec().iter().all(|v| v.is_finite()), "{y:?}");
    }
    let p = ops::softmax(&big);
    let t = dlarray([[0.0], [1.0], [0.0]]).with_format("CB");
    let loss = ops::crossentropy(&p, &t);
    assert!(loss.get(0).is_finite() && loss.get(0) > 700.0, "{loss:?}");
    let mut s = slot(&p);
    ops::crossentropy_adj0(&mut s, &dlarray(1.0), &loss, &p, &t);
    assert!(s.to_vec().iter().all(|v| v.is_finite()));
    // sigmoid gradient at saturation is 0, not NaN
    assert_eq!(grad1(ops::sigmoid, ops::sigmoid_adj, 1e4), 0.0);
    assert_eq!(grad1(ops::softplus, ops::softplus_adj, -1e4), 0.0);
}

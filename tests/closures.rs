//! Closures inside `#[differentiable]` functions: those given to iterator adaptors are
//! differentiated; those given to anything else (`std::thread::spawn`, a user's function, `sort_by`)
//! run as plain Rust, and the traced values they capture cross into them untraced (SPEC §4 rule 3).

use autodiff::prelude::*;

fn apply_twice(f: impl Fn(f64) -> f64, v: f64) -> f64 {
    f(f(v))
}

/// A traced value copied into a thread and a plain closure given to a user's function.
#[differentiable]
fn spawn_copy(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&x.powi(2), All);
    let copy = y.clone();
    let handle = std::thread::spawn(move || copy.get(0) * 2.0);
    let doubled = handle.join().unwrap();
    let scale = apply_twice(|v| v * 0.5, doubled);
    let z = y * scale;
    let g = dlgradient(&z, x)?;
    Ok((z, g))
}

#[test]
fn a_thread_and_a_plain_closure_compute_plain_numbers() {
    let x = dlarray([1.0, 2.0]);
    let (z, g) = dlfeval(spawn_copy, &x).unwrap();
    // y = 1 + 4 = 5, doubled = 10, scale = 10·0.5·0.5 = 2.5 (a constant), z = 2.5·y = 12.5;
    // dz/dx = 2.5·2x = 5x
    assert_eq!(z.get(0), 12.5);
    assert_eq!(g.to_vec(), vec![5.0, 10.0]);
}

/// A dlarray computed on another thread from a traced value arrives untraced: it is a constant of
/// the gradient (MATLAB: a traced value sent to a worker arrives untraced).
#[differentiable]
fn worker_result(x: &DlArray) -> Result<(DlArray, DlArray, bool)> {
    let copy = x * 2.0;
    let handle = std::thread::spawn(move || (copy.is_traced(), copy * 3.0));
    let (traced_there, c) = handle.join().unwrap();
    let z = sum(&(x * &c), All);
    let g = dlgradient(&z, x)?;
    Ok((z, g, traced_there))
}

#[test]
fn a_value_sent_to_a_thread_arrives_untraced() {
    let x = dlarray([1.0, -2.0]);
    let (z, g, traced_there) = dlfeval(worker_result, &x).unwrap();
    assert!(!traced_there);
    // c = 6x computed untraced: z = Σ x·c = 6Σx², and dz/dx = c = 6x (not 12x)
    assert_eq!(z.get(0), 30.0);
    assert_eq!(g.to_vec(), vec![6.0, -12.0]);
}

/// `sort_by` with a closure over plain data read from a traced value.
#[differentiable]
fn scaled_by_largest(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut vals: Vec<f64> = x.to_vec();
    vals.sort_by(|a, b| a.total_cmp(b));
    let top = vals[vals.len() - 1];
    let y = sum(&(x * top), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn plain_closures_over_extracted_data() {
    let (y, g) = dlfeval(scaled_by_largest, &dlarray([1.0, 3.0, 2.0])).unwrap();
    // top = 3 (a constant): y = 3·6, dy/dx = 3
    assert_eq!(y.get(0), 18.0);
    assert_eq!(g.to_vec(), vec![3.0, 3.0, 3.0]);
}

/// Closures given to iterator adaptors are differentiated: y = Σᵢ wᵢ·Σ(xᵢ²) with map/sum, and a
/// fold.
#[differentiable]
fn iterator_closures(xs: &Vec<DlArray>) -> Result<(DlArray, Vec<DlArray>)> {
    let weights = [1.0, 2.0];
    let y: DlArray = xs.iter().zip(weights.iter()).map(|(x, w)| sum(&x.powi(2), All) * *w).sum();
    let z = xs.iter().fold(y, |acc, x| acc + sum(x, All));
    let g = dlgradient(&z, xs)?;
    Ok((z, g))
}

#[test]
fn iterator_closures_are_differentiated() {
    let xs = vec![dlarray([1.0, 2.0]), dlarray(3.0)];
    let (z, g) = dlfeval(iterator_closures, &xs).unwrap();
    // z = 1·(1 + 4) + 2·9 + (1 + 2) + 3 = 29; dz/dx₀ = 2x₀ + 1, dz/dx₁ = 4x₁ + 1
    assert_eq!(z.get(0), 29.0);
    assert_eq!(g[0].to_vec(), vec![3.0, 5.0]);
    assert_eq!(g[1].to_vec(), vec![13.0]);
}

/// A closure bound by `let` and called in the body is inlined (differentiated), capturing a traced
/// value: y = Σ x·2 + Σ (x·x)·3, dy/dx = 2 + 6x.
#[differentiable]
fn local_closures(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let double = |k: f64| x * k;
    let square = |v: &DlArray| v * v;
    let y = sum(&double(2.0), All) + sum(&(square(x) * 3.0), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn closures_bound_by_let_are_differentiated() {
    let (y, g) = dlfeval(local_closures, &dlarray([1.0, -2.0])).unwrap();
    // y = 2·(1 − 2) + 3·(1 + 4) = 13
    assert_eq!(y.get(0), 13.0);
    assert_eq!(g.to_vec(), vec![8.0, -10.0]);
}

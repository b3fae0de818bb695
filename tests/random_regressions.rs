//! Bugs found by the random-program generator (`random-programs/`), each as the minimal program it
//! reduced to, with the value and gradient derived by hand. Before the fix, each of these either
//! failed to compile, panicked inside `dlfeval`, or gave a wrong gradient (marked).
#![deny(warnings)]

use autodiff::prelude::*;

fn close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-12, "{got:?} vs {want:?}");
    }
}

// Wrong gradient before: the sweep read `k` with its final value (2), so every iteration's
// `x[k]` adjoint went to x[2]: [0, 0, 6] instead of [2, 4, 0].
#[differentiable]
fn while_counter(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray(0.0);
    let mut k = 0;
    while k < 2 {
        s = s + x[k].powi(2);
        k += 1;
    }
    let g = dlgradient(&s, x)?;
    Ok((s, g))
}

#[test]
fn a_while_counter_is_read_with_its_value_at_each_iteration() {
    // s = x0² + x1² = 1 + 4; ds/dx = [2 x0, 2 x1, 0]
    let (y, g) = dlfeval(while_counter, &dlarray([1.0, 2.0, 3.0])).unwrap();
    close(&y.to_vec(), &[5.0]);
    close(&g.to_vec(), &[2.0, 4.0, 0.0]);
}

// Wrong gradient before ([0, 0, -2]): the same with `loop`/`break` and `-=`.
#[differentiable]
fn loop_counter(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut s = dlarray(0.0);
    let mut k = 0;
    loop {
        if k >= 2 {
            break;
        }
        s -= x[k];
        k += 1;
    }
    let g = dlgradient(&s, x)?;
    Ok((s, g))
}

#[test]
fn a_loop_counter_is_read_with_its_value_at_each_iteration() {
    // s = -x0 - x1 = -3; ds/dx = [-1, -1, 0]
    let (y, g) = dlfeval(loop_counter, &dlarray([1.0, 2.0, 3.0])).unwrap();
    close(&y.to_vec(), &[-3.0]);
    close(&g.to_vec(), &[-1.0, -1.0, 0.0]);
}

// Panicked before (index out of range in the sweep: `q[3]`).
#[differentiable]
fn counter_state(q: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut state = q * 1.0;
    let mut i = 0;
    while i < q.numel() {
        state = (&state * 0.5 + q[i]).tanh();
        i += 1;
    }
    let y = sum(&state, All);
    Ok((y.clone(), dlgradient(&y, q)?))
}

#[test]
fn a_loop_carried_state_indexed_by_a_counter_matches_finite_differences() {
    let report = gradcheck(counter_state, &dlarray([0.1, 0.2, 0.3])).unwrap();
    assert!(report.passed() && report.entries == 3, "{report:?}");
}

// Panicked before ("attempt to subtract with overflow"): values only the pullback needs are
// recorded only when the pullback will run, and the `dlgradient` sweep popped them anyway.
#[differentiable]
fn pullback_only_records(bias: &DlArray, w: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut mem = w.sin();
    for _ in 0..3 {
        let next = mem.sin() * 0.5 + mean(&bias.exp(), All).sin();
        mem = next;
    }
    let y = sum(&mem, All);
    let g = dlgradient(&y, w)?;
    Ok((y, g))
}

#[test]
fn a_sweep_does_not_pop_what_only_the_pullback_records() {
    let (bias, w) = (dlarray([0.61, 0.9]), [0.34, 0.56]);
    let (_, g) = dlfeval(pullback_only_records, (&bias, &dlarray(w))).unwrap();
    // central finite differences of y in each entry of w, step 1e-6
    let y = |w: [f64; 2]| dlfeval(pullback_only_records, (&bias, &dlarray(w))).unwrap().0.get(0);
    for k in 0..2 {
        let (mut wp, mut wm) = (w, w);
        wp[k] += 1e-6;
        wm[k] -= 1e-6;
        let fd = (y(wp) - y(wm)) / 2e-6;
        assert!((g.get(k) - fd).abs() < 1e-7, "entry {k}: {} vs {fd}", g.get(k));
    }
}

// Did not compile before (`t * x` with `t: &DlArray` from a plain `Vec`).
#[differentiable]
fn plain_vec_items(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let v = vec![dlarray(1.0), dlarray(2.0)];
    let mut s = dlarray(0.0);
    for t in &v {
        s = s + t * x;
    }
    let y = sum(&s, All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn items_of_a_plain_vec_combine_with_traced_values() {
    // s = 1 x + 2 x; y = 3 (x0 + x1) = 9; dy/dx = [3, 3]
    let (y, g) = dlfeval(plain_vec_items, &dlarray([1.0, 2.0])).unwrap();
    close(&y.to_vec(), &[9.0]);
    close(&g.to_vec(), &[3.0, 3.0]);
}

// Did not compile before: a pushed element no gradient reaches (`z.cos()` for a gradient in `x`).
#[differentiable]
fn push_mixed(x: &DlArray, z: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut v: Vec<DlArray> = Vec::new();
    v.push(x.sin());
    v.push(z.cos());
    let y = sum(&v[0], All) + sum(&v[1], All);
    let gx = dlgradient(&y, x)?;
    Ok((y, gx))
}

#[test]
fn a_vec_holds_elements_some_of_which_the_gradient_does_not_reach() {
    // y = sum(sin x) + sum(cos z); dy/dx = cos x
    let (x, z) = (dlarray([1.0, 2.0]), dlarray([0.5, 0.1]));
    let (y, g) = dlfeval(push_mixed, (&x, &z)).unwrap();
    close(&y.to_vec(), &[1f64.sin() + 2f64.sin() + 0.5f64.cos() + 0.1f64.cos()]);
    close(&g.to_vec(), &[1f64.cos(), 2f64.cos()]);
}

// Did not compile before: an element overwritten by a value the gradient does not reach.
#[differentiable]
fn overwrite(x: &DlArray, z: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut v = vec![x.sin(), x.cos()];
    v[0] = z.sin();
    let y = sum(&v[0], All) + sum(&v[1], All);
    let gx = dlgradient(&y, x)?;
    Ok((y, gx))
}

#[test]
fn an_overwritten_element_passes_no_gradient_to_what_it_held() {
    // y = sum(sin z) + sum(cos x); dy/dx = -sin x (the x.sin() written first is overwritten)
    let (y, g) = dlfeval(overwrite, (&dlarray([1.0, 2.0]), &dlarray([0.5, 0.1]))).unwrap();
    close(&y.to_vec(), &[0.5f64.sin() + 0.1f64.sin() + 1f64.cos() + 2f64.cos()]);
    close(&g.to_vec(), &[-(1f64.sin()), -(2f64.sin())]);
}

// Did not compile before: the type the user wrote on a `collect()` was dropped.
#[differentiable]
fn collected(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut v: Vec<DlArray> = (0..2).map(|i| dlarray(i as f64)).collect();
    v[0] = x.sin();
    let y = sum(&(&v[0] + &v[1]), All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn a_collected_vec_keeps_its_written_type() {
    // v = [sin x, 1]; y = sum(sin x + 1); dy/dx = cos x
    let (y, g) = dlfeval(collected, &dlarray([1.0, 2.0])).unwrap();
    close(&y.to_vec(), &[1f64.sin() + 2f64.sin() + 2.0]);
    close(&g.to_vec(), &[1f64.cos(), 2f64.cos()]);
}

// Warned before (non_snake_case on generated `sum__1`; this file denies warnings).
#[differentiable]
fn trailing_underscore(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut sum_ = dlarray(0.0);
    for i in 0..2 {
        sum_ = sum_ + x[i].powi(2);
    }
    let grad = dlgradient(&sum_, x)?;
    Ok((sum_, grad))
}

#[test]
fn a_name_ending_in_an_underscore_gives_no_warning() {
    // sum_ = x0² + x1²; gradient 2x
    let (y, g) = dlfeval(trailing_underscore, &dlarray([1.0, 2.0])).unwrap();
    close(&y.to_vec(), &[5.0]);
    close(&g.to_vec(), &[2.0, 4.0]);
}

// Did not compile before: the vector-Jacobian companion of `outer` did not apply the `?` to the
// fallible companion of `inner`.
#[differentiable]
fn inner(a: &DlArray) -> Result<DlArray> {
    Ok(a * 1.5)
}

#[differentiable]
fn outer(a: &DlArray) -> Result<DlArray> {
    let w = inner(a)?;
    Ok(w.sin())
}

#[differentiable]
fn through_outer(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&outer(x)?, All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn a_fallible_function_calls_a_fallible_function_with_the_question_mark() {
    // y = sum(sin(1.5 x)); dy/dx = 1.5 cos(1.5 x)
    let y = dlfeval(outer, &dlarray([1.0, 2.0])).unwrap();
    close(&y.to_vec(), &[1.5f64.sin(), 3f64.sin()]);
    let (_, g) = dlfeval(through_outer, &dlarray([1.0, 2.0])).unwrap();
    close(&g.to_vec(), &[1.5 * 1.5f64.cos(), 1.5 * 3f64.cos()]);
}

// Did not compile before (seed 7): a function with a loop has no vector-Jacobian product, and the
// one written for every straight-line caller (`scaled`) called it, so any caller failed to build.
#[differentiable]
fn looped(a: &DlArray) -> Result<DlArray> {
    let mut s = a * 1.0;
    for _ in 0..2 {
        s = s.sin();
    }
    Ok(s)
}

#[differentiable]
fn scaled(a: &DlArray) -> Result<DlArray> {
    Ok(looped(a)? * 2.0)
}

#[differentiable]
fn through_scaled(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&scaled(x)?, All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[differentiable]
fn second_order_through_scaled(x: &DlArray) -> Result<DlArray> {
    let y = sum(&scaled(x)?, All);
    let g = dlgradient(&y, x, EnableHigherDerivatives(true))?;
    let z = sum(&g, All);
    dlgradient(&z, x)
}

#[test]
fn a_straight_line_function_calling_one_with_a_loop_builds_and_differentiates() {
    // y = 2 sin(sin x); dy/dx = 2 cos(sin x) cos x
    let (_, g) = dlfeval(through_scaled, &dlarray([0.5])).unwrap();
    close(&g.to_vec(), &[2.0 * 0.5f64.sin().cos() * 0.5f64.cos()]);
    // a second derivative through it reaches the loop: an error at run time, not a wrong value (a
    // panic with the same message when the function reached does not return `Result`)
    let e = dlfeval(second_order_through_scaled, &dlarray([0.5])).unwrap_err();
    assert!(e.to_string().contains("cannot go through `looped`"), "{e}");
}

//! Sizes that only run time knows: a wrong one is an `Err` from `dlfeval` naming the operation, the
//! sizes and the user's line, never a panic; a container that changes length while the body runs
//! (`clear` then `push` in a loop) differentiates correctly.

use autodiff::prelude::*;

#[differentiable]
fn refill(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut v = vec![x * 1.0];
    let mut total = dlarray(0.0);
    for k in 0..3 {
        v.clear();
        for j in 0..=k {
            v.push(x * (j as f64 + 1.0));
        }
        for t in &v {
            total = total + sum(t, All);
        }
    }
    Ok((total.clone(), dlgradient(&total, x)?))
}

#[test]
fn a_vec_cleared_and_refilled_in_a_loop_differentiates() {
    // total = (1) + (1 + 2) + (1 + 2 + 3) = 10 times sum(x) = 30 at x = [1, 2]; gradient 10 each
    let (y, g) = dlfeval(refill, &dlarray([1.0, 2.0])).unwrap();
    assert_eq!(y.get(0), 30.0);
    assert_eq!(g.to_vec(), vec![10.0, 10.0]);
}

#[differentiable]
fn out_of_range(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let v = vec![x * 1.0, x * 2.0];
    let y = sum(&v[5], All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn an_element_past_the_end_of_a_vec_is_an_error_at_the_users_line() {
    let e = dlfeval(out_of_range, &dlarray([1.0, 2.0])).map(|_| ()).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("index") && text.contains('5') && text.contains('2'), "{text}");
    assert!(text.contains("container_errors.rs:34"), "{text}");
}

#[differentiable]
fn mismatched(x: &DlArray, w: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = sum(&(x + w), All);
    Ok((y.clone(), dlgradient(&y, x)?))
}

#[test]
fn operands_of_sizes_that_do_not_expand_are_an_error_naming_both() {
    let e = dlfeval(mismatched, (&dlarray([1.0, 2.0]), &dlarray([1.0, 2.0, 3.0]))).map(|_| ()).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("plus") && text.contains("1x2") && text.contains("1x3"), "{text}");
    assert!(text.contains("container_errors.rs:48"), "{text}");
}

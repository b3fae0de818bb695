//! Closures and iterator adaptors over traced values: `map(..).sum::<DlArray>()`, `fold`,
//! `for_each`, `collect::<Vec<_>>()`, local closures, closures capturing a traced value, `Option`
//! combinators, and `differentiable_closure!`.

use autodiff::prelude::*;

#[allow(unused_imports)] // `assert_passed` is used by a model gated behind `realistic_compile_errors`
use crate::{assert_close, assert_passed};

// ---------------------------------------------------------------------------------------------
// 49. `xs.iter().map(|x| x * w).sum::<DlArray>()`.

#[differentiable]
fn shared_weight(xs: &Vec<DlArray>, w: &DlArray) -> Result<(DlArray, DlArray)> {
    let total = xs.iter().map(|x| x * w).sum::<DlArray>();
    let loss = sum(&total.powi(2), All);
    let g = dlgradient(&loss, w)?;
    Ok((loss, g))
}

#[test]
fn shared_weight_gradient() -> Result<()> {
    let xs = vec![dlarray([1.0, 2.0]), dlarray([0.5, -1.0]), dlarray([2.0, 0.0])];
    let w = dlarray([0.3, -0.7]);
    let (_, g) = dlfeval(shared_weight, (&xs, &w))?;
    // total = w ⊙ S with S = Σx = [3.5, 1]; loss = Σ(w S)², d/dw = 2 w S²
    assert_close(&g.to_vec(), &[2.0 * 0.3 * 3.5 * 3.5, 2.0 * -0.7 * 1.0], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 50. `fold` over indices.

#[differentiable]
fn cubic_fold(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let y = (0..x.numel()).fold(dlarray(0.0), |acc, i| acc + x[i].powi(3));
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[test]
fn cubic_fold_gradient() -> Result<()> {
    let x = dlarray([1.0, -2.0, 0.5]);
    let (_, g) = dlfeval(cubic_fold, &x)?;
    // d/dx Σx³ = 3x²
    assert_close(&g.to_vec(), &[3.0, 12.0, 0.75], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 51. `for_each` with a mutable accumulator, over columns collected into a Vec.

// COMPILE ERROR: `cols.iter().enumerate().for_each(|(j, c)| { acc = &acc + .. })`: "`acc` does not depend on any traced input, so it cannot be differentiated" (an earlier macro snapshot compiled it and returned `Err(UntracedValue { name: "acc" })` at run time)
#[cfg(realistic_compile_errors)]
#[differentiable]
fn column_energy(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let cols: Vec<DlArray> = (0..x.size()[1]).map(|j| x.at((.., j))).collect();
    let mut acc = dlarray(0.0);
    cols.iter().enumerate().for_each(|(j, c)| {
        acc = &acc + (j as f64 + 1.0) * sum(&c.powi(2), All);
    });
    let g = dlgradient(&acc, x)?;
    Ok((acc, g))
}

#[cfg(realistic_compile_errors)]
#[test]
fn column_energy_gradient() -> Result<()> {
    let x = dlarray([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]]);
    let (_, g) = dlfeval(column_energy, &x)?;
    // acc = Σ_j (j+1)·Σ_i x_ij², d/dx_ij = 2(j+1)x_ij (column-major order below)
    assert_close(&g.to_vec(), &[2.0, 1.0, 8.0, 0.0, -6.0, 18.0], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 52. `map(..).collect::<Vec<_>>()`, then a loop over the collected values.

#[differentiable]
fn collected_squares(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let sq = (0..x.numel()).map(|i| x[i] * x[i]).collect::<Vec<_>>();
    let mut total = dlarray(0.0);
    for (i, s) in sq.iter().enumerate() {
        total = total + s * (i as f64);
    }
    let g = dlgradient(&total, x)?;
    Ok((total, g))
}

#[test]
fn collected_squares_gradient() -> Result<()> {
    let x = dlarray([3.0, 1.0, -2.0, 0.5]);
    let (_, g) = dlfeval(collected_squares, &x)?;
    // total = Σ i·x_i², d/dx_i = 2i·x_i
    assert_close(&g.to_vec(), &[0.0, 2.0, -8.0, 3.0], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 53. A local closure applied to traced values.

// COMPILE ERROR: a local closure `let sq = |v: &DlArray| v * v;` called on traced values: "`y` does not depend on any traced input, so it cannot be differentiated" (an earlier macro snapshot: "`autodiff::DlArray` may hold traced dlarrays, and `#[differentiable]` cannot differentiate the code that made it")
#[cfg(realistic_compile_errors)]
#[differentiable]
fn local_closure(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let sq = |v: &DlArray| v * v;
    let y = sum(&(sq(x) + sq(&x.sin())), All);
    let g = dlgradient(&y, x)?;
    Ok((y, g))
}

#[cfg(realistic_compile_errors)]
#[test]
fn local_closure_gradient() -> Result<()> {
    let x = dlarray([0.4, -1.1]);
    let (_, g) = dlfeval(local_closure, &x)?;
    // d/dx (x² + sin²x) = 2x + 2 sin x cos x
    let expected: Vec<f64> = x.to_vec().iter().map(|v| 2.0 * v + 2.0 * v.sin() * v.cos()).collect();
    assert_close(&g.to_vec(), &expected, 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 54. A closure capturing a traced parameter, mapped over plain data and folded.

// COMPILE ERROR: "a closure that captures traced values, outside an iterator method"
#[cfg(realistic_compile_errors)]
#[differentiable]
fn captured_weight(w: &DlArray, data: &[f64]) -> Result<(DlArray, DlArray)> {
    let predict = |d: f64| w * d;
    let loss = data.iter().map(|&d| (predict(d) - 2.0 * d).powi(2)).fold(dlarray(0.0), |a, b| a + b);
    let g = dlgradient(&loss, w)?;
    Ok((loss, g))
}

#[cfg(realistic_compile_errors)]
#[test]
fn captured_weight_gradient() -> Result<()> {
    let data = [1.0, -0.5, 3.0];
    let w = 1.25;
    let (_, g) = dlfeval(captured_weight, (&dlarray(w), &data[..]))?;
    // loss = Σ(w d − 2d)², d/dw = Σ 2(w − 2)d²
    let expected: f64 = data.iter().map(|d| 2.0 * (w - 2.0) * d * d).sum();
    assert_close(&g.to_vec(), &[expected], 1e-12);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 55. Option combinators (`first().map(..).unwrap_or(..)`) and `skip` + `fold` over a Vec parameter.

// COMPILE ERROR: `xs.first().map(..).unwrap_or(..)`: mismatched types "expected `&&DlArray`, found `&DlArray<{float}>`"; `xs.iter().skip(1)`: "`std::slice::Iter<'_, DlArray>` may hold traced dlarrays"
#[cfg(realistic_compile_errors)]
#[differentiable]
fn first_or_default(xs: &Vec<DlArray>) -> Result<(DlArray, Vec<DlArray>)> {
    let head = xs.first().map(|x| x.exp()).unwrap_or(dlarray(0.0));
    let rest = xs.iter().skip(1).map(|x| sum(&x.powi(2), All)).fold(dlarray(0.0), |a, b| a + b);
    let y = sum(&head, All) + rest;
    let g = dlgradient(&y, xs)?;
    Ok((y, g))
}

#[cfg(realistic_compile_errors)]
#[test]
fn first_or_default_gradient() -> Result<()> {
    let xs = vec![dlarray([0.5, -0.5]), dlarray(2.0), dlarray([1.0, -3.0])];
    let (_, g) = dlfeval(first_or_default, &xs)?;
    // y = Σe^{x₀} + Σx₁² + Σx₂²: gradients e^{x₀}, 2x₁, 2x₂
    assert_close(&g[0].to_vec(), &[0.5_f64.exp(), (-0.5_f64).exp()], 1e-12);
    assert_close(&g[1].to_vec(), &[4.0], 1e-12);
    assert_close(&g[2].to_vec(), &[2.0, -6.0], 1e-12);
    assert_passed(&gradcheck(first_or_default, &xs)?);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 56. `differentiable_closure!`, MATLAB's anonymous model functions, with one and two parameters.

#[test]
fn differentiable_closure_gradients() -> Result<()> {
    let x = dlarray([1.0, -2.0]);
    let g = dlfeval(
        differentiable_closure!(|t: &DlArray| {
            let y = sum(&(t * t * t), All);
            dlgradient(&y, t)
        }),
        &x,
    )?;
    // d/dt Σt³ = 3t²
    assert_close(&g.to_vec(), &[3.0, 12.0], 1e-12);

    let a = dlarray([1.0, 2.0]);
    let b = dlarray([3.0, -1.0]);
    let (ga, gb) =
        dlfeval(differentiable_closure!(|a: &DlArray, b: &DlArray| dlgradient(&sum(&(a * b), All), (a, b))), (&a, &b))?;
    // d/da Σab = b, d/db = a
    assert_close(&ga.to_vec(), &b.to_vec(), 1e-12);
    assert_close(&gb.to_vec(), &a.to_vec(), 1e-12);
    Ok(())
}

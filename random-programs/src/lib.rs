//! # Random-program differential testing of `#[differentiable]`
//!
//! This crate holds no library code: it is a test, in the spirit of Csmith. Its build script
//! (`build.rs`) is a seeded generator that writes `$OUT_DIR/programs.rs`: 40 helper functions
//! (`#[differentiable] fn h_k(a: &DlArray, ..) -> Result<DlArray>` or `-> DlArray`, no `dlgradient`) and
//! 320 model functions that call them and return their value with its gradients (`dlgradient(&y, x)?`,
//! a tuple of targets, or one `dlgradient` call per target). The programs use only the vocabulary of the
//! [guide](autodiff::guide::for_matlab_users): elementwise `+ - * /` with numbers and plain `f64`/`usize`
//! parameters, `exp sin cos tanh sigmoid softplus log sqrt powi powf relu abs`, `sum`/`mean`/`prod`/
//! `logsumexp` over `All` or a dimension, `x[i]`, `x[(i, j)]`, `x.at((.., j))`, `x.at(a..b)`, `y[i] = v`,
//! `if`/`else if`/`else`, `if` as a value, `match`, `for`/`while`/`loop` with `break` and `continue`,
//! accumulators (one to three loops into the same one, `+=`, `-=`), loop-carried states, `Vec<DlArray>`
//! (`push`, `vec![..]`, `collect`, `v[i]`, `v[i] = ..`, `for t in &v`, `enumerate`, `map(..).sum`,
//! `fold`), shadowing, `clone`, `#[untraced]` parameters, and calls between generated functions.
//! Seven program shapes are generated in turn (`straight`, `branch`, `loop_acc`, `loop_state`,
//! `vec_state`, `calls`, `indexing`), each with random other features mixed in.
//!
//! Every model has a *plain twin*, the same computation written outside the macro with the runtime's
//! operators (`x.at(i)` for `x[i]`, `y.assign(i, &v)` for `y[i] = v`, `fold` for `sum::<DlArray>()`).
//! `tests/random.rs` runs each model with `dlfeval`, checks its value against the twin's, and every
//! gradient entry against central finite differences of the twin (step `1e-6`, tolerance
//! `1e-5·(1 + |y|) + 1e-4·|g|`). The generator tracks the shape and a conservative interval of every
//! expression, so that programs are well shaped, `log`, `sqrt` and `/` only see operands bounded away
//! from zero, `exp` only moderate arguments, and branch thresholds on input values stay away from the
//! inputs (no kink within the step). A model whose `y` is untraced on the path its inputs take gets
//! MATLAB's "must be a traced dlarray scalar" error; the test accepts it only if every finite
//! difference is zero there.
//!
//! ## Seed and regeneration
//!
//! The default seed is `0xADD1FF5EED`. Another seed, or another number of models, regenerates the
//! programs (the build script re-runs when these change):
//!
//! ```text
//! AUTODIFF_RANDOM_SEED=7 cargo test -p autodiff-random-programs -- --nocapture
//! AUTODIFF_RANDOM_SEED=0x1f AUTODIFF_RANDOM_COUNT=1000 cargo test -p autodiff-random-programs
//! AUTODIFF_RANDOM_ONLY=loss_13,fun_72 cargo test -p autodiff-random-programs -- --nocapture
//! ```
//!
//! `--nocapture` shows the number of functions per shape, per feature, and the number of gradient
//! entries checked; a failure prints the function's source, its inputs and the wrong entries.
//!
//! ## Known bugs
//!
//! Features that exposed bugs of `#[differentiable]` are excluded from the generator by
//! `KNOWN_BUGS` in `build.rs` (a model or helper that would use one is generated again). Remove an entry
//! to test the feature again. Minimal reproducers (all with `use autodiff::prelude::*;`); each is also a
//! complete program in `known_bugs/` (copy one to an `examples/` or `src/bin/` directory to run it):
//!
//! 1. **Untraced dlarrays do not get the body's conveniences** (`index_untraced`,
//!    `ref_operand_untraced`, `owned_operand_untraced`, `compare_untraced`, `vec_map_sum_untraced`).
//!    An `#[untraced]` parameter, or a value computed only from untraced values and constants, is left
//!    as plain Rust:
//!
//!    ```text
//!    #[differentiable]
//!    fn f(x: &DlArray, #[untraced] d: &DlArray) -> Result<(DlArray, DlArray)> {
//!        let y = sum(x, All) * d[0];          // E0608 cannot index into a value of type `&autodiff::DlArray`
//!        // let c = dlarray([3.0, 4.0]); c[1]  // E0608 ... of type `autodiff::DlArray<{float}>`
//!        // sum(&(x * (2.0 * &d)), All)       // E0277 cannot multiply `{float}` by `&&autodiff::DlArray`
//!        // let c = d * 2.0; let e = c + c;   // E0382 use of moved value: `c` (also `-c`, `&c + c`: E0505)
//!        // if sum(d, All) > 0.5 { .. }       // E0369 binary operation `>` cannot be applied to type `DlArray`
//!        // vec![dlarray(1.0), dlarray(2.0)].iter().map(|t| t * 2.0).sum::<DlArray>()
//!        //                                   // E0277 a value of type `DlArray` cannot be made by summing an iterator
//!        Ok((y.clone(), dlgradient(&y, x)?))
//!    }
//!    ```
//!
//! 2. **An untraced container's element combined with a traced value** (`untraced_vec_binding_in_traced_op`):
//!
//!    ```text
//!    #[differentiable]
//!    fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
//!        let v = vec![dlarray(1.0), dlarray(2.0)];
//!        let mut s = dlarray(0.0);
//!        for t in &v {
//!            s = s + t * x;   // E0277 this operation is not defined for `&autodiff::DlArray<{float}>` and `_`
//!        }                    //   inside `#[differentiable]`; `&autodiff::DlArray: Scalar` is not satisfied
//!        let y = sum(&s, All);
//!        Ok((y.clone(), dlgradient(&y, x)?))
//!    }
//!    ```
//!
//!    (`v.iter().map(|t| t - x.sin()).sum::<DlArray>()` fails the same way; with `v = vec![x * 1.0, ..]`
//!    it compiles and is right.)
//!
//! 3. **A local `Vec` whose elements do not all depend on the `dlgradient` target**
//!    (`vec_push_mixed_dependence`, `vec_write_nonvaried_into_varied`,
//!    `vec_collect_untraced_then_traced_write`):
//!
//!    ```text
//!    #[differentiable]
//!    fn f(x: &DlArray, z: &DlArray) -> Result<(DlArray, DlArray)> {
//!        let mut v: Vec<DlArray> = Vec::new();
//!        v.push(x.sin());
//!        v.push(z.cos());     // or v.push(dlarray(1.0))
//!        let y = sum(&v[0], All) + sum(&v[1], All);
//!        let gx = dlgradient(&y, x)?;   // E0277 `NoGrad: AccAny<DlArray>` is not satisfied (push_adj)
//!        Ok((y, gx))
//!    }
//!    // let mut v = vec![x.sin(), x.cos()]; v[0] = z.sin();   (or v[0] = dlarray(1.0)), target x:
//!    //     E0271 type mismatch resolving `<DlArray as Diff>::Grad == NoGrad` (set_index_adj)
//!    // let mut v: Vec<DlArray> = (0..2).map(|i| dlarray(i as f64)).collect(); v[0] = x.sin();
//!    //     twelve E0277 errors "`!` is not a value `#[differentiable]` knows how to compute with"
//!    ```
//!
//!    The same `Vec` with a tuple of targets `dlgradient(&y, (x, z))` compiles and is right, and so does
//!    `let mut v = vec![dlarray(0.0), dlarray(0.0)]; v[0] = x.sin();`.
//!
//! 4. **Wrong gradients through `while` and `loop` counters** (`while_counter_read_in_body`): the
//!    reverse sweep reads the counter with its value after the loop.
//!
//!    ```text
//!    #[differentiable]
//!    fn f(x: &DlArray) -> Result<(DlArray, DlArray)> {
//!        let mut s = dlarray(0.0);
//!        let mut k = 0;
//!        while k < 2 {
//!            s = s + x[k].powi(2);
//!            k += 1;
//!        }
//!        let y = s;
//!        let g = dlgradient(&y, x)?;
//!        Ok((y, g))
//!    }
//!    // at x = [1, 2, 3]: y = 5 (right), dlgradient [0, 0, 6], expected [2, 4, 0];
//!    // `s -= x[k]` gives [0, 0, -2] for [-1, -1, 0]; `loop { if k >= 2 { break; } .. k += 1; }` the same;
//!    // `while i < q.numel() { state = (&state * w + q[i]).tanh(); i += 1; }` panics in the reverse
//!    // sweep: "checked in the forward sweep: ("3", 3)" (autodiff-runtime/src/ops/index.rs).
//!    ```
//!
//! 5. **Panic "attempt to subtract with overflow" in the reverse sweep** when a loop or branch body
//!    computes with a traced argument that is not the `dlgradient` target
//!    (`nonvaried_traced_in_control_flow`):
//!
//!    ```text
//!    #[differentiable]
//!    fn f(x: &DlArray, w: &DlArray) -> Result<(DlArray, DlArray)> {
//!        let mut z = x * 1.0;
//!        if x.numel() > 1 {
//!            z = w * 2.0;
//!        }
//!        let y = sum(&z, All);
//!        let g = dlgradient(&y, x)?;   // panics at x = [1, 2], w = [3, 4]; expected y = 14, g = [0, 0]
//!        Ok((y, g))
//!    }
//!    // also: for i in 0..2 { v[i] = z[i] - x[i].sin(); } on v = zeros(1, 2), target z;
//!    //       let z = if x.get(0) > 5.0 { x * 2.0 } else { x.sin() * w[0].sin() };   target x;
//!    //       for i in 0..2 { s = s + h(x, &w.at(i)); } with h a #[differentiable] fn, target x.
//!    ```
//!
//! 6. **`non_snake_case` warnings from generated code** for a local whose name ends in `_`
//!    (`local_name_trailing_underscore`): `let mut sum_ = dlarray(0.0); for i in 0..2 { sum_ = sum_ +
//!    x[i].powi(2); }` warns "variable `sum__1` should have a snake case name" (and `sum__bar`,
//!    `sum__2`), an error under `#![deny(warnings)]`.
//!
//! 7. **A `Result`-returning differentiable function calling another one with `?`** (a regression
//!    after commit 7c73c8e, present at 437496f; `result_helper_calls_result_helper`):
//!
//!    ```text
//!    #[differentiable]
//!    fn h(a: &DlArray) -> Result<DlArray> {
//!        Ok(a * 1.5)
//!    }
//!
//!    #[differentiable]
//!    fn g(a: &DlArray) -> Result<DlArray> {   // E0609 no field `0` on type `Result<(DlArray,), Error>`
//!        let w = h(a)?;                         //   and on type `&mut Option<(DlArray,)>`
//!        Ok(w.sin())
//!    }
//!    ```
//!
//!    A model function `-> Result<(DlArray, DlArray)>` calling `h(a)?` still compiles.

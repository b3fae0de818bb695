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
//! Bugs 2 to 7 found by this generator are fixed, each kept as a regression test with its value and
//! gradient derived by hand in the main crate's `tests/random_regressions.rs`: a `while`/`loop`
//! counter read by the reverse sweep with its final value (a **wrong gradient**: `[0, 0, 6]` for
//! `[2, 4, 0]`), records only the pullback needs popped by a `dlgradient` sweep (a panic), items of a
//! plain `Vec` combined with traced values, a `Vec` holding elements the gradient does not reach
//! (`push`, `v[i] = ..`, `collect()` with its written type), `non_snake_case` warnings for a name
//! ending in `_`, and a fallible function calling another with `?` under a vector-Jacobian product.

//! Procedural macros of `autodiff`. Use them through the `autodiff` crate.
//!
//! `#[differentiable]` rewrites a function at compile time into forward code and, at every
//! `dlgradient` call, straight-line reverse-sweep code. The macro never decides what an operation
//! means from its spelling: every operator, method, index and call is emitted as a call through the
//! runtime's `__private` traits, and rustc's trait resolution picks the dlarray primitive, the plain
//! `f64` operation, or the element of a container, by the operands' types.
//!
//! One module per stage, each with its own types:
//!
//! | stage | module | what it does |
//! |---|---|---|
//! | 1. signature | `signature` | attribute arguments; which parameters are traced; the companion's parameter types |
//! | 2. lower | `lower` (`stmt`, `expr`, `calls`, `control`, `iter`, `closure`, `grad`, `plain`, `scan`) | syntax to the IR (`ir`): A-normal form, every node with its span; errors at the user's tokens |
//! | 3. check | `check` | whole-body checks (errors are collected, every one in one build) |
//! | 4. differentiate | `differentiate` (`activity`, `higher`) | the reverse sweep of each `dlgradient` and of the pullback as reverse IR; for `EnableHigherDerivatives`, the sweep as forward IR from the rule table's templates |
//! | 5. analyze | `analyze`, `replay` | what the forward code records for the sweeps (stacks, branch and loop records), and which loops are computed again instead |
//! | 6. emit | `emit` (`item`, `forward`, `reverse`, `pullback`, `vjp`, `impls`, `closure`, `ctx`) | IR to tokens, a printer: every decision was made before |
//!
//! `rules` is the one rule table (the primitives, their runtime functions, adjoint kernels and
//! templates); `ir::print` prints the IR (IR snapshots beside the expansion snapshots); `diag`
//! collects errors; `learnables` is the derive. What loops record for their reverse sweeps is decided
//! per loop at compile time (`replay` documents the rule).
//!
//! Errors are collected (`diag::Diagnostics`) and reported together; the function is emitted after
//! them with an empty body, so the user sees only the real errors. The macro never panics on any
//! input (`fuzz` runs it on mutated and generated token streams).

#![forbid(unsafe_code)]

mod analyze;
mod check;
#[cfg(test)]
mod debug;
mod diag;
mod differentiate;
mod emit;
#[cfg(test)]
mod fuzz;
mod ir;
mod learnables;
mod lower;
mod paths;
mod rename;
mod replay;
mod rules;
mod signature;

use proc_macro::TokenStream;

/// Rewrites a function so that `dlgradient` calls inside it compute gradients with code generated at
/// compile time: MATLAB's model function for `dlfeval`.
///
/// ```
/// use autodiff::prelude::*;
///
/// #[differentiable]
/// fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
///     let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
///     let grad = dlgradient(&f, x)?;
///     Ok((f, grad))
/// }
///
/// let (f, g) = dlfeval(rosenbrock, &dlarray([-1.0, 2.0])).unwrap();
/// assert_eq!((f.get(0), g.to_vec()), (104.0, vec![396.0, 200.0]));
/// ```
///
/// - **Parameters** that are dlarrays, or containers of them (`#[derive(Learnables)]` structs, `Vec`s,
///   arrays, tuples, `Option`s), are traced when `dlfeval` calls the function. Plain numbers, strings
///   and `ndarray` data are not; mark a parameter of your own type that holds no dlarrays
///   `#[untraced]`.
/// - **Inside the body** operators, methods, free functions of the prelude, indexing (`x[i]` is
///   MATLAB's `x(i)`, 0-based), `if`/`match`/loops, local structs and calls to other
///   `#[differentiable]` functions and methods are rewritten into forward code; each `dlgradient`
///   becomes its reverse sweep, straight-line code reading the forward values. Plain Rust code that
///   does not touch traced values is kept as it is.
/// - **Mistakes** the macro can see (a gradient target made inside the function, `dlgradient` inside
///   a loop, an unsupported construct on a traced value) are compile errors at the offending token,
///   all of them in one build. A call on traced values to a function that is not differentiable
///   reaches rustc as a call to its missing companion: "cannot find module or crate `name`" (E0433)
///   at the function's name means: add `#[differentiable]` to that function. A call no traced value
///   reaches is plain code.
/// - **Methods, `impl` blocks, traits**: `#[differentiable]` on a method (`&self` or `self`), on an
///   `impl` block (its methods and associated functions), on a trait or its method declarations, and
///   on the trait's `impl`s, makes them callable from differentiable code: a layer's `forward`,
///   generic `L: Layer` models and `Box<dyn Layer>` stacks.
/// - **Higher derivatives**: with `dlgradient(&y, x, EnableHigherDerivatives(true))` the gradient is
///   traced and can be differentiated again (straight-line code and calls; loops are a compile error).
/// - **Argument**: `#[differentiable(crate = path::to::autodiff)]` when the `autodiff` dependency is
///   renamed.
///
/// Called outside `dlfeval`, the function runs as plain code (and `dlgradient` returns an error, as in
/// MATLAB). The guide `autodiff::guide::for_matlab_users` shows the whole vocabulary.
#[proc_macro_attribute]
pub fn differentiable(args: TokenStream, item: TokenStream) -> TokenStream {
    emit::differentiable(args.into(), item.into()).into()
}

/// A differentiable closure for `dlfeval`, MATLAB's anonymous function
/// `dlfeval(@(t) dlgradient(relu(t), t), x)`. The closure's parameters need their types; it may not
/// capture traced values (pass them as parameters).
///
/// ```
/// use autodiff::prelude::*;
///
/// let x = dlarray([-1.0, 0.0, 2.0]);
/// let g = dlfeval(differentiable_closure!(|t: &DlArray| dlgradient(&sum(&relu(t), All), t)), &x).unwrap();
/// assert_eq!(g.to_vec(), vec![0.0, 0.0, 1.0]); // relu'(0) = 0
/// ```
#[proc_macro]
pub fn differentiable_closure(input: TokenStream) -> TokenStream {
    emit::closure(input.into()).into()
}

/// Derives `Learnables` for a struct with named fields of dlarrays and nested learnable containers
/// (structs deriving it, `Vec`s, arrays, `Option`s): `dlfeval` traces every dlarray in it, and the
/// gradient with respect to it has the same type. Plain numbers and strings hold no dlarrays and are
/// kept as they are; a field of another type is marked `#[learnables(skip)]` and cloned as it is
/// (never differentiated). `#[learnables(crate = path)]` names a renamed dependency.
///
/// ```
/// use autodiff::prelude::*;
///
/// #[derive(Clone, Learnables)]
/// struct Layer {
///     weights: DlArray,
///     bias: DlArray,
/// }
///
/// #[derive(Clone, Learnables)]
/// struct Net {
///     fc1: Layer,
///     fc2: Layer,
/// }
///
/// let layer = || Layer { weights: ones::<f64>(&[2, 2]), bias: zeros::<f64>(&[2, 1]) };
/// let net = Net { fc1: layer(), fc2: layer() };
/// let mut names = Vec::new();
/// net.visit(&mut String::new(), &mut |path, p| names.push(format!("{path} {}", p.numel())));
/// assert_eq!(names, ["fc1.weights 4", "fc1.bias 2", "fc2.weights 4", "fc2.bias 2"]);
/// ```
#[proc_macro_derive(Learnables, attributes(learnables))]
pub fn derive_learnables(input: TokenStream) -> TokenStream {
    learnables::derive(input.into()).into()
}

#[cfg(test)]
mod snapshots;

//! Guides.

pub mod for_matlab_users {
    //! # autodiff for MATLAB users
    //!
    //! The programming model is MATLAB's: values are `dlarray`s, a *model function* computes a loss
    //! and calls `dlgradient`, and `dlfeval` evaluates it with tracing on. The difference is when the
    //! derivative code is made. MATLAB records the operations at run time and walks the record
    //! backwards; here `#[differentiable]` reads the model function at compile time and writes its
    //! reverse sweep as ordinary Rust code. Mistakes MATLAB reports when the line runs are compile
    //! errors here, and the gradient costs what a hand-written one would.
    //!
    //! ## The first example, side by side
    //!
    //! ```text
    //! function [f, grad] = rosenbrock(x)                  % MATLAB
    //!     f = 100*(x(2) - x(1).^2).^2 + (1 - x(1)).^2;
    //!     grad = dlgradient(f, x);
    //! end
    //! x0 = dlarray([-1, 2]);
    //! [fval, gradval] = dlfeval(@rosenbrock, x0)
    //! ```
    //!
    //! ```
    //! use autodiff::prelude::*;
    //!
    //! #[differentiable]
    //! fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
    //!     let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
    //!     let grad = dlgradient(&f, x)?;
    //!     Ok((f, grad))
    //! }
    //!
    //! # fn main() -> Result<()> {
    //! let x0 = dlarray([-1.0, 2.0]);
    //! let (fval, gradval) = dlfeval(rosenbrock, &x0)?;
    //! println!("fval =\n\n{fval}\ngradval =\n\n{gradval}"); // 1x1 dlarray 104, 1x2 dlarray 396 200
    //! assert_eq!(gradval.to_vec(), vec![396.0, 200.0]);
    //! # Ok(())
    //! # }
    //! ```
    //!
    //! Three things change in the writing:
    //!
    //! - **Indexing is 0-based**: MATLAB's `x(1)` is `x[0]`. Linear indexing runs down the columns, as in
    //!   MATLAB (`x[2]` of a 2x2 array is MATLAB's `x(3)`, row 1 column 2).
    //! - **Results are `Result`s**: `dlgradient(..)?` and `dlfeval(..)?` return errors instead of throwing.
    //! - **Inputs are borrowed**: the model function takes `&DlArray`. Inside a `#[differentiable]` body
    //!   you may mix `x`, `&x` and owned values freely in arithmetic; outside, operators take
    //!   references (`&a + &b`) or owned values (`a + b`, which reuses `a`'s storage).
    //!
    //! ## Translation table
    //!
    //! | MATLAB | Rust |
    //! |---|---|
    //! | `dlarray([1 2 3])` (a row) | `dlarray([1.0, 2.0, 3.0])` (1x3) |
    //! | `dlarray([1 2; 3 4])` | `dlarray([[1.0, 2.0], [3.0, 4.0]])` |
    //! | `dlarray(X, 'SSCB')` | `dlarray_fmt(x, "SSCB")?` |
    //! | `single(...)` data | `DlArray<f32>` (`dlarray([1.0_f32, 2.0])`); `DlArray` alone is `f64` |
    //! | `x(i)`, `x(:, j)`, `x(2:3)` | `x[i - 1]`, `x.at((.., j - 1))`, `x.at(1..3)` |
    //! | `y(i) = v` | `y[i - 1] = v;` (on a local `let mut y`) |
    //! | `.*  ./  .^2  .^p` | `*  /  .powi(2)  .powf(p)` (elementwise, implicit expansion) |
    //! | `A * B` (matrix) | `a.matmul(&b)` or `matmul(&a, &b)`; `A'` is `a.transpose()` |
    //! | `sum(x, 'all')`, `sum(x, 1)` | `sum(&x, All)`, `sum(&x, 0)` (dimensions are 0-based) |
    //! | `max(x, [], 2)`, `max(a, b)` | `max(&x, 1)`, `maximum(&a, &b)` |
    //! | `size(x)`, `numel(x)`, `ndims(x)` | `x.size()`, `x.numel()`, `x.ndims()` (plain numbers) |
    //! | `extractdata(x)` | `x.extractdata()` (an `ndarray::ArrayD`) or `x.get(k)` for one element |
    //! | `dims(x)`, `finddim(x, 'C')`, `stripdims(x)` | `x.dims()`, `x.finddim(Label::C)`, `x.stripdims()` |
    //! | `zeros(size(x), 'like', x)` | `zeros_like(&x)` |
    //! | `relu`, `sigmoid`, `softmax`, `crossentropy`, `mse` | the same names, as functions or methods |
    //! | `fullyconnect(X, W, b)` | `fullyconnect(&x, &w, &b)` (input formatted `"CB"`) |
    //! | `@(t) expr` in `dlfeval` | `differentiable_closure!(\|t: &DlArray\| expr)` |
    //! | `net.Learnables` | a struct with `#[derive(Learnables)]` |
    //!
    //! Every function of the vocabulary is listed in [`ops`](crate::ops) with its MATLAB name. The
    //! rows above, checked:
    //!
    //! ```
    //! use autodiff::prelude::*;
    //!
    //! # fn main() -> Result<()> {
    //! let x = dlarray([[1.0, 2.0], [3.0, 4.0]]);                 // MATLAB [1 2; 3 4]
    //! assert_eq!(x.get(2), 2.0);                                   // x(3): down the columns
    //! assert_eq!(x.at((.., 1)).to_vec(), vec![2.0, 4.0]);          // x(:, 2)
    //! assert_eq!(x.at(1..3).to_vec(), vec![3.0, 2.0]);             // x(2:3)
    //! assert_eq!(sum(&x, 0).to_vec(), vec![4.0, 6.0]);             // sum(x, 1)
    //! assert_eq!(max(&x, 1).to_vec(), vec![2.0, 4.0]);             // max(x, [], 2)
    //! assert_eq!(x.matmul(&x.transpose()).get(0), 5.0);            // x * x'
    //! assert_eq!((&x * &x).to_vec(), x.powi(2).to_vec());          // x .* x == x .^ 2
    //! assert_eq!(x.size(), [2, 2]);
    //! let img = dlarray_fmt(zeros::<f64>(&[4, 4, 3, 2]).extractdata(), "SSCB")?;
    //! assert_eq!((img.dims(), img.finddim(Label::C)), ("SSCB".to_string(), vec![2]));
    //! assert_eq!(zeros_like(&x).to_vec(), vec![0.0; 4]);
    //! # Ok(())
    //! # }
    //! ```
    //!
    //! ## dlfeval and dlgradient
    //!
    //! `dlfeval(f, &x)` evaluates `f` with tracing on; several arguments go in a tuple,
    //! `dlfeval(f, (&w, &x, 0.5))`. Every dlarray in the arguments is traced, also inside learnable
    //! structs, `Vec`s and tuples; plain numbers and strings pass through. The results come back
    //! untraced.
    //!
    //! `dlgradient(&y, x)` differentiates a traced scalar `y`. As in MATLAB:
    //!
    //! - several targets give several gradients: `let (gw, gb) = dlgradient(&loss, (&w, &b))?;`
    //! - a target may be a container (a `Vec<DlArray>`, a learnable struct): the gradient has its type;
    //! - a target may be an intermediate value (Grad-CAM: the gradient of a score with respect to an
    //!   activation);
    //! - a target `y` does not depend on gets zeros;
    //! - several `dlgradient` calls may share one forward computation (a GAN's two losses);
    //! - options come last: `dlgradient(&y, x, RetainData(true))`; with `EnableHigherDerivatives(true)`
    //!   the gradient is traced and can be differentiated again (below).
    //!
    //! ```
    //! use autodiff::prelude::*;
    //!
    //! // SPEC: y = Σ sin(θ₁·x + θ₂) for x = 0..10, θ = [1 2]: y = −0.9668, dy/dθ = [0.6788 −1.1095]
    //! #[differentiable]
    //! fn model(theta: &DlArray, x: &DlArray) -> Result<(DlArray, DlArray)> {
    //!     let y = sum(&(theta[0] * x + theta[1]).sin(), All);
    //!     let dy = dlgradient(&y, theta)?;
    //!     Ok((y, dy))
    //! }
    //!
    //! # fn main() -> Result<()> {
    //! let x = dlarray((0..=10).map(f64::from).collect::<Vec<_>>());
    //! let (y, dy) = dlfeval(model, (&dlarray([1.0, 2.0]), &x))?;
    //! assert!((y.get(0) + 0.9668).abs() < 1e-4);
    //! assert!((dy.get(0) - 0.6788).abs() < 1e-4 && (dy.get(1) + 1.1095).abs() < 1e-4);
    //! # Ok(())
    //! # }
    //! ```
    //!
    //! ## The trace rules, caught by the compiler
    //!
    //! MATLAB's "derivative trace" rules hold, and the ones visible in the source are checked when the
    //! function compiles, with the error at the offending token:
    //!
    //! - a dlarray created inside the model function (`let x2 = dlarray(0.0);`) is a constant:
    //!   `dlgradient(&y, &x2)` does not compile ("x2 is untraced");
    //! - `extractdata` (and `get`) give plain numbers: `x + atan(extractdata(x))` has derivative 1;
    //! - `dlgradient` outside a `#[differentiable]` function does not compile; a call on traced
    //!   values to a function that is not `#[differentiable]` does not compile either. That error is
    //!   rustc's own, at the function's name: "cannot find module or crate `helper`" (E0433), because
    //!   the generated code calls the gradient companion `helper::__ad` that `#[differentiable]`
    //!   writes beside each function. Add `#[differentiable]` to `helper`, or pass it plain numbers
    //!   (a call that no traced value reaches runs as plain code, as does a method of a plain value);
    //! - a method whose result may hold traced values but that is not `#[differentiable]` does not
    //!   compile ("the result of this call may hold traced dlarrays, but the method is not
    //!   `#[differentiable]`"): the macro never makes a traced value a constant behind your back;
    //! - syntax the transformation cannot differentiate (`unsafe`, raw pointers, unknown macros on
    //!   traced values, `%` on dlarrays…) is reported with what to write instead.
    //!
    //! The rules only run time can check return MATLAB's messages as `Err`: a non-scalar `y`
    //! ("Value to differentiate is non-scalar. It must be a traced real dlarray scalar."), `dlgradient`
    //! reached in a function called without `dlfeval`. Shape errors name the operation, both sizes and
    //! your source line. A traced value sent to another thread arrives untraced, as a value sent to a
    //! MATLAB worker does.
    //!
    //! ```
    //! use autodiff::prelude::*;
    //!
    //! #[differentiable]
    //! fn not_scalar(x: &DlArray) -> Result<DlArray> {
    //!     let y = x * 2.0;
    //!     dlgradient(&y, x)
    //! }
    //!
    //! let err = dlfeval(not_scalar, &dlarray([1.0, 2.0])).unwrap_err();
    //! assert!(err.to_string().contains("Value to differentiate is non-scalar"));
    //! ```
    //!
    //! ## Values at non-differentiable points
    //!
    //! `relu'(0) = 0` and `relu'(eps) = 1`; `round`, `floor`, `ceil`, `fix` and `sign` have derivative 0;
    //! `abs'(0) = 0`; ties in `max`/`min` give the whole gradient to the first occurrence.
    //!
    //! ## Loops, branches and mutation
    //!
    //! Write the model as you would in MATLAB: `for`/`while`/`loop`, `if`/`match` on plain values
    //! (including numbers taken out with `get` or `extractdata`), `break`/`continue` as the last
    //! statement of an `if` in the loop, reassignment (`h = tanh(..)`), compound assignment,
    //! `y[i] = v`, `v.push(x)` on a local `Vec`, fields of local structs deriving `Learnables`
    //! (`state.h = ..`), and calls to other `#[differentiable]` functions and methods. The reverse sweep replays the branch each
    //! iteration took and runs loops backwards. A loop that only accumulates
    //! (`s = s + g(x[i])`) records nothing per iteration; other loops record the values their
    //! adjoints read.
    //!
    //! ```
    //! use autodiff::prelude::*;
    //!
    //! /// A vanilla RNN: h = tanh(W·h + U·x_t + b) over the columns of xs, loss = Σ h.
    //! #[derive(Clone, Learnables)]
    //! struct Rnn {
    //!     w: DlArray,
    //!     u: DlArray,
    //!     b: DlArray,
    //! }
    //!
    //! #[differentiable]
    //! fn rnn_loss(p: &Rnn, #[untraced] xs: &DlArray) -> Result<(DlArray, Rnn)> {
    //!     let mut h = zeros::<f64>(&[p.w.size()[0], 1]);
    //!     for t in 0..xs.size()[1] {
    //!         h = (p.w.matmul(&h) + p.u.matmul(&xs.at((.., t))) + &p.b).tanh();
    //!     }
    //!     let loss = sum(&h, All);
    //!     Ok((loss.clone(), dlgradient(&loss, p)?))
    //! }
    //!
    //! # fn main() -> Result<()> {
    //! let p = Rnn { w: ones::<f64>(&[2, 2]) * 0.1, u: ones::<f64>(&[2, 3]) * 0.2, b: zeros::<f64>(&[2, 1]) };
    //! let xs = dlarray([[1.0, 0.5], [0.0, -1.0], [2.0, 0.0]]); // 3 inputs x 2 steps
    //! let report = gradcheck(|p: &Rnn| rnn_loss(p, &xs), &p)?;  // against finite differences
    //! assert!(report.passed());
    //! # Ok(())
    //! # }
    //! ```
    //!
    //! ## Higher derivatives
    //!
    //! `dlgradient(&y, x, EnableHigherDerivatives(true))` writes its reverse sweep in the same
    //! primitives as the forward code, so the gradient is a traced value: a Hessian-vector product
    //! is the gradient of `∇f·v`, a gradient penalty differentiates a norm of `∇ₓD` with respect to
    //! `D`'s parameters. It works on straight-line code and through calls of other
    //! `#[differentiable]` functions (and the methods of the rule table). A loop, a branch or a
    //! reassigned variable on the way from the targets to `y`, in the function or in one it calls, is
    //! a compile error that says so (not supported yet); so is a primitive without a second
    //! derivative in the rule table.
    //!
    //! ```
    //! use autodiff::prelude::*;
    //!
    //! #[differentiable]
    //! fn hvp(x: &DlArray, #[untraced] v: &DlArray) -> Result<DlArray> {
    //!     let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
    //!     let g = dlgradient(&f, x, EnableHigherDerivatives(true))?;
    //!     dlgradient(&sum(&(g * v), All), x)
    //! }
    //!
    //! # fn main() -> Result<()> {
    //! // H = [[1200x₀² − 400x₁ + 2, −400x₀], [−400x₀, 200]] = [[402, 400], [400, 200]] at (−1, 2)
    //! let hv = dlfeval(hvp, (&dlarray([-1.0, 2.0]), &dlarray([1.0, 0.0])))?;
    //! assert_eq!(hv.to_vec(), vec![402.0, 400.0]);
    //! # Ok(())
    //! # }
    //! ```
    //!
    //! A function that calls `dlgradient` (a model function for `dlfeval`) is not differentiated
    //! through by its callers: if a derivative reaches it, the caller's `dlgradient` returns an
    //! error saying so.
    //!
    //! ## Layers: methods, traits, closures
    //!
    //! - `#[differentiable]` on a method (`&self` or `self`), or on an `impl` block (then also its
    //!   associated functions without `self`, called as `Layer::affine(..)`), makes it callable from
    //!   differentiable code, with gradients flowing into the receiver's fields.
    //! - A trait of layers: put `#[differentiable]` on the trait (or on its method declarations) and on
    //!   each `impl` of it (the block or its methods). Generic models `fn loss<L: Layer + Learnables<f64>>`
    //!   and `Vec<Box<dyn Layer>>` both differentiate through it; a type parameter is traced when
    //!   it is bound by `Learnables`.
    //! - Closures given to iterator adaptors (`map`, `sum`, `fold`, `for_each`, `zip`, `enumerate`,
    //!   `skip`, `take`) and to `Option` combinators (`map`, `and_then`, `map_or`, `unwrap_or`) are
    //!   differentiated; a closure bound by `let` and then called (`let sq = |v: &DlArray| v * v;`) is
    //!   inlined where it is called. A closure handed to anything else (`std::thread::spawn`, a
    //!   function of yours, `sort_by`) runs as plain Rust, and the traced values it captures cross
    //!   into it untraced, as a value sent to a MATLAB worker does.
    //! - A struct that holds dlarrays and is used inside a differentiable function (a layer, a state
    //!   `state.h = ..`, a struct of gradients you return) derives `Clone` and `Learnables`.
    //!
    //! ## What is supported, exactly
    //!
    //! Inside a `#[differentiable]` function: the operators `+ - * /` and unary `-` (elementwise, with
    //! implicit expansion; numbers of any type on either side), comparisons, every function and method
    //! of [`ops`](crate::ops) (also their `try_` forms with `?`), indexing `x[i]`, `x.at(..)` and
    //! assignment `y[i] = v`, fields, tuples, arrays and `vec![..]` of traced values, `Vec`s of them
    //! (`push`, `clear`, index, iterate), `Option`s (`if let Some(b) = &self.bias`), `let` with
    //! patterns, shadowing, `let mut` reassigned anywhere, compound assignment, `if`/`else`,
    //! `match`, `if let`, `while let`, `for` over ranges, containers, `iter().zip(..).enumerate()`,
    //! `while` (conditions may read traced values through `get`, `extractdata`, `numel`), `loop`,
    //! `break`/`continue`, nested functions and plain helpers given numbers, `println!`/`assert!`/
    //! `format!` of traced values, `dbg!`, statement attributes (`#[cfg]`, `#[allow]`), `const`s,
    //! and `f32` data with `f32` numbers.
    //!
    //! Not yet, each a compile error at its token with what to write instead: `return` of a traced
    //! value (make it the last expression), `break` with a value and labelled loops or blocks,
    //! `dlgradient` inside a loop, `unsafe`, `async`, `%` on dlarrays, `xs.first()`/`xs.last()`/
    //! `xs.get(i)` on a `Vec` of traced values (index instead: `xs[0]`), higher derivatives through
    //! loops and branches, and `#[differentiable]` directly on an associated function without `self`
    //! (put it on the `impl` block).
    //!
    //! Not yet either, and reported by rustc rather than by the macro: an untraced dlarray (an
    //! `#[untraced]` parameter, or a value computed only from constants) is plain Rust in the body,
    //! so the conveniences the macro gives traced values do not apply to it: write `d.at(0)` for
    //! `d[0]`, `2.0 * d` (not `2.0 * &d` on a `&DlArray`), `c.clone() + &c` for `c + c`,
    //! `extractdata(&sum(d, All)).sum() > 0.5` for `sum(d, All) > 0.5`, and
    //! `fold(dlarray(0.0), |a, t| a + t)` for `.sum::<DlArray>()`.
    //!
    //! ## Learnables and a custom training loop
    //!
    //! MATLAB's `net.Learnables` table (Layer, Parameter, Value) is a struct deriving `Learnables`:
    //! `visit` walks its parameters with their path names (`fc1.weights`), `map`/`zip_map` build new
    //! parameter sets (an optimizer step), `zeros_like` starts a velocity. The gradient with respect to
    //! the struct is the same struct.
    //!
    //! ```
    //! use autodiff::prelude::*;
    //!
    //! #[derive(Clone, Learnables)]
    //! struct Layer {
    //!     weights: DlArray,
    //!     bias: DlArray,
    //! }
    //!
    //! impl Layer {
    //!     #[differentiable]
    //!     fn forward(&self, x: &DlArray) -> DlArray {
    //!         fullyconnect(x, &self.weights, &self.bias)
    //!     }
    //! }
    //!
    //! #[derive(Clone, Learnables)]
    //! struct Net {
    //!     fc1: Layer,
    //!     fc2: Layer,
    //! }
    //!
    //! #[differentiable]
    //! fn model_loss(net: &Net, #[untraced] x: &DlArray, #[untraced] t: &DlArray) -> Result<(DlArray, Net)> {
    //!     let h = net.fc1.forward(x).relu();
    //!     let y = net.fc2.forward(&h).softmax();
    //!     let loss = crossentropy(&y, t);
    //!     let gradients = dlgradient(&loss, net)?;
    //!     Ok((loss, gradients))
    //! }
    //!
    //! # fn main() -> Result<()> {
    //! rng(0);
    //! let layer = |o: usize, i: usize| Layer { weights: randn::<f64>(&[o, i]) * 0.5, bias: zeros::<f64>(&[o, 1]) };
    //! let mut net = Net { fc1: layer(8, 2), fc2: layer(2, 8) };
    //! // two classes: the sign of x₁ + x₂, eight observations ("CB": 2 channels x 8 observations)
    //! let x = dlarray_fmt(randn::<f64>(&[2, 8]).extractdata(), "CB")?;
    //! let labels: Vec<f64> = (0..8).map(|j| if x.get(2 * j) + x.get(2 * j + 1) > 0.0 { 1.0 } else { 0.0 }).collect();
    //! let t = dlarray_fmt(
    //!     dlarray((0..16).map(|k| if k % 2 == 0 { 1.0 - labels[k / 2] } else { labels[k / 2] }).collect::<Vec<_>>())
    //!         .reshape(&[2, 8])
    //!         .extractdata(),
    //!     "CB",
    //! )?;
    //!
    //! let mut names = Vec::new();
    //! net.visit(&mut String::new(), &mut |path, p| names.push(format!("{path} {:?}", p.size())));
    //! assert_eq!(names[0], "fc1.weights [8, 2]");
    //!
    //! // SGD with momentum (MATLAB sgdmupdate: vel = μ·vel − lr·g; θ = θ + vel)
    //! let (lr, mu) = (0.1, 0.9);
    //! let mut velocity = net.zeros_like();
    //! let (first, _) = dlfeval(model_loss, (&net, &x, &t))?;
    //! for _ in 0..100 {
    //!     let (_, gradients) = dlfeval(model_loss, (&net, &x, &t))?;
    //!     velocity = velocity.zip_map(&gradients, &mut |v, g| v * mu - g * lr);
    //!     net = net.zip_map(&velocity, &mut |p, v| p + v);
    //! }
    //! let (last, _) = dlfeval(model_loss, (&net, &x, &t))?;
    //! assert!(last.get(0) < first.get(0));
    //! # Ok(())
    //! # }
    //! ```
    //!
    //! ## Where Rust differs on purpose
    //!
    //! - `dlfeval` accepts any function or closure, as MATLAB's does; only a `#[differentiable]`
    //!   function may call `dlgradient` (checked at compile time).
    //! - Nested `dlfeval` calls each get their own trace: an inner call's gradients are constants in
    //!   the outer one, and the outer trace is left intact.
    //! - Gradients are computed where `dlgradient` stands, from code generated for that call site; there
    //!   is no trace to retain or free, so `RetainData` changes nothing (it is accepted for
    //!   compatibility).
    //! - A parameter of your own type that holds no dlarrays is marked `#[untraced]`; dlarray
    //!   parameters marked `#[untraced]` (data, labels) are passed through without tracing.
}

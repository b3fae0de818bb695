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
    //! - options come last: `dlgradient(&y, x, RetainData(true))`. `EnableHigherDerivatives(true)` is
    //!   a compile error for now (higher derivatives are not supported yet).
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
    //!   the generated code calls the gradient companion `helper::__forward` that `#[differentiable]`
    //!   writes beside each function. Add `#[differentiable]` to `helper`, or pass it plain numbers;
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
    //! `y[i] = v`, `v.push(x)` on a local `Vec`, fields of local structs (`state.h = ..`), and calls
    //! to other `#[differentiable]` functions and methods. The reverse sweep replays the branch each
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

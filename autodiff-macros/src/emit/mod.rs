//! Stage 5, emit: IR to tokens. A printer: every decision was made by the stages before.
//!
//! A `#[differentiable] fn f(x: &DlArray) -> Result<DlArray>` becomes
//!
//! - `f`, with its signature unchanged, calling the companion and dropping the pullback;
//! - a hidden companion `f::__ad(mode, x_owned)` (a method `__ad_<name>`/`__adf_<name>` for methods)
//!   holding the one copy of the body: forward code, the reverse sweep of each `dlgradient`, and a
//!   pullback closure returning each parameter's gradient given the result's.
//!
//! | module | prints |
//! |---|---|
//! | `ctx` | names, operands, what is recorded |
//! | `forward` | the forward statements |
//! | `reverse` | reverse sweeps |
//! | `item` | the function items: primal and companion |
//! | `pullback` | the companion's pullback closure |
//! | `closure` | `differentiable_closure!` |
//! | `impls` | `impl` blocks and traits |
//! | `vjp` | a function's vector-Jacobian product companion (higher derivatives through calls) |

mod closure;
pub(crate) mod ctx;
mod forward;
mod impls;
pub(crate) mod item;
mod pullback;
mod reverse;
mod vjp;

pub(crate) use closure::closure;
pub(crate) use item::differentiable;

//! Trace contexts: `dlfeval` and the run-time trace checks of `dlgradient`.
//!
//! There is no tape here. A trace context is just a unique id: `dlfeval` opens one on the current thread
//! (a stack, so calls nest), marks the dlarrays of its arguments with that id, and closes it when the
//! function returns. Every primitive gives its result the id of its operands, so "traced" means "depends
//! on an input of a `dlfeval` call that is still running on this thread". The derivative itself is code
//! written at compile time by `#[differentiable]`; these ids only let `dlgradient` report MATLAB's
//! errors at run time for what the macro cannot see.
//!
//! Consequences, all MATLAB's rules:
//! - a dlarray made inside the function (`dlarray(..)`, `zeros_like`, `extractdata` + `dlarray`) is
//!   untraced;
//! - outputs of `dlfeval` are untraced once it returns (their context is closed);
//! - a dlarray sent to another thread, or serialized, is untraced there.
//!
//! **Nesting.** A `dlfeval` inside a function evaluated by `dlfeval` opens an inner context; the inner
//! function sees its own arguments traced, and its outputs are constants for the outer function:
//! gradients do not flow through a nested `dlfeval` (call the `#[differentiable]` function directly to
//! differentiate through it). The outer context is untouched by the inner call.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::dlarray::Tag;

static NEXT: AtomicU32 = AtomicU32::new(1);

thread_local! {
    static LIVE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// The id of a running `dlfeval` call (0 never names one).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceId(pub(crate) u32);

/// An open trace context; closing happens on drop (also when the function panics).
pub(crate) struct Scope {
    id: u32,
}

impl Scope {
    pub(crate) fn open() -> Scope {
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        LIVE.with(|l| l.borrow_mut().push(id));
        Scope { id }
    }

    pub(crate) fn id(&self) -> TraceId {
        TraceId(self.id)
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        LIVE.with(|l| {
            let mut l = l.borrow_mut();
            if let Some(pos) = l.iter().rposition(|&i| i == self.id) {
                l.remove(pos);
            }
        });
    }
}

/// True while the context `id` is open on this thread.
pub(crate) fn is_live(id: u32) -> bool {
    id != 0 && LIVE.with(|l| l.borrow().contains(&id))
}

/// True inside a `dlfeval` call on this thread.
pub(crate) fn in_dlfeval() -> bool {
    LIVE.with(|l| !l.borrow().is_empty())
}

/// The innermost live of two different non-zero trace ids (the slow path of `Tag::join`).
pub(crate) fn innermost(a: u32, b: u32) -> u32 {
    LIVE.with(|l| {
        let l = l.borrow();
        let pa = l.iter().rposition(|&i| i == a);
        let pb = l.iter().rposition(|&i| i == b);
        match (pa, pb) {
            (Some(x), Some(y)) => {
                if x >= y {
                    a
                } else {
                    b
                }
            }
            (Some(_), None) => a,
            (None, Some(_)) => b,
            (None, None) => a.max(b),
        }
    })
}

impl Tag {
    pub(crate) fn traced(id: TraceId) -> Tag {
        Tag { id: id.0, lazy: false }
    }
}

/// A function `dlfeval` can evaluate: a `#[differentiable]` function (the attribute implements this
/// trait) or a `differentiable!(|..| ..)` closure.
///
/// `Args` is the argument for one parameter, or a tuple of arguments for several.
///
/// # Example
///
/// ```
/// use autodiff::prelude::*;
///
/// #[differentiable]
/// fn square(x: &DlArray) -> Result<DlArray> {
///     let y = sum(&(x * x), All);
///     dlgradient(&y, x)
/// }
///
/// fn needs_differentiable<F: Differentiable<A>, A>(_: &F) {}
/// needs_differentiable::<_, &DlArray>(&square);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[differentiable]` function that takes `{Args}`",
    label = "dlfeval needs a `#[differentiable]` function",
    note = "annotate the function with `#[differentiable]` (generic functions and closures: pass `differentiable!(|x: &DlArray| f(x))`), and pass one argument, or a tuple of arguments for several parameters"
)]
pub trait Differentiable<Args> {
    /// What the function returns.
    type Output;
    /// Calls the function with the dlarrays of `args` traced in context `trace`.
    #[doc(hidden)]
    fn call_traced(&self, args: Args, trace: TraceId) -> Self::Output;
}

/// Evaluates a `#[differentiable]` function with tracing enabled, MATLAB's `dlfeval(fun, args…)`.
///
/// Every dlarray in `args` is traced (also inside `#[derive(Learnables)]` structs, `Vec`s and tuples);
/// plain numbers and other data pass through untouched. The outputs come back untraced; errors
/// returned by the function come back unchanged. Pass one argument as is, several as a tuple:
/// `dlfeval(f, &x)`, `dlfeval(f, (&w, &x, 0.5))`. Calls nest (see the module docs).
///
/// Passing a function that is not `#[differentiable]` does not compile.
///
/// # Example
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
/// let (fval, gradval) = dlfeval(rosenbrock, &dlarray([-1.0, 2.0])).unwrap();
/// assert_eq!(fval.to_vec(), vec![104.0]);
/// assert_eq!(gradval.to_vec(), vec![396.0, 200.0]);
/// assert!(!gradval.is_traced());
/// ```
pub fn dlfeval<A, F: Differentiable<A>>(f: F, args: A) -> F::Output {
    let scope = Scope::open();
    f.call_traced(args, scope.id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::private::trace;

    #[test]
    fn traced_values_are_untraced_on_other_threads() {
        // SPEC §4 rule 3: a traced value moved to another worker arrives untraced.
        let scope = Scope::open();
        let x = trace(&crate::dlarray([1.0, 2.0]), scope.id());
        let y = &x * 2.0;
        assert!(x.is_traced() && y.is_traced());
        let there = std::thread::spawn(move || y.is_traced()).join().expect("thread");
        assert!(!there);
        drop(scope);
        assert!(!x.is_traced(), "closed context");
    }

    #[test]
    fn nested_contexts_do_not_disturb_each_other() {
        let outer = Scope::open();
        let a = trace(&crate::dlarray(1.0), outer.id());
        {
            let inner = Scope::open();
            let b = trace(&crate::dlarray(2.0), inner.id());
            // mixing: the innermost live context wins
            let c = &a + &b;
            assert_eq!(c.tag.id, inner.id().0);
            assert!(a.is_traced() && b.is_traced());
        }
        assert!(a.is_traced(), "the outer context survives the inner one");
        let d = &a * 3.0;
        assert_eq!(d.tag.id, outer.id().0);
    }
}

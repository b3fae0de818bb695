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

thread_local! {
    /// The context a running `dlfeval` has opened for its function, until the first
    /// `#[differentiable]` function entered takes it (0: none pending).
    static PENDING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Called at the entry of every `#[differentiable]` function: the context `dlfeval` opened for it, if
/// this is the function `dlfeval` called. The function then traces its own parameters.
#[doc(hidden)]
pub fn enter() -> Option<TraceId> {
    let id = PENDING.with(|p| p.replace(0));
    (id != 0).then_some(TraceId(id))
}

/// Restores the pending context and closes the scope when `dlfeval` returns or unwinds.
struct Pending {
    previous: u32,
    _scope: Scope,
}

impl Drop for Pending {
    fn drop(&mut self) {
        PENDING.with(|p| p.set(self.previous));
    }
}

/// A function `dlfeval` can call with `Args`: any `Fn` of one argument (`dlfeval(f, x)`) or of several
/// (`dlfeval(f, (a, b, c))`). `Marker` tells the arities apart and is inferred.
///
/// # Example
///
/// ```
/// use autodiff::prelude::*;
///
/// fn arity<A, M, F: DlfevalFn<A, M>>(_: &F, _: A) {}
/// arity(&|x: &DlArray| x.numel(), &dlarray([1.0]));
/// arity(&|a: &DlArray, n: usize| a.numel() + n, (&dlarray([1.0]), 2));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be called with `{Args}`",
    label = "dlfeval calls this function with the arguments given",
    note = "pass one argument as it is, and several as a tuple: `dlfeval(f, (&a, &b))`"
)]
pub trait DlfevalFn<Args, Marker> {
    /// What the function returns.
    type Output;
    /// Calls the function.
    #[doc(hidden)]
    fn call_with(&self, args: Args) -> Self::Output;
}

/// Arity markers for [`DlfevalFn`].
#[doc(hidden)]
pub mod arity {
    /// One argument.
    pub struct One;
    /// Several arguments, given as a tuple.
    pub struct Many<const N: usize>;
}

impl<F: Fn(A) -> R, A, R> DlfevalFn<A, arity::One> for F {
    type Output = R;
    #[inline]
    fn call_with(&self, a: A) -> R {
        self(a)
    }
}

macro_rules! dlfeval_fn {
    ($n:literal: $($a:ident),+) => {
        impl<F: Fn($($a),+) -> R, $($a,)+ R> DlfevalFn<($($a,)+), arity::Many<$n>> for F {
            type Output = R;
            #[inline]
            #[allow(non_snake_case)]
            fn call_with(&self, ($($a,)+): ($($a,)+)) -> R {
                self($($a),+)
            }
        }
    };
}
dlfeval_fn!(2: A1, A2);
dlfeval_fn!(3: A1, A2, A3);
dlfeval_fn!(4: A1, A2, A3, A4);
dlfeval_fn!(5: A1, A2, A3, A4, A5);
dlfeval_fn!(6: A1, A2, A3, A4, A5, A6);
dlfeval_fn!(7: A1, A2, A3, A4, A5, A6, A7);
dlfeval_fn!(8: A1, A2, A3, A4, A5, A6, A7, A8);

/// Evaluates a function with tracing enabled, MATLAB's `dlfeval(fun, args…)`.
///
/// The `#[differentiable]` function it calls traces its dlarray parameters (also inside
/// `#[derive(Learnables)]` structs, `Vec`s and tuples); plain numbers and other data pass through
/// untouched. The outputs come back untraced (the context is closed when `dlfeval` returns); errors
/// returned by the function come back unchanged. Pass one argument as it is, several as a tuple:
/// `dlfeval(f, &x)`, `dlfeval(f, (&w, &x, 0.5))`. A closure works too, e.g. to call a method or a generic
/// function: `dlfeval(|x: &DlArray| net.loss(x), &x)`, and calls nest (see the module docs).
///
/// As in MATLAB, any function may be evaluated; only a `#[differentiable]` one can call `dlgradient`.
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
pub fn dlfeval<A, M, F: DlfevalFn<A, M>>(f: F, args: A) -> F::Output {
    let scope = Scope::open();
    let id = scope.id().0;
    let previous = PENDING.with(|p| p.replace(id));
    let _guard = Pending { previous, _scope: scope };
    f.call_with(args)
}

//! Calls between differentiable functions, and calls the macro cannot differentiate.
//!
//! Every `#[differentiable]` function has a hidden *companion* that returns the function's result and
//! a pullback closure: given the result's gradient, the pullback returns the gradient of every
//! parameter (a tuple, [`NoGrad`] for plain ones). The companion owns its inputs, so the pullback
//! borrows nothing from the caller.
//!
//! A method call on traced values looks for the receiver's companion method by name (an inherent
//! `__ad_<name>`, or the one `#[differentiable]` adds to a trait). When the receiver has none, a
//! fallback the generated code declares next to the call answers instead with [`PlainCall`]: the
//! call then runs as written, and its result must be [`Plain`](super::Plain) — a result that may hold
//! traced dlarrays from code that is not differentiable is a compile error, never a silent constant.

use crate::error::Result;
use crate::private::grad::{Grad, NoGrad, Plain};

/// Whether a companion records what its pullback needs ([`Record`]) or only computes the value
/// ([`Primal`], for plain calls): loops skip their stacks in the second case. Methods take the mode as
/// a value ([`DynMode`]) so that their companions can be trait methods callable on `dyn Trait`.
pub trait Mode: Copy {
    /// True when the pullback will be called.
    fn record(self) -> bool;
}

/// Companion mode: the pullback will run.
#[derive(Clone, Copy, Debug)]
pub struct Record;
impl Mode for Record {
    #[inline(always)]
    fn record(self) -> bool {
        true
    }
}

/// Companion mode: only the value is wanted.
#[derive(Clone, Copy, Debug)]
pub struct Primal;
impl Mode for Primal {
    #[inline(always)]
    fn record(self) -> bool {
        false
    }
}

/// The mode of a method's companion, known at run time.
#[derive(Clone, Copy, Debug)]
pub struct DynMode(pub bool);
impl Mode for DynMode {
    #[inline(always)]
    fn record(self) -> bool {
        self.0
    }
}

/// The mode for a method's companion.
#[inline(always)]
pub fn dyn_mode<M: Mode>(m: M) -> DynMode {
    DynMode(m.record())
}

/// A method companion's pullback: boxed, so that a trait can declare it (and `dyn Trait` call it).
pub type DynPullback<'a, G, Gs> = Box<dyn Fn(&G) -> Result<Gs> + 'a>;

/// The gradient of a method's receiver, its type erased (a trait method's companion cannot name
/// `<Self as Diff>::Grad` and stay callable on `dyn Trait`). The caller's slot takes it back by type.
pub struct DynGrad(Box<dyn std::any::Any>);

impl DynGrad {
    /// Erases a gradient's type.
    #[inline]
    pub fn new<G: 'static>(g: G) -> DynGrad {
        DynGrad(Box::new(g))
    }
}

impl std::fmt::Debug for DynGrad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DynGrad")
    }
}

/// `slot += g` for a pullback's gradient of one argument: the same type, or a receiver's erased
/// gradient (taken back as the slot's type; a plain receiver's slot drops it).
pub trait AccFrom<G> {
    /// Adds `g`.
    fn acc_from(&mut self, g: &G);
}
impl<G: Grad> AccFrom<G> for G {
    #[inline(always)]
    fn acc_from(&mut self, g: &G) {
        self.acc(g)
    }
}
impl<G: Grad + 'static> AccFrom<DynGrad> for G {
    #[inline]
    fn acc_from(&mut self, g: &DynGrad) {
        if let Some(g) = g.0.downcast_ref::<G>() {
            self.acc(g)
        }
    }
}

/// What a higher-order sweep passes to a callee's vector-Jacobian product companion
/// (`f::__ad_vjp`): a callee that cannot provide one bounds this parameter by a trait it lacks.
#[derive(Clone, Copy, Debug)]
pub struct Higher;

/// What a vector-Jacobian product companion passes to the companions of the functions it calls:
/// every callee accepts it (one without a vector-Jacobian product fails at run time, when a
/// higher-order sweep actually goes through it), so a function calling one with a loop still
/// compiles when no second derivative is taken.
#[derive(Clone, Copy, Debug)]
pub struct Transitive;

/// The error of a higher-order sweep that reached a function without a vector-Jacobian product.
pub fn no_vjp(message: &str) -> crate::error::Error {
    crate::error::Error::invalid("dlgradient", message.to_string())
}

/// The answer of a receiver that has no companion method of the name called.
#[derive(Clone, Copy, Debug)]
pub struct PlainCall;

/// The pullback of a call that is not differentiated: nothing flows back.
#[derive(Clone, Copy, Debug)]
pub struct NoPullback;

/// The gradients of no parameter.
#[derive(Clone, Copy, Debug)]
pub struct NoGrads;

/// Turns the answer of a companion lookup into a result and a pullback.
#[diagnostic::on_unimplemented(
    message = "the result of this call may hold traced dlarrays, but the method is not `#[differentiable]`",
    label = "not differentiable",
    note = "add `#[differentiable]` to the method (and to the trait, for trait methods), or compute the value from `extractdata(..)` (a constant)"
)]
pub trait Resolve<F> {
    /// The result and its pullback.
    type Out;
    /// Runs the call.
    fn resolve(self, plain: F) -> Self::Out;
}

impl<R, P, F> Resolve<F> for (R, P) {
    type Out = (R, P);
    #[inline(always)]
    fn resolve(self, _plain: F) -> (R, P) {
        self
    }
}

impl<V, P, E, F> Resolve<F> for std::result::Result<(V, P), E> {
    type Out = std::result::Result<(V, P), E>;
    #[inline(always)]
    fn resolve(self, _plain: F) -> Self::Out {
        self
    }
}

impl<R: Plain, F: FnOnce() -> R> Resolve<F> for PlainCall {
    type Out = (R, NoPullback);
    #[inline(always)]
    fn resolve(self, plain: F) -> (R, NoPullback) {
        (plain(), NoPullback)
    }
}

/// Runs a method call through its companion, or as written (see the module docs).
#[inline(always)]
pub fn resolve<K: Resolve<F>, F>(answer: K, plain: F) -> K::Out {
    answer.resolve(plain)
}

/// A pullback: a companion's closure, [`NoPullback`], or an optional one (the call may have failed).
/// Pullbacks are called by reference, so several sweeps can run the same one.
pub trait Pullback<G> {
    /// The parameters' gradients.
    type Grads;
    /// Runs it with the result's gradient.
    fn pull(&self, g: &G) -> Result<Self::Grads>;
}

impl<G, Gs, F: Fn(&G) -> Result<Gs>> Pullback<G> for F {
    type Grads = Gs;
    #[inline(always)]
    fn pull(&self, g: &G) -> Result<Gs> {
        self(g)
    }
}

impl<G> Pullback<G> for NoPullback {
    type Grads = NoGrads;
    #[inline(always)]
    fn pull(&self, _: &G) -> Result<NoGrads> {
        Ok(NoGrads)
    }
}

/// The pullback of a call whose result was kept as a `Result`: nothing flows back unless it
/// succeeded.
#[derive(Clone, Copy, Debug)]
pub struct MaybePullback<P>(pub Option<P>);

impl<G, P: Pullback<G>> Pullback<Option<G>> for MaybePullback<P> {
    type Grads = Option<P::Grads>;
    #[inline(always)]
    fn pull(&self, g: &Option<G>) -> Result<Option<P::Grads>> {
        match (&self.0, g) {
            (Some(p), Some(g)) => p.pull(g).map(Some),
            _ => Ok(None),
        }
    }
}

/// Runs a pullback with the result's gradient.
#[inline(always)]
pub fn pull<G, P: Pullback<G> + ?Sized>(pb: &P, g: &G) -> Result<P::Grads> {
    pb.pull(g)
}

/// A companion's answer when the user wrote nothing after the call: the result as the user sees it
/// (a `Result` stays a `Result`) and the pullback.
pub trait Split {
    /// The result.
    type R;
    /// The pullback.
    type P;
    /// Splits.
    fn split(self) -> (Self::R, Self::P);
}
impl<V, P, E> Split for std::result::Result<(V, P), E> {
    type R = std::result::Result<V, E>;
    type P = MaybePullback<P>;
    #[inline(always)]
    fn split(self) -> (Self::R, Self::P) {
        match self {
            Ok((v, p)) => (Ok(v), MaybePullback(Some(p))),
            Err(e) => (Err(e), MaybePullback(None)),
        }
    }
}
impl<V, P> Split for (V, P) {
    type R = V;
    type P = P;
    #[inline(always)]
    fn split(self) -> (V, P) {
        self
    }
}

/// Splits a companion's answer.
#[inline(always)]
pub fn split<S: Split>(s: S) -> (S::R, S::P) {
    s.split()
}

/// A companion's answer when the user wrote `?` (or `.unwrap()`) after the call: a `Result` of the
/// payload and the pullback.
pub trait PostTry {
    /// The `Result`.
    type Out;
    /// Converts.
    fn post_try(self) -> Self::Out;
}
impl<V, P, E> PostTry for std::result::Result<(V, P), E> {
    type Out = std::result::Result<(V, P), E>;
    #[inline(always)]
    fn post_try(self) -> Self::Out {
        self
    }
}
impl<V, E> PostTry for (std::result::Result<V, E>, NoPullback) {
    type Out = std::result::Result<(V, NoPullback), E>;
    #[inline(always)]
    fn post_try(self) -> Self::Out {
        self.0.map(|v| (v, NoPullback))
    }
}
impl<V> PostTry for (Option<V>, NoPullback) {
    type Out = Option<(V, NoPullback)>;
    #[inline(always)]
    fn post_try(self) -> Self::Out {
        self.0.map(|v| (v, NoPullback))
    }
}

/// Applies the user's `?` to a companion's answer.
#[inline(always)]
pub fn post_try<T: PostTry>(t: T) -> T::Out {
    t.post_try()
}

/// The gradient of parameter `K` in a pullback's result, added into the argument's slot.
pub trait ArgGrad<const K: usize, S> {
    /// `slot += grads.K`.
    fn acc_into(&mut self, slot: &mut S);
}

impl<const K: usize, S> ArgGrad<K, S> for NoGrads {
    #[inline(always)]
    fn acc_into(&mut self, _: &mut S) {}
}

impl<const K: usize, S, Gs: ArgGrad<K, S>> ArgGrad<K, S> for Option<Gs> {
    #[inline(always)]
    fn acc_into(&mut self, slot: &mut S) {
        if let Some(g) = self {
            g.acc_into(slot)
        }
    }
}

macro_rules! arg_grads {
    ($($k:tt: $($g:ident),+;)+) => {$(
        arg_grads!(@one $k; $($g),+);
    )+};
    (@one $k:tt; $($g:ident),+) => {
        impl<$($g),+, __S: AccFrom<arg_grads!(@pick $k; $($g),+)>> ArgGrad<$k, __S> for ($($g,)+) {
            #[inline(always)]
            fn acc_into(&mut self, slot: &mut __S) {
                slot.acc_from(&self.$k)
            }
        }
    };
    (@pick 0; $a:ident $(, $rest:ident)*) => { $a };
    (@pick 1; $a:ident, $b:ident $(, $rest:ident)*) => { $b };
    (@pick 2; $a:ident, $b:ident, $c:ident $(, $rest:ident)*) => { $c };
    (@pick 3; $a:ident, $b:ident, $c:ident, $d:ident $(, $rest:ident)*) => { $d };
    (@pick 4; $a:ident, $b:ident, $c:ident, $d:ident, $e:ident $(, $rest:ident)*) => { $e };
    (@pick 5; $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident $(, $rest:ident)*) => { $f };
    (@pick 6; $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident $(, $rest:ident)*) => { $g };
    (@pick 7; $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident) => { $h };
}

arg_grads! {
    0: A;
    0: A, B; 1: A, B;
    0: A, B, C; 1: A, B, C; 2: A, B, C;
    0: A, B, C, D; 1: A, B, C, D; 2: A, B, C, D; 3: A, B, C, D;
    0: A, B, C, D, E; 1: A, B, C, D, E; 2: A, B, C, D, E; 3: A, B, C, D, E; 4: A, B, C, D, E;
    0: A, B, C, D, E, F; 1: A, B, C, D, E, F; 2: A, B, C, D, E, F; 3: A, B, C, D, E, F; 4: A, B, C, D, E, F;
    5: A, B, C, D, E, F;
    0: A, B, C, D, E, F, G; 1: A, B, C, D, E, F, G; 2: A, B, C, D, E, F, G; 3: A, B, C, D, E, F, G;
    4: A, B, C, D, E, F, G; 5: A, B, C, D, E, F, G; 6: A, B, C, D, E, F, G;
    0: A, B, C, D, E, F, G, H; 1: A, B, C, D, E, F, G, H; 2: A, B, C, D, E, F, G, H; 3: A, B, C, D, E, F, G, H;
    4: A, B, C, D, E, F, G, H; 5: A, B, C, D, E, F, G, H; 6: A, B, C, D, E, F, G, H; 7: A, B, C, D, E, F, G, H;
}

/// Adds the gradient of parameter `K` of a call into an argument's slot.
#[inline(always)]
pub fn acc_arg<const K: usize, S, Gs: ArgGrad<K, S>>(grads: &mut Gs, slot: &mut S) {
    grads.acc_into(slot)
}

/// Conversion of a caller's argument into the by-value parameter of a companion: companions own
/// their inputs, so their pullbacks borrow nothing from the caller.
pub trait ArgFor<T> {
    /// The converted argument.
    fn into_arg(self) -> T;
}
impl<T: Clone> ArgFor<T> for &T {
    #[inline]
    fn into_arg(self) -> T {
        self.clone()
    }
}
impl<T: Clone> ArgFor<T> for &&T {
    #[inline]
    fn into_arg(self) -> T {
        (*self).clone()
    }
}
impl<T: Clone> ArgFor<T> for &mut T {
    #[inline]
    fn into_arg(self) -> T {
        self.clone()
    }
}
impl<T: Clone> ArgFor<Vec<T>> for &[T] {
    #[inline]
    fn into_arg(self) -> Vec<T> {
        self.to_vec()
    }
}
impl ArgFor<String> for &str {
    #[inline]
    fn into_arg(self) -> String {
        self.to_string()
    }
}
impl<T> ArgFor<T> for T {
    #[inline(always)]
    fn into_arg(self) -> T {
        self
    }
}

/// A caller's argument for a companion's parameter (the type is the parameter's).
#[inline(always)]
pub fn arg<T, A: ArgFor<T>>(a: A) -> T {
    a.into_arg()
}

/// A receiver with smart pointers and references looked through, so that a companion method
/// defined on `dyn Layer` or on `L` is found for a `Box<dyn Layer>`, an `&L` or an `Rc<L>`.
pub struct Peel<'a, X: ?Sized>(pub &'a X);

/// Peels one pointer (chosen before [`PeelSelf`] by method resolution).
pub trait PeelPointer<'a> {
    /// What the pointer points to.
    type T: ?Sized;
    /// The pointee.
    fn peel(&self) -> &'a Self::T;
}
impl<'a, X: ?Sized> PeelPointer<'a> for Peel<'a, Box<X>> {
    type T = X;
    #[inline(always)]
    fn peel(&self) -> &'a X {
        self.0
    }
}
impl<'a, X: ?Sized> PeelPointer<'a> for Peel<'a, std::rc::Rc<X>> {
    type T = X;
    #[inline(always)]
    fn peel(&self) -> &'a X {
        self.0
    }
}
impl<'a, X: ?Sized> PeelPointer<'a> for Peel<'a, std::sync::Arc<X>> {
    type T = X;
    #[inline(always)]
    fn peel(&self) -> &'a X {
        self.0
    }
}
impl<'a, 'b: 'a, X: ?Sized> PeelPointer<'a> for Peel<'a, &'b X> {
    type T = X;
    #[inline(always)]
    fn peel(&self) -> &'a X {
        self.0
    }
}
impl<'a, 'b: 'a, X: ?Sized> PeelPointer<'a> for Peel<'a, &'b mut X> {
    type T = X;
    #[inline(always)]
    fn peel(&self) -> &'a X {
        self.0
    }
}

/// Keeps a receiver that is not a pointer.
pub trait PeelSelf<'a> {
    /// The receiver.
    type T: ?Sized;
    /// The receiver.
    fn peel(&self) -> &'a Self::T;
}
impl<'a, X: ?Sized> PeelSelf<'a> for &Peel<'a, X> {
    type T = X;
    #[inline(always)]
    fn peel(&self) -> &'a X {
        self.0
    }
}

/// No gradient flows into plain data: the slot of a plain argument.
#[inline(always)]
pub fn nothing() -> NoGrad {
    NoGrad
}

/// The parts of a function's `Result` type: generated code names the error type of the declared
/// return type (`<Result<X> as ResultParts>::Err`) without knowing how the user spelled it.
pub trait ResultParts {
    /// The error type.
    type Err;
}
impl<T, E> ResultParts for std::result::Result<T, E> {
    type Err = E;
}

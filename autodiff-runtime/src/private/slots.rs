//! Adjoint slots of values that a branch or a loop body defines and of cells ([`Slot`]), and the
//! adjoints of the structural operations generated code performs (copies, projections, wrappers,
//! container updates).

use crate::error::{Error, Result};
use crate::private::grad::{Diff, Grad};
use crate::private::prim::{Forget, Saved, Val};

/// An adjoint slot made at its first contribution (from a value of the slot's type) and taken
/// when its value's definition is reversed.
#[derive(Debug)]
pub struct Slot<G>(Option<G>);

impl<G: Grad> Slot<G> {
    /// An empty slot.
    #[inline(always)]
    pub fn new() -> Self {
        Slot(None)
    }

    /// A slot holding the seed of a sweep.
    #[inline(always)]
    pub fn seeded(g: G) -> Self {
        Slot(Some(g))
    }

    /// The slot, made lazily zero from `like` when no contribution has arrived yet.
    #[inline(always)]
    pub fn at<V: Diff<Grad = G> + ?Sized>(&mut self, like: &V) -> &mut G {
        self.0.get_or_insert_with(|| like.lazy())
    }

    /// The gradient, leaving the slot empty.
    #[inline(always)]
    pub fn take(&mut self) -> Option<G> {
        self.0.take()
    }

    /// The gradient, if any contribution arrived.
    #[inline(always)]
    pub fn get_mut(&mut self) -> Option<&mut G> {
        self.0.as_mut()
    }
}

impl<G: Grad> Default for Slot<G> {
    fn default() -> Self {
        Slot::new()
    }
}

/// A copy of a value with its references looked through (a clone: cheap for dlarrays).
#[inline(always)]
pub fn copy<X: Val + ?Sized>(x: &X) -> X::T
where
    X::T: Clone,
{
    x.val().clone()
}

/// An owned element of a container (`Vec`'s `&L` cloned, a dlarray as it is).
#[diagnostic::on_unimplemented(
    message = "the gradient needs its own copy of `{Self}`, which cannot be cloned",
    note = "a borrowed value that `#[differentiable]` code differentiates through is cloned into its pullback: give the type `Clone`, or pass it by value"
)]
pub trait Own {
    /// The owned value.
    type O;
    /// Makes it.
    fn own(self) -> Self::O;
}
impl<V: Clone> Own for &V {
    type O = V;
    #[inline(always)]
    fn own(self) -> V {
        self.clone()
    }
}
impl<T: crate::Real> Own for crate::DlArray<T> {
    type O = crate::DlArray<T>;
    #[inline(always)]
    fn own(self) -> Self {
        self
    }
}
impl Own for &str {
    type O = String;
    #[inline(always)]
    fn own(self) -> String {
        self.to_owned()
    }
}
impl<V: Clone> Own for &[V] {
    type O = Vec<V>;
    #[inline(always)]
    fn own(self) -> Vec<V> {
        self.to_vec()
    }
}

macro_rules! own_number {
    ($t:ty) => {
        impl Own for $t {
            type O = $t;
            #[inline(always)]
            fn own(self) -> $t {
                self
            }
        }
    };
}
crate::private::prim::for_numbers!(own_number);
own_number!(bool);

/// An owned element of a container.
#[inline(always)]
pub fn own<O: Own>(o: O) -> O::O {
    o.own()
}

/// `slot += g` for a copy (`y = x.clone()`, `let y = x;`, `dbg!(x)`).
#[inline(always)]
pub fn acc_like<G: Grad>(slot: &mut G, g: &G) {
    slot.acc(g)
}

/// `slot += g[i]` for element `i` of an array or a `Vec` literal.
#[inline(always)]
pub fn acc_elem<G: Grad, C: Elements<G> + ?Sized>(slot: &mut G, g: &C, i: usize) {
    if let Some(e) = g.element(i) {
        slot.acc(e)
    }
}

/// Gradients of arrays and `Vec`s, by element.
pub trait Elements<G> {
    /// Element `i`.
    fn element(&self, i: usize) -> Option<&G>;
}
impl<G> Elements<G> for Vec<G> {
    #[inline(always)]
    fn element(&self, i: usize) -> Option<&G> {
        self.get(i)
    }
}
impl<G, const N: usize> Elements<G> for [G; N] {
    #[inline(always)]
    fn element(&self, i: usize) -> Option<&G> {
        self.get(i)
    }
}

/// The payload of an `Option` or a `Result` (`x?`, `x.unwrap()`, a `Some(x)` pattern), by
/// reference.
pub trait Unwrap {
    /// The payload.
    type Inner: ?Sized;
    /// The error when there is none.
    type Err;
    /// The payload or the error.
    fn unwrap_ref(&self) -> std::result::Result<&Self::Inner, Self::Err>;
}
impl<V> Unwrap for Option<V> {
    type Inner = V;
    type Err = NoneError;
    #[inline(always)]
    fn unwrap_ref(&self) -> std::result::Result<&V, NoneError> {
        self.as_ref().ok_or(NoneError)
    }
}
impl<V, E: Clone> Unwrap for std::result::Result<V, E> {
    type Inner = V;
    type Err = E;
    #[inline(always)]
    fn unwrap_ref(&self) -> std::result::Result<&V, E> {
        self.as_ref().map_err(Clone::clone)
    }
}
impl<X: Unwrap + ?Sized> Unwrap for &X {
    type Inner = X::Inner;
    type Err = X::Err;
    #[inline(always)]
    fn unwrap_ref(&self) -> std::result::Result<&X::Inner, X::Err> {
        (**self).unwrap_ref()
    }
}

/// An `Option` that was `None` where a value was required.
#[derive(Debug, Clone, Copy)]
pub struct NoneError;
impl std::fmt::Display for NoneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("called `unwrap` on a `None` value")
    }
}

/// The payload of an `Option` or `Result` value, by reference.
#[inline(always)]
pub fn unwrap_ref<X: Unwrap + ?Sized>(x: &X) -> std::result::Result<&X::Inner, X::Err> {
    x.unwrap_ref()
}

/// Adjoint of taking the payload out of an `Option`/`Result`: `slot.payload += g`.
#[inline(always)]
pub fn unwrap_adj<G: Grad>(slot: &mut Option<G>, g: &G) {
    if let Some(s) = slot { s.acc(g) } else { *slot = Some(g.copy()) }
}

/// Adjoint of wrapping (`Some(x)`, `Ok(x)`): `x̄ += ḡ.payload`.
#[inline(always)]
pub fn unwrap_adj_rev<G: Grad>(slot: &mut G, g: &Option<G>) {
    if let Some(g) = g {
        slot.acc(g)
    }
}

impl<V: Diff, E> Diff for std::result::Result<V, E> {
    type Grad = Option<V::Grad>;
    #[inline]
    fn lazy(&self) -> Option<V::Grad> {
        self.as_ref().ok().map(Diff::lazy)
    }
    fn finish(&self, g: Option<V::Grad>, traced: bool) -> Option<V::Grad> {
        match (self, g) {
            (Ok(v), Some(g)) => Some(v.finish(g, traced)),
            (Ok(v), None) => Some(v.finish(v.lazy(), traced)),
            (Err(_), _) => None,
        }
    }
}

/// Adjoint of `v.push(x)` on a cell: the last element's gradient moves into `x`'s.
#[inline]
pub fn push_adj<G: Grad>(slot: &mut Slot<Vec<G>>, x_slot: &mut G) {
    if let Some(v) = slot.get_mut()
        && let Some(g) = v.pop()
    {
        x_slot.acc_owned(g)
    }
}

/// Adjoint of `v.push(x)` on a cell when no gradient reaches `x`: the last element's gradient is
/// dropped.
#[inline]
pub fn pop_adj<G: Grad>(slot: &mut Slot<Vec<G>>) {
    if let Some(v) = slot.get_mut() {
        v.pop();
    }
}

/// Adjoint of `x[i] = v` on a cell when no gradient reaches `v`: the assigned elements' gradient
/// is cleared.
#[inline]
pub fn set_index_forget<S: Forget<I>, I>(slot: &mut Slot<S::G>, saved: S, i: &I)
where
    S::G: Grad,
{
    if let Some(s) = slot.get_mut() {
        saved.forget(s, i)
    }
}

/// Adjoint of `x[i] = v` on a cell: moves the assigned elements' gradient into `v`'s.
#[inline]
pub fn set_index_adj<S: Saved<I, VG>, I, VG>(slot: &mut Slot<S::G>, v_slot: &mut VG, saved: S, i: &I)
where
    S::G: Grad,
{
    if let Some(s) = slot.get_mut() {
        saved.reverse(s, v_slot, i)
    }
}

/// A reference's referent, cloned (for records of values that are references).
#[inline(always)]
pub fn deref_clone<T: Clone>(r: &&T) -> T {
    (*r).clone()
}

/// Adjoint of `v.clear()` on a cell: the gradient gets back the old length (zeros: the old
/// elements were dropped).
#[inline]
pub fn clear_adj<V: Diff>(slot: &mut Slot<Vec<V::Grad>>, saved: &Vec<V>) {
    if let Some(s) = slot.get_mut() {
        *s = saved.lazy();
    }
}

/// Adjoint of `s.f = v` on a cell: the field's gradient, leaving zeros (the old field was dropped).
#[inline]
pub fn take_field<G: Grad>(f: &mut G) -> G {
    let lazy = f.lazy_like();
    std::mem::replace(f, lazy)
}

/// A value the pullback keeps (a plain borrowed parameter, a reference to a local), made only when
/// the pullback will run.
pub fn keep<O: Own>(record: bool, o: O) -> Option<O::O> {
    record.then(|| o.own())
}

/// The kept value, in the pullback (it runs only when it was kept).
pub fn kept<T>(k: &Option<T>) -> Result<&T> {
    k.as_ref().ok_or_else(|| {
        Error::invalid(
            "dlgradient",
            "a pullback ran that its call did not record (an internal error of #[differentiable])",
        )
    })
}

/// The error of a pullback reached through a gradient that was not traced.
pub fn through_gradient(what: &str) -> Error {
    Error::invalid(
        "dlgradient",
        format!("differentiating through {what} needs `EnableHigherDerivatives(true)` on its `dlgradient` calls"),
    )
}

/// Zero values that sums of iterators start from (`Iterator::sum` inside `#[differentiable]`).
pub trait SumZero {
    /// `0`.
    fn zero() -> Self;
    /// `1`.
    fn one() -> Self;
}
impl<T: crate::Real> SumZero for crate::DlArray<T> {
    #[inline]
    fn zero() -> Self {
        crate::DlArray::scalar(T::ZERO)
    }
    #[inline]
    fn one() -> Self {
        crate::DlArray::scalar(T::ONE)
    }
}
macro_rules! sum_zero {
    ($($t:ty),*) => {$(
        impl SumZero for $t {
            #[inline(always)]
            fn zero() -> Self {
                0 as $t
            }
            #[inline(always)]
            fn one() -> Self {
                1 as $t
            }
        }
    )*};
}
sum_zero!(f32, f64, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// For `Result` helpers.
pub type R<T> = Result<T>;

/// `Diff::lazy` of a `#[derive(Learnables)]` struct: the same struct with lazily-zero dlarrays.
pub fn learnables_lazy<T: crate::Real, L: crate::Learnables<T>>(l: &L) -> L {
    l.map(&mut |_| crate::DlArray::lazy_zero())
}

/// `Diff::finish` of a `#[derive(Learnables)]` struct.
pub fn learnables_finish<T: crate::Real, L: crate::Learnables<T>>(like: &L, g: L, traced: bool) -> L {
    g.zip_map(like, &mut |g, p| p.finish(g.clone(), traced))
}

/// `Grad::acc` of a `#[derive(Learnables)]` struct.
pub fn learnables_acc<T: crate::Real, L: crate::Learnables<T>>(slot: &mut L, c: &L) {
    slot.zip_visit_mut(c, &mut |s, c| s.acc(c));
}

/// `Grad::reached` of a `#[derive(Learnables)]` struct.
pub fn learnables_reached<T: crate::Real, L: crate::Learnables<T>>(slot: &L) -> bool {
    let mut any = false;
    slot.visit(&mut String::new(), &mut |_, p| any |= p.reached());
    any
}

/// `Grad::copy` of a `#[derive(Learnables)]` struct.
pub fn learnables_copy<T: crate::Real, L: crate::Learnables<T>>(l: &L) -> L {
    l.map(&mut |p| p.clone())
}

/// `Trace::traced` of a `#[derive(Learnables)]` struct.
pub fn learnables_traced<T: crate::Real, L: crate::Learnables<T>>(l: &L, id: Option<crate::trace::TraceId>) -> L {
    l.map(&mut |p| crate::private::entry::Trace::traced(p, id))
}

/// `Trace::untraced` of a `#[derive(Learnables)]` struct.
pub fn learnables_untraced<T: crate::Real, L: crate::Learnables<T>>(l: &L) -> Option<String> {
    let mut bad = None;
    l.visit(&mut String::new(), &mut |path, p| {
        if bad.is_none() && !p.is_traced() {
            bad = Some(path.to_string());
        }
    });
    bad
}

/// The element type of a container of dlarrays (for the impls `#[derive(Learnables)]` writes).
pub trait Elem {
    /// `f64` or `f32`.
    type T: crate::Real;
}
impl<T: crate::Real> Elem for crate::DlArray<T> {
    type T = T;
}
impl<L: Elem> Elem for Vec<L> {
    type T = L::T;
}
impl<L: Elem, const N: usize> Elem for [L; N] {
    type T = L::T;
}
impl<L: Elem> Elem for Option<L> {
    type T = L::T;
}
impl<L: Elem + ?Sized> Elem for Box<L> {
    type T = L::T;
}

/// The number of elements of a container a `for` loop runs over.
pub trait Len {
    /// The length.
    fn len_of(&self) -> usize;
}
impl<V> Len for Vec<V> {
    #[inline(always)]
    fn len_of(&self) -> usize {
        self.len()
    }
}
impl<V> Len for [V] {
    #[inline(always)]
    fn len_of(&self) -> usize {
        self.len()
    }
}
impl<V, const N: usize> Len for [V; N] {
    #[inline(always)]
    fn len_of(&self) -> usize {
        N
    }
}

/// The length of a container.
#[inline(always)]
pub fn len<C: Len + ?Sized>(c: &C) -> usize {
    c.len_of()
}

/// Values a replayed loop's accumulator can hold: the reverse sweep stands in for its partial sums
/// with values of the right size (the adjoints of `+` and `-` read sizes only).
pub trait Accumulator<B: ?Sized>: Sized {
    /// A value of the size of `self ± other`.
    fn widen(&self, other: &B) -> Self;
    /// Whether `self` and `after` differ in size (implicit expansion grew the accumulator).
    fn grew(&self, after: &Self) -> bool;
}

impl<T: crate::Real, B: crate::ops::Operand<T> + ?Sized> Accumulator<B> for crate::DlArray<T> {
    fn widen(&self, other: &B) -> Self {
        let o = other.operand();
        let (a, b) = (self.size(), o.size());
        if a == b {
            return self.clone();
        }
        match crate::ops::elementwise::broadcast_size("plus", a, b) {
            Ok(size) if size == a => self.clone(),
            Ok(size) => crate::zeros(&size),
            // the forward sweep computed this sum, so the sizes agree
            Err(_) => self.clone(),
        }
    }
    fn grew(&self, after: &Self) -> bool {
        self.size() != after.size()
    }
}

macro_rules! plain_accumulator {
    ($($t:ty),*) => {$(
        impl Accumulator<$t> for $t {
            #[inline(always)]
            fn widen(&self, _: &$t) -> Self {
                *self
            }
            #[inline(always)]
            fn grew(&self, _: &Self) -> bool {
                false
            }
        }
    )*};
}
plain_accumulator!(f32, f64, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// A stand-in for a partial sum `acc ± other`.
#[inline]
pub fn widen<A: Accumulator<B>, B: ?Sized>(acc: &A, other: &B) -> A {
    acc.widen(other)
}

/// Records, in a replayed loop, the value an accumulator had before iteration `step` when that
/// iteration changed its size; nothing otherwise.
#[inline]
pub fn log_size<A: Accumulator<A> + Clone>(log: &mut Vec<(usize, A)>, step: usize, before: &A, after: &A) {
    if before.grew(after) {
        log.push((step, before.clone()));
    }
}

/// The accumulator's value (its size, for the adjoints) before iteration `step`: the value before
/// the first later change of size, or the final value.
#[inline]
pub fn acc_at<A: Clone>(log: &[(usize, A)], step: usize, last: &A) -> A {
    match log.iter().find(|(s, _)| *s >= step) {
        Some((_, v)) => v.clone(),
        None => last.clone(),
    }
}

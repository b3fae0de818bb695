//! Gradient types: what the adjoint of each type of value is ([`Diff`]), and what generated code
//! does with adjoints ([`Grad`]).
//!
//! | value | gradient |
//! |---|---|
//! | `DlArray<T>` | `DlArray<T>` (lazily zero until a contribution arrives) |
//! | `Vec<V>`, `[V; N]`, `Option<V>`, `Box<V>`, tuples | the same container of `V::Grad` |
//! | a `#[derive(Learnables)]` struct | the struct itself (MATLAB: gradients have the parameters' structure) |
//! | `&V`, `&mut V` | `V::Grad` |
//! | plain data: numbers, `bool`, strings, `ndarray` arrays, formats, dimensions | [`NoGrad`], zero-sized |
//!
//! Adjoint code for plain data therefore compiles to nothing: every adjoint kernel given a [`NoGrad`]
//! slot is an empty function.

use crate::dlarray::Tag;
use crate::{DlArray, Real};

/// The gradient of plain data: nothing. Zero-sized; every operation on it does nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoGrad;

/// A gradient value: an adjoint slot of generated code.
pub trait Grad: Sized {
    /// Adds a contribution (the first one into a lazily-zero slot is a cheap clone, later ones add
    /// in place).
    fn acc(&mut self, c: &Self);
    /// Adds an owned contribution (the first one moves in).
    #[inline]
    fn acc_owned(&mut self, c: Self) {
        self.acc(&c)
    }
    /// True when some contribution reached the slot.
    fn reached(&self) -> bool;
    /// A copy (cheap: dlarrays share storage).
    fn copy(&self) -> Self;
    /// A lazily-zero gradient of the same structure.
    fn lazy_like(&self) -> Self;
}

/// A value's gradient type, and the gradient operations that need the value.
#[diagnostic::on_unimplemented(
    message = "`#[differentiable]` does not know what the gradient of `{Self}` is",
    label = "this value may hold traced dlarrays",
    note = "derive `Learnables` for a struct of dlarrays; implement `autodiff::Plain` (`autodiff::plain_data!`) for a type that holds none"
)]
pub trait Diff {
    /// What the adjoint of a value of this type is.
    type Grad: Grad;
    /// A zero gradient with the value's structure; allocates no array.
    fn lazy(&self) -> Self::Grad;
    /// The gradient handed to the user: unreached parts become zeros of the value's size, every
    /// dlarray takes its value's format, and is untraced unless `traced`.
    fn finish(&self, g: Self::Grad, traced: bool) -> Self::Grad;
}

/// What a generic type parameter bound by `Learnables` must be for `#[differentiable]` code to trace
/// and differentiate it (the macro adds the bound): every `#[derive(Learnables)]` struct, dlarray
/// and container of them is.
pub trait Traced:
    Diff<Grad = Self>
    + crate::private::entry::Trace<Owned = Self>
    + Grad
    + Clone
    + crate::private::prim::Val<T = Self>
    + 'static
{
}
impl<
    L: Diff<Grad = L>
        + crate::private::entry::Trace<Owned = L>
        + Grad
        + Clone
        + crate::private::prim::Val<T = L>
        + 'static,
> Traced for L
{
}

/// Plain data: values that never hold traced dlarrays. Their gradient is [`NoGrad`].
///
/// Values computed from traced inputs by code that `#[differentiable]` cannot differentiate (a method
/// that is not differentiable, a macro, a closure given to another function) must be plain: the
/// generated code asks the compiler to check it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` may hold traced dlarrays, and `#[differentiable]` cannot differentiate the code that made it",
    label = "computed from traced values by code that is not differentiable",
    note = "make the function or method `#[differentiable]`, or compute this from `extractdata(..)` (a constant); a type of your own that holds no dlarrays can implement `autodiff::Plain` (`autodiff::plain_data!(Type)`)"
)]
pub trait Plain {}

impl Grad for NoGrad {
    #[inline(always)]
    fn acc(&mut self, _: &Self) {}
    #[inline(always)]
    fn reached(&self) -> bool {
        false
    }
    #[inline(always)]
    fn copy(&self) -> Self {
        NoGrad
    }
    #[inline(always)]
    fn lazy_like(&self) -> Self {
        NoGrad
    }
}

impl<T: Real> Grad for DlArray<T> {
    #[inline]
    fn acc(&mut self, c: &Self) {
        crate::ops::elementwise::acc(self, c)
    }
    #[inline]
    fn acc_owned(&mut self, c: Self) {
        if c.is_lazy() {
            // a zero: nothing to add (and a lazy slot stays lazy)
        } else if self.is_lazy() {
            *self = c;
            self.tag = Tag::UNTRACED;
        } else {
            crate::ops::elementwise::acc(self, &c)
        }
    }
    #[inline]
    fn reached(&self) -> bool {
        !self.is_lazy()
    }
    #[inline]
    fn copy(&self) -> Self {
        self.clone()
    }
    #[inline]
    fn lazy_like(&self) -> Self {
        DlArray::lazy_zero()
    }
}

impl<T: Real> Diff for DlArray<T> {
    type Grad = DlArray<T>;
    #[inline]
    fn lazy(&self) -> DlArray<T> {
        DlArray::lazy_zero()
    }
    fn finish(&self, mut g: DlArray<T>, traced: bool) -> DlArray<T> {
        if g.is_lazy() {
            g = crate::zeros_like(self);
        } else if g.fmt != self.fmt {
            let tag = g.tag;
            g = DlArray::from_array(g.view().to_owned(), self.fmt, tag);
        }
        if !traced {
            g.tag = Tag::UNTRACED;
        }
        g.tag.lazy = false;
        g
    }
}

/// Plain types: gradient [`NoGrad`].
macro_rules! plain {
    ($($t:ty),* $(,)?) => {$(
        impl Diff for $t {
            type Grad = NoGrad;
            #[inline(always)]
            fn lazy(&self) -> NoGrad {
                NoGrad
            }
            #[inline(always)]
            fn finish(&self, g: NoGrad, _: bool) -> NoGrad {
                g
            }
        }
        impl Plain for $t {}
    )*};
}
plain!(
    f32,
    f64,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    bool,
    char,
    (),
    str,
    String,
    NoGrad,
    crate::Format,
    crate::Label,
    crate::Dims,
    crate::All,
    crate::Error,
    std::ops::Range<usize>,
    std::ops::RangeInclusive<usize>,
    std::ops::RangeFrom<usize>,
    std::ops::RangeTo<usize>,
    std::ops::RangeFull,
    std::time::Duration,
    std::time::Instant,
);

impl<S: ndarray::RawData, D> Diff for ndarray::ArrayBase<S, D> {
    type Grad = NoGrad;
    #[inline(always)]
    fn lazy(&self) -> NoGrad {
        NoGrad
    }
    #[inline(always)]
    fn finish(&self, g: NoGrad, _: bool) -> NoGrad {
        g
    }
}
impl<S: ndarray::RawData, D> Plain for ndarray::ArrayBase<S, D> {}
impl<P: Plain + ?Sized> Plain for &P {}
impl<P: Plain + ?Sized> Plain for &mut P {}
impl<P: Plain> Plain for Vec<P> {}
impl<P: Plain> Plain for [P] {}
impl<P: Plain, const N: usize> Plain for [P; N] {}
impl<P: Plain> Plain for Option<P> {}
impl<P: Plain + ?Sized> Plain for Box<P> {}
impl<P: Plain, E> Plain for Result<P, E> {}
impl<P: Plain> Plain for std::thread::JoinHandle<P> {}
impl<P: Plain> Plain for std::collections::VecDeque<P> {}
impl<K, V: Plain, S> Plain for std::collections::HashMap<K, V, S> {}
impl<K, V: Plain> Plain for std::collections::BTreeMap<K, V> {}

impl<V: Diff + ?Sized> Diff for &V {
    type Grad = V::Grad;
    #[inline(always)]
    fn lazy(&self) -> V::Grad {
        (**self).lazy()
    }
    #[inline]
    fn finish(&self, g: V::Grad, traced: bool) -> V::Grad {
        (**self).finish(g, traced)
    }
}

impl<V: Diff + ?Sized> Diff for &mut V {
    type Grad = V::Grad;
    #[inline(always)]
    fn lazy(&self) -> V::Grad {
        (**self).lazy()
    }
    #[inline]
    fn finish(&self, g: V::Grad, traced: bool) -> V::Grad {
        (**self).finish(g, traced)
    }
}

impl<V: Diff + ?Sized> Diff for Box<V> {
    type Grad = Box<V::Grad>;
    #[inline]
    fn lazy(&self) -> Box<V::Grad> {
        Box::new((**self).lazy())
    }
    fn finish(&self, g: Box<V::Grad>, traced: bool) -> Box<V::Grad> {
        Box::new((**self).finish(*g, traced))
    }
}

impl<G: Grad> Grad for Box<G> {
    #[inline]
    fn acc(&mut self, c: &Self) {
        (**self).acc(c)
    }
    #[inline]
    fn reached(&self) -> bool {
        (**self).reached()
    }
    fn copy(&self) -> Self {
        Box::new((**self).copy())
    }
    fn lazy_like(&self) -> Self {
        Box::new((**self).lazy_like())
    }
}

impl<V: Diff> Diff for [V] {
    type Grad = Vec<V::Grad>;
    fn lazy(&self) -> Vec<V::Grad> {
        self.iter().map(Diff::lazy).collect()
    }
    fn finish(&self, g: Vec<V::Grad>, traced: bool) -> Vec<V::Grad> {
        self.iter().zip(g).map(|(v, g)| v.finish(g, traced)).collect()
    }
}

impl<V: Diff> Diff for Vec<V> {
    type Grad = Vec<V::Grad>;
    #[inline]
    fn lazy(&self) -> Vec<V::Grad> {
        self.as_slice().lazy()
    }
    fn finish(&self, g: Vec<V::Grad>, traced: bool) -> Vec<V::Grad> {
        self.as_slice().finish(g, traced)
    }
}

impl<G: Grad> Grad for Vec<G> {
    /// Element by element. A contribution longer than the slot (the container grew after the slot
    /// was made) extends it.
    fn acc(&mut self, c: &Self) {
        for (s, c) in self.iter_mut().zip(c) {
            s.acc(c);
        }
        if c.len() > self.len() {
            let n = self.len();
            self.extend(c[n..].iter().map(Grad::copy));
        }
    }
    fn acc_owned(&mut self, c: Self) {
        let mut c = c.into_iter();
        for s in self.iter_mut() {
            match c.next() {
                Some(c) => s.acc_owned(c),
                None => return,
            }
        }
        self.extend(c);
    }
    fn reached(&self) -> bool {
        self.iter().any(Grad::reached)
    }
    fn copy(&self) -> Self {
        self.iter().map(Grad::copy).collect()
    }
    fn lazy_like(&self) -> Self {
        self.iter().map(Grad::lazy_like).collect()
    }
}

impl<V: Diff, const N: usize> Diff for [V; N] {
    type Grad = [V::Grad; N];
    fn lazy(&self) -> [V::Grad; N] {
        std::array::from_fn(|i| self[i].lazy())
    }
    fn finish(&self, g: [V::Grad; N], traced: bool) -> [V::Grad; N] {
        let mut g = g.into_iter();
        std::array::from_fn(|i| match g.next() {
            Some(g) => self[i].finish(g, traced),
            None => self[i].finish(self[i].lazy(), traced),
        })
    }
}

impl<G: Grad, const N: usize> Grad for [G; N] {
    fn acc(&mut self, c: &Self) {
        for (s, c) in self.iter_mut().zip(c) {
            s.acc(c);
        }
    }
    fn reached(&self) -> bool {
        self.iter().any(Grad::reached)
    }
    fn copy(&self) -> Self {
        std::array::from_fn(|i| self[i].copy())
    }
    fn lazy_like(&self) -> Self {
        std::array::from_fn(|i| self[i].lazy_like())
    }
}

impl<V: Diff> Diff for Option<V> {
    type Grad = Option<V::Grad>;
    #[inline]
    fn lazy(&self) -> Option<V::Grad> {
        self.as_ref().map(Diff::lazy)
    }
    fn finish(&self, g: Option<V::Grad>, traced: bool) -> Option<V::Grad> {
        match (self, g) {
            (Some(v), Some(g)) => Some(v.finish(g, traced)),
            (Some(v), None) => Some(v.finish(v.lazy(), traced)),
            (None, _) => None,
        }
    }
}

impl<G: Grad> Grad for Option<G> {
    fn acc(&mut self, c: &Self) {
        match (self, c) {
            (Some(s), Some(c)) => s.acc(c),
            (s @ None, Some(c)) => *s = Some(c.copy()),
            _ => {}
        }
    }
    fn reached(&self) -> bool {
        self.as_ref().is_some_and(Grad::reached)
    }
    fn copy(&self) -> Self {
        self.as_ref().map(Grad::copy)
    }
    fn lazy_like(&self) -> Self {
        self.as_ref().map(Grad::lazy_like)
    }
}

macro_rules! tuple_grad {
    ($($v:ident $g:ident $i:tt),+) => {
        impl<$($v: Diff),+> Diff for ($($v,)+) {
            type Grad = ($($v::Grad,)+);
            #[inline]
            fn lazy(&self) -> Self::Grad {
                ($(self.$i.lazy(),)+)
            }
            fn finish(&self, g: Self::Grad, traced: bool) -> Self::Grad {
                ($(self.$i.finish(g.$i, traced),)+)
            }
        }
        impl<$($g: Grad),+> Grad for ($($g,)+) {
            #[inline]
            fn acc(&mut self, c: &Self) {
                $(self.$i.acc(&c.$i);)+
            }
            #[inline]
            fn acc_owned(&mut self, c: Self) {
                $(self.$i.acc_owned(c.$i);)+
            }
            fn reached(&self) -> bool {
                false $(|| self.$i.reached())+
            }
            fn copy(&self) -> Self {
                ($(self.$i.copy(),)+)
            }
            fn lazy_like(&self) -> Self {
                ($(self.$i.lazy_like(),)+)
            }
        }
        impl<$($v: Plain),+> Plain for ($($v,)+) {}
    };
}
tuple_grad!(A GA 0);
tuple_grad!(A GA 0, B GB 1);
tuple_grad!(A GA 0, B GB 1, C GC 2);
tuple_grad!(A GA 0, B GB 1, C GC 2, D GD 3);
tuple_grad!(A GA 0, B GB 1, C GC 2, D GD 3, E GE 4);
tuple_grad!(A GA 0, B GB 1, C GC 2, D GD 3, E GE 4, F GF 5);
tuple_grad!(A GA 0, B GB 1, C GC 2, D GD 3, E GE 4, F GF 5, G GG 6);
tuple_grad!(A GA 0, B GB 1, C GC 2, D GD 3, E GE 4, F GF 5, G GG 6, H GH 7);

/// A lazily-zero adjoint slot for `v`.
#[inline(always)]
pub fn slot<V: Diff + ?Sized>(v: &V) -> V::Grad {
    v.lazy()
}

/// The seed `ȳ = 1` of a reverse sweep.
#[inline]
pub fn seed<T: Real>(_y: &DlArray<T>) -> DlArray<T> {
    DlArray::scalar(T::ONE)
}

/// `slot += c`.
#[inline(always)]
pub fn acc<G: Grad>(slot: &mut G, c: &G) {
    slot.acc(c)
}

/// `slot += c`, moving `c` into a slot no contribution has reached yet.
#[inline(always)]
pub fn acc_owned<G: Grad>(slot: &mut G, c: G) {
    slot.acc_owned(c)
}

/// True when a contribution reached the slot.
#[inline(always)]
pub fn reached<G: Grad>(slot: &G) -> bool {
    slot.reached()
}

/// The gradient returned by `dlgradient`: unreached parts are zeros, formats follow the values, and
/// the result is untraced (`EnableHigherDerivatives(false)`) or traced.
#[inline]
pub fn finish<V: Diff + ?Sized>(like: &V, g: V::Grad, traced: bool) -> V::Grad {
    like.finish(g, traced)
}

/// Checks at compile time that a value is plain data (see [`Plain`]) and passes it on.
#[inline(always)]
pub fn plain<P: Plain>(p: P) -> P {
    p
}

/// Checks at compile time that the value behind a reference is plain data.
#[inline(always)]
pub fn plain_ref<P: Plain + ?Sized>(p: &P) -> &P {
    p
}

/// A slot that takes a dlarray contribution: a dlarray's, or [`NoGrad`] (which drops it).
pub trait AccArray<T: Real> {
    /// Adds `c`.
    fn acc_array(&mut self, c: DlArray<T>);
}
impl<T: Real> AccArray<T> for DlArray<T> {
    #[inline]
    fn acc_array(&mut self, c: DlArray<T>) {
        self.acc_owned(c)
    }
}
impl<T: Real> AccArray<T> for NoGrad {
    #[inline(always)]
    fn acc_array(&mut self, _: DlArray<T>) {}
}

/// A value bound by a `match` pattern on a value that may hold traced dlarrays (an enum variant's
/// field): it must be plain, since the macro cannot route a gradient out of it.
#[diagnostic::on_unimplemented(
    message = "this pattern binds `{Self}` out of a value that may hold traced dlarrays",
    label = "bound by a pattern #[differentiable] cannot take apart",
    note = "bind the whole value (`v => ..`), or take `Some(x)`/`Ok(x)` apart; for an enum of your own, compute the traced part outside the match"
)]
pub trait PlainBinding {}
impl<P: Plain + ?Sized> PlainBinding for P {}

/// Checks at compile time that a value bound by a pattern is plain.
#[inline(always)]
pub fn plain_binding<P: PlainBinding>(p: P) -> P {
    p
}

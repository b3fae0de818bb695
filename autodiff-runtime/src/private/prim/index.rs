//! Indexing and updates, chosen by the container type:
//!
//! | operation | `DlArray` | `Vec`, slices, arrays |
//! |---|---|---|
//! | `x[i]` | MATLAB indexing (a new dlarray), adjoint adds into the indexed elements | the element (a reference), adjoint adds into that element's gradient |
//! | `x[i] = v` | MATLAB indexed assignment (copy on write) | the element replaced |
//! | `v.push(x)`, `v.pop()`, `v.clear()` | — | as `Vec`'s, adjoints undo them on the gradient |
//!
//! Updates return what their reverse needs to undo them (the replaced elements), so the reverse
//! sweep can restore the container's earlier values.

use std::ops::{Range, RangeFrom, RangeFull, RangeTo};

use crate::error::{At, Error, Result};
use crate::ops::IndexSpec;
#[allow(unused_imports)]
use crate::private::grad::Plain;
use crate::private::grad::{AccArray, Diff, Grad, NoGrad};
use crate::private::ops;
use crate::{DlArray, Real};

/// `x[i]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be indexed with `{I}` inside `#[differentiable]`",
    note = "dlarrays take MATLAB indices (a position, a range, `..`, a tuple per dimension); `Vec`s, slices and arrays take a position or a range"
)]
pub trait Index<I>: Diff {
    /// The element (a reference into the container, or a new dlarray).
    type Out<'a>: Diff<Grad = Self::OutGrad>
    where
        Self: 'a;
    /// The gradient of the element.
    type OutGrad;
    /// The element.
    #[track_caller]
    fn fwd(&self, i: I) -> Result<Self::Out<'_>>;
    /// Adds the element's gradient into the container's.
    fn adj(slot: &mut Self::Grad, g: &Self::OutGrad, x: &Self, i: I);
}

/// Adjoint of `x[i]`, in the adjoint kernels' layout `(slot, g, out, x, i)`.
#[inline(always)]
pub fn index_adj<X: Index<I> + ?Sized, I, O: ?Sized>(slot: &mut X::Grad, g: &X::OutGrad, _out: &O, x: &X, i: I) {
    X::adj(slot, g, x, i)
}

#[doc(hidden)]
pub trait IndexDoc {}

impl<T: Real, I: IndexSpec> Index<I> for DlArray<T> {
    type Out<'a> = DlArray<T>;
    type OutGrad = DlArray<T>;
    #[track_caller]
    #[inline]
    fn fwd(&self, i: I) -> Result<DlArray<T>> {
        ops::try_index(self, i)
    }
    #[inline]
    fn adj(slot: &mut DlArray<T>, g: &DlArray<T>, x: &DlArray<T>, i: I) {
        ops::index_adj(slot, g, g, x, i)
    }
}

#[track_caller]
fn out_of_range(i: usize, len: usize) -> Error {
    Error::invalid("index", format!("index {i} is out of range for a container of {len} elements")).at(At::caller())
}

macro_rules! seq_index {
    ([$($g:tt)*] $t:ty) => {
        impl<$($g)*> Index<usize> for $t {
            type Out<'a>
                = &'a V
            where
                Self: 'a;
            type OutGrad = V::Grad;
            #[track_caller]
            #[inline]
            fn fwd(&self, i: usize) -> Result<&V> {
                match self.get(i) {
                    Some(v) => Ok(v),
                    None => Err(out_of_range(i, self.len())),
                }
            }
            #[inline]
            fn adj(slot: &mut Self::Grad, g: &V::Grad, _: &Self, i: usize) {
                if let Some(s) = slot.get_mut(i) {
                    s.acc(g)
                }
            }
        }
        seq_index!(@range [$($g)*] $t, Range<usize>);
        seq_index!(@range [$($g)*] $t, RangeFrom<usize>);
        seq_index!(@range [$($g)*] $t, RangeTo<usize>);
        seq_index!(@range [$($g)*] $t, RangeFull);
    };
    (@range [$($g:tt)*] $t:ty, $r:ty) => {
        impl<$($g)*> Index<$r> for $t {
            type Out<'a>
                = &'a [V]
            where
                Self: 'a;
            type OutGrad = Vec<V::Grad>;
            #[track_caller]
            #[inline]
            fn fwd(&self, r: $r) -> Result<&[V]> {
                let len = self.len();
                match self.get(r.clone()) {
                    Some(v) => Ok(v),
                    None => Err(Error::invalid("index", format!("range {r:?} is out of range for a container of {len} elements")).at(At::caller())),
                }
            }
            #[inline]
            fn adj(slot: &mut Self::Grad, g: &Vec<V::Grad>, _: &Self, r: $r) {
                if let Some(s) = slot.get_mut(r) {
                    for (s, g) in s.iter_mut().zip(g) {
                        s.acc(g);
                    }
                }
            }
        }
    };
}
seq_index!([V: Diff] Vec<V>);
seq_index!([V: Diff] [V]);
seq_index!([V: Diff, const N: usize] [V; N]);

/// Forward of `x[i]`, chosen by the container type.
#[track_caller]
#[inline(always)]
pub fn index<X: Index<I> + ?Sized, I>(x: &X, i: I) -> Result<<X as Index<I>>::Out<'_>> {
    <X as Index<I>>::fwd(x, i)
}

/// An owned copy of an element, for a container that is changed later (a loop's `Vec`).
#[inline(always)]
pub fn owned<V: ToOwned + ?Sized>(v: &V) -> V::Owned {
    v.to_owned()
}

/// `x[i] = v`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be assigned at `{I}` with a `{V}` inside `#[differentiable]`",
    note = "dlarrays take MATLAB indexed assignment; `Vec`s, slices and arrays replace an element"
)]
pub trait SetIndex<I, V: Diff>: Diff {
    /// What the reverse sweep needs (the replaced elements).
    type Saved;
    /// Replaces the selected elements by `v`.
    #[track_caller]
    fn set(&mut self, i: &I, v: V) -> Result<Self::Saved>;
    /// Moves the assigned elements' gradient into `v`'s (they are zero afterwards: the old
    /// elements were overwritten).
    fn adj_slot(slot: &mut Self::Grad, v_slot: &mut V::Grad, saved: Self::Saved, i: &I);
}

/// What reversing a dlarray assignment needs: the elements it replaced and the size of `v`.
#[derive(Debug, Clone)]
pub struct AssignSaved<T: Real> {
    v_size: Vec<usize>,
    _t: std::marker::PhantomData<T>,
}

impl<T: Real, I: IndexSpec + Clone, V: crate::ops::Operand<T> + Diff> SetIndex<I, V> for DlArray<T>
where
    V::Grad: AccArray<T>,
{
    type Saved = AssignSaved<T>;
    #[track_caller]
    fn set(&mut self, i: &I, v: V) -> Result<AssignSaved<T>> {
        let v_size = v.operand().size().to_vec();
        let x = std::mem::take(self);
        *self = ops::try_assign_owned(x, i.clone(), &v)?;
        Ok(AssignSaved { v_size, _t: std::marker::PhantomData })
    }
    fn adj_slot(slot: &mut DlArray<T>, v_slot: &mut V::Grad, saved: AssignSaved<T>, i: &I) {
        if let Some(c) = crate::ops::index::assign_reverse(slot, &saved.v_size, i.clone()) {
            v_slot.acc_array(c)
        }
    }
}

impl<V: Diff> SetIndex<usize, V> for Vec<V> {
    type Saved = ElemSaved<V>;
    #[track_caller]
    fn set(&mut self, i: &usize, v: V) -> Result<ElemSaved<V>> {
        let len = self.len();
        match self.get_mut(*i) {
            Some(e) => Ok(ElemSaved(std::mem::replace(e, v))),
            None => Err(out_of_range(*i, len)),
        }
    }
    fn adj_slot(slot: &mut Vec<V::Grad>, v_slot: &mut V::Grad, saved: ElemSaved<V>, i: &usize) {
        let lazy = saved.0.lazy();
        if let Some(s) = slot.get_mut(*i) {
            v_slot.acc_owned(std::mem::replace(s, lazy));
        }
    }
}

/// The element a `Vec` assignment replaced.
#[derive(Debug, Clone)]
pub struct ElemSaved<V>(V);

/// What reversing an assignment needs, by the type of what the forward saved: it names the
/// container's gradient type, so the reverse sweep needs no type of the container.
pub trait Saved<I, VG> {
    /// The container's gradient.
    type G;
    /// Moves the assigned elements' gradient into `v_slot`.
    fn reverse(self, slot: &mut Self::G, v_slot: &mut VG, i: &I);
}
impl<T: Real, I: IndexSpec + Clone, VG: AccArray<T>> Saved<I, VG> for AssignSaved<T> {
    type G = DlArray<T>;
    fn reverse(self, slot: &mut DlArray<T>, v_slot: &mut VG, i: &I) {
        if let Some(c) = crate::ops::index::assign_reverse(slot, &self.v_size, i.clone()) {
            v_slot.acc_array(c)
        }
    }
}
impl<V: Diff> Saved<usize, V::Grad> for ElemSaved<V> {
    type G = Vec<V::Grad>;
    fn reverse(self, slot: &mut Vec<V::Grad>, v_slot: &mut V::Grad, i: &usize) {
        let lazy = self.0.lazy();
        if let Some(s) = slot.get_mut(*i) {
            v_slot.acc_owned(std::mem::replace(s, lazy));
        }
    }
}

/// Reversing an assignment whose value no gradient reaches (`v[0] = z.sin()` differentiated with
/// respect to `x` only): the assigned elements' gradient is dropped (the old value was overwritten).
pub trait Forget<I> {
    /// The container's gradient.
    type G;
    /// Clears the assigned elements' gradient.
    fn forget(self, slot: &mut Self::G, i: &I);
}
impl<T: Real, I: IndexSpec + Clone> Forget<I> for AssignSaved<T> {
    type G = DlArray<T>;
    fn forget(self, slot: &mut DlArray<T>, i: &I) {
        let _dropped = crate::ops::index::assign_reverse(slot, &self.v_size, i.clone());
    }
}
impl<V: Diff> Forget<usize> for ElemSaved<V> {
    type G = Vec<V::Grad>;
    fn forget(self, slot: &mut Vec<V::Grad>, i: &usize) {
        if let Some(s) = slot.get_mut(*i) {
            *s = self.0.lazy();
        }
    }
}

/// Forward of `x[i] = v`.
#[track_caller]
#[inline(always)]
pub fn set_index<X: SetIndex<I, V>, I, V: Diff>(x: &mut X, i: &I, v: V) -> Result<X::Saved> {
    X::set(x, i, v)
}

/// `v.push(x)` on a `Vec`.
#[inline(always)]
pub fn push<V>(v: &mut Vec<V>, x: V) {
    v.push(x)
}

/// `v.clear()` on a `Vec`: the old elements are kept for the reverse sweep.
#[inline]
pub fn clear<V>(v: &mut Vec<V>) -> Vec<V> {
    std::mem::take(v)
}

/// A gradient that cannot flow anywhere: for plain update arguments.
#[inline(always)]
pub fn no_grad() -> NoGrad {
    NoGrad
}

//! The primitives only adjoint templates use: a reverse sweep that is differentiated again
//! (`EnableHigherDerivatives(true)`) is written in the rule table's vocabulary, and these are the
//! helpers it needs beyond the user's operations (summing an expanded gradient back to an operand's
//! size, expanding it, reshaping it, scattering an element's gradient). Each is a plain dlarray
//! computation with an adjoint of its own, so the sweep can be differentiated like any code.
//!
//! ```
//! use autodiff_runtime::dlarray;
//! use autodiff_runtime::private::v2::{expand_to, sum_to};
//!
//! let g = dlarray([[1.0, 2.0], [3.0, 4.0]]);
//! let b = dlarray([[0.0], [0.0]]);
//! assert_eq!(sum_to(&g, &b).to_vec(), vec![3.0, 7.0]);
//! assert_eq!(expand_to(&sum_to(&g, &b), &g).to_vec(), vec![3.0, 7.0, 3.0, 7.0]);
//! ```

use crate::dlarray::Tag;
use crate::error::Result;
use crate::ops::IndexSpec;
use crate::ops::elementwise::{acc, cow, expand, sum_to as sum_to_array};
use crate::{DlArray, Real};

/// `g` summed over the dimensions where `like` has size 1: the adjoint of implicit expansion.
pub fn sum_to<T: Real>(g: &DlArray<T>, like: &DlArray<T>) -> DlArray<T> {
    if g.size() == like.size() {
        return g.clone();
    }
    DlArray::from_array(sum_to_array(g.view(), like.size()), like.fmt, g.tag)
}

/// Adjoint of [`sum_to`] in its first operand.
pub fn sum_to_adj0<T: Real>(
    slot: &mut DlArray<T>,
    gbar: &DlArray<T>,
    _out: &DlArray<T>,
    g: &DlArray<T>,
    _like: &DlArray<T>,
) {
    acc(slot, &expand_to(gbar, g))
}

/// `g` expanded (repeated along its singleton dimensions) to the size of `like`.
pub fn expand_to<T: Real>(g: &DlArray<T>, like: &DlArray<T>) -> DlArray<T> {
    if g.size() == like.size() {
        return g.clone();
    }
    let n = like.size().len().max(g.size().len());
    let mut target = like.size().to_vec();
    target.resize(n, 1);
    let padded = cow(g.view(), n);
    let full = expand(&padded, &target).to_owned();
    let shaped = full.to_shape(ndarray::IxDyn(like.size())).map(|a| a.into_owned()).unwrap_or(full);
    DlArray::from_array(shaped, like.fmt, g.tag)
}

/// Adjoint of [`expand_to`] in its first operand.
pub fn expand_to_adj0<T: Real>(
    slot: &mut DlArray<T>,
    gbar: &DlArray<T>,
    _out: &DlArray<T>,
    g: &DlArray<T>,
    _like: &DlArray<T>,
) {
    acc(slot, &sum_to(gbar, g))
}

/// `g` with the size (and format) of `like`.
pub fn reshape_like<T: Real>(g: &DlArray<T>, like: &DlArray<T>) -> DlArray<T> {
    if g.size() == like.size() {
        return g.clone();
    }
    let mut r = crate::ops::reshape(g, like.size());
    r.fmt = like.fmt;
    r.retag(g.tag)
}

/// Adjoint of [`reshape_like`] in its first operand.
pub fn reshape_like_adj0<T: Real>(
    slot: &mut DlArray<T>,
    gbar: &DlArray<T>,
    _out: &DlArray<T>,
    g: &DlArray<T>,
    _like: &DlArray<T>,
) {
    acc(slot, &reshape_like(gbar, g))
}

/// Zeros of the size of `like` with `g` at `idx`: the adjoint of indexing.
pub fn scatter<T: Real, I: IndexSpec>(g: &DlArray<T>, like: &DlArray<T>, idx: I) -> Result<DlArray<T>> {
    let zeros = crate::zeros::<T>(like.size());
    let out = crate::private::ops::try_assign_owned(zeros, idx, g)?;
    Ok(out.retag(g.tag))
}

/// Adjoint of [`scatter`] in its first operand.
pub fn scatter_adj0<T: Real, I: IndexSpec>(
    slot: &mut DlArray<T>,
    gbar: &DlArray<T>,
    _out: &DlArray<T>,
    _g: &DlArray<T>,
    _like: &DlArray<T>,
    idx: I,
) {
    if let Ok(part) = crate::ops::try_index(gbar, idx) {
        acc(slot, &part)
    }
}

/// The seed of a sweep that is differentiated again: ones of `y`'s size, untraced.
pub fn ones_of<T: Real>(y: &DlArray<T>) -> DlArray<T> {
    crate::ones::<T>(y.size()).retag(Tag::UNTRACED)
}

/// A gradient no contribution reached, in a sweep that is differentiated again: zeros of `x`'s size.
pub fn zeros_of<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    let mut z = crate::zeros::<T>(x.size());
    z.fmt = x.fmt;
    z
}

/// The number of elements, as an `f64` (the `numel(..)` of templates).
pub fn numel_of<T: Real>(x: &DlArray<T>) -> f64 {
    x.numel() as f64
}

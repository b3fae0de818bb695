//! The shared machinery of elementwise primitives: MATLAB implicit expansion, the forward map/zip
//! engines, and the accumulate-into-slot helpers every adjoint kernel is written with.

use std::sync::Arc;

use ndarray::{ArrayD, ArrayViewD, Axis, CowArray, IxDyn, Zip};

use super::Opnd;
use crate::dlarray::{Data, DlArray, Tag, normalize};
use crate::error::{Error, Result};
use crate::pool;
use crate::{Format, Real};

/// MATLAB implicit expansion: sizes are compared dimension by dimension (missing trailing dimensions
/// are 1); each pair must be equal or contain a 1.
pub(crate) fn broadcast_size(op: &'static str, a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    if a == b {
        return Ok(a.to_vec());
    }
    let n = a.len().max(b.len());
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let x = a.get(k).copied().unwrap_or(1);
        let y = b.get(k).copied().unwrap_or(1);
        out.push(match (x, y) {
            _ if x == y => x,
            (1, _) => y,
            (_, 1) => x,
            _ => return Err(Error::size_mismatch(op, a, b)),
        });
    }
    Ok(out)
}

/// The format of a result: the operands' common format, the one formatted operand's format, or an
/// error when both are formatted differently (a 1x1 operand adopts the other's format).
#[inline]
pub(crate) fn join_fmt<T: Real>(op: &'static str, a: &Opnd<'_, T>, b: &Opnd<'_, T>) -> Result<Format> {
    let (fa, fb) = (a.fmt(), b.fmt());
    if fa == fb || fb.is_empty() || b.scalar().is_some() && !fa.is_empty() {
        Ok(fa)
    } else if fa.is_empty() || a.scalar().is_some() {
        Ok(fb)
    } else {
        Err(Error::invalid(op, format!("operands have different dimension formats \"{fa}\" and \"{fb}\"")))
    }
}

/// A view with trailing singleton dimensions added up to `n` dimensions.
pub(crate) fn pad<'a, T>(v: ArrayViewD<'a, T>, n: usize) -> ArrayViewD<'a, T> {
    let mut v = v;
    while v.ndim() < n {
        let k = v.ndim();
        v = v.insert_axis(Axis(k));
    }
    v
}

/// A view padded with trailing singleton dimensions to `n` dimensions, ready for [`expand`].
pub(crate) fn cow<'a, T>(v: ArrayViewD<'a, T>, n: usize) -> CowArray<'a, T, IxDyn> {
    pad(v, n).into()
}

/// `v` (already padded to `shape.len()` dimensions by [`cow`]) expanded to `shape` (no copy: zero
/// strides). Padding first matters: MATLAB aligns sizes from the first dimension, `ndarray` from the last.
pub(crate) fn expand<'a, T>(v: &'a CowArray<'_, T, IxDyn>, shape: &[usize]) -> ArrayViewD<'a, T> {
    debug_assert_eq!(v.ndim(), shape.len());
    v.broadcast(IxDyn(shape)).expect("shapes were checked in the forward sweep")
}

/// Elementwise unary map; keeps format and tag.
#[inline]
pub(crate) fn map<T: Real>(x: &DlArray<T>, f: impl Fn(T) -> T) -> DlArray<T> {
    match &x.data {
        Data::Scalar(v) => DlArray { data: Data::Scalar(f(*v)), fmt: x.fmt, tag: x.tag },
        Data::Array(a) => DlArray::from_normalized(pool::map(a.view(), f), x.fmt, x.tag),
    }
}

/// Elementwise binary zip with implicit expansion.
#[inline(always)]
pub(crate) fn zip<T: Real>(
    op: &'static str,
    a: Opnd<'_, T>,
    b: Opnd<'_, T>,
    f: impl Fn(T, T) -> T,
) -> Result<DlArray<T>> {
    let tag = a.tag().join(b.tag());
    match (a.scalar(), b.scalar()) {
        (Some(x), Some(y)) => {
            let fmt = join_fmt(op, &a, &b)?;
            Ok(DlArray { data: Data::Scalar(f(x, y)), fmt, tag })
        }
        (Some(x), None) => {
            let Opnd::Array(arr) = b else { unreachable!() };
            let fmt = join_fmt(op, &a, &b)?;
            Ok(DlArray::from_normalized(pool::map(arr.view(), |v| f(x, v)), fmt, tag))
        }
        (None, Some(y)) => {
            let Opnd::Array(arr) = a else { unreachable!() };
            let fmt = join_fmt(op, &a, &b)?;
            Ok(DlArray::from_normalized(pool::map(arr.view(), |v| f(v, y)), fmt, tag))
        }
        (None, None) => {
            let shape = broadcast_size(op, a.size(), b.size())?;
            let fmt = join_fmt(op, &a, &b)?;
            let n = shape.len();
            let (av, bv) = (a.cow(n), b.cow(n));
            let out = if av.shape() == bv.shape() {
                pool::zip(av.view(), bv.view(), f)
            } else if let Some(out) = super::colmajor::zip(&av.view(), &bv.view(), &shape, &f) {
                out
            } else {
                Zip::from(expand(&av, &shape)).and(expand(&bv, &shape)).map_collect(|&x, &y| f(x, y))
            };
            Ok(DlArray::from_normalized(normalize(out, fmt.len()), fmt, tag))
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// accumulation into adjoint slots

/// `slot += c` for a 1x1 slot.
#[inline]
pub(crate) fn acc_scalar<T: Real>(slot: &mut DlArray<T>, c: T) {
    match &mut slot.data {
        _ if slot.tag.lazy => *slot = DlArray::scalar(c),
        Data::Scalar(s) => *s += c,
        Data::Array(a) => {
            // a non-1x1 slot receiving a scalar contribution: broadcast add (only reached by callers that
            // reduce to the slot's size, which for a 1x1 value is a scalar)
            Arc::make_mut(a).mapv_inplace(|v| v + c)
        }
    }
}

/// `slot += arr` where `arr` has the slot's (normalized) size.
pub(crate) fn acc_array<T: Real>(slot: &mut DlArray<T>, arr: ArrayD<T>) {
    if slot.tag.lazy {
        *slot = DlArray::from_normalized(arr, Format::NONE, Tag::UNTRACED);
        return;
    }
    match &mut slot.data {
        Data::Scalar(s) => *s += arr.iter().copied().sum::<T>(),
        Data::Array(a) => {
            let a = Arc::make_mut(a);
            Zip::from(a).and(&arr).for_each(|s, &c| *s += c);
        }
    }
}

/// `slot += contribution` for a whole dlarray contribution of the slot's size (a lazy contribution
/// adds nothing; a lazy slot takes the contribution without copying its storage).
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, private::{acc, slot}};
///
/// let x = dlarray([1.0, 2.0]);
/// let mut s = slot(&x);
/// acc(&mut s, &dlarray([1.0, 1.0]));
/// acc(&mut s, &dlarray([0.5, 0.5]));
/// assert_eq!(s.to_vec(), vec![1.5, 1.5]);
/// ```
pub fn acc<T: Real>(slot: &mut DlArray<T>, contribution: &DlArray<T>) {
    if contribution.tag.lazy {
        return;
    }
    if slot.tag.lazy {
        *slot = contribution.clone().retag(Tag::UNTRACED);
        return;
    }
    match (&mut slot.data, &contribution.data) {
        (Data::Scalar(s), Data::Scalar(c)) => *s += *c,
        (Data::Scalar(s), Data::Array(c)) => *s += c.iter().copied().sum::<T>(),
        (Data::Array(a), Data::Scalar(c)) => Arc::make_mut(a).mapv_inplace(|v| v + *c),
        (Data::Array(a), Data::Array(c)) => {
            let a = Arc::make_mut(a);
            if a.shape() == c.shape() {
                Zip::from(a).and(c.view()).for_each(|s, &c| *s += c);
            } else {
                let red = sum_to(c.view(), a.shape());
                Zip::from(a).and(&red).for_each(|s, &c| *s += c);
            }
        }
    }
}

/// Sums `full` over the dimensions where `target` is 1 (undoing implicit expansion); the result has
/// the normalized size `target`.
pub(crate) fn sum_to<T: Real>(full: ArrayViewD<'_, T>, target: &[usize]) -> ArrayD<T> {
    if full.shape() == target {
        return full.to_owned();
    }
    let n = full.ndim().max(target.len());
    let full = pad(full, n);
    let mut t = target.to_vec();
    t.resize(n, 1);
    if let Some(out) = super::colmajor::reduce(&full, &t, T::ZERO, |a, b| a + b) {
        return out.to_shape(IxDyn(target)).expect("sum_to keeps the element count").into_owned();
    }
    if t.iter().all(|&d| d == 1) {
        let s = full.iter().copied().sum::<T>();
        return ArrayD::from_elem(IxDyn(target), s);
    }
    let mut cur: CowArray<'_, T, IxDyn> = full.into();
    for k in (0..n).rev() {
        if t[k] == 1 && cur.shape()[k] != 1 {
            cur = cur.sum_axis(Axis(k)).insert_axis(Axis(k)).into();
        }
    }
    let out = cur.into_owned();
    out.to_shape(IxDyn(target)).expect("sum_to keeps the element count").into_owned()
}

/// The elementwise adjoint engine with one extra input: `slot += sum_to(size(slot), f(g, x))`,
/// `x` expanded to the size of `g`.
#[inline]
pub(crate) fn acc_map1<T: Real>(
    slot: &mut DlArray<T>,
    target: &[usize],
    g: &DlArray<T>,
    x: Opnd<'_, T>,
    f: impl Fn(T, T) -> T,
) {
    if let (Some(gs), Some(xs)) = (g.scalar_value(), x.scalar()) {
        acc_scalar(slot, f(gs, xs));
        return;
    }
    let gv = g.view();
    let shape = gv.shape().to_vec();
    let xc = x.cow(shape.len());
    let xv = expand(&xc, &shape);
    if target == shape.as_slice() {
        if slot.tag.lazy {
            let arr = match x.scalar() {
                Some(xs) => pool::map(gv.view(), |g| f(g, xs)),
                None if xc.shape() == shape.as_slice() => pool::zip(gv.view(), xc.view(), f),
                None => match super::colmajor::zip(&gv, &xc.view(), &shape, &f) {
                    Some(arr) => arr,
                    None => Zip::from(&gv).and(xv).map_collect(|&g, &x| f(g, x)),
                },
            };
            *slot = DlArray::from_normalized(arr, Format::NONE, Tag::UNTRACED);
        } else {
            Zip::from(slot_mut(slot)).and(&gv).and(xv).for_each(|s, &g, &x| *s += f(g, x));
        }
    } else {
        let full = Zip::from(&gv).and(xv).map_collect(|&g, &x| f(g, x));
        acc_array(slot, sum_to(full.view(), target));
    }
}

/// The elementwise adjoint engine with two extra inputs: `slot += sum_to(size(slot), f(g, x, y))`.
#[inline]
pub(crate) fn acc_map2<T: Real>(
    slot: &mut DlArray<T>,
    target: &[usize],
    g: &DlArray<T>,
    x: Opnd<'_, T>,
    y: Opnd<'_, T>,
    f: impl Fn(T, T, T) -> T,
) {
    if let (Some(gs), Some(xs), Some(ys)) = (g.scalar_value(), x.scalar(), y.scalar()) {
        acc_scalar(slot, f(gs, xs, ys));
        return;
    }
    let gv = g.view();
    let shape = gv.shape().to_vec();
    let (xc, yc) = (x.cow(shape.len()), y.cow(shape.len()));
    let (xv, yv) = (expand(&xc, &shape), expand(&yc, &shape));
    if target == shape.as_slice() {
        if slot.tag.lazy {
            let arr = Zip::from(&gv).and(xv).and(yv).map_collect(|&g, &x, &y| f(g, x, y));
            *slot = DlArray::from_normalized(arr, Format::NONE, Tag::UNTRACED);
        } else {
            Zip::from(slot_mut(slot)).and(&gv).and(xv).and(yv).for_each(|s, &g, &x, &y| *s += f(g, x, y));
        }
    } else {
        let full = Zip::from(&gv).and(xv).and(yv).map_collect(|&g, &x, &y| f(g, x, y));
        acc_array(slot, sum_to(full.view(), target));
    }
}

/// The elementwise adjoint engine with no extra input: `slot += sum_to(size(slot), f(g))`. When `f` is
/// the identity and the slot is lazy, the slot shares `g`'s storage (no copy).
#[inline]
pub(crate) fn acc_map0<T: Real>(
    slot: &mut DlArray<T>,
    target: &[usize],
    g: &DlArray<T>,
    identity: bool,
    f: impl Fn(T) -> T,
) {
    if let Some(gs) = g.scalar_value() {
        acc_scalar(slot, f(gs));
        return;
    }
    if target == g.size() {
        if identity {
            acc(slot, g);
        } else if slot.tag.lazy {
            *slot = map(g, f).retag(Tag::UNTRACED);
            slot.fmt = Format::NONE;
        } else {
            Zip::from(slot_mut(slot)).and(&g.view()).for_each(|s, &g| *s += f(g));
        }
    } else {
        let red = sum_to(g.view(), target);
        let red = if identity { red } else { red.mapv(f) };
        acc_array(slot, red);
    }
}

/// The slot's array, made unique (copy on write) for in-place accumulation.
#[inline]
pub(crate) fn slot_mut<T: Real>(slot: &mut DlArray<T>) -> &mut ArrayD<T> {
    match &mut slot.data {
        Data::Array(a) => Arc::make_mut(a),
        Data::Scalar(_) => unreachable!("a 1x1 slot is accumulated through acc_scalar"),
    }
}

/// Makes a lazy slot a real zero array of `size` (for adjoints that add into parts of it).
pub(crate) fn materialize<T: Real>(slot: &mut DlArray<T>, size: &[usize]) {
    if slot.tag.lazy {
        // column-major, as MATLAB stores arrays: runs of linear positions are runs in memory
        *slot = DlArray::from_normalized(pool::zeros_f(size), Format::NONE, Tag::UNTRACED);
    }
}

/// Mutable access to a non-lazy slot's data as an owned array (a 1x1 slot is turned into an array
/// temporarily by the caller through `with_slot_array`).
pub(crate) fn with_slot_array<T: Real>(slot: &mut DlArray<T>, size: &[usize], f: impl FnOnce(&mut ArrayD<T>)) {
    materialize(slot, size);
    match &mut slot.data {
        Data::Array(a) => f(Arc::make_mut(a)),
        Data::Scalar(s) => {
            let mut tmp = ArrayD::from_elem(IxDyn(size), *s);
            f(&mut tmp);
            *s = *tmp.iter().next().expect("1 element");
        }
    }
}

/// [`zip`] computing into `owned`'s storage when it is not shared and already has the result's size
/// (operators on owned dlarrays: `a * 2.0 + b` allocates once, as `ndarray` does). `owned_is_lhs` says
/// which operand of `f` it is.
#[inline(always)]
pub(crate) fn zip_reuse<T: Real>(
    op: &'static str,
    mut owned: DlArray<T>,
    other: Opnd<'_, T>,
    owned_is_lhs: bool,
    f: impl Fn(T, T) -> T,
) -> Result<DlArray<T>> {
    if owned.is_scalar() {
        // scalars are computed inline anyway
        return if owned_is_lhs {
            zip(op, Opnd::Array(&owned), other, f)
        } else {
            zip(op, other, Opnd::Array(&owned), f)
        };
    }
    let size = owned.size().to_vec();
    let fits = other.size().len() <= size.len()
        && other.size().iter().zip(&size).all(|(&o, &s)| o == s || o == 1)
        && matches!(&owned.data, Data::Array(_));
    if fits {
        let (fa, fb) = if owned_is_lhs { (owned.fmt, other.fmt()) } else { (other.fmt(), owned.fmt) };
        let fmt_ok = fa == fb || fa.is_empty() || fb.is_empty() || other.scalar().is_some();
        let tag = owned.tag.join(other.tag());
        if fmt_ok
            && let Data::Array(arc) = &mut owned.data
            && let Some(arr) = Arc::get_mut(arc)
        {
            match other.scalar() {
                Some(v) if owned_is_lhs => arr.mapv_inplace(|o| f(o, v)),
                Some(v) => arr.mapv_inplace(|o| f(v, o)),
                None => {
                    let oc = other.cow(size.len());
                    let ov = expand(&oc, &size);
                    if owned_is_lhs {
                        Zip::from(arr).and(ov).for_each(|o, &b| *o = f(*o, b));
                    } else {
                        Zip::from(arr).and(ov).for_each(|o, &a| *o = f(a, *o));
                    }
                }
            }
            if owned.fmt.is_empty() {
                owned.fmt = if owned_is_lhs { fb } else { fa };
            }
            owned.tag = tag;
            return Ok(owned);
        }
    }
    if owned_is_lhs { zip(op, Opnd::Array(&owned), other, f) } else { zip(op, other, Opnd::Array(&owned), f) }
}

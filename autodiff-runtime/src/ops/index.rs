//! Indexing (MATLAB `x(i)`, `x(i, j)`, `x(a:b)`, `x(:, j)`) and functional indexed assignment
//! (`x(i) = v`), each beside its adjoints.
//!
//! Indices are **0-based** and linear indices run in MATLAB's column-major order. The adjoint of
//! indexing adds into the indexed elements of the slot in place: a lazily-zero slot is made a zero array
//! once, never one full-size array per access.

use std::ops::{Range, RangeFrom, RangeFull, RangeInclusive, RangeTo, RangeToInclusive};

use ndarray::{ArrayD, IxDyn};

use super::elementwise::{acc_scalar, with_slot_array};
use super::or_panic;
use crate::dlarray::{Data, DlArray, Tag, normalize, ravel_col_major};
use crate::error::{At, Error, Result};
use crate::{Format, Real, Size};

/// One subscript: a position, a range, every position (`..`), or a list of positions.
pub trait Subscript {
    /// The selected positions along a dimension of length `len`, or the first offending index.
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String>;
    /// The single position, when this subscript selects exactly one.
    fn single(&self) -> Option<usize> {
        None
    }
    /// True for `..` (MATLAB's `:`).
    fn is_full(&self) -> bool {
        false
    }
    /// The positions as one run `a..b` along a dimension of length `len`, when they are one and in
    /// range (a fast path: no list of positions).
    fn run(&self, len: usize) -> Option<Range<usize>> {
        let _ = len;
        None
    }
}

/// `a..b` when it lies inside `0..len`.
fn inside(r: Range<usize>, len: usize) -> Option<Range<usize>> {
    (r.start <= r.end && r.end <= len).then_some(r)
}

fn check(len: usize, v: Vec<usize>) -> std::result::Result<Vec<usize>, String> {
    match v.iter().find(|&&p| p >= len) {
        Some(p) => Err(p.to_string()),
        None => Ok(v),
    }
}

impl Subscript for usize {
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        check(len, vec![*self])
    }
    fn single(&self) -> Option<usize> {
        Some(*self)
    }
}
impl Subscript for i32 {
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        if *self < 0 { Err(self.to_string()) } else { check(len, vec![*self as usize]) }
    }
    fn single(&self) -> Option<usize> {
        (*self >= 0).then_some(*self as usize)
    }
}
impl Subscript for Range<usize> {
    fn run(&self, len: usize) -> Option<Range<usize>> {
        inside(self.clone(), len)
    }
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        check(len, self.clone().collect())
    }
}
impl Subscript for RangeInclusive<usize> {
    fn run(&self, len: usize) -> Option<Range<usize>> {
        inside(*self.start()..self.end().checked_add(1)?, len)
    }
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        check(len, self.clone().collect())
    }
}
impl Subscript for RangeFrom<usize> {
    fn run(&self, len: usize) -> Option<Range<usize>> {
        inside(self.start..len, len)
    }
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        if self.start > len { Err(self.start.to_string()) } else { Ok((self.start..len).collect()) }
    }
}
impl Subscript for RangeTo<usize> {
    fn run(&self, len: usize) -> Option<Range<usize>> {
        inside(0..self.end, len)
    }
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        check(len, (0..self.end).collect())
    }
}
impl Subscript for RangeToInclusive<usize> {
    fn run(&self, len: usize) -> Option<Range<usize>> {
        inside(0..self.end.checked_add(1)?, len)
    }
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        check(len, (0..=self.end).collect())
    }
}
impl Subscript for RangeFull {
    fn run(&self, len: usize) -> Option<Range<usize>> {
        Some(0..len)
    }
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        Ok((0..len).collect())
    }
    fn is_full(&self) -> bool {
        true
    }
}
impl Subscript for Vec<usize> {
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        check(len, self.clone())
    }
}
impl Subscript for &[usize] {
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        check(len, self.to_vec())
    }
}
impl<const N: usize> Subscript for [usize; N] {
    fn positions(&self, len: usize) -> std::result::Result<Vec<usize>, String> {
        check(len, self.to_vec())
    }
}

/// What an index selects: column-major linear positions in the indexed array, and the result's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Column-major linear indices into the indexed array, in the result's column-major order.
    pub positions: Vec<usize>,
    /// Size of the result.
    pub size: Vec<usize>,
    /// Whether the result keeps the array's format (subscripts over every dimension).
    pub keep_format: bool,
}

/// An index: a single [`Subscript`] (linear indexing, MATLAB `x(i)`) or a tuple of them (one per
/// dimension, MATLAB `x(i, j, ..)`).
///
/// Linear indexing of a vector keeps its orientation; of any other array gives a row (MATLAB's rule for
/// a row index vector); `..` gives a column of every element (`x(:)`). With fewer subscripts than
/// dimensions the last subscript runs over the remaining dimensions merged, as in MATLAB.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::index};
///
/// let x = dlarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
/// assert_eq!(index(&x, 1).to_vec(), vec![4.0]);            // x(2)
/// assert_eq!(index(&x, (1, 2)).to_vec(), vec![6.0]);       // x(2, 3)
/// assert_eq!(index(&x, (.., 1)).size(), &[2, 1]);          // x(:, 2)
/// assert_eq!(index(&x, 0..3).to_vec(), vec![1.0, 4.0, 2.0]); // x(1:3), column-major
/// ```
pub trait IndexSpec {
    /// Resolves the index against an array of size `size`.
    fn select(&self, size: &[usize]) -> std::result::Result<Selection, (String, usize)>;
    /// The column-major linear position, when the index selects exactly one element (no allocation).
    fn single(&self, size: &[usize]) -> Option<usize>;
    /// The selection as one run of column-major linear positions, with the result's size and whether
    /// it keeps the format, when it is one (a range of a vector, whole columns of a matrix): copied as
    /// a slice, with no list of positions.
    fn span(&self, size: &[usize]) -> Option<(Range<usize>, [usize; 2], bool)> {
        let _ = size;
        None
    }
}

fn is_vector(size: &[usize]) -> bool {
    size.len() == 2 && (size[0] == 1 || size[1] == 1)
}

impl<S: Subscript> IndexSpec for S {
    fn select(&self, size: &[usize]) -> std::result::Result<Selection, (String, usize)> {
        let numel: usize = size.iter().product();
        let positions = self.positions(numel).map_err(|i| (i, numel))?;
        let k = positions.len();
        let out = if self.single().is_some() {
            vec![1, 1]
        } else if self.is_full() || is_vector(size) && size[1] == 1 {
            vec![k, 1]
        } else {
            vec![1, k]
        };
        Ok(Selection { positions, size: out, keep_format: false })
    }
    fn single(&self, size: &[usize]) -> Option<usize> {
        let numel: usize = size.iter().product();
        Subscript::single(self).filter(|&k| k < numel)
    }
    fn span(&self, size: &[usize]) -> Option<(Range<usize>, [usize; 2], bool)> {
        let numel: usize = size.iter().product();
        let r = self.run(numel)?;
        let k = r.len();
        let out = if self.is_full() || is_vector(size) && size[1] == 1 { [k, 1] } else { [1, k] };
        Some((r, out, false))
    }
}

macro_rules! tuple_spec {
    ($($name:ident : $idx:tt),+) => {
        impl<$($name: Subscript),+> IndexSpec for ($($name,)+) {
            fn select(&self, size: &[usize]) -> std::result::Result<Selection, (String, usize)> {
                let subs: &[&dyn Subscript] = &[$(&self.$idx),+];
                select_subscripts(subs, size)
            }
            fn single(&self, size: &[usize]) -> Option<usize> {
                let subs: &[&dyn Subscript] = &[$(&self.$idx),+];
                let eff = effective_size(size, subs.len());
                let mut idx = [0usize; 8];
                for (k, s) in subs.iter().enumerate() {
                    let p = s.single()?;
                    if p >= eff[k] {
                        return None;
                    }
                    idx[k] = p;
                }
                Some(ravel_col_major(&eff, &idx[..subs.len()]))
            }
        }
    };
}
tuple_spec!(A: 0, B: 1, C: 2);
tuple_spec!(A: 0, B: 1, C: 2, D: 3);
tuple_spec!(A: 0, B: 1, C: 2, D: 3, E: 4);

impl<A: Subscript, B: Subscript> IndexSpec for (A, B) {
    fn select(&self, size: &[usize]) -> std::result::Result<Selection, (String, usize)> {
        select_subscripts(&[&self.0, &self.1], size)
    }
    fn single(&self, size: &[usize]) -> Option<usize> {
        let eff = effective_size(size, 2);
        let (i, j) = (self.0.single()?, self.1.single()?);
        (i < eff[0] && j < eff[1]).then(|| ravel_col_major(&eff, &[i, j]))
    }
    /// `(.., j)` and `(.., a..b)`: whole columns, one run in column-major order.
    fn span(&self, size: &[usize]) -> Option<(Range<usize>, [usize; 2], bool)> {
        if !self.0.is_full() || size.len() != 2 {
            return None;
        }
        let rows = size[0];
        let cols = match self.1.single() {
            Some(j) => inside(j..j + 1, size[1])?,
            None => self.1.run(size[1])?,
        };
        Some((cols.start * rows..cols.end * rows, [rows, cols.len()], true))
    }
}

/// The data of an array in column-major order, when it is laid out so.
fn col_major<T>(a: &ArrayD<T>) -> Option<&[T]> {
    super::colmajor::slice(&a.view())
}

/// Mutable [`col_major`].
fn col_major_mut<T>(a: &mut ArrayD<T>) -> Option<&mut [T]> {
    a.view_mut().reversed_axes().into_slice()
}

/// The size seen by `m` subscripts: trailing dimensions merged into the last, or padded with ones.
fn effective_size(size: &[usize], m: usize) -> Vec<usize> {
    let mut eff: Vec<usize> = size.iter().copied().take(m).collect();
    if size.len() > m {
        eff[m - 1] = size[m - 1..].iter().product();
    }
    eff.resize(m, 1);
    eff
}

fn select_subscripts(subs: &[&dyn Subscript], size: &[usize]) -> std::result::Result<Selection, (String, usize)> {
    let m = subs.len();
    let eff = effective_size(size, m);
    let mut lists = Vec::with_capacity(m);
    for (k, s) in subs.iter().enumerate() {
        lists.push(s.positions(eff[k]).map_err(|i| (i, eff[k]))?);
    }
    let counts: Vec<usize> = lists.iter().map(|l| l.len()).collect();
    let total: usize = counts.iter().product();
    let mut positions = Vec::with_capacity(total);
    let mut odo = vec![0usize; m];
    let mut idx = vec![0usize; m];
    for j in 0..total {
        if j > 0 {
            for d in 0..m {
                odo[d] += 1;
                if odo[d] < counts[d] {
                    break;
                }
                odo[d] = 0;
            }
        }
        for d in 0..m {
            idx[d] = lists[d][odo[d]];
        }
        positions.push(ravel_col_major(&eff, &idx));
    }
    Ok(Selection { positions, size: counts, keep_format: m >= size.len() })
}

fn describe(i: &str) -> String {
    i.to_string()
}

fn bounds_error(op: &'static str, size: &[usize], (index, limit): (String, usize)) -> Error {
    Error::IndexOutOfBounds { op, index: describe(&index), limit, size: Size::from(size), at: At(None) }
}

/// The element of `x` at column-major linear position `k`.
#[inline]
fn element<T: Real>(x: &DlArray<T>, k: usize) -> T {
    match &x.data {
        Data::Scalar(v) => *v,
        Data::Array(a) => match matrix_index(a.shape(), k) {
            Some(ix) => a[&ix[..]],
            None => a[IxDyn(&crate::dlarray::unravel_col_major(a.shape(), k))],
        },
    }
}

/// The subscripts of column-major position `k` of a matrix (the common case, without the general
/// unravelling); `None` for more dimensions.
#[inline(always)]
fn matrix_index(shape: &[usize], k: usize) -> Option<[usize; 2]> {
    match *shape {
        [1, _] => Some([0, k]),
        [_, 1] => Some([k, 0]),
        [r, _] => Some([k % r, k / r]),
        _ => None,
    }
}

/// `slot[k] += v` at column-major linear position `k` of an array of size `size`.
#[inline]
fn add_at<T: Real>(arr: &mut ArrayD<T>, k: usize, v: T) {
    if let Some(ix) = matrix_index(arr.shape(), k) {
        arr[&ix[..]] += v;
        return;
    }
    let idx = crate::dlarray::unravel_col_major(arr.shape(), k);
    arr[IxDyn(&idx)] += v;
}

#[inline]
fn set_at<T: Real>(arr: &mut ArrayD<T>, k: usize, v: T) {
    if let Some(ix) = matrix_index(arr.shape(), k) {
        arr[&ix[..]] = v;
        return;
    }
    let idx = crate::dlarray::unravel_col_major(arr.shape(), k);
    arr[IxDyn(&idx)] = v;
}

/// Indexing, MATLAB `x(idx)` (0-based). See [`IndexSpec`] for the forms and result sizes.
///
/// # Panics
///
/// When an index is out of range, at the caller.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::index};
/// let x = dlarray([10.0, 20.0, 30.0]);
/// assert_eq!(index(&x, 1..).to_vec(), vec![20.0, 30.0]);
/// assert_eq!(index(&x, vec![2, 0]).to_vec(), vec![30.0, 10.0]);
/// ```
#[track_caller]
#[inline]
pub fn index<T: Real>(x: &DlArray<T>, idx: impl IndexSpec) -> DlArray<T> {
    or_panic(try_index(x, idx))
}

/// Fallible form of [`index`]: `Err(IndexOutOfBounds)` with MATLAB's wording, the index and the size.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_index};
/// let e = try_index(&dlarray([1.0, 2.0]), 2).unwrap_err().to_string();
/// assert!(e.contains("Index exceeds the number of array elements. Index must not exceed 2"));
/// ```
#[track_caller]
#[inline]
pub fn try_index<T: Real>(x: &DlArray<T>, idx: impl IndexSpec) -> Result<DlArray<T>> {
    if let Some(k) = idx.single(x.size()) {
        return Ok(DlArray { data: Data::Scalar(element(x, k)), fmt: Format::NONE, tag: x.tag });
    }
    if let Data::Array(a) = &x.data
        && let Some((r, size, keep_format)) = idx.span(x.size())
        && r.len() > 1
        && let Some(s) = col_major(a)
    {
        let mut v = crate::pool::vec_for(r.len());
        v.extend_from_slice(&s[r]);
        let arr = ArrayD::from_shape_vec(IxDyn(&size).f(), v).expect("span size");
        let fmt = if keep_format { x.fmt } else { Format::NONE };
        return Ok(DlArray::from_normalized(arr, fmt, x.tag));
    }
    let at = At::caller();
    let sel = idx.select(x.size()).map_err(|e| bounds_error("index", x.size(), e).at(at))?;
    let vals: Vec<T> = sel.positions.iter().map(|&k| element(x, k)).collect();
    let arr = ArrayD::from_shape_vec(IxDyn(&sel.size).f(), vals).expect("selection size");
    let fmt = if sel.keep_format { x.fmt } else { Format::NONE };
    Ok(DlArray::from_normalized(normalize(arr, fmt.len()), fmt, x.tag))
}
use ndarray::ShapeBuilder;

/// Adjoint of `index`: `x̄[idx] += g`, in place (repeated positions accumulate).
#[inline]
pub fn index_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    x: &DlArray<T>,
    idx: impl IndexSpec,
) {
    let size = x.size();
    if x.is_scalar() {
        return acc_scalar(slot, g.to_vec().iter().copied().sum());
    }
    if let Some(k) = idx.single(size) {
        let v = g.scalar_value().expect("one element");
        return with_slot_array(slot, size, |s| add_at(s, k, v));
    }
    if let Some((r, _, _)) = idx.span(size)
        && let Data::Array(ga) = &g.data
        && let Some(gs) = col_major(ga)
    {
        return with_slot_array(slot, size, |s| match col_major_mut(s) {
            Some(s) => s[r].iter_mut().zip(gs).for_each(|(s, g)| *s += *g),
            None => r.zip(gs).for_each(|(k, g)| add_at(s, k, *g)),
        });
    }
    let sel = idx.select(size).expect("checked in the forward sweep");
    let gv = g.to_vec();
    with_slot_array(slot, size, |s| {
        for (&k, &v) in sel.positions.iter().zip(&gv) {
            add_at(s, k, v);
        }
    });
}

/// Functional indexed assignment, MATLAB `x(idx) = v`: a copy of `x` with the selected elements
/// replaced by `v` (a 1x1 value fills every selected element). The array does not grow.
///
/// # Panics
///
/// When an index is out of range or the element counts differ, at the caller.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::assign};
/// let x = dlarray([1.0, 2.0, 3.0]);
/// assert_eq!(assign(&x, 1, &dlarray(9.0)).to_vec(), vec![1.0, 9.0, 3.0]);
/// assert_eq!(assign(&x, 0..2, &0.0).to_vec(), vec![0.0, 0.0, 3.0]);
/// ```
#[track_caller]
pub fn assign<T: Real>(x: &DlArray<T>, idx: impl IndexSpec, v: &impl super::Operand<T>) -> DlArray<T> {
    or_panic(try_assign(x, idx, v))
}

/// Fallible form of [`assign`].
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_assign};
/// assert!(try_assign(&dlarray([1.0, 2.0]), 0..2, &dlarray([1.0, 2.0, 3.0])).is_err());
/// ```
#[track_caller]
pub fn try_assign<T: Real>(x: &DlArray<T>, idx: impl IndexSpec, v: &impl super::Operand<T>) -> Result<DlArray<T>> {
    assign_impl(x.clone(), idx, v).map_err(At::attach(At::caller()))
}

/// [`assign`] consuming `x`: no copy when `x`'s storage is not shared.
#[track_caller]
pub fn try_assign_owned<T: Real>(x: DlArray<T>, idx: impl IndexSpec, v: &impl super::Operand<T>) -> Result<DlArray<T>> {
    assign_impl(x, idx, v).map_err(At::attach(At::caller()))
}

fn assign_impl<T: Real>(mut x: DlArray<T>, idx: impl IndexSpec, v: &impl super::Operand<T>) -> Result<DlArray<T>> {
    let v = v.operand();
    let tag = x.tag.join(v.tag());
    let size = x.size().to_vec();
    if let (Some(k), Some(val)) = (idx.single(&size), v.scalar()) {
        match &mut x.data {
            Data::Scalar(s) => *s = val,
            Data::Array(a) => set_at(std::sync::Arc::make_mut(a), k, val),
        }
        x.tag = tag;
        return Ok(x);
    }
    let sel = idx.select(&size).map_err(|e| bounds_error("subsasgn", &size, e))?;
    let vals: Vec<T> = match v {
        super::Opnd::Scalar(s) => vec![s; sel.positions.len()],
        super::Opnd::Array(a) if a.numel() == 1 => vec![a.get(0); sel.positions.len()],
        super::Opnd::Array(a) => {
            if a.numel() != sel.positions.len() {
                return Err(Error::invalid(
                    "subsasgn",
                    format!(
                        "Unable to perform assignment because the left and right sides have a different number of elements ({} selected, {} given)",
                        sel.positions.len(),
                        a.numel()
                    ),
                ));
            }
            a.to_vec()
        }
    };
    let mut arr = x.into_data();
    for (&k, &val) in sel.positions.iter().zip(&vals) {
        set_at(&mut arr, k, val);
    }
    Ok(DlArray::from_normalized(arr, Format::NONE, tag).retag(tag))
}

/// Adjoint of `assign` for `x`: `x̄ += g` outside the assigned elements.
pub fn assign_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    x: &DlArray<T>,
    idx: impl IndexSpec,
    _v: &impl super::Operand<T>,
) {
    let size = x.size();
    let mut masked = g.view().to_owned();
    if let Some(k) = idx.single(size) {
        set_at(&mut masked, k, T::ZERO);
    } else {
        let sel = idx.select(size).expect("checked in the forward sweep");
        for &k in &sel.positions {
            set_at(&mut masked, k, T::ZERO);
        }
    }
    super::elementwise::acc_array(slot, masked);
}

/// Adjoint of `assign` for `v`: `v̄ += g[idx]` (summed when `v` was 1x1 and filled several elements).
pub fn assign_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    x: &DlArray<T>,
    idx: impl IndexSpec,
    v: &impl super::Operand<T>,
) {
    let size = x.size();
    let positions = match idx.single(size) {
        Some(k) => vec![k],
        None => idx.select(size).expect("checked in the forward sweep").positions,
    };
    let vals: Vec<T> = positions.iter().map(|&k| element(g, k)).collect();
    let vsize = v.operand().size().to_vec();
    if vsize.iter().product::<usize>() == 1 {
        acc_scalar(slot, vals.iter().copied().sum());
    } else {
        let arr = ArrayD::from_shape_vec(IxDyn(&vsize).f(), vals).expect("count checked in the forward sweep");
        super::elementwise::acc_array(slot, arr);
    }
}

impl<T: Real> DlArray<T> {
    /// Indexing as a method: `x.at(idx)` is [`index`]`(&x, idx)`.
    ///
    /// # Example
    ///
    /// ```
    /// let x = autodiff_runtime::dlarray([1.0, 2.0, 3.0]);
    /// assert_eq!(x.at(2).to_vec(), vec![3.0]);
    /// ```
    #[track_caller]
    pub fn at(&self, idx: impl IndexSpec) -> DlArray<T> {
        index(self, idx)
    }
}

#[allow(dead_code)]
fn _tag_is_used(_: Tag) {}

/// The reverse of `x[idx] = v` on the gradient: the gradient of the assigned elements is taken out
/// of the slot (which keeps zeros there) and returned as `v`'s contribution (of `v`'s size, summed
/// when a 1x1 `v` filled several elements). `None` when no gradient reached the slot.
pub(crate) fn assign_reverse<T: Real>(
    slot: &mut DlArray<T>,
    v_size: &[usize],
    idx: impl IndexSpec + Clone,
) -> Option<DlArray<T>> {
    if slot.is_lazy() {
        return None;
    }
    let selected = try_index(slot, idx.clone()).ok()?;
    let cleared = assign_impl(std::mem::take(slot), idx, &DlArray::scalar(T::ZERO)).ok()?;
    *slot = cleared.retag(Tag::UNTRACED);
    let v_numel: usize = v_size.iter().product();
    let c = if v_numel == 1 && selected.numel() != 1 {
        DlArray::scalar(selected.view().iter().copied().sum())
    } else {
        DlArray::from_array(
            ArrayD::from_shape_vec(IxDyn(v_size).f(), selected.to_vec()).ok()?,
            Format::NONE,
            Tag::UNTRACED,
        )
    };
    Some(c)
}

//! Shape primitives, each beside its adjoint. `reshape` follows MATLAB's column-major order. Results are
//! unformatted unless noted.

use ndarray::{ArrayD, Axis, IxDyn, Slice};

use super::elementwise::{acc_array, pad, with_slot_array};
use super::or_panic;
use crate::dlarray::{DlArray, Tag, normalize};
use crate::error::{At, Error, Result};
use crate::{Format, Real, Size};

/// Column-major reshape of a view into `size`.
fn reshape_cm<T: Real>(v: ndarray::ArrayViewD<'_, T>, size: &[usize]) -> ArrayD<T> {
    use ndarray::ShapeBuilder;
    // column-major data: one copy of the memory, into a pooled buffer when large
    let mut out = crate::pool::vec_for(v.len());
    match super::colmajor::slice(&v) {
        Some(s) => out.extend_from_slice(s),
        // other layouts: the elements in column-major order
        None => out.extend(v.view().reversed_axes().iter().copied()),
    }
    ArrayD::from_shape_vec(IxDyn(size).f(), out).expect("element count checked")
}

/// Column-major reshape (MATLAB `reshape`): the elements keep their linear order.
///
/// # Panics
///
/// When the element count differs, at the caller.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::reshape};
///
/// let x = dlarray([[1.0, 2.0], [3.0, 4.0]]);
/// assert_eq!(reshape(&x, &[1, 4]).to_vec(), vec![1.0, 3.0, 2.0, 4.0]);
/// ```
#[track_caller]
pub fn reshape<T: Real>(x: &DlArray<T>, size: &[usize]) -> DlArray<T> {
    or_panic(try_reshape(x, size))
}

/// Fallible form of [`reshape`].
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_reshape};
/// assert!(try_reshape(&dlarray([1.0, 2.0, 3.0]), &[2, 2]).is_err());
/// ```
#[track_caller]
pub fn try_reshape<T: Real>(x: &DlArray<T>, size: &[usize]) -> Result<DlArray<T>> {
    let n: usize = size.iter().product();
    if n != x.numel() {
        return Err(Error::size_mismatch("reshape", x.size(), size).at(At::caller()));
    }
    Ok(DlArray::from_array(reshape_cm(x.view(), size), Format::NONE, x.tag))
}
/// Adjoint of `reshape`: `x̄ += reshape(g, size(x))`.
pub fn reshape_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>, _size: &[usize]) {
    acc_array(slot, reshape_cm(g.view(), x.size()));
}

/// Rearranges dimensions (MATLAB `permute`, 0-based): dimension `k` of the result is dimension
/// `order[k]` of `x`. `order` may name singleton dimensions beyond the last.
///
/// # Panics
///
/// When `order` is not a permutation covering every dimension of `x`, at the caller.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{zeros, ops::permute};
/// assert_eq!(permute(&zeros::<f64>(&[2, 3, 4]), &[2, 0, 1]).size(), &[4, 2, 3]);
/// ```
#[track_caller]
pub fn permute<T: Real>(x: &DlArray<T>, order: &[usize]) -> DlArray<T> {
    or_panic(try_permute(x, order))
}

/// Fallible form of [`permute`].
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_permute};
/// assert!(try_permute(&dlarray([1.0, 2.0]), &[0, 0]).is_err());
/// ```
#[track_caller]
pub fn try_permute<T: Real>(x: &DlArray<T>, order: &[usize]) -> Result<DlArray<T>> {
    let n = order.len();
    let mut seen = vec![false; n];
    let valid = n >= x.ndims() && order.iter().all(|&d| d < n && !std::mem::replace(&mut seen[d], true));
    if !valid {
        return Err(Error::invalid(
            "permute",
            format!(
                "{order:?} is not a permutation of the {} dimensions of a {} array",
                x.ndims().max(n),
                Size::from(x.size())
            ),
        )
        .at(At::caller()));
    }
    let v = pad(x.view(), n).permuted_axes(IxDyn(order));
    Ok(DlArray::from_array(v.as_standard_layout().into_owned(), Format::NONE, x.tag))
}
/// Adjoint of `permute`: `x̄ += permute(g, inverse(order))`.
pub fn permute_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>, order: &[usize]) {
    let mut inv = vec![0; order.len()];
    for (k, &d) in order.iter().enumerate() {
        inv[d] = k;
    }
    let v = pad(g.view(), order.len()).permuted_axes(IxDyn(&inv));
    acc_array(
        slot,
        normalize(v.as_standard_layout().into_owned(), 0).into_shape_with_order(IxDyn(x.size())).expect("size"),
    );
}

/// Removes singleton dimensions (MATLAB `squeeze`); at least two dimensions remain, and a matrix is
/// returned unchanged. Formats are dropped.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{zeros, ops::squeeze};
/// assert_eq!(squeeze(&zeros::<f64>(&[1, 1, 3])).size(), &[3, 1]);
/// ```
pub fn squeeze<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    if x.ndims() <= 2 {
        let mut y = x.clone();
        y.fmt = Format::NONE;
        return y;
    }
    let mut size: Vec<usize> = x.size().iter().copied().filter(|&d| d != 1).collect();
    while size.len() < 2 {
        size.push(1);
    }
    DlArray::from_array(x.view().to_shape(IxDyn(&size)).expect("same count").into_owned(), Format::NONE, x.tag)
}
/// Adjoint of `squeeze`: `x̄ += reshape(g, size(x))`.
pub fn squeeze_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>) {
    acc_array(slot, g.view().to_shape(IxDyn(x.size())).expect("same count").into_owned());
}

/// Tiles `x` `reps[k]` times along dimension `k` (MATLAB `repmat`). The format is kept.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::repmat};
/// assert_eq!(repmat(&dlarray([1.0, 2.0]), &[2, 2]).to_vec(), vec![1.0, 1.0, 2.0, 2.0, 1.0, 1.0, 2.0, 2.0]);
/// ```
#[track_caller]
pub fn repmat<T: Real>(x: &DlArray<T>, reps: &[usize]) -> DlArray<T> {
    or_panic(try_repmat(x, reps))
}

/// Fallible form of [`repmat`] (kept for the uniform `try_` surface).
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_repmat};
/// assert_eq!(try_repmat(&dlarray(3.0), &[1, 3]).unwrap().size(), &[1, 3]);
/// ```
#[track_caller]
pub fn try_repmat<T: Real>(x: &DlArray<T>, reps: &[usize]) -> Result<DlArray<T>> {
    let n = reps.len().max(x.ndims());
    let xv = pad(x.view(), n);
    let mut out_size = xv.shape().to_vec();
    for (k, r) in reps.iter().enumerate() {
        out_size[k] *= r;
    }
    let out_size_c = out_size.clone();
    let out = ArrayD::from_shape_fn(IxDyn(&out_size), |idx| {
        let src: Vec<usize> = (0..n).map(|k| idx[k] % xv.shape()[k]).collect();
        xv[IxDyn(&src)]
    });
    let _ = out_size_c;
    Ok(DlArray::from_array(out, x.fmt, x.tag))
}
/// Adjoint of `repmat`: `x̄ += Σ over tiles of g`.
pub fn repmat_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>, _reps: &[usize]) {
    let size = x.size().to_vec();
    let gv = g.view();
    let n = gv.ndim().max(size.len());
    let gv = pad(gv, n);
    let mut xs = size.clone();
    xs.resize(n, 1);
    let mut acc = ArrayD::<T>::zeros(IxDyn(&xs));
    for (idx, &v) in gv.indexed_iter() {
        let src: Vec<usize> = (0..n).map(|k| idx[k] % xs[k]).collect();
        acc[IxDyn(&src)] += v;
    }
    acc_array(slot, normalize(acc, 0).to_shape(IxDyn(&size)).expect("size").into_owned());
}

/// Concatenates arrays along dimension `dim` (0-based; MATLAB `cat(dim+1, ...)`): all other sizes must
/// agree. The first operand's format is kept.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::cat};
/// let c = cat(1, &[&dlarray([1.0]), &dlarray([2.0, 3.0])]);
/// assert_eq!(c.to_vec(), vec![1.0, 2.0, 3.0]);
/// ```
#[track_caller]
pub fn cat<T: Real>(dim: usize, xs: &[&DlArray<T>]) -> DlArray<T> {
    or_panic(try_cat(dim, xs))
}

/// Fallible form of [`cat`]: `Err(SizeMismatch)` naming the first pair of sizes that disagree.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_cat};
/// assert!(try_cat(0, &[&dlarray([1.0]), &dlarray([2.0, 3.0])]).is_err());
/// ```
#[track_caller]
pub fn try_cat<T: Real>(dim: usize, xs: &[&DlArray<T>]) -> Result<DlArray<T>> {
    let Some(first) = xs.first() else {
        return Err(Error::invalid("cat", "nothing to concatenate").at(At::caller()));
    };
    let n = xs.iter().map(|x| x.ndims()).max().unwrap_or(2).max(dim + 1);
    let views: Vec<_> = xs.iter().map(|x| pad(x.view(), n)).collect();
    for (x, v) in xs.iter().zip(&views).skip(1) {
        let ok = (0..n).all(|k| k == dim || v.shape()[k] == views[0].shape()[k]);
        if !ok {
            return Err(Error::size_mismatch("cat", first.size(), x.size()).at(At::caller()));
        }
    }
    let out = ndarray::concatenate(Axis(dim), &views).expect("sizes checked");
    let tag = xs.iter().fold(Tag::UNTRACED, |t, x| t.join(x.tag));
    Ok(DlArray::from_array(out, first.fmt, tag))
}
/// Adjoint of `cat` for operand `i`: `x̄ᵢ += g` restricted to operand `i`'s slab.
pub fn cat_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    dim: usize,
    xs: &[&DlArray<T>],
    i: usize,
) {
    let start: usize = xs[..i].iter().map(|x| x.size_of(dim)).sum();
    let len = xs[i].size_of(dim);
    let n = g.ndims().max(dim + 1);
    let gv = pad(g.view(), n);
    let part = gv.slice_axis(Axis(dim), Slice::from(start..start + len)).to_owned();
    acc_array(slot, normalize(part, 0).to_shape(IxDyn(xs[i].size())).expect("slab size").into_owned());
}

/// Reverses the order of elements along dimension `dim` (0-based; MATLAB `flip(x, dim+1)`). The format
/// is kept.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::flip};
/// assert_eq!(flip(&dlarray([1.0, 2.0, 3.0]), 1).to_vec(), vec![3.0, 2.0, 1.0]);
/// ```
#[track_caller]
pub fn flip<T: Real>(x: &DlArray<T>, dim: usize) -> DlArray<T> {
    or_panic(try_flip(x, dim))
}

/// Fallible form of [`flip`] (kept for the uniform `try_` surface).
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_flip};
/// assert_eq!(try_flip(&dlarray([[1.0], [2.0]]), 0).unwrap().to_vec(), vec![2.0, 1.0]);
/// ```
#[track_caller]
pub fn try_flip<T: Real>(x: &DlArray<T>, dim: usize) -> Result<DlArray<T>> {
    if dim >= x.ndims() {
        return Ok(x.clone());
    }
    let v = x.view();
    let f = v.slice_axis(Axis(dim), Slice::new(0, None, -1));
    Ok(DlArray::from_normalized(f.as_standard_layout().into_owned(), x.fmt, x.tag))
}
/// Adjoint of `flip`: `x̄ += flip(g)`.
pub fn flip_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>, dim: usize) {
    if dim >= x.ndims() {
        return super::elementwise::acc(slot, g);
    }
    let gv = g.view();
    let size = x.size().to_vec();
    with_slot_array(slot, &size, |s| {
        let f = gv.slice_axis(Axis(dim), Slice::new(0, None, -1));
        ndarray::Zip::from(s).and(f).for_each(|s, &v| *s += v);
    });
}

//! Matrix product and transpose, each beside its adjoints. Products run on `ndarray`'s optimized
//! kernels; the adjoints accumulate in place with `general_mat_mul` (`C ← A·B + C`, no temporary).

use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, Ix2};

use super::elementwise::{acc_array, materialize, slot_mut};
use super::or_panic;
use crate::dlarray::{DlArray, Tag};
use crate::error::{At, Error, Result};
use crate::{Format, Real};

fn as2<T: Real>(x: &DlArray<T>) -> Option<ArrayView2<'_, T>> {
    x.view().into_dimensionality::<Ix2>().ok()
}

/// Matrix product `a·b` (MATLAB `mtimes`, `a*b`). A 1x1 operand scales the other elementwise, as in
/// MATLAB. The result is unformatted.
///
/// # Panics
///
/// When the inner dimensions differ or an operand has more than two dimensions, at the caller.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::matmul};
///
/// let a = dlarray([[1.0, 2.0], [3.0, 4.0]]);
/// let b = dlarray([[1.0], [1.0]]);
/// assert_eq!(matmul(&a, &b).to_vec(), vec![3.0, 7.0]);
/// ```
#[track_caller]
pub fn matmul<T: Real>(a: &DlArray<T>, b: &DlArray<T>) -> DlArray<T> {
    or_panic(try_matmul(a, b))
}

/// Fallible form of [`matmul`]: `Err(SizeMismatch)` naming `mtimes` and both sizes.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_matmul};
/// let e = try_matmul(&dlarray([[1.0, 2.0]]), &dlarray([[1.0, 2.0]])).unwrap_err();
/// assert!(e.to_string().contains("1x2 and 1x2"));
/// ```
#[track_caller]
pub fn try_matmul<T: Real>(a: &DlArray<T>, b: &DlArray<T>) -> Result<DlArray<T>> {
    if a.is_scalar() || b.is_scalar() {
        return super::try_times(a, b).map(|mut y| {
            y.fmt = Format::NONE;
            y
        });
    }
    let (Some(av), Some(bv)) = (as2(a), as2(b)) else {
        return Err(Error::size_mismatch("mtimes", a.size(), b.size()).at(At::caller()));
    };
    if av.ncols() != bv.nrows() {
        return Err(Error::size_mismatch("mtimes", a.size(), b.size()).at(At::caller()));
    }
    let out = product(&av, &bv).into_dyn();
    Ok(DlArray::from_normalized(out, Format::NONE, a.tag.join(b.tag)))
}

/// Adjoint of `matmul` for `a`: `ā += g·bᵀ`.
pub fn matmul_adj0<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, a: &DlArray<T>, b: &DlArray<T>) {
    if a.is_scalar() || b.is_scalar() {
        return super::binary::times_adj0(slot, g, out, a, b);
    }
    let (gv, bv) = (as2(g).expect("2-D"), as2(b).expect("2-D"));
    mat_acc(slot, a.size(), gv, bv.t());
}

/// Adjoint of `matmul` for `b`: `b̄ += aᵀ·g`.
pub fn matmul_adj1<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, a: &DlArray<T>, b: &DlArray<T>) {
    if a.is_scalar() || b.is_scalar() {
        return super::binary::times_adj1(slot, g, out, a, b);
    }
    let (gv, av) = (as2(g).expect("2-D"), as2(a).expect("2-D"));
    mat_acc(slot, b.size(), av.t(), gv);
}

/// `l·r` into a new column-major array (a pooled buffer when large).
pub(crate) fn product<T: Real>(l: &ArrayView2<'_, T>, r: &ArrayView2<'_, T>) -> ndarray::Array2<T> {
    let (m, n) = (l.nrows(), r.ncols());
    // column-major, as every array the runtime makes
    let mut out = crate::pool::zeros_f::<T>(&[m, n]).into_dimensionality::<Ix2>().expect("2-D");
    general_mat_mul(T::ONE, l, r, T::ZERO, &mut out);
    out
}

/// `slot += l·r`, in place when the slot is already an array.
pub(crate) fn mat_acc<T: Real>(slot: &mut DlArray<T>, size: &[usize], l: ArrayView2<'_, T>, r: ArrayView2<'_, T>) {
    if slot.is_lazy() || slot.is_scalar() {
        let prod = product(&l, &r).into_dyn();
        if slot.is_lazy() {
            *slot = DlArray::from_normalized(prod, Format::NONE, Tag::UNTRACED);
        } else {
            acc_array(slot, prod);
        }
        return;
    }
    materialize(slot, size);
    let s = slot_mut(slot);
    let mut s2 = s.view_mut().into_dimensionality::<Ix2>().expect("2-D slot");
    general_mat_mul(T::ONE, &l, &r, T::ONE, &mut s2);
}

/// Transpose of a matrix (MATLAB `transpose`, `x.'`). Formats are dropped.
///
/// # Panics
///
/// For arrays with more than two dimensions (use [`permute`](super::permute)), at the caller.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::transpose};
/// assert_eq!(transpose(&dlarray([1.0, 2.0])).size(), &[2, 1]);
/// ```
#[track_caller]
pub fn transpose<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    or_panic(try_transpose(x))
}

/// Fallible form of [`transpose`].
///
/// # Example
///
/// ```
/// use autodiff_runtime::{zeros, ops::try_transpose};
/// assert!(try_transpose(&zeros::<f64>(&[2, 2, 2])).is_err());
/// ```
#[track_caller]
pub fn try_transpose<T: Real>(x: &DlArray<T>) -> Result<DlArray<T>> {
    if let Some(v) = x.scalar_value() {
        return Ok(DlArray { data: crate::dlarray::Data::Scalar(v), fmt: Format::NONE, tag: x.tag });
    }
    let Some(v) = as2(x) else {
        return Err(Error::invalid(
            "transpose",
            format!("transpose is defined for matrices, not a {} array; use permute", crate::Size::from(x.size())),
        )
        .at(At::caller()));
    };
    Ok(DlArray::from_normalized(v.t().as_standard_layout().into_owned().into_dyn(), Format::NONE, x.tag))
}

/// Adjoint of `transpose`: `x̄ += gᵀ`.
pub fn transpose_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>) {
    match (g.scalar_value(), as2(g)) {
        (Some(v), _) => super::elementwise::acc_scalar(slot, v),
        (None, Some(gv)) => {
            let _ = x;
            acc_array(slot, gv.t().as_standard_layout().into_owned().into_dyn());
        }
        (None, None) => unreachable!("transpose output is 2-D"),
    }
}

/// `transpose` restricted to 2-D inputs for the gradient-check harness (same kernel).
#[doc(hidden)]
pub fn transpose_2d<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    if x.ndims() == 2 { transpose(x) } else { x.clone() }
}
/// Adjoint pairing [`transpose_2d`].
#[doc(hidden)]
pub fn transpose_adj_2d<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>) {
    if x.ndims() == 2 { transpose_adj(slot, g, out, x) } else { super::elementwise::acc(slot, g) }
}

//! Primitive operations. Each primitive's forward kernel and adjoint kernel(s) sit side by side in
//! the file of its family, with the math in one doc line:
//!
//! | file | primitives |
//! |---|---|
//! | `binary` | `plus minus times rdivide power atan2 hypot maximum minimum` (implicit expansion) |
//! | `unary` | `uminus exp log log1p sqrt abs sign sin cos tan asin acos atan sinh cosh tanh erf powi powf floor ceil round fix` |
//! | `activation` | `relu leakyrelu gelu sigmoid softplus` |
//! | `reduce` | `sum mean prod max min cumsum norm var std logsumexp` |
//! | `linalg` | `matmul transpose` |
//! | `shape` | `reshape permute squeeze repmat cat flip` |
//! | `index` | indexing and indexed assignment |
//! | `compare` | `eq ne lt le gt ge and or not` (untraced results) |
//! | `nn` | `fullyconnect softmax crossentropy mse l1loss l2loss huber` |
//!
//! Adjoint kernels are named `<op>_adj` (one differentiable operand) or `<op>_adj<i>` (operand `i`).
//! They all have the shape `fn(slot, g, <what the rule needs>)` and **accumulate into `slot`**: the first
//! contribution to a lazily-zero slot moves in (no zero array is built), later ones add in place. They
//! are called by the code `#[differentiable]` generates, through `autodiff::__private`.
//!
//! Shape errors: every fallible primitive has a panicking form (`plus`, `#[track_caller]`, panics at the
//! caller) and a `try_` form returning [`Error`](crate::Error) with the operation, both sizes and the
//! caller's location.
//!
//! # Example
//!
//! ```
//! use autodiff_runtime::{dlarray, ops::{exp, plus, try_plus}};
//!
//! let x = dlarray([0.0, 1.0]);
//! assert_eq!(plus(&exp(&x), &1.0).to_vec(), vec![2.0, 1.0 + 1.0_f64.exp()]);
//! assert!(try_plus(&x, &dlarray([1.0, 2.0, 3.0])).is_err()); // 1x2 and 1x3 do not expand
//! ```

pub(crate) mod activation;
pub(crate) mod binary;
pub(crate) mod colmajor;
pub(crate) mod compare;
pub(crate) mod elementwise;
pub(crate) mod index;
pub(crate) mod linalg;
pub(crate) mod nn;
pub(crate) mod reduce;
pub(crate) mod shape;
mod std_ops;
pub use std_ops::Number;
pub(crate) mod unary;

pub use activation::{gelu, leakyrelu, relu, sigmoid, softplus};
pub use binary::{
    atan2, hypot, maximum, minimum, minus, plus, power, rdivide, times, try_atan2, try_hypot, try_maximum, try_minimum,
    try_minus, try_plus, try_power, try_rdivide, try_times,
};
pub use compare::{
    and, eq, ge, gt, le, lt, ne, not, or, try_and, try_eq, try_ge, try_gt, try_le, try_lt, try_ne, try_or,
};
pub use index::{IndexSpec, assign, index, try_assign, try_index};
pub use linalg::{matmul, transpose, try_matmul, try_transpose};
pub use nn::{
    crossentropy, fullyconnect, huber, l1loss, l2loss, mse, softmax, try_crossentropy, try_fullyconnect, try_huber,
    try_l1loss, try_l2loss, try_mse,
};
pub use reduce::{
    cumsum, logsumexp, max, mean, min, norm, prod, std, sum, try_cumsum, try_logsumexp, try_max, try_mean, try_min,
    try_prod, try_std, try_sum, try_var, var,
};
pub use shape::{
    cat, flip, permute, repmat, reshape, squeeze, try_cat, try_flip, try_permute, try_repmat, try_reshape,
};
pub use unary::{
    abs, acos, asin, atan, ceil, cos, cosh, erf, exp, fix, floor, log, log1p, powf, powi, round, sign, sin, sinh, sqrt,
    tan, tanh, uminus,
};

use crate::dlarray::{DlArray, Tag};
use crate::{Format, Real};

/// An operand of an elementwise operation: a dlarray, or a plain number (`f64`, `f32`, `i32`, `i64`,
/// `u32`, `usize`) that acts as a 1x1 constant.
///
/// Mixing precisions follows MATLAB: a `double` number combined with `single` data gives `single`.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::times};
///
/// let x = dlarray([1.0_f32, 2.0]);
/// let y = times(&0.5, &x); // an f64 literal with f32 data: the result is f32
/// assert_eq!(y.to_vec(), vec![0.5_f32, 1.0]);
/// let z = times(&x, &3); // integers are accepted as constants too
/// assert_eq!(z.to_vec(), vec![3.0_f32, 6.0]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an operand of a dlarray operation with element type `{T}`",
    note = "operands are dlarrays of the same element type, or plain numbers"
)]
pub trait Operand<T: Real> {
    /// The operand as an array reference or a scalar value.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::ops::{Operand, Opnd};
    /// assert!(matches!(Operand::<f32>::operand(&3), Opnd::Scalar(v) if v == 3.0));
    /// ```
    fn operand(&self) -> Opnd<'_, T>;
}

/// A borrowed operand: an array, or a scalar constant.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::{Operand, Opnd}};
///
/// assert!(matches!(Operand::<f64>::operand(&2.5), Opnd::Scalar(v) if v == 2.5));
/// assert!(matches!(dlarray([1.0, 2.0]).operand(), Opnd::Array(a) if a.numel() == 2));
/// ```
#[derive(Clone, Copy)]
pub enum Opnd<'a, T: Real> {
    /// A plain number.
    Scalar(T),
    /// A dlarray.
    Array(&'a DlArray<T>),
}

impl<T: Real> Operand<T> for DlArray<T> {
    #[inline]
    fn operand(&self) -> Opnd<'_, T> {
        Opnd::Array(self)
    }
}

impl<T: Real, O: Operand<T> + ?Sized> Operand<T> for &O {
    #[inline]
    fn operand(&self) -> Opnd<'_, T> {
        (**self).operand()
    }
}

macro_rules! scalar_operand {
    ($($t:ty),*) => {$(
        impl<T: Real> Operand<T> for $t {
            #[inline]
            fn operand(&self) -> Opnd<'_, T> {
                Opnd::Scalar(T::from_f64(*self as f64))
            }
        }
    )*};
}
scalar_operand!(f64, f32, i32, i64, u32, usize);

impl<'a, T: Real> Opnd<'a, T> {
    /// The scalar value, for a plain number or a 1x1 array.
    #[inline]
    pub(crate) fn scalar(&self) -> Option<T> {
        match self {
            Opnd::Scalar(v) => Some(*v),
            Opnd::Array(a) => a.scalar_value(),
        }
    }

    #[inline]
    pub(crate) fn size(&self) -> &[usize] {
        match self {
            Opnd::Scalar(_) => &[1, 1],
            Opnd::Array(a) => a.size(),
        }
    }

    #[inline]
    pub(crate) fn tag(&self) -> Tag {
        match self {
            Opnd::Scalar(_) => Tag::UNTRACED,
            Opnd::Array(a) => a.tag,
        }
    }

    #[inline]
    pub(crate) fn fmt(&self) -> Format {
        match self {
            Opnd::Scalar(_) => Format::NONE,
            Opnd::Array(a) => a.fmt,
        }
    }

    /// The data, padded to `n` dimensions for [`elementwise::expand`].
    pub(crate) fn cow(&self, n: usize) -> ndarray::CowArray<'a, T, ndarray::IxDyn> {
        match *self {
            Opnd::Scalar(v) => ndarray::ArrayD::from_elem(ndarray::IxDyn(&vec![1; n.max(2)]), v).into(),
            Opnd::Array(a) => elementwise::cow(a.view(), n),
        }
    }
}

/// Which dimensions a reduction runs over: all of them, or a list of 0-based dimensions.
///
/// Built from [`All`], a `usize`, an array or a slice of `usize`.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, All, ops::sum};
///
/// let x = dlarray([[1.0, 2.0], [3.0, 4.0]]);
/// assert_eq!(sum(&x, All).to_vec(), vec![10.0]);
/// assert_eq!(sum(&x, 0).to_vec(), vec![4.0, 6.0]); // MATLAB sum(x, 1): column sums, 1x2
/// assert_eq!(sum(&x, [0, 1]).to_vec(), vec![10.0]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dims {
    /// Every dimension: the result is 1x1 (MATLAB's `'all'`).
    All,
    /// The listed dimensions (0-based); the others are kept.
    List(Vec<usize>),
}

/// Marker for "all dimensions" in reductions, MATLAB's `'all'`.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, All};
/// assert_eq!(dlarray([1.0, 2.0, 3.0]).sum(All).to_vec(), vec![6.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct All;

impl From<All> for Dims {
    fn from(_: All) -> Dims {
        Dims::All
    }
}
impl From<usize> for Dims {
    fn from(d: usize) -> Dims {
        Dims::List(vec![d])
    }
}
impl From<i32> for Dims {
    fn from(d: i32) -> Dims {
        Dims::List(vec![d.max(0) as usize])
    }
}
impl<const N: usize> From<[usize; N]> for Dims {
    fn from(d: [usize; N]) -> Dims {
        Dims::List(d.to_vec())
    }
}
impl From<&[usize]> for Dims {
    fn from(d: &[usize]) -> Dims {
        Dims::List(d.to_vec())
    }
}
impl From<Vec<usize>> for Dims {
    fn from(d: Vec<usize>) -> Dims {
        Dims::List(d)
    }
}
impl From<&Dims> for Dims {
    fn from(d: &Dims) -> Dims {
        d.clone()
    }
}

impl Dims {
    /// Whether dimension `k` of an `ndim`-dimensional array is reduced.
    pub(crate) fn mask(&self, ndim: usize) -> Vec<bool> {
        match self {
            Dims::All => vec![true; ndim],
            Dims::List(l) => (0..ndim).map(|k| l.contains(&k)).collect(),
        }
    }
}

/// Runs a fallible kernel for a panicking public function: panics at the caller with the error's text.
#[track_caller]
#[inline]
pub(crate) fn or_panic<R>(r: crate::Result<R>) -> R {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{}", e.at(crate::error::At::caller())),
    }
}

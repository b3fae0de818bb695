//! [`DlArray`]: the value type of the library.
//!
//! - `construct`: `dlarray(..)`, formatted construction, `zeros/ones/rand/randn` creators;
//! - `format`: dimension labels and their rules;
//! - `display`: MATLAB-style printing;
//! - `convert`: to and from `ndarray`, `serde`.

pub(crate) mod construct;
mod convert;
mod display;
pub(crate) mod format;

use crate::pool::Shared;

use ndarray::{ArrayD, ArrayViewD, IxDyn};

use crate::Real;
use crate::error::{Error, Result};
use format::{Format, Label};

/// A deep-learning array: `f64` (default) or `f32` data with MATLAB's shape conventions, optional
/// dimension labels, and a small trace tag.
///
/// - **Shape**: at least two dimensions, as in MATLAB (`size` of a scalar is `1x1`, a vector literal is
///   `1xN`); trailing singleton dimensions beyond the second (or beyond the labelled ones) are dropped.
///   Linear indexing and `reshape` follow MATLAB's column-major order.
/// - **Storage**: shared. `clone` is an atomic increment; mutation copies on write. A scalar (`1x1`)
///   is stored inline and never allocates.
/// - **Format**: [`dims`](DlArray::dims) gives the labels (`"CB"`, `"SSCB"`, or `""`).
/// - **Tracing**: inside [`dlfeval`](crate::dlfeval), inputs and the values computed from them carry the
///   call's trace tag; [`extractdata`](DlArray::extractdata) and values created inside the function do not.
///
/// # Example
///
/// ```
/// use autodiff_runtime::dlarray;
///
/// let x = dlarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
/// assert_eq!(x.size(), &[2, 3]);
/// assert_eq!(x.numel(), 6);
/// assert_eq!(x.get(1), 4.0); // column-major linear index, as MATLAB's x(2)
/// let y = &x * 2.0;
/// assert_eq!(y.get(5), 12.0);
/// ```
#[derive(Clone)]
pub struct DlArray<T: Real = f64> {
    pub(crate) data: Data<T>,
    pub(crate) fmt: Format,
    pub(crate) tag: Tag,
}

/// Storage: one inline value, or shared `ndarray` data (at least two dimensions, never exactly one
/// element).
#[derive(Clone)]
pub(crate) enum Data<T: Real> {
    Scalar(T),
    Array(Shared<T>),
}

/// The trace tag: the id of the `dlfeval` call whose inputs this value depends on (0: untraced), and
/// whether this is a not-yet-materialized zero adjoint (`lazy`), used only by generated adjoint code.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub(crate) struct Tag {
    pub(crate) id: u32,
    pub(crate) lazy: bool,
}

impl Tag {
    pub(crate) const UNTRACED: Tag = Tag { id: 0, lazy: false };

    /// The tag of a value computed from two others: the common id, the one non-zero id, or (mixing
    /// values of nested `dlfeval` calls) the innermost live one.
    #[inline]
    pub(crate) fn join(self, other: Tag) -> Tag {
        let id = if self.id == other.id || other.id == 0 {
            self.id
        } else if self.id == 0 {
            other.id
        } else {
            crate::trace::innermost(self.id, other.id)
        };
        Tag { id, lazy: false }
    }
}

static ONES: [usize; format::MAX_DIMS + 2] = [1; format::MAX_DIMS + 2];

impl<T: Real> DlArray<T> {
    /// A 1x1 array (no allocation).
    #[inline]
    pub(crate) fn scalar(v: T) -> Self {
        DlArray { data: Data::Scalar(v), fmt: Format::NONE, tag: Tag::UNTRACED }
    }

    /// Wraps `ndarray` data that already has MATLAB's shape conventions applied by [`normalize`].
    #[inline]
    pub(crate) fn from_normalized(arr: ArrayD<T>, fmt: Format, tag: Tag) -> Self {
        let data = if arr.len() == 1 {
            Data::Scalar(*arr.iter().next().expect("one element"))
        } else {
            Data::Array(Shared::new(arr))
        };
        DlArray { data, fmt, tag }
    }

    /// Wraps any `ndarray` data: pads to two dimensions (a 1-D array becomes a row) and drops trailing
    /// singleton dimensions beyond the second and beyond `fmt`.
    pub(crate) fn from_array(arr: ArrayD<T>, fmt: Format, tag: Tag) -> Self {
        Self::from_normalized(normalize(arr, fmt.len()), fmt, tag)
    }

    /// The same data with another tag.
    #[inline]
    pub(crate) fn retag(mut self, tag: Tag) -> Self {
        self.tag = tag;
        self
    }

    /// The size, MATLAB-style: at least two entries. A scalar returns a static slice (no allocation).
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::dlarray;
    ///
    /// assert_eq!(dlarray(3.0).size(), &[1, 1]);
    /// assert_eq!(dlarray([1.0, 2.0]).size(), &[1, 2]);
    /// ```
    #[inline]
    pub fn size(&self) -> &[usize] {
        match &self.data {
            Data::Scalar(_) => &ONES[..self.fmt.len().max(2)],
            Data::Array(a) => a.shape(),
        }
    }

    /// The size along dimension `dim` (0-based); 1 beyond the last dimension, as in MATLAB.
    ///
    /// # Example
    ///
    /// ```
    /// let x = autodiff_runtime::dlarray([[1.0, 2.0, 3.0]]);
    /// assert_eq!((x.size_of(0), x.size_of(1), x.size_of(7)), (1, 3, 1));
    /// ```
    pub fn size_of(&self, dim: usize) -> usize {
        self.size().get(dim).copied().unwrap_or(1)
    }

    /// Number of elements.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([[1.0, 2.0], [3.0, 4.0]]).numel(), 4);
    /// ```
    #[inline]
    pub fn numel(&self) -> usize {
        match &self.data {
            Data::Scalar(_) => 1,
            Data::Array(a) => a.len(),
        }
    }

    /// Number of dimensions (at least 2).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray(1.0).ndims(), 2);
    /// ```
    pub fn ndims(&self) -> usize {
        self.size().len()
    }

    /// True for a 1x1 array.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(autodiff_runtime::dlarray(1.0).is_scalar());
    /// ```
    #[inline]
    pub fn is_scalar(&self) -> bool {
        matches!(self.data, Data::Scalar(_))
    }

    /// True when the array has no elements.
    ///
    /// # Example
    ///
    /// ```
    /// let e: autodiff_runtime::DlArray = autodiff_runtime::dlarray(Vec::<f64>::new());
    /// assert!(e.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.numel() == 0
    }

    /// The dimension format as a string (`""` when unformatted), MATLAB's `dims(X)`.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{dlarray, dlarray_fmt};
    ///
    /// assert_eq!(dlarray([1.0]).dims(), "");
    /// assert_eq!(dlarray_fmt([[1.0, 2.0]], "BC").unwrap().dims(), "CB");
    /// ```
    pub fn dims(&self) -> String {
        self.fmt.to_string()
    }

    /// The dimension format.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{dlarray_fmt, Label};
    /// assert_eq!(dlarray_fmt([[1.0]], "CB").unwrap().format().labels(), &[Label::C, Label::B]);
    /// ```
    pub fn format(&self) -> Format {
        self.fmt
    }

    /// The 0-based indices of the dimensions labelled `label`, MATLAB's `finddim` (minus one).
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{dlarray_fmt, Label};
    ///
    /// let x = dlarray_fmt(ndarray::Array::<f64, _>::zeros(ndarray::IxDyn(&[3, 3, 2, 4])), "SSCB").unwrap();
    /// assert_eq!(x.finddim(Label::S), vec![0, 1]);
    /// assert_eq!(x.finddim(Label::B), vec![3]);
    /// assert!(x.finddim(Label::T).is_empty());
    /// ```
    pub fn finddim(&self, label: Label) -> Vec<usize> {
        self.fmt.find(label)
    }

    /// The same data without dimension labels, MATLAB's `stripdims`. The data keeps its canonical
    /// (permuted) order. Tracing is kept.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::dlarray_fmt;
    ///
    /// let x = dlarray_fmt([[1.0, 2.0, 3.0]], "BC").unwrap(); // stored as 3(C) x 1(B)
    /// let y = x.stripdims();
    /// assert_eq!(y.dims(), "");
    /// assert_eq!(y.size(), &[3, 1]);
    /// ```
    pub fn stripdims(&self) -> DlArray<T> {
        let mut out = self.clone();
        out.fmt = Format::NONE;
        if let Data::Array(a) = &out.data
            && a.ndim() > 2
            && a.shape()[2..].iter().all(|&d| d == 1)
        {
            let arr = normalize(ArrayD::clone(a), 0);
            out.data = Data::Array(Shared::new(arr));
        }
        out
    }

    /// The plain data as an `ndarray` array in storage (canonical) order, MATLAB's `extractdata`.
    ///
    /// The result is **untraced** by nature: it is an `ndarray` value, and wrapping it again with
    /// [`dlarray`](fn@crate::dlarray) makes a new, independent constant. One copy, unless the storage is not
    /// shared (then none is needed by [`into_data`](DlArray::into_data)).
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::dlarray;
    ///
    /// let x = dlarray([[1.0, 2.0], [3.0, 4.0]]);
    /// let a = x.extractdata();
    /// assert_eq!(a[[1, 0]], 3.0);
    /// ```
    pub fn extractdata(&self) -> ArrayD<T> {
        match &self.data {
            Data::Scalar(v) => ArrayD::from_elem(IxDyn(self.size()), *v),
            Data::Array(a) => ArrayD::clone(a),
        }
    }

    /// Like [`extractdata`](DlArray::extractdata), consuming the array: free when the storage is not shared.
    ///
    /// # Example
    ///
    /// ```
    /// let a = autodiff_runtime::dlarray([1.0, 2.0]).into_data();
    /// assert_eq!(a.shape(), &[1, 2]);
    /// ```
    pub fn into_data(self) -> ArrayD<T> {
        match self.data {
            Data::Scalar(v) => ArrayD::from_elem(IxDyn(&ONES[..self.fmt.len().max(2)]), v),
            Data::Array(a) => a.into_array(),
        }
    }

    /// A read-only `ndarray` view of the data (no copy).
    ///
    /// # Example
    ///
    /// ```
    /// let x = autodiff_runtime::dlarray([[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(x.view().sum(), 10.0);
    /// ```
    pub fn view(&self) -> ArrayViewD<'_, T> {
        match &self.data {
            Data::Scalar(v) => ArrayViewD::from_shape(IxDyn(self.size()), std::slice::from_ref(v)).expect("1 element"),
            Data::Array(a) => a.view(),
        }
    }

    /// The value of a 1x1 array; `None` for any other size.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::dlarray;
    ///
    /// assert_eq!(dlarray(2.5).scalar_value(), Some(2.5));
    /// assert_eq!(dlarray([1.0, 2.0]).scalar_value(), None);
    /// ```
    #[inline]
    pub fn scalar_value(&self) -> Option<T> {
        match &self.data {
            Data::Scalar(v) => Some(*v),
            Data::Array(_) => None,
        }
    }

    /// The element at 0-based, column-major linear index `k` (MATLAB's `x(k+1)`), as a plain number.
    ///
    /// # Errors
    ///
    /// [`Error::IndexOutOfBounds`] when `k >= numel`.
    ///
    /// # Example
    ///
    /// ```
    /// let x = autodiff_runtime::dlarray([[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(x.try_get(1).unwrap(), 3.0);
    /// assert!(x.try_get(4).is_err());
    /// ```
    pub fn try_get(&self, k: usize) -> Result<T> {
        if k >= self.numel() {
            return Err(Error::IndexOutOfBounds {
                op: "index",
                index: k.to_string(),
                limit: self.numel(),
                size: self.size().into(),
                at: crate::error::At(None),
            });
        }
        Ok(match &self.data {
            Data::Scalar(v) => *v,
            Data::Array(a) => a[IxDyn(&unravel_col_major(a.shape(), k))],
        })
    }

    /// The element at 0-based, column-major linear index `k`.
    ///
    /// # Panics
    ///
    /// When `k >= numel`, with the message of [`try_get`](DlArray::try_get), at the caller.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([5.0, 6.0]).get(1), 6.0);
    /// ```
    #[track_caller]
    pub fn get(&self, k: usize) -> T {
        match self.try_get(k) {
            Ok(v) => v,
            Err(e) => panic!("{}", e.at(crate::error::At::caller())),
        }
    }

    /// The elements in MATLAB's column-major order.
    ///
    /// # Example
    ///
    /// ```
    /// let x = autodiff_runtime::dlarray([[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(x.to_vec(), vec![1.0, 3.0, 2.0, 4.0]);
    /// ```
    pub fn to_vec(&self) -> Vec<T> {
        match &self.data {
            Data::Scalar(v) => vec![*v],
            Data::Array(a) => a.t().iter().copied().collect(),
        }
    }

    /// MATLAB's class name of the data: `"double"` or `"single"`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([1.0_f32]).class(), "single");
    /// ```
    pub fn class(&self) -> &'static str {
        T::CLASS
    }

    /// True while this value is traced by the `dlfeval` call running on this thread.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!autodiff_runtime::dlarray(1.0).is_traced());
    /// ```
    pub fn is_traced(&self) -> bool {
        crate::trace::is_live(self.tag.id)
    }

    /// True for the lazily-zero adjoint placeholder of generated code.
    #[inline]
    pub(crate) fn is_lazy(&self) -> bool {
        self.tag.lazy
    }

    /// The lazily-zero placeholder: behaves as a scalar 0, allocates nothing.
    #[inline]
    pub(crate) fn lazy_zero() -> Self {
        DlArray { data: Data::Scalar(T::ZERO), fmt: Format::NONE, tag: Tag { id: 0, lazy: true } }
    }
}

impl<T: Real> PartialEq for DlArray<T> {
    /// Equal sizes, formats and values (tracing is ignored; NaN is unequal to itself).
    fn eq(&self, other: &Self) -> bool {
        self.fmt == other.fmt && self.size() == other.size() && self.view() == other.view()
    }
}

impl<T: Real> Default for DlArray<T> {
    /// A 0x0 empty array.
    fn default() -> Self {
        DlArray::from_normalized(ArrayD::zeros(IxDyn(&[0, 0])), Format::NONE, Tag::UNTRACED)
    }
}

/// Applies MATLAB's shape conventions: at least `max(2, min_dims)` dimensions (a 1-D array becomes a
/// row; a 0-D one 1x1), and no trailing singleton dimensions beyond that.
pub(crate) fn normalize<T>(arr: ArrayD<T>, min_dims: usize) -> ArrayD<T> {
    let keep = min_dims.max(2);
    let mut arr = match arr.ndim() {
        0 => arr.insert_axis(ndarray::Axis(0)).insert_axis(ndarray::Axis(0)),
        1 => arr.insert_axis(ndarray::Axis(0)),
        _ => arr,
    };
    while arr.ndim() < keep {
        let n = arr.ndim();
        arr = arr.insert_axis(ndarray::Axis(n));
    }
    while arr.ndim() > keep && arr.shape()[arr.ndim() - 1] == 1 {
        let n = arr.ndim();
        arr = arr.remove_axis(ndarray::Axis(n - 1));
    }
    arr
}

/// The multi-index of column-major linear index `k` in `shape`.
pub(crate) fn unravel_col_major(shape: &[usize], mut k: usize) -> Vec<usize> {
    let mut idx = Vec::with_capacity(shape.len());
    for &d in shape {
        idx.push(k % d.max(1));
        k /= d.max(1);
    }
    idx
}

/// The column-major linear index of a multi-index.
pub(crate) fn ravel_col_major(shape: &[usize], idx: &[usize]) -> usize {
    let mut k = 0;
    let mut stride = 1;
    for (d, i) in shape.iter().zip(idx) {
        k += i * stride;
        stride *= d;
    }
    k
}

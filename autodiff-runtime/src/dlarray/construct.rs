//! Building dlarrays: `dlarray(..)`, `dlarray_fmt(..)`, and the constant creators
//! `zeros/ones/rand/randn` (sized, or "like" another array).

use std::cell::RefCell;

use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use rand::{RngExt, SeedableRng, rngs::StdRng};

use super::format::{Format, Label};
use super::{DlArray, Tag, normalize};
use crate::Real;
use crate::error::{At, Error, Result};

/// Data that can become a [`DlArray`]: floating-point scalars, slices, `Vec`s, (nested) fixed-size
/// arrays, `ndarray` arrays and views, and dlarrays themselves.
///
/// | input | size of the result |
/// |---|---|
/// | `2.5` | 1x1 (no allocation) |
/// | `[a, b, c]`, `&[..]`, `Vec<_>` | 1x3: a row, like MATLAB's `[a, b, c]` |
/// | `[[a, b], [c, d]]` | 2x2, rows as written (MATLAB `[a b; c d]`) |
/// | `[[[..]]]` | `P x M x N`: the outer index is the first dimension |
/// | `ndarray` `ArrayD`/`Array2`/… | same shape (1-D becomes a row); moving an owned array is free, a view is copied once |
///
/// Integer data is rejected at compile time: MATLAB's `dlarray` holds only `single` or `double`.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, DlArray};
///
/// let a: DlArray = dlarray(vec![1.0, 2.0, 3.0]);
/// assert_eq!(a.size(), &[1, 3]);
/// let b = dlarray(ndarray::array![[1.0_f32], [2.0]]);
/// assert_eq!(b.size(), &[2, 1]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot become a dlarray",
    label = "not floating-point data",
    note = "dlarray holds f64 (MATLAB double) or f32 (MATLAB single) data: scalars, slices, Vecs, nested arrays or ndarray arrays; write float literals like `1.0`"
)]
pub trait IntoDlArray {
    /// The element type.
    type Elem: Real;
    /// Converts into an unformatted, untraced dlarray.
    fn into_dlarray(self) -> DlArray<Self::Elem>;
}

/// Creates an unformatted, **untraced** dlarray, MATLAB's `dlarray(X)`.
///
/// Inside a function evaluated by [`dlfeval`](crate::dlfeval), a dlarray made this way is a constant:
/// differentiating with respect to it is an error (at compile time under `#[differentiable]`).
///
/// # Example
///
/// ```
/// use autodiff_runtime::dlarray;
///
/// let x0 = dlarray([-1.0, 2.0]);
/// assert_eq!(x0.size(), &[1, 2]);
/// assert_eq!(x0.to_string(), "  1x2 dlarray\n\n    -1     2\n");
/// ```
pub fn dlarray<X: IntoDlArray>(x: X) -> DlArray<X::Elem> {
    x.into_dlarray()
}

/// Creates a formatted dlarray, MATLAB's `dlarray(X, fmt)`.
///
/// The rules (SPEC §1): labels are `S` (spatial), `C` (channel), `B` (batch), `T` (time), `U`
/// (unspecified); `C`, `B`, `T` at most once. The data is permuted into canonical order `S…, C, B, T, U…`
/// (`"TCB"` is stored as `"CBT"`, `"BC"` as `"CB"`), and sizes are reported in that order. More labels
/// than data dimensions add singleton dimensions; trailing singleton `U` dimensions after the second are
/// dropped. The permutation is a view (no copy).
///
/// # Errors
///
/// [`Error::InvalidFormat`] for a bad label, a repeated `C`/`B`/`T`, or fewer labels than the data has
/// dimensions.
///
/// # Example
///
/// ```
/// use autodiff_runtime::dlarray_fmt;
///
/// // 2 observations (rows) of 3 channels, labelled "BC": stored as 3(C) x 2(B).
/// let x = dlarray_fmt([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "BC").unwrap();
/// assert_eq!(x.dims(), "CB");
/// assert_eq!(x.size(), &[3, 2]);
/// assert!(dlarray_fmt([1.0, 2.0], "CBB").is_err());
/// ```
#[track_caller]
pub fn dlarray_fmt<X: IntoDlArray>(x: X, fmt: &str) -> Result<DlArray<X::Elem>> {
    x.into_dlarray().try_with_format(fmt)
}

impl<T: Real> DlArray<T> {
    /// Labels the dimensions of an array (see [`dlarray_fmt`] for the rules); an empty string removes
    /// the labels. Tracing is kept.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFormat`] as for [`dlarray_fmt`].
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::dlarray;
    ///
    /// let x = dlarray([[1.0, 2.0, 3.0]]).try_with_format("TC").unwrap(); // 1(T) x 3(C)
    /// assert_eq!(x.dims(), "CT");
    /// assert_eq!(x.size(), &[3, 1]);
    /// ```
    #[track_caller]
    pub fn try_with_format(&self, fmt: &str) -> Result<DlArray<T>> {
        let at = At::caller();
        let format = Format::parse(fmt).map_err(|e| e.at(at))?;
        let data = self.stripdims();
        let ndims_data = data.size().len();
        // an unformatted 1x1 or row/column counts its real dimensions: a 1xN row labelled "C" is an error,
        // but a 1x1 labelled "C" is fine (trailing singletons are free).
        let needed = significant_dims(data.size());
        if format.is_empty() {
            return Ok(data);
        }
        if format.len() < needed {
            return Err(Error::InvalidFormat {
                format: fmt.to_string(),
                reason: format!(
                    "the format labels {} dimensions but the data has {} (size {})",
                    format.len(),
                    needed,
                    crate::Size::from(data.size())
                ),
                at,
            });
        }
        let mut arr = data.view().to_owned();
        while arr.ndim() < format.len() {
            let n = arr.ndim();
            arr = arr.insert_axis(ndarray::Axis(n));
        }
        while arr.ndim() > format.len() {
            let n = arr.ndim();
            arr = arr.remove_axis(ndarray::Axis(n - 1));
        }
        let _ = ndims_data;
        let perm = format.canonical_order();
        let arr = arr.permuted_axes(IxDyn(&perm));
        let mut labels: Vec<Label> = perm.iter().map(|&i| format.labels()[i]).collect();
        // trailing singleton U dimensions after the second are ignored
        while labels.len() > 2 && *labels.last().expect("non-empty") == Label::U && arr.shape()[labels.len() - 1] == 1 {
            labels.pop();
        }
        let fmt = Format::from_labels(&labels);
        Ok(DlArray::from_normalized(normalize(arr, fmt.len()), fmt, self.tag))
    }

    /// Labels the dimensions of an array.
    ///
    /// # Panics
    ///
    /// When the format is invalid, with the message of [`try_with_format`](DlArray::try_with_format).
    ///
    /// # Example
    ///
    /// ```
    /// let x = autodiff_runtime::dlarray([[1.0], [2.0]]).with_format("CB");
    /// assert_eq!(x.to_string(), "  2(C) x 1(B) dlarray\n\n     1\n     2\n");
    /// ```
    #[track_caller]
    pub fn with_format(&self, fmt: &str) -> DlArray<T> {
        match self.try_with_format(fmt) {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        }
    }
}

/// Number of dimensions up to the last non-singleton one (at least 1 for a non-scalar).
fn significant_dims(size: &[usize]) -> usize {
    size.iter().rposition(|&d| d != 1).map_or(0, |i| i + 1)
}

impl<T: Real> IntoDlArray for T {
    type Elem = T;
    #[inline]
    fn into_dlarray(self) -> DlArray<T> {
        DlArray::scalar(self)
    }
}
impl<T: Real, const N: usize> IntoDlArray for [T; N] {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        row(self.to_vec())
    }
}
impl<T: Real, const N: usize> IntoDlArray for &[T; N] {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        row(self.to_vec())
    }
}
impl<T: Real> IntoDlArray for &[T] {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        row(self.to_vec())
    }
}
impl<T: Real> IntoDlArray for Vec<T> {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        row(self)
    }
}
impl<T: Real> IntoDlArray for &Vec<T> {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        row(self.clone())
    }
}
impl<T: Real, const M: usize, const N: usize> IntoDlArray for [[T; N]; M] {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        let flat: Vec<T> = self.iter().flatten().copied().collect();
        from_row_major(&[M, N], flat)
    }
}
impl<T: Real, const P: usize, const M: usize, const N: usize> IntoDlArray for [[[T; N]; M]; P] {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        let flat: Vec<T> = self.iter().flatten().flatten().copied().collect();
        from_row_major(&[P, M, N], flat)
    }
}

fn row<T: Real>(v: Vec<T>) -> DlArray<T> {
    let n = v.len();
    from_row_major(&[1, n], v)
}

fn from_row_major<T: Real>(shape: &[usize], v: Vec<T>) -> DlArray<T> {
    let arr = ArrayD::from_shape_vec(IxDyn(shape), v).expect("shape matches data");
    DlArray::from_array(arr, Format::NONE, Tag::UNTRACED)
}

impl<T: Real> IntoDlArray for DlArray<T> {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        self
    }
}

impl<T: Real> IntoDlArray for &DlArray<T> {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        self.clone()
    }
}

impl<T: Real, D: ndarray::Dimension> IntoDlArray for ndarray::Array<T, D> {
    type Elem = T;
    /// Free: the data is moved, not copied.
    fn into_dlarray(self) -> DlArray<T> {
        DlArray::from_array(self.into_dyn(), Format::NONE, Tag::UNTRACED)
    }
}

impl<T: Real, D: ndarray::Dimension> IntoDlArray for &ndarray::Array<T, D> {
    type Elem = T;
    fn into_dlarray(self) -> DlArray<T> {
        DlArray::from_array(self.clone().into_dyn(), Format::NONE, Tag::UNTRACED)
    }
}

impl<T: Real, D: ndarray::Dimension> IntoDlArray for ndarray::ArrayView<'_, T, D> {
    type Elem = T;
    /// One copy.
    fn into_dlarray(self) -> DlArray<T> {
        DlArray::from_array(self.to_owned().into_dyn(), Format::NONE, Tag::UNTRACED)
    }
}

// ---------------------------------------------------------------------------------------------------
// creators

thread_local! {
    static RNG: RefCell<StdRng> = RefCell::new(StdRng::from_rng(&mut rand::rng()));
}

/// Seeds the random generator of this thread used by [`rand`](fn@rand), [`randn`], [`rand_like`] and
/// [`randn_like`], MATLAB's `rng(seed)`.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{rng, rand};
///
/// rng(42);
/// let a = rand::<f64>(&[2, 2]);
/// rng(42);
/// assert_eq!(a, rand::<f64>(&[2, 2]));
/// ```
pub fn rng(seed: u64) {
    RNG.with(|r| *r.borrow_mut() = StdRng::seed_from_u64(seed));
}

fn filled<T: Real>(size: &[usize], fmt: Format, mut f: impl FnMut() -> T) -> DlArray<T> {
    let n: usize = size.iter().product();
    let v: Vec<T> = (0..n).map(|_| f()).collect();
    // column-major, as MATLAB lays arrays out (the values are the same in any order: i.i.d. or constant)
    let arr = ArrayD::from_shape_vec(IxDyn(size).f(), v).expect("size");
    DlArray::from_array(arr, fmt, Tag::UNTRACED)
}

/// An untraced array of zeros of the given size.
///
/// # Example
///
/// ```
/// let z = autodiff_runtime::zeros::<f64>(&[2, 3]);
/// assert_eq!(z.size(), &[2, 3]);
/// assert_eq!(z.to_vec(), vec![0.0; 6]);
/// ```
pub fn zeros<T: Real>(size: &[usize]) -> DlArray<T> {
    filled(size, Format::NONE, || T::ZERO)
}

/// An untraced array of ones of the given size.
///
/// # Example
///
/// ```
/// assert_eq!(autodiff_runtime::ones::<f32>(&[1, 2]).to_vec(), vec![1.0, 1.0]);
/// ```
pub fn ones<T: Real>(size: &[usize]) -> DlArray<T> {
    filled(size, Format::NONE, || T::ONE)
}

/// An untraced array of uniform random numbers in (0, 1), from this thread's generator ([`rng`]).
///
/// # Example
///
/// ```
/// let r = autodiff_runtime::rand::<f64>(&[3, 3]);
/// assert!(r.to_vec().iter().all(|&v| v > 0.0 && v < 1.0));
/// ```
pub fn rand<T: Real>(size: &[usize]) -> DlArray<T> {
    RNG.with(|r| {
        let mut r = r.borrow_mut();
        filled(size, Format::NONE, || {
            let u: f64 = r.random();
            T::from_f64(if u == 0.0 { f64::MIN_POSITIVE } else { u })
        })
    })
}

/// An untraced array of standard normal random numbers, from this thread's generator ([`rng`]).
///
/// # Example
///
/// ```
/// let r = autodiff_runtime::randn::<f64>(&[1000, 1]);
/// let mean: f64 = r.to_vec().iter().sum::<f64>() / 1000.0;
/// assert!(mean.abs() < 0.2);
/// ```
pub fn randn<T: Real>(size: &[usize]) -> DlArray<T> {
    RNG.with(|r| {
        let mut r = r.borrow_mut();
        filled(size, Format::NONE, || T::from_f64(r.sample::<f64, _>(rand_distr::StandardNormal)))
    })
}

macro_rules! like {
    ($(#[$doc:meta])* $name:ident, $base:ident) => {
        $(#[$doc])*
        pub fn $name<T: Real>(x: &DlArray<T>) -> DlArray<T> {
            let mut out = $base::<T>(x.size());
            out.fmt = x.fmt;
            out
        }
    };
}

like!(
    /// MATLAB's `zeros(size(X), "like", X)`: an untraced constant with the size, class and format of `x`.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{dlarray, zeros_like};
    /// let z = zeros_like(&dlarray([1.0_f32, 2.0]));
    /// assert_eq!((z.size(), z.class()), (&[1, 2][..], "single"));
    /// ```
    zeros_like, zeros
);
like!(
    /// MATLAB's `ones(size(X), "like", X)`: an untraced constant with the size, class and format of `x`.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{dlarray, ones_like};
    /// assert_eq!(ones_like(&dlarray([5.0, 6.0])).to_vec(), vec![1.0, 1.0]);
    /// ```
    ones_like, ones
);
like!(
    /// MATLAB's `rand(size(X), "like", X)`: uniform random numbers, untraced.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{dlarray, rand_like};
    /// assert_eq!(rand_like(&dlarray([[1.0, 2.0]])).size(), &[1, 2]);
    /// ```
    rand_like, rand
);
like!(
    /// MATLAB's `randn(size(X), "like", X)`: standard normal random numbers, untraced.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{dlarray, randn_like};
    /// assert_eq!(randn_like(&dlarray([[1.0], [2.0]])).size(), &[2, 1]);
    /// ```
    randn_like, randn
);

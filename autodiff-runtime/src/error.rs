//! The one error type of the library.

use std::fmt;
use std::panic::Location;

/// `Result` with the library's [`Error`] as the default error type.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{Result, dlarray};
///
/// fn first(x: &[f64]) -> Result<f64> {
///     dlarray(x).try_get(0)
/// }
/// assert_eq!(first(&[7.0, 8.0]).unwrap(), 7.0);
/// assert!(first(&[]).is_err());
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An array size in MATLAB's notation (`3x4`, `1x1`, `2x3x5`).
///
/// # Example
///
/// ```
/// use autodiff_runtime::Size;
///
/// assert_eq!(Size::from(&[3, 4][..]).to_string(), "3x4");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Size(pub Vec<usize>);

impl From<&[usize]> for Size {
    fn from(s: &[usize]) -> Self {
        Size(s.to_vec())
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("x")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Where an error happened: the user's source line, when the macro or `#[track_caller]` knows it.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_plus};
///
/// let err = try_plus(&dlarray([1.0, 2.0]), &dlarray([1.0, 2.0, 3.0])).unwrap_err();
/// assert!(err.to_string().contains(&format!("(at {}:", file!())));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At(pub Option<&'static Location<'static>>);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(loc) => write!(f, " (at {}:{}:{})", loc.file(), loc.line(), loc.column()),
            None => Ok(()),
        }
    }
}

impl At {
    /// The location of the caller of the `#[track_caller]` function that calls this.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::error::At;
    /// assert!(At::caller().to_string().contains(".rs:"));
    /// ```
    #[track_caller]
    pub fn caller() -> At {
        At(Some(Location::caller()))
    }

    /// A closure attaching this location to an error (for `map_err`; the location must be taken
    /// outside the closure, which is not `#[track_caller]`).
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{Error, error::At};
    /// let r: Result<(), Error> = Err(Error::NotInDlfeval { at: At(None) });
    /// assert!(r.map_err(At::attach(At::caller())).unwrap_err().to_string().contains(".rs:"));
    /// ```
    pub fn attach(at: At) -> impl FnOnce(Error) -> Error {
        move |e| e.at(at)
    }
}

/// Everything that can go wrong in the library.
///
/// Shape errors name the operation and both sizes; errors raised inside a `#[differentiable]` function
/// carry the user's source line. Operators panic with the same text (at the caller, through
/// `#[track_caller]`); the `try_` functions return it.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_plus, Error};
///
/// let a = dlarray([1.0, 2.0, 3.0]);
/// let b = dlarray([1.0, 2.0]);
/// let err = try_plus(&a, &b).unwrap_err();
/// assert!(matches!(err, Error::SizeMismatch { .. }));
/// assert!(err.to_string().starts_with("plus: Arrays have incompatible sizes for this operation: 1x3 and 1x2"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two operands cannot be combined (implicit expansion fails, inner matrix dimensions differ, ...).
    #[error("{op}: Arrays have incompatible sizes for this operation: {lhs} and {rhs}{at}")]
    SizeMismatch {
        /// The operation, by its MATLAB name.
        op: &'static str,
        /// Size of the first operand.
        lhs: Size,
        /// Size of the second operand.
        rhs: Size,
        /// Where it happened.
        at: At,
    },
    /// An index is outside the array.
    #[error(
        "{op}: Index exceeds the number of array elements. Index must not exceed {limit} (index {index} into a {size} array){at}"
    )]
    IndexOutOfBounds {
        /// The operation.
        op: &'static str,
        /// The offending index, as written (0-based).
        index: String,
        /// The largest valid index + 1 along the indexed dimension (MATLAB reports the 1-based maximum).
        limit: usize,
        /// Size of the indexed array.
        size: Size,
        /// Where it happened.
        at: At,
    },
    /// A dimension format string breaks the rules of `dlarray(X, fmt)`.
    #[error("invalid dlarray format \"{format}\": {reason}{at}")]
    InvalidFormat {
        /// The format as given.
        format: String,
        /// Which rule it breaks.
        reason: String,
        /// Where it happened.
        at: At,
    },
    /// An argument has a valid type but an unusable value.
    #[error("{op}: {reason}{at}")]
    InvalidArgument {
        /// The operation.
        op: &'static str,
        /// What is wrong.
        reason: String,
        /// Where it happened.
        at: At,
    },
    /// `dlgradient` was given a `y` with more than one element.
    #[error("Value to differentiate is non-scalar. It must be a traced real dlarray scalar. (`{name}` is {size}){at}")]
    NonScalarValue {
        /// The expression passed as `y`.
        name: String,
        /// Its size.
        size: Size,
        /// Where it happened.
        at: At,
    },
    /// `dlgradient` was given a `y` that does not depend on any traced input.
    #[error(
        "Value to differentiate must be a traced dlarray scalar. (`{name}` is untraced: it does not depend on an input of dlfeval){at}"
    )]
    UntracedValue {
        /// The expression passed as `y`.
        name: String,
        /// Where it happened.
        at: At,
    },
    /// `dlgradient` was asked for the gradient with respect to an untraced dlarray.
    #[error(
        "Cannot differentiate with respect to `{name}`: it is an untraced dlarray (only inputs of dlfeval and values computed from them are traced){at}"
    )]
    UntracedTarget {
        /// The expression passed as `x`.
        name: String,
        /// Where it happened.
        at: At,
    },
    /// `dlgradient` ran in a function that was not called through `dlfeval`.
    #[error(
        "dlgradient must be called inside a function evaluated by dlfeval: call this function as dlfeval(f, args){at}"
    )]
    NotInDlfeval {
        /// Where it happened.
        at: At,
    },
}

impl Error {
    /// Attaches a location to an error that has none yet.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{Error, error::At};
    ///
    /// let e = Error::NotInDlfeval { at: At(None) };
    /// let e = e.at(At::caller());
    /// assert!(e.to_string().contains(".rs:"));
    /// ```
    pub fn at(mut self, loc: At) -> Error {
        let slot = match &mut self {
            Error::SizeMismatch { at, .. }
            | Error::IndexOutOfBounds { at, .. }
            | Error::InvalidFormat { at, .. }
            | Error::InvalidArgument { at, .. }
            | Error::NonScalarValue { at, .. }
            | Error::UntracedValue { at, .. }
            | Error::UntracedTarget { at, .. }
            | Error::NotInDlfeval { at } => at,
        };
        if slot.0.is_none() {
            *slot = loc;
        }
        self
    }

    pub(crate) fn size_mismatch(op: &'static str, lhs: &[usize], rhs: &[usize]) -> Error {
        Error::SizeMismatch { op, lhs: lhs.into(), rhs: rhs.into(), at: At(None) }
    }

    pub(crate) fn invalid(op: &'static str, reason: impl Into<String>) -> Error {
        Error::InvalidArgument { op, reason: reason.into(), at: At(None) }
    }
}

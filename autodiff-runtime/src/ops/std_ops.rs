//! Operators (`+ - * /`, unary `-`, compound assignment) and methods on [`DlArray`], for plain
//! computing outside `#[differentiable]` functions. All of them call the primitives of this module, so a
//! method, an operator and a free function compute the same thing.
//!
//! `*` and `/` are **elementwise** (MATLAB `.*` and `./`); the matrix product is [`matmul`](super::matmul).
//!
//! Operators on owned dlarrays compute into the owned operand's storage when it is not shared (`a * 2.0
//! + b` allocates once, as `ndarray`'s operators do).
//!
//! Plain numbers combine with dlarrays as `f64`, `f32` or `i32` (a literal like `2.0` needs no
//! suffix: it is an `f64`); the number is converted to the element type, as MATLAB converts `double`
//! to `single`.
//!
//! ```
//! use autodiff_runtime::dlarray;
//!
//! let g = dlarray([1.0_f32, -2.0]);
//! assert_eq!((&g * 0.5_f32).to_vec(), vec![0.5_f32, -1.0]);
//! assert_eq!((2.0 * &g - 1).to_vec(), vec![1.0_f32, -5.0]);
//! assert_eq!((&g - 1.0).powi(2).to_vec(), vec![0.0_f32, 9.0]);
//! let mut h = g.clone();
//! h /= 4.0_f32;
//! assert_eq!(h.to_vec(), vec![0.25_f32, -0.5]);
//! ```

use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use super::elementwise::zip_reuse;
use super::{Dims, IndexSpec, Operand, Opnd, or_panic};
use crate::{DlArray, Real};

macro_rules! binop {
    ($Trait:ident, $method:ident, $Assign:ident, $assign_method:ident, $f:path, $op:literal, |$x:ident, $y:ident| $body:expr) => {
        impl<T: Real> $Trait<&DlArray<T>> for &DlArray<T> {
            type Output = DlArray<T>;
            #[track_caller]
            #[inline]
            fn $method(self, rhs: &DlArray<T>) -> DlArray<T> {
                $f(self, rhs)
            }
        }
        impl<T: Real> $Trait<DlArray<T>> for DlArray<T> {
            type Output = DlArray<T>;
            #[track_caller]
            #[inline]
            fn $method(self, rhs: DlArray<T>) -> DlArray<T> {
                or_panic(zip_reuse($op, self, Opnd::Array(&rhs), true, |$x: T, $y: T| $body))
            }
        }
        impl<T: Real> $Trait<&DlArray<T>> for DlArray<T> {
            type Output = DlArray<T>;
            #[track_caller]
            #[inline]
            fn $method(self, rhs: &DlArray<T>) -> DlArray<T> {
                or_panic(zip_reuse($op, self, Opnd::Array(rhs), true, |$x: T, $y: T| $body))
            }
        }
        impl<T: Real> $Trait<DlArray<T>> for &DlArray<T> {
            type Output = DlArray<T>;
            #[track_caller]
            #[inline]
            fn $method(self, rhs: DlArray<T>) -> DlArray<T> {
                or_panic(zip_reuse($op, rhs, Opnd::Array(self), false, |$x: T, $y: T| $body))
            }
        }
        impl<T: Real> $Assign<&DlArray<T>> for DlArray<T> {
            #[track_caller]
            #[inline]
            fn $assign_method(&mut self, rhs: &DlArray<T>) {
                let lhs = std::mem::take(self);
                *self = or_panic(zip_reuse($op, lhs, Opnd::Array(rhs), true, |$x: T, $y: T| $body));
            }
        }
        impl<T: Real> $Assign<DlArray<T>> for DlArray<T> {
            #[track_caller]
            #[inline]
            fn $assign_method(&mut self, rhs: DlArray<T>) {
                let lhs = std::mem::take(self);
                *self = or_panic(zip_reuse($op, lhs, Opnd::Array(&rhs), true, |$x: T, $y: T| $body));
            }
        }
        // a number on the right: one impl for every number type, so `x * 2.0` has one candidate
        // and the literal's type is settled later (an `f64`)
        impl<T: Real, S: Number> $Trait<S> for DlArray<T> {
            type Output = DlArray<T>;
            #[track_caller]
            #[inline]
            fn $method(self, rhs: S) -> DlArray<T> {
                or_panic(zip_reuse($op, self, Opnd::Scalar(T::from_f64(rhs.to_f64())), true, |$x: T, $y: T| $body))
            }
        }
        impl<T: Real, S: Number> $Trait<S> for &DlArray<T> {
            type Output = DlArray<T>;
            #[track_caller]
            #[inline]
            fn $method(self, rhs: S) -> DlArray<T> {
                $f(self, &rhs.to_f64())
            }
        }
        impl<T: Real, S: Number> $Assign<S> for DlArray<T> {
            #[track_caller]
            #[inline]
            fn $assign_method(&mut self, rhs: S) {
                let lhs = std::mem::take(self);
                *self = or_panic(zip_reuse($op, lhs, Opnd::Scalar(T::from_f64(rhs.to_f64())), true, |$x: T, $y: T| $body));
            }
        }
        // a number on the left: one impl per type (the orphan rule), `f64` and `i32` (an `f32`
        // impl too would leave `2.0 * &x` with two candidates)
        binop!(@scalar $Trait, $method, $f, $op, |$x, $y| $body, f64, i32);
    };
    (@scalar $Trait:ident, $method:ident, $f:path, $op:literal, |$x:ident, $y:ident| $body:expr, $($s:ty),*) => {$(
        impl<T: Real> $Trait<DlArray<T>> for $s {
            type Output = DlArray<T>;
            #[track_caller]
            #[inline]
            fn $method(self, rhs: DlArray<T>) -> DlArray<T> {
                or_panic(zip_reuse($op, rhs, self.operand(), false, |$x: T, $y: T| $body))
            }
        }
        impl<T: Real> $Trait<&DlArray<T>> for $s {
            type Output = DlArray<T>;
            #[track_caller]
            #[inline]
            fn $method(self, rhs: &DlArray<T>) -> DlArray<T> {
                $f(&self, rhs)
            }
        }
    )*};
}

/// A plain number that combines with dlarrays in operators: `f64`, `f32`, and the integer types
/// (converted to the element type).
///
/// ```
/// use autodiff_runtime::{dlarray, ops::Number};
///
/// fn halve<S: Number>(s: S) -> f64 {
///     s.to_f64() / 2.0
/// }
/// assert_eq!(halve(3_u32), 1.5);
/// assert_eq!((dlarray([2.0_f32]) * 0.5_f32).to_vec(), vec![1.0_f32]);
/// ```
pub trait Number: Copy + 'static {
    /// The value as an `f64`.
    fn to_f64(self) -> f64;
}

macro_rules! number {
    ($($t:ty),*) => {$(
        impl Number for $t {
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}
number!(f64, f32, i32, i64, u32, usize);

binop!(Add, add, AddAssign, add_assign, super::plus, "plus", |x, y| x + y);
binop!(Sub, sub, SubAssign, sub_assign, super::minus, "minus", |x, y| x - y);
binop!(Mul, mul, MulAssign, mul_assign, super::times, "times", |x, y| x * y);
binop!(Div, div, DivAssign, div_assign, super::rdivide, "rdivide", |x, y| x / y);

impl<T: Real> Neg for DlArray<T> {
    type Output = DlArray<T>;
    fn neg(self) -> DlArray<T> {
        or_panic(zip_reuse("uminus", self, Opnd::Scalar(T::ZERO), true, |x: T, _| -x))
    }
}
impl<T: Real> Neg for &DlArray<T> {
    type Output = DlArray<T>;
    fn neg(self) -> DlArray<T> {
        super::uminus(self)
    }
}

macro_rules! unary_methods {
    ($($name:ident),* $(,)?) => {
        impl<T: Real> DlArray<T> {$(
            #[doc = concat!("Method form of [`", stringify!($name), "`](super::", stringify!($name), ").")]
            ///
            /// # Example
            ///
            /// ```
            /// use autodiff_runtime::{dlarray, ops};
            /// let x = dlarray([0.25, 0.5]);
            #[doc = concat!("assert_eq!(x.", stringify!($name), "(), ops::", stringify!($name), "(&x));")]
            /// ```
            #[inline]
            pub fn $name(&self) -> DlArray<T> {
                super::$name(self)
            }
        )*}
    };
}
unary_methods!(
    exp, log, log1p, sqrt, abs, sign, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, erf, floor, ceil, round, fix,
    relu, gelu, sigmoid, softplus, softmax, norm, squeeze, uminus, not,
);

macro_rules! reduction_methods {
    ($($name:ident),* $(,)?) => {
        impl<T: Real> DlArray<T> {$(
            #[doc = concat!("Method form of the reduction [`", stringify!($name), "`](super::", stringify!($name), ").")]
            ///
            /// # Example
            ///
            /// ```
            /// use autodiff_runtime::{dlarray, ops, All};
            /// let x = dlarray([[1.0, 2.0], [3.0, 5.0]]);
            #[doc = concat!("assert_eq!(x.", stringify!($name), "(0), ops::", stringify!($name), "(&x, 0));")]
            #[doc = concat!("assert_eq!(x.", stringify!($name), "(All), ops::", stringify!($name), "(&x, All));")]
            /// ```
            #[track_caller]
            #[inline]
            pub fn $name(&self, dims: impl Into<Dims>) -> DlArray<T> {
                super::$name(self, dims)
            }
        )*}
    };
}
reduction_methods!(sum, mean, prod, max, min, var, std, logsumexp);

macro_rules! binary_methods {
    ($($name:ident),* $(,)?) => {
        impl<T: Real> DlArray<T> {$(
            #[doc = concat!("Method form of [`", stringify!($name), "`](super::", stringify!($name), ").")]
            ///
            /// # Example
            ///
            /// ```
            /// use autodiff_runtime::{dlarray, ops};
            /// let (a, b) = (dlarray([1.0, 4.0]), dlarray([2.0, 3.0]));
            #[doc = concat!("assert_eq!(a.", stringify!($name), "(&b), ops::", stringify!($name), "(&a, &b));")]
            /// ```
            #[track_caller]
            #[inline]
            pub fn $name(&self, other: &impl Operand<T>) -> DlArray<T> {
                super::$name(self, other)
            }
        )*}
    };
}
binary_methods!(plus, minus, times, rdivide, power, atan2, hypot, maximum, minimum, eq, ne, lt, le, gt, ge, and, or);

impl<T: Real> DlArray<T> {
    /// Integer power, method form of [`powi`](super::powi).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([3.0]).powi(2).get(0), 9.0);
    /// ```
    #[inline]
    pub fn powi(&self, n: i32) -> DlArray<T> {
        super::powi(self, n)
    }

    /// Real power with a constant exponent, method form of [`powf`](super::powf).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([4.0]).powf(1.5).get(0), 8.0);
    /// ```
    #[inline]
    pub fn powf(&self, p: f64) -> DlArray<T> {
        super::powf(self, p)
    }

    /// Leaky ReLU, method form of [`leakyrelu`](super::leakyrelu).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([-1.0]).leakyrelu(0.01).get(0), -0.01);
    /// ```
    #[inline]
    pub fn leakyrelu(&self, scale: f64) -> DlArray<T> {
        super::leakyrelu(self, scale)
    }

    /// Matrix product, method form of [`matmul`](super::matmul).
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::dlarray;
    /// assert_eq!(dlarray([[1.0, 2.0]]).matmul(&dlarray([[3.0], [4.0]])).get(0), 11.0);
    /// ```
    #[track_caller]
    #[inline]
    pub fn matmul(&self, other: &DlArray<T>) -> DlArray<T> {
        super::matmul(self, other)
    }

    /// Transpose, method form of [`transpose`](super::transpose).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([1.0, 2.0]).transpose().size(), &[2, 1]);
    /// ```
    #[track_caller]
    pub fn transpose(&self) -> DlArray<T> {
        super::transpose(self)
    }

    /// Transpose, MATLAB's `x.'` spelled short.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([1.0, 2.0]).t().size(), &[2, 1]);
    /// ```
    #[track_caller]
    pub fn t(&self) -> DlArray<T> {
        super::transpose(self)
    }

    /// Column-major reshape, method form of [`reshape`](super::reshape).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([1.0, 2.0]).reshape(&[2, 1]).size(), &[2, 1]);
    /// ```
    #[track_caller]
    pub fn reshape(&self, size: &[usize]) -> DlArray<T> {
        super::reshape(self, size)
    }

    /// Method form of [`permute`](super::permute).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([1.0, 2.0]).permute(&[1, 0]).size(), &[2, 1]);
    /// ```
    #[track_caller]
    pub fn permute(&self, order: &[usize]) -> DlArray<T> {
        super::permute(self, order)
    }

    /// Method form of [`repmat`](super::repmat).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray(1.0).repmat(&[2, 3]).size(), &[2, 3]);
    /// ```
    #[track_caller]
    pub fn repmat(&self, reps: &[usize]) -> DlArray<T> {
        super::repmat(self, reps)
    }

    /// Method form of [`flip`](super::flip).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([1.0, 2.0]).flip(1).to_vec(), vec![2.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn flip(&self, dim: usize) -> DlArray<T> {
        super::flip(self, dim)
    }

    /// Method form of [`cumsum`](super::cumsum).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([1.0, 2.0]).cumsum(1).to_vec(), vec![1.0, 3.0]);
    /// ```
    #[track_caller]
    pub fn cumsum(&self, dim: usize) -> DlArray<T> {
        super::cumsum(self, dim)
    }

    /// Functional indexed assignment, method form of [`assign`](super::assign).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::dlarray([1.0, 2.0]).assign(0, &5.0).to_vec(), vec![5.0, 2.0]);
    /// ```
    #[track_caller]
    pub fn assign(&self, idx: impl IndexSpec, v: &impl Operand<T>) -> DlArray<T> {
        super::assign(self, idx, v)
    }
}

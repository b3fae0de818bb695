//! The element types a [`DlArray`](crate::DlArray) can hold: `f64` (MATLAB `double`) and `f32`
//! (MATLAB `single`).

use std::fmt::{Debug, Display, LowerExp};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Rem, Sub, SubAssign};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A real floating-point element type: `f64` or `f32`, and nothing else.
///
/// MATLAB's `dlarray` holds `single` or `double` data; integer and other data are rejected. Here that
/// rule lives in the type system: the trait is sealed, so `DlArray<i32>` does not compile.
///
/// The methods mirror the scalar functions the runtime's kernels need, so a kernel is written once for
/// both precisions.
///
/// # Example
///
/// ```
/// use autodiff_runtime::Real;
///
/// fn half<T: Real>(x: T) -> T {
///     x * T::from_f64(0.5)
/// }
/// assert_eq!(half(3.0_f32), 1.5);
/// assert_eq!(<f64 as Real>::CLASS, "double");
/// ```
pub trait Real:
    sealed::Sealed
    + Copy
    + Default
    + Send
    + Sync
    + 'static
    + Debug
    + Display
    + LowerExp
    + PartialEq
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Rem<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + Sum
    + ndarray::LinalgScalar
    + ndarray::ScalarOperand
    + serde::Serialize
    + serde::de::DeserializeOwned
{
    /// `0`.
    const ZERO: Self;
    /// `1`.
    const ONE: Self;
    /// Machine epsilon (MATLAB `eps` of the class).
    const EPSILON: Self;
    /// Positive infinity.
    const INFINITY: Self;
    /// MATLAB's class name: `"double"` or `"single"`.
    const CLASS: &'static str;
    /// Converts from `f64` (rounding to nearest for `f32`).
    fn from_f64(x: f64) -> Self;
    /// Widens to `f64`.
    fn to_f64(self) -> f64;
    /// Converts from `usize`.
    fn from_usize(n: usize) -> Self;
    /// e^x
    fn exp(self) -> Self;
    /// Natural logarithm.
    fn ln(self) -> Self;
    /// ln(1 + x), accurate near 0.
    fn ln_1p(self) -> Self;
    /// Square root.
    fn sqrt(self) -> Self;
    /// Absolute value.
    fn abs(self) -> Self;
    /// MATLAB `sign`: −1, 0 or 1 (0 at 0, unlike `f64::signum`).
    fn sign(self) -> Self;
    /// Sine.
    fn sin(self) -> Self;
    /// Cosine.
    fn cos(self) -> Self;
    /// Tangent.
    fn tan(self) -> Self;
    /// Inverse sine.
    fn asin(self) -> Self;
    /// Inverse cosine.
    fn acos(self) -> Self;
    /// Inverse tangent.
    fn atan(self) -> Self;
    /// Hyperbolic sine.
    fn sinh(self) -> Self;
    /// Hyperbolic cosine.
    fn cosh(self) -> Self;
    /// Hyperbolic tangent.
    fn tanh(self) -> Self;
    /// Error function.
    fn erf(self) -> Self;
    /// Integer power.
    fn powi(self, n: i32) -> Self;
    /// Real power.
    fn powf(self, p: Self) -> Self;
    /// Four-quadrant inverse tangent of `self / x`.
    fn atan2(self, x: Self) -> Self;
    /// √(self² + y²) without undue overflow.
    fn hypot(self, y: Self) -> Self;
    /// Round toward −∞.
    fn floor(self) -> Self;
    /// Round toward +∞.
    fn ceil(self) -> Self;
    /// Round half away from zero (MATLAB `round`).
    fn round(self) -> Self;
    /// Round toward zero (MATLAB `fix`).
    fn trunc(self) -> Self;
    /// The larger of two values; NaN is ignored as in MATLAB `max`.
    fn max(self, other: Self) -> Self;
    /// The smaller of two values; NaN is ignored as in MATLAB `min`.
    fn min(self, other: Self) -> Self;
    /// True for NaN.
    fn is_nan(self) -> bool;
    /// True unless infinite or NaN.
    fn is_finite(self) -> bool;
    /// This thread's pool of large buffers of this type (an implementation detail of the runtime).
    #[doc(hidden)]
    fn buffers() -> &'static std::thread::LocalKey<std::cell::RefCell<crate::pool::Buffers<Self>>>;
}

macro_rules! impl_real {
    ($t:ident, $class:literal, $erf:path) => {
        impl Real for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const EPSILON: Self = $t::EPSILON;
            const INFINITY: Self = $t::INFINITY;
            const CLASS: &'static str = $class;
            fn buffers() -> &'static std::thread::LocalKey<std::cell::RefCell<crate::pool::Buffers<Self>>> {
                thread_local! {
                    static BUFFERS: std::cell::RefCell<crate::pool::Buffers<$t>> =
                        std::cell::RefCell::new(crate::pool::Buffers::default());
                }
                &BUFFERS
            }
            #[inline]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline]
            fn from_usize(n: usize) -> Self {
                n as $t
            }
            #[inline]
            fn exp(self) -> Self {
                $t::exp(self)
            }
            #[inline]
            fn ln(self) -> Self {
                $t::ln(self)
            }
            #[inline]
            fn ln_1p(self) -> Self {
                $t::ln_1p(self)
            }
            #[inline]
            fn sqrt(self) -> Self {
                $t::sqrt(self)
            }
            #[inline]
            fn abs(self) -> Self {
                $t::abs(self)
            }
            #[inline]
            fn sign(self) -> Self {
                if self > 0.0 {
                    1.0
                } else if self < 0.0 {
                    -1.0
                } else {
                    self
                }
            }
            #[inline]
            fn sin(self) -> Self {
                $t::sin(self)
            }
            #[inline]
            fn cos(self) -> Self {
                $t::cos(self)
            }
            #[inline]
            fn tan(self) -> Self {
                $t::tan(self)
            }
            #[inline]
            fn asin(self) -> Self {
                $t::asin(self)
            }
            #[inline]
            fn acos(self) -> Self {
                $t::acos(self)
            }
            #[inline]
            fn atan(self) -> Self {
                $t::atan(self)
            }
            #[inline]
            fn sinh(self) -> Self {
                $t::sinh(self)
            }
            #[inline]
            fn cosh(self) -> Self {
                $t::cosh(self)
            }
            #[inline]
            fn tanh(self) -> Self {
                $t::tanh(self)
            }
            #[inline]
            fn erf(self) -> Self {
                $erf(self)
            }
            #[inline]
            fn powi(self, n: i32) -> Self {
                $t::powi(self, n)
            }
            #[inline]
            fn powf(self, p: Self) -> Self {
                $t::powf(self, p)
            }
            #[inline]
            fn atan2(self, x: Self) -> Self {
                $t::atan2(self, x)
            }
            #[inline]
            fn hypot(self, y: Self) -> Self {
                $t::hypot(self, y)
            }
            #[inline]
            fn floor(self) -> Self {
                $t::floor(self)
            }
            #[inline]
            fn ceil(self) -> Self {
                $t::ceil(self)
            }
            #[inline]
            fn round(self) -> Self {
                $t::round(self)
            }
            #[inline]
            fn trunc(self) -> Self {
                $t::trunc(self)
            }
            #[inline]
            fn max(self, other: Self) -> Self {
                $t::max(self, other)
            }
            #[inline]
            fn min(self, other: Self) -> Self {
                $t::min(self, other)
            }
            #[inline]
            fn is_nan(self) -> bool {
                $t::is_nan(self)
            }
            #[inline]
            fn is_finite(self) -> bool {
                $t::is_finite(self)
            }
        }
    };
}

impl_real!(f64, "double", libm::erf);
impl_real!(f32, "single", libm::erff);

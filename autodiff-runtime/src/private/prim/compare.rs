//! Comparisons. The operators `<`, `>`, `<=`, `>=`, `==`, `!=` give a `bool`, as in Rust: for
//! dlarrays, MATLAB's truth of the elementwise comparison (every element true, as `if a < b` in
//! MATLAB). MATLAB's functions `lt(a, b)`, `eq(a, b)`, … give untraced masks. `!x` is MATLAB's `not`
//! for a dlarray and Rust's `!` for a `bool` or an integer.

use super::Scalar;
use crate::error::Result;
use crate::private::ops;
use crate::{DlArray, Real};

macro_rules! cmp_op {
    ($(#[$doc:meta])* $Trait:ident, $fwd:ident, $kernel:ident, |$a:ident, $b:ident| $plain:expr) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(
            message = "this comparison is not defined for `{Self}` and `{B}` inside `#[differentiable]`",
            note = "compare dlarrays with dlarrays or numbers, and numbers with numbers of the same type"
        )]
        pub trait $Trait<B: ?Sized> {
            /// The comparison.
            #[track_caller]
            fn cmp(&self, b: &B) -> Result<bool>;
        }
        impl<'r, T: Real, A: $Trait<DlArray<T>> + ?Sized> $Trait<&'r DlArray<T>> for A {
            #[track_caller]
            #[inline(always)]
            fn cmp(&self, b: &&'r DlArray<T>) -> Result<bool> {
                A::cmp(self, *b)
            }
        }
        impl<T: Real> $Trait<DlArray<T>> for DlArray<T> {
            #[track_caller]
            #[inline]
            fn cmp(&self, b: &DlArray<T>) -> Result<bool> {
                Ok(ops::$kernel(self, b)?.is_true())
            }
        }
        impl<T: Real, S: Scalar + crate::ops::Operand<T>> $Trait<S> for DlArray<T> {
            #[track_caller]
            #[inline]
            fn cmp(&self, b: &S) -> Result<bool> {
                Ok(ops::$kernel(self, b)?.is_true())
            }
        }
        impl<T: Real, S: Scalar + crate::ops::Operand<T>> $Trait<DlArray<T>> for S {
            #[track_caller]
            #[inline]
            fn cmp(&self, b: &DlArray<T>) -> Result<bool> {
                Ok(ops::$kernel(self, b)?.is_true())
            }
        }
        macro_rules! with_plain {
            ($n:ty) => {
                impl $Trait<$n> for $n {
                    #[track_caller]
                    #[inline(always)]
                    fn cmp(&self, b: &$n) -> Result<bool> {
                        let ($a, $b) = (self, b);
                        Ok($plain)
                    }
                }
            };
        }
        super::for_numbers!(with_plain);
        with_plain!(bool);
        with_plain!(char);
        with_plain!(str);
        with_plain!(String);
        #[doc = concat!("`", stringify!($fwd), "` as an operator, chosen by the operand types.")]
        #[track_caller]
        #[inline(always)]
        pub fn $fwd<A: $Trait<B> + ?Sized, B: ?Sized>(a: &A, b: &B) -> Result<bool> {
            A::cmp(a, b)
        }
    };
}

cmp_op!(/// `a < b`.
    CmpLt, cmp_lt, try_lt, |a, b| a < b);
cmp_op!(/// `a <= b`.
    CmpLe, cmp_le, try_le, |a, b| a <= b);
cmp_op!(/// `a > b`.
    CmpGt, cmp_gt, try_gt, |a, b| a > b);
cmp_op!(/// `a >= b`.
    CmpGe, cmp_ge, try_ge, |a, b| a >= b);
cmp_op!(/// `a == b`.
    CmpEq, cmp_eq, try_eq, |a, b| a == b);
cmp_op!(/// `a != b`.
    CmpNe, cmp_ne, try_ne, |a, b| a != b);

/// MATLAB's comparison and logic functions as masks (untraced dlarrays).
macro_rules! mask_fn {
    ($($fwd:ident = $kernel:ident),*) => {$(
        #[doc = concat!("MATLAB `", stringify!($fwd), "`: an untraced mask.")]
        #[track_caller]
        #[inline(always)]
        pub fn $fwd<T: Real>(a: &impl crate::ops::Operand<T>, b: &impl crate::ops::Operand<T>) -> Result<DlArray<T>> {
            ops::$kernel(a, b)
        }
    )*};
}
mask_fn!(lt = try_lt, le = try_le, gt = try_gt, ge = try_ge, eq = try_eq, ne = try_ne, and = try_and, or = try_or);

/// `!x`: MATLAB `not` for a dlarray (an untraced mask), Rust's `!` otherwise.
pub trait Not {
    /// The result.
    type Out;
    /// `!x`.
    fn not(&self) -> Self::Out;
}
impl<T: Real> Not for DlArray<T> {
    type Out = DlArray<T>;
    #[inline]
    fn not(&self) -> DlArray<T> {
        ops::not(self)
    }
}
macro_rules! not_plain {
    ($($n:ty),*) => {$(
        impl Not for $n {
            type Out = $n;
            #[inline(always)]
            fn not(&self) -> $n {
                !*self
            }
        }
    )*};
}
not_plain!(bool, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// Forward of `!x`.
#[inline(always)]
pub fn not<X: Not + ?Sized>(x: &X) -> X::Out {
    X::not(x)
}

//! Every primitive of the macro's rule table as a trait, so that the compiler, not the macro, decides
//! what an operation means: the dlarray primitive (with its adjoint kernels) for a `DlArray`, the
//! plain operation for `f64`, `f32` and integers (`f64::max`, `+` on `usize`), and element projection
//! for containers. Generated code calls the free functions of this module; each forwards to the trait
//! implementation of the operand's type.
//!
//! - forward: `times(a, b)` (fallible rules return `Result`, at the caller's line);
//! - adjoints: `times_adj0(&mut ā, &ȳ, &y, a, b)`, `times_adj1(..)`: accumulate into the slot.
//!   For a plain operand the slot is [`NoGrad`](super::v2::NoGrad) and the adjoint does nothing.
//!
//! The first operand is normalized with [`Val`] (references are looked through); the second may be a
//! reference (implementations forward through `&B`).

pub mod binary;
pub mod compare;
pub mod higher;
pub mod index;
pub mod reduce;
pub mod shape;
pub mod unary;

pub use binary::*;
pub use compare::*;
pub use higher::*;
pub use index::*;
pub use reduce::*;
pub use shape::*;
pub use unary::*;

use crate::{DlArray, Real};

/// A value with its references looked through: the operand type primitives are implemented for.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value `#[differentiable]` knows how to compute with",
    note = "operations inside `#[differentiable]` take dlarrays, numbers, and containers of them"
)]
pub trait Val {
    /// The value type.
    type T: ?Sized;
    /// The value.
    fn val(&self) -> &Self::T;
}

impl<X: Val + ?Sized> Val for &X {
    type T = X::T;
    #[inline(always)]
    fn val(&self) -> &X::T {
        (**self).val()
    }
}
impl<X: Val + ?Sized> Val for &mut X {
    type T = X::T;
    #[inline(always)]
    fn val(&self) -> &X::T {
        (**self).val()
    }
}
impl<X: Val + ?Sized> Val for Box<X> {
    type T = X::T;
    #[inline(always)]
    fn val(&self) -> &X::T {
        (**self).val()
    }
}

macro_rules! val_self {
    ($([$($g:tt)*] $t:ty),* $(,)?) => {$(
        impl<$($g)*> Val for $t {
            type T = Self;
            #[inline(always)]
            fn val(&self) -> &Self {
                self
            }
        }
    )*};
}
val_self!(
    [T: Real] DlArray<T>,
    [] f32, [] f64, [] i8, [] i16, [] i32, [] i64, [] i128, [] isize,
    [] u8, [] u16, [] u32, [] u64, [] u128, [] usize, [] bool, [] char, [] str, [] String,
    [V] Vec<V>, [V] [V], [V, const N: usize] [V; N], [V] Option<V>,
    [S: ndarray::RawData, D] ndarray::ArrayBase<S, D>,
);

/// A plain operand that may be a reference (an element of a plain array, a borrowed field): one
/// reference looked through without asking anything of the referent's type, so an element of
/// `[1.0, 2.0]` (an `f64` not settled yet) still infers as in plain Rust.
pub trait PlainRef {
    /// The referent.
    type T: ?Sized;
    /// The referent.
    fn plain_ref(&self) -> &Self::T;
}
impl<X: ?Sized> PlainRef for &X {
    type T = X;
    #[inline(always)]
    fn plain_ref(&self) -> &X {
        self
    }
}
impl<T: Real> PlainRef for DlArray<T> {
    type T = Self;
    #[inline(always)]
    fn plain_ref(&self) -> &Self {
        self
    }
}
macro_rules! plain_ref_number {
    ($t:ty) => {
        impl PlainRef for $t {
            type T = $t;
            #[inline(always)]
            fn plain_ref(&self) -> &$t {
                self
            }
        }
    };
}
for_numbers!(plain_ref_number);

/// A plain operand, one reference looked through (see [`PlainRef`]).
#[inline(always)]
pub fn plain_val<X: PlainRef + ?Sized>(x: &X) -> &X::T {
    x.plain_ref()
}

macro_rules! val_tuple {
    ($($v:ident),+) => {
        impl<$($v),+> Val for ($($v,)+) {
            type T = Self;
            #[inline(always)]
            fn val(&self) -> &Self {
                self
            }
        }
    };
}
val_tuple!(A);
val_tuple!(A, B);
val_tuple!(A, B, C);
val_tuple!(A, B, C, D);
val_tuple!(A, B, C, D, E);
val_tuple!(A, B, C, D, E, F);

/// The first operand of an operation, references looked through.
#[inline(always)]
pub fn val<X: Val + ?Sized>(x: &X) -> &X::T {
    x.val()
}

/// The numbers that combine with dlarrays as constants (MATLAB: a `double` scalar with `single` data
/// gives `single`).
macro_rules! for_scalars {
    ($m:ident) => {
        $m!(f64);
        $m!(f32);
        $m!(i32);
        $m!(i64);
        $m!(u32);
        $m!(usize);
    };
}
#[allow(unused_imports)]
pub(crate) use for_scalars;

/// Every primitive number type, for the plain forms of operators.
macro_rules! for_numbers {
    ($m:ident) => {
        $m!(f64);
        $m!(f32);
        $m!(i8);
        $m!(i16);
        $m!(i32);
        $m!(i64);
        $m!(i128);
        $m!(isize);
        $m!(u8);
        $m!(u16);
        $m!(u32);
        $m!(u64);
        $m!(u128);
        $m!(usize);
    };
}
pub(crate) use for_numbers;

/// The floating-point number types, for plain forms of math methods (`f64::exp`).
macro_rules! for_floats {
    ($m:ident) => {
        $m!(f64);
        $m!(f32);
    };
}
pub(crate) use for_floats;

/// The numbers that combine with dlarrays as constants. One generic implementation per operation
/// covers them all, so an unsuffixed literal (`x * 2.0`) leaves no choice to infer.
pub trait Scalar: Copy + 'static + crate::private::grad::Diff<Grad = crate::private::grad::NoGrad> {}
macro_rules! scalar_marker {
    ($t:ty) => {
        impl Scalar for $t {}
    };
}
for_scalars!(scalar_marker);

//! Elementwise binary primitives (`+ - * /`, `power`, `atan2`, `hypot`, `maximum`, `minimum`): the
//! dlarray kernels for a dlarray and a dlarray or a number, the plain operation for two numbers.

use super::{Scalar, for_numbers};
use crate::error::Result;
use crate::private::grad::{Diff, NoGrad};
use crate::private::ops;
use crate::{DlArray, Real};

/// `for_floats` under a name `binary!` can take as a plain-type list.
macro_rules! for_floats2 {
    ($m:ident) => {
        super::for_floats!($m);
    };
}

macro_rules! binary {
    (
        $(#[$doc:meta])* $Trait:ident, $fwd:ident, $adj0:ident, $adj1:ident,
        $kernel:ident, $k0:ident, $k1:ident, $plain:ident: |$a:ident, $b:ident| $body:expr
    ) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(
            message = "this operation is not defined for `{Self}` and `{B}` inside `#[differentiable]`",
            note = "dlarrays combine with dlarrays of the same element type and with numbers; two numbers of the same type combine as in Rust"
        )]
        pub trait $Trait<B: Diff + ?Sized>: Diff {
            /// The result.
            type Out: Diff;
            /// The forward computation.
            #[track_caller]
            fn fwd(&self, b: &B) -> Result<Self::Out>;
            /// Accumulates the first operand's adjoint.
            fn adj0(slot: &mut Self::Grad, g: &<Self::Out as Diff>::Grad, out: &Self::Out, a: &Self, b: &B);
            /// Accumulates the second operand's adjoint.
            fn adj1(slot: &mut B::Grad, g: &<Self::Out as Diff>::Grad, out: &Self::Out, a: &Self, b: &B);
        }

        impl<'r, T: Real, A: $Trait<DlArray<T>> + ?Sized> $Trait<&'r DlArray<T>> for A {
            type Out = A::Out;
            #[track_caller]
            #[inline(always)]
            fn fwd(&self, b: &&'r DlArray<T>) -> Result<Self::Out> {
                A::fwd(self, *b)
            }
            #[inline(always)]
            fn adj0(slot: &mut A::Grad, g: &<A::Out as Diff>::Grad, out: &A::Out, a: &A, b: &&'r DlArray<T>) {
                A::adj0(slot, g, out, a, *b)
            }
            #[inline(always)]
            fn adj1(slot: &mut DlArray<T>, g: &<A::Out as Diff>::Grad, out: &A::Out, a: &A, b: &&'r DlArray<T>) {
                A::adj1(slot, g, out, a, *b)
            }
        }

        impl<T: Real> $Trait<DlArray<T>> for DlArray<T> {
            type Out = DlArray<T>;
            #[track_caller]
            #[inline]
            fn fwd(&self, b: &DlArray<T>) -> Result<DlArray<T>> {
                ops::$kernel(self, b)
            }
            #[inline]
            fn adj0(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, a: &DlArray<T>, b: &DlArray<T>) {
                ops::$k0(slot, g, out, a, b)
            }
            #[inline]
            fn adj1(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, a: &DlArray<T>, b: &DlArray<T>) {
                ops::$k1(slot, g, out, a, b)
            }
        }

        impl<T: Real, S: Scalar + crate::ops::Operand<T>> $Trait<S> for DlArray<T> {
            type Out = DlArray<T>;
            #[track_caller]
            #[inline]
            fn fwd(&self, b: &S) -> Result<DlArray<T>> {
                ops::$kernel(self, b)
            }
            #[inline]
            fn adj0(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, a: &DlArray<T>, b: &S) {
                ops::$k0(slot, g, out, a, b)
            }
            #[inline(always)]
            fn adj1(_: &mut NoGrad, _: &DlArray<T>, _: &DlArray<T>, _: &DlArray<T>, _: &S) {}
        }
        impl<T: Real, S: Scalar + crate::ops::Operand<T>> $Trait<DlArray<T>> for S {
            type Out = DlArray<T>;
            #[track_caller]
            #[inline]
            fn fwd(&self, b: &DlArray<T>) -> Result<DlArray<T>> {
                ops::$kernel(self, b)
            }
            #[inline(always)]
            fn adj0(_: &mut NoGrad, _: &DlArray<T>, _: &DlArray<T>, _: &S, _: &DlArray<T>) {}
            #[inline]
            fn adj1(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, a: &S, b: &DlArray<T>) {
                ops::$k1(slot, g, out, a, b)
            }
        }

        macro_rules! with_plain {
            ($n:ty) => {
                impl $Trait<$n> for $n {
                    type Out = $n;
                    #[track_caller]
                    #[inline(always)]
                    fn fwd(&self, b: &$n) -> Result<$n> {
                        let ($a, $b) = (*self, *b);
                        Ok($body)
                    }
                    #[inline(always)]
                    fn adj0(_: &mut NoGrad, _: &NoGrad, _: &$n, _: &$n, _: &$n) {}
                    #[inline(always)]
                    fn adj1(_: &mut NoGrad, _: &NoGrad, _: &$n, _: &$n, _: &$n) {}
                }
            };
        }
        $plain!(with_plain);

        #[doc = concat!("Forward of `", stringify!($fwd), "`, chosen by the operand types.")]
        #[track_caller]
        #[inline(always)]
        pub fn $fwd<A: $Trait<B> + ?Sized, B: Diff + ?Sized>(a: &A, b: &B) -> Result<A::Out> {
            A::fwd(a, b)
        }

        #[doc = concat!("Adjoint of `", stringify!($fwd), "` for its first operand.")]
        #[inline(always)]
        pub fn $adj0<A: $Trait<B> + ?Sized, B: Diff + ?Sized>(
            slot: &mut A::Grad,
            g: &<A::Out as Diff>::Grad,
            out: &A::Out,
            a: &A,
            b: &B,
        ) {
            A::adj0(slot, g, out, a, b)
        }

        #[doc = concat!("Adjoint of `", stringify!($fwd), "` for its second operand.")]
        #[inline(always)]
        pub fn $adj1<A: $Trait<B> + ?Sized, B: Diff + ?Sized>(
            slot: &mut B::Grad,
            g: &<A::Out as Diff>::Grad,
            out: &A::Out,
            a: &A,
            b: &B,
        ) {
            A::adj1(slot, g, out, a, b)
        }
    };
}

binary!(
    /// `a + b`.
    Plus, plus, plus_adj0, plus_adj1, try_plus, plus_adj0, plus_adj1, for_numbers: |a, b| a + b
);
binary!(
    /// `a - b`.
    Minus, minus, minus_adj0, minus_adj1, try_minus, minus_adj0, minus_adj1, for_numbers: |a, b| a - b
);
binary!(
    /// `a * b`, elementwise for dlarrays (MATLAB `.*`).
    Times, times, times_adj0, times_adj1, try_times, times_adj0, times_adj1, for_numbers: |a, b| a * b
);
binary!(
    /// `a / b`, elementwise for dlarrays (MATLAB `./`).
    Rdivide, rdivide, rdivide_adj0, rdivide_adj1, try_rdivide, rdivide_adj0, rdivide_adj1, for_numbers: |a, b| a / b
);
binary!(
    /// MATLAB `power` (`.^`); `powf` for two floats.
    Power, power, power_adj0, power_adj1, try_power, power_adj0, power_adj1, for_floats2: |a, b| a.powf(b)
);
binary!(
    /// Four-quadrant arctangent `atan2(a, b)`.
    Atan2, atan2, atan2_adj0, atan2_adj1, try_atan2, atan2_adj0, atan2_adj1, for_floats2: |a, b| a.atan2(b)
);
binary!(
    /// `√(a² + b²)`.
    Hypot, hypot, hypot_adj0, hypot_adj1, try_hypot, hypot_adj0, hypot_adj1, for_floats2: |a, b| a.hypot(b)
);
binary!(
    /// Elementwise maximum (MATLAB `max(a, b)`); ties go to the first operand.
    Maximum, maximum, maximum_adj0, maximum_adj1, try_maximum, maximum_adj0, maximum_adj1, for_floats2: |a, b| a.max(b)
);
binary!(
    /// Elementwise minimum (MATLAB `min(a, b)`); ties go to the first operand.
    Minimum, minimum, minimum_adj0, minimum_adj1, try_minimum, minimum_adj0, minimum_adj1, for_floats2: |a, b| a.min(b)
);

/// Unary minus `-x`.
pub trait Uminus: Diff {
    /// The result.
    type Out: Diff;
    /// `-x`.
    fn fwd(&self) -> Self::Out;
    /// `x̄ −= ȳ`.
    fn adj(slot: &mut Self::Grad, g: &<Self::Out as Diff>::Grad, out: &Self::Out, x: &Self);
}
impl<T: Real> Uminus for DlArray<T> {
    type Out = DlArray<T>;
    #[inline]
    fn fwd(&self) -> DlArray<T> {
        ops::uminus(self)
    }
    #[inline]
    fn adj(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>) {
        ops::uminus_adj(slot, g, out, x)
    }
}
macro_rules! neg_plain {
    ($n:ty) => {
        impl Uminus for $n {
            type Out = $n;
            #[inline(always)]
            fn fwd(&self) -> $n {
                -*self
            }
            #[inline(always)]
            fn adj(_: &mut NoGrad, _: &NoGrad, _: &$n, _: &$n) {}
        }
    };
}
neg_plain!(f64);
neg_plain!(f32);
neg_plain!(i8);
neg_plain!(i16);
neg_plain!(i32);
neg_plain!(i64);
neg_plain!(i128);
neg_plain!(isize);

/// Forward of unary minus.
#[inline(always)]
pub fn uminus<X: Uminus + ?Sized>(x: &X) -> X::Out {
    X::fwd(x)
}

/// Adjoint of unary minus.
#[inline(always)]
pub fn uminus_adj<X: Uminus + ?Sized>(slot: &mut X::Grad, g: &<X::Out as Diff>::Grad, out: &X::Out, x: &X) {
    X::adj(slot, g, out, x)
}

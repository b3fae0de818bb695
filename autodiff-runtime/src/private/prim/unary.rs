//! Elementwise unary primitives and activations: the dlarray kernels, and for the names `f64` and
//! `f32` also have (`exp`, `ln`, `sqrt`, `abs`, `powi`, …) the plain method of the number.

use crate::private::grad::{Diff, NoGrad};
use crate::private::ops;
use crate::{DlArray, Real};

macro_rules! unary {
    ($(#[$doc:meta])* $Trait:ident, $fwd:ident, $adj:ident, $kernel:ident, $kadj:ident $(, |$x:ident| $plain:expr)?) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(
            message = "this operation is not defined for `{Self}` inside `#[differentiable]`",
            note = "it is a dlarray primitive; numbers have it only where Rust's `f64` and `f32` have a method of that name"
        )]
        pub trait $Trait: Diff {
            /// The result.
            type Out: Diff;
            /// The forward computation.
            fn fwd(&self) -> Self::Out;
            /// Accumulates the operand's adjoint.
            fn adj(slot: &mut Self::Grad, g: &<Self::Out as Diff>::Grad, out: &Self::Out, x: &Self);
        }
        impl<T: Real> $Trait for DlArray<T> {
            type Out = DlArray<T>;
            #[inline]
            fn fwd(&self) -> DlArray<T> {
                ops::$kernel(self)
            }
            #[inline]
            fn adj(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>) {
                ops::$kadj(slot, g, out, x)
            }
        }
        $(
            unary!(@plain $Trait, f64, |$x| $plain);
            unary!(@plain $Trait, f32, |$x| $plain);
        )?
        #[doc = concat!("Forward of `", stringify!($fwd), "`, chosen by the operand type.")]
        #[inline(always)]
        pub fn $fwd<X: $Trait + ?Sized>(x: &X) -> <X as $Trait>::Out
        {
            <X as $Trait>::fwd(x)
        }
        #[doc = concat!("Adjoint of `", stringify!($fwd), "`.")]
        #[inline(always)]
        pub fn $adj<X: $Trait + ?Sized>(
            slot: &mut <X as Diff>::Grad,
            g: &<<X as $Trait>::Out as Diff>::Grad,
            out: &<X as $Trait>::Out,
            x: &X,
        )
        {
            <X as $Trait>::adj(slot, g, out, x)
        }
    };
    (@plain $Trait:ident, $n:ty, |$x:ident| $plain:expr) => {
        impl $Trait for $n {
            type Out = $n;
            #[inline(always)]
            fn fwd(&self) -> $n {
                let $x = *self;
                $plain
            }
            #[inline(always)]
            fn adj(_: &mut NoGrad, _: &NoGrad, _: &$n, _: &$n) {}
        }
    };
}

unary!(/// `eˣ`.
    Exp, exp, exp_adj, exp, exp_adj, |x| x.exp());
unary!(/// Natural logarithm (MATLAB `log`); numbers are written `x.ln()`.
    Log, log, log_adj, log, log_adj);
unary!(/// Natural logarithm, Rust's name.
    Ln, ln, ln_adj, log, log_adj, |x| x.ln());
unary!(/// `ln(1 + x)` (MATLAB `log1p`).
    Log1p, log1p, log1p_adj, log1p, log1p_adj);
unary!(/// `ln(1 + x)`, Rust's name.
    Ln1p, ln_1p, ln_1p_adj, log1p, log1p_adj, |x| x.ln_1p());
unary!(/// Square root.
    Sqrt, sqrt, sqrt_adj, sqrt, sqrt_adj, |x| x.sqrt());
unary!(/// Absolute value; `abs'(0) = 0`.
    Abs, abs, abs_adj, abs, abs_adj, |x| x.abs());
unary!(/// MATLAB `sign`: derivative 0.
    Sign, sign, sign_adj, sign, sign_adj);
unary!(/// Sine.
    Sin, sin, sin_adj, sin, sin_adj, |x| x.sin());
unary!(/// Cosine.
    Cos, cos, cos_adj, cos, cos_adj, |x| x.cos());
unary!(/// Tangent.
    Tan, tan, tan_adj, tan, tan_adj, |x| x.tan());
unary!(/// Inverse sine.
    Asin, asin, asin_adj, asin, asin_adj, |x| x.asin());
unary!(/// Inverse cosine.
    Acos, acos, acos_adj, acos, acos_adj, |x| x.acos());
unary!(/// Inverse tangent.
    Atan, atan, atan_adj, atan, atan_adj, |x| x.atan());
unary!(/// Hyperbolic sine.
    Sinh, sinh, sinh_adj, sinh, sinh_adj, |x| x.sinh());
unary!(/// Hyperbolic cosine.
    Cosh, cosh, cosh_adj, cosh, cosh_adj, |x| x.cosh());
unary!(/// Hyperbolic tangent.
    Tanh, tanh, tanh_adj, tanh, tanh_adj, |x| x.tanh());
unary!(/// Error function.
    Erf, erf, erf_adj, erf, erf_adj);
unary!(/// Round toward −∞: derivative 0.
    Floor, floor, floor_adj, floor, floor_adj, |x| x.floor());
unary!(/// Round toward +∞: derivative 0.
    Ceil, ceil, ceil_adj, ceil, ceil_adj, |x| x.ceil());
unary!(/// Round to nearest: derivative 0.
    Round, round, round_adj, round, round_adj, |x| x.round());
unary!(/// Round toward 0 (MATLAB `fix`): derivative 0.
    Fix, fix, fix_adj, fix, fix_adj);
unary!(/// `max(x, 0)`; `relu'(0) = 0`.
    Relu, relu, relu_adj, relu, relu_adj);
unary!(/// Gaussian error linear unit.
    Gelu, gelu, gelu_adj, gelu, gelu_adj);
unary!(/// Logistic sigmoid.
    Sigmoid, sigmoid, sigmoid_adj, sigmoid, sigmoid_adj);
unary!(/// `ln(1 + eˣ)`.
    Softplus, softplus, softplus_adj, softplus, softplus_adj);
unary!(/// Softmax over the channel dimension (the first for unformatted data).
    Softmax, softmax, softmax_adj, softmax, softmax_adj);
unary!(/// Removes singleton dimensions.
    Squeeze, squeeze, squeeze_adj, squeeze, squeeze_adj);
unary!(/// 2-norm of all elements.
    Norm, norm, norm_adj, norm, norm_adj);

/// An elementwise primitive with one plain parameter (`powi(x, n)`, `leakyrelu(x, scale)`), generic
/// over the parameter's type (`f32::powf` takes an `f32`).
macro_rules! unary_extra {
    ($(#[$doc:meta])* $Trait:ident, $fwd:ident, $adj:ident, $kernel:ident, $kadj:ident, $e:ty $(, |$x:ident, $p:ident| $plain:expr, $e64:ty, $e32:ty)?) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(
            message = "this operation is not defined for `{Self}` inside `#[differentiable]`",
            note = "it is a dlarray primitive; numbers have it only where Rust's `f64` and `f32` have a method of that name"
        )]
        pub trait $Trait<E>: Diff {
            /// The result.
            type Out: Diff;
            /// The forward computation.
            fn fwd(&self, p: E) -> Self::Out;
            /// Accumulates the operand's adjoint.
            fn adj(slot: &mut Self::Grad, g: &<Self::Out as Diff>::Grad, out: &Self::Out, x: &Self, p: E);
        }
        impl<T: Real> $Trait<$e> for DlArray<T> {
            type Out = DlArray<T>;
            #[inline]
            fn fwd(&self, p: $e) -> DlArray<T> {
                ops::$kernel(self, p)
            }
            #[inline]
            fn adj(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>, p: $e) {
                ops::$kadj(slot, g, out, x, p)
            }
        }
        $(
            impl $Trait<$e64> for f64 {
                type Out = f64;
                #[inline(always)]
                fn fwd(&self, $p: $e64) -> f64 {
                    let $x = *self;
                    $plain
                }
                #[inline(always)]
                fn adj(_: &mut NoGrad, _: &NoGrad, _: &f64, _: &f64, _: $e64) {}
            }
            impl $Trait<$e32> for f32 {
                type Out = f32;
                #[inline(always)]
                fn fwd(&self, $p: $e32) -> f32 {
                    let $x = *self;
                    $plain
                }
                #[inline(always)]
                fn adj(_: &mut NoGrad, _: &NoGrad, _: &f32, _: &f32, _: $e32) {}
            }
        )?
        #[doc = concat!("Forward of `", stringify!($fwd), "`, chosen by the operand type.")]
        #[inline(always)]
        pub fn $fwd<X: $Trait<E> + ?Sized, E>(x: &X, p: E) -> <X as $Trait<E>>::Out
        {
            <X as $Trait<E>>::fwd(x, p)
        }
        #[doc = concat!("Adjoint of `", stringify!($fwd), "`.")]
        #[inline(always)]
        pub fn $adj<X: $Trait<E> + ?Sized, E>(
            slot: &mut <X as Diff>::Grad,
            g: &<<X as $Trait<E>>::Out as Diff>::Grad,
            out: &<X as $Trait<E>>::Out,
            x: &X,
            p: E,
        )
        {
            <X as $Trait<E>>::adj(slot, g, out, x, p)
        }
    };
}

unary_extra!(/// `xⁿ` for an integer `n`.
    Powi, powi, powi_adj, powi, powi_adj, i32, |x, n| x.powi(n), i32, i32);
unary_extra!(/// `xᵖ` for a real `p`.
    Powf, powf, powf_adj, powf, powf_adj, f64, |x, p| x.powf(p), f64, f32);
unary_extra!(/// Leaky ReLU with the given slope below 0.
    Leakyrelu, leakyrelu, leakyrelu_adj, leakyrelu, leakyrelu_adj, f64);

//! Reductions over dimensions (`sum mean prod max min var std logsumexp`) and `cumsum`: dlarray
//! kernels. `max` and `min` of two numbers are the plain `f64::max`, `Ord::max`, … (MATLAB's
//! two-argument `max(a, b)` on dlarrays is `maximum`).

use crate::error::Result;
use crate::private::grad::{Diff, NoGrad};
use crate::private::ops;
use crate::{Dims, DlArray, Real};

macro_rules! reduction {
    ($(#[$doc:meta])* $Trait:ident, $fwd:ident, $adj:ident, $kernel:ident, $kadj:ident $(, |$a:ident, $b:ident| $plain:expr)?) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(
            message = "this operation is not defined for `{Self}` with a `{E}` argument inside `#[differentiable]`",
            note = "dlarray reductions take the dimensions (`All`, a dimension, a list of dimensions)"
        )]
        pub trait $Trait<E>: Diff {
            /// The result.
            type Out: Diff;
            /// The forward computation.
            #[track_caller]
            fn fwd(&self, e: E) -> Result<Self::Out>;
            /// Accumulates the operand's adjoint.
            fn adj(slot: &mut Self::Grad, g: &<Self::Out as Diff>::Grad, out: &Self::Out, x: &Self, e: E);
        }
        impl<T: Real, D: Into<Dims>> $Trait<D> for DlArray<T> {
            type Out = DlArray<T>;
            #[track_caller]
            #[inline]
            fn fwd(&self, d: D) -> Result<DlArray<T>> {
                ops::$kernel(self, d)
            }
            #[inline]
            fn adj(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>, d: D) {
                ops::$kadj(slot, g, out, x, d)
            }
        }
        $(
            macro_rules! plain_pair {
                ($n:ty) => {
                    impl $Trait<$n> for $n {
                        type Out = $n;
                        #[track_caller]
                        #[inline(always)]
                        fn fwd(&self, e: $n) -> Result<$n> {
                            let ($a, $b) = (*self, e);
                            Ok($plain)
                        }
                        #[inline(always)]
                        fn adj(_: &mut NoGrad, _: &NoGrad, _: &$n, _: &$n, _: $n) {}
                    }
                };
            }
            super::for_numbers!(plain_pair);
        )?
        #[doc = concat!("Forward of `", stringify!($fwd), "`, chosen by the operand type.")]
        #[track_caller]
        #[inline(always)]
        pub fn $fwd<X: $Trait<E> + ?Sized, E>(x: &X, e: E) -> Result<<X as $Trait<E>>::Out>
        {
            <X as $Trait<E>>::fwd(x, e)
        }
        #[doc = concat!("Adjoint of `", stringify!($fwd), "`.")]
        #[inline(always)]
        pub fn $adj<X: $Trait<E> + ?Sized, E>(
            slot: &mut <X as Diff>::Grad,
            g: &<<X as $Trait<E>>::Out as Diff>::Grad,
            out: &<X as $Trait<E>>::Out,
            x: &X,
            e: E,
        )
        {
            <X as $Trait<E>>::adj(slot, g, out, x, e)
        }
    };
}

reduction!(/// Sum over dimensions.
    Sum, sum, sum_adj, try_sum, sum_adj);
reduction!(/// Mean over dimensions.
    Mean, mean, mean_adj, try_mean, mean_adj);
reduction!(/// Product over dimensions.
    Prod, prod, prod_adj, try_prod, prod_adj);
reduction!(/// Maximum over dimensions (ties: the first); for two numbers, the larger.
    Max, max, max_adj, try_max, max_adj, |a, b| if b > a { b } else { a });
reduction!(/// Minimum over dimensions (ties: the first); for two numbers, the smaller.
    Min, min, min_adj, try_min, min_adj, |a, b| if b < a { b } else { a });
reduction!(/// Variance over dimensions (normalized by n − 1).
    Var, var, var_adj, try_var, var_adj);
reduction!(/// Standard deviation over dimensions.
    Std, std, std_adj, try_std, std_adj);
reduction!(/// `log Σ eˣ` over dimensions, computed stably.
    Logsumexp, logsumexp, logsumexp_adj, try_logsumexp, logsumexp_adj);

/// Cumulative sum along a dimension.
pub trait Cumsum: Diff {
    /// The result.
    type Out: Diff;
    /// The forward computation.
    #[track_caller]
    fn fwd(&self, dim: usize) -> Result<Self::Out>;
    /// Accumulates the operand's adjoint.
    fn adj(slot: &mut Self::Grad, g: &<Self::Out as Diff>::Grad, out: &Self::Out, x: &Self, dim: usize);
}
impl<T: Real> Cumsum for DlArray<T> {
    type Out = DlArray<T>;
    #[track_caller]
    #[inline]
    fn fwd(&self, dim: usize) -> Result<DlArray<T>> {
        ops::try_cumsum(self, dim)
    }
    #[inline]
    fn adj(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>, dim: usize) {
        ops::cumsum_adj(slot, g, out, x, dim)
    }
}
/// Forward of `cumsum`.
#[track_caller]
#[inline(always)]
pub fn cumsum<X: Cumsum + ?Sized>(x: &X, dim: usize) -> Result<<X as Cumsum>::Out> {
    <X as Cumsum>::fwd(x, dim)
}
/// Adjoint of `cumsum`.
#[inline(always)]
pub fn cumsum_adj<X: Cumsum + ?Sized>(
    slot: &mut <X as Diff>::Grad,
    g: &<<X as Cumsum>::Out as Diff>::Grad,
    out: &<X as Cumsum>::Out,
    x: &X,
    dim: usize,
) {
    <X as Cumsum>::adj(slot, g, out, x, dim)
}

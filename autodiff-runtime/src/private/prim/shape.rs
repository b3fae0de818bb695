//! Shape primitives (`reshape permute repmat flip transpose cat`) and the dlarray-only primitives with
//! several operands (`fullyconnect`, the losses): dlarray kernels.

use super::Val;
use crate::error::Result;
use crate::private::grad::Diff;
use crate::private::ops;
use crate::{DlArray, Real};

macro_rules! shape_op {
    ($(#[$doc:meta])* $Trait:ident, $fwd:ident, $adj:ident, $kernel:ident, $kadj:ident, |$e:ident| $conv:expr, $E:ident: $bound:path) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(
            message = "this operation is not defined for `{Self}` with a `{E}` argument inside `#[differentiable]`",
            note = "it is a dlarray primitive"
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
        impl<T: Real, $E: $bound> $Trait<$E> for DlArray<T> {
            type Out = DlArray<T>;
            #[track_caller]
            #[inline]
            fn fwd(&self, $e: $E) -> Result<DlArray<T>> {
                ops::$kernel(self, $conv)
            }
            #[inline]
            fn adj(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>, $e: $E) {
                ops::$kadj(slot, g, out, x, $conv)
            }
        }
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

shape_op!(/// MATLAB `reshape` (column-major).
    Reshape, reshape, reshape_adj, try_reshape, reshape_adj, |e| e.as_ref(), E: AsRef<[usize]>);
shape_op!(/// Reorders dimensions.
    Permute, permute, permute_adj, try_permute, permute_adj, |e| e.as_ref(), E: AsRef<[usize]>);
shape_op!(/// Tiles copies.
    Repmat, repmat, repmat_adj, try_repmat, repmat_adj, |e| e.as_ref(), E: AsRef<[usize]>);
shape_op!(/// Reverses the order along a dimension.
    Flip, flip, flip_adj, try_flip, flip_adj, |e| e.dim(), E: Dim);

/// A dimension number: `usize` only, so a literal dimension (`flip(x, 1)`) needs no suffix.
pub trait Dim: Copy {
    /// The dimension.
    fn dim(self) -> usize;
}
impl Dim for usize {
    #[inline(always)]
    fn dim(self) -> usize {
        self
    }
}

/// Transpose of a matrix (MATLAB `x.'`).
pub trait Transpose: Diff {
    /// The result.
    type Out: Diff;
    /// The forward computation.
    #[track_caller]
    fn fwd(&self) -> Result<Self::Out>;
    /// Accumulates the operand's adjoint.
    fn adj(slot: &mut Self::Grad, g: &<Self::Out as Diff>::Grad, out: &Self::Out, x: &Self);
}
impl<T: Real> Transpose for DlArray<T> {
    type Out = DlArray<T>;
    #[track_caller]
    #[inline]
    fn fwd(&self) -> Result<DlArray<T>> {
        ops::try_transpose(self)
    }
    #[inline]
    fn adj(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>) {
        ops::transpose_adj(slot, g, out, x)
    }
}
/// Forward of `transpose`.
#[track_caller]
#[inline(always)]
pub fn transpose<X: Transpose + ?Sized>(x: &X) -> Result<<X as Transpose>::Out> {
    <X as Transpose>::fwd(x)
}
/// Adjoint of `transpose`.
#[inline(always)]
pub fn transpose_adj<X: Transpose + ?Sized>(
    slot: &mut <X as Diff>::Grad,
    g: &<<X as Transpose>::Out as Diff>::Grad,
    out: &<X as Transpose>::Out,
    x: &X,
) {
    <X as Transpose>::adj(slot, g, out, x)
}

/// A dlarray-only primitive of two or three dlarray operands: forward and one adjoint per operand.
macro_rules! dl_only {
    ($(#[$doc:meta])* $fwd:ident, $kernel:ident, $args:tt, [$($adj:ident = $kadj:ident),+]) => {
        dl_only!(@fwd $(#[$doc])* $fwd, $kernel, $args);
        $(dl_only!(@adj $fwd, $adj, $kadj, $args);)+
    };
    (@fwd $(#[$doc:meta])* $fwd:ident, $kernel:ident, [$($a:ident: $A:ident),+]) => {
        $(#[$doc])*
        #[track_caller]
        #[inline(always)]
        pub fn $fwd<T: Real, $($A: Val<T = DlArray<T>> + ?Sized),+>($($a: &$A),+) -> Result<DlArray<T>> {
            ops::$kernel($($a.val()),+)
        }
    };
    (@adj $fwd:ident, $adj:ident, $kadj:ident, [$($a:ident: $A:ident),+]) => {
        #[doc = concat!("Adjoint of `", stringify!($fwd), "` for one operand.")]
        #[inline(always)]
        pub fn $adj<T: Real, $($A: Val<T = DlArray<T>> + ?Sized),+>(
            slot: &mut DlArray<T>,
            g: &DlArray<T>,
            out: &DlArray<T>,
            $($a: &$A),+
        ) {
            ops::$kadj(slot, g, out, $($a.val()),+)
        }
    };
}

dl_only!(/// Matrix product.
    matmul, try_matmul, [a: A, b: B], [matmul_adj0 = matmul_adj0, matmul_adj1 = matmul_adj1]);
dl_only!(/// MATLAB `fullyconnect(X, W, b)`.
    fullyconnect, try_fullyconnect, [x: X, w: W, b: B],
    [fullyconnect_adj0 = fullyconnect_adj0, fullyconnect_adj1 = fullyconnect_adj1, fullyconnect_adj2 = fullyconnect_adj2]);
dl_only!(/// Cross-entropy loss.
    crossentropy, try_crossentropy, [y: Y, t: U], [crossentropy_adj0 = crossentropy_adj0, crossentropy_adj1 = crossentropy_adj1]);
dl_only!(/// Half mean squared error.
    mse, try_mse, [y: Y, t: U], [mse_adj0 = mse_adj0, mse_adj1 = mse_adj1]);
dl_only!(/// L1 loss.
    l1loss, try_l1loss, [y: Y, t: U], [l1loss_adj0 = l1loss_adj0, l1loss_adj1 = l1loss_adj1]);
dl_only!(/// L2 loss.
    l2loss, try_l2loss, [y: Y, t: U], [l2loss_adj0 = l2loss_adj0, l2loss_adj1 = l2loss_adj1]);
dl_only!(/// Huber loss.
    huber, try_huber, [y: Y, t: U], [huber_adj0 = huber_adj0, huber_adj1 = huber_adj1]);

/// MATLAB `cat(dim, a, b, …)` of dlarrays.
#[track_caller]
#[inline]
pub fn cat<T: Real>(dim: usize, xs: &[&DlArray<T>]) -> Result<DlArray<T>> {
    ops::try_cat(dim, xs)
}
/// Adjoint of `cat` for operand `i`.
#[inline]
pub fn cat_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    dim: usize,
    xs: &[&DlArray<T>],
    i: usize,
) {
    ops::cat_adj(slot, g, out, dim, xs, i)
}

//! Reductions, each beside its adjoint. Reduced dimensions are kept with size 1 (MATLAB); [`All`](super::All)
//! reduces to 1x1. Dimensions are 0-based (`sum(&x, 0)` is MATLAB's `sum(x, 1)`); a dimension beyond the
//! array's last is size 1 and leaves the data unchanged.

use ndarray::{ArrayD, ArrayViewD, Axis, IxDyn, Slice, Zip};

use super::colmajor;
use super::elementwise::{acc_array, cow, expand, slot_mut, with_slot_array};
use super::{Dims, or_panic};
use crate::dlarray::{Data, DlArray, Tag, normalize};
use crate::error::{At, Error, Result};
use crate::{Format, Real};

/// The result of a reduction from its raw data.
fn wrap<T: Real>(x: &DlArray<T>, arr: ArrayD<T>) -> DlArray<T> {
    DlArray::from_normalized(normalize(arr, x.fmt.len()), x.fmt, x.tag)
}

fn scalar_like<T: Real>(x: &DlArray<T>, v: T) -> DlArray<T> {
    DlArray { data: Data::Scalar(v), fmt: x.fmt, tag: x.tag }
}

fn check_dims(op: &'static str, dims: &Dims) -> Result<()> {
    if let Dims::List(l) = dims
        && l.is_empty()
    {
        return Err(Error::invalid(op, "the list of dimensions is empty"));
    }
    Ok(())
}

/// Folds every reduced axis of `x` (keeping it with size 1).
fn fold_dims<T: Real>(x: ArrayViewD<'_, T>, mask: &[bool], init: T, f: impl Fn(T, T) -> T + Copy) -> ArrayD<T> {
    let mut cur = x.to_owned();
    for (k, &m) in mask.iter().enumerate() {
        if m && cur.shape()[k] != 1 {
            cur = cur.fold_axis(Axis(k), init, |&a, &b| f(a, b)).insert_axis(Axis(k));
        }
    }
    cur
}

/// The size after reducing the masked dimensions (kept with size 1).
fn reduced(shape: &[usize], mask: &[bool]) -> Vec<usize> {
    shape.iter().zip(mask).map(|(&d, &m)| if m { 1 } else { d }).collect()
}

/// Number of elements folded into each output element.
fn reduced_count(size: &[usize], dims: &Dims) -> usize {
    match dims {
        Dims::All => size.iter().product(),
        Dims::List(l) => l.iter().filter(|&&d| d < size.len()).map(|&d| size[d]).product(),
    }
}

/// `slot += f(g, x, y)` over the size of `x`, with `g` and `y` (reduced sizes) expanded.
fn acc_expand<T: Real>(
    slot: &mut DlArray<T>,
    x: &DlArray<T>,
    g: &DlArray<T>,
    y: &DlArray<T>,
    f: impl Fn(T, T, T) -> T,
) {
    let xv = x.view();
    let shape = xv.shape().to_vec();
    if let (Some(gs), Some(xs), Some(ys)) = (g.scalar_value(), x.scalar_value(), y.scalar_value()) {
        super::elementwise::acc_scalar(slot, f(gs, xs, ys));
        return;
    }
    if slot.is_lazy()
        && let (Some(gs), Some(ys)) = (g.scalar_value(), y.scalar_value())
    {
        // a reduction to 1x1: the same g and y for every element
        let arr = crate::pool::map(xv, |x| f(gs, x, ys));
        *slot = DlArray::from_normalized(arr, Format::NONE, Tag::UNTRACED);
        return;
    }
    let (gc, yc) = (cow(g.view(), shape.len()), cow(y.view(), shape.len()));
    if slot.is_lazy()
        && let Some(arr) = colmajor::zip_n([&gc.view(), &xv, &yc.view()], &shape, |[g, x, y]| f(g, x, y))
    {
        *slot = DlArray::from_normalized(arr, Format::NONE, Tag::UNTRACED);
        return;
    }
    let (gv, yv) = (expand(&gc, &shape), expand(&yc, &shape));
    if slot.is_lazy() {
        let arr = Zip::from(gv).and(&xv).and(yv).map_collect(|&g, &x, &y| f(g, x, y));
        *slot = DlArray::from_normalized(arr, Format::NONE, Tag::UNTRACED);
    } else if slot.is_scalar() {
        let arr = Zip::from(gv).and(&xv).and(yv).map_collect(|&g, &x, &y| f(g, x, y));
        acc_array(slot, arr);
    } else {
        Zip::from(slot_mut(slot)).and(gv).and(&xv).and(yv).for_each(|s, &g, &x, &y| *s += f(g, x, y));
    }
}

macro_rules! reduction {
    ($(#[$doc:meta])* $name:ident, $try_name:ident, $op:literal, $example:literal) => {
        $(#[$doc])*
        ///
        /// # Example
        ///
        /// ```
        /// use autodiff_runtime::{dlarray, All, ops::*};
        #[doc = $example]
        /// ```
        #[track_caller]
        pub fn $name<T: Real>(x: &DlArray<T>, dims: impl Into<Dims>) -> DlArray<T> {
            or_panic($try_name(x, dims))
        }

        #[doc = concat!("Fallible form of [`", stringify!($name), "`](fn@", stringify!($name), "): an empty list of dimensions is an error.")]
        ///
        /// # Example
        ///
        /// ```
        /// use autodiff_runtime::{dlarray, ops::*};
        #[doc = concat!("assert!(", stringify!($try_name), "(&dlarray([1.0, 2.0]), Vec::<usize>::new()).is_err());")]
        /// ```
        #[track_caller]
        pub fn $try_name<T: Real>(x: &DlArray<T>, dims: impl Into<Dims>) -> Result<DlArray<T>> {
            let dims = dims.into();
            check_dims($op, &dims).map_err(At::attach(At::caller()))?;
            Ok(paste_impl::$name(x, &dims))
        }
    };
}

mod paste_impl {
    use super::*;

    pub(super) fn sum<T: Real>(x: &DlArray<T>, dims: &Dims) -> DlArray<T> {
        match (&x.data, dims) {
            (Data::Scalar(_), _) => x.clone(),
            (Data::Array(a), Dims::All) => scalar_like(x, a.sum()),
            (Data::Array(a), Dims::List(_)) => {
                let mask = dims.mask(a.ndim());
                if let Some(out) = colmajor::reduce(&a.view(), &reduced(a.shape(), &mask), T::ZERO, |s, v| s + v) {
                    return wrap(x, out);
                }
                let mut cur: ndarray::CowArray<'_, T, IxDyn> = a.view().into();
                for (k, &m) in mask.iter().enumerate() {
                    if m && cur.shape()[k] != 1 {
                        cur = cur.sum_axis(Axis(k)).insert_axis(Axis(k)).into();
                    }
                }
                wrap(x, cur.into_owned())
            }
        }
    }

    pub(super) fn mean<T: Real>(x: &DlArray<T>, dims: &Dims) -> DlArray<T> {
        let n = T::from_usize(reduced_count(x.size(), dims));
        super::super::elementwise::map(&sum(x, dims), |v| v / n)
    }

    pub(super) fn prod<T: Real>(x: &DlArray<T>, dims: &Dims) -> DlArray<T> {
        match (&x.data, dims) {
            (Data::Scalar(_), _) => x.clone(),
            (Data::Array(a), Dims::All) => scalar_like(x, a.iter().fold(T::ONE, |p, &v| p * v)),
            (Data::Array(a), Dims::List(_)) => wrap(x, fold_dims(a.view(), &dims.mask(a.ndim()), T::ONE, |p, v| p * v)),
        }
    }

    pub(super) fn max<T: Real>(x: &DlArray<T>, dims: &Dims) -> DlArray<T> {
        extremum(x, dims, true)
    }

    pub(super) fn min<T: Real>(x: &DlArray<T>, dims: &Dims) -> DlArray<T> {
        extremum(x, dims, false)
    }

    fn extremum<T: Real>(x: &DlArray<T>, dims: &Dims, larger: bool) -> DlArray<T> {
        let pick = move |a: T, b: T| {
            if a.is_nan() {
                b
            } else if b.is_nan() {
                a
            } else if larger {
                if b > a { b } else { a }
            } else if b < a {
                b
            } else {
                a
            }
        };
        let init = if larger { -T::INFINITY } else { T::INFINITY };
        let nan_if_all_nan = |acc: T, any: bool| if any { acc } else { T::from_f64(f64::NAN) };
        match (&x.data, dims) {
            (Data::Scalar(_), _) => x.clone(),
            (Data::Array(a), Dims::All) => {
                let any = a.iter().any(|v| !v.is_nan());
                scalar_like(x, nan_if_all_nan(a.iter().fold(init, |m, &v| pick(m, v)), any))
            }
            (Data::Array(a), Dims::List(_)) => {
                let mask = dims.mask(a.ndim());
                // from NaN: a slice stays NaN only when every element is NaN, as in MATLAB
                if let Some(out) = colmajor::reduce(&a.view(), &reduced(a.shape(), &mask), T::from_f64(f64::NAN), pick)
                {
                    return wrap(x, out);
                }
                let folded = fold_dims(a.view(), &mask, init, pick);
                // all-NaN slices stay NaN (MATLAB returns NaN when every element is NaN)
                let any =
                    fold_dims(a.mapv(|v| if v.is_nan() { T::ZERO } else { T::ONE }).view(), &mask, T::ZERO, |p, v| {
                        p + v
                    });
                let out = Zip::from(&folded).and(&any).map_collect(|&m, &c| nan_if_all_nan(m, c > T::ZERO));
                wrap(x, out)
            }
        }
    }

    pub(super) fn norm<T: Real>(x: &DlArray<T>, _dims: &Dims) -> DlArray<T> {
        let v = x.view();
        let m = v.iter().fold(T::ZERO, |m, &a| m.max(a.abs()));
        let n =
            if m == T::ZERO || !m.is_finite() { m } else { m * v.iter().map(|&a| (a / m) * (a / m)).sum::<T>().sqrt() };
        DlArray { data: Data::Scalar(n), fmt: Format::NONE, tag: x.tag }
    }

    pub(super) fn var<T: Real>(x: &DlArray<T>, dims: &Dims) -> DlArray<T> {
        let n = reduced_count(x.size(), dims);
        if n <= 1 {
            return super::super::elementwise::map(&sum(x, dims), |_| T::ZERO);
        }
        let mu = mean(x, dims);
        let sq = centered_sq(x, &mu);
        let nm1 = T::from_usize(n - 1);
        super::super::elementwise::map(&sum(&sq, dims), |v| v / nm1).retag(x.tag)
    }

    pub(super) fn std<T: Real>(x: &DlArray<T>, dims: &Dims) -> DlArray<T> {
        super::super::elementwise::map(&var(x, dims), |v| v.sqrt())
    }

    pub(super) fn logsumexp<T: Real>(x: &DlArray<T>, dims: &Dims) -> DlArray<T> {
        let m = max(x, dims);
        let shape = x.size().to_vec();
        let mc = cow(m.view(), shape.len());
        let shift = |v: T, m: T| if m.is_finite() { (v - m).exp() } else { T::ONE };
        let shifted = match colmajor::zip(&x.view(), &mc.view(), &shape, shift) {
            Some(s) => s,
            None => Zip::from(&x.view()).and(expand(&mc, &shape)).map_collect(|&v, &m| shift(v, m)),
        };
        let s = sum(&DlArray::from_normalized(shifted, x.fmt, Tag::UNTRACED), dims);
        let out = crate::pool::zip(m.view(), s.view(), |m, s| if m.is_finite() { m + s.ln() } else { m });
        wrap(x, out)
    }

    /// (x − μ)² with μ expanded.
    pub(super) fn centered_sq<T: Real>(x: &DlArray<T>, mu: &DlArray<T>) -> DlArray<T> {
        let shape = x.size().to_vec();
        let mc = cow(mu.view(), shape.len());
        let mv = expand(&mc, &shape);
        let arr = Zip::from(&x.view()).and(mv).map_collect(|&v, &m| (v - m) * (v - m));
        DlArray::from_normalized(arr, x.fmt, Tag::UNTRACED)
    }
}

reduction!(
    /// Sum over `dims` (MATLAB `sum(x, dim)` / `sum(x, 'all')`).
    sum, try_sum, "sum", "let x = dlarray([[1.0, 2.0], [3.0, 4.0]]);\nassert_eq!(sum(&x, 1).to_vec(), vec![3.0, 7.0]);\nassert_eq!(sum(&x, All).to_vec(), vec![10.0]);");
/// Adjoint of `sum`: `x̄ += g` expanded over the summed dimensions.
pub fn sum_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    x: &DlArray<T>,
    _dims: impl Into<Dims>,
) {
    if slot.is_lazy()
        && g.scalar_value().is_none()
        && let Some(arr) = {
            let (xv, gc) = (x.view(), cow(g.view(), x.ndims()));
            colmajor::zip(&gc.view(), &gc.view(), xv.shape(), |g, _| g)
        }
    {
        // a first contribution: g expanded to the size of x
        *slot = DlArray::from_normalized(arr, Format::NONE, Tag::UNTRACED);
        return;
    }
    acc_expand(slot, x, g, out, |g, _, _| g);
}

reduction!(
    /// Arithmetic mean over `dims`.
    mean, try_mean, "mean", "assert_eq!(mean(&dlarray([1.0, 2.0, 6.0]), All).to_vec(), vec![3.0]);");
/// Adjoint of `mean`: `x̄ += g / n`, `n` the number of averaged elements.
pub fn mean_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    x: &DlArray<T>,
    dims: impl Into<Dims>,
) {
    let n = T::from_usize(reduced_count(x.size(), &dims.into()));
    acc_expand(slot, x, g, out, |g, _, _| g / n);
}

reduction!(
    /// Product over `dims`.
    prod, try_prod, "prod", "assert_eq!(prod(&dlarray([2.0, 3.0, 4.0]), All).to_vec(), vec![24.0]);");
/// Adjoint of `prod`: `x̄ᵢ += g·∏_{j≠i} xⱼ`, computed without dividing by zero.
pub fn prod_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    x: &DlArray<T>,
    dims: impl Into<Dims>,
) {
    let dims = dims.into();
    let size = x.size().to_vec();
    // product of the non-zero elements and the count of zeros, per output element
    let nz = x.view().mapv(|v| if v == T::ZERO { T::ONE } else { v });
    let zeros = x.view().mapv(|v| if v == T::ZERO { T::ONE } else { T::ZERO });
    let nzx = DlArray::from_normalized(nz, Format::NONE, Tag::UNTRACED);
    let zx = DlArray::from_normalized(zeros, Format::NONE, Tag::UNTRACED);
    let p = paste_impl::prod(&nzx, &dims);
    let c = paste_impl::sum(&zx, &dims);
    let (pc, cc, gc) = (cow(p.view(), size.len()), cow(c.view(), size.len()), cow(g.view(), size.len()));
    let (pv, cv, gv) = (expand(&pc, &size), expand(&cc, &size), expand(&gc, &size));
    let contrib = Zip::from(&x.view()).and(pv).and(cv).and(gv).map_collect(|&v, &p, &c, &g| {
        if c == T::ZERO {
            g * p / v
        } else if c == T::ONE && v == T::ZERO {
            g * p
        } else {
            T::ZERO
        }
    });
    acc_array(slot, contrib);
}

/// Adjoint for max/min reductions: each output's gradient goes to the first element (column-major order
/// over the reduced dimensions) equal to it.
fn extremum_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>, dims: Dims) {
    let size = x.size().to_vec();
    let mask = dims.mask(size.len());
    let xv = x.view();
    let ov = out.view();
    let gv = g.view();
    let out_shape: Vec<usize> = size.iter().zip(&mask).map(|(&d, &m)| if m { 1 } else { d }).collect();
    let ov =
        crate::ops::elementwise::pad(ov, size.len()).to_shape(IxDyn(&out_shape)).expect("reduced size").into_owned();
    let gv =
        crate::ops::elementwise::pad(gv, size.len()).to_shape(IxDyn(&out_shape)).expect("reduced size").into_owned();
    let mut claimed = ArrayD::<bool>::from_elem(IxDyn(&out_shape), false);
    let n: usize = size.iter().product();
    with_slot_array(slot, &size, |s| {
        let mut idx = vec![0usize; size.len()];
        let mut oidx = vec![0usize; size.len()];
        for k in 0..n {
            if k > 0 {
                // column-major odometer
                for d in 0..size.len() {
                    idx[d] += 1;
                    if idx[d] < size[d] {
                        break;
                    }
                    idx[d] = 0;
                }
            }
            for d in 0..size.len() {
                oidx[d] = if mask[d] { 0 } else { idx[d] };
            }
            let o = ov[IxDyn(&oidx)];
            let v = xv[IxDyn(&idx)];
            let hit = v == o || (o.is_nan() && v.is_nan());
            if hit && !claimed[IxDyn(&oidx)] {
                claimed[IxDyn(&oidx)] = true;
                s[IxDyn(&idx)] += gv[IxDyn(&oidx)];
            }
        }
    });
}

reduction!(
    /// Largest element over `dims`, NaN omitted (MATLAB `max(x, [], dim)`). The elementwise form is
    /// [`maximum`](super::maximum).
    max, try_max, "max", "assert_eq!(max(&dlarray([[1.0, 5.0], [7.0, 2.0]]), 0).to_vec(), vec![7.0, 5.0]);");
/// Adjoint of `max`: `x̄ += g` at the first occurrence of each maximum (ties: first occurrence).
pub fn max_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    x: &DlArray<T>,
    dims: impl Into<Dims>,
) {
    extremum_adj(slot, g, out, x, dims.into());
}

reduction!(
    /// Smallest element over `dims`, NaN omitted (MATLAB `min(x, [], dim)`). The elementwise form is
    /// [`minimum`](super::minimum).
    min, try_min, "min", "assert_eq!(min(&dlarray([3.0, 1.0, 1.0]), All).to_vec(), vec![1.0]);");
/// Adjoint of `min`: `x̄ += g` at the first occurrence of each minimum.
pub fn min_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    x: &DlArray<T>,
    dims: impl Into<Dims>,
) {
    extremum_adj(slot, g, out, x, dims.into());
}

/// Euclidean norm of all elements (the vector 2-norm; for a matrix, the Frobenius norm), computed with
/// scaling so that it does not overflow. The result is 1x1 and unformatted.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::norm};
/// assert_eq!(norm(&dlarray([3.0, 4.0])).to_vec(), vec![5.0]);
/// assert!((norm(&dlarray([3e200_f64, 4e200])).get(0) / 5e200 - 1.0).abs() < 1e-15); // no overflow
/// ```
pub fn norm<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    paste_impl::norm(x, &Dims::All)
}
/// Adjoint of `norm`: `x̄ += g·x / ‖x‖` (0 when `‖x‖ = 0`).
pub fn norm_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>) {
    acc_expand(slot, x, g, out, |g, x, n| if n == T::ZERO { T::ZERO } else { g * x / n });
}

reduction!(
    /// Variance over `dims` with MATLAB's default normalization by `n − 1` (0 for a single element).
    var, try_var, "var", "assert_eq!(var(&dlarray([1.0, 2.0, 3.0, 4.0]), All).to_vec(), vec![5.0 / 3.0]);");
/// Adjoint of `var`: `x̄ += g·2(x − μ)/(n − 1)`.
pub fn var_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    x: &DlArray<T>,
    dims: impl Into<Dims>,
) {
    let dims = dims.into();
    let n = reduced_count(x.size(), &dims);
    if n <= 1 {
        return;
    }
    let mu = paste_impl::mean(x, &dims);
    let c = T::from_f64(2.0) / T::from_usize(n - 1);
    acc_expand(slot, x, g, &mu, |g, x, m| g * c * (x - m));
}

reduction!(
    /// Standard deviation over `dims`, normalized by `n − 1`.
    std, try_std, "std", "assert_eq!(std(&dlarray([2.0, 4.0]), All).to_vec(), vec![2.0_f64.sqrt()]);");
/// Adjoint of `std`: `x̄ += g·(x − μ)/((n − 1)·σ)` (0 when `σ = 0`).
pub fn std_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    x: &DlArray<T>,
    dims: impl Into<Dims>,
) {
    let dims = dims.into();
    let n = reduced_count(x.size(), &dims);
    if n <= 1 {
        return;
    }
    let mu = paste_impl::mean(x, &dims);
    let nm1 = T::from_usize(n - 1);
    // fold σ into the expanded g: g/σ per output element
    let gs =
        Zip::from(&g.view()).and(&out.view()).map_collect(|&g, &s| if s == T::ZERO { T::ZERO } else { g / (nm1 * s) });
    let gs = DlArray::from_normalized(gs, Format::NONE, Tag::UNTRACED);
    acc_expand(slot, x, &gs, &mu, |g, x, m| g * (x - m));
}

reduction!(
    /// `log Σ exp(x)` over `dims`, computed stably (shifted by the maximum): no overflow for large inputs.
    logsumexp, try_logsumexp, "logsumexp", "let y = logsumexp(&dlarray([1000.0, 1000.0]), All);\nassert_eq!(y.to_vec(), vec![1000.0 + std::f64::consts::LN_2]);");
/// Adjoint of `logsumexp`: `x̄ += g·exp(x − out)` (the softmax).
pub fn logsumexp_adj<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    out: &DlArray<T>,
    x: &DlArray<T>,
    _dims: impl Into<Dims>,
) {
    acc_expand(slot, x, g, out, |g, x, o| if o.is_finite() { g * (x - o).exp() } else { T::ZERO });
}

/// Cumulative sum along dimension `dim` (0-based; MATLAB `cumsum(x, dim+1)`).
///
/// # Panics
///
/// Never for a valid array; a `dim` beyond the last dimension returns `x` unchanged.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::cumsum};
/// assert_eq!(cumsum(&dlarray([1.0, 2.0, 3.0]), 1).to_vec(), vec![1.0, 3.0, 6.0]);
/// ```
#[track_caller]
pub fn cumsum<T: Real>(x: &DlArray<T>, dim: usize) -> DlArray<T> {
    or_panic(try_cumsum(x, dim))
}

/// Fallible form of [`cumsum`] (kept for the uniform `try_` surface; it does not fail).
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_cumsum};
/// assert_eq!(try_cumsum(&dlarray([[1.0], [2.0]]), 0).unwrap().to_vec(), vec![1.0, 3.0]);
/// ```
#[track_caller]
pub fn try_cumsum<T: Real>(x: &DlArray<T>, dim: usize) -> Result<DlArray<T>> {
    if dim >= x.ndims() || x.size()[dim] == 1 {
        return Ok(x.clone());
    }
    let mut a = x.view().to_owned();
    a.accumulate_axis_inplace(Axis(dim), |&prev, cur| *cur += prev);
    Ok(DlArray::from_normalized(a, x.fmt, x.tag))
}
/// Adjoint of `cumsum`: `x̄ += reverse-cumsum(g)` along `dim`.
pub fn cumsum_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, x: &DlArray<T>, dim: usize) {
    if dim >= x.ndims() || x.size()[dim] == 1 {
        super::elementwise::acc(slot, g);
        return;
    }
    let mut a = g.view().to_owned();
    {
        let mut rev = a.slice_axis_mut(Axis(dim), Slice::new(0, None, -1));
        rev.accumulate_axis_inplace(Axis(dim), |&prev, cur| *cur += prev);
    }
    acc_array(slot, a);
}

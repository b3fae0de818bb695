//! Deep-learning operations for multilayer perceptrons, each beside its adjoints.
//!
//! Data follows MATLAB's formats: `fullyconnect` and `softmax` read the `C` (channel) and `B` (batch)
//! labels. **Unformatted** inputs are treated as `"CB"`: channels down the first dimension, observations
//! along the last. Losses divide by the number of observations `N` (the size of `B`, or of the last
//! dimension when unformatted), MATLAB's default `NormalizationFactor = "batch-size"`.

use ndarray::{ArrayD, Axis, Ix2, IxDyn, Order, Zip};

use super::elementwise::{acc_array, acc_scalar, cow, expand, map};
use super::linalg::mat_acc;
use super::or_panic;
use crate::dlarray::{Data, DlArray, Tag, normalize};
use crate::error::{At, Error, Result};
use crate::{Format, Label, Real, Size};

/// Number of observations: the size of `B` when labelled, else of the last dimension.
fn observations<T: Real>(y: &DlArray<T>) -> usize {
    match y.finddim(Label::B).first() {
        Some(&d) => y.size_of(d),
        None if y.fmt.is_empty() => y.size_of(y.ndims() - 1),
        None => 1,
    }
    .max(1)
}

/// Splits the size of `x` into (features K = S…·C, observations N = B·T) for `fullyconnect`.
fn fc_split<T: Real>(x: &DlArray<T>) -> Result<(usize, usize, Vec<Label>)> {
    if x.fmt.is_empty() {
        if x.ndims() > 2 {
            return Err(Error::invalid(
                "fullyconnect",
                format!("an unformatted input must be 2-D (C x B), not {}", Size::from(x.size())),
            ));
        }
        return Ok((x.size_of(0), x.size_of(1), vec![]));
    }
    let (mut k, mut n, mut out) = (1, 1, vec![Label::C]);
    for (&d, &l) in x.size().iter().zip(x.fmt.labels()) {
        match l {
            Label::S | Label::C => k *= d,
            Label::B | Label::T => {
                n *= d;
                out.push(l);
            }
            Label::U => {
                return Err(Error::invalid("fullyconnect", format!("input format \"{}\" has a U dimension", x.fmt)));
            }
        }
    }
    Ok((k, n, out))
}

/// Fully connected layer, MATLAB `fullyconnect(X, weights, bias)`: `Y = W·X + b` with `X` flattened
/// to (S…·C) x (B·T) in column-major order. `W` is outputs x features, `b` has one value per output.
/// The result is labelled `"CB"` (`"CBT"` with time).
///
/// # Panics
///
/// When the sizes do not fit, at the caller.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, dlarray_fmt, ops::fullyconnect};
///
/// let x = dlarray_fmt([[1.0, 2.0]], "BC").unwrap();        // 2(C) x 1(B)
/// let w = dlarray([[1.0, 1.0], [0.0, 2.0], [1.0, -1.0]]);  // 3 outputs x 2 features
/// let b = dlarray([[0.5], [0.0], [0.0]]);
/// let y = fullyconnect(&x, &w, &b);
/// assert_eq!(y.dims(), "CB");
/// assert_eq!(y.to_vec(), vec![3.5, 4.0, -1.0]);
/// ```
#[track_caller]
pub fn fullyconnect<T: Real>(x: &DlArray<T>, w: &DlArray<T>, b: &DlArray<T>) -> DlArray<T> {
    or_panic(try_fullyconnect(x, w, b))
}

/// Fallible form of [`fullyconnect`].
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray, ops::try_fullyconnect};
/// let e = try_fullyconnect(&dlarray([[1.0], [2.0]]), &dlarray([[1.0, 2.0, 3.0]]), &dlarray(0.0));
/// assert!(e.is_err());
/// ```
#[track_caller]
pub fn try_fullyconnect<T: Real>(x: &DlArray<T>, w: &DlArray<T>, b: &DlArray<T>) -> Result<DlArray<T>> {
    let at = At::caller();
    let (k, n, labels) = fc_split(x).map_err(|e| e.at(at))?;
    let Ok(wv) = w.view().into_dimensionality::<Ix2>() else {
        return Err(Error::size_mismatch("fullyconnect", w.size(), x.size()).at(at));
    };
    if wv.ncols() != k {
        return Err(Error::size_mismatch("fullyconnect", w.size(), x.size()).at(at));
    }
    let o = wv.nrows();
    if b.numel() != o && b.numel() != 1 {
        return Err(Error::size_mismatch("fullyconnect", w.size(), b.size()).at(at));
    }
    let xv = x.view();
    let xm = xv.to_shape(((k, n), Order::ColumnMajor)).expect("count");
    let mut y = super::linalg::product(&wv, &xm.view());
    let bv = b.to_vec();
    if bv.len() == 1 {
        y.mapv_inplace(|v| v + bv[0]);
    } else {
        // one column of biases, broadcast along the observations (in the array's memory order)
        let column = ndarray::ArrayView2::from_shape((o, 1), &bv).expect("one bias per output");
        y.zip_mut_with(&column, |v, &bias| *v += bias);
    }
    let tag = x.tag.join(w.tag).join(b.tag);
    if labels.is_empty() {
        return Ok(DlArray::from_normalized(y.into_dyn(), Format::NONE, tag));
    }
    let mut size = vec![o];
    for l in &labels[1..] {
        size.push(x.size_of(x.finddim(*l)[0]));
    }
    let fmt = Format::from_labels(&labels);
    let y = if size == y.shape() {
        y.into_dyn()
    } else {
        y.into_dyn().to_shape((IxDyn(&size), Order::ColumnMajor)).expect("count").into_owned()
    };
    Ok(DlArray::from_normalized(normalize(y, fmt.len()), fmt, tag))
}

fn fc_g<T: Real>(g: &DlArray<T>, o: usize, n: usize) -> ndarray::Array2<T> {
    g.view().to_shape(((o, n), Order::ColumnMajor)).expect("count").into_owned()
}

/// Adjoint of `fullyconnect` for `X`: `X̄ += reshape(Wᵀ·G)`.
pub fn fullyconnect_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    x: &DlArray<T>,
    w: &DlArray<T>,
    _b: &DlArray<T>,
) {
    let (k, n, _) = fc_split(x).expect("checked in the forward sweep");
    let wv = w.view().into_dimensionality::<Ix2>().expect("2-D");
    let gm = fc_g(g, wv.nrows(), n);
    let xb = super::linalg::product(&wv.t(), &gm.view());
    let _ = k;
    let xb = xb.into_dyn().to_shape((IxDyn(x.size()), Order::ColumnMajor)).expect("count").into_owned();
    acc_array(slot, xb);
}

/// Adjoint of `fullyconnect` for `W`: `W̄ += G·Xᵀ` (in place).
pub fn fullyconnect_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    x: &DlArray<T>,
    w: &DlArray<T>,
    _b: &DlArray<T>,
) {
    let (k, n, _) = fc_split(x).expect("checked in the forward sweep");
    let gm = fc_g(g, w.size_of(0), n);
    let xv = x.view();
    let xm = xv.to_shape(((k, n), Order::ColumnMajor)).expect("count");
    mat_acc(slot, w.size(), gm.view(), xm.t());
}

/// Adjoint of `fullyconnect` for `b`: `b̄ += Σ_observations G`.
pub fn fullyconnect_adj2<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    x: &DlArray<T>,
    w: &DlArray<T>,
    b: &DlArray<T>,
) {
    let (_, n, _) = fc_split(x).expect("checked in the forward sweep");
    let gm = fc_g(g, w.size_of(0), n);
    if b.numel() == 1 {
        return acc_scalar(slot, gm.sum());
    }
    let s = gm.sum_axis(Axis(1));
    acc_array(slot, s.into_dyn().to_shape(IxDyn(b.size())).expect("bias size").into_owned());
}

fn channel_dim<T: Real>(x: &DlArray<T>) -> usize {
    x.finddim(Label::C).first().copied().unwrap_or(0)
}

/// Softmax over the channel dimension (`C`, or the first dimension when unformatted), shifted by the
/// maximum so that large inputs give no NaN or Inf.
///
/// # Example
///
/// ```
/// use autodiff_runtime::{dlarray_fmt, ops::softmax};
/// let y = softmax(&dlarray_fmt([[1000.0, 1000.0]], "BC").unwrap());
/// assert_eq!(y.to_vec(), vec![0.5, 0.5]);
/// ```
pub fn softmax<T: Real>(x: &DlArray<T>) -> DlArray<T> {
    let c = channel_dim(x);
    if x.size_of(c) == 1 {
        return map(x, |v| if v.is_nan() { v } else { T::ONE });
    }
    let m = super::reduce::max(x, c);
    let shape = x.size().to_vec();
    let mc = cow(m.view(), shape.len());
    let e = Zip::from(&x.view()).and(expand(&mc, &shape)).map_collect(|&v, &m| (v - m).exp());
    let s = e.sum_axis(Axis(c)).insert_axis(Axis(c));
    let sv = cow(s.view(), shape.len());
    let mut out = e;
    Zip::from(&mut out).and(expand(&sv, &shape)).for_each(|o, &s| *o /= s);
    DlArray::from_normalized(out, x.fmt, x.tag)
}
/// Adjoint of `softmax`: `x̄ += y ⊙ (g − Σ_C g ⊙ y)`.
pub fn softmax_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, out: &DlArray<T>, x: &DlArray<T>) {
    let c = channel_dim(x);
    let shape = x.size().to_vec();
    let (yv, gv) = (out.view(), g.view());
    let gy = Zip::from(&gv).and(&yv).map_collect(|&g, &y| g * y);
    let s = gy.sum_axis(Axis(c)).insert_axis(Axis(c));
    let sv = cow(s.view(), shape.len());
    let contrib = Zip::from(&gv).and(&yv).and(expand(&sv, &shape)).map_collect(|&g, &y, &s| y * (g - s));
    acc_array(slot, contrib);
}

fn same_size<T: Real>(op: &'static str, y: &DlArray<T>, t: &DlArray<T>) -> Result<()> {
    if y.size() != t.size() {
        return Err(Error::size_mismatch(op, y.size(), t.size()));
    }
    Ok(())
}

fn loss_scalar<T: Real>(v: T, y: &DlArray<T>, t: &DlArray<T>) -> DlArray<T> {
    DlArray { data: Data::Scalar(v), fmt: Format::NONE, tag: y.tag.join(t.tag) }
}

/// `y` clamped away from 0 so that `ln` stays finite.
#[inline]
fn clamp_pos<T: Real>(y: T) -> T {
    let tiny = T::from_f64(if T::CLASS == "single" { f32::MIN_POSITIVE as f64 } else { f64::MIN_POSITIVE });
    if y < tiny { tiny } else { y }
}

macro_rules! loss {
    ($(#[$doc:meta])* $name:ident, $try_name:ident, $op:literal, $example:literal, |$y:ident, $t:ident| $term:expr, $scale:expr) => {
        $(#[$doc])*
        ///
        /// # Panics
        ///
        /// When `y` and `t` differ in size, at the caller.
        ///
        /// # Example
        ///
        /// ```
        /// use autodiff_runtime::{dlarray, ops::*};
        #[doc = $example]
        /// ```
        #[track_caller]
        pub fn $name<T: Real>(y: &DlArray<T>, t: &DlArray<T>) -> DlArray<T> {
            or_panic($try_name(y, t))
        }

        #[doc = concat!("Fallible form of [`", stringify!($name), "`](fn@", stringify!($name), ").")]
        ///
        /// # Example
        ///
        /// ```
        /// use autodiff_runtime::{dlarray, ops::*};
        #[doc = concat!("assert!(", stringify!($try_name), "(&dlarray([0.5, 0.5]), &dlarray([1.0])).is_err());")]
        /// ```
        #[track_caller]
        pub fn $try_name<T: Real>(y: &DlArray<T>, t: &DlArray<T>) -> Result<DlArray<T>> {
            same_size($op, y, t).map_err(At::attach(At::caller()))?;
            let n = T::from_usize(observations(y));
            let total = Zip::from(&y.view()).and(&t.view()).fold(T::ZERO, |acc, &$y, &$t| acc + $term);
            Ok(loss_scalar(total * $scale / n, y, t))
        }
    };
}

/// Gradient of a loss for `y` or `t`: `slot += g·d(y, t)/N` elementwise.
fn loss_adj<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, y: &DlArray<T>, t: &DlArray<T>, d: impl Fn(T, T) -> T) {
    let gs = g.scalar_value().expect("a loss is 1x1") / T::from_usize(observations(y));
    let arr: ArrayD<T> = Zip::from(&y.view()).and(&t.view()).map_collect(|&y, &t| gs * d(y, t));
    acc_array(slot, arr);
}

loss!(
    /// Cross-entropy for probabilities `y` (e.g. `softmax` output) and targets `t`, MATLAB
    /// `crossentropy`: `−Σ t·ln(y) / N`. `y` is clamped to the smallest positive normal number so that the
    /// loss stays finite at saturation.
    crossentropy, try_crossentropy, "crossentropy",
    "let y = dlarray([[0.5], [0.5]]);\nlet t = dlarray([[1.0], [0.0]]);\nassert!((crossentropy(&y, &t).get(0) - std::f64::consts::LN_2).abs() < 1e-15);",
    |y, t| if t == T::ZERO { T::ZERO } else { -t * clamp_pos(y).ln() }, T::ONE);
/// Adjoint of `crossentropy` for `y`: `ȳ += −g·t / (y·N)`.
pub fn crossentropy_adj0<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    y: &DlArray<T>,
    t: &DlArray<T>,
) {
    loss_adj(slot, g, y, t, |y, t| if t == T::ZERO { T::ZERO } else { -t / clamp_pos(y) });
}
/// Adjoint of `crossentropy` for `t`: `t̄ += −g·ln(y) / N`.
pub fn crossentropy_adj1<T: Real>(
    slot: &mut DlArray<T>,
    g: &DlArray<T>,
    _out: &DlArray<T>,
    y: &DlArray<T>,
    t: &DlArray<T>,
) {
    loss_adj(slot, g, y, t, |y, _| -clamp_pos(y).ln());
}

loss!(
    /// Half mean squared error, MATLAB `mse`: `Σ (y − t)² / (2N)`.
    mse, try_mse, "mse",
    "assert_eq!(mse(&dlarray([1.0, 3.0]), &dlarray([0.0, 0.0])).get(0), 2.5);",
    |y, t| (y - t) * (y - t), T::from_f64(0.5));
/// Adjoint of `mse` for `y`: `ȳ += g·(y − t) / N`.
pub fn mse_adj0<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, y: &DlArray<T>, t: &DlArray<T>) {
    loss_adj(slot, g, y, t, |y, t| y - t);
}
/// Adjoint of `mse` for `t`: `t̄ −= g·(y − t) / N`.
pub fn mse_adj1<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, y: &DlArray<T>, t: &DlArray<T>) {
    loss_adj(slot, g, y, t, |y, t| t - y);
}

loss!(
    /// L2 loss, MATLAB `l2loss`: `Σ (y − t)² / N`.
    l2loss, try_l2loss, "l2loss",
    "assert_eq!(l2loss(&dlarray([1.0, 3.0]), &dlarray([0.0, 0.0])).get(0), 5.0);",
    |y, t| (y - t) * (y - t), T::ONE);
/// Adjoint of `l2loss` for `y`: `ȳ += 2g·(y − t) / N`.
pub fn l2loss_adj0<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, y: &DlArray<T>, t: &DlArray<T>) {
    loss_adj(slot, g, y, t, |y, t| (y - t) + (y - t));
}
/// Adjoint of `l2loss` for `t`: `t̄ −= 2g·(y − t) / N`.
pub fn l2loss_adj1<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, y: &DlArray<T>, t: &DlArray<T>) {
    loss_adj(slot, g, y, t, |y, t| (t - y) + (t - y));
}

loss!(
    /// L1 loss, MATLAB `l1loss`: `Σ |y − t| / N`.
    l1loss, try_l1loss, "l1loss",
    "assert_eq!(l1loss(&dlarray([1.0, -3.0]), &dlarray([0.0, 0.0])).get(0), 2.0);",
    |y, t| (y - t).abs(), T::ONE);
/// Adjoint of `l1loss` for `y`: `ȳ += g·sign(y − t) / N` (0 where `y = t`).
pub fn l1loss_adj0<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, y: &DlArray<T>, t: &DlArray<T>) {
    loss_adj(slot, g, y, t, |y, t| (y - t).sign());
}
/// Adjoint of `l1loss` for `t`: `t̄ −= g·sign(y − t) / N`.
pub fn l1loss_adj1<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, y: &DlArray<T>, t: &DlArray<T>) {
    loss_adj(slot, g, y, t, |y, t| (t - y).sign());
}

#[inline]
fn huber_term<T: Real>(d: T) -> T {
    let a = d.abs();
    if a <= T::ONE { T::from_f64(0.5) * d * d } else { a - T::from_f64(0.5) }
}
#[inline]
fn huber_slope<T: Real>(d: T) -> T {
    if d.abs() <= T::ONE { d } else { d.sign() }
}

loss!(
    /// Huber loss with transition point 1, MATLAB `huber`: `Σ h(y − t) / N`, `h(d) = d²/2` for `|d| ≤ 1`,
    /// `|d| − 1/2` otherwise.
    huber, try_huber, "huber",
    "assert_eq!(huber(&dlarray([0.5, 3.0]), &dlarray([0.0, 0.0])).get(0), (0.125 + 2.5) / 2.0);",
    |y, t| huber_term(y - t), T::ONE);
/// Adjoint of `huber` for `y`: `ȳ += g·h'(y − t) / N`.
pub fn huber_adj0<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, y: &DlArray<T>, t: &DlArray<T>) {
    loss_adj(slot, g, y, t, |y, t| huber_slope(y - t));
}
/// Adjoint of `huber` for `t`: `t̄ −= g·h'(y − t) / N`.
pub fn huber_adj1<T: Real>(slot: &mut DlArray<T>, g: &DlArray<T>, _out: &DlArray<T>, y: &DlArray<T>, t: &DlArray<T>) {
    loss_adj(slot, g, y, t, |y, t| -huber_slope(y - t));
}

#[allow(dead_code)]
fn _unused(_: Tag) {}

//! Kernels for arrays laid out column-major (MATLAB's layout, and the one the runtime produces):
//! implicit expansion and reductions as loops over memory in order, with a contiguous innermost run,
//! instead of `ndarray`'s generic iteration over broadcast views. Each returns `None` when an operand
//! is not laid out so; the caller then takes the general path.

use ndarray::{ArrayD, ArrayViewD, IxDyn, ShapeBuilder};

use crate::Real;
use crate::pool;

/// The elements of `a` in column-major order, when its memory is laid out so.
#[inline]
pub(crate) fn slice<'a, T>(a: &ArrayViewD<'a, T>) -> Option<&'a [T]> {
    a.clone().reversed_axes().to_slice()
}

/// Column-major strides of an operand of size `size` expanded to `shape` (0 along expanded dims).
fn strides(size: &[usize], shape: &[usize]) -> Vec<usize> {
    let mut s = Vec::with_capacity(shape.len());
    let mut step = 1;
    for (k, &n) in shape.iter().enumerate() {
        let d = size.get(k).copied().unwrap_or(1);
        s.push(if d == 1 && n != 1 { 0 } else { step });
        step *= d;
    }
    s
}

/// Calls `f(out_offset, offsets)` for every column-major run along dimension 0 of `shape`, with each
/// operand's offset at the start of the run.
fn runs<const N: usize>(shape: &[usize], strides: [&[usize]; N], mut f: impl FnMut(usize, [usize; N])) {
    let nd = shape.len();
    let total: usize = shape.iter().product();
    if total == 0 {
        return;
    }
    let outer: usize = shape[1..].iter().product();
    let mut idx = vec![0usize; nd];
    let mut offs = [0usize; N];
    for r in 0..outer {
        f(r * shape[0], offs);
        // odometer over dims 1..
        for k in 1..nd {
            idx[k] += 1;
            for (o, s) in offs.iter_mut().zip(&strides) {
                *o += s[k];
            }
            if idx[k] < shape[k] {
                break;
            }
            for (o, s) in offs.iter_mut().zip(&strides) {
                *o -= s[k] * shape[k];
            }
            idx[k] = 0;
        }
    }
}

/// `f(a, b)` with implicit expansion to `shape`, both operands column-major: a new column-major array.
pub(crate) fn zip<T: Real>(
    a: &ArrayViewD<'_, T>,
    b: &ArrayViewD<'_, T>,
    shape: &[usize],
    f: impl Fn(T, T) -> T,
) -> Option<ArrayD<T>> {
    let (sa, sb) = (slice(a)?, slice(b)?);
    let (ta, tb) = (strides(a.shape(), shape), strides(b.shape(), shape));
    let n: usize = shape.iter().product();
    let mut out = pool::vec_for::<T>(n);
    let len = shape[0];
    // runs come in memory order: the output is written by appending
    runs(shape, [&ta, &tb], |_, [ia, ib]| match (ta[0], tb[0]) {
        (0, 0) => out.extend(std::iter::repeat_n(f(sa[ia], sb[ib]), len)),
        (0, _) => out.extend(sb[ib..ib + len].iter().map(|&y| f(sa[ia], y))),
        (_, 0) => out.extend(sa[ia..ia + len].iter().map(|&x| f(x, sb[ib]))),
        _ => out.extend(sa[ia..ia + len].iter().zip(&sb[ib..ib + len]).map(|(&x, &y)| f(x, y))),
    });
    Some(ArrayD::from_shape_vec(IxDyn(shape).f(), out).expect("size"))
}

/// Folds `a` over the dimensions where `target` is 1 (`target` padded with ones to `a`'s dimensions):
/// a new column-major array of size `target`, every element starting from `init`.
pub(crate) fn reduce<T: Real>(
    a: &ArrayViewD<'_, T>,
    target: &[usize],
    init: T,
    f: impl Fn(T, T) -> T,
) -> Option<ArrayD<T>> {
    let s = slice(a)?;
    let shape = a.shape();
    if shape.is_empty() {
        return None;
    }
    let mut t = target.to_vec();
    t.resize(shape.len(), 1);
    let to = strides(&t, shape);
    let n: usize = t.iter().product();
    let mut out = pool::vec_for::<T>(n);
    out.resize(n, init);
    let len = shape[0];
    // the input is dense in `shape`: a run's output offset is also its input offset
    runs(shape, [&to], |i, [o]| {
        let src = &s[i..i + len];
        if to[0] == 0 {
            let acc = &mut out[o];
            *acc = src.iter().fold(*acc, |acc, &v| f(acc, v));
        } else {
            out[o..o + len].iter_mut().zip(src).for_each(|(acc, &v)| *acc = f(*acc, v));
        }
    });
    Some(ArrayD::from_shape_vec(IxDyn(&t).f(), out).expect("size"))
}

/// `f` of N operands with implicit expansion to `shape`, all column-major: a new column-major array.
pub(crate) fn zip_n<T: Real, const N: usize>(
    ops: [&ArrayViewD<'_, T>; N],
    shape: &[usize],
    f: impl Fn([T; N]) -> T,
) -> Option<ArrayD<T>> {
    let mut slices: [&[T]; N] = [&[]; N];
    for (s, a) in slices.iter_mut().zip(ops) {
        *s = slice(a)?;
    }
    let st: Vec<Vec<usize>> = ops.iter().map(|a| strides(a.shape(), shape)).collect();
    let st_refs: [&[usize]; N] = std::array::from_fn(|q| st[q].as_slice());
    let first: [usize; N] = std::array::from_fn(|q| st[q][0]);
    let n: usize = shape.iter().product();
    let mut out = pool::vec_for::<T>(n);
    let len = shape[0];
    runs(shape, st_refs, |_, offs| {
        // each operand's run: `len` elements, or one repeated (expanded along dimension 0)
        let run: [&[T]; N] = std::array::from_fn(|q| {
            let end = offs[q] + if first[q] == 0 { 1 } else { len };
            &slices[q][offs[q]..end]
        });
        out.extend((0..len).map(|j| f(std::array::from_fn(|q| run[q][j * first[q].min(1)]))));
    });
    Some(ArrayD::from_shape_vec(IxDyn(shape).f(), out).expect("size"))
}

#[cfg(test)]
mod tests {
    use ndarray::{ArrayD, Axis, IxDyn, ShapeBuilder, Zip};

    /// A column-major array of `size` with distinct values.
    fn f_array(size: &[usize], seed: f64) -> ArrayD<f64> {
        let n: usize = size.iter().product();
        let v: Vec<f64> = (0..n).map(|k| (k as f64 * 0.37 + seed).sin()).collect();
        ArrayD::from_shape_vec(IxDyn(size).f(), v).unwrap()
    }

    #[test]
    fn zip_matches_ndarray_broadcasting() {
        // MATLAB alignment: sizes padded with trailing ones
        let cases: &[(&[usize], &[usize], &[usize])] = &[
            (&[4, 3], &[4, 1], &[4, 3]),
            (&[4, 3], &[1, 3], &[4, 3]),
            (&[1, 3], &[4, 1], &[4, 3]),
            (&[2, 3, 4], &[2, 1, 4], &[2, 3, 4]),
            (&[1, 3, 1], &[2, 1, 4], &[2, 3, 4]),
            (&[5, 1], &[5, 1], &[5, 1]),
        ];
        for &(sa, sb, shape) in cases {
            let (a, b) = (f_array(sa, 0.1), f_array(sb, 0.7));
            let got = super::zip(&a.view(), &b.view(), shape, |x, y| x * 2.0 - y).unwrap();
            let want = Zip::from(a.broadcast(IxDyn(shape)).unwrap())
                .and(b.broadcast(IxDyn(shape)).unwrap())
                .map_collect(|&x, &y| x * 2.0 - y);
            assert_eq!(got, want, "{sa:?} with {sb:?}");
            let three = super::zip_n([&a.view(), &b.view(), &a.view()], shape, |[x, y, z]| x * y + z).unwrap();
            let want3 = Zip::from(a.broadcast(IxDyn(shape)).unwrap())
                .and(b.broadcast(IxDyn(shape)).unwrap())
                .map_collect(|&x, &y| x * y + x);
            assert_eq!(three, want3);
        }
    }

    #[test]
    fn reduce_matches_ndarray_sums() {
        let a = f_array(&[3, 4, 5], 0.3);
        for target in [[1, 4, 5], [3, 1, 5], [3, 4, 1], [1, 1, 5], [1, 4, 1], [1, 1, 1]] {
            let got = super::reduce(&a.view(), &target, 0.0, |s, v| s + v).unwrap();
            let mut want = a.clone();
            for (k, &t) in target.iter().enumerate() {
                if t == 1 {
                    want = want.sum_axis(Axis(k)).insert_axis(Axis(k));
                }
            }
            assert_eq!(got.shape(), &target);
            for (g, w) in got.iter().zip(want.iter()) {
                assert!((g - w).abs() < 1e-12, "{target:?}");
            }
        }
    }

    #[test]
    fn other_layouts_take_the_general_path() {
        let c = ArrayD::from_shape_vec(IxDyn(&[2, 3]), vec![1.0; 6]).unwrap(); // row-major
        let b = f_array(&[2, 1], 0.0);
        assert!(super::zip(&c.view(), &b.view(), &[2, 3], |x, y| x + y).is_none());
        assert!(super::reduce(&c.view(), &[1, 3], 0.0, |s, v| s + v).is_none());
    }
}

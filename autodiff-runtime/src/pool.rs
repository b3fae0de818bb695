//! Reuse of large array buffers, per thread.
//!
//! A gradient computation makes and drops many temporaries of the same sizes, call after call. For
//! arrays of millions of elements the system allocator returns such blocks to the operating system
//! and gets fresh ones, zeroed page by page: at 1e6 elements that page-fault work costs more than the
//! arithmetic. So when the last owner of a large buffer (at least [`MIN_BYTES`]) drops it, the buffer
//! goes to a small pool of this thread, and the next large result of a similar size is written into it.
//! The pool holds at most [`MAX_BUFFERS`] buffers and [`MAX_BYTES`] bytes per element type; it is
//! freed with the thread.

use std::mem::size_of;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use ndarray::{ArrayD, ArrayViewD, IxDyn, ShapeBuilder, Zip};

use crate::Real;

/// Buffers smaller than this go back to the system allocator, which serves them well.
pub(crate) const MIN_BYTES: usize = 256 * 1024;
/// At most this many pooled buffers per thread and element type.
pub(crate) const MAX_BUFFERS: usize = 64;
/// At most this many pooled bytes per thread and element type.
pub(crate) const MAX_BYTES: usize = 256 << 20;

/// The pooled buffers of one element type on one thread.
#[derive(Default)]
pub struct Buffers<T> {
    bufs: Vec<Vec<T>>,
    bytes: usize,
}

impl<T> Buffers<T> {
    /// An empty buffer with room for `n` elements: a pooled one of capacity `n..=2n` when there is one.
    pub(crate) fn take(&mut self, n: usize) -> Option<Vec<T>> {
        let k = self.bufs.iter().position(|b| b.capacity() >= n && b.capacity() <= 2 * n)?;
        let v = self.bufs.swap_remove(k);
        self.bytes -= v.capacity() * size_of::<T>();
        Some(v)
    }

    /// Keeps `v` for later, when the pool has room.
    pub(crate) fn give(&mut self, mut v: Vec<T>) {
        let bytes = v.capacity() * size_of::<T>();
        if self.bufs.len() < MAX_BUFFERS && self.bytes + bytes <= MAX_BYTES {
            v.clear();
            self.bytes += bytes;
            self.bufs.push(v);
        }
    }
}

/// The thread's pool of one element type.
pub(crate) fn with<T: Real, R>(f: impl FnOnce(&mut Buffers<T>) -> R) -> R {
    T::buffers().with(|b| f(&mut b.borrow_mut()))
}

/// Whether arrays of `n` elements are pooled.
#[inline]
pub(crate) fn large<T>(n: usize) -> bool {
    n * size_of::<T>() >= MIN_BYTES
}

/// An empty vector with room for `n` elements (pooled when large).
#[inline]
pub(crate) fn vec_for<T: Real>(n: usize) -> Vec<T> {
    if large::<T>(n) {
        with(|p: &mut Buffers<T>| p.take(n)).unwrap_or_else(|| Vec::with_capacity(n))
    } else {
        Vec::with_capacity(n)
    }
}

/// Zeros of `size` in column-major order.
pub(crate) fn zeros_f<T: Real>(size: &[usize]) -> ArrayD<T> {
    let n = size.iter().product();
    let mut v = vec_for::<T>(n);
    v.resize(n, T::ZERO);
    ArrayD::from_shape_vec(IxDyn(size).f(), v).expect("size")
}

/// `f` of every element, in the same memory order as `a` (a pooled buffer when large and contiguous).
#[inline]
pub(crate) fn map<T: Real>(a: ArrayViewD<'_, T>, f: impl Fn(T) -> T) -> ArrayD<T> {
    if large::<T>(a.len()) {
        if let Some(s) = a.to_slice() {
            let mut v = vec_for::<T>(s.len());
            v.extend(s.iter().map(|&x| f(x)));
            return ArrayD::from_shape_vec(a.raw_dim(), v).expect("size");
        }
        if let Some(s) = crate::ops::colmajor::slice(&a) {
            let mut v = vec_for::<T>(s.len());
            v.extend(s.iter().map(|&x| f(x)));
            return ArrayD::from_shape_vec(a.raw_dim().f(), v).expect("size");
        }
    }
    a.mapv(f)
}

/// `f` of the elements of two arrays of the same shape (a pooled buffer when large and both are laid
/// out alike).
#[inline]
pub(crate) fn zip<T: Real>(a: ArrayViewD<'_, T>, b: ArrayViewD<'_, T>, f: impl Fn(T, T) -> T) -> ArrayD<T> {
    if large::<T>(a.len()) {
        if let (Some(x), Some(y)) = (a.to_slice(), b.to_slice()) {
            let mut v = vec_for::<T>(x.len());
            v.extend(x.iter().zip(y).map(|(&x, &y)| f(x, y)));
            return ArrayD::from_shape_vec(a.raw_dim(), v).expect("size");
        }
        let (ra, rb) = (a.view().reversed_axes(), b.view().reversed_axes());
        if let (Some(x), Some(y)) = (ra.to_slice(), rb.to_slice()) {
            let mut v = vec_for::<T>(x.len());
            v.extend(x.iter().zip(y).map(|(&x, &y)| f(x, y)));
            return ArrayD::from_shape_vec(a.raw_dim().f(), v).expect("size");
        }
    }
    Zip::from(&a).and(&b).map_collect(|&x, &y| f(x, y))
}

/// Shared array storage: the last owner gives a large buffer back to the thread's pool.
pub(crate) struct Shared<T: Real>(pub(crate) Arc<ArrayD<T>>);

impl<T: Real> Shared<T> {
    #[inline]
    pub(crate) fn new(a: ArrayD<T>) -> Self {
        Shared(Arc::new(a))
    }

    /// The array, without a copy when this is the only owner.
    pub(crate) fn into_array(mut self) -> ArrayD<T> {
        match Arc::get_mut(&mut self.0) {
            Some(a) => std::mem::replace(a, empty()),
            None => (*self.0).clone(),
        }
    }
}

fn empty<T>() -> ArrayD<T> {
    ArrayD::from_shape_vec(IxDyn(&[0]), Vec::new()).expect("an empty array")
}

impl<T: Real> Clone for Shared<T> {
    #[inline]
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T: Real> Deref for Shared<T> {
    type Target = Arc<ArrayD<T>>;
    #[inline]
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T: Real> DerefMut for Shared<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<T: Real> Drop for Shared<T> {
    fn drop(&mut self) {
        if let Some(a) = Arc::get_mut(&mut self.0)
            && large::<T>(a.len())
        {
            let (v, _) = std::mem::replace(a, empty()).into_raw_vec_and_offset();
            with(|p: &mut Buffers<T>| p.give(v));
        }
    }
}

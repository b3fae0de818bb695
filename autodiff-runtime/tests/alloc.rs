//! A 1x1 dlarray never touches the heap: creating scalars, operating on them and computing their
//! adjoints allocates nothing. Proven with a global allocator that counts allocations on this thread.

// A counting global allocator must implement the unsafe `GlobalAlloc` trait; it only delegates.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use autodiff_runtime::private::{finish, ops, slot};
use autodiff_runtime::{DlArray, dlarray};

struct Counting;

thread_local! {
    static COUNT: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

// Delegates to the system allocator and counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        let _ = BYTES.try_with(|c| c.set(c.get() + layout.size()));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = COUNT.with(|c| c.get());
    let r = f();
    let after = COUNT.with(|c| c.get());
    (r, after - before)
}

#[test]
fn scalars_do_not_allocate() {
    let (x, n) = allocations(|| dlarray(1.5));
    assert_eq!(n, 0, "creating a scalar");
    let (y, n) = allocations(|| {
        // Rosenbrock on scalars: f = 100(b − a²)² + (1 − a)²
        let a = &x * 1.0;
        let b = dlarray(2.0);
        let t = ops::minus(&b, &ops::powi(&a, 2));
        ops::plus(&ops::times(&100.0, &ops::powi(&t, 2)), &ops::powi(&ops::minus(&1.0, &a), 2))
    });
    assert_eq!(n, 0, "scalar arithmetic");
    assert_eq!(y.size(), &[1, 1]);
    let (_, n) = allocations(|| {
        // and an adjoint into a lazily-zero slot
        let out = ops::exp(&x);
        let mut s: DlArray = slot(&x);
        ops::exp_adj(&mut s, &dlarray(1.0), &out, &x);
        ops::times_adj0(&mut s, &dlarray(2.0), &out, &x, &3.0);
        finish(s, &x)
    });
    assert_eq!(n, 0, "scalar adjoints");
    let (_, n) = allocations(|| (x.clone(), x.size().len(), x.numel(), x.get(0)));
    assert_eq!(n, 0, "clone and size queries");
}

fn bytes<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = BYTES.with(|c| c.get());
    let r = f();
    (r, BYTES.with(|c| c.get()) - before)
}

/// Large temporaries are written into buffers that earlier large temporaries of this thread gave
/// back: after the first evaluation, repeating it allocates only small bookkeeping, not arrays.
#[test]
fn large_buffers_are_reused() {
    use autodiff_runtime::{ops::exp, rand};
    let n = 1 << 20;
    let x: DlArray = rand(&[1, n]);
    let chain = |x: &DlArray| {
        let mut s = slot(x);
        let y = ops::plus(&ops::times(&exp(x), &2.0), x);
        ops::times_adj1(&mut s, &y, &y, &2.0, x);
        (y.get(0), finish(s, x).get(0))
    };
    let (first, b1) = bytes(|| chain(&x));
    let (second, b2) = bytes(|| chain(&x));
    assert_eq!(first, second);
    assert!(b1 >= 3 * 8 * n, "the first evaluation allocates its arrays: {b1} bytes");
    assert!(b2 < 4096, "the second reuses them: {b2} bytes");
}

#[test]
fn the_counter_works() {
    // a control: a non-scalar array does allocate
    let (_, n) = allocations(|| dlarray([1.0, 2.0]));
    assert!(n > 0);
}

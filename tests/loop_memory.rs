//! What loops store for their reverse sweeps, measured in bytes allocated through a counting global
//! allocator (a count, not a timing: deterministic on any machine).
//!
//! * The element-loop Rosenbrock is an accumulation (`f = f + …`): its iterations are independent,
//!   the reverse sweep computes each again, and nothing is stored per iteration. The gradient
//!   allocates the adjoint of `x` (n values) and little else, at any n.
//! * A loop-carried product (`p = p * x[i] + 0.1`) reads every overwritten value: it stores a few
//!   values per iteration, so its allocations grow by at least one dlarray per iteration.

// A counting global allocator must implement the unsafe `GlobalAlloc` trait; it only delegates.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use autodiff::prelude::*;

struct Counting;

thread_local! {
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

// Delegates to the system allocator and counts the bytes requested on this thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = BYTES.try_with(|c| c.set(c.get() + layout.size()));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = BYTES.try_with(|c| c.set(c.get() + new_size));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn bytes<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = BYTES.with(|c| c.get());
    let r = f();
    (r, BYTES.with(|c| c.get()) - before)
}

#[differentiable]
fn rosenbrock_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let n = x.numel();
    let mut f = dlarray(0.0);
    for i in 0..n - 1 {
        f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2);
    }
    let g = dlgradient(&f, x)?;
    Ok((f, g))
}

#[differentiable]
fn product_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let mut p = dlarray(1.0);
    for i in 0..x.numel() {
        p = p * x[i] + 0.1;
    }
    Ok((p.clone(), dlgradient(&p, x)?))
}

fn start(n: usize) -> DlArray {
    dlarray((0..n).map(|i| if i % 2 == 0 { -1.2 } else { 1.0 }).collect::<Vec<f64>>())
}

#[test]
fn accumulation_loops_store_nothing_per_iteration() {
    for n in [1_000usize, 10_000] {
        let x = start(n);
        let (r, b) = bytes(|| dlfeval(rosenbrock_loop, &x));
        let (f, g) = r.unwrap();
        assert_eq!(g.numel(), n);
        // f = 24.2·⌈(n−1)/2⌉ + 484·⌊(n−1)/2⌋ (peers/rosenbrock.py)
        let want = 24.2 * ((n - 1).div_ceil(2)) as f64 + 484.0 * ((n - 1) / 2) as f64;
        assert!((f.get(0) - want).abs() < 1e-6 * want);
        // the adjoint of x (8n bytes; tracing x shares its storage), plus a constant (measured: 8n + 304)
        assert!(b <= 8 * n + 1024, "n = {n}: {b} bytes allocated");
    }
}

#[test]
fn dependent_loops_store_their_values() {
    let n = 10_000;
    let x = dlarray(vec![1.0; n]);
    let (r, b) = bytes(|| dlfeval(product_loop, &x));
    r.unwrap();
    let per_value = std::mem::size_of::<DlArray>();
    // at least the stack of p's values (measured: about 6 dlarrays per iteration)
    assert!(b >= n * per_value, "{b} bytes for n = {n}");
}

//! Procedural macros of `autodiff`. Use them through the `autodiff` crate.
//!
//! `#[differentiable]` rewrites a function at compile time into forward code and, at every
//! `dlgradient` call, straight-line reverse-sweep code. The pipeline has one module per stage:
//!
//! | stage | module | what it does |
//! |---|---|---|
//! | parse | `parse` | attribute arguments, the signature: which parameters are dlarrays |
//! | lower | `lower` | the body into an IR in A-normal form (`ir`): every value named, every node with its span |
//! | analyze | `activity` | which values are varied by the targets and useful to `y`; trace checks |
//! | differentiate | `adjoint` | the reverse sweep of each `dlgradient`, from the rule table (`rules`) |
//! | emit | `emit` | tokens; every runtime path comes from `paths` |
//!
//! What loops record for their reverse sweeps is decided per loop at compile time: values are
//! stored (one typed stack per value an adjoint reads that the loop overwrites), or, for loops of
//! independent iterations such as accumulations `s = s + g(x[i])`, nothing is stored and the reverse
//! sweep computes each iteration again. The module `replay` documents the rule.
//!
//! Errors are collected (`diag::Diagnostics`) and reported together; the original function is
//! emitted after them, so the user sees only the real errors.

#![forbid(unsafe_code)]

mod activity;
mod adjoint;
mod diag;
mod emit;
mod ir;
mod learnables;
mod lower;
mod parse;
mod paths;
mod rename;
mod replay;
mod rules;

use proc_macro::TokenStream;

/// Rewrites a function so that `dlgradient` calls inside it compute gradients with code generated at
/// compile time. See the `autodiff` crate for the user guide.
#[proc_macro_attribute]
pub fn differentiable(args: TokenStream, item: TokenStream) -> TokenStream {
    emit::differentiable(args.into(), item.into()).into()
}

/// A differentiable closure for `dlfeval`, MATLAB's anonymous function:
/// `dlfeval(differentiable!(|t: &DlArray| dlgradient(&relu(t), t)), &x)`.
#[proc_macro]
pub fn differentiable_closure(input: TokenStream) -> TokenStream {
    emit::closure(input.into()).into()
}

/// Derives `Learnables` for a struct of dlarrays (and nested learnable containers).
#[proc_macro_derive(Learnables, attributes(learnables))]
pub fn derive_learnables(input: TokenStream) -> TokenStream {
    learnables::derive(input.into()).into()
}

#[cfg(test)]
mod snapshots;

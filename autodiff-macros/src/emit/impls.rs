//! `#[differentiable]` on `impl` blocks and traits, and on a trait's method declarations.
//!
//! - On an `impl` block: every method and associated function in it is differentiable, as if each
//!   had the attribute (`&mut self` methods and `const fn`s are left as they are).
//! - On a trait, or on one of its method declarations: the trait declares the hidden companion of
//!   each such method (`method_companion_sig`), which every `impl` of the trait provides with
//!   `#[differentiable]` on the `impl` block or on its methods. Calls through `L: Trait` and through
//!   `dyn Trait` then differentiate the implementation.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;

use super::item::{function, impl_fn, method_companion_sig};
use crate::diag::Diagnostics;
use crate::signature::{self, Attr};

/// Whether an attribute is `#[differentiable]` (or a path ending in it).
fn is_differentiable(a: &syn::Attribute) -> bool {
    a.path().segments.last().is_some_and(|s| s.ident == "differentiable")
}

/// `#[differentiable] impl T { .. }` and `#[differentiable] impl Trait for T { .. }`.
pub(crate) fn impl_block(attr: &Attr, mut i: syn::ItemImpl, diag: &Diagnostics) -> TokenStream {
    let in_trait_impl = i.trait_.is_some();
    for item in i.items.iter_mut() {
        let syn::ImplItem::Fn(m) = item else { continue };
        m.attrs.retain(|a| !is_differentiable(a));
        let receiver = receiver_kind(&m.sig);
        // left as written: `&mut self` methods, `const fn`s, and associated functions of a trait
        // impl (the trait has no companion for them)
        if receiver == Some(true) || m.sig.constness.is_some() || (in_trait_impl && receiver.is_none()) {
            continue;
        }
        let f = function(attr, impl_fn(m.clone()), true, diag);
        *item = syn::ImplItem::Verbatim(f);
    }
    i.into_token_stream()
}

/// `None` for no receiver, `Some(true)` for `&mut self`, `Some(false)` for `&self` and `self`.
fn receiver_kind(sig: &syn::Signature) -> Option<bool> {
    match sig.inputs.first() {
        Some(syn::FnArg::Receiver(r)) => Some(matches!(r.kind, syn::ReceiverKind::Reference(_, _, Some(_)))),
        _ => None,
    }
}

/// `#[differentiable] trait Layer { .. }`: each method declaration with a receiver gets its hidden
/// companion declaration.
pub(crate) fn trait_def(attr: &Attr, mut t: syn::ItemTrait, diag: &Diagnostics) -> TokenStream {
    let mut extra = Vec::new();
    for item in t.items.iter_mut() {
        if let syn::TraitItem::Fn(m) = item {
            let marked = m.attrs.iter().any(is_differentiable);
            m.attrs.retain(|a| !is_differentiable(a));
            if receiver_kind(&m.sig) == Some(false) && (marked || m.default.is_none()) {
                extra.push(companion_decl(attr, m, diag));
            }
        }
    }
    let mut out = t.into_token_stream();
    // the declarations go inside the trait's braces
    let mut tokens: Vec<proc_macro2::TokenTree> = out.clone().into_iter().collect();
    if let Some(proc_macro2::TokenTree::Group(g)) = tokens.last_mut() {
        let mut body = g.stream();
        for e in extra {
            body.extend(e);
        }
        let mut ng = proc_macro2::Group::new(g.delimiter(), body);
        ng.set_span(g.span());
        *g = ng;
        out = tokens.into_iter().collect();
    }
    out
}

/// `#[differentiable]` on a method declaration in a trait: the declaration and its companion's.
pub(crate) fn trait_method(attr: &Attr, mut m: syn::TraitItemFn, diag: &Diagnostics) -> TokenStream {
    let decl = companion_decl(attr, &mut m, diag);
    let mut out = m.into_token_stream();
    out.extend(decl);
    out
}

/// The hidden companion of a trait method (the method's `#[untraced]` markers are removed from it).
fn companion_decl(attr: &Attr, m: &mut syn::TraitItemFn, diag: &Diagnostics) -> TokenStream {
    if m.default.is_some() {
        diag.error(
            m.sig.ident.span(),
            "a #[differentiable] trait method with a default body",
            "declare the method without a body and write it in each `impl`",
        );
        return TokenStream::new();
    }
    if !m.sig.generics.params.is_empty() {
        diag.error(
            m.sig.generics.span(),
            "a generic #[differentiable] trait method",
            "make the trait generic instead, or pass the values as `&DlArray`",
        );
        return TokenStream::new();
    }
    let krate = attr.krate.clone().map_or_else(|| quote!(::autodiff), |p| p.to_token_stream());
    let rt = quote!(#krate::__private::v2);
    let mut sig_syn = m.sig.clone();
    let sig = signature::signature(&mut sig_syn, diag);
    m.sig = sig_syn.clone();
    let companion = method_companion_sig(&sig, &sig_syn, &rt);
    quote! {
        #[doc(hidden)]
        #[allow(clippy::all, clippy::type_complexity)]
        #companion;
    }
}

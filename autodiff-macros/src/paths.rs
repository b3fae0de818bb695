//! Spans and identifiers of generated code. Generated code names the runtime
//! only through `::autodiff::__private` (or the crate given by `#[differentiable(crate = path)]`), and
//! the standard library only through `::core`.

use proc_macro2::{Span, TokenStream};

/// The same tokens, every one at `span`.
pub(crate) fn respan(ts: TokenStream, span: Span) -> TokenStream {
    ts.into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(g) = &tt {
                let mut ng = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                ng.set_span(span);
                tt = proc_macro2::TokenTree::Group(ng);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// An identifier from a name as the user's code spells it (`r#type` is the raw `type`).
pub(crate) fn ident(name: &str, span: Span) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, span),
        None => syn::Ident::new(name, span),
    }
}

/// A generated name made from a user's (`__ad_` + `r#try` is `__ad_try`).
pub(crate) fn derived(prefix: &str, name: &impl std::fmt::Display, span: Span) -> syn::Ident {
    let name = name.to_string();
    syn::Ident::new(&format!("{prefix}{}", name.trim_start_matches("r#")), span)
}

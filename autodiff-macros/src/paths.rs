//! Every path the generated code uses into the runtime, in one place. Generated code names the runtime
//! only through `::autodiff::__private` (or the crate given by `#[differentiable(crate = path)]`), and
//! the standard library only through `::core`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Ident;

/// The runtime's root path.
#[derive(Clone)]
pub(crate) struct Paths {
    root: TokenStream,
}

impl Paths {
    pub(crate) fn new(root: Option<syn::Path>) -> Paths {
        Paths { root: root.map_or_else(|| quote!(::autodiff), |p| quote!(#p)) }
    }

    /// `::autodiff::__private`
    pub(crate) fn private(&self) -> TokenStream {
        let root = &self.root;
        quote!(#root::__private)
    }

    /// `::autodiff::__private::<name>`, every token at `span` (so `#[track_caller]` locations and
    /// errors point at the user's code).
    pub(crate) fn helper(&self, name: &str, span: Span) -> TokenStream {
        let p = respan(self.private(), span);
        let name = Ident::new(name, span);
        quote_spanned!(span=> #p::#name)
    }

    /// `::autodiff::__private::ops::<name>`, every token at `span`.
    pub(crate) fn op(&self, name: &str, span: Span) -> TokenStream {
        let p = respan(self.private(), span);
        let name = Ident::new(name, span);
        quote_spanned!(span=> #p::ops::#name)
    }

    pub(crate) fn ok(&self) -> TokenStream {
        quote!(::core::result::Result::Ok)
    }

    pub(crate) fn err(&self) -> TokenStream {
        quote!(::core::result::Result::Err)
    }
}

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

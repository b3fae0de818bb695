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

    /// `::autodiff::__private::<name>` at `span` (so `#[track_caller]` and errors point at the user's code).
    pub(crate) fn helper(&self, name: &str, span: Span) -> TokenStream {
        let p = self.private();
        let name = Ident::new(name, span);
        quote_spanned!(span=> #p::#name)
    }

    /// `::autodiff::__private::ops::<name>` at `span`.
    pub(crate) fn op(&self, name: &str, span: Span) -> TokenStream {
        let p = self.private();
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

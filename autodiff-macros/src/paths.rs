//! Every path the generated code uses into the runtime, in one place. Generated code names the runtime
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

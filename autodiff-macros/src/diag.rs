//! Diagnostics: errors are collected during a whole expansion and reported together (in the order the
//! lowering meets them, which is source order), each at the
//! user's token, each with a `help` line that says what to write instead.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::{Span, TokenStream};

/// Collects errors; [`Diagnostics::into_tokens`] turns them into `compile_error!`s.
#[derive(Default)]
pub(crate) struct Diagnostics {
    errors: RefCell<Vec<syn::Error>>,
}

impl Diagnostics {
    /// Records an error at `span` with a `help` line.
    pub(crate) fn error(&self, span: Span, msg: impl Display, help: impl Display) {
        self.errors.borrow_mut().push(syn::Error::new(span, format!("{msg}\n= help: {help}")));
    }

    /// Records a parse error as it is.
    pub(crate) fn push(&self, e: syn::Error) {
        self.errors.borrow_mut().push(e);
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.borrow().is_empty()
    }

    /// All errors, in source order, as `compile_error!` invocations.
    pub(crate) fn into_tokens(self) -> TokenStream {
        let mut errors = self.errors.into_inner();
        errors
            .dedup_by(|a, b| a.to_string() == b.to_string() && format!("{:?}", a.span()) == format!("{:?}", b.span()));
        errors.into_iter().map(|e| e.into_compile_error()).collect()
    }
}

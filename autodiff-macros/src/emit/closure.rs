//! `differentiable_closure!`: a closure whose body is differentiated like a function's, evaluated by
//! `dlfeval` (it has no companion: other differentiable code does not call it).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;

use super::ctx::Ctx;
use super::forward::Pos;
use super::item::{analyse, stacks};
use crate::diag::Diagnostics;
use crate::ir::{Operand, VarKind};
use crate::signature;

/// `differentiable_closure!(|x: &DlArray| body)`: a closure whose body is differentiated (no
/// companion: it is evaluated by `dlfeval`, not called by other differentiable code).
pub(crate) fn closure(input: TokenStream) -> TokenStream {
    let diag = Diagnostics::default();
    let c: syn::ExprClosure = match syn::parse2(input) {
        Ok(c) => c,
        Err(e) => return e.into_compile_error(),
    };
    // as a function with the closure's parameters
    let mut inputs = Vec::new();
    for p in &c.inputs {
        match p {
            syn::Pat::Type(t) => inputs.push(quote!(#t)),
            other => {
                diag.error(
                    other.span(),
                    "a differentiable closure's parameters need their types",
                    "write `|x: &DlArray| ..`",
                );
            }
        }
    }
    let ret = match &c.output {
        syn::ReturnType::Type(_, t) => quote!(-> #t),
        syn::ReturnType::Default => quote!(),
    };
    let body = &c.body;
    let f: syn::ItemFn = match syn::parse2(quote!(fn __ad_closure(#(#inputs),*) #ret { #body })) {
        Ok(f) => f,
        Err(e) => return e.into_compile_error(),
    };
    let mut sig_syn = f.sig.clone();
    let mut sig = signature::signature(&mut sig_syn, &diag);
    if matches!(c.output, syn::ReturnType::Default) {
        // the closure's result type is inferred: a plain body
        sig.ret.payload = syn::parse_quote!(_);
    }
    let Some(a) = analyse(&sig, &f.block, &diag).filter(|_| !diag.has_errors()) else {
        // one expression: the errors, then the closure as written
        let errors = diag.into_tokens();
        return quote!({ #errors #c });
    };
    let rt = quote!(::autodiff::__private::v2);
    let ctx = Ctx::new(&a.body, &a.plan, &a.sites, sig.ret.is_result, false);
    let mut t = quote!(use #rt as __ad;);
    t.extend(quote!(let __ad_trace = __ad::enter();));
    for (k, p) in sig.params.iter().enumerate() {
        let Some(var) = a.body.vars.iter().position(|v| v.kind == VarKind::Param(k)) else { continue };
        let i = ctx.ident(var);
        if p.traced {
            let owned = format_ident!("{}_traced", i);
            let ty = &p.ty;
            if p.is_ref {
                t.extend(quote! {
                    let #owned;
                    let #i: #ty = match __ad_trace {
                        ::core::option::Option::Some(__ad_id) => { #owned = __ad::trace(#i, __ad_id); ::core::borrow::Borrow::borrow(&#owned) }
                        ::core::option::Option::None => #i,
                    };
                });
            } else {
                t.extend(quote!(let #i = match __ad_trace { ::core::option::Option::Some(__ad_id) => __ad::trace(&#i, __ad_id), ::core::option::Option::None => #i };));
            }
        }
    }
    t.extend(stacks(&ctx));
    t.extend(ctx.fwd_block(&a.body.block, Pos { exit: None }));
    let value = match &a.body.ret {
        Some(Operand::Var(v)) => {
            let i = ctx.ident(*v);
            quote!(#i)
        }
        Some(Operand::Const(ts)) => ts.clone(),
        None => quote!(()),
    };
    let mut out = diag.into_tokens();
    // bound under an attribute so that lints on generated code stay quiet in the closure's body
    out.extend(quote!({
        #[allow(unused, clippy::all)]
        let __ad_closure = move |#(#inputs),*| #ret { #t #value };
        __ad_closure
    }));
    out
}

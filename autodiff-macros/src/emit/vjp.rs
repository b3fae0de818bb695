//! A function's vector-Jacobian product companion, `f::__ad_vjp(mode, Higher, args.., ȳ)`: the
//! gradient of every parameter given the result's, computed by primitives (the body's reverse sweep
//! written as forward IR, `differentiate::higher`), so it is itself differentiable. A higher-order
//! sweep in a caller reverses a call of `f` with it.
//!
//! When `f`'s body is not supported under higher derivatives yet (a loop, a branch, a method call),
//! the companion is declared with a bound no type meets, so a caller asking for it gets a compile
//! error at its call, naming why.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::item::{Analysed, analyse_body, companion_body, owned_ident};
use crate::differentiate::higher;
use crate::signature::{self, Param, Ret, Sig};

/// The `__ad_vjp` item for a free function (inside its companion `impl`), and what it needs beside
/// the `impl` (the trait whose message explains why it is not available).
pub(crate) fn vjp_item(
    sig: &Sig,
    sig_syn: &syn::Signature,
    a: &Analysed,
    rt: &TokenStream,
    vis: &syn::Visibility,
) -> (TokenStream, TokenStream) {
    let Some(payload) = a.payload else { return (TokenStream::new(), TokenStream::new()) };
    let is_array: Vec<bool> = sig.params.iter().map(|p| p.traced && is_dlarray(&p.owned)).collect();
    let payload_ty = &sig.ret.payload;
    let grad_ty = quote!(<#payload_ty as #rt::Diff>::Grad);
    // the gradients it returns: one per parameter
    let grads: Vec<TokenStream> = sig
        .params
        .iter()
        .zip(&is_array)
        .map(|(p, array)| {
            let ty = &p.owned;
            if *array { quote!(<#ty as #rt::Diff>::Grad) } else { quote!(#rt::NoGrad) }
        })
        .collect();
    let grads_ty = quote!((#(#grads,)*));
    let mut generics = sig_syn.generics.clone();
    for (k, l) in sig.new_lifetimes.iter().enumerate() {
        generics.params.insert(k, syn::parse_quote!(#l));
    }
    let where_clause = generics.where_clause.clone();
    let params: Vec<syn::GenericParam> = generics.params.iter().cloned().collect();
    let type_params: Vec<&syn::Ident> = generics.type_params().map(|t| &t.ident).collect();
    let lifetimes = &sig.lifetimes;
    let mut owned: Vec<TokenStream> = sig
        .params
        .iter()
        .map(|p| {
            let id = owned_ident(&p.ident);
            let ty = &p.owned;
            quote!(#id: #ty)
        })
        .collect();
    owned.push(quote!(__ad_gy_owned: #grad_ty));
    let wrap = |inner: TokenStream| if sig.ret.is_result { signature::with_payload(&sig.ret.ty, inner) } else { inner };
    match higher::vjp_body(&a.body, payload, &is_array, sig.ret.is_result) {
        Ok(body) => {
            let mut vsig_params: Vec<Param> = sig.params.iter().map(clone_param).collect();
            vsig_params.push(Param {
                ident: syn::Ident::new("__ad_gy", sig_syn.ident.span()),
                ty: syn::parse_quote!(#grad_ty),
                traced: true,
                is_ref: false,
                owned: syn::parse_quote!(#grad_ty),
                mutable: false,
            });
            let ret_ty: syn::Type = syn::parse2(wrap(grads_ty.clone())).unwrap_or_else(|_| syn::parse_quote!(()));
            let vsig = Sig {
                params: vsig_params,
                ret: Ret { is_result: sig.ret.is_result, ty: ret_ty, payload: syn::parse_quote!(#grads_ty) },
                receiver: sig.receiver,
                lifetimes: sig.lifetimes.clone(),
                new_lifetimes: sig.new_lifetimes.clone(),
                traced_type_params: sig.traced_type_params.clone(),
            };
            let va = analyse_body(&vsig, body);
            let body = companion_body(&vsig, &va, rt, quote!(), false, true);
            let mut pb_grads: Vec<TokenStream> = sig
                .params
                .iter()
                .map(|p| {
                    let ty = &p.owned;
                    if p.traced { quote!(<#ty as #rt::Diff>::Grad) } else { quote!(#rt::NoGrad) }
                })
                .collect();
            pb_grads.push(quote!(<#grad_ty as #rt::Diff>::Grad));
            let pb = quote!(impl ::core::ops::Fn(&<#grads_ty as #rt::Diff>::Grad) -> #rt::Result<(#(#pb_grads,)*)> + use<#(#lifetimes,)* #(#type_params,)* __AdM, __AdH>);
            let ret = wrap(quote!((#grads_ty, #pb)));
            let item = quote! {
                #[doc(hidden)]
                #[allow(unused, unreachable_code, clippy::all, clippy::type_complexity)]
                #vis fn __ad_vjp<#(#params,)* __AdM: #rt::Mode, __AdH>(__ad_mode: __AdM, _: __AdH, #(#owned),*) -> #ret #where_clause {
                    #body
                }
            };
            (item, TokenStream::new())
        }
        Err(why) => {
            // declared with a bound nothing meets: a higher-order caller gets this message at its call
            let name = &sig_syn.ident;
            let message = format!("`EnableHigherDerivatives(true)` cannot go through `{name}`: {why}");
            let note = format!(
                "write the computation of `{name}` inline, without loops or branches, or differentiate only once"
            );
            let trait_name = format_ident!("__AdNoVjp_{}", name.to_string().trim_start_matches("r#"));
            let ret = wrap(quote!((#grads_ty, #rt::NoPullback)));
            let fail = if sig.ret.is_result {
                quote!(::core::result::Result::Err(::core::convert::From::from(#rt::no_vjp(#message))))
            } else {
                quote!(::core::panic!("{}", #message))
            };
            let item = quote! {
                #[doc(hidden)]
                #[allow(unused, unreachable_code, private_bounds, clippy::all, clippy::type_complexity)]
                #vis fn __ad_vjp<#(#params,)* __AdM: #rt::Mode, __AdH: #trait_name>(__ad_mode: __AdM, _: __AdH, #(#owned),*) -> #ret #where_clause {
                    #fail
                }
            };
            // a sweep that calls this directly gets the message at compile time; one that reaches
            // it through another function's vector-Jacobian product (`Transitive`), at run time
            let outside = quote! {
                #[doc(hidden)]
                #[allow(non_camel_case_types, dead_code)]
                #[diagnostic::on_unimplemented(message = #message, note = #note)]
                trait #trait_name {}
                impl #trait_name for #rt::Transitive {}
            };
            (item, outside)
        }
    }
}

fn clone_param(p: &Param) -> Param {
    Param {
        ident: p.ident.clone(),
        ty: p.ty.clone(),
        traced: p.traced,
        is_ref: p.is_ref,
        owned: p.owned.clone(),
        mutable: p.mutable,
    }
}

/// Whether a type is a `DlArray` (by its last path segment).
fn is_dlarray(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "DlArray"),
        syn::Type::Paren(p) => is_dlarray(&p.elem),
        _ => false,
    }
}

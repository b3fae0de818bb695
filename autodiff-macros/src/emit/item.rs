//! The function items: the primal (the user's signature), the companion (the body, once), the
//! pullback closure; and `differentiable_closure!`.

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ctx::Ctx;
use super::forward::Pos;
use crate::analyze::{self, Plan};
use crate::diag::Diagnostics;
use crate::differentiate::{self, Sweep};
use crate::ir::{Body, Op, Operand, Stmt, VarId, VarKind, WrapKind};
use crate::signature::{self, Receiver, Sig};
use crate::{check, lower};

/// The whole function, analysed.
pub(crate) struct Analysed {
    pub(crate) body: Body,
    pub(crate) sites: Vec<Sweep>,
    pub(crate) pullback: Option<Sweep>,
    pub(crate) plan: Plan,
    /// The var the pullback is seeded at (the payload of the returned value).
    pub(crate) payload: Option<VarId>,
}

pub(crate) fn analyse(sig: &Sig, block: &syn::Block, diag: &Diagnostics) -> Option<Analysed> {
    let mut body = lower::lower(sig, block, diag, quote!(__ad));
    crate::differentiate::higher::expand(&mut body, sig.ret.is_result, diag);
    check::check(&body, diag);
    if diag.has_errors() {
        return None;
    }
    Some(analyse_body(sig, body))
}

/// The sweeps and records of a lowered body.
pub(crate) fn analyse_body(sig: &Sig, body: Body) -> Analysed {
    let mut sites = Vec::new();
    let mut k = 0;
    body.block.walk(&mut |s| {
        if let Stmt::Grad(g) = s {
            let targets: Vec<VarId> = g.targets.iter().map(|t| t.var).collect();
            sites.push((k, g.y, targets));
            k += 1;
        }
    });
    let sites: Vec<Sweep> = sites.into_iter().map(|(k, y, t)| differentiate::site(&body, k, y, &t)).collect();
    let payload = payload_of(&body, sig);
    let params: Vec<VarId> = body
        .vars
        .iter()
        .enumerate()
        .filter(|(_, v)| matches!(v.kind, VarKind::Param(_)) && v.varied)
        .map(|(i, _)| i)
        .collect();
    let pullback = payload.map(|p| differentiate::pullback(&body, p, &params));
    let mut all: Vec<(Sweep, bool)> = sites.iter().map(|s| (s.clone(), true)).collect();
    if let Some(p) = &pullback {
        all.push((p.clone(), false));
    }
    let plan = analyze::plan(&body, &all);
    Analysed { body, sites, pullback, plan, payload }
}

/// The var holding what the function returns (inside `Ok(..)` for a `Result` function).
fn payload_of(body: &Body, sig: &Sig) -> Option<VarId> {
    let ret = body.ret.as_ref()?.var()?;
    if !sig.ret.is_result {
        return Some(ret);
    }
    let mut found = None;
    body.block.walk(&mut |s| {
        if let Stmt::Let(n) = s
            && n.out == ret
            && let Op::Wrap { kind: WrapKind::Ok, arg: Operand::Var(a), .. } = &n.op
        {
            found = Some(*a);
        }
    });
    found
}

/// `#[differentiable]` on a function, a method, an `impl` block or a trait.
pub(crate) fn differentiable(args: TokenStream, item: TokenStream) -> TokenStream {
    let diag = Diagnostics::default();
    let attr = signature::attr(args, &diag);
    let parsed = match syn::parse2::<syn::Item>(item.clone()) {
        Ok(syn::Item::Fn(f)) => Ok(function(&attr, f, false, &diag)),
        Ok(syn::Item::Impl(i)) => Ok(super::impls::impl_block(&attr, i, &diag)),
        Ok(syn::Item::Trait(t)) => Ok(super::impls::trait_def(&attr, t, &diag)),
        _ => match syn::parse2::<syn::TraitItemFn>(item.clone()) {
            // a method declaration in a trait
            Ok(m) if m.default.is_none() => Ok(super::impls::trait_method(&attr, m, &diag)),
            _ => match syn::parse2::<syn::ImplItemFn>(item.clone()) {
                // a method inside an `impl` (`&self`, or a body that names `Self`)
                Ok(m) => Ok(function(&attr, impl_fn(m), true, &diag)),
                Err(_) => Err(item_span(&item)),
            },
        },
    };
    match parsed {
        Ok(out) => {
            let mut tokens = diag.into_tokens();
            tokens.extend(out);
            tokens
        }
        Err(span) => {
            let e = syn::Error::new(
                span,
                "#[differentiable] applies to functions, methods, `impl` blocks and traits\n= help: for a closure evaluated by dlfeval, write `differentiable_closure!(|x: &DlArray| ..)`",
            );
            let mut out = e.into_compile_error();
            out.extend(item);
            out
        }
    }
}

/// A method of an `impl` as a function item.
pub(crate) fn impl_fn(m: syn::ImplItemFn) -> syn::ItemFn {
    syn::ItemFn { attrs: m.attrs, vis: m.vis, modifiers: m.modifiers, sig: m.sig, block: Box::new(m.block) }
}

/// One function or method: the primal and its companion. `in_impl` says the function is an item of
/// an `impl` block (its companion is an associated function `__adf_<name>`).
pub(crate) fn function(attr: &signature::Attr, f: syn::ItemFn, in_impl: bool, diag: &Diagnostics) -> TokenStream {
    if let Some(c) = &f.sig.constness {
        diag.error(
            c.span(),
            "a `const fn` cannot be #[differentiable]",
            "remove `const`: derivatives are computed at run time",
        );
    }
    let krate = attr.krate.clone().map_or_else(|| quote!(::autodiff), |p| p.to_token_stream());
    let mut sig_syn = f.sig.clone();
    let sig = signature::signature(&mut sig_syn, diag);
    if !sig.traced_type_params.is_empty() {
        // a traced type parameter must be traceable and differentiable (every Learnables type is)
        // next to the parameter's own bounds (a second place for them would be linted)
        let rt = quote!(#krate::__private::v2);
        let bound: syn::TypeParamBound = syn::parse_quote!(#rt::Traced);
        for t in &sig.traced_type_params {
            let in_where = sig_syn.generics.where_clause.as_mut().and_then(|w| {
                w.predicates.iter_mut().find_map(|p| match p {
                    syn::WherePredicate::Type(pt) if matches!(&pt.bounded_ty, syn::Type::Path(tp) if tp.path.is_ident(t)) => Some(pt),
                    _ => None,
                })
            });
            match in_where {
                Some(pt) => pt.bounds.push(bound.clone()),
                None => {
                    if let Some(tp) = sig_syn.generics.type_params_mut().find(|tp| tp.ident == *t) {
                        tp.bounds.push(bound.clone());
                    }
                }
            }
        }
    }
    let analysed = analyse(&sig, &f.block, diag);
    let Some(a) = analysed.filter(|_| !diag.has_errors()) else {
        // the function with its signature and an empty body, so only the real errors show
        let mut clean = f.clone();
        strip_param_attrs(&mut sig_syn);
        sig_syn.constness = None;
        clean.sig = sig_syn;
        clean.block = syn::parse_quote!({ ::core::unreachable!() });
        clean.attrs.push(syn::parse_quote!(#[allow(unused_variables, unreachable_code)]));
        return clean.into_token_stream();
    };
    items(&f, &sig_syn, &sig, &a, &krate, in_impl)
}

/// The span of an item's keyword (`struct`, `enum`, …) for errors about the item.
fn item_span(item: &TokenStream) -> Span {
    let mut it = item.clone().into_iter();
    while let Some(tt) = it.next() {
        match &tt {
            // attributes and visibility
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '#' => {
                it.next();
            }
            proc_macro2::TokenTree::Ident(i) if i == "pub" => {}
            proc_macro2::TokenTree::Group(_) => {}
            other => return other.span(),
        }
    }
    Span::call_site()
}

/// The primal and the companion.
fn items(
    f: &syn::ItemFn,
    sig_syn: &syn::Signature,
    sig: &Sig,
    a: &Analysed,
    krate: &TokenStream,
    in_impl: bool,
) -> TokenStream {
    let rt = quote!(#krate::__private::v2);
    let name = &sig_syn.ident;
    let vis = &f.vis;
    let attrs = &f.attrs;
    let span = name.span();
    let method = in_impl || sig.receiver != Receiver::None || is_in_impl(sig_syn);
    // the primal is used whenever its companion is (calls from other differentiable code go to the
    // companion): a reference to it keeps `dead_code` quiet for functions used that way
    // (a generic one named with the companion's own parameters; one with `impl Trait` parameters
    // cannot be named)
    let args: Vec<TokenStream> = sig_syn
        .generics
        .params
        .iter()
        .filter_map(|g| match g {
            syn::GenericParam::Type(t) => Some(t.ident.to_token_stream()),
            syn::GenericParam::Const(c) => Some(c.ident.to_token_stream()),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    let apit = sig_syn
        .inputs
        .iter()
        .any(|a| matches!(a, syn::FnArg::Typed(t) if t.ty.to_token_stream().to_string().contains("impl ")));
    let turbofish = if args.is_empty() { quote!() } else { quote!(::<#(#args),*>) };
    let keep = if apit {
        quote!()
    } else if method {
        quote!(let _ = Self::#name #turbofish;)
    } else {
        quote!(let _ = #name #turbofish;)
    };
    let (gen_params, where_clause) = (&sig_syn.generics.params, &sig_syn.generics.where_clause);
    let type_params: Vec<&syn::Ident> = sig_syn.generics.type_params().map(|t| &t.ident).collect();
    // companion signature
    let owned_params: Vec<TokenStream> = sig
        .params
        .iter()
        .map(|p| {
            let id = owned_ident(&p.ident);
            let ty = &p.owned;
            quote!(#id: #ty)
        })
        .collect();
    let grad_tys: Vec<TokenStream> = sig
        .params
        .iter()
        .map(|p| {
            if p.traced {
                let ty = &p.owned;
                quote!(<#ty as #rt::Diff>::Grad)
            } else {
                quote!(#rt::NoGrad)
            }
        })
        .collect();
    let payload = &sig.ret.payload;
    let lifetimes = &sig.lifetimes;
    let pb_ty = quote!(impl ::core::ops::Fn(&<#payload as #rt::Diff>::Grad) -> #rt::Result<(#(#grad_tys,)*)> + use<#(#lifetimes,)* #(#type_params,)* __AdM>);
    let ret_ty = if sig.ret.is_result {
        signature::with_payload(&sig.ret.ty, quote!((#payload, #pb_ty)))
    } else {
        quote!((#payload, #pb_ty))
    };
    let new_lifetimes = &sig.new_lifetimes;
    let fn_generics = {
        let mut g = sig_syn.generics.clone();
        for (k, l) in new_lifetimes.iter().enumerate() {
            g.params.insert(k, syn::parse_quote!(#l));
        }
        g.params.push(syn::parse_quote!(__AdM: #rt::Mode));
        let params = &g.params;
        quote!(<#params>)
    };
    let _ = gen_params;
    let primal_args: Vec<TokenStream> = sig
        .params
        .iter()
        .map(|p| {
            let i = &p.ident;
            if i == "self" { quote!(#rt::arg(self)) } else { quote!(#rt::arg(#i)) }
        })
        .collect();
    let take_value = if sig.ret.is_result { quote!(.map(|(__ad_value, _)| __ad_value)) } else { quote!(.0) };
    let mut clean_sig = sig_syn.clone();
    strip_param_attrs(&mut clean_sig);
    let output = &clean_sig.output;
    let inputs = &clean_sig.inputs;
    let constness = &clean_sig.constness;
    let _ = constness;
    let unsafety = &clean_sig.safety;
    let abi = &clean_sig.abi;
    let fn_gen = &clean_sig.generics;
    if sig.receiver != Receiver::None {
        // a method: its companion `__ad_<name>` takes the receiver by reference and the mode as a
        // value, and boxes its pullback, so that a trait can declare it and `dyn Trait` call it
        let ad = format_ident!("__ad_{}", name);
        let companion_sig = method_companion_sig(sig, sig_syn, &rt);
        let arg_names: Vec<syn::Ident> = sig.params.iter().skip(1).map(|p| owned_ident(&p.ident)).collect();
        let companion_body = companion_body(sig, a, &rt, keep, true, false);
        let call_args: Vec<&TokenStream> = primal_args.iter().skip(1).collect();
        let primal_call = quote_spanned!(span=> self.#ad(#rt::DynMode(false), (#(#call_args,)*)) #take_value);
        quote_spanned! {span=>
            #(#attrs)*
            #vis #unsafety #abi fn #name #fn_gen (#inputs) #output #where_clause {
                #primal_call
            }
            #[doc(hidden)]
            #[allow(unused, unreachable_code, clippy::all, clippy::type_complexity)]
            #vis #companion_sig {
                let __ad_self_owned: Self = #rt::arg(self);
                let (#(#arg_names,)*) = __ad_args;
                #companion_body
            }
        }
    } else if method {
        let adf = format_ident!("__adf_{}", name);
        let companion_body = companion_body(sig, a, &rt, keep, false, false);
        let primal_call = quote_spanned!(span=> Self::#adf(#rt::Primal, #(#primal_args),*) #take_value);
        quote_spanned! {span=>
            #(#attrs)*
            #vis #unsafety #abi fn #name #fn_gen (#inputs) #output #where_clause {
                #primal_call
            }
            #[doc(hidden)]
            #[allow(unused, unreachable_code, clippy::all, clippy::type_complexity)]
            #vis fn #adf #fn_generics (__ad_mode: __AdM, #(#owned_params),*) -> #ret_ty #where_clause {
                #companion_body
            }
        }
    } else {
        let companion_body = companion_body(sig, a, &rt, keep, false, false);
        let (vjp, vjp_outside) = super::vjp::vjp_item(sig, sig_syn, a, &rt, vis);
        let primal_call = quote_spanned!(span=> #name::__ad(#rt::Primal, #(#primal_args),*) #take_value);
        quote_spanned! {span=>
            #(#attrs)*
            #vis #unsafety #abi fn #name #fn_gen (#inputs) #output #where_clause {
                #primal_call
            }
            #[doc(hidden)]
            #[allow(non_camel_case_types, dead_code)]
            #vis struct #name {}
            #vjp_outside
            impl #name {
                #[doc(hidden)]
                #[allow(unused, unreachable_code, clippy::all, clippy::type_complexity)]
                #vis fn __ad #fn_generics (__ad_mode: __AdM, #(#owned_params),*) -> #ret_ty #where_clause {
                    #companion_body
                }
                #vjp
            }
        }
    }
}

/// The signature of a method's companion, the same in the trait that declares it and in every
/// `impl`: `fn __ad_<name>(&self, mode: DynMode, (args..,)) -> (value, DynPullback<(DynGrad, arg
/// gradients..)>)`, with the result wrapped as the method's is (`Result<..>`). No type parameter and
/// no `impl Trait`, so the trait stays callable on `dyn Trait`; the receiver's gradient is erased
/// (`DynGrad`) because `<Self as Diff>::Grad` would need `Self: Sized`.
pub(crate) fn method_companion_sig(sig: &Sig, sig_syn: &syn::Signature, rt: &TokenStream) -> TokenStream {
    let name = format_ident!("__ad_{}", sig_syn.ident);
    let tuple_tys: Vec<&syn::Type> = sig.params.iter().skip(1).map(|p| &p.owned).collect();
    let grads: Vec<TokenStream> = sig
        .params
        .iter()
        .skip(1)
        .map(|p| {
            if p.traced {
                let ty = &p.owned;
                quote!(<#ty as #rt::Diff>::Grad)
            } else {
                quote!(#rt::NoGrad)
            }
        })
        .collect();
    let payload = &sig.ret.payload;
    let mut generics = sig_syn.generics.clone();
    for (k, l) in sig.new_lifetimes.iter().enumerate() {
        generics.params.insert(k, syn::parse_quote!(#l));
    }
    // the pullback may keep the borrowed plain parameters: it lives as long as the shortest
    let pb_life = if sig.lifetimes.is_empty() {
        quote!('static)
    } else {
        generics.params.insert(0, syn::parse_quote!('__ad_pb));
        let wc = generics.make_where_clause();
        for l in &sig.lifetimes {
            wc.predicates.push(syn::parse_quote!(#l: '__ad_pb));
        }
        quote!('__ad_pb)
    };
    let pb_ty = quote!(#rt::DynPullback<#pb_life, <#payload as #rt::Diff>::Grad, (#rt::DynGrad, #(#grads,)*)>);
    let ret_ty = if sig.ret.is_result {
        signature::with_payload(&sig.ret.ty, quote!((#payload, #pb_ty)))
    } else {
        quote!((#payload, #pb_ty))
    };
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let _ = impl_generics;
    let params = &generics.params;
    quote!(fn #name<#params>(&self, __ad_mode: #rt::DynMode, __ad_args: (#(#tuple_tys,)*)) -> #ret_ty #where_clause)
}

/// Whether a function is a method or an associated function (its signature mentions `Self`).
fn is_in_impl(sig: &syn::Signature) -> bool {
    sig.to_token_stream().to_string().split_whitespace().any(|w| w == "Self")
}

/// The name of a parameter's owned copy in the companion.
pub(crate) fn owned_ident(i: &syn::Ident) -> syn::Ident {
    if i == "self" {
        format_ident!("__ad_self_owned")
    } else {
        format_ident!("{}_owned", i.to_string().trim_start_matches("r#"))
    }
}

/// Removes `#[untraced]` from parameters (the attribute is the macro's).
fn strip_param_attrs(sig: &mut syn::Signature) {
    for a in sig.inputs.iter_mut() {
        if let syn::FnArg::Typed(pt) = a {
            pt.attrs.retain(|a| !a.path().is_ident("untraced"));
        }
    }
}

/// The body of a companion: tracing, parameters, stacks, forward code with its sweeps, the value
/// and the pullback.
/// `transitive`: the body of a vector-Jacobian product companion, whose calls to other companions
/// pass `Transitive` (see `emit::vjp`).
pub(crate) fn companion_body(
    sig: &Sig,
    a: &Analysed,
    rt: &TokenStream,
    keep: TokenStream,
    boxed: bool,
    transitive: bool,
) -> TokenStream {
    let mut ctx = Ctx::new(&a.body, &a.plan, &a.sites, sig.ret.is_result, true);
    ctx.transitive = transitive;
    if sig.ret.is_result && a.payload.is_some() {
        ctx.skip = a.body.ret.as_ref().and_then(|r| r.var());
    }
    let mut t = quote!(use #rt as __ad;);
    t.extend(keep);
    t.extend(quote!(let __ad_trace = __ad::enter();));
    t.extend(params(sig, a, &ctx, None));
    t.extend(stacks(&ctx));
    if sig.ret.is_result {
        // the body in a block its errors break out of (see `Ctx::try_`)
        ctx.fail.set(Some(FAIL));
        let body = companion_rest(sig, a, rt, &ctx, boxed);
        let ret = &sig.ret.ty;
        t.extend(super::ctx::fail_block(FAIL, quote!(<#ret as __ad::ResultParts>::Err), body));
    } else {
        t.extend(companion_rest(sig, a, rt, &ctx, boxed));
    }
    t
}

/// The label generated `?` break to in a companion.
const FAIL: &str = "'__ad_fail";

/// The companion's body after its parameters: the forward code, the value, the pullback.
fn companion_rest(sig: &Sig, a: &Analysed, rt: &TokenStream, ctx: &Ctx<'_>, boxed: bool) -> TokenStream {
    // the top-level values are declared first and assigned (see `ctx::lets`)
    let candidates = a
        .body
        .block
        .stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Let(n) if Some(n.out) != ctx.skip => Some(n.out),
            _ => None,
        })
        .collect();
    *ctx.predeclare.borrow_mut() = (candidates, Vec::new());
    let forward = ctx.fwd_block(&a.body.block, Pos { exit: None });
    let (_, written) = std::mem::take(&mut *ctx.predeclare.borrow_mut());
    let names: Vec<syn::Ident> = written.iter().map(|v| ctx.ident(*v)).collect();
    let mut t = super::ctx::declare(&names);
    t.extend(forward);
    // the value
    let value = match &a.body.ret {
        Some(Operand::Var(v)) => {
            let i = ctx.ident(*v);
            if sig.ret.is_result {
                match a.payload {
                    Some(p) => {
                        let pi = ctx.ident(p);
                        quote!(::core::clone::Clone::clone(&#pi))
                    }
                    None => ctx.try_(quote!(#i), proc_macro2::Span::call_site()),
                }
            } else {
                quote!(::core::clone::Clone::clone(&#i))
            }
        }
        Some(Operand::Const(ts)) if sig.ret.is_result => ctx.try_(quote!((#ts)), proc_macro2::Span::call_site()),
        Some(Operand::Const(ts)) => ts.clone(),
        None => quote!(()),
    };
    t.extend(quote!(let __ad_value = #value;));
    t.extend(super::pullback::pullback(sig, a, ctx));
    if boxed {
        // a method's pullback: boxed, the receiver's gradient erased (see `method_companion_sig`)
        let names: Vec<syn::Ident> = (0..sig.params.len()).map(|k| format_ident!("__ad_g{}", k)).collect();
        let (first, rest): (Vec<&syn::Ident>, &[syn::Ident]) =
            names.split_first().map_or((vec![], &names[..]), |(f, r)| (vec![f], r));
        t.extend(quote! {
            let __ad_pb: #rt::DynPullback<'_, _, _> = ::std::boxed::Box::new(move |__ad_g: &_| {
                let (#(#names,)*) = __ad_pb(__ad_g)?;
                ::core::result::Result::Ok((#(#rt::DynGrad::new(#first),)* #(#rest,)*))
            });
        });
    }
    if sig.ret.is_result {
        t.extend(quote!(return ::core::result::Result::Ok((__ad_value, __ad_pb));));
    } else {
        t.extend(quote!((__ad_value, __ad_pb)));
    }
    t
}

/// Tracing and the parameters' borrows of their owned copies (in the pullback, only of those it
/// reads: a closure that kept a plain borrowed parameter would borrow from the caller).
pub(crate) fn params(sig: &Sig, a: &Analysed, ctx: &Ctx<'_>, closure_reads: Option<&HashSet<VarId>>) -> TokenStream {
    let in_closure = closure_reads.is_some();
    let mut t = TokenStream::new();
    for (k, p) in sig.params.iter().enumerate() {
        let owned = owned_ident(&p.ident);
        let var = a.body.vars.iter().position(|v| v.kind == VarKind::Param(k));
        let Some(var) = var else { continue };
        if closure_reads.is_some_and(|r| !r.contains(&var)) {
            continue;
        }
        let i = ctx.ident(var);
        if p.traced && !in_closure {
            t.extend(quote!(let #owned = match __ad_trace { ::core::option::Option::Some(__ad_id) => __ad::trace(&#owned, __ad_id), ::core::option::Option::None => #owned };));
        }
        let ty = &p.ty;
        if p.is_ref && !matches!(ty, syn::Type::Reference(r) if r.mutability.is_some()) {
            let ty = if p.ident == "self" { quote!(&Self) } else { ty.to_token_stream() };
            if !p.traced {
                // a plain borrowed parameter: the borrow itself (the pullback may keep it)
                t.extend(quote!(let #i: #ty = #owned;));
                continue;
            }
            t.extend(quote!(let #i: #ty = ::core::borrow::Borrow::borrow(&#owned);));
        } else {
            t.extend(quote!(let mut #i = ::core::clone::Clone::clone(&#owned);));
        }
    }
    t
}

/// The stack declarations.
pub(crate) fn stacks(ctx: &Ctx<'_>) -> TokenStream {
    let mut t = TokenStream::new();
    let mut vars: Vec<_> = ctx.plan.stacked.keys().copied().collect();
    vars.sort_unstable();
    for v in vars {
        let st = ctx.derived(v, "stack");
        t.extend(quote!(let mut #st = ::std::vec::Vec::new();));
        if let Op::Call { .. } | Op::Method { .. } = ctx.node_op(v) {
            let pst = ctx.derived(v, "pb_stack");
            t.extend(quote!(let mut #pst = ::std::vec::Vec::new();));
        }
    }
    let mut ids: Vec<_> = ctx.plan.branches.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        if ctx.is_kind(id, "if") {
            let r = ctx.for_id(id, "if");
            t.extend(quote!(let mut #r: ::std::vec::Vec<bool> = ::std::vec::Vec::new();));
        } else {
            let r = ctx.for_id(id, "match");
            t.extend(quote!(let mut #r: ::std::vec::Vec<usize> = ::std::vec::Vec::new();));
        }
    }
    let mut replays: Vec<_> = ctx.plan.replay.iter().filter(|(id, _)| ctx.plan.loops.contains_key(id)).collect();
    replays.sort_by_key(|(id, _)| **id);
    for (id, r) in replays {
        for (cell, _) in &r.cells {
            let sizes = ctx.derived_in(*cell, *id, "sizes");
            t.extend(quote!(let mut #sizes = ::std::vec::Vec::new();));
        }
    }
    let mut loops: Vec<_> = ctx.plan.loops.keys().copied().collect();
    loops.sort_unstable();
    for id in loops {
        let trips = ctx.for_id(id, "trips");
        t.extend(quote!(let mut #trips: ::std::vec::Vec<usize> = ::std::vec::Vec::new();));
        if ctx.loop_has_exits(id) {
            let r = ctx.for_id(id, "reach");
            t.extend(quote!(let mut #r: ::std::vec::Vec<usize> = ::std::vec::Vec::new();));
        }
    }
    t
}

//! The companion's pullback closure: the reverse sweep of the whole body, seeded at the result's
//! gradient, returning each parameter's gradient. It owns what it reads (the parameters it needs,
//! copies of borrows it cannot take again), so it outlives the call.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ctx::Ctx;
use super::item::{Analysed, owned_ident, params};
use crate::ir::{Op, Stmt, VarId, VarKind};
use crate::signature::Sig;

/// `let __ad_pb = ..;`: the pullback closure, or one that fails when a gradient reaches it.
pub(crate) fn pullback(sig: &Sig, a: &Analysed, ctx: &Ctx<'_>) -> TokenStream {
    // the closure returns `__ad::Result<grads>`: its `?` break to its own block
    ctx.with_fail(Some(PB_FAIL), || pullback_closure(sig, a, ctx))
}

const PB_FAIL: &str = "'__ad_pb_fail";

fn pullback_closure(sig: &Sig, a: &Analysed, ctx: &Ctx<'_>) -> TokenStream {
    let grads_none: Vec<TokenStream> = sig
        .params
        .iter()
        .enumerate()
        .map(|(k, p)| {
            if !p.traced {
                return quote!(__ad::NoGrad);
            }
            let owned = owned_ident(&p.ident);
            let _ = k;
            quote!(__ad::slot(&#owned))
        })
        .collect();
    let Some(sweep) = &a.pullback else {
        if a.sites.is_empty() {
            // nothing to differentiate through (a constant result): zero gradients
            return quote! {
                let __ad_pb = move |_: &_| -> __ad::Result<_> { ::core::result::Result::Ok((#(#grads_none,)*)) };
            };
        }
        let name = "a function that calls `dlgradient` (call it from `dlfeval`)".to_string();
        return quote! {
            let __ad_pb = move |__ad_g: &_| -> __ad::Result<_> {
                if __ad::reached(__ad_g) {
                    return ::core::result::Result::Err(__ad::through_gradient(#name));
                }
                ::core::result::Result::Ok((#(#grads_none,)*))
            };
        };
    };
    let Some(payload) = a.payload.filter(|p| sweep.active.contains(p)) else {
        return quote!(let __ad_pb = move |_: &_| -> __ad::Result<_> { ::core::result::Result::Ok((#(#grads_none,)*)) };);
    };
    // slots made now from the values (cheap: lazily zero), cloned in the closure so it can run again
    let mut pre = Vec::new();
    let mut inside = Vec::new();
    let mut active: Vec<_> = sweep.active.iter().copied().collect();
    active.sort_unstable();
    for v in &active {
        let bar = ctx.derived(*v, "bar");
        if a.plan.region.contains(v) || a.body.vars[*v].kind == VarKind::Cell {
            inside.push((quote!(mut #bar), quote!(__ad::Slot::new())));
        } else {
            let i = ctx.ident(*v);
            let pre_bar = format_ident!("{}0", bar);
            pre.push((quote!(#pre_bar), quote!(__ad::slot(&#i))));
            inside.push((quote!(mut #bar), quote!(__ad::Grad::copy(&#pre_bar))));
        }
    }
    let mut pre = super::ctx::lets(pre);
    let inside = super::ctx::lets(inside);
    let seed_bar = ctx.derived(payload, "bar");
    let seed = if a.plan.region.contains(&payload) || a.body.vars[payload].kind == VarKind::Cell {
        let i = ctx.ident(payload);
        quote!(__ad::acc(#seed_bar.at(&#i), __ad_g);)
    } else {
        quote!(__ad::acc(&mut #seed_bar, __ad_g);)
    };
    ctx.in_pullback.set(true);
    let cursors = ctx.cursors();
    let rev = ctx.rev_block(&sweep.body);
    ctx.in_pullback.set(false);
    // what the closure reads: the sweep's reads, and what replayed loops compute with
    let mentioned = idents_in(&rev);
    let mut reads: HashSet<VarId> = (0..a.body.vars.len())
        .filter(|v| a.plan.pullback_reads.contains(v) || mentioned.contains(&ctx.ident(*v).to_string()))
        .collect();
    let (rederive, rederived) = rederive_refs(a, ctx, &mut reads);
    // borrowed values the pullback reads are copied into it (only when it will run)
    let mut kept_inside = TokenStream::new();
    // a borrow of a place is taken again from its owners when they are parameters (or borrows taken
    // again themselves); any other is copied
    let defs = top_level_defs(&a.body.block);
    let mut again: Vec<VarId> = Vec::new();
    for &v in defs.iter().rev() {
        let var = &a.body.vars[v];
        if !var.is_ref || rederived.contains(&v) || !reads.contains(&v) {
            continue;
        }
        let takes_again = var.again.as_ref().is_some_and(|(_, from)| {
            from.iter().all(|m| {
                matches!(a.body.vars[*m].kind, VarKind::Param(_)) || a.body.vars[*m].again.is_some() && defs.contains(m)
            })
        });
        if takes_again {
            if let Some((_, from)) = &var.again {
                reads.extend(from.iter().copied());
            }
            again.push(v);
            continue;
        }
        let i = ctx.ident(v);
        let kept = ctx.derived(v, "kept");
        pre.extend(quote!(let #kept = __ad::keep(__ad::Mode::record(__ad_mode), #i);));
        let kept_val = ctx.try_(quote!(__ad::kept(&#kept)), proc_macro2::Span::call_site());
        kept_inside.extend(quote!(let #i = #kept_val;));
    }
    again.sort_unstable();
    for v in again {
        if let Some((def, _)) = &a.body.vars[v].again {
            kept_inside.extend(quote!(#def));
        }
    }
    let params_again = params(sig, a, ctx, Some(&reads));
    let grads: Vec<TokenStream> = sig
        .params
        .iter()
        .enumerate()
        .map(|(k, p)| {
            if !p.traced {
                return quote!(__ad::NoGrad);
            }
            let var = a.body.vars.iter().position(|v| v.kind == VarKind::Param(k));
            match var {
                Some(v) if sweep.active.contains(&v) => {
                    let bar = ctx.derived(v, "bar");
                    quote!(#bar)
                }
                _ => {
                    let owned = owned_ident(&p.ident);
                    quote!(__ad::slot(&#owned))
                }
            }
        })
        .collect();
    let body = super::ctx::fail_block(
        PB_FAIL,
        quote!(__ad::Error),
        quote! {
            #params_again
            #kept_inside
            #rederive
            #cursors
            #inside
            #seed
            #rev
            return ::core::result::Result::Ok((#(#grads,)*));
        },
    );
    let g_ty = &sig.ret.payload;
    quote! {
        #pre
        let __ad_pb = move |__ad_g: &<#g_ty as __ad::Diff>::Grad| -> __ad::Result<_> {
            #body
        };
    }
}

/// Inside the pullback, the top-level values that are references to fields or `Option` contents are
/// taken again from their owners (a closure cannot keep a borrow of the companion's locals).
fn rederive_refs(a: &Analysed, ctx: &Ctx<'_>, reads: &mut HashSet<VarId>) -> (TokenStream, HashSet<VarId>) {
    let mut lets = Vec::new();
    let mut done = HashSet::new();
    // last first: a projection the closure reads needs its base there too
    for s in a.body.block.stmts.iter().rev() {
        let Stmt::Let(n) = s else { continue };
        if !a.body.vars[n.out].is_ref || !reads.contains(&n.out) {
            continue;
        }
        let out = ctx.ident(n.out);
        let code = match &n.op {
            Op::Field { base, member } => {
                reads.insert(*base);
                let b = ctx.ident(*base);
                quote!(let #out = &#b.#member;)
            }
            // an element is kept (a dlarray's is computed, a container's is a cheap clone)
            Op::Unwrap { base, .. } => {
                reads.insert(*base);
                let b = ctx.ident(*base);
                // the forward code unwrapped the same value
                quote!(let #out = __ad::unwrap_ref(&#b).unwrap();)
            }
            _ => continue,
        };
        lets.push(code);
        done.insert(n.out);
    }
    lets.reverse();
    (lets.into_iter().collect(), done)
}

/// The vars the function's top-level statements define.
fn top_level_defs(b: &crate::ir::Block) -> Vec<VarId> {
    let mut out = Vec::new();
    for s in &b.stmts {
        match s {
            Stmt::Let(n) => out.push(n.out),
            Stmt::Opaque(_, vars) => out.extend(vars),
            _ => {}
        }
    }
    out
}

/// The identifiers tokens mention.
fn idents_in(ts: &TokenStream) -> HashSet<String> {
    fn walk(ts: &TokenStream, out: &mut HashSet<String>) {
        for tt in ts.clone() {
            match tt {
                proc_macro2::TokenTree::Ident(i) => {
                    out.insert(i.to_string());
                }
                proc_macro2::TokenTree::Group(g) => walk(&g.stream(), out),
                _ => {}
            }
        }
    }
    let mut out = HashSet::new();
    walk(ts, &mut out);
    out
}

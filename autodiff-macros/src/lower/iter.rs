//! Iterator chains with closures over traced values, and `Option` combinators: rewritten into the
//! loops and matches they stand for, then lowered like any loop or match, so the closures' bodies are
//! differentiated.
//!
//! Before:
//! ```text
//! let s: DlArray = xs.iter().zip(&ws).map(|(x, w)| x * w).sum();
//! ```
//! After (Rust, then lowered):
//! ```text
//! let mut acc = <DlArray as SumZero>::zero();
//! for (x, w) in xs.iter().zip(&ws) { acc = acc + x * w; }
//! let s = acc;
//! ```
//!
//! | chain | loop |
//! |---|---|
//! | `.map(f)…` | the closure's pattern binds the item, its body computes the next item |
//! | `.sum::<T>()`, `.product::<T>()` | an accumulator from `T`'s zero (one) |
//! | `.fold(init, \|acc, x\| ..)` | the closure's body reassigns the accumulator |
//! | `.for_each(\|x\| ..)` | the body |
//! | `.collect::<Vec<_>>()` | `push` into a new `Vec` |
//! | `opt.map(f)`, `.and_then(f)`, `.map_or(d, f)`, `.unwrap_or(d)` | a `match` on `Some` |

use proc_macro2::TokenStream;
use quote::{ToTokens, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Pat};

use super::scan::strip;
use super::{Lower, Val};

/// One step of a chain: a closure's parameter pattern and body.
struct MapStep {
    pat: Pat,
    body: Expr,
}

impl Lower<'_> {
    /// An iterator chain ending in a sink, lowered as a loop; `None` when `e` is not one (or holds
    /// nothing traced).
    pub(crate) fn iter_chain(&mut self, e: &Expr, ty: Option<&syn::Type>) -> Option<Val> {
        let Expr::MethodCall(sink) = strip(e) else {
            return None;
        };
        let sink_name = sink.method.to_string();
        let arity = match sink_name.as_str() {
            "sum" | "product" | "collect" => 0,
            "for_each" => 1,
            "fold" => 2,
            _ => return None,
        };
        if sink.args.len() != arity {
            return None;
        }
        if !self.needs_lowering(e) || self.plain_by_construction(e) {
            // nothing traced flows through it (`extractdata(&y).sum()`): a plain method call
            return None;
        }
        // walk down the adaptors
        let mut maps = Vec::new();
        let mut cur = &*sink.receiver;
        loop {
            match strip(cur) {
                Expr::MethodCall(m) if m.method == "map" && m.args.len() == 1 => {
                    let Expr::Closure(c) = strip(&m.args[0]) else {
                        self.diag.error(
                            m.args[0].span(),
                            "`map` of a function over traced values",
                            "write the function as a closure: `.map(|x| f(x))`",
                        );
                        return Some(Val::Unit);
                    };
                    let Some(step) = closure_step(c, 1) else {
                        self.diag.error(
                            c.span(),
                            "a closure with this many parameters for `map`",
                            "take one parameter (a tuple for `zip`)",
                        );
                        return Some(Val::Unit);
                    };
                    maps.push(step);
                    cur = &m.receiver;
                }
                Expr::MethodCall(m) if (m.method == "copied" || m.method == "cloned") && m.args.is_empty() => {
                    cur = &m.receiver
                }
                _ => break,
            }
        }
        maps.reverse();
        // in an invisible group: a source that starts with a struct literal still parses after `in`
        let source = invisible(cur);
        let span = sink.span();
        let acc = self.generated("acc");
        self.varied_names.insert(acc.to_string());
        // the loop pattern and the body computing the final item
        let item = self.generated("item");
        self.varied_names.insert(item.to_string());
        let (pat, mut body_stmts): (Pat, Vec<syn::Stmt>) = match maps.first() {
            Some(first) => (first.pat.clone(), vec![]),
            None => (syn::parse_quote_spanned!(span=> #item), vec![]),
        };
        let mut value: Expr = match maps.first() {
            Some(first) => first.body.clone(),
            None => syn::parse_quote_spanned!(span=> #item),
        };
        for step in maps.iter().skip(1) {
            let p = &step.pat;
            body_stmts.push(syn::parse_quote_spanned!(span=> let #p = #value;));
            value = step.body.clone();
        }
        let rt = &self.rt;
        let block: syn::Block = match sink_name.as_str() {
            "sum" | "product" => {
                let ty = match (sink.turbofish.as_ref().and_then(|t| t.args.first()), ty) {
                    (Some(t), _) => t.to_token_stream(),
                    (None, Some(t)) => t.to_token_stream(),
                    (None, None) => {
                        self.diag.error(
                            sink.method.span(),
                            format!("`{sink_name}()` of traced values needs its type"),
                            format!("write `.{sink_name}::<DlArray>()` (or annotate the `let`)"),
                        );
                        return Some(Val::Unit);
                    }
                };
                let (start, op) = if sink_name == "sum" {
                    (quote_spanned!(span=> <#ty as #rt::SumZero>::zero()), quote_spanned!(span=> +))
                } else {
                    (quote_spanned!(span=> <#ty as #rt::SumZero>::one()), quote_spanned!(span=> *))
                };
                syn::parse_quote_spanned! {span=> {
                    let mut #acc = #start;
                    for #pat in #source {
                        #(#body_stmts)*
                        #acc = #acc #op (#value);
                    }
                    #acc
                }}
            }
            "fold" => {
                if sink.args.len() != 2 {
                    return None;
                }
                let init = &sink.args[0];
                let Expr::Closure(c) = strip(&sink.args[1]) else {
                    self.diag.error(
                        sink.args[1].span(),
                        "`fold` with a function over traced values",
                        "write a closure: `.fold(init, |acc, x| ..)`",
                    );
                    return Some(Val::Unit);
                };
                let Some((acc_pat, x_pat, fbody)) = fold_step(c) else {
                    self.diag.error(c.span(), "a `fold` closure needs two parameters", "write `|acc, x| ..`");
                    return Some(Val::Unit);
                };
                if maps.is_empty() {
                    syn::parse_quote_spanned! {span=> {
                        let mut #acc = #init;
                        for #x_pat in #source {
                            let #acc_pat = #acc;
                            #acc = #fbody;
                        }
                        #acc
                    }}
                } else {
                    syn::parse_quote_spanned! {span=> {
                        let mut #acc = #init;
                        for #pat in #source {
                            #(#body_stmts)*
                            let #x_pat = #value;
                            let #acc_pat = #acc;
                            #acc = #fbody;
                        }
                        #acc
                    }}
                }
            }
            "for_each" => {
                let Some(Expr::Closure(c)) = sink.args.first().map(strip) else {
                    return None;
                };
                let step = closure_step(c, 1)?;
                let (p, b) = (&step.pat, &step.body);
                if maps.is_empty() {
                    syn::parse_quote_spanned! {span=> {
                        for #p in #source { #b; }
                    }}
                } else {
                    syn::parse_quote_spanned! {span=> {
                        for #pat in #source {
                            #(#body_stmts)*
                            let #p = #value;
                            #b;
                        }
                    }}
                }
            }
            _ => {
                // collect: into a `Vec`
                let is_vec = sink
                    .turbofish
                    .as_ref()
                    .map(|t| t.to_token_stream().to_string())
                    .or_else(|| ty.map(|t| t.to_token_stream().to_string()))
                    .is_some_and(|s| s.contains("Vec"));
                if !is_vec {
                    self.diag.error(
                        sink.method.span(),
                        "`collect()` of traced values into something other than a `Vec`",
                        "write `.collect::<Vec<_>>()` (or annotate the `let` with `Vec<DlArray>`)",
                    );
                    return Some(Val::Unit);
                }
                syn::parse_quote_spanned! {span=> {
                    let mut #acc = ::std::vec::Vec::new();
                    for #pat in #source {
                        #(#body_stmts)*
                        #acc.push(#value);
                    }
                    #acc
                }}
            }
        };
        let (b, v) = self.block_of(|l| l.block_value(&block.stmts));
        self.inline(b);
        Some(v)
    }

    /// `opt.map(f)`, `.and_then(f)`, `.map_or(d, f)`, `.unwrap_or(d)`, `.unwrap_or_else(f)` and
    /// `.as_ref()` on an `Option` that may hold traced values: a `match`.
    pub(crate) fn option_combinator(&mut self, m: &syn::ExprMethodCall) -> Option<Val> {
        let name = m.method.to_string();
        let span = m.span();
        if matches!(name.as_str(), "as_ref" | "as_deref" | "borrow") && m.args.is_empty() {
            if !self.needs_lowering(&m.receiver) {
                return None;
            }
            return Some(self.expr(&m.receiver));
        }
        if !["map", "and_then", "map_or", "unwrap_or", "unwrap_or_else"].contains(&name.as_str()) {
            return None;
        }
        if !self.needs_lowering(&Expr::MethodCall(m.clone())) {
            return None;
        }
        let recv = invisible(&m.receiver);
        let v = self.generated("v");
        self.varied_names.insert(v.to_string());
        let e: Expr = match (name.as_str(), m.args.len()) {
            ("unwrap_or", 1) => {
                let d = &m.args[0];
                syn::parse_quote_spanned!(span=> match #recv { ::core::option::Option::Some(#v) => #v, ::core::option::Option::None => #d })
            }
            ("unwrap_or_else", 1) => {
                let Expr::Closure(c) = strip(&m.args[0]) else { return None };
                let body = &c.body;
                syn::parse_quote_spanned!(span=> match #recv { ::core::option::Option::Some(#v) => #v, ::core::option::Option::None => #body })
            }
            ("map" | "and_then", 1) => {
                let Expr::Closure(c) = strip(&m.args[0]) else { return None };
                let step = closure_step(c, 1)?;
                let (p, b) = (&step.pat, &step.body);
                if name == "map" {
                    syn::parse_quote_spanned!(span=> match #recv {
                        ::core::option::Option::Some(#v) => { let #p = #v; ::core::option::Option::Some(#b) }
                        ::core::option::Option::None => ::core::option::Option::None,
                    })
                } else {
                    syn::parse_quote_spanned!(span=> match #recv {
                        ::core::option::Option::Some(#v) => { let #p = #v; #b }
                        ::core::option::Option::None => ::core::option::Option::None,
                    })
                }
            }
            ("map_or", 2) => {
                let d = &m.args[0];
                let Expr::Closure(c) = strip(&m.args[1]) else { return None };
                let step = closure_step(c, 1)?;
                let (p, b) = (&step.pat, &step.body);
                syn::parse_quote_spanned!(span=> match #recv {
                    ::core::option::Option::Some(#v) => { let #p = #v; #b }
                    ::core::option::Option::None => #d,
                })
            }
            _ => return None,
        };
        Some(self.expr(&e))
    }
}

/// A closure's single parameter (type annotation removed) and body.
fn closure_step(c: &syn::ExprClosure, n: usize) -> Option<MapStep> {
    if c.inputs.len() != n {
        return None;
    }
    let pat = untyped(&c.inputs[0]);
    Some(MapStep { pat, body: (*c.body).clone() })
}

/// A fold closure's `(acc, x)` parameters and body.
fn fold_step(c: &syn::ExprClosure) -> Option<(Pat, Pat, Expr)> {
    if c.inputs.len() != 2 {
        return None;
    }
    Some((untyped(&c.inputs[0]), untyped(&c.inputs[1]), (*c.body).clone()))
}

/// A pattern without its type annotation.
fn untyped(p: &Pat) -> Pat {
    match p {
        Pat::Type(t) => (*t.pat).clone(),
        other => other.clone(),
    }
}

#[allow(dead_code)]
fn unused(_: TokenStream) {}

/// An expression to paste after `in` or `match` (see `scan::head_safe`).
fn invisible(e: &Expr) -> TokenStream {
    super::scan::head_safe(e.to_token_stream())
}

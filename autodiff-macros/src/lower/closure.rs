//! Closures that are not given to iterator adaptors (those are loops, see `iter`):
//!
//! - a closure bound by `let` and called in the body (`let sq = |v: &DlArray| v * v; sq(&a)`) is
//!   inlined at each call: its body is lowered there, with its parameters bound to the arguments and
//!   its free names to what they named where the closure was written;
//! - a closure handed to other code (`std::thread::spawn(move || ..)`, a user's function) runs as
//!   plain Rust, and the traced values it captures cross into it as untraced copies (SPEC §4 rule 3).

use std::collections::{HashMap, HashSet};

use quote::{ToTokens, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned;

use super::{Lower, Val};
use crate::ir::{Stmt, VarId};

/// A closure bound by `let`, inlined where it is called.
#[derive(Clone)]
pub(crate) struct LocalClosure {
    pub(crate) closure: syn::ExprClosure,
    /// The free names of its body and the vars they named where it was written.
    pub(crate) captures: Vec<(String, VarId)>,
}

impl Lower<'_> {
    /// A closure handed to code that is not differentiated (`std::thread::spawn(move || ..)`, a
    /// user's function): it runs as plain Rust, and the traced values it captures cross into it as
    /// untraced copies (SPEC §4 rule 3: what moves to another worker arrives untraced). Closures given
    /// to iterator adaptors and `Option` combinators are differentiated instead (see `iter`).
    pub(crate) fn detached_closure(&mut self, c: &syn::ExprClosure) -> Val {
        let span = c.span();
        let mut names = HashSet::new();
        crate::rename::mentioned(&c.body.to_token_stream(), &mut names);
        let mut names: Vec<String> =
            names.into_iter().filter(|n| self.lookup(n).is_some_and(|v| self.vars[v].varied)).collect();
        names.sort();
        let mut detached: HashMap<String, syn::Ident> = HashMap::new();
        for n in names {
            let Some(v) = self.lookup(&n) else { continue };
            let from = self.vars[v].ident.clone();
            let d = self.temp("detached", span, false, false);
            let ident = self.vars[d].ident.clone();
            let rt = &self.rt;
            self.push(Stmt::Opaque(quote_spanned!(span=> let #ident = #rt::detach(&#from);), vec![d]));
            detached.insert(n, ident);
        }
        let mut e = Expr::Closure(c.clone());
        crate::rename::expr(&mut e, &|i| {
            let n = i.to_string();
            detached.get(&n).cloned().or_else(|| self.lookup(&n).map(|v| self.vars[v].ident.clone()))
        });
        Val::Const(e.to_token_stream())
    }

    /// Records `let name = |..| ..;` (already bound to `var`) for inlining at its calls.
    pub(crate) fn record_closure(&mut self, var: VarId, c: &syn::ExprClosure) {
        if contains_return(c) {
            // `return` leaves the closure, not the function: not inlined (it runs as plain code)
            return;
        }
        let mut bound = HashSet::new();
        for p in &c.inputs {
            bound.extend(super::scan::pat_names(p));
        }
        let mut names = HashSet::new();
        crate::rename::mentioned(&c.body.to_token_stream(), &mut names);
        let mut captures: Vec<(String, VarId)> =
            names.into_iter().filter(|n| !bound.contains(n)).filter_map(|n| self.lookup(&n).map(|v| (n, v))).collect();
        captures.sort();
        self.closures.insert(var, LocalClosure { closure: c.clone(), captures });
    }

    /// `name(args)` of a closure recorded by `record_closure`: its body, lowered here.
    pub(crate) fn inline_closure(&mut self, lc: LocalClosure, call: &syn::ExprCall) -> Val {
        let span = call.span();
        if lc.closure.inputs.len() != call.args.len() {
            return self.unsupported(
                span,
                "a call with a different number of arguments than the closure takes",
                "pass one argument per closure parameter",
            );
        }
        // the arguments, in the caller's scope
        let args: Vec<Val> = call.args.iter().map(|a| self.expr(super::expr::refs_of(a).0)).collect();
        let (block, v) = self.block_of(|l| {
            for (name, var) in &lc.captures {
                l.bind(name, *var);
            }
            for (p, a) in lc.closure.inputs.iter().zip(args) {
                l.bind_pat(p, a, span);
            }
            match super::scan::strip(&lc.closure.body) {
                Expr::Block(b) if b.label.is_none() => l.block_value(&b.block.stmts),
                body => l.expr(body),
            }
        });
        self.inline(block);
        v
    }
}

/// Whether a closure's body contains `return`.
fn contains_return(c: &syn::ExprClosure) -> bool {
    let mut found = false;
    let mut check = |ts: proc_macro2::TokenStream| {
        let mut names = HashSet::new();
        crate::rename::mentioned(&ts, &mut names);
        found |= names.contains("return");
    };
    check(c.body.to_token_stream());
    found
}

//! Calls and method calls: primitives of the rule table, queries, calls of other
//! `#[differentiable]` functions and methods (their companions), and calls the macro does not
//! differentiate (run as plain code).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Member};

use super::expr::{call_text, is_camel, is_local_path, is_std_path, refs_of};
use super::scan::strip;
use super::{Lower, Val};
use crate::ir::{CallArg, Op, Operand, Post, Stmt, WrapKind};
use crate::rules::{self, A, CREATORS, FREE_QUERIES, QUERIES};

impl Lower<'_> {
    pub(crate) fn method_call(&mut self, m: &syn::ExprMethodCall) -> Val {
        if let Some(v) = self.iter_chain(&Expr::MethodCall(m.clone()), None) {
            return v;
        }
        if let Some(v) = self.option_combinator(m) {
            return v;
        }
        let name = m.method.to_string();
        let span = m.span();
        match (name.as_str(), m.args.len()) {
            ("clone" | "to_owned", 0) => {
                let v = self.expr(&m.receiver);
                let a = self.operand(v, span);
                let varied = self.op_varied(&a);
                return Val::Var(self.node(Op::Copy(a), span, "copy", varied, false));
            }
            ("unwrap", 0) => {
                let v = self.expr(&m.receiver);
                return self.unwrap(v, Post::Unwrap, span);
            }
            ("expect", 1) => {
                let v = self.expr(&m.receiver);
                let msg = self.renamed_expr(&m.args[0]);
                return self.unwrap(v, Post::Expect(msg), span);
            }
            _ => {}
        }
        if QUERIES.contains(&name.as_str()) {
            return self.query_method(m);
        }
        if let Some(rule) = rules::method(&name)
            && rule.args.len() == m.args.len() + 1
        {
            let mut operands = vec![self.expr(&m.receiver)];
            let mut extras = Vec::new();
            for (a, kind) in m.args.iter().zip(&rule.args[1..]) {
                let v = self.expr(a);
                match kind {
                    A::O => operands.push(v),
                    A::E => extras.push(v),
                }
            }
            return self.prim(rule, operands, extras, m.method.span());
        }
        // a method the table does not know
        let recv = self.expr(&m.receiver);
        let recv = self.operand(recv, m.receiver.span());
        let args = self.call_args(m.args.iter());
        let turbofish = m.turbofish.as_ref().map(|t| t.to_token_stream());
        if !self.op_varied(&recv) && !args.iter().any(|a| self.op_varied(&a.value)) {
            // nothing that may be traced reaches it: plain code
            let r = match &recv {
                Operand::Var(v) => self.vars[*v].ident.to_token_stream(),
                Operand::Const(t) => quote!((#t)),
            };
            let method = &m.method;
            let written = args.iter().map(|a| &a.written);
            let tokens = quote_spanned!(m.method.span()=> #r.#method #turbofish(#(#written),*));
            return Val::Var(self.node(Op::Plain { tokens }, m.method.span(), &Lower::hint(&name), false, false));
        }
        let varied = true;
        Val::Var(self.node(
            Op::Method { recv, name: m.method.clone(), turbofish, args, post: Post::None },
            m.method.span(),
            &Lower::hint(&name),
            varied,
            false,
        ))
    }

    /// A query method: the call as written (receiver lowered), result plain.
    fn query_method(&mut self, m: &syn::ExprMethodCall) -> Val {
        let recv = self.expr(&m.receiver);
        let rt = match &recv {
            Val::Var(v) => {
                let i = &self.vars[*v].ident;
                quote!(#i)
            }
            other => {
                let t = self.val_tokens(other);
                quote!((#t))
            }
        };
        let args: Vec<TokenStream> = m.args.iter().map(|a| self.plain_arg(a)).collect();
        let method = &m.method;
        let turbofish = &m.turbofish;
        let tokens = quote_spanned!(m.method.span()=> #rt.#method #turbofish(#(#args),*));
        Val::Var(self.node(Op::Query { tokens }, m.method.span(), &m.method.to_string(), false, false))
    }

    /// Arguments of a call.
    pub(crate) fn call_args<'e>(&mut self, args: impl Iterator<Item = &'e Expr>) -> Vec<CallArg> {
        args.map(|a| {
            let (inner, refs) = refs_of(a);
            let v = self.expr(inner);
            let value = self.operand(v, a.span());
            let written = match &value {
                Operand::Var(id) => {
                    let i = &self.vars[*id].ident;
                    let amp = (0..refs).map(|_| quote!(&));
                    quote!(#(#amp)* #i)
                }
                Operand::Const(ts) => {
                    let amp = (0..refs).map(|_| quote!(&));
                    quote!(#(#amp)* #ts)
                }
            };
            CallArg { value, written }
        })
        .collect()
    }

    pub(crate) fn call(&mut self, c: &syn::ExprCall) -> Val {
        let span = c.span();
        let Expr::Path(p) = strip(&c.func) else {
            return self.plain_call(c);
        };
        let Some(last) = p.path.segments.last() else {
            return self.plain_call(c);
        };
        let name = last.ident.to_string();
        let single = p.path.segments.len() == 1 && p.qself.is_none();
        if single && let Some(v) = self.lookup(&name) {
            if let Some(lc) = self.closures.get(&v).cloned() {
                // a closure bound by `let`: its body, here
                return self.inline_closure(lc, c);
            }
            // another local function value: runs as plain code
            return self.plain_call(c);
        }
        if single && name == "dlgradient" {
            return self.gradient(c);
        }
        if single && name == "cat" {
            return self.cat(c);
        }
        if single
            && let Some(rule) = rules::free(&name)
            && rule.args.len() == c.args.len()
        {
            let mut operands = Vec::new();
            let mut extras = Vec::new();
            for (a, kind) in c.args.iter().zip(rule.args) {
                let v = self.expr(a);
                match kind {
                    A::O => operands.push(v),
                    A::E => extras.push(v),
                }
            }
            return self.prim(rule, operands, extras, last.ident.span());
        }
        if single && (FREE_QUERIES.contains(&name.as_str()) || CREATORS.contains(&name.as_str()) || name == "dlfeval") {
            let args: Vec<TokenStream> = c.args.iter().map(|a| self.plain_arg(a)).collect();
            let f = &c.func;
            let tokens = quote_spanned!(span=> #f(#(#args),*));
            if CREATORS.contains(&name.as_str()) || name == "dlfeval" {
                let id = self.temp(&name, span, false, false);
                self.vars[id].created = Some(call_text(c));
                let ident = self.vars[id].ident.clone();
                self.push(Stmt::Opaque(quote_spanned!(span=> let #ident = #tokens;), vec![id]));
                return Val::Var(id);
            }
            let out = self.node(Op::Query { tokens }, span, &name, false, false);
            if name == "extractdata" {
                self.vars[out].created = Some(call_text(c));
            }
            return Val::Var(out);
        }
        // wrappers
        let path_text = p.path.to_token_stream().to_string().replace(' ', "");
        let wrap = match path_text.as_str() {
            "Some" | "Option::Some" | "::core::option::Option::Some" | "std::option::Option::Some" => {
                Some(WrapKind::Some)
            }
            "Ok" | "Result::Ok" | "::core::result::Result::Ok" | "std::result::Result::Ok" => Some(WrapKind::Ok),
            "Box::new" | "std::boxed::Box::new" | "::std::boxed::Box::new" => Some(WrapKind::Box),
            _ => None,
        };
        if let Some(kind) = wrap
            && c.args.len() == 1
        {
            let v = self.expr(&c.args[0]);
            let arg = self.operand_once(v, c.args[0].span());
            let varied = self.op_varied(&arg);
            let path = c.func.to_token_stream();
            return Val::Var(self.node(Op::Wrap { path, arg, kind }, span, "wrapped", varied, false));
        }
        if is_camel(&name) {
            // a tuple struct or an enum variant
            let mut fields = Vec::new();
            for (k, a) in c.args.iter().enumerate() {
                let v = self.expr(a);
                let op = self.operand_once(v, a.span());
                fields.push((Member::Unnamed(syn::Index { index: k as u32, span: a.span() }), op));
            }
            let varied = fields.iter().any(|(_, a)| self.op_varied(a));
            let path = c.func.to_token_stream();
            return Val::Var(self.node(Op::Struct { path, fields, tuple: true }, span, "value", varied, false));
        }
        if is_std_path(&p.path) || !is_local_path(&p.path) {
            return self.plain_call(c);
        }
        // a call of another `#[differentiable]` function, when a value that may be traced reaches it;
        // else plain code (a nested `fn`, a helper given numbers read from dlarrays)
        let args = self.call_args(c.args.iter());
        if !args.iter().any(|a| self.op_varied(&a.value)) {
            let f = self.renamed_expr(&c.func);
            let written = args.iter().map(|a| &a.written);
            let tokens = quote_spanned!(span=> #f(#(#written),*));
            return Val::Var(self.node(Op::Plain { tokens }, span, "value", false, false));
        }
        Val::Var(self.node(
            Op::Call { path: p.clone(), args, post: Post::None, vjp: false },
            last.ident.span(),
            &Lower::hint(&name),
            true,
            false,
        ))
    }

    /// A call the macro does not differentiate (a closure, a function of `std`): run as written, the
    /// result checked to be plain.
    pub(crate) fn plain_call(&mut self, c: &syn::ExprCall) -> Val {
        let args: Vec<TokenStream> = c
            .args
            .iter()
            .map(|a| {
                let (inner, refs) = refs_of(a);
                let t = self.plain_part(inner);
                let amp = (0..refs).map(|_| quote!(&));
                quote!(#(#amp)* #t)
            })
            .collect();
        let f = self.renamed_expr(&c.func);
        let tokens = quote_spanned!(c.span()=> #f(#(#args),*));
        Val::Var(self.node(Op::Plain { tokens }, c.span(), "value", false, false))
    }
}

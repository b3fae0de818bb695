//! The IR printed as text, for snapshots and debugging: one line per statement, vars by their
//! generated names, plain tokens as written.
//!
//! ```text
//! let times_1 = times(x, c_1)?
//! cell total = c_2
//! for k_1 in elements(len(ws)) {
//!     let w = index(ws, [k_1])?
//!     total := plus_1
//! }
//! let gradient_1 = dlgradient(total_2; x)
//! ```

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::ToTokens;

use super::{Block, Body, Cond, Extra, LoopKind, Op, Operand, Post, Stmt, Update, VarId};

/// The body as text.
pub(crate) fn body(b: &Body) -> String {
    let mut p = Printer { body: b, out: String::new(), depth: 0 };
    let params: Vec<String> = b
        .vars
        .iter()
        .filter(|v| matches!(v.kind, super::VarKind::Param(_)))
        .map(|v| format!("{}{}", v.ident, if v.varied { "" } else { " (plain)" }))
        .collect();
    let _ = writeln!(p.out, "params {}", params.join(", "));
    p.block(&b.block);
    if let Some(r) = &b.ret {
        let r = p.operand(r);
        p.line(&format!("return {r}"));
    }
    p.out
}

struct Printer<'a> {
    body: &'a Body,
    out: String,
    depth: usize,
}

impl Printer<'_> {
    fn line(&mut self, s: &str) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn var(&self, v: VarId) -> String {
        self.body.vars[v].ident.to_string()
    }

    fn operand(&self, o: &Operand) -> String {
        match o {
            Operand::Var(v) => self.var(*v),
            Operand::Const(t) => format!("`{}`", tokens(t)),
        }
    }

    fn operands(&self, os: &[Operand]) -> String {
        os.iter().map(|o| self.operand(o)).collect::<Vec<_>>().join(", ")
    }

    fn extra(e: &Extra) -> String {
        format!("[{}]", tokens(&e.tokens))
    }

    fn nested(&mut self, head: &str, b: &Block) {
        self.line(&format!("{head} {{"));
        self.depth += 1;
        self.block(b);
        self.depth -= 1;
        self.line("}");
    }

    fn block(&mut self, b: &Block) {
        for s in &b.stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Let(n) => {
                let q = if matches!(&n.op, Op::Prim { rule, .. } if rule.fallible)
                    || matches!(n.op, Op::Index { .. } | Op::Cat { .. })
                {
                    "?"
                } else {
                    ""
                };
                let line = format!("let {} = {}{q}", self.var(n.out), self.op(&n.op));
                self.line(&line);
            }
            Stmt::Opaque(t, _) => self.line(&format!("plain `{}`", tokens(t))),
            Stmt::DefCell { cell, init, .. } => {
                let init = init.as_ref().map_or_else(|| "(unset)".to_string(), |i| self.operand(i));
                let line = format!("cell {} = {init}", self.var(*cell));
                self.line(&line);
            }
            Stmt::Update { cell, update, .. } => {
                let c = self.var(*cell);
                let line = match update {
                    Update::Set(v) => format!("{c} := {}", self.operand(v)),
                    Update::SetIndex { index, value, saved } => {
                        format!("{c}{} := {} (old in {})", Self::extra(index), self.operand(value), self.var(*saved))
                    }
                    Update::SetField { member, value } => {
                        format!("{c}.{} := {}", tokens(&member.to_token_stream()), self.operand(value))
                    }
                    Update::Push(v) => format!("{c}.push({})", self.operand(v)),
                    Update::Clear { saved } => format!("{c}.clear() (old in {})", self.var(*saved)),
                };
                self.line(&line);
            }
            Stmt::If { id, cond, then, els } => {
                let c = self.cond(cond);
                self.nested(&format!("if#{id} {c}"), then);
                if !els.stmts.is_empty() {
                    self.nested("else", els);
                }
            }
            Stmt::Match { id, scrutinee, arms } => {
                let c = self.cond(scrutinee);
                self.line(&format!("match#{id} {c} {{"));
                self.depth += 1;
                for a in arms {
                    let guard = a.guard.as_ref().map_or_else(String::new, |g| format!(" if {}", tokens(g)));
                    let binds: Vec<String> = a.binds.iter().map(|b| self.var(*b)).collect();
                    let binds = if binds.is_empty() { String::new() } else { format!(" binds {}", binds.join(", ")) };
                    self.nested(&format!("{}{guard}{binds} =>", tokens(&a.pat)), &a.body);
                }
                self.depth -= 1;
                self.line("}");
            }
            Stmt::Loop(l) => {
                let head = match &l.kind {
                    LoopKind::For { pat, iter, .. } => format!("for#{} {} in `{}`", l.id, tokens(pat), tokens(iter)),
                    LoopKind::Elements { counter, len } => {
                        format!("for#{} {} in elements(`{}`)", l.id, self.var(*counter), tokens(len))
                    }
                    LoopKind::Loop => format!("loop#{}", l.id),
                };
                self.nested(&head, &l.body);
            }
            Stmt::Exit { is_break, loop_id } => {
                self.line(&format!("{} #{loop_id}", if *is_break { "break" } else { "continue" }));
            }
            Stmt::Grad(g) => {
                let ts: Vec<String> = g.targets.iter().map(|t| self.var(t.var)).collect();
                let higher = if g.higher { " (higher)" } else { "" };
                let line = format!(
                    "let {} = dlgradient({}; {}){higher}{}",
                    self.var(g.out),
                    self.var(g.y),
                    ts.join(", "),
                    post(&g.post)
                );
                self.line(&line);
            }
            Stmt::Attr { attrs, body } => self.nested(&format!("attrs `{}`", tokens(attrs)), body),
        }
    }

    fn cond(&self, c: &Cond) -> String {
        match c {
            Cond::Var(v) => self.var(*v),
            Cond::Tokens(t) => format!("`{}`", tokens(t)),
        }
    }

    fn op(&self, op: &Op) -> String {
        match op {
            Op::Prim { rule, args, extras } => {
                let mut all = vec![self.operands(args)];
                all.extend(extras.iter().map(Self::extra));
                all.retain(|s| !s.is_empty());
                format!("{}({})", rule.func, all.join(", "))
            }
            Op::Cat { dim, args } => format!("cat({}, {})", Self::extra(dim), self.operands(args)),
            Op::Call { path, args, post: p, vjp } => {
                let args: Vec<Operand> = args.iter().map(|a| a.value.clone()).collect();
                let what = if *vjp { "vjp" } else { "call" };
                format!("{what} {}({}){}", tokens(&path.to_token_stream()), self.operands(&args), post(p))
            }
            Op::Method { recv, name, args, post: p, .. } => {
                let args: Vec<Operand> = args.iter().map(|a| a.value.clone()).collect();
                format!("method {}.{name}({}){}", self.operand(recv), self.operands(&args), post(p))
            }
            Op::Query { tokens: t } => format!("query `{}`", tokens(t)),
            Op::Plain { tokens: t } => format!("plain `{}`", tokens(t)),
            Op::Field { base, member } => format!("&{}.{}", self.var(*base), tokens(&member.to_token_stream())),
            Op::Index { base, index, owned } => {
                format!("{}index({}, {})", if *owned { "owned " } else { "" }, self.var(*base), Self::extra(index))
            }
            Op::Unwrap { base, post: p, by_ref } => {
                format!("{}unwrap({}){}", if *by_ref { "&" } else { "" }, self.var(*base), post(p))
            }
            Op::Copy(a) => format!("copy({})", self.operand(a)),
            Op::Tuple(a) => format!("({})", self.operands(a)),
            Op::Array(a) => format!("[{}]", self.operands(a)),
            Op::VecLit(a) => format!("vec![{}]", self.operands(a)),
            Op::Wrap { path, arg, .. } => format!("{}({})", tokens(path), self.operand(arg)),
            Op::Struct { path, fields, .. } => {
                let f: Vec<String> = fields
                    .iter()
                    .map(|(m, a)| format!("{}: {}", tokens(&m.to_token_stream()), self.operand(a)))
                    .collect();
                format!("{} {{ {} }}", tokens(path), f.join(", "))
            }
            Op::Dbg(a, _) => format!("dbg({})", self.operand(a)),
        }
    }
}

fn post(p: &Post) -> &'static str {
    match p {
        Post::None => "",
        Post::Try => " ?",
        Post::Unwrap => " .unwrap()",
        Post::Expect(_) => " .expect(..)",
    }
}

/// Tokens as one line: `x.powi(2)`, not `x . powi (2)`.
fn tokens(t: &TokenStream) -> String {
    let s = t.to_string();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let prev = if i > 0 { chars[i - 1] } else { ' ' };
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            let path =
                (next == ':' && chars.get(i + 2) == Some(&':')) || (prev == ':' && i >= 2 && chars[i - 2] == ':');
            let bang = next == '!' && chars.get(i + 2) != Some(&'=');
            if path
                || bang
                || matches!(next, '.' | '(' | '[' | ',' | ';' | ')' | ']' | '?')
                || matches!(prev, '.' | '(' | '[' | '&' | '!')
            {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

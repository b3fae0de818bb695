//! Control flow: `if` (and `if let`), `match`, `for`, `while`, `loop`, `break`, `continue`.
//!
//! A branch or a match with a value that may be traced gets a cell for its value, assigned at the end
//! of each arm. Conditions and scrutinees are plain values computed just before the branch (a
//! condition on a dlarray is MATLAB's truth: every element true).
//!
//! A `for` over a container that may hold traced values (`for l in &self.layers`,
//! `for (i, (a, b)) in xs.iter().zip(&ys).enumerate()`) becomes a loop over positions whose body starts
//! with the element projections, so the reverse sweep adds each element's gradient into the
//! container's. `while c { .. }` becomes `loop { if !c { break } .. }`, with `c` computed in the loop.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Pat};

use super::scan::{pat_names, strip};
use super::{Lower, Val};
use crate::ir::{Arm, Block, Cond, Extra, Loop, LoopKind, Op, Post, Stmt, Update, VarKind};

impl Lower<'_> {
    /// Lowers `if`, `match`, loops, `break`, `continue`.
    pub(crate) fn control_flow(&mut self, e: &Expr) -> Val {
        match strip(e) {
            Expr::If(i) => self.lower_if(i),
            Expr::Match(m) => self.lower_match(m),
            Expr::ForLoop(f) => {
                self.lower_for(f);
                Val::Unit
            }
            Expr::While(w) => {
                self.lower_while(w);
                Val::Unit
            }
            Expr::Loop(lp) => {
                if let Some(l) = &lp.label {
                    return self.unsupported(
                        l.span(),
                        "a labelled loop in `#[differentiable]` code",
                        "remove the label; to leave nested loops, set a flag and `break` from each",
                    );
                }
                let id = self.next_id();
                self.loops.push(id);
                let (body, _) = self.block_of(|l| l.block_value(&lp.body.stmts));
                self.loops.pop();
                let has_exits = exits(&body, id);
                self.push(Stmt::Loop(Loop { id, kind: LoopKind::Loop, body, has_exits }));
                Val::Unit
            }
            Expr::Break(b) => self.exit(b.span(), true, b.label.is_some(), b.expr.is_some()),
            Expr::Continue(c) => self.exit(c.span(), false, c.label.is_some(), false),
            other => self.unsupported(other.span(), "this control flow", "use `if`, `match`, `for`, `while` or `loop`"),
        }
    }

    /// A plain condition from a lowered value: a `bool`, or MATLAB's truth of a dlarray.
    fn cond(&mut self, e: &Expr) -> Cond {
        let v = self.expr(e);
        match v {
            Val::Var(id) if self.vars[id].varied => {
                let i = &self.vars[id].ident;
                let tokens = quote_spanned!(e.span()=> #i.is_true());
                let out = self.node(Op::Query { tokens }, e.span(), "cond", false, false);
                Cond::Var(out)
            }
            Val::Var(id) => Cond::Var(id),
            other => Cond::Tokens(super::scan::head_safe(self.val_tokens(&other))),
        }
    }

    fn lower_if(&mut self, i: &syn::ExprIf) -> Val {
        if let Expr::Let(l) = strip(&i.cond) {
            return self.lower_if_let(i, l);
        }
        let cond = self.cond(&i.cond);
        let (then, tv) = self.block_of(|l| l.block_value(&i.then_branch.stmts));
        let (els, ev) = match &i.else_branch {
            Some((_, e)) => self.block_of(|l| l.expr(e)),
            None => (Block::default(), Val::Unit),
        };
        let id = self.next_id();
        self.branch_value(i.span(), vec![(then, tv), (els, ev)], |then_els| {
            let mut it = then_els.into_iter();
            let then = it.next().unwrap_or_default();
            let els = it.next().unwrap_or_default();
            Stmt::If { id, cond, then, els }
        })
    }

    /// A branch with one value per arm: the value goes into a cell (or a plain variable) assigned at
    /// the end of each arm.
    fn branch_value(&mut self, span: Span, arms: Vec<(Block, Val)>, make: impl FnOnce(Vec<Block>) -> Stmt) -> Val {
        let has_value = arms.iter().any(|(_, v)| !matches!(v, Val::Unit));
        if !has_value {
            let stmt = make(arms.into_iter().map(|(b, _)| b).collect());
            self.push(stmt);
            return Val::Unit;
        }
        let varied = arms.iter().any(|(_, v)| self.is_varied(v));
        let out;
        let mut blocks = Vec::new();
        if varied {
            let ident = self.fresh("value", span);
            out = self.new_var(ident, VarKind::Cell, true, false);
            self.push(Stmt::DefCell { cell: out, init: None, ty: None, span });
            for (mut b, v) in arms {
                if !matches!(v, Val::Unit) || !diverges(&b) {
                    let value = self.operand_once(v, span);
                    b.stmts.push(Stmt::Update { cell: out, update: Update::Set(value), span });
                }
                blocks.push(b);
            }
        } else {
            out = self.temp("value", span, false, false);
            let ident = self.vars[out].ident.clone();
            self.push(Stmt::Opaque(quote_spanned!(span=> let #ident;), vec![out]));
            for (mut b, v) in arms {
                let t = self.val_tokens(&v);
                b.stmts.push(Stmt::Opaque(quote_spanned!(span=> #ident = #t;), vec![]));
                blocks.push(b);
            }
        }
        let stmt = make(blocks);
        self.push(stmt);
        Val::Var(out)
    }

    fn lower_if_let(&mut self, i: &syn::ExprIf, l: &syn::ExprLet) -> Val {
        let wild: Pat = syn::parse_quote!(_);
        let else_expr = i.else_branch.as_ref().map(|(_, e)| (**e).clone());
        let arms = vec![
            (&*l.pat, None, ArmBody::Block(&i.then_branch)),
            (
                &wild,
                None,
                match &else_expr {
                    Some(e) => ArmBody::Expr(e),
                    None => ArmBody::Empty,
                },
            ),
        ];
        self.match_arms(&l.expr, arms, i.span())
    }

    fn lower_match(&mut self, m: &syn::ExprMatch) -> Val {
        let arms: Vec<_> = m
            .arms
            .iter()
            .map(|a| match &a.pat {
                Pat::Guard(g) => (&*g.pat, Some(&*g.guard), ArmBody::Expr(&a.body)),
                p => (p, None, ArmBody::Expr(&a.body)),
            })
            .collect();
        self.match_arms(&m.expr, arms, m.span())
    }

    /// A match: the scrutinee is matched by reference; `Some(x)`, `Ok(x)` and `Err(x)` bind projections
    /// when it may hold traced values, other bindings must be plain.
    fn match_arms(&mut self, scrutinee: &Expr, arms: Vec<(&Pat, Option<&Expr>, ArmBody<'_>)>, span: Span) -> Val {
        let v = self.expr(scrutinee);
        let (scrut, varied_base) = match &v {
            Val::Var(id) if self.vars[*id].varied => (Cond::Var(*id), Some(*id)),
            Val::Var(id) => (Cond::Var(*id), None),
            other => (Cond::Tokens(super::scan::head_safe(self.val_tokens(other))), None),
        };
        let mut lowered = Vec::new();
        let mut values = Vec::new();
        for (pat, guard, body) in arms {
            let (block, val, pat_ts, guard_ts, binds) = {
                let guard_ts = guard.map(|g| self.renamed_expr(g));
                let mut pat_ts = pat.to_token_stream();
                let mut binds = Vec::new();
                let (block, val) = self.block_of(|l| {
                    match varied_base {
                        Some(base) => {
                            pat_ts = l.bind_arm(pat, base, &mut binds);
                        }
                        None => {
                            // plain bindings: the pattern binds them
                            for n in pat_names(pat) {
                                let ident = l.user_ident(&crate::paths::ident(&n, pat.span()));
                                // bindings into a borrowed scrutinee are borrows: looked through
                                let id = l.new_var(ident, VarKind::Local, false, true);
                                l.bind(&n, id);
                                binds.push(id);
                            }
                            pat_ts = l.renamed_pat(pat);
                        }
                    }
                    match body {
                        ArmBody::Block(b) => l.block_value(&b.stmts),
                        ArmBody::Expr(e) => l.expr(e),
                        ArmBody::Empty => Val::Unit,
                    }
                });
                (block, val, pat_ts, guard_ts, binds)
            };
            lowered.push((pat_ts, guard_ts, binds));
            values.push((block, val));
        }
        if varied_base.is_some() && lowered.iter().any(|(_, g, _)| g.is_some()) {
            return self.unsupported(
                span,
                "a `match` guard on a value that may hold traced dlarrays",
                "test the condition inside the arm",
            );
        }
        let id = self.next_id();
        self.branch_value(span, values, |blocks| {
            let arms = lowered
                .into_iter()
                .zip(blocks)
                .map(|((pat, guard, binds), body)| Arm { pat, guard, body, binds })
                .collect();
            Stmt::Match { id, scrutinee: scrut, arms }
        })
    }

    /// The pattern of an arm on a scrutinee that may hold traced values, and the projections it binds.
    fn bind_arm(&mut self, pat: &Pat, base: crate::ir::VarId, binds: &mut Vec<crate::ir::VarId>) -> TokenStream {
        if let Pat::TupleStruct(ts) = pat
            && ts.elems.len() == 1
            && let Some(last) = ts.path.segments.last()
            && (last.ident == "Some" || last.ident == "Ok")
        {
            let out = self.node(Op::Unwrap { base, post: Post::Unwrap, by_ref: true }, pat.span(), "inner", true, true);
            self.bind_pat(&ts.elems[0], Val::Var(out), pat.span());
            let path = &ts.path;
            return quote_spanned!(pat.span()=> #path(_));
        }
        if let Pat::Ident(p) = pat
            && p.subpat.is_none()
        {
            // `v => ..`: the scrutinee itself
            self.bind_value(&p.ident, Val::Var(base), pat.span());
            return quote_spanned!(pat.span()=> _);
        }
        let names = pat_names(pat);
        if names.is_empty() {
            return pat.to_token_stream();
        }
        // other bindings: plain values (checked)
        for n in &names {
            let ident = self.user_ident(&crate::paths::ident(n, pat.span()));
            let id = self.new_var(ident.clone(), VarKind::Local, false, false);
            self.bind(n, id);
            binds.push(id);
            let rt = self.rt.clone();
            self.push(Stmt::Opaque(quote_spanned!(pat.span()=> let #ident = #rt::plain_binding(#ident);), vec![]));
        }
        self.renamed_pat(pat)
    }

    /// A pattern with its bindings renamed to their vars.
    pub(crate) fn renamed_pat(&self, pat: &Pat) -> TokenStream {
        crate::rename::tokens(pat.to_token_stream(), &|i| {
            self.lookup(&i.to_string())
                .filter(|v| self.vars[*v].kind == VarKind::Local)
                .map(|v| self.vars[v].ident.clone())
        })
    }

    fn lower_for(&mut self, f: &syn::ExprForLoop) {
        let span = f.span();
        if let Some(l) = &f.label {
            self.diag.error(
                l.span(),
                "a labelled loop in `#[differentiable]` code",
                "remove the label; to leave nested loops, set a flag and `break` from each",
            );
            return;
        }
        let id = self.next_id();
        if !self.needs_lowering(&f.expr) {
            // a plain iterator: its items are plain
            let iter = self.renamed_expr(&f.expr);
            self.plain_for(f, id, iter);
            return;
        }
        // the elements of containers that may hold traced values
        let sources = match self.iteration(&f.expr) {
            Some(s) => s,
            None => {
                // another expression: its value's elements when it may hold traced values (`[a, b]`,
                // a call's result); else a plain iterator (`0..x.numel()`)
                match self.expr(&f.expr) {
                    Val::Var(v) if self.vars[v].varied => {
                        vec![SourceTree::Leaf(Source::Elements(crate::ir::Operand::Var(v), f.expr.span()))]
                    }
                    other => {
                        let iter = self.val_tokens(&other);
                        self.plain_for(f, id, iter);
                        return;
                    }
                }
            }
        };
        let counter_ident = self.fresh("k", span);
        let counter = self.new_var(counter_ident.clone(), VarKind::Local, false, false);
        let len = self.loop_len(&sources, span);
        self.loops.push(id);
        let (body, _) = self.block_of(|l| {
            l.bind_elements(&f.pat, &sources, counter);
            l.block_value(&f.body.stmts)
        });
        self.loops.pop();
        let has_exits = exits(&body, id);
        self.push(Stmt::Loop(Loop { id, kind: LoopKind::Elements { counter, len }, body, has_exits }));
    }

    /// `for pat in iter` over a plain iterator: its items are plain.
    fn plain_for(&mut self, f: &syn::ExprForLoop, id: usize, iter: TokenStream) {
        self.loops.push(id);
        let mut binds = Vec::new();
        let mut pat = f.pat.to_token_stream();
        let (body, _) = self.block_of(|l| {
            for n in pat_names(&f.pat) {
                let ident = l.user_ident(&crate::paths::ident(&n, f.pat.span()));
                // items of a plain iterator are often borrows (`for t in &v`): looked through
                let v = l.new_var(ident, VarKind::Local, false, true);
                l.bind(&n, v);
                binds.push(v);
            }
            pat = l.renamed_pat(&f.pat);
            l.block_value(&f.body.stmts)
        });
        self.loops.pop();
        let has_exits = exits(&body, id);
        let iter = super::scan::head_safe(iter);
        self.push(Stmt::Loop(Loop { id, kind: LoopKind::For { pat, iter, binds }, body, has_exits }));
    }

    /// `while cond { body }`: `loop { if !cond { break } body }`.
    fn lower_while(&mut self, w: &syn::ExprWhile) {
        if let Some(l) = &w.label {
            self.diag.error(
                l.span(),
                "a labelled loop in `#[differentiable]` code",
                "remove the label; to leave nested loops, set a flag and `break` from each",
            );
            return;
        }
        let id = self.next_id();
        self.loops.push(id);
        let (body, _) = self.block_of(|l| {
            if let Expr::Let(lt) = strip(&w.cond) {
                // `while let p = e { .. }`: `loop { match e { p => { .. } _ => break } }`
                let brk: Expr = syn::parse_quote_spanned!(w.span()=> break);
                let wild: Pat = syn::parse_quote!(_);
                let arms = vec![(&*lt.pat, None, ArmBody::Block(&w.body)), (&wild, None, ArmBody::Expr(&brk))];
                l.match_arms(&lt.expr, arms, w.span());
                return Val::Unit;
            }
            let cond = l.cond(&w.cond);
            let brk = Block { stmts: vec![Stmt::Exit { is_break: true, loop_id: id }] };
            let cid = l.next_id();
            let not = match cond {
                Cond::Var(v) => {
                    let i = &l.vars[v].ident;
                    Cond::Tokens(quote!(!#i))
                }
                Cond::Tokens(t) => Cond::Tokens(quote!(!(#t))),
            };
            l.push(Stmt::If { id: cid, cond: not, then: brk, els: Block::default() });
            l.block_value(&w.body.stmts)
        });
        self.loops.pop();
        self.push(Stmt::Loop(Loop { id, kind: LoopKind::Loop, body, has_exits: true }));
    }

    fn exit(&mut self, span: Span, is_break: bool, labelled: bool, valued: bool) -> Val {
        if labelled {
            return self.unsupported(
                span,
                "a labelled `break`/`continue`",
                "remove the label; to leave nested loops, set a flag and `break` from each",
            );
        }
        if valued {
            return self.unsupported(
                span,
                "`break` with a value",
                "assign the value to a `let mut` before the loop, then `break`",
            );
        }
        match self.loops.last() {
            Some(&loop_id) => {
                self.push(Stmt::Exit { is_break, loop_id });
                Val::Unit
            }
            None => self.unsupported(span, "`break` outside a loop", "remove it"),
        }
    }
}

/// The body of a match arm.
pub(crate) enum ArmBody<'a> {
    Block(&'a syn::Block),
    Expr(&'a Expr),
    Empty,
}

/// One source of elements in a `for` over containers.
pub(crate) enum Source {
    /// The elements of a container (a var, possibly plain).
    Elements(crate::ir::Operand, Span),
    /// A plain iterator zipped in (`0..n`, a plain slice's `iter()`): its items, plain.
    Plain(TokenStream),
    /// The position (`enumerate`).
    Counter,
}

impl Lower<'_> {
    /// Takes a `for` iterator apart: `v`, `&v`, `v.iter()`, `v.into_iter()`, `.enumerate()`, `.zip(..)`.
    /// The shape of the pattern follows: `enumerate` gives `(i, x)`, `zip` gives `(a, b)`.
    fn iteration(&mut self, e: &Expr) -> Option<Vec<SourceTree>> {
        let t = self.source_tree(e)?;
        Some(vec![t])
    }

    fn source_tree(&mut self, e: &Expr) -> Option<SourceTree> {
        match strip(e) {
            Expr::Reference(r) => self.source_tree(&r.expr),
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                match (name.as_str(), m.args.len()) {
                    ("iter" | "into_iter" | "iter_mut", 0) => self.source_tree(&m.receiver),
                    ("enumerate", 0) => {
                        let inner = self.source_tree(&m.receiver)?;
                        Some(SourceTree::Pair(Box::new(SourceTree::Leaf(Source::Counter)), Box::new(inner)))
                    }
                    ("zip", 1) => {
                        let a = self.source_tree(&m.receiver)?;
                        let b = self.source_tree(&m.args[0])?;
                        Some(SourceTree::Pair(Box::new(a), Box::new(b)))
                    }
                    ("skip" | "take", 1)
                        if !self.needs_lowering(&m.args[0]) || self.plain_by_construction(&m.args[0]) =>
                    {
                        let inner = self.source_tree(&m.receiver)?;
                        let n = self.plain_part(&m.args[0]);
                        let n = quote!((#n) as usize);
                        Some(if name == "skip" {
                            SourceTree::Skip(Box::new(inner), n)
                        } else {
                            SourceTree::Take(Box::new(inner), n)
                        })
                    }
                    _ => {
                        if self.needs_lowering(e) {
                            None
                        } else {
                            Some(SourceTree::Leaf(Source::Plain(self.renamed_expr(e))))
                        }
                    }
                }
            }
            Expr::Path(_) | Expr::Field(_) | Expr::Index(_) => {
                let v = self.expr(e);
                let op = self.operand(v, e.span());
                match &op {
                    crate::ir::Operand::Var(_) => Some(SourceTree::Leaf(Source::Elements(op, e.span()))),
                    _ => {
                        let t = self.renamed_expr(e);
                        Some(SourceTree::Leaf(Source::Plain(t)))
                    }
                }
            }
            Expr::Range(_) if !self.needs_lowering(e) => Some(SourceTree::Leaf(Source::Plain(self.renamed_expr(e)))),
            _ => None,
        }
    }

    /// The trip count: the shortest source.
    fn loop_len(&mut self, sources: &[SourceTree], span: Span) -> TokenStream {
        let rt = self.rt.clone();
        let lens: Vec<TokenStream> = sources.iter().filter_map(|s| s.len(&self.vars, &rt)).collect();
        match lens.split_first() {
            None => quote_spanned!(span=> 0usize),
            Some((first, rest)) => {
                rest.iter().fold(first.clone(), |acc, l| quote_spanned!(span=> ::core::cmp::min(#acc, #l)))
            }
        }
    }

    /// Binds the loop pattern to the elements at position `counter`.
    fn bind_elements(&mut self, pat: &Pat, sources: &[SourceTree], counter: crate::ir::VarId) {
        if let [tree] = sources {
            self.bind_tree(pat, tree, counter);
        }
    }

    fn bind_tree(&mut self, pat: &Pat, tree: &SourceTree, counter: crate::ir::VarId) {
        let pat = match pat {
            Pat::Paren(p) => &*p.pat,
            p => p,
        };
        match tree {
            SourceTree::Take(t, _) => self.bind_tree(pat, t, counter),
            SourceTree::Skip(t, n) => {
                // the inner position, a plain temp
                let c = self.vars[counter].ident.clone();
                let inner = self.temp("k", pat.span(), false, false);
                let i = self.vars[inner].ident.clone();
                self.push(Stmt::Opaque(quote_spanned!(pat.span()=> let #i = #c + #n;), vec![inner]));
                self.bind_tree(pat, t, inner)
            }
            SourceTree::Pair(a, b) => match pat {
                Pat::Tuple(t) if t.elems.len() == 2 => {
                    self.bind_tree(&t.elems[0], a, counter);
                    self.bind_tree(&t.elems[1], b, counter);
                }
                Pat::Wild(_) => {}
                other => self.diag.error(
                    other.span(),
                    "this pattern for the items of `zip`/`enumerate`",
                    "write a tuple pattern: `for (i, x) in v.iter().enumerate()`",
                ),
            },
            SourceTree::Leaf(Source::Counter) => {
                let c = &self.vars[counter].ident.clone();
                let names = pat_names(pat);
                let ids = self.bind_plain(&names, pat.span());
                let pat_ts = self.renamed_pat(pat);
                self.push(Stmt::Opaque(quote_spanned!(pat.span()=> let #pat_ts = #c;), ids));
            }
            SourceTree::Leaf(Source::Plain(iter)) => {
                let c = &self.vars[counter].ident.clone();
                let names = pat_names(pat);
                let ids = self.bind_plain(&names, pat.span());
                let pat_ts = self.renamed_pat(pat);
                // the item of a plain iterator at this position
                let item = quote_spanned!(pat.span()=> ::core::iter::Iterator::nth(&mut ::core::iter::IntoIterator::into_iter(#iter), #c).unwrap());
                self.push(Stmt::Opaque(quote_spanned!(pat.span()=> let #pat_ts = #item;), ids));
            }
            SourceTree::Leaf(Source::Elements(op, span)) => {
                let Some(base) = op.var() else { return };
                let c = &self.vars[counter].ident.clone();
                let index = Extra { tokens: quote!(#c), mentions: vec![counter] };
                let owned = self.vars[base].kind == VarKind::Cell;
                let varied = self.vars[base].varied;
                let out = self.node(Op::Index { base, index, owned }, *span, "item", varied, !owned);
                let p = match pat {
                    Pat::Reference(r) => &*r.pat,
                    p => p,
                };
                self.bind_pat(p, Val::Var(out), pat.span());
            }
        }
    }

    fn bind_plain(&mut self, names: &[String], span: Span) -> Vec<crate::ir::VarId> {
        names
            .iter()
            .map(|n| {
                let ident = self.user_ident(&crate::paths::ident(n, span));
                let v = self.new_var(ident, VarKind::Local, false, false);
                self.bind(n, v);
                v
            })
            .collect()
    }
}

/// The shape of a `for` iterator: sources paired by `zip` and `enumerate`.
pub(crate) enum SourceTree {
    Leaf(Source),
    Pair(Box<SourceTree>, Box<SourceTree>),
    /// `.skip(n)`: position `k` is the inner tree's `k + n`.
    Skip(Box<SourceTree>, TokenStream),
    /// `.take(n)`: at most `n` items.
    Take(Box<SourceTree>, TokenStream),
}

impl SourceTree {
    /// The number of items, `None` for an endless source (a counter).
    fn len(&self, vars: &[crate::ir::Var], rt: &TokenStream) -> Option<TokenStream> {
        match self {
            SourceTree::Pair(a, b) => match (a.len(vars, rt), b.len(vars, rt)) {
                (Some(a), Some(b)) => Some(quote!(::core::cmp::min(#a, #b))),
                (a, b) => a.or(b),
            },
            SourceTree::Leaf(Source::Counter) => None,
            SourceTree::Leaf(Source::Plain(iter)) => {
                Some(quote!(::core::iter::Iterator::count(::core::iter::IntoIterator::into_iter(#iter))))
            }
            SourceTree::Leaf(Source::Elements(op, span)) => match op {
                crate::ir::Operand::Var(v) => {
                    let i = &vars[*v].ident;
                    Some(quote_spanned!(*span=> #rt::len(#rt::val(&#i))))
                }
                crate::ir::Operand::Const(_) => None,
            },
            SourceTree::Skip(t, n) => t.len(vars, rt).map(|l| quote!(usize::saturating_sub(#l, #n))),
            SourceTree::Take(t, n) => Some(match t.len(vars, rt) {
                Some(l) => quote!(::core::cmp::min(#l, #n)),
                None => quote!(#n),
            }),
        }
    }
}

/// Whether a block contains `break`/`continue` of loop `id`.
fn exits(b: &Block, id: usize) -> bool {
    let mut found = false;
    b.walk(&mut |s| {
        if let Stmt::Exit { loop_id, .. } = s
            && *loop_id == id
        {
            found = true;
        }
    });
    found
}

/// Whether a block ends by leaving the loop (so no value is assigned after it).
fn diverges(b: &Block) -> bool {
    matches!(b.stmts.last(), Some(Stmt::Exit { .. }))
}

//! Stage 2, lower: the body into the IR ([`crate::ir`]) in A-normal form.
//!
//! Every operation that may involve a traced value becomes a [`Node`] with a fresh var; operations on
//! plain data stay Rust code ([`Stmt::Opaque`]) with names renamed. Before / after for the seed's
//! Rosenbrock line:
//! ```text
//! let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
//! ```
//! ```text
//! let index = index(x, 1);         let index_1 = index(x, 0);
//! let powi = powi(&index_1, 2);    let minus = minus(&index, &powi);
//! let powi_1 = powi(&minus, 2);    let times = times(&100.0, &powi_1);
//! let index_2 = index(x, 0);       let minus_1 = minus(&1.0, &index_2);
//! let powi_2 = powi(&minus_1, 2);  let f = plus(&times, &powi_2);
//! ```
//! Shadowing and reassignment of traced values make new vars (`y`, `y_1`, …); compound assignment
//! `y += e` is `y = y + e`.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{BinOp, Expr, Ident, Pat, Token, UnOp};

use crate::diag::Diagnostics;
use crate::ir::{Arg, Body, CallArg, Callee, Created, Grad, Node, Op, OutTree, Stmt, Target, Var, VarId, VarKind};
use crate::parse::Sig;
use crate::paths::Paths;
use crate::rename;
use crate::rules::{self, A, Adjoint, Rule};

/// The value of a lowered expression.
#[derive(Clone)]
enum Val {
    Var(VarId),
    /// Untraced Rust code. `pure` when it can be written again with the same result (literals, paths to
    /// immutable values, arithmetic on those).
    Const {
        ts: TokenStream,
        pure: bool,
        created: Option<Created>,
    },
}

impl Val {
    fn konst(ts: TokenStream, pure: bool) -> Val {
        Val::Const { ts, pure, created: None }
    }
}

/// What follows a call: `?`, `.unwrap()`, `.expect(..)` or nothing.
#[derive(Clone, Default)]
pub(crate) struct Post(pub(crate) TokenStream);

pub(crate) struct Lower<'a> {
    diag: &'a Diagnostics,
    paths: &'a Paths,
    vars: Vec<Var>,
    stmts: Vec<Stmt>,
    scopes: Vec<HashMap<String, VarId>>,
    /// Every identifier of the user's function.
    taken: HashSet<String>,
    /// Names already used by generated bindings.
    emitted: HashSet<String>,
    /// Parameters that are containers (`Vec`/arrays) of learnables: `p[i]` projects an element.
    containers: HashSet<VarId>,
}

/// Lowers a function body.
pub(crate) fn lower(sig: &Sig, block: &syn::Block, diag: &Diagnostics, paths: &Paths) -> Body {
    let mut taken = HashSet::new();
    collect_idents(&block.to_token_stream(), &mut taken);
    for p in &sig.params {
        taken.insert(p.ident.to_string());
    }
    let mut l = Lower {
        diag,
        paths,
        vars: Vec::new(),
        stmts: Vec::new(),
        scopes: vec![HashMap::new()],
        taken,
        emitted: HashSet::new(),
        containers: HashSet::new(),
    };
    for (i, p) in sig.params.iter().enumerate() {
        // `self` is bound as `this` (a prologue rebinds it, traced, at the entry)
        let ident = if p.ident == "self" {
            l.fresh_temp("this", p.ident.span())
        } else {
            l.emitted.insert(p.ident.to_string());
            p.ident.clone()
        };
        let id = l.new_var(ident, p.is_ref, p.active, VarKind::Param(i));
        l.bind(&p.ident.to_string(), id);
        if p.active && is_container(&p.slot_ty) {
            l.containers.insert(id);
        }
    }
    let tail = l.block_body(&block.stmts);
    Body { vars: l.vars, stmts: l.stmts, tail, taken: l.taken }
}

fn collect_idents(ts: &TokenStream, out: &mut HashSet<String>) {
    rename::mentioned(ts, out);
}

fn is_container(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Array(_) | syn::Type::Slice(_) => true,
        syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Vec"),
        _ => false,
    }
}

/// Strips `&`, `&mut`, `*`, parentheses and `.clone()` around an expression.
fn strip(e: &Expr) -> (&Expr, usize) {
    match e {
        Expr::Reference(r) => {
            let (inner, n) = strip(&r.expr);
            (inner, n + 1)
        }
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        _ => (e, 0),
    }
}

fn text(e: &impl ToTokens) -> String {
    let s = e.to_token_stream().to_string();
    s.replace(" . ", ".").replace(" [", "[").replace("[ ", "[").replace(" ]", "]").replace("& ", "&")
}

impl Lower<'_> {
    // -------------------------------------------------------------------------------------------
    // vars and scopes

    fn new_var(&mut self, ident: Ident, is_ref: bool, varied: bool, kind: VarKind) -> VarId {
        self.vars.push(Var { ident, is_ref, varied, kind, ty: None });
        self.vars.len() - 1
    }

    fn bind(&mut self, name: &str, id: VarId) {
        self.scopes.last_mut().expect("a scope").insert(name.to_string(), id);
    }

    fn lookup(&self, name: &str) -> Option<VarId> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    fn varied(&self, v: &Val) -> bool {
        matches!(v, Val::Var(id) if self.vars[*id].varied)
    }

    /// A fresh name for a binding of the user's `ident`: the name itself the first time, then
    /// `name_1`, `name_2`, ….
    fn fresh_user(&mut self, ident: &Ident) -> Ident {
        let name = ident.to_string();
        if self.emitted.insert(name.clone()) {
            return ident.clone();
        }
        let mut k = 1;
        loop {
            let cand = format!("{name}_{k}");
            if !self.taken.contains(&cand) && self.emitted.insert(cand.clone()) {
                return Ident::new(&cand, ident.span());
            }
            k += 1;
        }
    }

    /// A fresh name for a temporary: `hint`, `hint_1`, … avoiding every user identifier.
    fn fresh_temp(&mut self, hint: &str, span: Span) -> Ident {
        let mut k = 0;
        loop {
            let cand = if k == 0 { hint.to_string() } else { format!("{hint}_{k}") };
            if !self.taken.contains(&cand) && self.emitted.insert(cand.clone()) {
                return Ident::new(&cand, span);
            }
            k += 1;
        }
    }

    /// The renaming of user names to current vars, for untraced code.
    fn renamer(&self) -> impl Fn(&Ident) -> Option<Ident> + '_ {
        move |i: &Ident| {
            let id = self.lookup(&i.to_string())?;
            let v = &self.vars[id];
            Some(Ident::new(&v.ident.to_string(), i.span()))
        }
    }

    fn renamed(&self, e: &Expr) -> TokenStream {
        let mut e = e.clone();
        rename::expr(&mut e, &self.renamer());
        e.to_token_stream()
    }

    /// Whether an expression mentions a var that may be traced.
    fn touches_varied(&self, e: &impl ToTokens) -> bool {
        let mut names = HashSet::new();
        rename::mentioned(&e.to_token_stream(), &mut names);
        names.iter().any(|n| self.lookup(n).is_some_and(|id| self.vars[id].varied))
    }

    fn tokens_of(&self, v: &Val) -> TokenStream {
        match v {
            Val::Var(id) => self.vars[*id].ident.to_token_stream(),
            Val::Const { ts, .. } => ts.clone(),
        }
    }

    // -------------------------------------------------------------------------------------------
    // nodes and arguments

    fn node(&mut self, op: Op, span: Span, hint: &str, is_ref: bool) -> VarId {
        let varied = match &op {
            Op::Prim { rule, args, .. } => {
                !matches!(rule.adjoint, Adjoint::Untraced)
                    && args.iter().any(|a| matches!(a, Arg::Var(v) if self.vars[*v].varied))
            }
            Op::Cat { args, .. } | Op::Tuple(args) => {
                args.iter().any(|a| matches!(a, Arg::Var(v) if self.vars[*v].varied))
            }
            Op::Call { callee, args, .. } => {
                let recv = match callee {
                    Callee::Method { recv, .. } => Some(recv),
                    Callee::Path(_) => None,
                };
                args.iter().chain(recv).any(|a| matches!(a.arg, Arg::Var(v) if self.vars[v].varied))
            }
            Op::Get { parent, .. } | Op::Elem { parent, .. } => self.vars[*parent].varied,
        };
        let ident = self.fresh_temp(hint, Span::call_site());
        let out = self.new_var(ident, is_ref, varied, VarKind::Node);
        self.stmts.push(Stmt::Node(Node { out, op, span }));
        out
    }

    /// Binds an untraced value to a new plain var: `let name = ts;`.
    fn bind_const(&mut self, hint: &str, ts: TokenStream, created: Option<Created>) -> VarId {
        let ident = self.fresh_temp(hint, Span::call_site());
        self.stmts.push(Stmt::Opaque(quote!(let #ident = #ts;)));
        self.new_var(ident, false, false, VarKind::Plain { mutable: false, created })
    }

    /// An operand of a node.
    fn arg(&mut self, v: Val) -> Arg {
        match v {
            Val::Var(id) => match &self.vars[id].kind {
                VarKind::Plain { mutable: true, created } if !self.vars[id].varied => {
                    // snapshot: the adjoint must see the value this node saw
                    let created = created.clone();
                    let again = self.paths.helper("again", Span::call_site());
                    let ident = self.vars[id].ident.clone();
                    let snap = self.bind_const("snapshot", quote!(#again(&#ident)), created);
                    Arg::Var(snap)
                }
                _ => Arg::Var(id),
            },
            Val::Const { ts, pure: true, .. } => Arg::Const(ts),
            Val::Const { ts, pure: false, created } => Arg::Var(self.bind_const("constant", ts, created)),
        }
    }

    /// A non-differentiable argument of a primitive (dimensions, an exponent, an index): written again
    /// in the adjoint, so it must not change in between.
    fn extra(&mut self, v: Val, span: Span) -> TokenStream {
        if self.varied(&v) {
            self.diag.error(
                span,
                "this argument of a primitive must be a plain value, not a traced dlarray",
                "dimensions, exponents and indices are plain numbers; take them out of a dlarray with `.get(k)` or `extractdata` if needed",
            );
        }
        match self.arg(v) {
            Arg::Const(ts) => ts,
            Arg::Var(id) => {
                let again = self.paths.helper("again", Span::call_site());
                let ident = &self.vars[id].ident;
                quote!(#again(&#ident))
            }
        }
    }

    // -------------------------------------------------------------------------------------------
    // statements

    /// Lowers the statements of a block; returns the value of its tail (or of a final `return`).
    fn block_body(&mut self, stmts: &[syn::Stmt]) -> Option<OutTree> {
        let mut tail = None;
        for (i, s) in stmts.iter().enumerate() {
            let last = i + 1 == stmts.len();
            match s {
                syn::Stmt::Expr(e, None) if last => tail = Some(self.out_tree(e)),
                syn::Stmt::Expr(Expr::Return(r), _) if last => {
                    tail = Some(match &r.expr {
                        Some(e) => self.out_tree(e),
                        None => OutTree::Const(quote!(())),
                    })
                }
                _ => self.stmt(s),
            }
        }
        tail
    }

    /// The function's result: `Ok(..)`, tuples, vars and constants, kept as a tree.
    fn out_tree(&mut self, e: &Expr) -> OutTree {
        match e {
            Expr::Paren(p) => self.out_tree(&p.expr),
            Expr::Group(g) => self.out_tree(&g.expr),
            Expr::Tuple(t) if self.touches_varied(t) => {
                OutTree::Tuple(t.elems.iter().map(|e| self.out_tree(e)).collect())
            }
            Expr::Call(c) if self.touches_varied(c) && c.args.len() == 1 => match &*c.func {
                Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Ok" || s.ident == "Some") => {
                    OutTree::Wrap(p.clone(), Box::new(self.out_tree(&c.args[0])))
                }
                _ => self.out_leaf(e),
            },
            _ => self.out_leaf(e),
        }
    }

    fn out_leaf(&mut self, e: &Expr) -> OutTree {
        match self.expr(e) {
            Val::Var(id) => OutTree::Var(id),
            Val::Const { ts, .. } => OutTree::Const(ts),
        }
    }

    fn stmt(&mut self, s: &syn::Stmt) {
        match s {
            syn::Stmt::Local(local) => self.local(local),
            syn::Stmt::Item(item) => self.stmts.push(Stmt::Opaque(item.to_token_stream())),
            syn::Stmt::Macro(m) => {
                let v = self.mac(&m.mac);
                let ts = self.tokens_of(&v);
                self.stmts.push(Stmt::Opaque(quote!(#ts;)));
            }
            syn::Stmt::Expr(e, semi) => self.expr_stmt(e, semi.is_some()),
        }
    }

    fn local(&mut self, local: &syn::Local) {
        let Some(init) = &local.init else {
            // `let x;` — untraced until assigned
            let pat = self.opaque_pat(&local.pat, true);
            self.stmts.push(Stmt::Opaque(quote!(let #pat;)));
            return;
        };
        if let Some((_, diverge)) = &init.diverge {
            if self.touches_varied(&init.expr) {
                self.unsupported(
                    local.span(),
                    "`let .. else` on a traced value",
                    "bind the value first, then match on an untraced property of it",
                );
            }
            let value = self.renamed(&init.expr);
            let diverge = self.renamed(diverge);
            let pat = self.opaque_pat(&local.pat, false);
            self.stmts.push(Stmt::Opaque(quote!(let #pat = #value else #diverge;)));
            return;
        }
        self.bind_pat(&local.pat, &init.expr);
    }

    /// `let pat = e;`
    fn bind_pat(&mut self, pat: &Pat, e: &Expr) {
        match pat {
            Pat::Type(pt) => match &*pt.pat {
                Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                    let v = self.expr(e);
                    self.bind_value(&pi.ident, pi.mutability.is_some(), v, Some(&pt.ty));
                }
                inner => self.bind_pat(inner, e),
            },
            Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                let v = self.expr(e);
                self.bind_value(&pi.ident, pi.mutability.is_some(), v, None);
            }
            Pat::Tuple(pt) => {
                if let Expr::Tuple(te) = strip(e).0
                    && te.elems.len() == pt.elems.len()
                    && self.touches_varied(te)
                {
                    // evaluate every element first, then bind (so `let (a, b) = (b, a)` swaps)
                    let vals: Vec<Val> = te.elems.iter().map(|x| self.expr(x)).collect();
                    for (p, v) in pt.elems.iter().zip(vals) {
                        self.bind_val_pat(p, v);
                    }
                    return;
                }
                let v = self.expr(e);
                self.bind_val_pat(pat, v);
            }
            Pat::Wild(_) => {
                let v = self.expr(e);
                let ts = self.tokens_of(&v);
                self.stmts.push(Stmt::Opaque(quote!(let _ = #ts;)));
            }
            _ => {
                let v = self.expr(e);
                self.bind_val_pat(pat, v);
            }
        }
    }

    /// Binds an already lowered value to a pattern.
    fn bind_val_pat(&mut self, pat: &Pat, v: Val) {
        match (pat, &v) {
            (Pat::Type(pt), _) => self.bind_val_pat(&pt.pat, v),
            (Pat::Ident(pi), _) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                self.bind_value(&pi.ident, pi.mutability.is_some(), v, None)
            }
            (Pat::Wild(_), _) => {}
            (Pat::Tuple(pt), Val::Var(id)) if self.vars[*id].varied => {
                let parent = *id;
                for (i, p) in pt.elems.iter().enumerate() {
                    if matches!(p, Pat::Wild(_) | Pat::Rest(_)) {
                        continue;
                    }
                    let member = syn::Member::Unnamed(syn::Index { index: i as u32, span: p.span() });
                    let out = self.node(Op::Get { parent, member }, p.span(), "element", true);
                    self.bind_val_pat(p, Val::Var(out));
                }
            }
            (_, Val::Var(id)) if self.vars[*id].varied => {
                self.unsupported(
                    pat.span(),
                    "this pattern on a traced value",
                    "bind the value to a name, then take its parts with `.0`, `.field` or indexing",
                );
            }
            (_, _) => {
                let ts = self.tokens_of(&v);
                let p = self.opaque_pat(pat, false);
                self.stmts.push(Stmt::Opaque(quote!(let #p = #ts;)));
            }
        }
    }

    /// `let [mut] name = v;`
    fn bind_value(&mut self, name: &Ident, mutable: bool, v: Val, typed: Option<&syn::Type>) {
        match v {
            Val::Var(id) if self.vars[id].varied => {
                // a fresh node output takes the user's name; an existing var is aliased
                let fresh_node = matches!(self.vars[id].kind, VarKind::Node)
                    && self.stmts.iter().rev().find_map(|s| match s {
                        Stmt::Node(n) => Some(n.out),
                        _ => None,
                    }) == Some(id)
                    && !self.scopes.iter().any(|s| s.values().any(|&v| v == id));
                if fresh_node {
                    let old = self.vars[id].ident.to_string();
                    self.emitted.remove(&old);
                    let ident = self.fresh_user(name);
                    self.vars[id].ident = ident;
                    self.vars[id].ty = typed.cloned();
                }
                self.bind(&name.to_string(), id);
            }
            other => {
                let created = match &other {
                    Val::Var(id) => match &self.vars[*id].kind {
                        VarKind::Plain { created, .. } => created.clone(),
                        _ => None,
                    },
                    Val::Const { created, .. } => created.clone(),
                };
                let ts = self.tokens_of(&other);
                let ident = self.fresh_user(name);
                let mutability = mutable.then(|| quote!(mut));
                let ty = typed.map(|t| quote!(: #t));
                self.stmts.push(Stmt::Opaque(quote!(let #mutability #ident #ty = #ts;)));
                let id = self.new_var(ident, false, false, VarKind::Plain { mutable, created });
                self.bind(&name.to_string(), id);
            }
        }
    }

    /// A pattern of untraced code, with every bound name given a fresh var.
    fn opaque_pat(&mut self, pat: &Pat, mutable_default: bool) -> TokenStream {
        struct Fresh<'b, 'c> {
            l: &'b mut Lower<'c>,
            binds: Vec<(String, VarId)>,
            mutable_default: bool,
        }
        impl syn::visit_mut::VisitMut for Fresh<'_, '_> {
            fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
                let name = p.ident.to_string();
                let ident = self.l.fresh_user(&p.ident);
                let mutable = p.mutability.is_some() || self.mutable_default;
                let id = self.l.new_var(ident.clone(), false, false, VarKind::Plain { mutable, created: None });
                self.binds.push((name, id));
                p.ident = ident;
                syn::visit_mut::visit_pat_ident_mut(self, p);
            }
        }
        let mut pat = pat.clone();
        let mut f = Fresh { l: self, binds: Vec::new(), mutable_default };
        syn::visit_mut::VisitMut::visit_pat_mut(&mut f, &mut pat);
        let binds = std::mem::take(&mut f.binds);
        for (name, id) in binds {
            self.bind(&name, id);
        }
        pat.to_token_stream()
    }

    fn expr_stmt(&mut self, e: &Expr, semi: bool) {
        match e {
            Expr::Assign(a) => self.assign(&a.left, &a.right, None, a.span()),
            Expr::Binary(b) if is_compound(&b.op) => self.assign(&b.left, &b.right, Some(&b.op), b.span()),
            Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) if self.touches_varied(e) => {
                self.unsupported(e.span(), "an early `return` with a traced value", "return at the end of the function; branches and loops over traced values come with the control-flow support");
            }
            Expr::If(_) | Expr::Match(_) | Expr::While(_) | Expr::ForLoop(_) | Expr::Loop(_)
                if self.touches_varied(e) =>
            {
                self.control_flow(e);
            }
            _ => {
                let v = self.expr(e);
                if let Val::Const { ts, .. } = v {
                    let semi = semi.then(|| quote!(;));
                    self.stmts.push(Stmt::Opaque(quote!(#ts #semi)));
                }
            }
        }
    }

    /// `lhs = rhs` or `lhs op= rhs`.
    fn assign(&mut self, lhs: &Expr, rhs: &Expr, op: Option<&BinOp>, span: Span) {
        let touches = self.touches_varied(lhs) || self.touches_varied(rhs);
        if !touches {
            // plain code: kept as it is, in place
            let l = self.renamed(lhs);
            let r = self.renamed(rhs);
            let op = match op {
                Some(op) => op.to_token_stream(),
                None => quote!(=),
            };
            self.stmts.push(Stmt::Opaque(quote!(#l #op #r;)));
            return;
        }
        match strip(lhs).0 {
            Expr::Path(p) if p.path.get_ident().is_some() => {
                let name = p.path.get_ident().expect("an ident").clone();
                let Some(_) = self.lookup(&name.to_string()) else {
                    self.unsupported(lhs.span(), "assignment to this place", "assign to a local variable");
                    return;
                };
                let value = self.rhs_value(lhs, rhs, op, span);
                self.rebind(&name, value);
            }
            Expr::Index(ix) => {
                // y[i] = v  →  y = assign(y, i, v)
                let (base, _) = strip(&ix.expr);
                let Expr::Path(p) = base else {
                    self.unsupported(
                        lhs.span(),
                        "indexed assignment into this place",
                        "assign into a local dlarray variable: `y[i] = v;`",
                    );
                    return;
                };
                let Some(name) = p.path.get_ident().cloned() else {
                    self.unsupported(
                        lhs.span(),
                        "indexed assignment into this place",
                        "assign into a local dlarray variable",
                    );
                    return;
                };
                let value = self.rhs_value(lhs, rhs, op, span);
                let y = self.expr(base);
                let idx = self.expr(&ix.index);
                let idx = self.extra(idx, ix.index.span());
                let rule = rules::free("assign").expect("assign rule");
                let (y, value) = (self.arg(y), self.arg(value));
                let out = self.node(Op::Prim { rule, args: vec![y, value], extras: vec![idx] }, span, "assign", false);
                self.rebind(&name, Val::Var(out));
            }
            _ => self.unsupported(
                lhs.span(),
                "assignment to a field or element of a traced value",
                "build a new value instead (fields of learnable structs are read-only inside #[differentiable])",
            ),
        }
    }

    /// The new value of `lhs op= rhs` (or `rhs`).
    fn rhs_value(&mut self, lhs: &Expr, rhs: &Expr, op: Option<&BinOp>, span: Span) -> Val {
        let r = self.expr(rhs);
        let Some(op) = op else { return r };
        let l = self.expr(lhs);
        match rules::binary_op(op) {
            Some(rule) => self.binary_node(rule, l, r, span),
            None => {
                self.unsupported(span, "this compound assignment on a traced value", "use `+=`, `-=`, `*=` or `/=`");
                l
            }
        }
    }

    /// Rebinds a user name to a new value (SSA for traced values; in place for plain ones).
    fn rebind(&mut self, name: &Ident, v: Val) {
        let current = self.lookup(&name.to_string());
        let current_plain_mut = current.is_some_and(|id| {
            matches!(self.vars[id].kind, VarKind::Plain { mutable: true, .. }) && !self.vars[id].varied
        });
        match v {
            Val::Var(id) if self.vars[id].varied => self.bind_value(name, false, Val::Var(id), None),
            other if current_plain_mut => {
                let ts = self.tokens_of(&other);
                let ident = self.vars[current.expect("checked")].ident.clone();
                self.stmts.push(Stmt::Opaque(quote!(#ident = #ts;)));
            }
            other => self.bind_value(name, true, other, None),
        }
    }

    fn control_flow(&mut self, e: &Expr) {
        self.unsupported(
            e.span(),
            "control flow over traced values",
            "branches and loops inside #[differentiable] are supported when they do not touch traced values; compute traced values outside them",
        );
    }

    fn unsupported(&self, span: Span, what: &str, help: &str) {
        self.diag.error(span, format!("#[differentiable] does not support {what}"), help);
    }

    /// After an error on a traced value: a traced stand-in, so later statements report no cascade.
    fn poison(&mut self) -> Val {
        let ident = self.fresh_temp("error", Span::call_site());
        Val::Var(self.new_var(ident, false, true, VarKind::Node))
    }

    // -------------------------------------------------------------------------------------------
    // expressions

    fn expr(&mut self, e: &Expr) -> Val {
        match e {
            Expr::Lit(_) => Val::konst(e.to_token_stream(), true),
            Expr::Path(p) => {
                if p.qself.is_none()
                    && let Some(ident) = p.path.get_ident()
                    && let Some(id) = self.lookup(&ident.to_string())
                {
                    return Val::Var(id);
                }
                Val::konst(p.to_token_stream(), true)
            }
            Expr::Paren(p) => match self.expr(&p.expr) {
                Val::Const { ts, pure, created } => Val::Const { ts: quote!((#ts)), pure, created },
                v => v,
            },
            Expr::Group(g) => self.expr(&g.expr),
            Expr::Reference(r) => match self.expr(&r.expr) {
                v @ Val::Var(_) if self.varied(&v) => v,
                Val::Var(id) => {
                    let ident = &self.vars[id].ident;
                    let m = &r.mutability;
                    let created = match &self.vars[id].kind {
                        VarKind::Plain { created, mutable: false } => created.clone(),
                        _ => None,
                    };
                    let pure = matches!(self.vars[id].kind, VarKind::Plain { mutable: false, .. } | VarKind::Param(_));
                    Val::Const { ts: quote!(& #m #ident), pure, created }
                }
                Val::Const { ts, pure, created } => {
                    let m = &r.mutability;
                    Val::Const { ts: quote!(& #m #ts), pure, created }
                }
            },
            Expr::Unary(u) => self.unary(u),
            Expr::Binary(b) => self.binary(b),
            Expr::MethodCall(m) => self.method_call(m, Post::default()),
            Expr::Call(c) => self.call(c, Post::default()),
            Expr::Try(t) => {
                let q = t.question_token;
                match strip(&t.expr).0 {
                    Expr::Call(c) => self.call(c, Post(quote!(#q))),
                    Expr::MethodCall(m) => self.method_call(m, Post(quote!(#q))),
                    inner => {
                        let v = self.expr(inner);
                        if self.varied(&v) {
                            self.unsupported(
                                t.span(),
                                "`?` on this traced value",
                                "apply `?` to calls of #[differentiable] functions returning Result",
                            );
                        }
                        let ts = self.tokens_of(&v);
                        Val::konst(quote!(#ts #q), false)
                    }
                }
            }
            Expr::Index(ix) => self.index(ix),
            Expr::Field(f) => {
                let base = self.expr(&f.base);
                if self.varied(&base) {
                    let Val::Var(parent) = base else { unreachable!() };
                    let out = self.node(
                        Op::Get { parent, member: f.member.clone() },
                        f.span(),
                        &member_hint(&f.member),
                        true,
                    );
                    Val::Var(out)
                } else {
                    let b = self.tokens_of(&base);
                    let m = &f.member;
                    let pure = matches!(base, Val::Const { pure: true, .. })
                        || matches!(base, Val::Var(id) if !matches!(self.vars[id].kind, VarKind::Plain { mutable: true, .. }));
                    Val::konst(quote!(#b.#m), pure)
                }
            }
            Expr::Tuple(t) if self.touches_varied(t) => {
                let vals: Vec<Val> = t.elems.iter().map(|e| self.expr(e)).collect();
                let args = vals.into_iter().map(|v| self.arg(v)).collect();
                Val::Var(self.node(Op::Tuple(args), t.span(), "tuple", false))
            }
            Expr::Block(b) if b.label.is_none() && self.touches_varied(b) => {
                self.scopes.push(HashMap::new());
                let mut value = Val::konst(quote!(()), true);
                for (i, s) in b.block.stmts.iter().enumerate() {
                    match s {
                        syn::Stmt::Expr(e, None) if i + 1 == b.block.stmts.len() => value = self.expr(e),
                        _ => self.stmt(s),
                    }
                }
                self.scopes.pop();
                value
            }
            Expr::Macro(m) => self.mac(&m.mac),
            Expr::Cast(c) if self.touches_varied(&c.expr) => {
                self.unsupported(
                    c.span(),
                    "`as` casts of traced values",
                    "take a plain number out with `.get(k)` (untraced), or keep computing with dlarrays",
                );
                self.poison()
            }
            Expr::Closure(c) if self.touches_varied(c) => {
                self.unsupported(
                    c.span(),
                    "closures that capture traced values",
                    "write the closure as a #[differentiable] function and call it",
                );
                self.poison()
            }
            Expr::Unsafe(u) if self.touches_varied(u) => {
                self.unsupported(
                    u.unsafe_token.span(),
                    "`unsafe` blocks that touch traced values",
                    "move the unsafe code into a function that takes and returns plain data",
                );
                self.poison()
            }
            Expr::Async(_) | Expr::Await(_) | Expr::RawAddr(_) | Expr::Yield(_) if self.touches_varied(e) => {
                self.unsupported(
                    e.span(),
                    "async code, raw pointers or generators on traced values",
                    "compute with dlarrays directly",
                );
                self.poison()
            }
            Expr::If(_) | Expr::Match(_) | Expr::While(_) | Expr::ForLoop(_) | Expr::Loop(_)
                if self.touches_varied(e) =>
            {
                self.control_flow(e);
                self.poison()
            }
            Expr::Array(_) | Expr::Tuple(_) | Expr::Range(_) if !self.touches_varied(e) => {
                // literal lists and ranges of pure values are pure (written again in the adjoint)
                let parts: Vec<&Expr> = match e {
                    Expr::Array(a) => a.elems.iter().collect(),
                    Expr::Tuple(t) => t.elems.iter().collect(),
                    Expr::Range(r) => r.start.iter().chain(r.end.iter()).map(|b| &**b).collect(),
                    _ => vec![],
                };
                let pure = parts.iter().all(|p| matches!(self.expr(p), Val::Const { pure: true, .. }) || matches!(self.expr(p), Val::Var(id) if !matches!(self.vars[id].kind, VarKind::Plain { mutable: true, .. })));
                Val::konst(self.renamed(e), pure)
            }
            Expr::Array(_) | Expr::Repeat(_) | Expr::Struct(_) | Expr::Range(_) | Expr::Let(_) | Expr::Assign(_)
                if self.touches_varied(e) =>
            {
                self.unsupported(
                    e.span(),
                    "this expression on traced values",
                    "bind traced values to names and combine them with dlarray operations",
                );
                self.poison()
            }
            _ => Val::konst(self.renamed(e), false),
        }
    }

    fn unary(&mut self, u: &syn::ExprUnary) -> Val {
        let inner = self.expr(&u.expr);
        let varied = self.varied(&inner);
        match u.op {
            UnOp::Neg(_) if varied => {
                let a = self.arg(inner);
                Val::Var(self.node(
                    Op::Prim { rule: rules::neg(), args: vec![a], extras: vec![] },
                    u.span(),
                    "uminus",
                    false,
                ))
            }
            UnOp::Not(_) if varied => {
                let a = self.arg(inner);
                let rule = rules::free("not").expect("not rule");
                Val::Var(self.node(Op::Prim { rule, args: vec![a], extras: vec![] }, u.span(), "not", false))
            }
            UnOp::Deref(_) if varied => inner,
            _ => {
                let op = u.op.to_token_stream();
                let pure = matches!(inner, Val::Const { pure: true, .. })
                    || matches!(inner, Val::Var(id) if !matches!(self.vars[id].kind, VarKind::Plain { mutable: true, .. }));
                let ts = self.tokens_of(&inner);
                Val::konst(quote!(#op #ts), pure)
            }
        }
    }

    fn binary_node(&mut self, rule: &'static Rule, l: Val, r: Val, span: Span) -> Val {
        let (a, b) = (self.arg(l), self.arg(r));
        Val::Var(self.node(Op::Prim { rule, args: vec![a, b], extras: vec![] }, span, rule.name, false))
    }

    fn binary(&mut self, b: &syn::ExprBinary) -> Val {
        let l = self.expr(&b.left);
        let r = self.expr(&b.right);
        let varied = self.varied(&l) || self.varied(&r);
        let op = &b.op;
        if varied {
            if let Some(rule) = rules::binary_op(op)
                && !is_compound(op)
            {
                return self.binary_node(rule, l, r, b.span());
            }
            let cmp = match op {
                BinOp::Lt(_) => Some("lt"),
                BinOp::Le(_) => Some("le"),
                BinOp::Gt(_) => Some("gt"),
                BinOp::Ge(_) => Some("ge"),
                BinOp::Eq(_) => Some("eq"),
                BinOp::Ne(_) => Some("ne"),
                _ => None,
            };
            if let Some(name) = cmp {
                // a comparison involving traced values is a plain `bool` (MATLAB's truth of the result)
                let f = self.paths.op(name, b.span());
                let (a, c) = (self.arg(l), self.arg(r));
                let (a, c) = (self.arg_borrow(&a), self.arg_borrow(&c));
                return Val::konst(quote_spanned!(b.span()=> #f(#a, #c).is_true()), false);
            }
            self.unsupported(
                b.op.span(),
                &format!("the operator `{}` on traced values", op.to_token_stream()),
                "use + - * / on dlarrays, comparisons in conditions, or the dlarray functions (`maximum`, `fix`, ...)",
            );
            return self.poison();
        }
        let (lt, rt) = (self.tokens_of(&l), self.tokens_of(&r));
        let pure = [&l, &r].iter().all(|v| match v {
            Val::Const { pure, .. } => *pure,
            Val::Var(id) => !matches!(self.vars[*id].kind, VarKind::Plain { mutable: true, .. }),
        });
        Val::konst(quote!(#lt #op #rt), pure)
    }

    /// `&value` for an operand written into a call.
    fn arg_borrow(&self, a: &Arg) -> TokenStream {
        match a {
            Arg::Const(ts) => quote!(&#ts),
            Arg::Var(id) => {
                let v = &self.vars[*id];
                let i = &v.ident;
                if v.is_ref { quote!(#i) } else { quote!(&#i) }
            }
        }
    }

    fn method_call(&mut self, m: &syn::ExprMethodCall, post: Post) -> Val {
        let name = m.method.to_string();
        let recv_touch = self.touches_varied(&m.receiver);
        let args_touch = m.args.iter().any(|a| self.touches_varied(a));
        if !recv_touch && !args_touch {
            let mut e = Expr::MethodCall(m.clone());
            rename::expr(&mut e, &self.renamer());
            let p = &post.0;
            return Val::konst(quote!(#e #p), false);
        }
        if (name == "clone" || name == "to_owned") && m.args.is_empty() && post.0.is_empty() {
            let r = self.expr(&m.receiver);
            if self.varied(&r) {
                return r;
            }
        }
        if matches!(name.as_str(), "unwrap" | "expect") {
            let p = post.0.clone();
            let ma = &m.args;
            let method = &m.method;
            let post = Post(quote!(.#method(#ma) #p));
            match strip(&m.receiver).0 {
                Expr::Call(c) => return self.call(c, post),
                Expr::MethodCall(inner) => return self.method_call(inner, post),
                _ => {}
            }
        }
        if rules::QUERIES.contains(&name.as_str()) {
            let recv = self.expr(&m.receiver);
            let recv = self.tokens_of(&recv);
            let args: Vec<TokenStream> = m
                .args
                .iter()
                .map(|a| {
                    let v = self.expr(a);
                    self.tokens_of(&v)
                })
                .collect();
            let method = &m.method;
            let tf = &m.turbofish;
            let p = &post.0;
            return Val::konst(quote!(#recv.#method #tf (#(#args),*) #p), false);
        }
        if let Some(rule) = rules::method(&name)
            && post.0.is_empty()
        {
            let mut all: Vec<&Expr> = vec![&m.receiver];
            all.extend(m.args.iter());
            return self.prim(rule, &all, m.span());
        }
        // a method of a user type: another #[differentiable] function
        let recv = self.call_arg(&m.receiver);
        let args: Vec<CallArg> = m.args.iter().map(|a| self.call_arg(a)).collect();
        let callee = Callee::Method { recv, name: m.method.clone(), turbofish: m.turbofish.clone() };
        Val::Var(self.node(Op::Call { callee, args, post: post.0 }, m.span(), &name, false))
    }

    fn call_arg(&mut self, e: &Expr) -> CallArg {
        let (inner, mut refs) = strip(e);
        let v = self.expr(inner);
        // a projection var already is the reference `&place`: the user's `&` is part of it
        if let Val::Var(id) = &v
            && refs > 0
            && self.vars[*id].is_ref
            && matches!(self.vars[*id].kind, VarKind::Node)
        {
            refs -= 1;
        }
        let arg = self.arg(v);
        CallArg { refs, arg }
    }

    fn call(&mut self, c: &syn::ExprCall, post: Post) -> Val {
        let Expr::Path(fp) = &*c.func else {
            if self.touches_varied(c) {
                self.unsupported(
                    c.func.span(),
                    "calling a closure or function value on traced values",
                    "call a #[differentiable] function by its name",
                );
            }
            let ts = self.renamed(&Expr::Call(c.clone()));
            let p = &post.0;
            return Val::konst(quote!(#ts #p), false);
        };
        let name = fp.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        let p = &post.0;
        // calling a local value (a closure)
        if let Some(ident) = fp.path.get_ident()
            && let Some(id) = self.lookup(&ident.to_string())
        {
            let poisoned = self.vars[id].varied
                && matches!(self.vars[id].kind, VarKind::Node)
                && self.vars[id].ident.to_string().starts_with("error");
            if poisoned {
                return self.poison();
            }
            if self.touches_varied(c) {
                self.unsupported(
                    c.func.span(),
                    "calling a closure or function value on traced values",
                    "call a #[differentiable] function by its name",
                );
                return self.poison();
            }
        }
        match name.as_str() {
            "dlgradient" => return self.gradient(c, post),
            "dlfeval" => {
                // a nested dlfeval: an independent evaluation, constant for this function
                let ts = self.renamed(&Expr::Call(c.clone()));
                return Val::konst(quote!(#ts #p), false);
            }
            n if rules::CREATORS.contains(&n) || n == "extractdata" => {
                let ts = self.renamed(&Expr::Call(c.clone()));
                let full = text(c);
                let what = if full.len() <= 48 { format!("`{full}`") } else { format!("`{n}(..)`") };
                return Val::Const { ts: quote!(#ts #p), pure: false, created: Some(Created { what }) };
            }
            "Ok" | "Some" | "Err" | "Box" if self.touches_varied(c) => {
                self.unsupported(
                    c.span(),
                    "wrapping traced values here",
                    "wrap traced values in `Ok(..)` only in the value the function returns",
                );
            }
            _ => {}
        }
        if !c.args.iter().any(|a| self.touches_varied(a)) {
            let ts = self.renamed(&Expr::Call(c.clone()));
            return Val::konst(quote!(#ts #p), false);
        }
        let plain_path = fp.path.segments.len() == 1
            || fp.path.segments.first().is_some_and(|s| s.ident == "ops" || s.ident == "autodiff");
        if name == "cat" && plain_path && post.0.is_empty() {
            return self.cat(c);
        }
        if let Some(rule) = rules::free(&name)
            && plain_path
            && post.0.is_empty()
        {
            let all: Vec<&Expr> = c.args.iter().collect();
            return self.prim(rule, &all, c.span());
        }
        let args: Vec<CallArg> = c.args.iter().map(|a| self.call_arg(a)).collect();
        Val::Var(self.node(Op::Call { callee: Callee::Path(fp.clone()), args, post: post.0 }, c.span(), &name, false))
    }

    /// A primitive from the table, with the user's arguments (receiver first for methods).
    fn prim(&mut self, rule: &'static Rule, args: &[&Expr], span: Span) -> Val {
        if args.len() != rule.args.len() {
            self.diag.error(
                span,
                format!("`{}` takes {} argument(s) here, {} given", rule.name, rule.args.len(), args.len()),
                "see the function's documentation in `autodiff::ops`",
            );
            return Val::konst(quote!(()), false);
        }
        let mut operands = Vec::new();
        let mut extras = Vec::new();
        for (kind, e) in rule.args.iter().zip(args) {
            let (inner, _) = strip(e);
            let v = self.expr(inner);
            match kind {
                A::Operand => operands.push(self.arg(v)),
                A::Extra => {
                    // extras keep the user's form (`&[1, 0]`), renamed
                    let v = if matches!(v, Val::Const { .. }) || !self.varied(&v) { self.expr(e) } else { v };
                    extras.push(self.extra(v, e.span()))
                }
            }
        }
        Val::Var(self.node(Op::Prim { rule, args: operands, extras }, span, rule.name, false))
    }

    /// `cat(dim, &[a, b, ..])`.
    fn cat(&mut self, c: &syn::ExprCall) -> Val {
        let list = c.args.iter().nth(1).map(|e| strip(e).0);
        let (Some(dim), Some(Expr::Array(list))) = (c.args.first(), list) else {
            self.unsupported(c.span(), "this form of `cat`", "write `cat(dim, &[a, b, ..])` with the arrays listed");
            return Val::konst(quote!(()), false);
        };
        let d = self.expr(dim);
        let dim = self.extra(d, dim.span());
        let vals: Vec<Val> = list.elems.iter().map(|e| self.expr(strip(e).0)).collect();
        let args = vals.into_iter().map(|v| self.arg(v)).collect();
        Val::Var(self.node(Op::Cat { dim, args }, c.span(), "cat", false))
    }

    fn index(&mut self, ix: &syn::ExprIndex) -> Val {
        let base = self.expr(&ix.expr);
        if !self.varied(&base) {
            let b = self.tokens_of(&base);
            let i = self.expr(&ix.index);
            let i = self.tokens_of(&i);
            return Val::konst(quote!(#b[#i]), false);
        }
        let Val::Var(parent) = base else { unreachable!() };
        let idx = self.expr(&ix.index);
        if self.containers.contains(&parent) {
            let index = self.extra(idx, ix.index.span());
            let out = self.node(Op::Elem { parent, index }, ix.span(), "element", true);
            return Val::Var(out);
        }
        let index = self.extra(idx, ix.index.span());
        Val::Var(self.node(
            Op::Prim { rule: rules::index(), args: vec![Arg::Var(parent)], extras: vec![index] },
            ix.span(),
            "index",
            false,
        ))
    }

    // -------------------------------------------------------------------------------------------
    // dlgradient

    fn gradient(&mut self, c: &syn::ExprCall, post: Post) -> Val {
        let args: Vec<&Expr> = c.args.iter().collect();
        if args.len() < 2 {
            self.diag.error(
                c.span(),
                "`dlgradient` needs the value to differentiate and at least one target",
                "write `dlgradient(&y, x)` or `dlgradient(&y, (&a, &b))`",
            );
            return Val::konst(quote!(()), false);
        }
        for opt in &args[2..] {
            self.gradient_option(opt);
        }
        let y = self.expr(strip(args[0]).0);
        let y_text = text(strip(args[0]).0);
        if !self.varied(&y) {
            self.diag.error(
                args[0].span(),
                format!("`{y_text}` does not depend on any traced input, so it cannot be differentiated"),
                "dlgradient differentiates a value computed from the function's dlarray inputs (MATLAB: \"Value to differentiate must be a traced dlarray scalar\")",
            );
        }
        let (target_exprs, tuple): (Vec<&Expr>, bool) = match strip(args[1]).0 {
            Expr::Tuple(t) => (t.elems.iter().collect(), true),
            _ => (vec![args[1]], false),
        };
        let mut targets = Vec::new();
        for t in target_exprs {
            if let Some(t) = self.target(t) {
                targets.push(t);
            }
        }
        let ident = self.fresh_temp("gradient", Span::call_site());
        let out = self.new_var(ident.clone(), false, false, VarKind::Gradient);
        if let (Val::Var(y), false) = (y, targets.is_empty()) {
            self.stmts.push(Stmt::Grad(Grad { out, y, y_text, targets, tuple, span: c.span() }));
        } else {
            // after an error: keep the types flowing so the user sees only the real error
            let err = self.paths.err();
            self.stmts.push(Stmt::Opaque(quote!(let #ident: ::core::result::Result<_, ()> = #err(());)));
        }
        let p = &post.0;
        Val::konst(quote!(#ident #p), false)
    }

    fn gradient_option(&self, e: &Expr) {
        if let Expr::Call(c) = e
            && let Expr::Path(p) = &*c.func
            && let Some(last) = p.path.segments.last()
        {
            match last.ident.to_string().as_str() {
                "RetainData" => return,
                "EnableHigherDerivatives" => {
                    if c.args.first().is_some_and(|a| a.to_token_stream().to_string() != "false") {
                        self.diag.error(
                            c.args[0].span(),
                            "`EnableHigherDerivatives(true)` is not supported yet",
                            "higher-order derivatives come in a later release; remove the option or pass `false`",
                        );
                    }
                    return;
                }
                _ => {}
            }
        }
        self.diag.error(
            e.span(),
            format!("unknown `dlgradient` option `{}`", text(e)),
            "the options are `RetainData(bool)` and `EnableHigherDerivatives(bool)`",
        );
    }

    /// A gradient target: a traced value (an input, or computed from one).
    fn target(&mut self, e: &Expr) -> Option<Target> {
        let (inner, _) = strip(e);
        let name = text(inner);
        let v = self.expr(inner);
        let help = "differentiate with respect to an input of the function (dlfeval traces its dlarray arguments) or a value computed from one";
        match v {
            Val::Var(id) if self.vars[id].varied => Some(Target { var: id, text: name }),
            Val::Var(id) => {
                let msg = match &self.vars[id].kind {
                    VarKind::Plain { created: Some(c), .. } => {
                        format!("`{name}` is untraced: it is created inside this function by {}", c.what)
                    }
                    VarKind::Param(_) => format!("`{name}` is untraced: it is a plain-data parameter, not a dlarray"),
                    _ => format!("`{name}` is untraced: it does not depend on any input of the function"),
                };
                self.diag.error(e.span(), msg, help);
                None
            }
            Val::Const { created: Some(c), .. } => {
                self.diag.error(e.span(), format!("`{name}` is untraced: it is created here by {}", c.what), help);
                None
            }
            Val::Const { .. } => {
                self.diag.error(
                    e.span(),
                    format!("`{name}` is untraced: a constant cannot be a gradient target"),
                    help,
                );
                None
            }
        }
    }

    // -------------------------------------------------------------------------------------------
    // macros

    fn mac(&mut self, m: &syn::Macro) -> Val {
        let name = m.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        let mut mentioned = HashSet::new();
        rename::mentioned(&m.tokens, &mut mentioned);
        let touches = mentioned.iter().any(|n| self.lookup(n).is_some_and(|id| self.vars[id].varied));
        let path = &m.path;
        if !touches || !rules::KNOWN_MACROS.contains(&name.as_str()) || name == "vec" {
            if touches {
                self.diag.error(
                    m.path.span(),
                    format!("the macro `{name}!` cannot take traced values inside #[differentiable]"),
                    "compute traced values with dlarray operations; println!, format!, write!, assert! and dbg! may print or check them",
                );
                return self.poison();
            }
            let ts = rename::tokens(m.tokens.clone(), &self.renamer());
            let delim = &m.delimiter;
            return Val::konst(wrap_macro(path, delim, ts), false);
        }
        // known macro: arguments that touch traced values are lowered (so they are computed once,
        // with dlarray operations), the rest renamed
        let parsed = syn::parse::Parser::parse2(Punctuated::<Expr, Token![,]>::parse_terminated, m.tokens.clone());
        let body = match parsed {
            Ok(args) => {
                let mut out = Vec::new();
                for a in &args {
                    if self.touches_varied(a) && !matches!(a, Expr::Lit(_)) {
                        let v = self.expr(a);
                        out.push(self.tokens_of(&v));
                    } else {
                        out.push(self.renamed(a));
                    }
                }
                quote!(#(#out),*)
            }
            Err(_) => rename::tokens(m.tokens.clone(), &self.renamer()),
        };
        // `{name}` captures inside format strings: alias renamed names
        let mut aliases = Vec::new();
        for n in &mentioned {
            if let Some(id) = self.lookup(n) {
                let ident = &self.vars[id].ident;
                if ident != n.as_str() {
                    let user = Ident::new(n, Span::call_site());
                    aliases.push(quote!(let #user = &#ident;));
                }
            }
        }
        let call = wrap_macro(path, &m.delimiter, body);
        if aliases.is_empty() { Val::konst(call, false) } else { Val::konst(quote!({ #(#aliases)* #call }), false) }
    }
}

fn wrap_macro(path: &syn::Path, delim: &syn::MacroDelimiter, body: TokenStream) -> TokenStream {
    match delim {
        syn::MacroDelimiter::Paren(_) => quote!(#path!(#body)),
        syn::MacroDelimiter::Bracket(_) => quote!(#path![#body]),
        syn::MacroDelimiter::Brace(_) => quote!(#path!{#body}),
    }
}

fn is_compound(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
            | BinOp::BitXorAssign(_)
            | BinOp::BitAndAssign(_)
            | BinOp::BitOrAssign(_)
            | BinOp::ShlAssign(_)
            | BinOp::ShrAssign(_)
    )
}

fn member_hint(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(i) => i.to_string(),
        syn::Member::Unnamed(i) => format!("element_{}", i.index),
    }
}

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
use crate::ir::{
    Arg, Arm, Block, Body, CallArg, Callee, Created, Grad, Loop, Node, Op, OutTree, Stmt, Target, Var, VarId, VarKind,
};
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
    /// Vars bound by the last `opaque_pat`.
    pat_defs: Vec<VarId>,
    /// Enclosing regions (branches and loops), innermost last.
    regions: Vec<Region>,
    /// Enclosing loops, innermost last.
    loops: Vec<LoopCtx>,
    /// Next region id.
    next_region: usize,
    /// Cells that became traced while their loop was lowered (the loop is lowered again).
    promoted: bool,
    /// Whether the statement being lowered is the last of its block.
    last_in_block: bool,
    /// The pattern and guard of the match arm being lowered.
    arm_pat: Option<TokenStream>,
    arm_guard: Option<TokenStream>,
    arm_binds: Vec<VarId>,
    /// The pattern of the plain `for` loop being lowered.
    loop_pat: Option<TokenStream>,
}

/// A region being lowered: the scope depth where it starts.
struct Region {
    scope: usize,
}

/// A loop being lowered.
struct LoopCtx {
    id: usize,
    /// The region depth of its body.
    depth: usize,
    /// IR index in the body of the top-level `if`/`match` being lowered.
    top: Option<usize>,
    has_exits: bool,
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
        pat_defs: Vec::new(),
        regions: Vec::new(),
        loops: Vec::new(),
        next_region: 0,
        promoted: false,
        last_in_block: false,
        arm_pat: None,
        arm_guard: None,
        arm_binds: Vec::new(),
        loop_pat: None,
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
            Op::Get { parent, .. } | Op::Elem { parent, .. } | Op::Field { parent, .. } => self.vars[*parent].varied,
            Op::Struct { fields, .. } => fields.iter().any(|(_, a)| matches!(a, Arg::Var(v) if self.vars[*v].varied)),
            Op::SetField { parent, value, .. } => {
                self.vars[*parent].varied || matches!(value, Arg::Var(v) if self.vars[*v].varied)
            }
        };
        let ident = self.fresh_temp(hint, Span::call_site());
        let out = self.new_var(ident, is_ref, varied, VarKind::Node);
        self.stmts.push(Stmt::Node(Node { out, op, span }));
        out
    }

    /// Binds an untraced value to a new plain var: `let name = ts;`.
    fn bind_const(&mut self, hint: &str, ts: TokenStream, created: Option<Created>) -> VarId {
        let ident = self.fresh_temp(hint, Span::call_site());
        let id = self.new_var(ident.clone(), false, false, VarKind::Plain { mutable: false, created });
        self.stmts.push(Stmt::Opaque(quote!(let #ident = #ts;), vec![id]));
        id
    }

    /// The vars bound by the last `opaque_pat`.
    fn last_defs(&mut self) -> Vec<VarId> {
        std::mem::take(&mut self.pat_defs)
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
            syn::Stmt::Item(item) => self.stmts.push(Stmt::Opaque(item.to_token_stream(), vec![])),
            syn::Stmt::Macro(m) => {
                let v = self.mac(&m.mac);
                let ts = self.tokens_of(&v);
                self.stmts.push(Stmt::Opaque(quote!(#ts;), vec![]));
            }
            syn::Stmt::Expr(e, semi) => self.expr_stmt(e, semi.is_some()),
        }
    }

    fn local(&mut self, local: &syn::Local) {
        let Some(init) = &local.init else {
            // `let x;` — untraced until assigned
            let pat = self.opaque_pat(&local.pat, true);
            let defs = self.last_defs();
            self.stmts.push(Stmt::Opaque(quote!(let #pat;), defs));
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
            let defs = self.last_defs();
            self.stmts.push(Stmt::Opaque(quote!(let #pat = #value else #diverge;), defs));
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
                self.stmts.push(Stmt::Opaque(quote!(let _ = #ts;), vec![]));
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
                let defs = self.last_defs();
                self.stmts.push(Stmt::Opaque(quote!(let #p = #ts;), defs));
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
                let id = self.new_var(ident.clone(), false, false, VarKind::Plain { mutable, created });
                self.stmts.push(Stmt::Opaque(quote!(let #mutability #ident #ty = #ts;), vec![id]));
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
        self.pat_defs.clear();
        for (name, id) in binds {
            self.bind(&name, id);
            self.pat_defs.push(id);
        }
        pat.to_token_stream()
    }

    fn expr_stmt(&mut self, e: &Expr, semi: bool) {
        match e {
            Expr::Assign(a) => self.assign(&a.left, &a.right, None, a.span()),
            Expr::Binary(b) if is_compound(&b.op) => self.assign(&b.left, &b.right, Some(&b.op), b.span()),
            Expr::Break(b) if !self.loops.is_empty() => self.exit(e, true, b.label.is_some() || b.expr.is_some()),
            Expr::Continue(c) if !self.loops.is_empty() => self.exit(e, false, c.label.is_some()),
            Expr::Return(_) if !self.loops.is_empty() => {
                self.unsupported(
                    e.span(),
                    "`return` inside a loop over traced values",
                    "leave the loop with `break`, then return at the end of the function",
                );
            }
            Expr::Return(_) if self.touches_varied(e) => {
                self.unsupported(
                    e.span(),
                    "an early `return` of a traced value",
                    "return at the end of the function, after the branches and loops",
                );
            }
            Expr::If(_) | Expr::Match(_) | Expr::While(_) | Expr::ForLoop(_) | Expr::Loop(_)
                if self.touches_varied(e)
                    || (!self.loops.is_empty() && matches!(e, Expr::If(_) | Expr::Match(_)) && exits_loop(e)) =>
            {
                let _ = self.control_flow(e);
            }
            _ => {
                let v = self.expr(e);
                if let Val::Const { ts, .. } = v {
                    let semi = semi.then(|| quote!(;));
                    self.stmts.push(Stmt::Opaque(quote!(#ts #semi), vec![]));
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
            self.stmts.push(Stmt::Opaque(quote!(#l #op #r;), vec![]));
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
            Expr::Field(f)
                if matches!(strip(&f.base).0, Expr::Path(p) if p.path.get_ident().is_some_and(|i| {
                    self.lookup(&i.to_string()).is_some_and(|id| !self.vars[id].is_ref)
                })) =>
            {
                // s.f = v  →  s = s with f replaced
                let Expr::Path(p) = strip(&f.base).0 else { unreachable!("checked") };
                let name = p.path.get_ident().expect("checked").clone();
                let value = self.rhs_value(lhs, rhs, op, span);
                let parent = self.expr(&f.base);
                let Val::Var(parent) = parent else {
                    self.unsupported(lhs.span(), "assignment to this field", "assign to a field of a local struct");
                    return;
                };
                let value = self.arg(value);
                let out =
                    self.node(Op::SetField { parent, member: f.member.clone(), value }, span, &name.to_string(), false);
                self.rebind(&name, Val::Var(out));
            }
            _ => self.unsupported(
                lhs.span(),
                "assignment to this field or element of a traced value",
                "assign to a field of a local struct (`s.f = v;`) or an element of a local dlarray (`y[i] = v;`); fields of parameters are read-only: build a new value instead",
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

    /// Rebinds a user name to a new value (SSA for traced values; in place for plain ones; an
    /// assignment to a cell for a variable of an enclosing scope inside a region).
    fn rebind(&mut self, name: &Ident, v: Val) {
        let current = self.lookup(&name.to_string());
        if let Some(id) = current
            && self.defined_outside_region(&name.to_string())
        {
            let is_cell = matches!(self.vars[id].kind, VarKind::Cell);
            let plain_mut = matches!(self.vars[id].kind, VarKind::Plain { mutable: true, .. });
            let varied = self.varied(&v);
            if is_cell || (plain_mut && varied) {
                if !is_cell || (varied && !self.vars[id].varied) {
                    // a plain variable becomes traced here: a cell from now on (its loop is lowered again)
                    self.vars[id].kind = VarKind::Cell;
                    self.vars[id].varied = true;
                    self.promoted = true;
                }
                let value = self.arg(v);
                self.stmts.push(Stmt::Assign { cell: id, value });
                return;
            }
            if !plain_mut {
                self.unsupported(
                    name.span(),
                    &format!("reassigning `{name}` here"),
                    "declare it with `let mut` before the branch or loop",
                );
                return;
            }
        }
        let current_plain_mut = current.is_some_and(|id| {
            matches!(self.vars[id].kind, VarKind::Plain { mutable: true, .. }) && !self.vars[id].varied
        });
        match v {
            Val::Var(id) if self.vars[id].varied => self.bind_value(name, false, Val::Var(id), None),
            other if current_plain_mut => {
                let ts = self.tokens_of(&other);
                let ident = self.vars[current.expect("checked")].ident.clone();
                self.stmts.push(Stmt::Opaque(quote!(#ident = #ts;), vec![]));
            }
            other => self.bind_value(name, true, other, None),
        }
    }

    /// A branch or a loop that touches traced values. Returns the value of an `if`/`match` used as an
    /// expression.
    fn control_flow(&mut self, e: &Expr) -> Val {
        let unit = Val::konst(quote!(()), true);
        match e {
            Expr::If(i) => self.lower_if(i).unwrap_or(unit),
            Expr::Match(m) => self.lower_match(m).unwrap_or(unit),
            Expr::ForLoop(f) => {
                self.lower_for(f);
                unit
            }
            Expr::While(w) => {
                self.lower_while(w);
                unit
            }
            Expr::Loop(l) => {
                self.lower_loop(l);
                unit
            }
            _ => unit,
        }
    }

    /// Whether `name` is bound outside the innermost region.
    fn defined_outside_region(&self, name: &str) -> bool {
        let Some(region) = self.regions.last() else { return false };
        self.scopes[region.scope..].iter().all(|s| !s.contains_key(name)) && self.lookup(name).is_some()
    }

    /// Makes cells of the traced variables of enclosing scopes that a region reassigns.
    fn make_cells(&mut self, region: &impl ToTokens) {
        for name in assigned_names(&region.to_token_stream()) {
            let Some(id) = self.lookup(&name) else { continue };
            let var = &self.vars[id];
            if matches!(var.kind, VarKind::Cell) || !var.varied {
                continue;
            }
            let ident = self.fresh_user(&Ident::new(&name, Span::call_site()));
            let cell = self.new_var(ident, false, true, VarKind::Cell);
            self.vars[cell].ty = self.vars[id].ty.clone();
            self.stmts.push(Stmt::DefCell { cell, init: Some(Arg::Var(id)) });
            if self.containers.contains(&id) {
                self.containers.insert(cell);
            }
            self.bind(&name, cell);
        }
    }

    /// Lowers `f` into a new block: a region with a scope of its own.
    fn region_with(&mut self, f: impl FnOnce(&mut Self) -> Option<Val>) -> (Block, Option<Val>) {
        let saved = std::mem::take(&mut self.stmts);
        self.scopes.push(HashMap::new());
        self.regions.push(Region { scope: self.scopes.len() - 1 });
        let value = f(self);
        self.regions.pop();
        self.scopes.pop();
        let block = Block { stmts: std::mem::replace(&mut self.stmts, saved) };
        (block, value)
    }

    /// The statements of a block, the last expression as its value.
    fn block_stmts(&mut self, stmts: &[syn::Stmt]) -> Option<Val> {
        let mut value = None;
        for (i, st) in stmts.iter().enumerate() {
            let last = i + 1 == stmts.len();
            self.last_in_block = last;
            match st {
                syn::Stmt::Expr(e, None) if last && !matches!(e, Expr::ForLoop(_) | Expr::While(_) | Expr::Loop(_)) => {
                    let v = match e {
                        Expr::If(_) | Expr::Match(_) if self.touches_varied(e) => self.control_flow(e),
                        Expr::Break(_) | Expr::Continue(_) if !self.loops.is_empty() => {
                            self.stmt(st);
                            continue;
                        }
                        _ => self.expr(e),
                    };
                    value = Some(v);
                }
                _ => self.stmt(st),
            }
        }
        value
    }

    /// Marks the position of a top-level `if`/`match` of a loop body (for `break`/`continue` in it).
    fn mark_top(&mut self) {
        let depth = self.regions.len();
        let idx = self.stmts.len();
        if let Some(l) = self.loops.last_mut()
            && l.depth == depth
        {
            l.top = Some(idx);
        }
    }

    /// The value of a branch, written into a cell declared before the branch.
    fn branch_value(&mut self, values: Vec<Option<Val>>, blocks: &mut [&mut Block]) -> Option<Val> {
        if values.iter().any(|v| v.is_none()) {
            return None;
        }
        let varied = values.iter().flatten().any(|v| self.varied(v));
        let ident = self.fresh_temp("value", Span::call_site());
        let cell = self.new_var(ident, false, varied, VarKind::Cell);
        self.stmts.push(Stmt::DefCell { cell, init: None });
        for (v, b) in values.into_iter().zip(blocks.iter_mut()) {
            let v = v.expect("checked");
            let saved = std::mem::take(&mut self.stmts);
            let value = self.arg(v);
            let mut pre = std::mem::replace(&mut self.stmts, saved);
            b.stmts.append(&mut pre);
            b.stmts.push(Stmt::Assign { cell, value });
        }
        Some(Val::Var(cell))
    }

    fn condition(&mut self, c: &Expr) -> TokenStream {
        match self.expr(c) {
            Val::Var(id) if self.vars[id].varied => {
                // a traced dlarray as a condition: MATLAB's truth (all elements non-zero)
                let i = &self.vars[id].ident;
                quote!(#i.is_true())
            }
            v => self.tokens_of(&v),
        }
    }

    fn lower_if(&mut self, e: &syn::ExprIf) -> Option<Val> {
        if let Expr::Let(l) = &*e.cond {
            return self.lower_if_let(e, l);
        }
        let cond = self.condition(&e.cond);
        self.make_cells(e);
        let id = self.next_id();
        self.mark_top();
        let (mut then, tv) = self.region_with(|l| l.block_stmts(&e.then_branch.stmts));
        let (mut els, ev) = match &e.else_branch {
            None => (Block::default(), None),
            Some((_, other)) => match &**other {
                Expr::Block(b) => self.region_with(|l| l.block_stmts(&b.block.stmts)),
                Expr::If(inner) => self.region_with(|l| l.lower_if(inner)),
                other => self.region_with(|l| Some(l.expr(other))),
            },
        };
        let value =
            if e.else_branch.is_some() { self.branch_value(vec![tv, ev], &mut [&mut then, &mut els]) } else { None };
        self.stmts.push(Stmt::If { id, cond, then, els });
        value
    }

    fn lower_if_let(&mut self, e: &syn::ExprIf, l: &syn::ExprLet) -> Option<Val> {
        // `if let P = e { a } else { b }` is `match e { P => a, _ => b }`
        if self.touches_varied(&l.expr) {
            self.unsupported(
                l.expr.span(),
                "`if let` on a traced value",
                "match on an untraced property, or compare traced values in an `if` condition",
            );
            return None;
        }
        let scrutinee = self.renamed(&l.expr);
        self.make_cells(e);
        let id = self.next_id();
        self.mark_top();
        let mut arms = Vec::new();
        let mut values = Vec::new();
        let (body, v) = self.region_with(|lw| {
            let pat = lw.opaque_pat(&l.pat, false);
            lw.arm_binds = lw.last_defs();
            lw.arm_pat = Some(pat);
            lw.block_stmts(&e.then_branch.stmts)
        });
        let pat = self.arm_pat.take().expect("a pattern");
        let binds = std::mem::take(&mut self.arm_binds);
        arms.push(Arm { pat, guard: None, body, binds });
        values.push(v);
        let (body, v) = match &e.else_branch {
            None => (Block::default(), None),
            Some((_, other)) => match &**other {
                Expr::Block(b) => self.region_with(|lw| lw.block_stmts(&b.block.stmts)),
                Expr::If(inner) => self.region_with(|lw| lw.lower_if(inner)),
                other => self.region_with(|lw| Some(lw.expr(other))),
            },
        };
        arms.push(Arm { pat: quote!(_), guard: None, body, binds: vec![] });
        values.push(v);
        let value = if e.else_branch.is_some() {
            let (a, b) = arms.split_at_mut(1);
            self.branch_value(values, &mut [&mut a[0].body, &mut b[0].body])
        } else {
            None
        };
        self.stmts.push(Stmt::Match { id, scrutinee, arms });
        value
    }

    fn lower_match(&mut self, m: &syn::ExprMatch) -> Option<Val> {
        let scrut = self.expr(&m.expr);
        if self.varied(&scrut) {
            self.unsupported(
                m.expr.span(),
                "`match` on a traced value",
                "match on an untraced value (an enum, an integer, `extractdata`), or compare traced values in `if` conditions; a parameter of your own type that holds no dlarrays can be marked `#[untraced]`",
            );
            return None;
        }
        let scrutinee = self.tokens_of(&scrut);
        self.make_cells(m);
        let id = self.next_id();
        self.mark_top();
        let mut arms = Vec::new();
        let mut values = Vec::new();
        for arm in &m.arms {
            let (arm_pat, arm_guard) = match &arm.pat {
                Pat::Guard(g) => (&*g.pat, Some(&*g.guard)),
                other => (other, None),
            };
            let (body, v) = self.region_with(|lw| {
                let pat = lw.opaque_pat(arm_pat, false);
                lw.arm_binds = lw.last_defs();
                let guard = arm_guard.map(|g| {
                    if lw.touches_varied(g) {
                        lw.unsupported(
                            g.span(),
                            "a match guard on traced values",
                            "compare traced values in an `if` inside the arm",
                        );
                    }
                    lw.renamed(g)
                });
                lw.arm_pat = Some(pat);
                lw.arm_guard = guard;
                match &*arm.body {
                    Expr::Block(b) if b.label.is_none() => lw.block_stmts(&b.block.stmts),
                    other => {
                        lw.last_in_block = true;
                        match other {
                            Expr::Break(_) | Expr::Continue(_) => {
                                lw.expr_stmt(other, true);
                                None
                            }
                            _ => {
                                Some(if lw.touches_varied(other) { lw.control_or_expr(other) } else { lw.expr(other) })
                            }
                        }
                    }
                }
            });
            let pat = self.arm_pat.take().expect("a pattern");
            let guard = self.arm_guard.take();
            let binds = std::mem::take(&mut self.arm_binds);
            arms.push(Arm { pat, guard, body, binds });
            values.push(v);
        }
        let mut blocks: Vec<&mut Block> = arms.iter_mut().map(|a| &mut a.body).collect();
        let value = self.branch_value(values, &mut blocks);
        self.stmts.push(Stmt::Match { id, scrutinee, arms });
        value
    }

    fn control_or_expr(&mut self, e: &Expr) -> Val {
        match e {
            Expr::If(_) | Expr::Match(_) => self.control_flow(e),
            _ => self.expr(e),
        }
    }

    fn next_id(&mut self) -> usize {
        self.next_region += 1;
        self.next_region
    }

    /// `break` / `continue` of the innermost loop.
    fn exit(&mut self, e: &Expr, is_break: bool, labelled_or_valued: bool) {
        let ctx = self.loops.last().expect("in a loop");
        let ok = !labelled_or_valued && ctx.top.is_some() && self.regions.len() == ctx.depth + 1 && self.last_in_block;
        if !ok {
            let word = if is_break { "break" } else { "continue" };
            let (what, help) = match e {
                Expr::Break(b) if b.expr.is_some() => (
                    "`break` with a value out of a loop over traced values".to_string(),
                    "assign the value to a `let mut` variable declared before the loop, then `break;`",
                ),
                Expr::Break(syn::ExprBreak { label: Some(_), .. })
                | Expr::Continue(syn::ExprContinue { label: Some(_), .. }) => (
                    format!("`{word}` with a label in a loop over traced values"),
                    "remove the label; `break`/`continue` apply to the innermost loop",
                ),
                _ => (
                    format!("`{word}` here in a loop over traced values"),
                    "write it as the last statement of an `if` (or `match` arm) directly in the loop body",
                ),
            };
            self.unsupported(e.span(), &what, help);
            return;
        }
        let reach = ctx.top.expect("checked") + 1;
        let loop_id = ctx.id;
        self.loops.last_mut().expect("in a loop").has_exits = true;
        self.stmts.push(Stmt::Exit { is_break, loop_id, reach });
    }

    /// Lowers a loop body until the traced variables it carries are known (a variable that becomes
    /// traced in the body makes earlier statements of the body traced too: lower again).
    fn loop_fixpoint(&mut self, id: usize, body: impl Fn(&mut Self) -> Vec<VarId>) -> (Block, Vec<VarId>, bool) {
        for _ in 0..8 {
            let snapshot = (
                self.vars.clone(),
                self.emitted.clone(),
                self.scopes.clone(),
                self.containers.clone(),
                self.next_region,
            );
            self.promoted = false;
            self.loops.push(LoopCtx { id, depth: self.regions.len() + 1, top: None, has_exits: false });
            let mut binds = Vec::new();
            let (block, _) = self.region_with(|l| {
                binds = body(l);
                None
            });
            let ctx = self.loops.pop().expect("pushed");
            if !self.promoted {
                return (block, binds, ctx.has_exits);
            }
            // keep the promotions, forget the rest of this pass
            let promoted: Vec<(VarId, VarKind)> = (0..snapshot.0.len())
                .filter(|&i| self.vars[i].varied && !snapshot.0[i].varied)
                .map(|i| (i, self.vars[i].kind.clone()))
                .collect();
            self.vars = snapshot.0;
            self.emitted = snapshot.1;
            self.scopes = snapshot.2;
            self.containers = snapshot.3;
            self.next_region = snapshot.4;
            for (i, kind) in promoted {
                self.vars[i].varied = true;
                self.vars[i].kind = kind;
            }
        }
        unreachable!("the set of traced variables only grows")
    }

    fn lower_for(&mut self, f: &syn::ExprForLoop) {
        if f.label.is_some() {
            self.unsupported(
                f.span(),
                "labelled loops over traced values",
                "remove the label; `break`/`continue` apply to the innermost loop",
            );
            return;
        }
        let (base, mode) = iteration(&f.expr);
        let container = match self.expr(base) {
            Val::Var(c) if self.vars[c].varied => Some(c),
            _ => None,
        };
        self.make_cells(&f.body);
        let id = self.next_id();
        match container {
            Some(c) => {
                // over the elements of a container of learnables: `for k in 0..c.len()`, element `&c[k]`
                let other = match &mode {
                    Iteration::Zip(other) => Some(self.expr(other)),
                    _ => None,
                };
                let k_ident = self.fresh_temp("k", Span::call_site());
                let cid = self.vars[c].ident.clone();
                let iter = match &other {
                    Some(o) => {
                        let o = self.tokens_of(o);
                        quote!(0..#cid.len().min(#o.len()))
                    }
                    None => quote!(0..#cid.len()),
                };
                let pat = f.pat.clone();
                let (block, binds, has_exits) = self.loop_fixpoint(id, |l| {
                    let k = l.new_var(k_ident.clone(), false, false, VarKind::Plain { mutable: false, created: None });
                    let elem = l.node(Op::Elem { parent: c, index: quote!(#k_ident) }, f.expr.span(), "element", true);
                    let second = other.clone().map(|o| match o {
                        Val::Var(v) if l.vars[v].varied => Val::Var(l.node(
                            Op::Elem { parent: v, index: quote!(#k_ident) },
                            f.expr.span(),
                            "element",
                            true,
                        )),
                        o => {
                            // an element of plain data, owned (a reverse sweep may keep it)
                            let t = l.tokens_of(&o);
                            Val::konst(quote!(::core::clone::Clone::clone(&#t[#k_ident])), false)
                        }
                    });
                    l.bind_iteration(&pat, &mode, k, elem, second);
                    l.block_stmts(&f.body.stmts);
                    vec![k]
                });
                self.stmts.push(Stmt::Loop(Loop {
                    id,
                    for_: Some((quote!(#k_ident), iter)),
                    binds,
                    body: block,
                    has_exits,
                }));
            }
            None => {
                if self.touches_varied(&f.expr) {
                    // e.g. `for v in x.to_vec()`: plain values computed from a traced one
                }
                let iter = self.renamed(&f.expr);
                let pat_src = f.pat.clone();
                let mut pat_ts = TokenStream::new();
                let (block, binds, has_exits) = self.loop_fixpoint(id, |l| {
                    let p = l.opaque_pat(&pat_src, false);
                    let defs = l.last_defs();
                    l.block_stmts(&f.body.stmts);
                    l.loop_pat = Some(p);
                    defs
                });
                if let Some(p) = self.loop_pat.take() {
                    pat_ts = p;
                }
                self.stmts.push(Stmt::Loop(Loop { id, for_: Some((pat_ts, iter)), binds, body: block, has_exits }));
            }
        }
    }

    /// Binds the pattern of a loop over a container: `x`, `(i, x)` with `enumerate`, `(a, b)` with `zip`.
    fn bind_iteration(&mut self, pat: &Pat, mode: &Iteration<'_>, k: VarId, elem: VarId, second: Option<Val>) {
        let bind = |l: &mut Self, p: &Pat, v: Val| match p {
            Pat::Ident(pi) => {
                let id = match v {
                    Val::Var(id) => id,
                    c => {
                        let ts = l.tokens_of(&c);
                        l.bind_const("element", ts, None)
                    }
                };
                l.bind(&pi.ident.to_string(), id)
            }
            Pat::Wild(_) => {}
            other => l.unsupported(other.span(), "this loop pattern", "bind the element to a name"),
        };
        match (mode, pat) {
            (Iteration::Plain, p) => bind(self, p, Val::Var(elem)),
            (Iteration::Enumerate, Pat::Tuple(t)) if t.elems.len() == 2 => {
                bind(self, &t.elems[0], Val::Var(k));
                bind(self, &t.elems[1], Val::Var(elem));
            }
            (Iteration::Zip(_), Pat::Tuple(t)) if t.elems.len() == 2 => {
                bind(self, &t.elems[0], Val::Var(elem));
                bind(self, &t.elems[1], second.expect("zip has a second"));
            }
            (_, other) => self.unsupported(other.span(), "this loop pattern", "write `for x in &xs`, `for (i, x) in xs.iter().enumerate()` or `for (a, b) in xs.iter().zip(ys.iter())`"),
        }
    }

    fn lower_while(&mut self, w: &syn::ExprWhile) {
        if let Expr::Let(l) = &*w.cond {
            self.unsupported(
                w.while_token.span.join(l.let_token.span).unwrap_or(w.while_token.span),
                "`while let` in a loop over traced values",
                "iterate with `for` over the items, or write `loop` with `if <untraced condition> { break; }` in its body",
            );
            return;
        }
        if let Some(label) = &w.label {
            self.unsupported(
                label.span(),
                "labelled loops over traced values",
                "remove the label; `break`/`continue` apply to the innermost loop",
            );
            return;
        }
        self.make_cells(w);
        let id = self.next_id();
        let (block, binds, has_exits) = self.loop_fixpoint(id, |l| {
            // `while c { b }` is `loop { if !c { break; } b }`
            let cond = l.condition(&w.cond);
            let reach = l.stmts.len() + 1;
            let exit = Block { stmts: vec![Stmt::Exit { is_break: true, loop_id: id, reach }] };
            let if_id = l.next_id();
            l.stmts.push(Stmt::If { id: if_id, cond: quote!(!(#cond)), then: exit, els: Block::default() });
            l.loops.last_mut().expect("in the loop").has_exits = true;
            l.block_stmts(&w.body.stmts);
            vec![]
        });
        self.stmts.push(Stmt::Loop(Loop { id, for_: None, binds, body: block, has_exits }));
    }

    fn lower_loop(&mut self, lp: &syn::ExprLoop) {
        if lp.label.is_some() {
            self.unsupported(lp.span(), "labelled loops over traced values", "remove the label");
            return;
        }
        self.make_cells(lp);
        let id = self.next_id();
        let (block, binds, has_exits) = self.loop_fixpoint(id, |l| {
            l.block_stmts(&lp.body.stmts);
            vec![]
        });
        self.stmts.push(Stmt::Loop(Loop { id, for_: None, binds, body: block, has_exits }));
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
                    let member = f.member.clone();
                    let hint = member_hint(&f.member);
                    // a field of a parameter is borrowed; a field of a local struct is copied (the struct
                    // may be reassigned while the field's value is still needed)
                    let out = if self.vars[parent].is_ref {
                        self.node(Op::Get { parent, member }, f.span(), &hint, true)
                    } else {
                        self.node(Op::Field { parent, member }, f.span(), &hint, false)
                    };
                    Val::Var(out)
                } else {
                    let b = self.tokens_of(&base);
                    let m = &f.member;
                    let pure = matches!(base, Val::Const { pure: true, .. })
                        || matches!(base, Val::Var(id) if !matches!(self.vars[id].kind, VarKind::Plain { mutable: true, .. }));
                    Val::konst(quote!(#b.#m), pure)
                }
            }
            Expr::Struct(s) if s.rest.is_none() && s.qself.is_none() && self.touches_varied(s) => {
                let vals: Vec<(syn::Member, Val)> =
                    s.fields.iter().map(|f| (f.member.clone(), self.expr(&f.expr))).collect();
                let path = &s.path;
                if !vals.iter().any(|(_, v)| self.varied(v)) {
                    let parts: Vec<TokenStream> = vals
                        .iter()
                        .map(|(m, v)| {
                            let ts = self.tokens_of(v);
                            quote!(#m: #ts)
                        })
                        .collect();
                    return Val::konst(quote!(#path { #(#parts),* }), false);
                }
                let fields = vals.into_iter().map(|(m, v)| (m, self.arg(v))).collect();
                let hint = path.segments.last().map_or("value".to_string(), |s| s.ident.to_string().to_lowercase());
                Val::Var(self.node(Op::Struct { path: path.to_token_stream(), fields }, s.span(), &hint, false))
            }
            Expr::Tuple(t) if self.touches_varied(t) => {
                let vals: Vec<Val> = t.elems.iter().map(|e| self.expr(e)).collect();
                if !vals.iter().any(|v| self.varied(v)) {
                    // plain values computed from traced ones (sizes, indices): a plain tuple
                    let pure = vals.iter().all(|v| match v {
                        Val::Const { pure, .. } => *pure,
                        Val::Var(id) => !matches!(self.vars[*id].kind, VarKind::Plain { mutable: true, .. }),
                    });
                    let parts: Vec<TokenStream> = vals.iter().map(|v| self.tokens_of(v)).collect();
                    return Val::konst(quote!((#(#parts,)*)), pure);
                }
                let args = vals.into_iter().map(|v| self.arg(v)).collect();
                Val::Var(self.node(Op::Tuple(args), t.span(), "tuple", false))
            }
            Expr::Block(b) if b.label.is_none() && self.touches_varied(b) => {
                self.scopes.push(HashMap::new());
                let value = self.block_stmts(&b.block.stmts).unwrap_or_else(|| Val::konst(quote!(()), true));
                self.scopes.pop();
                value
            }
            Expr::Macro(m) => self.mac(&m.mac),
            Expr::Cast(c) if self.touches_varied(&c.expr) => {
                let inner = self.expr(&c.expr);
                if self.varied(&inner) {
                    self.unsupported(
                        c.span(),
                        "`as` casts of traced values",
                        "take a plain number out with `.get(k)` (untraced), or keep computing with dlarrays",
                    );
                    return self.poison();
                }
                let (ts, ty) = (self.tokens_of(&inner), &c.ty);
                Val::konst(quote!(#ts as #ty), false)
            }
            Expr::Range(r) if self.touches_varied(r) => {
                let start = r.start.as_ref().map(|e| self.expr(e));
                let end = r.end.as_ref().map(|e| self.expr(e));
                if start.iter().chain(end.iter()).any(|v| self.varied(v)) {
                    self.unsupported(
                        r.span(),
                        "a range of traced values",
                        "take plain numbers out with `.get(k)` or `numel()`",
                    );
                    return self.poison();
                }
                let s = start.map(|v| self.tokens_of(&v));
                let e = end.map(|v| self.tokens_of(&v));
                let limits = &r.limits;
                Val::konst(quote!(#s #limits #e), false)
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
                self.control_flow(e)
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
        if name == "push"
            && m.args.len() == 1
            && let Expr::Path(p) = strip(&m.receiver).0
            && let Some(ident) = p.path.get_ident()
            && let Some(id) = self.lookup(&ident.to_string())
            && matches!(self.vars[id].kind, VarKind::Plain { mutable: true, .. } | VarKind::Cell)
            && self.touches_varied(&m.args[0])
        {
            // `v.push(x)` into a local Vec: v holds traced values from now on
            if !self.vars[id].varied {
                self.vars[id].kind = VarKind::Cell;
                self.vars[id].varied = true;
                self.promoted = true;
            }
            self.containers.insert(id);
            let value = self.expr(&m.args[0]);
            let value = self.arg(value);
            self.stmts.push(Stmt::Push { cell: id, value });
            return Val::konst(quote!(()), true);
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
        if !self.regions.is_empty() {
            self.diag.error(
                c.span(),
                "`dlgradient` inside a branch or a loop is not supported",
                "compute the value in the branch or loop, and call dlgradient after it",
            );
            return Val::konst(quote!(()), false);
        }
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
        // (after another error, a value left untraced by the failed construct is no news)
        if !self.varied(&y) && !self.diag.has_errors() {
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
            self.stmts.push(Stmt::Opaque(quote!(let #ident: ::core::result::Result<_, ()> = #err(());), vec![]));
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

/// Whether a branch contains `break`/`continue` of the enclosing loop (not of a loop inside it).
fn exits_loop(e: &Expr) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_break(&mut self, _: &'ast syn::ExprBreak) {
            self.0 = true;
        }
        fn visit_expr_continue(&mut self, _: &'ast syn::ExprContinue) {
            self.0 = true;
        }
        fn visit_expr_for_loop(&mut self, _: &'ast syn::ExprForLoop) {}
        fn visit_expr_while(&mut self, _: &'ast syn::ExprWhile) {}
        fn visit_expr_loop(&mut self, _: &'ast syn::ExprLoop) {}
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut f = Finder(false);
    syn::visit::Visit::visit_expr(&mut f, e);
    f.0
}

/// Names assigned anywhere in a region: `x = ..`, `x op= ..`, `x[i] = ..`, `x.push(..)`.
fn assigned_names(ts: &TokenStream) -> Vec<String> {
    struct Finder(Vec<String>);
    fn root(e: &Expr) -> Option<String> {
        match e {
            Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
            Expr::Index(i) => root(&i.expr),
            Expr::Field(f) => root(&f.base),
            Expr::Paren(p) => root(&p.expr),
            _ => None,
        }
    }
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
            self.0.extend(root(&a.left));
            syn::visit::visit_expr_assign(self, a);
        }
        fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
            if is_compound(&b.op) {
                self.0.extend(root(&b.left));
            }
            syn::visit::visit_expr_binary(self, b);
        }
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            if m.method == "push" {
                self.0.extend(root(&m.receiver));
            }
            syn::visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut f = Finder(Vec::new());
    if let Ok(file) = syn::parse2::<syn::Block>(quote!({ #ts })) {
        syn::visit::Visit::visit_block(&mut f, &file);
    }
    let mut names = f.0;
    names.sort();
    names.dedup();
    names
}

/// How a `for` loop iterates.
enum Iteration<'a> {
    Plain,
    Enumerate,
    Zip(&'a Expr),
}

/// The collection a `for` loop iterates over (without `&`, `.iter()`, `.into_iter()`), and how.
fn strip_iter(e: &Expr) -> &Expr {
    let mut e = strip(e).0;
    while let Expr::MethodCall(m) = e {
        if (m.method == "iter" || m.method == "into_iter") && m.args.is_empty() {
            e = strip(&m.receiver).0;
        } else {
            break;
        }
    }
    e
}

fn iteration(e: &Expr) -> (&Expr, Iteration<'_>) {
    let e = strip(e).0;
    if let Expr::MethodCall(m) = e {
        if m.method == "enumerate" && m.args.is_empty() {
            return (strip_iter(&m.receiver), Iteration::Enumerate);
        }
        if m.method == "zip" && m.args.len() == 1 {
            return (strip_iter(&m.receiver), Iteration::Zip(strip_iter(&m.args[0])));
        }
    }
    (strip_iter(e), Iteration::Plain)
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

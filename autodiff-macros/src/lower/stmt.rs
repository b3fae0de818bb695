//! Statements: `let` (with patterns), expression statements, assignments and in-place updates,
//! statement attributes.
//!
//! Before:
//! ```text
//! let mut h = zeros(&[3, 1]);
//! for t in 0..n { h = (w.matmul(&h) + b).tanh(); }
//! let y = sum(&h, All);
//! ```
//! After (IR): `h` is a cell (reassigned in the loop), `y` a node:
//! ```text
//! cell h = <plain: zeros(&[3, 1])>
//! loop { matmul_1 = matmul(w, h); plus_1 = plus(matmul_1, b); tanh_1 = tanh(plus_1); h := tanh_1 }
//! y = sum(h, All)
//! ```

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Pat};

use super::scan::{self, strip};
use super::{Lower, Val};
use crate::ir::{Block, Node, Op, Operand, Stmt, Update, VarKind};

impl Lower<'_> {
    /// Lowers the statements of a block; the value of its tail expression.
    pub(crate) fn block_value(&mut self, stmts: &[syn::Stmt]) -> Val {
        let mut tail = Val::Unit;
        for (k, s) in stmts.iter().enumerate() {
            let last = k + 1 == stmts.len();
            let v = self.stmt(s, &stmts[k + 1..]);
            if last {
                tail = v;
            }
        }
        tail
    }

    /// One statement; the value when it is a tail expression.
    fn stmt(&mut self, s: &syn::Stmt, rest: &[syn::Stmt]) -> Val {
        let attrs = stmt_attrs(s);
        if !attrs.is_empty() {
            return self.with_attrs(&attrs, s.span(), |l| l.stmt_inner(s, rest));
        }
        self.stmt_inner(s, rest)
    }

    fn stmt_inner(&mut self, s: &syn::Stmt, rest: &[syn::Stmt]) -> Val {
        match s {
            syn::Stmt::Local(l) => {
                self.local(l, rest);
                Val::Unit
            }
            syn::Stmt::Item(i) => {
                self.push(Stmt::Opaque(i.to_token_stream(), vec![]));
                Val::Unit
            }
            // only the block's last expression is its value: an `if` or a loop before it is a
            // statement (it has no `;`)
            syn::Stmt::Expr(e, semi) => {
                let tail = semi.is_none() && rest.is_empty();
                let v = self.expr_stmt(e, tail);
                if tail { v } else { Val::Unit }
            }
            syn::Stmt::Macro(m) => {
                let e = Expr::Macro(syn::ExprMacro { attrs: vec![], mac: m.mac.clone() });
                let tail = m.semi_token.is_none() && rest.is_empty();
                let v = self.expr_stmt(&e, tail);
                if tail { v } else { Val::Unit }
            }
        }
    }

    /// Lowers statements under attributes: `#[cfg(p)]` keeps them only where `p` holds (and binds
    /// their names to their old values where it does not); other attributes go on every statement.
    fn with_attrs(&mut self, attrs: &[syn::Attribute], span: Span, f: impl FnOnce(&mut Self) -> Val) -> Val {
        let (cfgs, others): (Vec<_>, Vec<_>) = attrs.iter().partition(|a| a.path().is_ident("cfg"));
        let others: TokenStream = others.iter().map(|a| a.to_token_stream()).collect();
        if cfgs.is_empty() {
            let (body, v) = self.flat_block(f);
            self.push(Stmt::Attr { attrs: others, body });
            return v;
        }
        let mut preds = Vec::new();
        for a in &cfgs {
            match a.parse_args::<TokenStream>() {
                Ok(p) => preds.push(p),
                Err(e) => self.diag.push(e),
            }
        }
        let pred = if preds.len() == 1 { preds.remove(0) } else { quote!(all(#(#preds),*)) };
        // names bound before, so that the configured-out form can bind them to their old values
        let before: Vec<(String, crate::ir::VarId)> = self.visible_names();
        let (body, v) = self.flat_block(f);
        let mut els = Vec::new();
        for (name, old) in before {
            if let Some(new) = self.lookup(&name)
                && new != old
            {
                // configured out: the name keeps its old value
                let span = self.vars[new].ident.span();
                els.push(Stmt::Let(Node { out: new, op: Op::Copy(Operand::Var(old)), span }));
            }
        }
        let attrs_then = quote_spanned!(span=> #[cfg(#pred)] #others);
        let attrs_else = quote_spanned!(span=> #[cfg(not(#pred))] #others);
        self.push(Stmt::Attr { attrs: attrs_then, body });
        if !els.is_empty() {
            self.push(Stmt::Attr { attrs: attrs_else, body: Block { stmts: els } });
        }
        if !matches!(v, Val::Unit) {
            self.diag.error(span, "a `#[cfg]` on the value of a block", "put the `#[cfg]` on a `let` or a statement");
        }
        v
    }

    /// Lowers into a block whose bindings stay visible after it (no scope of its own).
    fn flat_block(&mut self, f: impl FnOnce(&mut Self) -> Val) -> (Block, Val) {
        self.blocks_push();
        let v = f(self);
        let stmts = self.blocks_pop();
        (Block { stmts }, v)
    }

    /// `let pat (: ty)? = init;`
    fn local(&mut self, l: &syn::Local, rest: &[syn::Stmt]) {
        let span = l.span();
        let (pat, ty) = match &l.pat {
            Pat::Type(t) => (&*t.pat, Some(&*t.ty)),
            p => (p, None),
        };
        let Some(init) = &l.init else {
            return self.declare(pat, ty, rest, span);
        };
        if let Some((_, diverge)) = &init.diverge {
            return self.let_else(pat, &init.expr, diverge, span);
        }
        if ty.is_none()
            && let Some(pairs) = tuple_pairs(pat, &init.expr)
        {
            // `let (x, w) = (&p.0, &p.1);`: one `let` per element (no tuple of borrows is made)
            for (p, e) in pairs {
                let one: syn::Stmt = syn::parse_quote_spanned!(span=> let #p = #e;);
                if let syn::Stmt::Local(one) = &one {
                    self.local(one, rest);
                }
            }
            return;
        }
        let value = self.expr_typed(&init.expr, ty);
        let mutable = matches!(pat, Pat::Ident(p) if p.mutability.is_some());
        if let Pat::Ident(p) = pat
            && p.subpat.is_none()
            && p.by_ref.is_none()
        {
            let name = p.ident.to_string();
            let m = scan::mutation(rest, &name);
            let cell = mutable && (m.in_region || m.in_place) && (self.is_varied(&value) || self.will_vary(&name));
            if cell {
                return self.def_cell(&p.ident, value, ty, span);
            }
            if !(self.is_varied(&value) || mutable && self.will_vary(&name)) {
                // plain: kept as written
                if let Expr::Closure(c) = super::scan::strip(&init.expr) {
                    // a closure: inlined where it is called (see `closure`); the binding stays for
                    // other uses
                    let mut l = l.clone();
                    l.attrs.push(syn::parse_quote!(#[allow(unused_variables)]));
                    self.plain_let(&l, value, span);
                    if let Some(v) = self.lookup(&name) {
                        self.record_closure(v, c);
                    }
                    return;
                }
                return self.plain_let(l, value, span);
            }
            self.bind_value(&p.ident, value, span);
            return;
        }
        if !self.is_varied(&value) {
            return self.plain_let(l, value, span);
        }
        self.bind_pat(pat, value, span);
    }

    /// `let x;` / `let mut x;`: a cell when it may hold traced values, else kept as written.
    fn declare(&mut self, pat: &Pat, ty: Option<&syn::Type>, rest: &[syn::Stmt], span: Span) {
        if let Pat::Ident(p) = pat
            && self.will_vary(&p.ident.to_string())
        {
            let _ = rest;
            let ident = self.user_ident(&p.ident);
            let cell = self.new_var(ident, VarKind::Cell, true, false);
            self.bind(&p.ident.to_string(), cell);
            self.cells_insert(&p.ident.to_string());
            self.push(Stmt::DefCell { cell, init: None, ty: ty.cloned(), span });
            return;
        }
        let names = scan::pat_names(pat);
        let ty = ty.map(|t| quote!(: #t));
        let ts = quote_spanned!(span=> let #pat #ty;);
        let ids = self.bind_plain_names(&names, pat, span);
        let ts = self.renamed_pattern_stmt(ts, &names, &ids);
        self.push(Stmt::Opaque(ts, ids));
    }

    /// `let pat = value` for a plain value: the statement as the user wrote it (renamed).
    fn plain_let(&mut self, l: &syn::Local, value: Val, span: Span) {
        let names = scan::pat_names(&l.pat);
        let (created, from_plain) = match &value {
            Val::Var(v) => (self.vars[*v].created.clone(), self.vars[*v].from_plain_code),
            _ => (None, false),
        };
        let init = match value {
            Val::Const(ts) => ts,
            Val::Var(v) => {
                let i = &self.vars[v].ident;
                quote!(#i)
            }
            Val::Unit => quote!(()),
        };
        let pat = &l.pat;
        let attrs = &l.attrs;
        let ids = self.bind_plain_names(&names, pat, span);
        if let [id] = ids.as_slice() {
            self.vars[*id].created = created;
            self.vars[*id].from_plain_code = from_plain;
            // `let x = &batch.x;`: a borrow (a pullback that reads it takes it again, or keeps a copy)
            self.vars[*id].is_ref |= syn::parse2::<syn::Expr>(init.clone())
                .is_ok_and(|e| matches!(e, syn::Expr::Reference(r) if r.mutability.is_none()));
        }
        let ts = quote_spanned!(span=> #(#attrs)* let #pat = #init;);
        let ts = self.renamed_pattern_stmt(ts, &names, &ids);
        if let [id] = ids.as_slice()
            && self.vars[*id].is_ref
            && attrs.is_empty()
            && crate::lower::borrows_place(&init)
        {
            let mentions = self.mentioned_vars(&init);
            self.vars[*id].again = Some((ts.clone(), mentions));
        }
        self.push(Stmt::Opaque(ts, ids));
    }

    /// Binds plain names to new vars (renamed when they shadow an earlier var).
    /// `pat` is the pattern that binds them: its `mut` bindings are marked (`Var::mutable`).
    fn bind_plain_names(&mut self, names: &[String], pat: &Pat, span: Span) -> Vec<crate::ir::VarId> {
        let muts = scan::mut_names(pat);
        names
            .iter()
            .map(|n| {
                let ident = self.user_ident(&crate::paths::ident(n, span));
                let id = self.new_var(ident, VarKind::Local, false, false);
                self.vars[id].mutable = muts.contains(n);
                self.bind(n, id);
                id
            })
            .collect()
    }

    /// A `let` statement's pattern renamed to the new vars' idents (the initializer was renamed before
    /// the new names were bound).
    fn renamed_pattern_stmt(&self, ts: TokenStream, names: &[String], ids: &[crate::ir::VarId]) -> TokenStream {
        // the pattern comes before `=`: rename only there
        let mut out = TokenStream::new();
        let mut in_pat = true;
        for tt in ts {
            match &tt {
                proc_macro2::TokenTree::Punct(p) if p.as_char() == '=' && in_pat => {
                    in_pat = false;
                    out.extend(std::iter::once(tt));
                }
                _ if in_pat => out.extend(crate::rename::tokens(std::iter::once(tt).collect(), &|i| {
                    names.iter().position(|n| i == n).map(|k| self.vars[ids[k]].ident.clone())
                })),
                _ => out.extend(std::iter::once(tt)),
            }
        }
        out
    }

    /// Binds a user name to a value that may be traced.
    pub(crate) fn bind_value(&mut self, ident: &syn::Ident, value: Val, span: Span) {
        let name = ident.to_string();
        match value {
            Val::Var(v) if self.vars[v].kind == VarKind::Temp && self.last_defines(v) => {
                // name the node's output after the user's variable
                let new = self.user_ident(ident);
                self.vars[v].ident = crate::paths::ident(&new.to_string(), ident.span());
                self.vars[v].kind = VarKind::Local;
                self.bind(&name, v);
            }
            Val::Var(v) => {
                // an alias of an existing var (`let y = x;`): a copy, so both names stay usable
                let new = self.user_ident(ident);
                let varied = self.vars[v].varied;
                let is_ref = self.vars[v].is_ref;
                let out = self.new_var(new, VarKind::Local, varied, is_ref);
                self.vars[out].created = self.vars[v].created.clone();
                self.push(Stmt::Let(Node { out, op: Op::Copy(Operand::Var(v)), span }));
                self.bind(&name, out);
            }
            Val::Const(ts) => {
                let new = self.user_ident(ident);
                let id = self.new_var(new.clone(), VarKind::Local, false, false);
                self.push(Stmt::Opaque(quote_spanned!(span=> let #new = #ts;), vec![id]));
                self.bind(&name, id);
            }
            Val::Unit => {
                let new = self.user_ident(ident);
                let id = self.new_var(new.clone(), VarKind::Local, false, false);
                self.push(Stmt::Opaque(quote_spanned!(span=> let #new = ();), vec![id]));
                self.bind(&name, id);
            }
        }
    }

    /// `let mut x = value` where `x` changes later in a branch, a loop or in place: a cell.
    fn def_cell(&mut self, ident: &syn::Ident, value: Val, ty: Option<&syn::Type>, span: Span) {
        let init = self.operand_once(value, span);
        let created = init.var().and_then(|v| self.vars[v].created.clone());
        let new = self.user_ident(ident);
        let cell = self.new_var(new, VarKind::Cell, true, false);
        self.vars[cell].created = created;
        self.bind(&ident.to_string(), cell);
        self.cells_insert(&ident.to_string());
        self.push(Stmt::DefCell { cell, init: Some(init), ty: ty.cloned(), span });
    }

    /// `let pat = value` with a pattern, for a value that may be traced: projections.
    pub(crate) fn bind_pat(&mut self, pat: &Pat, value: Val, span: Span) {
        match pat {
            Pat::Ident(p) if p.subpat.is_none() => self.bind_value(&p.ident, value, span),
            Pat::Wild(_) => {}
            Pat::Paren(p) => self.bind_pat(&p.pat, value, span),
            Pat::Type(t) => self.bind_pat(&t.pat, value, span),
            Pat::Reference(r) => {
                // `&x` in a pattern: the referent (a copy of a reference is the reference)
                self.bind_pat(&r.pat, value, span)
            }
            Pat::Tuple(t) => {
                let Val::Var(base) = value else {
                    return self.plain_destructure(pat, value, span);
                };
                for (k, p) in t.elems.iter().enumerate() {
                    let member = syn::Member::Unnamed(syn::Index { index: k as u32, span });
                    let out = self.node(Op::Field { base, member }, p.span(), &field_hint(p, k), true, true);
                    self.bind_pat(p, Val::Var(out), p.span());
                }
            }
            Pat::Struct(s) => {
                let Val::Var(base) = value else {
                    return self.plain_destructure(pat, value, span);
                };
                for f in &s.fields {
                    let out = self.node(
                        Op::Field { base, member: f.member.clone() },
                        f.span(),
                        &member_hint(&f.member),
                        true,
                        false,
                    );
                    self.bind_pat(&f.pat, Val::Var(out), f.span());
                }
            }
            Pat::Slice(s) => {
                let Val::Var(base) = value else {
                    return self.plain_destructure(pat, value, span);
                };
                for (k, p) in s.elems.iter().enumerate() {
                    if matches!(p, Pat::Rest(_)) {
                        self.diag.error(
                            p.span(),
                            "`..` in a slice pattern of traced values",
                            "index the elements you need: `let a = v[0];`",
                        );
                        return;
                    }
                    let index = crate::ir::Extra { tokens: quote_spanned!(p.span()=> #k), mentions: vec![] };
                    let out = self.node(Op::Index { base, index, owned: false }, p.span(), "elem", true, true);
                    self.bind_pat(p, Val::Var(out), p.span());
                }
            }
            _ => {
                self.diag.error(
                    pat.span(),
                    "this pattern cannot take apart a value that may hold traced dlarrays",
                    "bind the value to a name and take its parts with `.0`, `.field` or `[i]`",
                );
            }
        }
    }

    /// A plain destructuring (`let (a, b) = (1, 2)`).
    fn plain_destructure(&mut self, pat: &Pat, value: Val, span: Span) {
        let names = scan::pat_names(pat);
        let init = match value {
            Val::Const(ts) => ts,
            Val::Var(v) => {
                let i = &self.vars[v].ident;
                quote!(#i)
            }
            Val::Unit => quote!(()),
        };
        let ids = self.bind_plain_names(&names, pat, span);
        let ts = quote_spanned!(span=> let #pat = #init;);
        let ts = self.renamed_pattern_stmt(ts, &names, &ids);
        self.push(Stmt::Opaque(ts, ids));
    }

    /// `let pat = value else { diverge };`
    fn let_else(&mut self, pat: &Pat, value: &Expr, diverge: &Expr, span: Span) {
        let v = self.expr(value);
        if !self.is_varied(&v) {
            let names = scan::pat_names(pat);
            let init = self.val_tokens(&v);
            let diverge = self.renamed_expr(diverge);
            let ids = self.bind_plain_names(&names, pat, span);
            let ts = quote_spanned!(span=> let #pat = #init else #diverge;);
            let ts = self.renamed_pattern_stmt(ts, &names, &ids);
            self.push(Stmt::Opaque(ts, ids));
            return;
        }
        // `let Some(x) = opt else { .. }` on a traced `Option`: the else runs when it is `None`
        if let Pat::TupleStruct(ts) = pat
            && ts.elems.len() == 1
            && let Some(last) = ts.path.segments.last()
            && (last.ident == "Some" || last.ident == "Ok")
            && let Val::Var(base) = v
        {
            let test = {
                let b = &self.vars[base].ident;
                let path = &ts.path;
                quote_spanned!(span=> if let #path(..) = &#b {} else #diverge)
            };
            let test = self.renamed_tokens(test);
            self.push(Stmt::Opaque(test, vec![]));
            let out =
                self.node(Op::Unwrap { base, post: crate::ir::Post::Unwrap, by_ref: true }, span, "inner", true, true);
            self.bind_pat(&ts.elems[0], Val::Var(out), span);
            return;
        }
        self.diag.error(
            pat.span(),
            "`let .. else` with this pattern on a value that may hold traced dlarrays",
            "use `let Some(x) = .. else { .. }`, or a `match`",
        );
    }

    /// The tokens of a plain value.
    pub(crate) fn val_tokens(&self, v: &Val) -> TokenStream {
        match v {
            Val::Var(id) => {
                let i = &self.vars[*id].ident;
                quote!(#i)
            }
            Val::Const(ts) => ts.clone(),
            Val::Unit => quote!(()),
        }
    }

    /// An expression statement (or a tail expression): assignments, updates, control flow, calls.
    fn expr_stmt(&mut self, e: &Expr, tail: bool) -> Val {
        match strip(e) {
            Expr::Assign(a) => {
                self.assign(&a.left, &a.right, None, a.span());
                Val::Unit
            }
            Expr::Binary(b) if scan::is_compound(&b.op) => {
                self.assign(&b.left, &b.right, Some(&b.op), b.span());
                Val::Unit
            }
            Expr::MethodCall(m) if self.is_cell_update(m) => {
                self.cell_method(m);
                Val::Unit
            }
            _ => {
                let v = self.expr(e);
                if let Val::Const(ts) = &v
                    && (!tail || unit_typed(e))
                {
                    // a plain expression statement: keep it where it is (it may have effects)
                    let ts = ts.clone();
                    self.push(Stmt::Opaque(quote!(#ts;), vec![]));
                    return Val::Const(quote!(()));
                }
                v
            }
        }
    }

    /// `lhs = rhs` or `lhs op= rhs`.
    fn assign(&mut self, lhs: &Expr, rhs: &Expr, op: Option<&syn::BinOp>, span: Span) {
        let root = scan::root(lhs);
        let root_var = root.as_deref().and_then(|r| self.lookup(r));
        let lhs_varied = root_var.is_some_and(|v| self.vars[v].varied || self.vars[v].kind == VarKind::Cell);
        let rhs_varied = self.mentions_varied(&rhs.to_token_stream()) || contains_gradient(rhs);
        if !lhs_varied && !rhs_varied {
            let ts = match op {
                Some(op) => {
                    let (l, r) = (self.renamed_expr(lhs), self.renamed_expr(rhs));
                    quote_spanned!(span=> #l #op #r;)
                }
                None => {
                    let (l, r) = (self.renamed_expr(lhs), self.renamed_expr(rhs));
                    quote_spanned!(span=> #l = #r;)
                }
            };
            self.push(Stmt::Opaque(ts, vec![]));
            return;
        }
        let Some(root_var) = root_var else {
            self.diag.error(
                lhs.span(),
                "an assignment to this place with a traced value",
                "assign to a local variable",
            );
            return;
        };
        // the new value
        let value = match op {
            Some(op) => {
                let current = self.expr(lhs);
                let r = self.expr(rhs);
                self.binary_value(op, current, r, span)
            }
            None => self.expr(rhs),
        };
        match strip(lhs) {
            Expr::Path(p) => {
                let ident = &p.path.segments[0].ident;
                if self.vars[root_var].kind == VarKind::Cell {
                    let value = self.operand_once(value, span);
                    self.push(Stmt::Update { cell: root_var, update: Update::Set(value), span });
                } else {
                    // reassignment outside branches and loops: a new version of the name
                    let name = ident.to_string();
                    self.bind_value(ident, value, span);
                    let _ = name;
                }
            }
            Expr::Index(ix) if matches!(strip(&ix.expr), Expr::Path(_)) => {
                if self.vars[root_var].kind != VarKind::Cell {
                    self.diag.error(
                        lhs.span(),
                        "an indexed assignment to a variable that is not `mut`",
                        "declare it `let mut`",
                    );
                    return;
                }
                let index = self.expr(&ix.index);
                let index = self.extra(index, ix.index.span());
                let value = self.operand_once(value, span);
                let saved = self.temp("saved", span, false, false);
                self.push(Stmt::Update { cell: root_var, update: Update::SetIndex { index, value, saved }, span });
            }
            Expr::Field(f) if matches!(strip(&f.base), Expr::Path(_)) => {
                if self.vars[root_var].kind != VarKind::Cell {
                    // a local struct value assigned a field: it becomes a cell from here
                    self.diag.error(
                        lhs.span(),
                        "a field assignment to a variable that is not `mut`",
                        "declare it `let mut`",
                    );
                    return;
                }
                let value = self.operand(value, span);
                self.push(Stmt::Update {
                    cell: root_var,
                    update: Update::SetField { member: f.member.clone(), value },
                    span,
                });
            }
            _ => {
                self.diag.error(
                    lhs.span(),
                    "an assignment to a nested place that may hold traced values",
                    "assign to a variable, an element `v[i] = ..` or a field `s.f = ..` of a variable",
                );
            }
        }
    }

    /// Whether a method call is an in-place update of a cell (`v.push(x)`, `v.clear()`).
    fn is_cell_update(&self, m: &syn::ExprMethodCall) -> bool {
        let name = m.method.to_string();
        scan::IN_PLACE.contains(&name.as_str())
            && scan::root(&m.receiver).and_then(|r| self.lookup(&r)).is_some_and(|v| self.vars[v].kind == VarKind::Cell)
    }

    /// `v.push(x)`, `v.clear()` on a cell.
    fn cell_method(&mut self, m: &syn::ExprMethodCall) {
        let span = m.span();
        let Some(cell) = scan::root(&m.receiver).and_then(|r| self.lookup(&r)) else {
            return;
        };
        if !matches!(strip(&m.receiver), Expr::Path(_)) {
            self.diag.error(
                m.receiver.span(),
                "an in-place update of a nested place that may hold traced values",
                "update a variable",
            );
            return;
        }
        match (m.method.to_string().as_str(), m.args.len()) {
            ("push", 1) => {
                let v = self.expr(&m.args[0]);
                let v = self.operand_once(v, m.args[0].span());
                self.push(Stmt::Update { cell, update: Update::Push(v), span });
            }
            ("clear", 0) => {
                let saved = self.temp("cleared", span, false, false);
                self.push(Stmt::Update { cell, update: Update::Clear { saved }, span });
            }
            (name, _) => {
                self.diag.error(
                    m.method.span(),
                    format!("`{name}` on a `Vec` that may hold traced values"),
                    "the supported in-place updates are `push`, `clear`, `v[i] = x` and reassignment",
                );
            }
        }
    }

    /// Names visible now with their vars (innermost binding wins).
    pub(crate) fn visible_names(&self) -> Vec<(String, crate::ir::VarId)> {
        let mut seen = std::collections::HashMap::new();
        for s in self.scopes_iter() {
            for (n, v) in s {
                seen.entry(n.clone()).or_insert(*v);
            }
        }
        seen.into_iter().collect()
    }
}

/// The attributes of a statement.
fn stmt_attrs(s: &syn::Stmt) -> Vec<syn::Attribute> {
    match s {
        syn::Stmt::Local(l) => l.attrs.clone(),
        syn::Stmt::Macro(m) => m.attrs.clone(),
        syn::Stmt::Expr(e, _) => expr_attrs(e).to_vec(),
        syn::Stmt::Item(_) => vec![],
    }
}

/// The element pairs of `let (a, b) = (x, y)` when the names bound do not appear on the right (so
/// binding them one by one is the same).
fn tuple_pairs<'a>(pat: &'a Pat, e: &'a Expr) -> Option<Vec<(&'a Pat, &'a Expr)>> {
    let (Pat::Tuple(p), Expr::Tuple(t)) = (pat, strip(e)) else { return None };
    if p.elems.len() != t.elems.len() || p.elems.iter().any(|p| matches!(p, Pat::Rest(_))) {
        return None;
    }
    let names = scan::pat_names(pat);
    let mut mentioned = std::collections::HashSet::new();
    crate::rename::mentioned(&t.to_token_stream(), &mut mentioned);
    if names.iter().any(|n| mentioned.contains(n)) {
        return None;
    }
    Some(p.elems.iter().zip(t.elems.iter()).collect())
}

/// Whether an expression always has type `()` (an `if` without `else`, a loop, a printing or
/// asserting macro): as a block's tail it is a statement whose effects must be kept.
fn unit_typed(e: &Expr) -> bool {
    const UNIT_MACROS: &[&str] = &[
        "print",
        "println",
        "eprint",
        "eprintln",
        "assert",
        "assert_eq",
        "assert_ne",
        "debug_assert",
        "debug_assert_eq",
        "debug_assert_ne",
        "panic",
        "todo",
        "unimplemented",
        "unreachable",
    ];
    match strip(e) {
        Expr::If(i) => i.else_branch.is_none(),
        Expr::ForLoop(_) | Expr::While(_) | Expr::Assign(_) => true,
        Expr::Binary(b) => scan::is_compound(&b.op),
        Expr::Macro(m) => m.mac.path.get_ident().is_some_and(|i| UNIT_MACROS.contains(&i.to_string().as_str())),
        _ => false,
    }
}

/// The outer attributes of an expression statement.
pub(crate) fn expr_attrs(e: &Expr) -> &[syn::Attribute] {
    match e {
        Expr::Assign(x) => &x.attrs,
        Expr::Binary(x) => &x.attrs,
        Expr::Block(x) => &x.attrs,
        Expr::Call(x) => &x.attrs,
        Expr::ForLoop(x) => &x.attrs,
        Expr::If(x) => &x.attrs,
        Expr::Loop(x) => &x.attrs,
        Expr::Macro(x) => &x.attrs,
        Expr::Match(x) => &x.attrs,
        Expr::MethodCall(x) => &x.attrs,
        Expr::While(x) => &x.attrs,
        _ => &[],
    }
}

/// Whether an expression calls `dlgradient`.
pub(crate) fn contains_gradient(e: &Expr) -> bool {
    e.to_token_stream().to_string().contains("dlgradient")
}

fn field_hint(p: &Pat, k: usize) -> String {
    match p {
        Pat::Ident(i) => i.ident.to_string(),
        _ => format!("part{k}"),
    }
}

/// A hint for a temp named after a member.
pub(crate) fn member_hint(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(i) => i.to_string(),
        syn::Member::Unnamed(i) => format!("part{}", i.index),
    }
}

impl Lower<'_> {
    pub(crate) fn blocks_push(&mut self) {
        self.blocks.push(Vec::new());
    }
    pub(crate) fn blocks_pop(&mut self) -> Vec<Stmt> {
        self.blocks.pop().unwrap_or_default()
    }
    pub(crate) fn scopes_iter(&self) -> impl Iterator<Item = &std::collections::HashMap<String, crate::ir::VarId>> {
        self.scopes.iter().rev()
    }
    pub(crate) fn cells_insert(&mut self, name: &str) {
        self.cells.insert(name.to_string());
    }
    /// The last statement pushed, to change it.
    pub(crate) fn last_stmt_mut(&mut self) -> Option<&mut Stmt> {
        self.blocks.last_mut().and_then(|b| b.last_mut())
    }
    /// Whether the last statement pushed defines `v`.
    pub(crate) fn last_defines(&self, v: crate::ir::VarId) -> bool {
        matches!(self.blocks.last().and_then(|b| b.last()), Some(Stmt::Let(n)) if n.out == v)
    }
    /// Whether the user's name may hold traced values at some point (see [`scan::varied_names`]).
    pub(crate) fn will_vary(&self, name: &str) -> bool {
        self.varied_names.contains(name)
    }
}

#[allow(dead_code)]
fn unused(_: Operand) {}

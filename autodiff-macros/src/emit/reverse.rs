//! The reverse sweeps: each [`R`] statement as Rust.
//!
//! Slots: a value of the function's top level has a plain slot `x_bar` (lazily zero: no array until a
//! contribution arrives); a value defined in a branch or a loop body, and a cell, has an optional
//! slot (`__ad::Slot`) made at its first contribution and taken when its definition is reversed.
//! Values of branches and loop bodies are read from their stacks at a cursor (`x_stack[x_cur - 1]`),
//! which moves down when the definition is reversed, so each reverse iteration reads its own values.

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use super::ctx::Ctx;
use crate::analyze::node_reads;
use crate::differentiate::{R, Seed, Sweep};
use crate::ir::{Grad, Op, Operand, Update, VarId, VarKind, WrapKind};
use crate::rules::Adjoint;

impl Ctx<'_> {
    /// Whether a var's slot is optional (a cell or a value of a branch or loop body).
    fn optional_slot(&self, v: VarId) -> bool {
        self.plan.region.contains(&v) || self.body.vars[v].kind == VarKind::Cell
    }

    /// `&mut slot` of a var, made from `like` (a reference to a value of the var's type) if needed.
    fn slot_mut(&self, v: VarId, like: &TokenStream) -> TokenStream {
        let bar = self.derived(v, "bar");
        if self.optional_slot(v) { quote!(#bar.at(#like)) } else { quote!(&mut #bar) }
    }

    /// A reference to a var's value in the reverse sweep (a stack entry for region values).
    fn rev_ref(&self, v: VarId) -> TokenStream {
        let i = self.ident(v);
        if self.plan.region.contains(&v) { quote!(#i) } else { quote!(&#i) }
    }

    /// Binds the region values a reverse statement reads to their entries at the cursors.
    fn bind_reads(&self, vars: &[VarId]) -> TokenStream {
        let mut out = TokenStream::new();
        let mut seen = HashSet::new();
        for v in vars {
            if !seen.insert(*v) || !self.plan.region.contains(v) || !self.plan.stacked.contains_key(v) {
                continue;
            }
            let i = self.ident(*v);
            let st = self.derived(*v, "stack");
            let cur = self.derived(*v, "cur");
            if self.varied(*v) {
                out.extend(quote!(let #i = &#st[#cur - 1];));
            } else {
                out.extend(quote!(let #i = ::core::clone::Clone::clone(&#st[#cur - 1]);));
            }
        }
        out
    }

    /// Moves a region value's cursor down (its definition is reversed).
    fn pop(&self, v: VarId) -> TokenStream {
        if !self.reads_record(v) {
            return quote!();
        }
        let cur = self.derived(v, "cur");
        let mut t = quote!(#cur -= 1;);
        if let Op::Call { .. } | Op::Method { .. } = self.node_op(v) {
            let pcur = self.derived(v, "pb_cur");
            t.extend(quote!(#pcur -= 1;));
        }
        t
    }

    /// The reverse of a list of statements.
    pub(crate) fn rev_block(&self, rs: &[R]) -> TokenStream {
        rs.iter().map(|r| self.rev_stmt(r)).collect()
    }

    fn rev_stmt(&self, r: &R) -> TokenStream {
        let rt = &self.rt;
        match r {
            R::Node { node, into } => self.rev_node(node, into),
            R::DefCell { cell, init } => {
                let bar = self.derived(*cell, "bar");
                match init {
                    Some(v) => {
                        let reads = self.bind_reads(&[*v]);
                        let like = self.rev_ref(*v);
                        let s = self.slot_mut(*v, &like);
                        scoped(
                            reads,
                            quote!(if let ::core::option::Option::Some(__ad_g) = #bar.take() { #rt::acc_owned(#s, __ad_g); }),
                            Span::call_site(),
                        )
                    }
                    None => quote!(#bar.take();),
                }
            }
            R::Update { cell, update, into } => self.rev_update(*cell, update, *into),
            R::If { id, then, els } => {
                let rec = self.for_id(*id, "if");
                let cur = self.for_id(*id, "if_cur");
                let t = self.rev_block(then);
                let e = self.rev_block(els);
                quote!({ #cur -= 1; if #rec[#cur] { #t } else { #e } })
            }
            R::Match { id, arms } => {
                let rec = self.for_id(*id, "match");
                let cur = self.for_id(*id, "match_cur");
                let arms = arms.iter().enumerate().map(|(k, a)| {
                    let b = self.rev_block(a);
                    quote!(#k => { #b })
                });
                quote!({ #cur -= 1; match #rec[#cur] { #(#arms)* _ => {} } })
            }
            R::Pop(vars) => vars.iter().map(|v| self.pop(*v)).collect(),
            R::GradSink(v) => {
                let bar = self.derived(*v, "bar");
                let reached = if self.optional_slot(*v) {
                    quote!(#bar.get_mut().is_some_and(|g| #rt::reached(g)))
                } else {
                    quote!(#rt::reached(&#bar))
                };
                let text = format!("the gradient `{}` this function returns", self.ident(*v));
                quote!(if #reached { return ::core::result::Result::Err(#rt::through_gradient(#text)); })
            }
            R::Loop { id, body, .. } if self.plan.replay.contains_key(id) => self.rev_replay(*id, body),
            R::Loop { id, body, has_exits, binds } => {
                let trips = self.for_id(*id, "trips");
                let cur = self.for_id(*id, "trips_cur");
                let mut b = self.rev_block(body);
                for v in binds {
                    b.extend(self.pop(*v));
                }
                let reach = if *has_exits {
                    let r = self.for_id(*id, "reach");
                    let rcur = self.for_id(*id, "reach_cur");
                    let local = self.for_id(*id, "reached");
                    quote!(#rcur -= 1; let #local = #r[#rcur];)
                } else {
                    quote!()
                };
                quote!({ #cur -= 1; for _ in 0..#trips[#cur] { #reach #b } })
            }
            R::Reached { k, id, body } => {
                // the statement is reversed only when the iteration got to it
                let b = self.rev_block(body);
                let local = self.for_id(*id, "reached");
                let k = k + 1;
                quote!(if #local >= #k { #b })
            }
            R::Attr { attrs, body } => {
                let b = self.rev_block(body);
                quote!(#attrs { #b })
            }
        }
    }

    fn rev_node(&self, node: &crate::ir::Node, into: &[(usize, VarId)]) -> TokenStream {
        let rt = &self.rt;
        let span = node.span;
        let out = node.out;
        let mut reads: Vec<VarId> = vec![out];
        reads.extend(node_reads(&node.op));
        reads.extend(into.iter().map(|(_, v)| *v));
        let binds = self.bind_reads(&reads);
        let g = quote!(__ad_g);
        let contribs = self.contributions(node, into, &g, span);
        let pop = self.pop(out);
        let bar = self.derived(out, "bar");
        let body = if self.optional_slot(out) {
            quote! {
                if let ::core::option::Option::Some(__ad_g) = #bar.take() {
                    if #rt::reached(&__ad_g) { #contribs }
                }
            }
        } else {
            quote! {
                if #rt::reached(&#bar) {
                    let __ad_g = &#bar;
                    #contribs
                }
            }
        };
        let block = scoped(binds, body, span);
        quote_spanned!(span=> #block #pop)
    }

    /// The contributions of a node into its active operands; `g` is the output's gradient (a
    /// reference).
    fn contributions(
        &self,
        node: &crate::ir::Node,
        into: &[(usize, VarId)],
        g: &TokenStream,
        span: Span,
    ) -> TokenStream {
        let rt = &self.rt;
        let out = self.rev_ref(node.out);
        let mut t = TokenStream::new();
        let g_ref = if self.optional_slot(node.out) { quote!(&#g) } else { g.clone() };
        match &node.op {
            Op::Prim { rule, args, extras } => {
                let Adjoint::K(kernels) = rule.adjoint else { return t };
                let call_args = self.prim_args(rule.args, args, extras, span, true);
                for (pos, v) in into {
                    let k = syn::Ident::new(kernels[*pos], span);
                    let like = self.rev_ref(*v);
                    let s = self.slot_mut(*v, &like);
                    t.extend(quote_spanned!(span=> #rt::#k(#s, #g_ref, #out, #(#call_args),*);));
                }
            }
            Op::Cat { dim, args } => {
                let d = &dim.tokens;
                let xs: Vec<TokenStream> = args.iter().map(|a| self.opnd_rev(a, span)).collect();
                for (pos, v) in into {
                    let like = self.rev_ref(*v);
                    let s = self.slot_mut(*v, &like);
                    t.extend(quote_spanned!(span=> #rt::cat_adj(#s, #g_ref, #out, #d, &[#(#xs),*], #pos);));
                }
            }
            Op::Call { .. } | Op::Method { .. } => {
                let pb = self.derived(node.out, "pb");
                let pb_val = if self.plan.stacked.contains_key(&node.out) {
                    let st = self.derived(node.out, "pb_stack");
                    let cur = self.derived(node.out, "pb_cur");
                    quote!(&#st[#cur - 1])
                } else {
                    quote!(&#pb)
                };
                let mut accs = TokenStream::new();
                for (pos, v) in into {
                    let like = self.rev_ref(*v);
                    let s = self.slot_mut(*v, &like);
                    accs.extend(quote_spanned!(span=> #rt::acc_arg::<#pos, _, _>(&mut __ad_grads, #s);));
                }
                let pull = self.try_(quote_spanned!(span=> #rt::pull(#pb_val, #g_ref)), span);
                t.extend(quote_spanned! {span=>

                    let mut __ad_grads = #pull;
                    #accs
                });
            }
            Op::Field { member, .. } => {
                for (_, v) in into {
                    let like = self.rev_ref(*v);
                    let s = self.slot_mut(*v, &like);
                    t.extend(quote_spanned!(span=> #rt::acc(&mut (#s).#member, #g_ref);));
                }
            }
            Op::Index { index, base, .. } => {
                let i = &index.tokens;
                let b = self.opnd_rev(&Operand::Var(*base), span);
                for (_, v) in into {
                    let like = self.rev_ref(*v);
                    let s = self.slot_mut(*v, &like);
                    t.extend(quote_spanned!(span=> #rt::index_adj(#s, #g_ref, #out, #b, #i);));
                }
            }
            Op::Unwrap { .. } => {
                for (_, v) in into {
                    let like = self.rev_ref(*v);
                    let s = self.slot_mut(*v, &like);
                    t.extend(quote_spanned!(span=> #rt::unwrap_adj(#s, #g_ref);));
                }
            }
            Op::Copy(_) | Op::Dbg(..) => {
                for (_, v) in into {
                    let like = if self.body.vars[*v].kind == VarKind::Cell { out.clone() } else { self.rev_ref(*v) };
                    let s = self.slot_mut(*v, &like);
                    t.extend(quote_spanned!(span=> #rt::acc_like(#s, #g_ref);));
                }
            }
            Op::Tuple(_) | Op::Struct { .. } => {
                let members: Vec<TokenStream> = match &node.op {
                    Op::Tuple(_) => (0..node.op.flow().len().max(into.iter().map(|x| x.0 + 1).max().unwrap_or(0)))
                        .map(|k| {
                            let idx = syn::Index::from(k);
                            quote!(#idx)
                        })
                        .collect(),
                    Op::Struct { fields, .. } => fields.iter().map(|(m, _)| quote!(#m)).collect(),
                    _ => vec![],
                };
                for (pos, v) in into {
                    let m = &members[*pos];
                    let like = self.rev_ref(*v);
                    let s = self.slot_mut(*v, &like);
                    t.extend(quote_spanned!(span=> #rt::acc(#s, &(#g_ref).#m);));
                }
            }
            Op::Array(_) | Op::VecLit(_) => {
                for (pos, v) in into {
                    let like = self.rev_ref(*v);
                    let s = self.slot_mut(*v, &like);
                    t.extend(quote_spanned!(span=> #rt::acc_elem(#s, #g_ref, #pos);));
                }
            }
            Op::Wrap { kind, .. } => {
                for (_, v) in into {
                    let like = self.rev_ref(*v);
                    let s = self.slot_mut(*v, &like);
                    t.extend(match kind {
                        WrapKind::Box => quote_spanned!(span=> #rt::acc(#s, &**#g_ref);),
                        WrapKind::Some | WrapKind::Ok => quote_spanned!(span=> #rt::unwrap_adj_rev(#s, #g_ref);),
                    });
                }
            }
            Op::Query { .. } | Op::Plain { .. } => {}
        }
        t
    }

    fn rev_update(&self, cell: VarId, u: &Update, into: Option<VarId>) -> TokenStream {
        let rt = &self.rt;
        let bar = self.derived(cell, "bar");
        let target = |v: VarId| {
            let like = self.rev_ref(v);
            (self.bind_reads(&[v]), self.slot_mut(v, &like))
        };
        match u {
            Update::Set(_) => match into {
                Some(v) => {
                    let (reads, s) = target(v);
                    scoped(
                        reads,
                        quote!(if let ::core::option::Option::Some(__ad_g) = #bar.take() { #rt::acc_owned(#s, __ad_g); }),
                        Span::call_site(),
                    )
                }
                None => quote!(#bar.take();),
            },
            Update::Push(_) => match into {
                Some(v) => {
                    let (reads, s) = target(v);
                    quote!({ #reads #rt::push_adj(&mut #bar, #s); })
                }
                None => quote!(#rt::pop_adj(&mut #bar);),
            },
            Update::SetIndex { index, saved, .. } => {
                let i = &index.tokens;
                let mut reads = self.bind_reads(&[*saved]);
                reads.extend(self.bind_reads(&index.mentions));
                let sv = self.ident(*saved);
                let pop = self.pop(*saved);
                match into {
                    Some(v) => {
                        let (vr, s) = target(v);
                        quote!({ #reads #vr #rt::set_index_adj(&mut #bar, #s, ::core::clone::Clone::clone(&#sv), &#i); } #pop)
                    }
                    None => {
                        quote!({ #reads #rt::set_index_forget(&mut #bar, ::core::clone::Clone::clone(&#sv), &#i); } #pop)
                    }
                }
            }
            Update::SetField { member, .. } => match into {
                Some(v) => {
                    let (reads, s) = target(v);
                    quote!({ #reads if let ::core::option::Option::Some(__ad_c) = #bar.get_mut() { #rt::acc_owned(#s, #rt::take_field(&mut __ad_c.#member)); } })
                }
                None => {
                    quote!(if let ::core::option::Option::Some(c) = #bar.get_mut() { #rt::take_field(&mut c.#member); })
                }
            },
            Update::Clear { saved } => {
                let reads = self.bind_reads(&[*saved]);
                let sv = self.ident(*saved);
                let pop = self.pop(*saved);
                quote!({ #reads #rt::clear_adj(&mut #bar, &#sv); } #pop)
            }
        }
    }

    /// The cursor declarations of a sweep (every stack it reads, at its length).
    pub(crate) fn cursors(&self) -> TokenStream {
        let mut t = TokenStream::new();
        let mut stacked: Vec<_> = self.plan.stacked.keys().copied().collect();
        stacked.sort_unstable();
        for v in stacked.into_iter().filter(|v| self.reads_record(*v)) {
            let st = self.derived(v, "stack");
            let cur = self.derived(v, "cur");
            t.extend(quote!(let mut #cur = #st.len();));
            if let Op::Call { .. } | Op::Method { .. } = self.node_op(v) {
                let pst = self.derived(v, "pb_stack");
                let pcur = self.derived(v, "pb_cur");
                t.extend(quote!(let mut #pcur = #pst.len();));
            }
        }
        let mut branches: Vec<_> = self.plan.branches.keys().copied().collect();
        branches.sort_unstable();
        for id in branches {
            for (rec, cur) in [("if", "if_cur"), ("match", "match_cur")] {
                if self.is_kind(id, rec) {
                    let r = self.for_id(id, rec);
                    let c = self.for_id(id, cur);
                    t.extend(quote!(let mut #c = #r.len();));
                }
            }
        }
        let mut loops: Vec<_> = self.plan.loops.keys().copied().collect();
        loops.sort_unstable();
        for id in loops {
            let trips = self.for_id(id, "trips");
            let cur = self.for_id(id, "trips_cur");
            t.extend(quote!(let mut #cur = #trips.len();));
            if self.loop_has_exits(id) {
                let r = self.for_id(id, "reach");
                let c = self.for_id(id, "reach_cur");
                t.extend(quote!(let mut #c = #r.len();));
            }
        }
        t
    }

    /// The slot declarations of a sweep: plain slots for top-level values, optional ones otherwise.
    pub(crate) fn slots(&self, sweep: &Sweep, except: &[VarId]) -> TokenStream {
        let rt = &self.rt;
        let mut active: Vec<_> = sweep.active.iter().copied().filter(|v| !except.contains(v)).collect();
        active.sort_unstable();
        let bindings = active
            .into_iter()
            .map(|v| {
                let bar = self.derived(v, "bar");
                if self.optional_slot(v) {
                    (quote!(mut #bar), quote!(#rt::Slot::new()))
                } else {
                    let i = self.ident(v);
                    (quote!(mut #bar), quote!(#rt::slot(&#i)))
                }
            })
            .collect();
        super::ctx::lets(bindings)
    }

    /// `let gradient = ..;`: a `dlgradient` site's checks, sweep and result.
    pub(crate) fn gradient(&self, g: &Grad) -> TokenStream {
        let span = g.span;
        let rt = &self.rt_at(span);
        let out = self.ident(g.out);
        let site = self.site_index(g);
        let Some(sweep) = self.sites.get(site) else {
            return quote!();
        };
        let y = self.ident(g.y);
        let y_text = &g.y_text;
        let mut checks = quote_spanned!(span=> #rt::check_value(#rt::val(&#y), #y_text));
        for t in &g.targets {
            let x = self.ident(t.var);
            let text = &t.text;
            checks = quote_spanned!(span=> #checks.and_then(|()| #rt::check_target(&#x, #text)));
        }
        let cursors = self.cursors();
        let slots = self.slots(sweep, &[g.y]);
        let ybar = self.derived(g.y, "bar");
        let seed = if self.optional_slot(g.y) {
            quote!(let mut #ybar = #rt::Slot::seeded(#rt::seed(#rt::val(&#y)));)
        } else {
            quote!(let mut #ybar = #rt::seed(#rt::val(&#y));)
        };
        // `dlgradient(..)?` in a `Result` function: the sweep is a block of the function; otherwise a
        // closure returning the `Result`, whose `?` are its own
        let block_form = matches!(g.post, crate::ir::Post::Try) && self.is_result;
        let label = if block_form { self.fail.get() } else { None };
        let rev = self.with_fail(label, || self.with_loops(|| self.rev_block(&sweep.body)));
        let traced = g.higher;
        let results: Vec<TokenStream> = g
            .targets
            .iter()
            .map(|t| {
                let x = self.ident(t.var);
                let bar = self.derived(t.var, "bar");
                if !sweep.active.contains(&t.var) {
                    quote!(#rt::finish(&#x, #rt::slot(&#x), #traced))
                } else if self.optional_slot(t.var) {
                    quote!(#rt::finish(&#x, #bar.take().unwrap_or_else(|| #rt::slot(&#x)), #traced))
                } else {
                    quote!(#rt::finish(&#x, #bar, #traced))
                }
            })
            .collect();
        let result = if g.tuple { quote!((#(#results,)*)) } else { quote!(#(#results)*) };
        let post = match &g.post {
            crate::ir::Post::None => quote!(),
            crate::ir::Post::Try => quote_spanned!(span=> ?),
            crate::ir::Post::Unwrap => quote_spanned!(span=> .unwrap()),
            crate::ir::Post::Expect(m) => quote_spanned!(span=> .expect(#m)),
        };
        if block_form {
            // a block, not a closure: a closure would cost its captures' analysis, which grows with
            // the length of the body
            let check = self.try_(quote_spanned!(span=> #rt::check_value(#rt::val(&#y), #y_text)), span);
            let mut each = quote_spanned!(span=> #check;);
            for t in &g.targets {
                let x = self.ident(t.var);
                let text = &t.text;
                let check = self.try_(quote_spanned!(span=> #rt::check_target(&#x, #text)), span);
                each.extend(quote_spanned!(span=> #check;));
            }
            return quote_spanned! {span=>

                let #out = {
                    #each
                    #cursors
                    #slots
                    #seed
                    #rev
                    #result
                };
            };
        }
        quote_spanned! {span=>

            let #out = match #checks {
                ::core::result::Result::Ok(()) => (|| -> #rt::Result<_> {
                    #cursors
                    #slots
                    #seed
                    #rev
                    ::core::result::Result::Ok(#result)
                })(),
                ::core::result::Result::Err(__ad_error) => ::core::result::Result::Err(__ad_error),
            }#post;
        }
    }

    /// Which site a `Grad` statement is.
    fn site_index(&self, g: &Grad) -> usize {
        self.sites
            .iter()
            .position(|s| matches!(s.seed, Seed::Value { y, .. } if y == g.y && self.site_out(s) == Some(g.out)))
            .unwrap_or(0)
    }

    fn site_out(&self, s: &Sweep) -> Option<VarId> {
        let Seed::Value { site, .. } = s.seed else { return None };
        let mut k = 0;
        let mut found = None;
        self.body.block.walk(&mut |st| {
            if let crate::ir::Stmt::Grad(g) = st {
                if k == site {
                    found = Some(g.out);
                }
                k += 1;
            }
        });
        found
    }

    /// Whether branch `id` is an `if` (`what == "if"`) or a `match`.
    pub(crate) fn is_kind(&self, id: usize, what: &str) -> bool {
        let mut kind = "";
        self.body.block.walk(&mut |s| match s {
            crate::ir::Stmt::If { id: i, .. } if *i == id => kind = "if",
            crate::ir::Stmt::Match { id: i, .. } if *i == id => kind = "match",
            _ => {}
        });
        kind == what
    }

    /// Whether loop `id` has `break`/`continue`.
    pub(crate) fn loop_has_exits(&self, id: usize) -> bool {
        let mut e = false;
        self.body.block.walk(&mut |s| {
            if let crate::ir::Stmt::Loop(l) = s
                && l.id == id
            {
                e = l.has_exits;
            }
        });
        e
    }

    /// The reverse of a replayed loop: its range backwards, each iteration's values computed again
    /// (partial sums of the accumulators stood in for), then the iteration's adjoint.
    fn rev_replay(&self, id: usize, body: &[R]) -> TokenStream {
        let rt = &self.rt;
        let Some(replay) = self.plan.replay.get(&id) else { return quote!() };
        let mut lp = None;
        self.body.block.walk(&mut |s| {
            if let crate::ir::Stmt::Loop(l) = s
                && l.id == id
            {
                lp = Some(l.clone());
            }
        });
        let Some(lp) = lp else { return quote!() };
        let trips = self.for_id(id, "trips");
        let cur = self.for_id(id, "trips_cur");
        let bind = match &lp.kind {
            crate::ir::LoopKind::For { pat, iter, .. } => {
                let start = match syn::parse2::<syn::Expr>(iter.clone()) {
                    Ok(syn::Expr::Range(r)) => r.start.map(|s| quote!(#s)).unwrap_or(quote!(0)),
                    _ => quote!(0),
                };
                quote!(let #pat = (#start) + __ad_step;)
            }
            crate::ir::LoopKind::Elements { counter, .. } => {
                let c = self.ident(*counter);
                quote!(let #c = __ad_step;)
            }
            crate::ir::LoopKind::Loop => quote!(),
        };
        let mut again = TokenStream::new();
        for s in &lp.body.stmts {
            match s {
                crate::ir::Stmt::Let(n) => {
                    let out = self.ident(n.out);
                    match replay.chain.get(&n.out) {
                        Some(None) => {
                            // the accumulator before this iteration
                            let cell = replay.cells.iter().find(|(_, sn)| *sn == n.out).map(|(c, _)| *c);
                            if let Some(c) = cell {
                                let sizes = self.derived_in(c, id, "sizes");
                                let ci = self.ident(c);
                                again.extend(quote!(let #out = #rt::acc_at(&#sizes, __ad_step, &#ci);));
                            }
                        }
                        Some(Some(pos)) => {
                            if let Op::Prim { args, .. } = &n.op {
                                let acc = args[*pos].var().map(|v| self.ident(v));
                                let other = self.opnd(&args[1 - *pos], n.span);
                                again.extend(quote!(let #out = #rt::widen(#acc, #other);));
                            }
                        }
                        None => again.extend(self.node_again(n)),
                    }
                    if self.varied(n.out) {
                        again.extend(quote!(let #out = &#out;));
                    }
                }
                crate::ir::Stmt::Opaque(ts, _) => again.extend(ts.clone()),
                _ => {}
            }
        }
        let b = self.rev_block(body);
        quote!({ #cur -= 1; for __ad_step in (0..#trips[#cur]).rev() { #bind #again #b } })
    }

    /// Runs a printer with the loop nesting tracked (for `Reached` guards).
    pub(crate) fn with_loops<T>(&self, f: impl FnOnce() -> T) -> T {
        f()
    }
}

/// `{ binds body }`: a block when there are reads to bind (their names are scoped to it), else the
/// body alone (a block holding only an `if` would trip `unused_braces` in the user's crate).
fn scoped(binds: TokenStream, body: TokenStream, span: Span) -> TokenStream {
    if binds.is_empty() { body } else { quote_spanned!(span=> { #binds #body }) }
}

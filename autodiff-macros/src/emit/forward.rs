//! The forward code: each IR statement as Rust, with the records the plan asks for.
//!
//! Operations are calls into the runtime that the compiler resolves by type (`__ad::times(a, b)?` is
//! the dlarray kernel for dlarrays and `*` for numbers). Values are borrowed or cloned, never moved,
//! so the reverse sweeps can read them.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use super::ctx::Ctx;
use crate::ir::{Block, Cond, Extra, LoopKind, Node, Op, Operand, Post, Stmt, Update, WrapKind};
use crate::rules::A;

/// Where the statement being printed is, for `break`/`continue` records.
#[derive(Clone, Copy)]
pub(crate) struct Pos {
    /// The innermost loop with recorded exits and the index of its body's top-level statement.
    pub(crate) exit: Option<(usize, usize)>,
}

impl Ctx<'_> {
    /// A block of forward code.
    pub(crate) fn fwd_block(&self, b: &Block, pos: Pos) -> TokenStream {
        let mut out = TokenStream::new();
        for s in &b.stmts {
            out.extend(self.fwd_stmt(s, pos));
        }
        out
    }

    fn fwd_stmt(&self, s: &Stmt, pos: Pos) -> TokenStream {
        match s {
            Stmt::Let(n) if Some(n.out) == self.skip => quote!(),
            Stmt::Let(n) => {
                let mut t = self.node(n);
                let mut pre = self.predeclare.borrow_mut();
                if pre.0.contains(&n.out)
                    && let Some(a) = super::ctx::as_assignment(&t, &self.ident(n.out))
                {
                    t = a;
                    pre.1.push(n.out);
                }
                drop(pre);
                t.extend(self.record_var(n.out));
                t
            }
            Stmt::Opaque(ts, vars) => {
                let mut t = ts.clone();
                for v in vars {
                    t.extend(self.record_var(*v));
                }
                t
            }
            Stmt::DefCell { cell, init, ty, span } => {
                let c = self.ident(*cell);
                let ty = ty.as_ref().map(|t| quote!(: #t));
                match init {
                    Some(a) => {
                        let v = self.value_owned(a, *span);
                        quote_spanned!(*span=> let mut #c #ty = #v;)
                    }
                    None => quote_spanned!(*span=> let mut #c #ty;),
                }
            }
            Stmt::Update { cell, update, span } => self.update(*cell, update, *span),
            Stmt::If { id, cond, then, els } => {
                let c = self.cond(cond);
                let (rt_, rf) = match self.plan.branches.get(id) {
                    Some(need) => {
                        let rec = self.for_id(*id, "if");
                        (self.keep(*need, quote!(#rec.push(true);)), self.keep(*need, quote!(#rec.push(false);)))
                    }
                    None => (quote!(), quote!()),
                };
                let t = self.fwd_block(then, pos);
                let e = self.fwd_block(els, pos);
                if els.stmts.is_empty() && rf.is_empty() {
                    quote!(if #c { #rt_ #t })
                } else {
                    quote!(if #c { #rt_ #t } else { #rf #e })
                }
            }
            Stmt::Match { id, scrutinee, arms } => {
                let scrut = match scrutinee {
                    Cond::Var(v) if self.varied(*v) => {
                        let i = self.ident(*v);
                        quote!(&#i)
                    }
                    other => self.cond(other),
                };
                let rec = self.plan.branches.get(id).map(|need| (self.for_id(*id, "match"), *need));
                let arms = arms.iter().enumerate().map(|(k, a)| {
                    let pat = &a.pat;
                    let guard = a.guard.as_ref().map(|g| quote!(if #g));
                    let record = match &rec {
                        Some((r, need)) => self.keep(*need, quote!(#r.push(#k);)),
                        None => quote!(),
                    };
                    let mut binds = TokenStream::new();
                    for v in &a.binds {
                        binds.extend(self.record_var(*v));
                    }
                    let body = self.fwd_block(&a.body, pos);
                    quote!(#pat #guard => { #record #binds #body })
                });
                quote!(match #scrut { #(#arms)* })
            }
            Stmt::Loop(l) => self.fwd_loop(l),
            Stmt::Exit { is_break, loop_id } => {
                let mut t = TokenStream::new();
                if let (Some((lid, k)), Some(need)) = (pos.exit, self.plan.loops.get(loop_id))
                    && lid == *loop_id
                {
                    let reach = self.for_id(*loop_id, "reach");
                    let k = k + 1;
                    t.extend(self.keep(*need, quote!(#reach.push(#k);)));
                }
                t.extend(if *is_break { quote!(break;) } else { quote!(continue;) });
                t
            }
            Stmt::Grad(g) => self.gradient(g),
            Stmt::Attr { attrs, body } => {
                let mut out = TokenStream::new();
                for s in &body.stmts {
                    let t = self.fwd_stmt(s, pos);
                    out.extend(attach(attrs, t));
                }
                out
            }
        }
    }

    /// A condition or a scrutinee.
    pub(crate) fn cond(&self, c: &Cond) -> TokenStream {
        match c {
            Cond::Var(v) => {
                let i = self.ident(*v);
                quote!(#i)
            }
            Cond::Tokens(t) => t.clone(),
        }
    }

    /// A value to store (a cell's new value, a constructor's element): a clone, so the var stays.
    pub(crate) fn value(&self, a: &Operand, span: Span) -> TokenStream {
        match a {
            Operand::Var(v) => {
                let i = self.ident(*v);
                quote_spanned!(span=> ::core::clone::Clone::clone(&#i))
            }
            Operand::Const(ts) => ts.clone(),
        }
    }

    /// A value a cell takes: owned (a reference into a projection is cloned out of it).
    pub(crate) fn value_owned(&self, a: &Operand, span: Span) -> TokenStream {
        match a {
            Operand::Var(v) if self.body.vars[*v].is_ref => {
                let i = self.ident(*v);
                quote_spanned!(span=> __ad::own(::core::clone::Clone::clone(&#i)))
            }
            other => self.value(other, span),
        }
    }

    /// A node's forward code again (in a replayed loop's reverse sweep).
    pub(crate) fn node_again(&self, n: &Node) -> TokenStream {
        self.node(n)
    }

    /// `let out = <op>;`
    fn node(&self, n: &Node) -> TokenStream {
        let span = n.span;
        let rt = &self.rt_at(span);
        let out = self.ident(n.out);
        match &n.op {
            Op::Prim { rule, args, extras } => {
                let f = syn::Ident::new(rule.func, span);
                let call_args = self.prim_args(rule.args, args, extras, span, false);
                let call = quote_spanned!(span=> #rt::#f(#(#call_args),*));
                let call = if rule.fallible { self.fallible(call, span) } else { call };
                quote_spanned!(span=> let #out = #call;)
            }
            Op::Cat { dim, args } => {
                let d = &dim.tokens;
                let xs = args.iter().map(|a| self.opnd(a, span));
                let call = self.fallible(quote_spanned!(span=> #rt::cat(#d, &[#(#xs),*])), span);
                quote_spanned!(span=> let #out = #call;)
            }
            Op::Call { path, args, post, vjp } => {
                let pb = self.derived(n.out, "pb");
                let args = args.iter().map(|a| {
                    let w = self.call_arg(a);
                    quote_spanned!(span=> #rt::arg(#w))
                });
                let mode = self.mode_for(n.out);
                let mut path = path.clone();
                let turbofish = path
                    .path
                    .segments
                    .last_mut()
                    .map(|s| std::mem::replace(&mut s.arguments, syn::PathArguments::None));
                // `Type::f(..)` or `Self::f(..)`: an associated function, whose companion is the
                // associated `__adf_f`; `module::f(..)`: a free function's `f::__ad`
                let segs = &path.path.segments;
                let assoc = segs.len() >= 2
                    && segs.iter().nth_back(1).is_some_and(|s| {
                        s.ident == "Self" || s.ident.to_string().starts_with(|c: char| c.is_ascii_uppercase())
                    });
                let companion = if *vjp {
                    // a higher-order sweep's vector-Jacobian product (the callee says, at compile
                    // time, whether it has one)
                    let marker =
                        if self.transitive { quote_spanned!(span=> Transitive) } else { quote_spanned!(span=> Higher) };
                    quote_spanned!(span=> #path::__ad_vjp #turbofish(#mode, #rt::#marker, #(#args),*))
                } else if assoc {
                    let mut ty = path.clone();
                    let last = ty.path.segments.pop().map(|p| p.ident);
                    let adf = last.map(|l| crate::paths::derived("__adf_", &l, l.span()));
                    quote_spanned!(span=> #ty #adf #turbofish(#mode, #(#args),*))
                } else {
                    quote_spanned!(span=> #path::__ad #turbofish(#mode, #(#args),*))
                };
                let call = self.post(companion, post, span);
                quote_spanned!(span=> let (#out, #pb) = #call;)
            }
            Op::Method { recv, name, turbofish, args, post } => {
                let pb = self.derived(n.out, "pb");
                let companion_name = crate::paths::derived("__ad_", name, name.span());
                let r = match recv {
                    Operand::Var(v) => {
                        let i = self.ident(*v);
                        quote_spanned!(span=> #i)
                    }
                    Operand::Const(ts) => quote_spanned!(span=> (#ts)),
                };
                let owned = args.iter().map(|a| {
                    let w = self.call_arg(a);
                    quote_spanned!(span=> #rt::arg(#w),)
                });
                let written = args.iter().map(|a| &a.written);
                // the plain call, run only when the receiver has no companion: on a copy of an owned
                // receiver (a method taking `self` would move it, and the sweeps still read it)
                let plain_recv = match recv {
                    Operand::Var(v) if !self.body.vars[*v].is_ref => {
                        quote_spanned!(span=> ::core::clone::Clone::clone(&#r))
                    }
                    _ => r.clone(),
                };
                let mode = self.mode_for(n.out);
                let fallback = crate::paths::derived("__ad_fallback_", name, name.span());
                let call = quote_spanned! {span=>
                    {
                        #[allow(non_camel_case_types)]
                        trait #fallback {
                            #[inline(always)]
                            fn #companion_name<__AdM2, __AdA>(&self, _: __AdM2, _: __AdA) -> #rt::PlainCall {
                                #rt::PlainCall
                            }
                        }
                        impl<__AdT: ?::core::marker::Sized> #fallback for &__AdT {}
                        use #rt::{PeelPointer as _, PeelSelf as _};
                        let __ad_recv = (&#rt::Peel((&#rt::Peel((&#rt::Peel(&#r)).peel())).peel())).peel();
                        #rt::resolve(__ad_recv.#companion_name(#rt::dyn_mode(#mode), (#(#owned)*)), || #plain_recv.#name #turbofish(#(#written),*))
                    }
                };
                let call = self.post(call, post, span);
                quote_spanned!(span=> let (#out, #pb) = #call;)
            }
            Op::Query { tokens } | Op::Plain { tokens } if self.mentions_varied(tokens) => {
                // bound first, then checked: an error points at the user's expression
                let checked = crate::paths::ident(&out.to_string(), span);
                quote_spanned!(span=> let #out = #tokens; let #out = #rt::plain(#checked);)
            }
            // plain code reading no value that may be traced (a closure's detached copies)
            Op::Query { tokens } | Op::Plain { tokens } => quote_spanned!(span=> let #out = #tokens;),
            Op::Field { base, member } => {
                let b = self.ident(*base);
                quote_spanned!(span=> let #out = &#b.#member;)
            }
            Op::Index { base, index, owned } => {
                let b = self.opnd(&Operand::Var(*base), span);
                let i = &index.tokens;
                let call = self.fallible(quote_spanned!(span=> #rt::index(#b, #i)), span);
                if *owned {
                    quote_spanned!(span=> let #out = #rt::own(#call);)
                } else {
                    quote_spanned!(span=> let #out = #call;)
                }
            }
            Op::Unwrap { base, post, by_ref } => {
                let b = self.ident(*base);
                let e = match post {
                    Post::Try => self.fallible_try(quote_spanned!(span=> #rt::unwrap_ref(&#b)), span),
                    Post::Unwrap | Post::None => quote_spanned!(span=> #rt::unwrap_ref(&#b).unwrap()),
                    Post::Expect(m) => quote_spanned!(span=> #rt::unwrap_ref(&#b).expect(#m)),
                };
                if *by_ref {
                    quote_spanned!(span=> let #out = #e;)
                } else {
                    quote_spanned!(span=> let #out = #rt::copy(#e);)
                }
            }
            Op::Copy(a) => {
                let v = self.opnd(a, span);
                quote_spanned!(span=> let #out = #rt::copy(#v);)
            }
            // tuples, arrays and `Vec`s made here own their elements (`[a, b]` of two `&DlArray`
            // parameters is a `[DlArray; 2]`): the reverse sweeps may read them after the borrows end
            Op::Tuple(args) => {
                let vs = args.iter().map(|a| self.value_owned(a, span));
                quote_spanned!(span=> let #out = (#(#vs,)*);)
            }
            Op::Array(args) => {
                let vs = args.iter().map(|a| self.value_owned(a, span));
                quote_spanned!(span=> let #out = [#(#vs),*];)
            }
            Op::VecLit(args) => {
                let vs = args.iter().map(|a| self.value_owned(a, span));
                quote_spanned!(span=> let #out = ::std::vec![#(#vs),*];)
            }
            Op::Wrap { path, arg, kind } => {
                let v = self.value(arg, span);
                let _ = kind == &WrapKind::Box;
                quote_spanned!(span=> let #out = #path(#v);)
            }
            Op::Struct { path, fields, tuple } => {
                if *tuple {
                    let vs = fields.iter().map(|(_, a)| self.value(a, span));
                    quote_spanned!(span=> let #out = #path(#(#vs),*);)
                } else {
                    let fs = fields.iter().map(|(m, a)| {
                        let v = self.value(a, span);
                        quote_spanned!(span=> #m: #v)
                    });
                    quote_spanned!(span=> let #out = #path { #(#fs),* };)
                }
            }
            Op::Dbg(a, text) => {
                let v = self.value(a, span);
                quote_spanned! {span=>
                    let #out = #v;
                    ::std::eprintln!("[{}:{}:{}] {} = {:#?}", ::core::file!(), ::core::line!(), ::core::column!(), #text, &#out);
                }
            }
        }
    }

    /// The arguments of a primitive in the rule's order (operands and extras interleaved).
    pub(crate) fn prim_args(
        &self,
        layout: &[A],
        args: &[Operand],
        extras: &[Extra],
        span: Span,
        rev: bool,
    ) -> Vec<TokenStream> {
        let (mut o, mut e) = (args.iter(), extras.iter());
        layout
            .iter()
            .filter_map(|a| match a {
                A::O => o.next().map(|x| if rev { self.opnd_rev(x, span) } else { self.opnd(x, span) }),
                A::E => e.next().map(|x| x.tokens.clone()),
            })
            .collect()
    }

    /// A companion argument: a reference to the var (converted to the parameter's owned type).
    fn call_arg(&self, a: &crate::ir::CallArg) -> TokenStream {
        match &a.value {
            Operand::Var(v) => {
                let i = self.ident(*v);
                quote!(&#i)
            }
            Operand::Const(_) => a.written.clone(),
        }
    }

    /// The mode a call's companion runs in: recording when a sweep will read its pullback.
    fn mode_for(&self, out: crate::ir::VarId) -> TokenStream {
        let rt = &self.rt;
        let internal = self.sites.iter().any(|s| s.active.contains(&out));
        if internal {
            quote!(#rt::Record)
        } else if self.companion {
            quote!(__ad_mode)
        } else {
            quote!(#rt::Primal)
        }
    }

    /// What the user wrote after a call, applied to the companion's result.
    fn post(&self, call: TokenStream, post: &Post, span: Span) -> TokenStream {
        let rt = &self.rt_at(span);
        match post {
            Post::None => quote_spanned!(span=> #rt::split(#call)),
            Post::Try => self.fallible_try(quote_spanned!(span=> #rt::post_try(#call)), span),
            Post::Unwrap => quote_spanned!(span=> #rt::post_try(#call).unwrap()),
            Post::Expect(m) => quote_spanned!(span=> #rt::post_try(#call).expect(#m)),
        }
    }

    /// The user's `?` on a value: `?` in a `Result` function (the user's own operator).
    fn fallible_try(&self, e: TokenStream, span: Span) -> TokenStream {
        self.try_(e, span)
    }

    /// Pushes a region var on its stack when the plan records it.
    pub(crate) fn record_var(&self, v: crate::ir::VarId) -> TokenStream {
        let Some(need) = self.plan.stacked.get(&v) else {
            return quote!();
        };
        let i = self.ident(v);
        let st = self.derived(v, "stack");
        let mut code = if self.body.vars[v].is_ref {
            quote!(#st.push(__ad::own(::core::clone::Clone::clone(&#i)));)
        } else {
            quote!(#st.push(::core::clone::Clone::clone(&#i));)
        };
        if let Op::Call { .. } | Op::Method { .. } = self.node_op(v) {
            let pb = self.derived(v, "pb");
            let pst = self.derived(v, "pb_stack");
            code.extend(quote!(#pst.push(#pb);));
        }
        self.keep(*need, code)
    }

    /// The op defining a var (a plain placeholder when it is not a node).
    pub(crate) fn node_op(&self, v: crate::ir::VarId) -> Op {
        let mut found = None;
        self.body.block.walk(&mut |s| {
            if let Stmt::Let(n) = s
                && n.out == v
            {
                found = Some(n.op.clone());
            }
        });
        found.unwrap_or(Op::Plain { tokens: quote!() })
    }

    fn update(&self, cell: crate::ir::VarId, u: &Update, span: Span) -> TokenStream {
        let rt = &self.rt_at(span);
        let c = self.ident(cell);
        match u {
            Update::Set(a) => {
                let v = self.value_owned(a, span);
                quote_spanned!(span=> #c = #v;)
            }
            Update::SetIndex { index, value, saved } => {
                let v = self.value_owned(value, span);
                let s = self.ident(*saved);
                let i = &index.tokens;
                let call = self.fallible(quote_spanned!(span=> #rt::set_index(&mut #c, &#i, #v)), span);
                let mut t = quote_spanned!(span=> let #s = #call;);
                t.extend(self.record_var(*saved));
                t
            }
            Update::SetField { member, value } => {
                let v = self.value_owned(value, span);
                quote_spanned!(span=> #c.#member = #v;)
            }
            Update::Push(a) => {
                let v = self.value_owned(a, span);
                quote_spanned!(span=> #c.push(#v);)
            }
            Update::Clear { saved } => {
                let s = self.ident(*saved);
                let mut t = quote_spanned!(span=> let #s = #rt::clear(&mut #c););
                t.extend(self.record_var(*saved));
                t
            }
        }
    }

    fn fwd_loop(&self, l: &crate::ir::Loop) -> TokenStream {
        let rec = self.plan.loops.get(&l.id).copied();
        let trip = self.for_id(l.id, "trip");
        let trips = self.for_id(l.id, "trips");
        let reach = self.for_id(l.id, "reach");
        let mut body = TokenStream::new();
        if let Some(need) = rec {
            body.extend(self.keep(need, quote!(#trip += 1;)));
        }
        match &l.kind {
            LoopKind::For { binds, .. } => binds.iter().for_each(|v| body.extend(self.record_var(*v))),
            LoopKind::Elements { counter, .. } => body.extend(self.record_var(*counter)),
            LoopKind::Loop => {}
        }
        let replay = self.plan.replay.get(&l.id);
        for (k, s) in l.body.stmts.iter().enumerate() {
            let pos = Pos { exit: if l.has_exits && rec.is_some() { Some((l.id, k)) } else { None } };
            body.extend(self.fwd_stmt(s, pos));
            // a replayed loop's accumulator: its size, when an iteration changes it
            if let (Some(r), Some(need), Stmt::Update { cell, .. }) = (replay, rec, s)
                && let Some((_, snap)) = r.cells.iter().find(|(c, _)| c == cell)
            {
                let sizes = self.derived_in(*cell, l.id, "sizes");
                let (c, sn) = (self.ident(*cell), self.ident(*snap));
                body.extend(self.keep(need, quote!(__ad::log_size(&mut #sizes, #trip - 1, &#sn, &#c);)));
            }
        }
        if let (Some(need), true) = (rec, l.has_exits) {
            let n = l.body.stmts.len() + 1;
            body.extend(self.keep(need, quote!(#reach.push(#n);)));
        }
        let head = match &l.kind {
            LoopKind::For { pat, iter, .. } => quote!(for #pat in #iter),
            LoopKind::Elements { counter, len } => {
                let c = self.ident(*counter);
                quote!(for #c in 0..#len)
            }
            LoopKind::Loop => quote!(loop),
        };
        let mut out = TokenStream::new();
        if rec.is_some() {
            out.extend(quote!(let mut #trip = 0usize;));
        }
        out.extend(quote!(#head { #body }));
        if let Some(need) = rec {
            out.extend(self.keep(need, quote!(#trips.push(#trip);)));
        }
        out
    }
}

/// Puts attributes in front of each statement of printed code.
pub(crate) fn attach(attrs: &TokenStream, code: TokenStream) -> TokenStream {
    if code.is_empty() {
        return code;
    }
    // the printed code of one IR statement may be several Rust statements: group them in a block
    // only when they bind nothing used later (they always do for lets), so attach to each
    let stmts = split_stmts(code);
    let mut out = TokenStream::new();
    for s in stmts {
        out.extend(quote!(#attrs #s));
    }
    out
}

/// Splits printed code into statements at top-level `;` and after top-level `{ .. }` blocks of
/// `if`/`for`/`loop`/`match`.
fn split_stmts(code: TokenStream) -> Vec<TokenStream> {
    let tts: Vec<proc_macro2::TokenTree> = code.into_iter().collect();
    let mut out = Vec::new();
    let mut cur = TokenStream::new();
    let mut block_stmt = false;
    for (k, tt) in tts.iter().enumerate() {
        let is_semi = matches!(tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ';');
        let is_brace = matches!(tt, proc_macro2::TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace);
        if cur.is_empty()
            && let proc_macro2::TokenTree::Ident(i) = tt
        {
            block_stmt = ["if", "for", "loop", "match", "while"].contains(&i.to_string().as_str());
        }
        cur.extend(std::iter::once(tt.clone()));
        // `if .. { } else { }` is one statement
        let else_next = matches!(tts.get(k + 1), Some(proc_macro2::TokenTree::Ident(i)) if i == "else");
        if is_semi || (is_brace && block_stmt && !else_next) {
            out.push(std::mem::take(&mut cur));
            block_stmt = false;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

//! Stage 5, emit: tokens for the primal function and its hidden companion.
//!
//! For `#[differentiable] fn f(x: &DlArray) -> R` the output is:
//!
//! ```text
//! fn f(x: &DlArray) -> R {               // the function itself, for plain calls and dlfeval
//!     <entry: when dlfeval called f, trace x>
//!     <forward code; each dlgradient site is its reverse sweep, straight-line code>
//! }
//! struct f {}                            // (type namespace only; hidden)
//! impl f {
//!     fn __forward(x: DlArray) -> (value, impl Fn(&value_adjoint) -> (x_adjoint,))
//!                                        // for calls from other #[differentiable] functions
//! }
//! ```
//!
//! Methods get a hidden sibling method `__differentiable_<name>`. Reverse sweeps are straight-line code
//! for straight-line code; branches replay the branch taken and loops iterate backward, reading the
//! values the forward code recorded (one typed stack per overwritten value, branch flags, trip counts),
//! or, for loops of independent iterations, computing each iteration's values again ([`crate::replay`]
//! explains the choice). There is no graph, no closure list, no tape of operations.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Ident, Type};

use crate::activity::{self, Sweep};
use crate::adjoint::{self, Contribution};
use crate::diag::Diagnostics;
use crate::ir::{Arg, Block, Body, CallArg, Callee, Grad, Node, Op, OutTree, Stmt, VarId, VarKind};
use crate::lower;
use crate::parse::{self, Sig};
use crate::paths::Paths;
use crate::rename;
use crate::replay::{self, Replay};
use crate::rules::A;

// -----------------------------------------------------------------------------------------------
// entry points

/// `#[differentiable]` on a function or method.
pub(crate) fn differentiable(args: TokenStream, item: TokenStream) -> TokenStream {
    let diag = Diagnostics::default();
    let attr = parse::attr(args, &diag);
    let mut func: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            diag.push(syn::Error::new(e.span(), "#[differentiable] applies to functions and methods\n= help: for a closure evaluated by dlfeval, write `differentiable_closure!(|x: &DlArray| ..)`"));
            return quote!(#item).into_iter().chain(diag.into_tokens()).collect();
        }
    };
    let paths = Paths::new(attr.krate);
    let sig = parse::signature(&mut func.sig, &diag);
    let body = lower::lower(&sig, &func.block, &diag, &paths);
    if diag.has_errors() {
        return fallback(diag, func);
    }
    let is_method = sig.has_receiver || func.sig.to_token_stream().to_string().contains("Self");
    let generator = Gen::new(&paths, &sig, &body);
    if is_method { generator.method(&func) } else { generator.free_fn(&func) }
}

/// After errors: the errors, and the function with its signature (so its callers still compile) and a
/// body that cannot fail to compile, so the user sees only the real errors.
fn fallback(diag: Diagnostics, mut func: syn::ItemFn) -> TokenStream {
    let errors = diag.into_tokens();
    *func.block = syn::parse_quote!({ ::core::unreachable!("#[differentiable] reported errors") });
    func.attrs.push(syn::parse_quote!(#[allow(unused, unreachable_code)]));
    quote!(#errors #func)
}

/// `differentiable_closure!(|x: &DlArray| ..)`.
pub(crate) fn closure(input: TokenStream) -> TokenStream {
    let diag = Diagnostics::default();
    let c: syn::ExprClosure = match syn::parse2(input.clone()) {
        Ok(c) => c,
        Err(e) => {
            diag.push(syn::Error::new(
                e.span(),
                "differentiable_closure! takes a closure: `differentiable_closure!(|x: &DlArray| ..)`",
            ));
            return diag.into_tokens();
        }
    };
    // a closure is lowered as the function `fn(params) -> ret { body }`
    let mut inputs = Vec::new();
    for p in &c.inputs {
        match p {
            syn::Pat::Type(pt) => inputs.push(syn::FnArg::Typed(pt.clone())),
            other => diag.error(
                other.span(),
                "every parameter of a differentiable closure needs a type",
                "write `|x: &DlArray| ..`",
            ),
        }
    }
    let output = c.output.clone();
    let mut fsig: syn::Signature = syn::parse_quote!(fn __closure(#(#inputs),*) #output);
    let sig = parse::signature(&mut fsig, &diag);
    let block: syn::Block = match &*c.body {
        syn::Expr::Block(b) => b.block.clone(),
        e => syn::parse_quote!({ #e }),
    };
    let paths = Paths::new(None);
    let body = lower::lower(&sig, &block, &diag, &paths);
    if diag.has_errors() {
        let errors = diag.into_tokens();
        let params: Vec<TokenStream> = sig
            .params
            .iter()
            .map(|p| {
                let (i, t) = (&p.ident, &p.ty);
                quote!(#i: #t)
            })
            .collect();
        let output = &c.output;
        return quote!({ #errors #[allow(unused, unreachable_code)] |#(#params),*| #output { ::core::unreachable!() } });
    }
    let generator = Gen::new(&paths, &sig, &body);
    generator.closure(&c)
}

// -----------------------------------------------------------------------------------------------
// names

/// Generated names (`x_bar`, `x_stack`, …), never colliding with the user's names or the vars.
struct Names {
    used: RefCell<HashSet<String>>,
    cache: RefCell<HashMap<String, Ident>>,
    trace: Ident,
}

impl Names {
    fn new(body: &Body) -> Names {
        let mut used: HashSet<String> = body.taken.clone();
        used.extend(body.vars.iter().map(|v| v.ident.to_string()));
        let n = Names {
            used: RefCell::new(used),
            cache: RefCell::new(HashMap::new()),
            trace: Ident::new("trace", Span::call_site()),
        };
        let trace = n.fresh("trace".to_string());
        Names { trace, ..n }
    }

    fn fresh(&self, base: String) -> Ident {
        let mut used = self.used.borrow_mut();
        let mut k = 0;
        loop {
            let cand = if k == 0 { base.clone() } else { format!("{base}{k}") };
            if used.insert(cand.clone()) {
                return Ident::new(&cand, Span::call_site());
            }
            k += 1;
        }
    }

    /// The generated name `<base>_<suffix>` for a key, the same each time.
    fn get(&self, key: String, base: &str, suffix: &str) -> Ident {
        if let Some(i) = self.cache.borrow().get(&key) {
            return i.clone();
        }
        let base = base.trim_start_matches("r#");
        let i = self.fresh(format!("{base}_{suffix}"));
        self.cache.borrow_mut().insert(key, i.clone());
        i
    }
}

// -----------------------------------------------------------------------------------------------
// the plan: what the forward code records for the reverse sweeps

/// What one emission unit (the primal, or the companion) records while running forward.
#[derive(Default)]
struct Plan {
    /// Values defined inside branches and loops that reverse sweeps read: one stack each.
    stacked: HashSet<VarId>,
    /// Cells whose successive values are recorded.
    cells: HashSet<VarId>,
    /// Cells that grow by `push` (their reverse copy shrinks by `pop`).
    vec_cells: HashSet<VarId>,
    /// Branches (`if`/`match` ids) that record the branch taken.
    flags: HashSet<usize>,
    /// Loops that record their trip counts, and those that record where each iteration stopped.
    counts: HashSet<usize>,
    reaches: HashSet<usize>,
    /// Calls whose pullbacks are recorded (calls inside branches and loops).
    pullbacks: HashSet<VarId>,
    /// Calls that go through companions (a sweep needs their pullback).
    companion_calls: HashSet<VarId>,
    /// Projections (`&p.field`, `&p[i]`) a sweep reads: computed again in it.
    projections: HashSet<VarId>,
    /// Loops whose reverse computes each iteration again (nothing stored per iteration).
    replayed: HashSet<usize>,
}

// -----------------------------------------------------------------------------------------------
// generation

struct Gen<'a> {
    paths: &'a Paths,
    sig: &'a Sig,
    body: &'a Body,
    names: Names,
    /// Var idents by name, to find the vars mentioned in token streams.
    by_name: HashMap<String, VarId>,
    /// The vars defined inside branches and loops.
    in_region: HashSet<VarId>,
    /// Which loop defines each loop var (binds), by loop id.
    /// Overrides of idents inside reverse sweeps: cells read their reverse copies, restored values
    /// are references into stacks.
    over: RefCell<HashMap<VarId, (Ident, bool)>>,
    plan: RefCell<Plan>,
    /// The top-level loops of independent iterations, and the vars they define.
    replays: HashMap<usize, Replay>,
    replay_vars: HashSet<VarId>,
    /// The replayed loop whose body is being emitted.
    replaying: Cell<Option<usize>>,
    /// Emit panicking kernels instead of `try_` ones (code that runs again inside reverse sweeps,
    /// where the forward run already succeeded).
    infallible: Cell<bool>,
}

impl<'a> Gen<'a> {
    fn new(paths: &'a Paths, sig: &'a Sig, body: &'a Body) -> Gen<'a> {
        let by_name: HashMap<String, VarId> =
            body.vars.iter().enumerate().map(|(i, v)| (v.ident.to_string(), i)).collect();
        let mut in_region = HashSet::new();
        fn collect(block: &Block, inside: bool, out: &mut HashSet<VarId>) {
            for s in &block.stmts {
                collect_stmt(s, inside, out);
            }
        }
        fn collect_stmt(s: &Stmt, inside: bool, out: &mut HashSet<VarId>) {
            match s {
                Stmt::Node(n) if inside => {
                    out.insert(n.out);
                }
                Stmt::Opaque(_, defs) if inside => out.extend(defs),
                Stmt::DefCell { cell, .. } if inside => {
                    out.insert(*cell);
                }
                Stmt::If { then, els, .. } => {
                    collect(then, true, out);
                    collect(els, true, out);
                }
                Stmt::Match { arms, .. } => arms.iter().for_each(|a| {
                    out.extend(&a.binds);
                    collect(&a.body, true, out)
                }),
                Stmt::Loop(l) => {
                    out.extend(&l.binds);
                    collect(&l.body, true, out);
                }
                _ => {}
            }
        }
        for s in &body.stmts {
            collect_stmt(s, false, &mut in_region);
        }
        let mentions = |ts: &TokenStream| {
            let mut names = HashSet::new();
            rename::mentioned(ts, &mut names);
            names.iter().filter_map(|n| by_name.get(n).copied()).collect::<HashSet<VarId>>()
        };
        let replays = replay::analyze(body, &mentions);
        let mut replay_vars = HashSet::new();
        for s in &body.stmts {
            if let Stmt::Loop(l) = s
                && replays.contains_key(&l.id)
            {
                replay_vars.extend(&l.binds);
                replay_vars.extend(direct_defs(&l.body));
            }
        }
        Gen {
            paths,
            sig,
            body,
            names: Names::new(body),
            by_name,
            in_region,
            over: RefCell::new(HashMap::new()),
            plan: RefCell::new(Plan::default()),
            replays,
            replay_vars,
            replaying: Cell::new(None),
            infallible: Cell::new(false),
        }
    }

    fn ident(&self, v: VarId) -> Ident {
        if let Some((i, _)) = self.over.borrow().get(&v) {
            return i.clone();
        }
        self.body.vars[v].ident.clone()
    }

    /// `x` for a reference var, `&x` for an owned one.
    fn borrow(&self, v: VarId) -> TokenStream {
        let (i, is_ref) = match self.over.borrow().get(&v) {
            Some((i, r)) => (i.clone(), *r),
            None => (self.body.vars[v].ident.clone(), self.body.vars[v].is_ref),
        };
        if is_ref { quote!(#i) } else { quote!(&#i) }
    }

    fn slot(&self, v: VarId) -> Ident {
        self.names.get(format!("slot{v}"), &self.body.vars[v].ident.to_string(), "bar")
    }

    fn stack(&self, key: &str, base: &str) -> Ident {
        self.names.get(format!("stack:{key}"), base, "stack")
    }

    fn cursor(&self, key: &str, base: &str) -> Ident {
        self.names.get(format!("cursor:{key}"), base, "cursor")
    }

    fn var_stack(&self, v: VarId) -> (Ident, Ident) {
        let base = self.body.vars[v].ident.to_string();
        (self.stack(&format!("v{v}"), &base), self.cursor(&format!("v{v}"), &base))
    }

    fn pullback(&self, v: VarId) -> Ident {
        self.names.get(format!("pb{v}"), &self.body.vars[v].ident.to_string(), "pullback")
    }

    /// The record of the sizes an accumulator of a replayed loop had where an iteration grew it.
    fn size_log(&self, cell: VarId) -> Ident {
        self.names.get(format!("sizes{cell}"), &self.body.vars[cell].ident.to_string(), "sizes")
    }

    /// The copy of a replayed loop's range, and its iteration counter.
    fn replay_names(&self, id: usize) -> (Ident, Ident) {
        (
            self.names.get(format!("replay{id}"), "replay", &id.to_string()),
            self.names.get(format!("step{id}"), "step", &id.to_string()),
        )
    }

    fn region_stack(&self, kind: &str, id: usize) -> (Ident, Ident) {
        let base = format!("{kind}{id}");
        (self.stack(&base, &base), self.cursor(&base, &base))
    }

    fn arg(&self, a: &Arg) -> TokenStream {
        match a {
            Arg::Var(v) => self.borrow(*v),
            Arg::Const(ts) => quote!(&#ts),
        }
    }

    fn call_arg(&self, a: &CallArg) -> TokenStream {
        let refs: Vec<TokenStream> = (0..a.refs).map(|_| quote!(&)).collect();
        match &a.arg {
            Arg::Var(v) => {
                let i = self.ident(*v);
                quote!(#(#refs)* #i)
            }
            Arg::Const(ts) => quote!(#(#refs)* #ts),
        }
    }

    /// Arguments of a companion call: each converted to the companion's by-value parameter.
    fn companion_args(&self, args: &[CallArg]) -> Vec<TokenStream> {
        let f = self.paths.helper("arg", Span::call_site());
        args.iter()
            .map(|a| {
                let a = self.call_arg(a);
                quote!(#f(#a))
            })
            .collect()
    }

    /// The arguments of a primitive in its kernel's order; extras are renamed through the overrides.
    fn prim_args(&self, layout: &[A], args: &[Arg], extras: &[TokenStream]) -> Vec<TokenStream> {
        let (mut a, mut e) = (args.iter(), extras.iter());
        layout
            .iter()
            .map(|k| match k {
                A::Operand => self.arg(a.next().expect("operand count")),
                A::Extra => self.renamed_tokens(e.next().expect("extra count")),
            })
            .collect()
    }

    /// Tokens with var idents replaced by their overrides (inside sweeps).
    fn renamed_tokens(&self, ts: &TokenStream) -> TokenStream {
        let over = self.over.borrow();
        if over.is_empty() {
            return ts.clone();
        }
        rename::tokens(ts.clone(), &|i: &Ident| {
            let v = self.by_name.get(&i.to_string())?;
            over.get(v).map(|(n, _)| Ident::new(&n.to_string(), i.span()))
        })
    }

    /// The vars mentioned in token streams (extras, constants, indices).
    fn mentioned(&self, ts: &TokenStream, out: &mut HashSet<VarId>) {
        let mut names = HashSet::new();
        rename::mentioned(ts, &mut names);
        out.extend(names.iter().filter_map(|n| self.by_name.get(n)));
    }

    fn param_var(&self, i: usize) -> VarId {
        self.body.vars.iter().position(|v| matches!(v.kind, VarKind::Param(k) if k == i)).expect("a param var")
    }

    // ---------------------------------------------------------------------------------------------
    // planning

    /// The sweeps of a unit: each `dlgradient` site (with its statement prefix), and the pullback.
    fn plan_unit(&self, pullback: Option<(&Sweep, &[VarId])>) {
        let mut plan = Plan::default();
        for (i, s) in self.body.stmts.iter().enumerate() {
            if let Stmt::Grad(g) = s {
                let sweep = self.site_sweep(g, i);
                self.plan_sweep(&self.body.stmts[..i], &sweep, &mut plan);
            }
        }
        if let Some((sweep, _)) = pullback {
            self.plan_sweep(&self.body.stmts, sweep, &mut plan);
        }
        *self.plan.borrow_mut() = plan;
    }

    fn site_sweep(&self, g: &Grad, index: usize) -> Sweep {
        let targets: Vec<VarId> = g.targets.iter().map(|t| t.var).collect();
        activity::analyze(&self.body.stmts[..index], &targets, &[g.y], true)
    }

    /// Adds what one sweep needs recorded.
    fn plan_sweep(&self, stmts: &[Stmt], sweep: &Sweep, plan: &mut Plan) {
        let mut needed: HashSet<VarId> = HashSet::new();
        let mut nodes = Vec::new();
        for s in stmts {
            s.nodes(&mut nodes);
        }
        for n in &nodes {
            if !sweep.active.contains(&n.out) {
                continue;
            }
            needed.insert(n.out);
            match &n.op {
                Op::Prim { args, extras, .. } => {
                    for a in args {
                        match a {
                            Arg::Var(v) => {
                                needed.insert(*v);
                            }
                            Arg::Const(ts) => self.mentioned(ts, &mut needed),
                        }
                    }
                    extras.iter().for_each(|e| self.mentioned(e, &mut needed));
                }
                Op::Cat { dim, args } => {
                    args.iter().for_each(|a| {
                        if let Arg::Var(v) = a {
                            needed.insert(*v);
                        }
                    });
                    self.mentioned(dim, &mut needed);
                }
                // adjoints that only move slots around read no values
                Op::Tuple(_) | Op::Struct { .. } | Op::SetField { .. } | Op::Field { .. } => {}
                Op::Call { .. } => {
                    plan.companion_calls.insert(n.out);
                }
                Op::Get { parent, .. } => {
                    needed.insert(*parent);
                }
                Op::Elem { parent, index } => {
                    needed.insert(*parent);
                    self.mentioned(index, &mut needed);
                }
            }
        }
        // projections are computed again in the reverse sweep: their parents and indices are needed
        loop {
            let before = needed.len();
            for n in &nodes {
                if needed.contains(&n.out) {
                    match &n.op {
                        Op::Get { parent, .. } => {
                            needed.insert(*parent);
                        }
                        Op::Elem { parent, index } => {
                            needed.insert(*parent);
                            self.mentioned(index, &mut needed);
                        }
                        _ => {}
                    }
                }
            }
            if needed.len() == before {
                break;
            }
        }
        let is_projection =
            |v: VarId| nodes.iter().any(|n| n.out == v && matches!(n.op, Op::Get { .. } | Op::Elem { .. }));
        plan.projections.extend(needed.iter().copied().filter(|&v| is_projection(v)));
        for &v in &needed {
            let var = &self.body.vars[v];
            if matches!(var.kind, VarKind::Cell) {
                plan.cells.insert(v);
            } else if self.in_region.contains(&v) && !is_projection(v) && !self.replay_vars.contains(&v) {
                plan.stacked.insert(v);
            }
        }
        for &v in &sweep.active {
            if matches!(self.body.vars[v].kind, VarKind::Cell) {
                plan.cells.insert(v);
            }
        }
        for n in &nodes {
            if sweep.active.contains(&n.out) && matches!(n.op, Op::Call { .. }) && self.in_region.contains(&n.out) {
                plan.pullbacks.insert(n.out);
            }
        }
        for s in stmts {
            self.plan_regions(s, sweep, &needed, plan);
        }
        let cells: Vec<VarId> = plan.cells.iter().copied().collect();
        for c in cells {
            if stmts.iter().any(|s| has_push(s, c)) {
                plan.vec_cells.insert(c);
            }
        }
    }

    /// Marks the branches and loops whose reverse a sweep runs. Returns whether `s` is relevant.
    fn plan_regions(&self, s: &Stmt, sweep: &Sweep, needed: &HashSet<VarId>, plan: &mut Plan) -> bool {
        let relevant_block = |g: &Self, b: &Block, plan: &mut Plan| {
            b.stmts.iter().fold(false, |acc, s| g.plan_regions(s, sweep, needed, plan) | acc)
        };
        match s {
            Stmt::Node(n) => sweep.active.contains(&n.out) || needed.contains(&n.out),
            Stmt::Assign { cell, .. } | Stmt::Push { cell, .. } | Stmt::DefCell { cell, .. } => {
                sweep.active.contains(cell) || needed.contains(cell)
            }
            Stmt::Opaque(_, defs) => defs.iter().any(|d| needed.contains(d)),
            Stmt::If { id, then, els, .. } => {
                let r = relevant_block(self, then, plan) | relevant_block(self, els, plan);
                if r {
                    plan.flags.insert(*id);
                }
                r
            }
            Stmt::Match { id, arms, .. } => {
                let r = arms.iter().fold(false, |acc, a| {
                    relevant_block(self, &a.body, plan) | a.binds.iter().any(|b| needed.contains(b)) | acc
                });
                if r {
                    plan.flags.insert(*id);
                }
                r
            }
            Stmt::Loop(l) => {
                let r = relevant_block(self, &l.body, plan) | l.binds.iter().any(|b| needed.contains(b));
                if r && self.replays.contains_key(&l.id) {
                    plan.replayed.insert(l.id);
                } else if r {
                    plan.counts.insert(l.id);
                    if l.has_exits {
                        plan.reaches.insert(l.id);
                    }
                }
                r
            }
            Stmt::Grad(_) | Stmt::Exit { .. } => false,
        }
    }

    /// `let mut s = Vec::new();` for every stack of the plan.
    fn stack_decls(&self) -> TokenStream {
        let plan = self.plan.borrow();
        let mut out = TokenStream::new();
        let mut decl = |i: Ident| out.extend(quote!(let mut #i = ::std::vec::Vec::new();));
        let mut vars: Vec<VarId> =
            plan.stacked.iter().chain(plan.cells.iter().filter(|c| !plan.vec_cells.contains(c))).copied().collect();
        vars.sort_unstable();
        for v in vars {
            decl(self.var_stack(v).0);
        }
        let mut pbs: Vec<VarId> = plan.pullbacks.iter().copied().collect();
        pbs.sort_unstable();
        for v in pbs {
            decl(self.stack(&format!("pb{v}"), &format!("{}_pullback", self.body.vars[v].ident)));
        }
        let mut replayed: Vec<usize> = plan.replayed.iter().copied().collect();
        replayed.sort_unstable();
        for id in replayed {
            for &c in &self.replays[&id].cells {
                decl(self.size_log(c));
            }
        }
        for (kind, set) in [("taken", &plan.flags), ("count", &plan.counts), ("reach", &plan.reaches)] {
            let mut ids: Vec<usize> = set.iter().copied().collect();
            ids.sort_unstable();
            for id in ids {
                decl(self.region_stack(kind, id).0);
            }
        }
        out
    }

    // ---------------------------------------------------------------------------------------------
    // forward code

    fn fwd_block(&self, stmts: &[Stmt], top: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for (i, s) in stmts.iter().enumerate() {
            out.extend(self.fwd_stmt(s, i, top));
        }
        out
    }

    fn clone_of(&self, a: &Arg) -> TokenStream {
        match a {
            Arg::Var(v) => {
                let b = self.borrow(*v);
                quote!(::core::clone::Clone::clone(#b))
            }
            Arg::Const(ts) => ts.clone(),
        }
    }

    fn fwd_stmt(&self, s: &Stmt, index: usize, top: bool) -> TokenStream {
        let plan = self.plan.borrow();
        let again = self.paths.helper("again", Span::call_site());
        match s {
            Stmt::Node(n) => {
                let companion = plan.companion_calls.contains(&n.out);
                let mut ts = self.node(n, companion);
                if plan.stacked.contains(&n.out) {
                    let (st, _) = self.var_stack(n.out);
                    let i = self.ident(n.out);
                    ts.extend(quote!(#st.push(::core::clone::Clone::clone(&#i));));
                }
                if companion && plan.pullbacks.contains(&n.out) {
                    let st = self.stack(&format!("pb{}", n.out), &format!("{}_pullback", self.body.vars[n.out].ident));
                    let pb = self.pullback(n.out);
                    ts.extend(quote!(#st.push(#pb);));
                }
                ts
            }
            Stmt::Opaque(ts, defs) => {
                let mut out = ts.clone();
                for d in defs {
                    let i = self.ident(*d);
                    if plan.stacked.contains(d) || (plan.cells.contains(d) && !plan.vec_cells.contains(d)) {
                        let (st, _) = self.var_stack(*d);
                        out.extend(quote!(#st.push(#again(&#i));));
                    }
                }
                out
            }
            Stmt::Grad(g) if top => self.grad_site(g, index),
            Stmt::Grad(_) => quote!(),
            Stmt::DefCell { cell, init } => {
                let c = self.ident(*cell);
                let ty = self.body.vars[*cell].ty.as_ref().map(|t| quote!(: #t));
                let mut out = match init {
                    Some(a) => {
                        let v = self.clone_of(a);
                        quote!(let mut #c #ty = #v;)
                    }
                    None => quote!(let mut #c #ty;),
                };
                if init.is_some() && plan.cells.contains(cell) && !plan.vec_cells.contains(cell) {
                    let (st, _) = self.var_stack(*cell);
                    out.extend(quote!(#st.push(::core::clone::Clone::clone(&#c));));
                }
                out
            }
            Stmt::Assign { cell, value } if self.replaying.get().is_some() => {
                // an accumulator of a replayed loop: no value recorded, only a size that changed
                let id = self.replaying.get().expect("inside a replayed loop");
                let (c, v, new) = (self.ident(*cell), self.clone_of(value), self.arg(value));
                let (log, (_, step)) = (self.size_log(*cell), self.replay_names(id));
                let p = self.paths.private();
                quote!(#p::log_size(&mut #log, #step, &#c, #new); #c = #v; #step += 1;)
            }
            Stmt::Assign { cell, value } => {
                let c = self.ident(*cell);
                let v = self.clone_of(value);
                let mut out = quote!(#c = #v;);
                if plan.cells.contains(cell) && !plan.vec_cells.contains(cell) {
                    let (st, _) = self.var_stack(*cell);
                    out.extend(quote!(#st.push(::core::clone::Clone::clone(&#c));));
                }
                out
            }
            Stmt::Push { cell, value } => {
                let c = self.ident(*cell);
                let v = self.clone_of(value);
                quote!(#c.push(#v);)
            }
            Stmt::If { id, cond, then, els } => {
                let flag = self.names.get(format!("flag{id}"), "taken", &id.to_string());
                let record = plan.flags.contains(id).then(|| {
                    let (st, _) = self.region_stack("taken", *id);
                    quote!(#st.push(#flag);)
                });
                drop(plan);
                let (t, e) = (self.fwd_block(&then.stmts, false), self.fwd_block(&els.stmts, false));
                let els = if els.stmts.is_empty() { quote!() } else { quote!(else { #e }) };
                quote! {
                    let #flag: bool = #cond;
                    #record
                    if #flag { #t } #els
                }
            }
            Stmt::Match { id, scrutinee, arms } => {
                let record = plan.flags.contains(id);
                let (st, _) = self.region_stack("taken", *id);
                drop(plan);
                let arms: Vec<TokenStream> = arms
                    .iter()
                    .enumerate()
                    .map(|(k, a)| {
                        let pat = &a.pat;
                        let guard = a.guard.as_ref().map(|g| quote!(if #g));
                        let rec = record.then(|| quote!(#st.push(#k);));
                        let binds = self.bind_pushes(&a.binds);
                        let body = self.fwd_block(&a.body.stmts, false);
                        quote!(#pat #guard => { #rec #binds #body })
                    })
                    .collect();
                quote!(match #scrutinee { #(#arms)* })
            }
            Stmt::Loop(l) if plan.replayed.contains(&l.id) => {
                let (pat, iter_expr) = l.for_.as_ref().expect("replayed loops are `for` loops");
                let iter = self.names.get(format!("iter{}", l.id), "iter", &l.id.to_string());
                let (replay, step) = self.replay_names(l.id);
                // each accumulator's value at the loop's exit, for the reverse copies of cells
                let exits: Vec<TokenStream> = self.replays[&l.id]
                    .cells
                    .iter()
                    .filter(|c| plan.cells.contains(c) && !plan.vec_cells.contains(c))
                    .map(|&c| {
                        let (st, _) = self.var_stack(c);
                        let i = self.ident(c);
                        quote!(#st.push(::core::clone::Clone::clone(&#i));)
                    })
                    .collect();
                drop(plan);
                self.replaying.set(Some(l.id));
                let body = self.fwd_block(&l.body.stmts, false);
                self.replaying.set(None);
                quote! {
                    let #iter = ::core::iter::IntoIterator::into_iter(#iter_expr);
                    let #replay = ::core::clone::Clone::clone(&#iter);
                    let mut #step = 0usize;
                    for #pat in #iter { #body }
                    #(#exits)*
                }
            }
            Stmt::Loop(l) => {
                let counted = plan.counts.contains(&l.id);
                let reach = plan.reaches.contains(&l.id);
                let count = self.names.get(format!("count{}", l.id), "count", &l.id.to_string());
                let (count_stack, _) = self.region_stack("count", l.id);
                let (reach_stack, _) = self.region_stack("reach", l.id);
                let len = l.body.stmts.len();
                let bind_pushes: Vec<TokenStream> = l
                    .binds
                    .iter()
                    .filter(|b| plan.stacked.contains(b))
                    .map(|b| {
                        let (st, _) = self.var_stack(*b);
                        let i = self.ident(*b);
                        quote!(#st.push(#again(&#i));)
                    })
                    .collect();
                let (iter, trip) = (
                    self.names.get(format!("iter{}", l.id), "iter", &l.id.to_string()),
                    self.names.get(format!("trip{}", l.id), "trip", &l.id.to_string()),
                );
                let mut reserves: Vec<TokenStream> = direct_defs(&l.body)
                    .into_iter()
                    .chain(l.binds.iter().copied())
                    .filter(|v| plan.stacked.contains(v))
                    .map(|v| {
                        let (st, _) = self.var_stack(v);
                        quote!(#st.reserve(#trip);)
                    })
                    .collect();
                // a carried cell gets one entry per assignment the body makes on every iteration
                let mut assigned: Vec<(VarId, usize)> = Vec::new();
                for s in &l.body.stmts {
                    if let Stmt::Assign { cell, .. } = s
                        && plan.cells.contains(cell)
                        && !plan.vec_cells.contains(cell)
                    {
                        match assigned.iter_mut().find(|(c, _)| c == cell) {
                            Some((_, times)) => *times += 1,
                            None => assigned.push((*cell, 1)),
                        }
                    }
                }
                reserves.extend(assigned.into_iter().map(|(cell, times)| {
                    let (st, _) = self.var_stack(cell);
                    if times == 1 { quote!(#st.reserve(#trip);) } else { quote!(#st.reserve(#times * #trip);) }
                }));
                drop(plan);
                let body = self.fwd_block(&l.body.stmts, false);
                let inc = counted.then(|| quote!(#count += 1;));
                let end = reach.then(|| quote!(#reach_stack.push(#len);));
                let init = counted.then(|| quote!(let mut #count = 0usize;));
                let fin = counted.then(|| quote!(#count_stack.push(#count);));
                match &l.for_ {
                    Some((pat, iter_expr)) if !reserves.is_empty() => quote! {
                        #init
                        let #iter = ::core::iter::IntoIterator::into_iter(#iter_expr);
                        let #trip = ::core::iter::Iterator::size_hint(&#iter).0;
                        #(#reserves)*
                        for #pat in #iter { #inc #(#bind_pushes)* #body #end }
                        #fin
                    },
                    Some((pat, iter)) => quote! {
                        #init
                        for #pat in #iter { #inc #(#bind_pushes)* #body #end }
                        #fin
                    },
                    None => quote! {
                        #init
                        loop { #inc #body #end }
                        #fin
                    },
                }
            }
            Stmt::Exit { is_break, loop_id, reach } => {
                let rec = plan.reaches.contains(loop_id).then(|| {
                    let (st, _) = self.region_stack("reach", *loop_id);
                    quote!(#st.push(#reach);)
                });
                if *is_break { quote!(#rec break;) } else { quote!(#rec continue;) }
            }
        }
    }

    /// Records the plain vars a pattern bound, where a reverse sweep reads them.
    fn bind_pushes(&self, binds: &[VarId]) -> TokenStream {
        let plan = self.plan.borrow();
        let again = self.paths.helper("again", Span::call_site());
        binds
            .iter()
            .filter(|b| plan.stacked.contains(b))
            .map(|b| {
                let (st, _) = self.var_stack(*b);
                let i = self.ident(*b);
                quote!(#st.push(#again(&#i));)
            })
            .collect()
    }

    fn node(&self, n: &Node, companion: bool) -> TokenStream {
        let ident = self.ident(n.out);
        let out = match &self.body.vars[n.out].ty {
            Some(t) if !(companion && matches!(n.op, Op::Call { .. })) => quote!(#ident: #t),
            _ => quote!(#ident),
        };
        let span = n.span;
        match &n.op {
            Op::Prim { rule, args, extras } => {
                let a = self.prim_args(rule.args, args, extras);
                if self.sig.ret.is_result && rule.fallible && !self.infallible.get() {
                    let f = self.paths.op(&format!("try_{}", rule.kernel), span);
                    quote_spanned!(span=> let #out = #f(#(#a),*)?;)
                } else {
                    let f = self.paths.op(rule.kernel, span);
                    quote_spanned!(span=> let #out = #f(#(#a),*);)
                }
            }
            Op::Cat { dim, args } => {
                let a: Vec<TokenStream> = args.iter().map(|a| self.arg(a)).collect();
                let dim = self.renamed_tokens(dim);
                if self.sig.ret.is_result && !self.infallible.get() {
                    let f = self.paths.op("try_cat", span);
                    quote_spanned!(span=> let #out = #f(#dim, &[#(#a),*])?;)
                } else {
                    let f = self.paths.op("cat", span);
                    quote_spanned!(span=> let #out = #f(#dim, &[#(#a),*]);)
                }
            }
            Op::Call { callee, args, post } => {
                let a: Vec<TokenStream> = args.iter().map(|a| self.call_arg(a)).collect();
                let pb = self.pullback(n.out);
                match (callee, companion) {
                    (Callee::Path(p), false) => quote_spanned!(span=> let #out = #p(#(#a),*) #post;),
                    (Callee::Path(p), true) => {
                        let a = self.companion_args(args);
                        let mut path = p.path.clone();
                        let last = path.segments.pop().expect("a segment");
                        let (name, args) = (last.ident, last.arguments);
                        let forward = Ident::new("__forward", span);
                        let turbofish = match args {
                            syn::PathArguments::None => quote!(),
                            other => quote!(::#other),
                        };
                        let lc = &p.path.leading_colon;
                        let head = if path.segments.is_empty() { quote!(#lc #name) } else { quote!(#path #name) };
                        quote_spanned!(span=> let (#ident, #pb) = #head::#forward #turbofish (#(#a),*) #post;)
                    }
                    (Callee::Method { recv, name, turbofish }, false) => {
                        let r = self.call_arg(recv);
                        quote_spanned!(span=> let #out = #r.#name #turbofish (#(#a),*) #post;)
                    }
                    (Callee::Method { recv, name, turbofish }, true) => {
                        let a = self.companion_args(args);
                        let own = self.paths.helper("own", span);
                        let r = match &recv.arg {
                            Arg::Var(v) => {
                                let b = self.borrow(*v);
                                quote!(#own(#b))
                            }
                            Arg::Const(ts) => quote!(#own(&#ts)),
                        };
                        let m = format_ident!("__differentiable_{}", name, span = name.span());
                        let tf = turbofish.as_ref().map(|t| quote!(::#t));
                        quote_spanned!(span=> let (#ident, #pb) = #r.#m #tf (#(#a),*) #post;)
                    }
                }
            }
            Op::Tuple(args) => {
                let a: Vec<TokenStream> = args.iter().map(|a| self.clone_of(a)).collect();
                quote_spanned!(span=> let #out = (#(#a,)*);)
            }
            Op::Get { parent, member } => {
                let p = self.ident(*parent);
                quote_spanned!(span=> let #out = &#p.#member;)
            }
            Op::Elem { parent, index } => {
                let p = self.ident(*parent);
                let index = self.renamed_tokens(index);
                quote_spanned!(span=> let #out = &#p[#index];)
            }
            Op::Field { parent, member } => {
                let p = self.ident(*parent);
                quote_spanned!(span=> let #out = ::core::clone::Clone::clone(&#p.#member);)
            }
            Op::Struct { path, fields } => {
                let f: Vec<TokenStream> = fields
                    .iter()
                    .map(|(m, a)| {
                        let v = self.clone_of(a);
                        quote!(#m: #v)
                    })
                    .collect();
                quote_spanned!(span=> let #out = #path { #(#f),* };)
            }
            Op::SetField { parent, member, value } => {
                let (p, v) = (self.borrow(*parent), self.clone_of(value));
                let s = self.names.get("with_field".to_string(), "with", "field");
                quote_spanned!(span=> let #out = { let mut #s = ::core::clone::Clone::clone(#p); #s.#member = #v; #s };)
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // reverse sweeps

    /// The reverse of statements, last first; with `reach`, statement `j` runs only when the iteration
    /// got past it.
    fn rev_stmts(&self, stmts: &[Stmt], sweep: &Sweep, local: &Plan, reach: Option<&Ident>) -> TokenStream {
        let mut out = TokenStream::new();
        for (j, s) in stmts.iter().enumerate().rev() {
            let code = self.rev_stmt(s, sweep, local);
            if code.is_empty() {
                continue;
            }
            match reach {
                Some(r) => out.extend(quote!(if #r > #j { #code })),
                None => out.extend(code),
            }
        }
        out
    }

    fn rev_stmt(&self, s: &Stmt, sweep: &Sweep, local: &Plan) -> TokenStream {
        let p = self.paths.private();
        let (cells, vec_cells) = {
            let plan = self.plan.borrow();
            (plan.cells.clone(), plan.vec_cells.clone())
        };
        match s {
            Stmt::Node(n) if sweep.active.contains(&n.out) => self.node_adjoint(n, sweep),
            Stmt::Assign { cell, value } => {
                let mut out = TokenStream::new();
                if let (Some(id), Arg::Var(v)) = (self.replaying.get(), value) {
                    out.extend(self.rev_replay_assign(id, *cell, *v, sweep));
                }
                if sweep.active.contains(cell) {
                    let cs = self.slot(*cell);
                    if let Arg::Var(v) = value
                        && sweep.active.contains(v)
                    {
                        let vs = self.slot(*v);
                        out.extend(quote!(#p::acc_all(&mut #vs, &#cs);));
                    }
                    let b = self.borrow(*cell);
                    out.extend(quote!(#cs = #p::slot(#b);));
                }
                if cells.contains(cell)
                    && !vec_cells.contains(cell)
                    && local.cells.contains(cell)
                    && self.replaying.get().is_none()
                {
                    let (st, cur) = self.var_stack(*cell);
                    let rev = self.ident(*cell);
                    out.extend(quote! {
                        #cur -= 1;
                        if #cur > 0 {
                            #rev = ::core::clone::Clone::clone(&#st[#cur - 1]);
                        }
                    });
                }
                out
            }
            Stmt::Push { cell, value } => {
                let mut out = TokenStream::new();
                if sweep.active.contains(cell) {
                    let cs = self.slot(*cell);
                    let inner = match value {
                        Arg::Var(v) if sweep.active.contains(v) => {
                            let vs = self.slot(*v);
                            quote!(#p::acc_all(&mut #vs, &popped);)
                        }
                        _ => quote!(),
                    };
                    out.extend(quote!(if let ::core::option::Option::Some(popped) = #cs.pop() { #inner }));
                }
                if vec_cells.contains(cell) && local.cells.contains(cell) {
                    let rev = self.ident(*cell);
                    out.extend(quote!(#rev.pop();));
                }
                out
            }
            Stmt::DefCell { cell, init } => {
                let mut out = TokenStream::new();
                if let Some(Arg::Var(v)) = init
                    && sweep.active.contains(cell)
                    && sweep.active.contains(v)
                {
                    let (cs, vs) = (self.slot(*cell), self.slot(*v));
                    out.extend(quote!(#p::acc_all(&mut #vs, &#cs);));
                }
                if init.is_some() && cells.contains(cell) && !vec_cells.contains(cell) && local.cells.contains(cell) {
                    let (_, cur) = self.var_stack(*cell);
                    out.extend(quote!(#cur -= 1;));
                }
                out
            }
            Stmt::Opaque(_, defs) => {
                // the initial value of a cell defined here was recorded
                let mut out = TokenStream::new();
                for d in defs {
                    if cells.contains(d)
                        && !vec_cells.contains(d)
                        && local.cells.contains(d)
                        && self.in_region.contains(d)
                    {
                        let (_, cur) = self.var_stack(*d);
                        out.extend(quote!(#cur -= 1;));
                    }
                }
                out
            }
            Stmt::If { id, then, els, .. } if local.flags.contains(id) => {
                let (st, cur) = self.region_stack("taken", *id);
                let t = self.rev_region(&then.stmts, &[], sweep, local, None);
                let e = self.rev_region(&els.stmts, &[], sweep, local, None);
                quote! {
                    #cur -= 1;
                    if #st[#cur] { #t } else { #e }
                }
            }
            Stmt::Match { id, arms, .. } if local.flags.contains(id) => {
                let (st, cur) = self.region_stack("taken", *id);
                let arms: Vec<TokenStream> = arms
                    .iter()
                    .enumerate()
                    .map(|(k, a)| {
                        let r = self.rev_region(&a.body.stmts, &a.binds, sweep, local, None);
                        quote!(#k => #r)
                    })
                    .collect();
                quote! {
                    #cur -= 1;
                    match #st[#cur] { #(#arms)* _ => {} }
                }
            }
            Stmt::Loop(l) if local.replayed.contains(&l.id) => self.rev_replay(l, sweep, local),
            Stmt::Loop(l) if local.counts.contains(&l.id) => {
                let (cst, ccur) = self.region_stack("count", l.id);
                let reach = local
                    .reaches
                    .contains(&l.id)
                    .then(|| self.names.get(format!("reachvar{}", l.id), "reach", &l.id.to_string()));
                let restore_reach = reach.as_ref().map(|r| {
                    let (rst, rcur) = self.region_stack("reach", l.id);
                    quote!(#rcur -= 1; let #r: usize = #rst[#rcur];)
                });
                let body = self.rev_region(&l.body.stmts, &l.binds, sweep, local, reach.as_ref());
                quote! {
                    #ccur -= 1;
                    for _ in 0..#cst[#ccur] {
                        #restore_reach
                        #body
                    }
                }
            }
            _ => quote!(),
        }
    }

    /// The reverse of a block inside a branch or a loop: restore the values it defined (from their
    /// stacks), compute its projections again, declare the adjoints of its values, then its statements.
    fn rev_region(
        &self,
        stmts: &[Stmt],
        binds: &[VarId],
        sweep: &Sweep,
        local: &Plan,
        reach: Option<&Ident>,
    ) -> TokenStream {
        let Some(reach) = reach else { return self.rev_region_prefix(stmts, binds, sweep, local) };
        // an iteration that left early ran only a prefix of the body: one reverse per exit point
        let mut points: Vec<usize> = stmts.iter().flat_map(exit_reaches).collect();
        points.push(stmts.len());
        points.sort_unstable();
        points.dedup();
        let arms: Vec<TokenStream> = points
            .iter()
            .map(|&r| {
                let body = self.rev_region_prefix(&stmts[..r], binds, sweep, local);
                quote!(#r => #body)
            })
            .collect();
        quote!(match #reach { #(#arms)* _ => {} })
    }

    /// [`rev_region`](Self::rev_region) of a block that ran to its end.
    fn rev_region_prefix(&self, stmts: &[Stmt], binds: &[VarId], sweep: &Sweep, local: &Plan) -> TokenStream {
        let p = self.paths.private();
        let saved = self.over.borrow().clone();
        let mut out = TokenStream::new();
        let (stacked, cells, vec_cells, pullbacks) = {
            let plan = self.plan.borrow();
            (plan.stacked.clone(), plan.cells.clone(), plan.vec_cells.clone(), plan.pullbacks.clone())
        };
        let mut defs: Vec<VarId> = binds.to_vec();
        for s in stmts {
            match s {
                Stmt::Node(n) => defs.push(n.out),
                Stmt::Opaque(_, d) => defs.extend(d),
                Stmt::DefCell { cell, .. } => defs.push(*cell),
                _ => {}
            }
        }
        for &v in &defs {
            if stacked.contains(&v) && local.stacked.contains(&v) {
                let (st, cur) = self.var_stack(v);
                let i = self.body.vars[v].ident.clone();
                if matches!(self.body.vars[v].kind, VarKind::Node) {
                    // a dlarray value: read in place
                    out.extend(quote!(#cur -= 1; let #i = &#st[#cur];));
                    self.over.borrow_mut().insert(v, (i, true));
                } else {
                    // plain data (a loop counter, an index): a copy
                    out.extend(quote!(#cur -= 1; let #i = ::core::clone::Clone::clone(&#st[#cur]);));
                    self.over.borrow_mut().insert(v, (i, false));
                }
            } else if cells.contains(&v) && !vec_cells.contains(&v) && local.cells.contains(&v) {
                let (st, cur) = self.var_stack(v);
                let rev = self.names.get(format!("rev{v}"), &self.body.vars[v].ident.to_string(), "rev");
                out.extend(quote!(let mut #rev = ::core::clone::Clone::clone(&#st[#cur - 1]);));
                self.over.borrow_mut().insert(v, (rev, false));
            }
        }
        for s in stmts {
            if let Stmt::Node(n) = s {
                if matches!(n.op, Op::Call { .. }) && pullbacks.contains(&n.out) && sweep.active.contains(&n.out) {
                    let st = self.stack(&format!("pb{}", n.out), &format!("{}_pullback", self.body.vars[n.out].ident));
                    let cur =
                        self.cursor(&format!("pb{}", n.out), &format!("{}_pullback", self.body.vars[n.out].ident));
                    let pb = self.pullback(n.out);
                    out.extend(quote!(#cur -= 1; let #pb = &#st[#cur];));
                }
                if matches!(n.op, Op::Get { .. } | Op::Elem { .. }) && local.needed_projection(n.out) {
                    out.extend(self.node(n, false));
                }
            }
        }
        for &v in &defs {
            if sweep.active.contains(&v) {
                let s = self.slot(v);
                let b = self.borrow(v);
                let m = (sweep.receives.contains(&v) || matches!(self.body.vars[v].kind, VarKind::Cell))
                    .then(|| quote!(mut));
                out.extend(quote!(let #m #s = #p::slot(#b);));
            }
        }
        out.extend(self.rev_stmts(stmts, sweep, local, None));
        *self.over.borrow_mut() = saved;
        quote!({ #out })
    }

    /// The reverse of a replayed loop: the range backwards; each iteration computes its values again
    /// (the partial sums of accumulators are stand-ins of the right size), then runs its adjoint.
    fn rev_replay(&self, l: &crate::ir::Loop, sweep: &Sweep, local: &Plan) -> TokenStream {
        let p = self.paths.private();
        let r = &self.replays[&l.id];
        let (pat, _) = l.for_.as_ref().expect("replayed loops are `for` loops");
        let (replay, step) = self.replay_names(l.id);
        let step_rev = self.names.get(format!("steprev{}", l.id), &format!("step{}", l.id), "rev");
        let saved = self.over.borrow().clone();
        let (cells, vec_cells) = {
            let plan = self.plan.borrow();
            (plan.cells.clone(), plan.vec_cells.clone())
        };
        let (mut setup, mut after) = (TokenStream::new(), TokenStream::new());
        for &c in &r.cells {
            let base = self.body.vars[c].ident.to_string();
            let now = self.names.get(format!("now{c}"), &base, "now");
            let log = self.size_log(c);
            let cur = self.names.get(format!("sizescur{c}"), &base, "sizes_cursor");
            let b = self.borrow(c);
            setup.extend(quote!(let mut #now = ::core::clone::Clone::clone(#b); let mut #cur = #log.len();));
            if cells.contains(&c) && !vec_cells.contains(&c) && local.cells.contains(&c) {
                // the value before the loop becomes the reverse copy again
                let (st, cursor) = self.var_stack(c);
                let rev = self.ident(c);
                after.extend(quote! {
                    #cursor -= 1;
                    if #cursor > 0 {
                        #rev = ::core::clone::Clone::clone(&#st[#cursor - 1]);
                    }
                });
            }
            self.over.borrow_mut().insert(c, (now, false));
        }
        self.infallible.set(true);
        let mut recompute = TokenStream::new();
        for s in &l.body.stmts {
            match s {
                Stmt::Node(n) if !r.chain_nodes.contains(&n.out) => recompute.extend(self.node(n, false)),
                Stmt::Opaque(ts, _) => recompute.extend(self.renamed_tokens(ts)),
                _ => {}
            }
        }
        self.infallible.set(false);
        let mut slots = TokenStream::new();
        for v in direct_defs(&l.body) {
            if sweep.active.contains(&v) && !r.chain_nodes.contains(&v) {
                let (s, b) = (self.slot(v), self.borrow(v));
                let m = sweep.receives.contains(&v).then(|| quote!(mut));
                slots.extend(quote!(let #m #s = #p::slot(#b);));
            }
        }
        self.replaying.set(Some(l.id));
        let body = self.rev_stmts(&l.body.stmts, sweep, local, None);
        self.replaying.set(None);
        *self.over.borrow_mut() = saved;
        quote! {{
            let mut #step_rev = #step;
            #setup
            for #pat in ::core::iter::Iterator::rev(::core::clone::Clone::clone(&#replay)) {
                #recompute
                #slots
                #body
            }
            #after
        }}
    }

    /// In the reverse of a replayed loop, before the reverse of `cell = value`: the accumulator's size
    /// before the assignment (from the size record when the assignment grew it), then stand-ins for
    /// the partial sums leading to `value` and their adjoints.
    fn rev_replay_assign(&self, id: usize, cell: VarId, value: VarId, sweep: &Sweep) -> TokenStream {
        let p = self.paths.private();
        let base = self.body.vars[cell].ident.to_string();
        let (now, log) = (self.names.get(format!("now{cell}"), &base, "now"), self.size_log(cell));
        let cur = self.names.get(format!("sizescur{cell}"), &base, "sizes_cursor");
        let step_rev = self.names.get(format!("steprev{id}"), &format!("step{id}"), "rev");
        let mut out = quote! {
            #step_rev -= 1;
            if #cur > 0 && #log[#cur - 1].0 == #step_rev {
                #cur -= 1;
                #now = ::core::clone::Clone::clone(&#log[#cur].1);
            }
        };
        let chain = &self.replays[&id].chains[&value];
        for &(v, k) in chain {
            let n = self.node_of(v);
            let Op::Prim { args, .. } = &n.op else { unreachable!("partial sums are primitives") };
            let (acc, other, o) = (self.arg(&args[k]), self.arg(&args[1 - k]), self.ident(v));
            out.extend(quote!(let #o = #p::widen(#acc, #other);));
            if sweep.active.contains(&v) {
                let (s, b) = (self.slot(v), self.borrow(v));
                let m = sweep.receives.contains(&v).then(|| quote!(mut));
                out.extend(quote!(let #m #s = #p::slot(#b);));
            }
        }
        out
    }

    /// The node that defines `v`.
    fn node_of(&self, v: VarId) -> &Node {
        let mut nodes = Vec::new();
        self.body.stmts.iter().for_each(|s| s.nodes(&mut nodes));
        nodes.into_iter().find(|n| n.out == v).expect("a node defines the var")
    }

    /// The adjoint of one node: its contributions, tested for reach unless surely reached.
    fn node_adjoint(&self, n: &Node, sweep: &Sweep) -> TokenStream {
        let p = self.paths.private();
        let contributions = adjoint::contributions(n, &sweep.active);
        if contributions.is_empty() {
            return quote!();
        }
        let out_slot = self.slot(n.out);
        let out = self.borrow(n.out);
        let mut body = TokenStream::new();
        if let Op::Call { .. } = n.op {
            let pb = self.pullback(n.out);
            let g = format_ident!("{}_gradients", self.body.vars[n.out].ident.to_string().trim_start_matches("r#"));
            body.extend(quote!(let #g = #pb(&#out_slot);));
            for c in &contributions {
                if let Contribution::Pullback { position, into } = c {
                    let s = self.slot(*into);
                    let k = syn::Index::from(*position);
                    body.extend(quote!(#p::acc_all(&mut #s, &#g.#k);));
                }
            }
        }
        for c in &contributions {
            match (c, &n.op) {
                (Contribution::Kernel { kernel, into }, Op::Prim { rule, args, extras }) => {
                    let s = self.slot(*into);
                    let f = self.paths.op(kernel, Span::call_site());
                    let a = self.prim_args(rule.args, args, extras);
                    body.extend(quote!(#f(&mut #s, &#out_slot, #out, #(#a),*);));
                }
                (Contribution::Cat { index, into }, Op::Cat { dim, args }) => {
                    let s = self.slot(*into);
                    let f = self.paths.op("cat_adj", Span::call_site());
                    let a: Vec<TokenStream> = args.iter().map(|a| self.arg(a)).collect();
                    let dim = self.renamed_tokens(dim);
                    body.extend(quote!(#f(&mut #s, &#out_slot, #out, #dim, &[#(#a),*], #index);));
                }
                (Contribution::TupleElement { index, into }, _) => {
                    let s = self.slot(*into);
                    let k = syn::Index::from(*index);
                    body.extend(quote!(#p::acc_all(&mut #s, &#out_slot.#k);));
                }
                (Contribution::Projection { into }, Op::Get { member, .. }) => {
                    let s = self.slot(*into);
                    body.extend(quote!(#p::acc_all(&mut #s.#member, &#out_slot);));
                }
                (Contribution::Projection { into }, Op::Field { member, .. }) => {
                    let s = self.slot(*into);
                    body.extend(quote!(#p::acc_all(&mut #s.#member, &#out_slot);));
                }
                (Contribution::Projection { into }, Op::Elem { index, .. }) => {
                    let s = self.slot(*into);
                    let index = self.renamed_tokens(index);
                    body.extend(quote!(#p::acc_all(&mut #s[#index], &#out_slot);));
                }
                (Contribution::FromField { member, into }, _) => {
                    let s = self.slot(*into);
                    body.extend(quote!(#p::acc_all(&mut #s, &#out_slot.#member);));
                }
                (Contribution::AllBut { member, into }, _) => {
                    let s = self.slot(*into);
                    let rest = self.names.get("rest".to_string(), "other", "fields");
                    body.extend(quote! {
                        let mut #rest = ::core::clone::Clone::clone(&#out_slot);
                        #rest.#member = #p::slot(&#rest.#member);
                        #p::acc_all(&mut #s, &#rest);
                    });
                }
                (Contribution::Pullback { .. }, _) => {}
                _ => unreachable!("contribution matches its node"),
            }
        }
        if sweep.guaranteed.contains(&n.out) { body } else { quote!(if #p::reached(&#out_slot) { #body }) }
    }

    /// The local plan of one sweep (which recorded things it reads) and its setup: cursors, reverse
    /// copies of top-level cells, adjoints of top-level values. Seeds are declared by the caller.
    fn sweep_setup(&self, stmts: &[Stmt], sweep: &Sweep, seeded: &HashSet<VarId>) -> (Plan, TokenStream) {
        let p = self.paths.private();
        let mut local = Plan::default();
        self.plan_sweep(stmts, sweep, &mut local);
        let mut out = TokenStream::new();
        let plan = self.plan.borrow();
        let mut vars: Vec<VarId> = local.stacked.iter().chain(local.cells.iter()).copied().collect();
        vars.sort_unstable();
        vars.dedup();
        for &v in &vars {
            if plan.vec_cells.contains(&v) {
                continue;
            }
            let (st, cur) = self.var_stack(v);
            out.extend(quote!(let mut #cur = #st.len();));
        }
        let mut pbs: Vec<VarId> = local.pullbacks.iter().copied().collect();
        pbs.sort_unstable();
        for v in pbs {
            let base = format!("{}_pullback", self.body.vars[v].ident);
            let (st, cur) = (self.stack(&format!("pb{v}"), &base), self.cursor(&format!("pb{v}"), &base));
            out.extend(quote!(let mut #cur = #st.len();));
        }
        for (kind, set) in [("taken", &local.flags), ("count", &local.counts), ("reach", &local.reaches)] {
            let mut ids: Vec<usize> = set.iter().copied().collect();
            ids.sort_unstable();
            for id in ids {
                let (st, cur) = self.region_stack(kind, id);
                out.extend(quote!(let mut #cur = #st.len();));
            }
        }
        // reverse copies of the cells defined at top level
        for &v in &vars {
            if !local.cells.contains(&v) || self.in_region.contains(&v) {
                continue;
            }
            let rev = self.names.get(format!("rev{v}"), &self.body.vars[v].ident.to_string(), "rev");
            let c = self.ident(v);
            if plan.vec_cells.contains(&v) {
                out.extend(quote!(let mut #rev = ::core::clone::Clone::clone(&#c);));
            } else {
                let (st, cur) = self.var_stack(v);
                out.extend(quote!(let mut #rev = ::core::clone::Clone::clone(&#st[#cur - 1]);));
            }
            self.over.borrow_mut().insert(v, (rev, false));
        }
        drop(plan);
        // adjoints of top-level values
        let mut top: Vec<VarId> =
            sweep.active.iter().copied().filter(|v| !self.in_region.contains(v) && !seeded.contains(v)).collect();
        top.sort_unstable();
        for v in top {
            let s = self.slot(v);
            let b = self.borrow(v);
            let m =
                (sweep.receives.contains(&v) || matches!(self.body.vars[v].kind, VarKind::Cell)).then(|| quote!(mut));
            out.extend(quote!(let #m #s = #p::slot(#b);));
        }
        (local, out)
    }

    /// A `dlgradient` site: run-time checks, then the reverse sweep from `y` to the targets.
    fn grad_site(&self, g: &Grad, index: usize) -> TokenStream {
        let p = self.paths.private();
        let sweep = self.site_sweep(g, index);
        let prefix = &self.body.stmts[..index];
        let span = g.span;
        let check_value = self.paths.helper("check_value", span);
        let check_target = self.paths.helper("check_target", span);
        let y_checked = self.borrow(g.y);
        let checks: Vec<TokenStream> = g
            .targets
            .iter()
            .map(|t| {
                let b = self.borrow(t.var);
                let text = &t.text;
                quote_spanned!(span=> .and_then(|()| #check_target(#b, #text)))
            })
            .collect();
        let saved = self.over.borrow().clone();
        let seeded: HashSet<VarId> = [g.y].into_iter().collect();
        let (local, setup) = self.sweep_setup(prefix, &sweep, &seeded);
        let y_slot = self.slot(g.y);
        let y = self.borrow(g.y);
        let y_mut =
            (sweep.receives.contains(&g.y) || matches!(self.body.vars[g.y].kind, VarKind::Cell)).then(|| quote!(mut));
        let seed = if sweep.active.contains(&g.y) { quote!(let #y_mut #y_slot = #p::seed(#y);) } else { quote!() };
        let code = self.rev_stmts(prefix, &sweep, &local, None);
        *self.over.borrow_mut() = saved;
        let results: Vec<TokenStream> = g
            .targets
            .iter()
            .map(|t| {
                let b = self.borrow(t.var);
                if sweep.active.contains(&t.var) {
                    let s = self.slot(t.var);
                    let dup = g.targets.iter().filter(|u| u.var == t.var).count() > 1;
                    if dup { quote!(#p::finish(#s.clone(), #b)) } else { quote!(#p::finish(#s, #b)) }
                } else {
                    quote!(#p::finish(#p::slot(#b), #b))
                }
            })
            .collect();
        let result = if g.tuple { quote!((#(#results,)*)) } else { quote!(#(#results)*) };
        let y_text = &g.y_text;
        let out = self.ident(g.out);
        let (ok, err) = (self.paths.ok(), self.paths.err());
        let e = Ident::new("error", Span::call_site());
        quote! {
            #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
            let #out = match #check_value(#y_checked, #y_text) #(#checks)* {
                #ok(()) => {
                    #setup
                    #seed
                    #code
                    #ok(#result)
                }
                #err(#e) => #err(#e),
            };
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the function's value and its companion

    /// The value expression of the tail.
    fn tail_value(&self, t: &OutTree, clone: bool) -> TokenStream {
        match t {
            OutTree::Var(v) => {
                let i = self.ident(*v);
                // a projection var is a reference; the user's value is owned
                let projection = self.body.vars[*v].is_ref && matches!(self.body.vars[*v].kind, VarKind::Node);
                if clone || projection { quote!(#i.clone()) } else { quote!(#i) }
            }
            OutTree::Const(ts) => ts.clone(),
            OutTree::Tuple(elems) => {
                let e: Vec<TokenStream> = elems.iter().map(|e| self.tail_value(e, clone)).collect();
                quote!((#(#e,)*))
            }
            OutTree::Wrap(p, inner) => {
                let inner = self.tail_value(inner, clone);
                quote!(#p(#inner))
            }
        }
    }

    fn primal_body(&self) -> TokenStream {
        self.plan_unit(None);
        let prologue = self.trace_prologue();
        let stacks = self.stack_decls();
        let fwd = self.fwd_block(&self.body.stmts, true);
        let tail = self.body.tail.as_ref().map(|t| self.tail_value(t, false));
        quote!({ #prologue #stacks #fwd #tail })
    }

    /// The entry of the primal: when `dlfeval` called this function, trace its dlarray parameters
    /// (a cheap clone of each); `self` is rebound as `this` either way.
    fn trace_prologue(&self) -> TokenStream {
        let p = self.paths.private();
        let trace = &self.names.trace;
        let mut out = quote!(let #trace = #p::enter(););
        for (i, param) in self.sig.params.iter().enumerate() {
            if !param.active {
                continue;
            }
            let v = self.param_var(i);
            let ident = self.ident(v);
            let src = &param.ident;
            if param.is_ref {
                let traced = self.names.get(format!("traced{i}"), &ident.to_string(), "traced");
                out.extend(quote! {
                    let #traced;
                    let #ident = match #trace {
                        ::core::option::Option::Some(id) => {
                            #traced = #p::trace(#src, id);
                            &#traced
                        }
                        ::core::option::Option::None => #src,
                    };
                });
            } else {
                out.extend(quote! {
                    let #ident = match #trace {
                        ::core::option::Option::Some(id) => #p::trace(&#src, id),
                        ::core::option::Option::None => #src,
                    };
                });
            }
        }
        out
    }

    /// The companion's value tree: the tail without the outer `Ok(..)` of a `Result` function.
    fn companion_tree(&self) -> Option<OutTree> {
        let t = self.body.tail.clone().unwrap_or(OutTree::Const(quote!(())));
        let t = match (t, self.sig.ret.is_result) {
            (OutTree::Wrap(p, inner), true) if p.path.segments.last().is_some_and(|s| s.ident == "Ok") => *inner,
            (OutTree::Wrap(..), _) => return None,
            // an untraced `Result` as the tail (e.g. `dlgradient(&y, x)`): its value, or its error
            (OutTree::Const(ts), true) => OutTree::Const(quote!((#ts)?)),
            (_, true) => return None,
            (t, false) => t,
        };
        fn plain(t: &OutTree) -> bool {
            match t {
                OutTree::Var(_) | OutTree::Const(_) => true,
                OutTree::Tuple(e) => e.iter().all(plain),
                OutTree::Wrap(..) => false,
            }
        }
        plain(&t).then_some(t)
    }

    /// The leaves of the value tree with their tuple paths.
    fn leaves(t: &OutTree, path: &mut Vec<usize>, out: &mut Vec<(VarId, Vec<usize>)>) {
        match t {
            OutTree::Var(v) => out.push((*v, path.clone())),
            OutTree::Const(_) | OutTree::Wrap(..) => {}
            OutTree::Tuple(e) => {
                for (i, x) in e.iter().enumerate() {
                    path.push(i);
                    Self::leaves(x, path, out);
                    path.pop();
                }
            }
        }
    }

    /// `__forward`: the forward code, returning the value and a pullback closure. `None` when the
    /// function's value has a shape a pullback cannot take (then nested calls do not compile).
    ///
    /// Companions take their parameters **by value** (callers convert with `arg(..)` and `own(..)`, cheap
    /// clones of shared storage): a pullback then owns everything it reads, so a caller that is itself a
    /// companion can return a pullback holding it, whatever it passed.
    fn companion(&self, vis: &syn::Visibility, fsig: &syn::Signature, name: &Ident) -> Option<TokenStream> {
        let tree = self.companion_tree()?;
        let p = self.paths.private();
        let mut leaves = Vec::new();
        Self::leaves(&tree, &mut Vec::new(), &mut leaves);
        let seeds: Vec<VarId> = leaves.iter().map(|(v, _)| *v).collect();
        let targets: Vec<VarId> =
            self.sig.params.iter().enumerate().filter(|(_, pr)| pr.active).map(|(i, _)| self.param_var(i)).collect();
        // a single returned value arrives reached (callers skip unreached pullbacks); tuple parts may not
        let single = matches!(tree, OutTree::Var(_));
        let sweep = activity::analyze(&self.body.stmts, &targets, &seeds, single);
        self.plan_unit(Some((&sweep, &seeds)));

        // the signature: reference parameters by value, `&self` as `self`
        let mut csig = fsig.clone();
        csig.ident = name.clone();
        let mut prologue = TokenStream::new();
        for (k, (input, param)) in csig.inputs.iter_mut().zip(&self.sig.params).enumerate() {
            match input {
                syn::FnArg::Receiver(r) => {
                    let this = self.ident(self.param_var(k));
                    if matches!(r.kind, syn::ReceiverKind::Reference(..)) {
                        prologue.extend(quote!(let #this = &self;));
                    } else {
                        prologue.extend(quote!(let #this = self;));
                    }
                    r.kind = syn::ReceiverKind::Value;
                }
                syn::FnArg::Typed(pt) if param.is_ref => {
                    let owned = self.names.get(format!("owned{k}"), &param.ident.to_string(), "owned");
                    let mut declared = (*pt.ty).clone();
                    AnonLifetimes.visit_type_mut(&mut declared);
                    let ident = &param.ident;
                    *pt.pat = syn::parse_quote!(#owned);
                    *pt.ty = owned_type(&declared);
                    prologue.extend(quote!(let #ident: #declared = ::core::borrow::Borrow::borrow(&#owned);));
                }
                _ => {}
            }
        }
        let stacks = self.stack_decls();
        let fwd = self.fwd_block(&self.body.stmts, true);
        let value = self.tail_value(&tree, true);
        // inside the pullback: rebind the parameters, compute the top-level projections again
        let saved = self.over.borrow().clone();
        let projections = self.top_projections(&sweep);
        let out_bar = self.names.fresh("out_bar".to_string());
        let mut decl_sweep = Sweep {
            active: sweep.active.clone(),
            guaranteed: sweep.guaranteed.clone(),
            receives: sweep.receives.clone(),
        };
        for v in &seeds {
            if sweep.active.contains(v) {
                decl_sweep.receives.insert(*v);
            }
        }
        let (local, setup) = self.sweep_setup(&self.body.stmts, &decl_sweep, &HashSet::new());
        let mut seed_code = TokenStream::new();
        for (v, path) in &leaves {
            if !sweep.active.contains(v) {
                continue;
            }
            let s = self.slot(*v);
            let idx: Vec<syn::Index> = path.iter().map(|&i| syn::Index::from(i)).collect();
            if idx.is_empty() {
                seed_code.extend(quote!(#p::acc_all(&mut #s, #out_bar);));
            } else {
                seed_code.extend(quote!(#p::acc_all(&mut #s, &#out_bar #(.#idx)*);));
            }
        }
        let code = self.rev_stmts(&self.body.stmts, &decl_sweep, &local, None);
        let results: Vec<TokenStream> = self
            .sig
            .params
            .iter()
            .enumerate()
            .map(|(i, pr)| {
                if !pr.active {
                    return quote!(());
                }
                let v = self.param_var(i);
                if sweep.active.contains(&v) {
                    let s = self.slot(v);
                    quote!(#s)
                } else {
                    let b = self.borrow(v);
                    quote!(#p::slot(#b))
                }
            })
            .collect();
        *self.over.borrow_mut() = saved;
        let lets = self.pullback_lets(&[&setup, &seed_code, &code]);
        let slot_tys: Vec<&Type> = self.sig.params.iter().map(|pr| &pr.slot_ty).collect();
        let inner = &self.sig.ret.inner;
        let pullback_ty = quote!(impl ::core::ops::Fn(&#inner) -> (#(#slot_tys,)*));
        csig.output = if self.sig.ret.is_result {
            let syn::ReturnType::Type(arrow, ty) = &fsig.output else { unreachable!("a Result function") };
            let mut ty = (**ty).clone();
            replace_first_type_arg(&mut ty, syn::parse_quote!((#inner, #pullback_ty)));
            syn::ReturnType::Type(*arrow, Box::new(ty))
        } else {
            syn::parse_quote!(-> (#inner, #pullback_ty))
        };
        let ok = if self.sig.ret.is_result { quote!(::core::result::Result::Ok) } else { quote!() };
        let (value_ident, pullback_ident) =
            (self.names.fresh("value".to_string()), self.names.fresh("pullback".to_string()));
        // the primal's plan again (the companion's was only for this function)
        self.plan_unit(None);
        Some(quote! {
            #[doc(hidden)]
            #[allow(unused, clippy::all)]
            #vis #csig {
                #prologue
                #stacks
                #fwd
                let #value_ident = #value;
                let #pullback_ident = move |#out_bar: &#inner| -> (#(#slot_tys,)*) {
                    #prologue
                    #projections
                    #lets
                    #setup
                    #seed_code
                    #code
                    (#(#results,)*)
                };
                #ok((#value_ident, #pullback_ident))
            }
        })
    }

    /// The plain top-level `let`s a pullback reads, evaluated again inside it when that is safe (no
    /// calls, no macros): a value that borrows a parameter (`let idx = &data.index[..];`) cannot be
    /// captured by the pullback, which owns the parameter.
    fn pullback_lets(&self, code: &[&TokenStream]) -> TokenStream {
        let mut wanted = HashSet::new();
        for ts in code {
            self.mentioned(ts, &mut wanted);
        }
        let lets: Vec<(&TokenStream, &Vec<VarId>)> = self
            .body
            .stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Opaque(ts, defs) if replay::is_let(ts) && replay::no_calls(ts) && !defs.is_empty() => {
                    Some((ts, defs))
                }
                _ => None,
            })
            .collect();
        // the lets those lets read, too
        loop {
            let before = wanted.len();
            for (ts, defs) in &lets {
                if defs.iter().any(|d| wanted.contains(d)) {
                    self.mentioned(ts, &mut wanted);
                }
            }
            if wanted.len() == before {
                break;
            }
        }
        lets.iter().filter(|(_, defs)| defs.iter().any(|d| wanted.contains(d))).map(|(ts, _)| (*ts).clone()).collect()
    }

    /// The top-level projection nodes (`&p.field`, `&p[i]`) a pullback reads, emitted again inside it.
    fn top_projections(&self, sweep: &Sweep) -> TokenStream {
        let mut local = Plan::default();
        self.plan_sweep(&self.body.stmts, sweep, &mut local);
        let mut out = TokenStream::new();
        for s in &self.body.stmts {
            if let Stmt::Node(n) = s
                && matches!(n.op, Op::Get { .. } | Op::Elem { .. })
                && local.needed_projection(n.out)
            {
                out.extend(self.node(n, false));
            }
        }
        out
    }

    // ---------------------------------------------------------------------------------------------
    // items

    fn free_fn(&self, func: &syn::ItemFn) -> TokenStream {
        let name = &func.sig.ident;
        let vis = &func.vis;
        let cfgs: Vec<&syn::Attribute> = func.attrs.iter().filter(|a| a.path().is_ident("cfg")).collect();
        let companion = self.companion(vis, &func.sig, &Ident::new("__forward", name.span()));
        let mut f = func.clone();
        *f.block = syn::parse2(self.primal_body()).expect("a block");
        // the companion lives on a struct of the same name in the type namespace (`name::__forward`),
        // where it never collides with values: `let name = ..` stays a plain binding
        quote! {
            #f
            #(#cfgs)*
            #[doc(hidden)]
            #[allow(non_camel_case_types, dead_code)]
            #vis struct #name {}
            #(#cfgs)*
            impl #name {
                #companion
            }
        }
    }

    fn method(&self, func: &syn::ItemFn) -> TokenStream {
        let name = &func.sig.ident;
        let companion_name = format_ident!("__differentiable_{}", name, span = name.span());
        let companion = self.companion(&func.vis, &func.sig, &companion_name);
        let mut f = func.clone();
        *f.block = syn::parse2(self.primal_body()).expect("a block");
        quote!(#f #companion)
    }

    fn closure(&self, c: &syn::ExprClosure) -> TokenStream {
        let body = self.primal_body();
        let cap = &c.capture;
        let params: Vec<TokenStream> = self
            .sig
            .params
            .iter()
            .map(|p| {
                let (i, t) = (&p.ident, &p.ty);
                quote!(#i: #t)
            })
            .collect();
        let output = &c.output;
        quote!(#cap |#(#params),*| #output #body)
    }
}

impl Plan {
    fn needed_projection(&self, v: VarId) -> bool {
        self.projections.contains(&v)
    }
}

/// The vars a block defines directly (not in nested regions).
fn direct_defs(b: &Block) -> Vec<VarId> {
    let mut out = Vec::new();
    for s in &b.stmts {
        match s {
            Stmt::Node(n) => out.push(n.out),
            Stmt::Opaque(_, d) => out.extend(d),
            Stmt::DefCell { cell, .. } => out.push(*cell),
            _ => {}
        }
    }
    out
}

/// The exit points (`reach`) of `break`/`continue` in the branches of a top-level statement of a loop
/// body.
fn exit_reaches(s: &Stmt) -> Vec<usize> {
    let of_block = |b: &Block| -> Vec<usize> {
        b.stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Exit { reach, .. } => Some(*reach),
                _ => None,
            })
            .collect()
    };
    match s {
        Stmt::If { then, els, .. } => of_block(then).into_iter().chain(of_block(els)).collect(),
        Stmt::Match { arms, .. } => arms.iter().flat_map(|a| of_block(&a.body)).collect(),
        _ => vec![],
    }
}

/// Whether a statement pushes into `cell`.
fn has_push(s: &Stmt, cell: VarId) -> bool {
    match s {
        Stmt::Push { cell: c, .. } => *c == cell,
        Stmt::If { then, els, .. } => then.stmts.iter().chain(&els.stmts).any(|s| has_push(s, cell)),
        Stmt::Match { arms, .. } => arms.iter().any(|a| a.body.stmts.iter().any(|s| has_push(s, cell))),
        Stmt::Loop(l) => l.body.stmts.iter().any(|s| has_push(s, cell)),
        _ => false,
    }
}

/// The owned form of a reference parameter's type: `T` for `&T`, `Vec<E>` for `&[E]`, `String` for
/// `&str`.
fn owned_type(declared: &Type) -> Type {
    match parse::strip_ref(declared) {
        Type::Slice(s) => {
            let e = &s.elem;
            syn::parse_quote!(::std::vec::Vec<#e>)
        }
        Type::Path(p) if p.path.is_ident("str") => syn::parse_quote!(::std::string::String),
        other => other,
    }
}

/// Turns every lifetime of a type into `'_` (for `let` annotations inside a function body).
struct AnonLifetimes;
impl VisitMut for AnonLifetimes {
    fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
        *l = syn::Lifetime::new("'_", l.span());
    }
}

/// Replaces the first type argument of a path type (`Result<X, E>` → `Result<new, E>`).
fn replace_first_type_arg(ty: &mut Type, new: Type) {
    if let Type::Path(p) = ty
        && let Some(last) = p.path.segments.last_mut()
        && let syn::PathArguments::AngleBracketed(a) = &mut last.arguments
        && let Some(first) = a.args.iter_mut().find(|g| matches!(g, syn::GenericArgument::Type(_)))
    {
        *first = syn::GenericArgument::Type(new);
    }
}

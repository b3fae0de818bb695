//! Stage 5, emit: tokens for the primal function, its hidden companion, and the `dlfeval` entry.
//!
//! For `#[differentiable] fn f(x: &DlArray) -> R` (not generic, not a method) the output is:
//!
//! ```text
//! pub const f: f = f {};                  // the name users call and pass to dlfeval
//! pub struct f {}                         // (type namespace; hidden)
//! impl Deref for f { Target = fn(&DlArray) -> R }   // so `f(&x)` is a plain call of the primal
//! impl f {
//!     fn __primal(x: &DlArray) -> R       // forward code; each dlgradient site is its reverse sweep
//!     fn __forward(x: &DlArray) -> (value, impl Fn(&value_adjoint) -> (x_adjoint,))
//!                                         // for calls from other #[differentiable] functions
//! }
//! impl Differentiable<&DlArray> for f     // dlfeval: traces the arguments, calls the primal
//! ```
//!
//! Generic functions keep `fn f<T>` as it is (plus the hidden `struct f` with `f::__forward`); methods
//! get a hidden sibling method `__differentiable_<name>`. Reverse sweeps are straight-line code: no
//! graph, no closure list, no tape.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Ident, Type};

use crate::activity::{self, Sweep};
use crate::adjoint::{self, Contribution};
use crate::diag::Diagnostics;
use crate::ir::{Arg, Body, CallArg, Callee, Grad, Node, Op, OutTree, Stmt, VarId, VarKind};
use crate::lower;
use crate::parse::{self, Sig};
use crate::paths::Paths;
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
    let generator = Gen { paths: &paths, sig: &sig, body: &body, names: Names::new(&body) };
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
    let generator = Gen { paths: &paths, sig: &sig, body: &body, names: Names::new(&body) };
    generator.closure(&c)
}

// -----------------------------------------------------------------------------------------------
// names

/// Names of adjoint slots and pullbacks: `<var>_bar`, `<var>_pullback`, never colliding with the
/// user's names or the vars.
struct Names {
    slots: HashMap<VarId, Ident>,
    pullbacks: HashMap<VarId, Ident>,
    /// Owned copies of reference parameters in companions, by parameter index.
    owned: HashMap<usize, Ident>,
    /// Traced copies of reference parameters in primals, by parameter index.
    traced: HashMap<usize, Ident>,
    /// The trace context taken at the entry.
    trace: Ident,
}

impl Names {
    fn new(body: &Body) -> Names {
        let mut used: HashSet<String> = body.taken.clone();
        used.extend(body.vars.iter().map(|v| v.ident.to_string()));
        let mut fresh = |base: String| -> Ident {
            let mut k = 0;
            loop {
                let cand = if k == 0 { base.clone() } else { format!("{base}{k}") };
                if used.insert(cand.clone()) {
                    return Ident::new(&cand, Span::call_site());
                }
                k += 1;
            }
        };
        let mut slots = HashMap::new();
        let mut pullbacks = HashMap::new();
        let mut owned = HashMap::new();
        let mut traced = HashMap::new();
        for (id, v) in body.vars.iter().enumerate() {
            let name = v.ident.to_string();
            let name = name.trim_start_matches("r#");
            slots.insert(id, fresh(format!("{name}_bar")));
            if matches!(v.kind, VarKind::Node) {
                pullbacks.insert(id, fresh(format!("{name}_pullback")));
            }
            if let VarKind::Param(k) = v.kind {
                owned.insert(k, fresh(format!("{name}_owned")));
                traced.insert(k, fresh(format!("{name}_traced")));
            }
        }
        let trace = fresh("trace".to_string());
        Names { slots, pullbacks, owned, traced, trace }
    }

    fn extra(&self, _hint: &Ident, param: usize) -> Ident {
        self.owned[&param].clone()
    }
}

// -----------------------------------------------------------------------------------------------
// generation

struct Gen<'a> {
    paths: &'a Paths,
    sig: &'a Sig,
    body: &'a Body,
    names: Names,
}

/// Which calls to other `#[differentiable]` functions go through their companion (because a sweep
/// needs their pullback).
type CompanionCalls = HashSet<VarId>;

impl Gen<'_> {
    fn ident(&self, v: VarId) -> &Ident {
        &self.body.vars[v].ident
    }

    /// `x` for a reference var, `&x` for an owned one.
    fn borrow(&self, v: VarId) -> TokenStream {
        let var = &self.body.vars[v];
        let i = &var.ident;
        if var.is_ref { quote!(#i) } else { quote!(&#i) }
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

    /// The arguments of a primitive in its kernel's order.
    fn prim_args(&self, layout: &[A], args: &[Arg], extras: &[TokenStream]) -> Vec<TokenStream> {
        let (mut a, mut e) = (args.iter(), extras.iter());
        layout
            .iter()
            .map(|k| match k {
                A::Operand => self.arg(a.next().expect("operand count")),
                A::Extra => e.next().expect("extra count").clone(),
            })
            .collect()
    }

    // ---------------------------------------------------------------------------------------------
    // forward code

    fn forward(&self, companion: &CompanionCalls, in_companion: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for (i, s) in self.body.stmts.iter().enumerate() {
            match s {
                Stmt::Node(n) => out.extend(self.node(n, companion.contains(&n.out))),
                Stmt::Opaque(ts) => out.extend(ts.clone()),
                Stmt::Grad(g) => out.extend(self.grad_site(g, i, in_companion)),
            }
        }
        out
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
                if self.sig.ret.is_result && rule.fallible {
                    let f = self.paths.op(&format!("try_{}", rule.kernel), span);
                    quote_spanned!(span=> let #out = #f(#(#a),*)?;)
                } else {
                    let f = self.paths.op(rule.kernel, span);
                    quote_spanned!(span=> let #out = #f(#(#a),*);)
                }
            }
            Op::Cat { dim, args } => {
                let a: Vec<TokenStream> = args.iter().map(|a| self.arg(a)).collect();
                if self.sig.ret.is_result {
                    let f = self.paths.op("try_cat", span);
                    quote_spanned!(span=> let #out = #f(#dim, &[#(#a),*])?;)
                } else {
                    let f = self.paths.op("cat", span);
                    quote_spanned!(span=> let #out = #f(#dim, &[#(#a),*]);)
                }
            }
            Op::Call { callee, args, post } => {
                let a: Vec<TokenStream> = args.iter().map(|a| self.call_arg(a)).collect();
                let pb = &self.names.pullbacks[&n.out];
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
                        let lead = if path.segments.is_empty() { quote!() } else { quote!(#path) };
                        let lc = &p.path.leading_colon;
                        let name = quote_spanned!(name.span()=> #name);
                        let head = if path.segments.is_empty() { quote!(#lc #name) } else { quote!(#lead #name) };
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
                let a: Vec<TokenStream> = args
                    .iter()
                    .map(|a| match a {
                        Arg::Var(v) => {
                            let i = self.ident(*v);
                            quote!(#i.clone())
                        }
                        Arg::Const(ts) => ts.clone(),
                    })
                    .collect();
                quote_spanned!(span=> let #out = (#(#a,)*);)
            }
            Op::Get { parent, member } => {
                let p = self.ident(*parent);
                quote_spanned!(span=> let #out = &#p.#member;)
            }
            Op::Elem { parent, index } => {
                let p = self.ident(*parent);
                quote_spanned!(span=> let #out = &#p[#index];)
            }
        }
    }

    /// The calls that must go through companions for the sweeps of the primal (or, with `pullback`,
    /// also for the companion's own pullback).
    fn companion_calls(&self, pullback: Option<&Sweep>) -> CompanionCalls {
        let mut out = HashSet::new();
        for (i, s) in self.body.stmts.iter().enumerate() {
            if let Stmt::Grad(g) = s {
                let nodes = self.body.nodes_before(i);
                let sweep = self.site_sweep(g, &nodes);
                out.extend(sweep.nodes.iter().map(|&k| nodes[k].out));
            }
        }
        if let Some(sweep) = pullback {
            let nodes = self.body.nodes_before(self.body.stmts.len());
            out.extend(sweep.nodes.iter().map(|&k| nodes[k].out));
        }
        out.retain(|v| {
            self.body.stmts.iter().any(|s| matches!(s, Stmt::Node(n) if n.out == *v && matches!(n.op, Op::Call { .. })))
        });
        out
    }

    fn site_sweep(&self, g: &Grad, nodes: &[&Node]) -> Sweep {
        let targets: Vec<VarId> = g.targets.iter().map(|t| t.var).collect();
        activity::analyze(nodes, &targets, &[g.y], true)
    }

    // ---------------------------------------------------------------------------------------------
    // reverse sweeps

    /// Slot declarations and steps of a sweep (everything but seeding and results).
    fn sweep_code(&self, nodes: &[&Node], sweep: &Sweep, seeded: &HashSet<VarId>) -> (TokenStream, TokenStream) {
        let p = self.paths.private();
        let mut decls = TokenStream::new();
        let mut order: Vec<VarId> = sweep.active.iter().copied().filter(|v| !seeded.contains(v)).collect();
        order.sort_unstable();
        for v in order {
            let slot = &self.names.slots[&v];
            let b = self.borrow(v);
            let m = sweep.receives.contains(&v).then(|| quote!(mut));
            decls.extend(quote!(let #m #slot = #p::slot(#b);));
        }
        let mut code = TokenStream::new();
        for step in adjoint::steps(nodes, sweep) {
            let n = nodes[step.node];
            let out_slot = &self.names.slots[&n.out];
            let out = self.borrow(n.out);
            let mut body = TokenStream::new();
            if let Op::Call { .. } = n.op {
                let pb = &self.names.pullbacks[&n.out];
                let g = format_ident!("{}_gradients", self.ident(n.out).to_string().trim_start_matches("r#"));
                body.extend(quote!(let #g = #pb(&#out_slot);));
                for c in &step.contributions {
                    if let Contribution::Pullback { position, into } = c {
                        let s = &self.names.slots[into];
                        let k = syn::Index::from(*position);
                        body.extend(quote!(#p::acc_all(&mut #s, &#g.#k);));
                    }
                }
            }
            for c in &step.contributions {
                match (c, &n.op) {
                    (Contribution::Kernel { kernel, into }, Op::Prim { rule, args, extras }) => {
                        let s = &self.names.slots[into];
                        let f = self.paths.op(kernel, Span::call_site());
                        let a = self.prim_args(rule.args, args, extras);
                        body.extend(quote!(#f(&mut #s, &#out_slot, #out, #(#a),*);));
                    }
                    (Contribution::Cat { index, into }, Op::Cat { dim, args }) => {
                        let s = &self.names.slots[into];
                        let f = self.paths.op("cat_adj", Span::call_site());
                        let a: Vec<TokenStream> = args.iter().map(|a| self.arg(a)).collect();
                        body.extend(quote!(#f(&mut #s, &#out_slot, #out, #dim, &[#(#a),*], #index);));
                    }
                    (Contribution::TupleElement { index, into }, _) => {
                        let s = &self.names.slots[into];
                        let k = syn::Index::from(*index);
                        body.extend(quote!(#p::acc_all(&mut #s, &#out_slot.#k);));
                    }
                    (Contribution::Projection { into }, Op::Get { member, .. }) => {
                        let s = &self.names.slots[into];
                        body.extend(quote!(#p::acc_all(&mut #s.#member, &#out_slot);));
                    }
                    (Contribution::Projection { into }, Op::Elem { index, .. }) => {
                        let s = &self.names.slots[into];
                        body.extend(quote!(#p::acc_all(&mut #s[#index], &#out_slot);));
                    }
                    (Contribution::Pullback { .. }, _) => {}
                    _ => unreachable!("contribution matches its node"),
                }
            }
            if step.guard {
                code.extend(quote!(if #p::reached(&#out_slot) { #body }));
            } else {
                code.extend(body);
            }
        }
        (decls, code)
    }

    /// A `dlgradient` site: run-time checks, then the reverse sweep from `y` to the targets.
    fn grad_site(&self, g: &Grad, index: usize, _in_companion: bool) -> TokenStream {
        let p = self.paths.private();
        let nodes = self.body.nodes_before(index);
        let sweep = self.site_sweep(g, &nodes);
        let y_slot = &self.names.slots[&g.y];
        let y = self.borrow(g.y);
        let seeded: HashSet<VarId> = [g.y].into_iter().collect();
        let (decls, code) = self.sweep_code(&nodes, &sweep, &seeded);
        let y_mut = sweep.receives.contains(&g.y).then(|| quote!(mut));
        let seed = if sweep.active.contains(&g.y) { quote!(let #y_mut #y_slot = #p::seed(#y);) } else { quote!() };
        let results: Vec<TokenStream> = g
            .targets
            .iter()
            .map(|t| {
                let b = self.borrow(t.var);
                if sweep.active.contains(&t.var) {
                    let s = &self.names.slots[&t.var];
                    let dup = g.targets.iter().filter(|u| u.var == t.var).count() > 1;
                    if dup { quote!(#p::finish(#s.clone(), #b)) } else { quote!(#p::finish(#s, #b)) }
                } else {
                    quote!(#p::finish(#p::slot(#b), #b))
                }
            })
            .collect();
        let result = if g.tuple { quote!((#(#results,)*)) } else { quote!(#(#results)*) };
        let y_text = &g.y_text;
        let span = g.span;
        let check_value = self.paths.helper("check_value", span);
        let check_target = self.paths.helper("check_target", span);
        let checks: Vec<TokenStream> = g
            .targets
            .iter()
            .map(|t| {
                let b = self.borrow(t.var);
                let text = &t.text;
                quote_spanned!(span=> .and_then(|()| #check_target(#b, #text)))
            })
            .collect();
        let out = self.ident(g.out);
        let (ok, err) = (self.paths.ok(), self.paths.err());
        let e = Ident::new("error", Span::call_site());
        quote! {
            #[allow(unused_mut, unused_variables, clippy::all)]
            let #out = match #check_value(#y, #y_text) #(#checks)* {
                #ok(()) => {
                    #seed
                    #decls
                    #code
                    #ok(#result)
                }
                #err(#e) => #err(#e),
            };
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the function's value and its companion

    /// The value expression of the tail (moving vars; the primal's return value).
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
        let prologue = self.trace_prologue();
        let companion = self.companion_calls(None);
        let fwd = self.forward(&companion, false);
        let tail = self.body.tail.as_ref().map(|t| self.tail_value(t, false));
        quote!({ #prologue #fwd #tail })
    }

    /// The entry of the primal: when `dlfeval` called this function, trace its dlarray parameters
    /// (a cheap clone of each); `self` is rebound as `this` either way.
    fn trace_prologue(&self) -> TokenStream {
        let p = self.paths.private();
        let trace = &self.names.trace;
        let mut out = quote!(let #trace = #p::enter(););
        for (i, param) in self.sig.params.iter().enumerate() {
            let v = self.param_var(i);
            let ident = self.ident(v);
            let src = &param.ident;
            if !param.active {
                continue;
            }
            let traced = &self.names.traced[&i];
            if param.is_ref {
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
            OutTree::Const(_) => {}
            OutTree::Tuple(e) => {
                for (i, x) in e.iter().enumerate() {
                    path.push(i);
                    Self::leaves(x, path, out);
                    path.pop();
                }
            }
            OutTree::Wrap(..) => {}
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
        let nodes = self.body.nodes_before(self.body.stmts.len());
        // a single returned value arrives reached (callers skip unreached pullbacks); tuple parts may not
        let single = matches!(tree, OutTree::Var(_));
        let sweep = activity::analyze(&nodes, &targets, &seeds, single);
        let companion = self.companion_calls(Some(&sweep));

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
                    let owned = Ident::new(&format!("{}_owned", param.ident), Span::call_site());
                    let owned = self.names.extra(&owned, k);
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
        let fwd = self.forward(&companion, true);
        let value = self.tail_value(&tree, true);
        // inside the pullback: rebind the parameters and re-derive the projections it reads
        let projections = self.projections_for(&nodes, &sweep, &targets);
        let out_bar = Ident::new("out_bar", Span::call_site());
        let mut decl_sweep = Sweep {
            nodes: sweep.nodes.clone(),
            active: sweep.active.clone(),
            guaranteed: sweep.guaranteed.clone(),
            receives: sweep.receives.clone(),
        };
        for v in &seeds {
            if sweep.active.contains(v) {
                decl_sweep.receives.insert(*v);
            }
        }
        let (decls, code) = self.sweep_code(&nodes, &decl_sweep, &HashSet::new());
        let mut seed_code = TokenStream::new();
        for (v, path) in &leaves {
            if !sweep.active.contains(v) {
                continue;
            }
            let s = &self.names.slots[v];
            let idx: Vec<syn::Index> = path.iter().map(|&i| syn::Index::from(i)).collect();
            if idx.is_empty() {
                seed_code.extend(quote!(#p::acc_all(&mut #s, #out_bar);));
            } else {
                seed_code.extend(quote!(#p::acc_all(&mut #s, &#out_bar #(.#idx)*);));
            }
        }
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
                    let s = &self.names.slots[&v];
                    quote!(#s)
                } else {
                    let b = self.borrow(v);
                    quote!(#p::slot(#b))
                }
            })
            .collect();
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
        Some(quote! {
            #[doc(hidden)]
            #[allow(unused, clippy::all)]
            #vis #csig {
                #prologue
                #fwd
                let value = #value;
                let pullback = move |#out_bar: &#inner| -> (#(#slot_tys,)*) {
                    #prologue
                    #projections
                    #decls
                    #seed_code
                    #code
                    (#(#results,)*)
                };
                #ok((value, pullback))
            }
        })
    }

    /// The projection nodes (`&p.field`, `&p[i]`) a pullback reads, emitted again inside it.
    fn projections_for(&self, nodes: &[&Node], sweep: &Sweep, targets: &[VarId]) -> TokenStream {
        let mut needed: HashSet<VarId> = targets.iter().copied().collect();
        for &i in &sweep.nodes {
            let n = nodes[i];
            needed.insert(n.out);
            match &n.op {
                Op::Prim { args, .. } | Op::Cat { args, .. } | Op::Tuple(args) => {
                    needed.extend(args.iter().filter_map(|a| if let Arg::Var(v) = a { Some(*v) } else { None }))
                }
                Op::Call { .. } => {}
                Op::Get { parent, .. } | Op::Elem { parent, .. } => {
                    needed.insert(*parent);
                }
            }
        }
        for n in nodes.iter().rev() {
            if let Op::Get { parent, .. } | Op::Elem { parent, .. } = &n.op
                && needed.contains(&n.out)
            {
                needed.insert(*parent);
            }
        }
        let mut out = TokenStream::new();
        for n in nodes {
            if matches!(n.op, Op::Get { .. } | Op::Elem { .. }) && needed.contains(&n.out) {
                out.extend(self.node(n, false));
            }
        }
        out
    }

    fn param_var(&self, i: usize) -> VarId {
        self.body.vars.iter().position(|v| matches!(v.kind, VarKind::Param(k) if k == i)).expect("a param var")
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
        let mut f = func.clone();
        *f.block = syn::parse2(self.primal_body()).expect("a block");
        let companion_name = format_ident!("__differentiable_{}", name, span = name.span());
        let companion = self.companion(&func.vis, &func.sig, &companion_name);
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

//! Higher derivatives: a `dlgradient(y, x, EnableHigherDerivatives(true))` site's reverse sweep,
//! written as forward IR in the rule table's vocabulary and put in the body in place of the site.
//!
//! Each adjoint is its rule's template (`exp: g * y`, `plus: sum_to(g, a)`) instantiated on the
//! node's values; contributions to one value are added with `plus`. The gradient is then an
//! ordinary traced value computed by primitives, so a later `dlgradient` of an expression of it
//! differentiates through the sweep (a Hessian-vector product, a gradient penalty). A call of
//! another `#[differentiable]` function is reversed by its vector-Jacobian product companion
//! (`f::__ad_vjp`, itself written by this module from `f`'s body).
//!
//! Supported for now: the statements before the site are straight-line (no loop, branch or cell on
//! the path from the targets to `y`), the targets are dlarrays, and every primitive on the path has
//! a template. Anything else is a compile error at the site that says what is not supported yet.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};

use super::{R, activity, reverse_block};
use crate::diag::Diagnostics;
use crate::ir::{Block, Body, CallArg, Extra, Grad, Node, Op, Operand, Post, Stmt, Var, VarId, VarKind, WrapKind};
use crate::rules::{Adjoint, RULES, Rule};

/// Replaces every top-level higher-order `dlgradient` site of `body` by its sweep as forward IR.
pub(crate) fn expand(body: &mut Body, is_result: bool, diag: &Diagnostics) {
    // sites nested in branches or loops are not supported yet
    for s in &body.block.stmts {
        if !matches!(s, Stmt::Grad(_)) {
            let mut nested = None;
            if let Stmt::If { .. } | Stmt::Match { .. } | Stmt::Loop(_) | Stmt::Attr { .. } = s {
                let b = Block { stmts: vec![s.clone()] };
                b.walk(&mut |t| {
                    if let Stmt::Grad(g) = t
                        && g.higher
                    {
                        nested = Some(g.span);
                    }
                });
            }
            if let Some(span) = nested {
                diag.error(
                    span,
                    "`EnableHigherDerivatives(true)` inside a branch or a block with attributes",
                    "call `dlgradient` with it at the function's top level",
                );
            }
        }
    }
    while let Some(at) = body.block.stmts.iter().position(|s| matches!(s, Stmt::Grad(g) if g.higher)) {
        let Stmt::Grad(g) = body.block.stmts[at].clone() else { return };
        let before = Block { stmts: body.block.stmts[..at].to_vec() };
        let targets: Vec<VarId> = g.targets.iter().map(|t| t.var).collect();
        let mut b = Builder::new(body, g.span);
        let stmts = match b.site(&before, &g, &targets, is_result) {
            Ok(s) => s,
            Err(msg) => {
                diag.error(
                    g.span,
                    format!("`EnableHigherDerivatives(true)`: {msg}"),
                    "remove the option (the gradient is then untraced), or write the computation without it",
                );
                b.out
            }
        };
        body.block.stmts.splice(at..=at, stmts);
    }
}

/// The vector-Jacobian product of a whole body as a new body: the forward statements, then the
/// sweep seeded by the extra parameter `gy` (the result's gradient), returning the gradient of each
/// parameter (`NoGrad` for plain ones and for traced ones that are not dlarrays). `None` when the
/// body is not supported (`Err`: why).
pub(crate) fn vjp_body(
    body: &Body,
    payload: VarId,
    param_is_array: &[bool],
    is_result: bool,
) -> std::result::Result<Body, String> {
    let mut vjp = Body { vars: body.vars.clone(), block: body.block.clone(), ret: None, taken: body.taken.clone() };
    // the function's own `Ok(value)` is not returned (its error type would be left to infer)
    if let Some(Operand::Var(r)) = body.ret
        && r != payload
    {
        vjp.block.stmts.retain(|s| !matches!(s, Stmt::Let(n) if n.out == r));
    }
    let n = param_is_array.len();
    let gy = push_var(&mut vjp, "__ad_gy", VarKind::Param(n), true);
    let params: Vec<Option<VarId>> =
        (0..n).map(|k| body.vars.iter().position(|v| v.kind == VarKind::Param(k))).collect();
    let targets: Vec<VarId> =
        params.iter().zip(param_is_array).filter_map(|(p, a)| p.filter(|p| *a && body.vars[*p].varied)).collect();
    let mut has_site = false;
    vjp.block.walk(&mut |s| has_site |= matches!(s, Stmt::Grad(_)));
    if has_site {
        return Err("it calls `dlgradient`".to_string());
    }
    let before = vjp.block.clone();
    let mut b = Builder::new(&mut vjp, Span::call_site());
    let bars = b.sweep(&before, payload, &targets, Some(gy))?;
    // the result: one gradient per parameter
    let mut elems = Vec::new();
    for (k, p) in params.iter().enumerate() {
        let g = match p {
            Some(p) if param_is_array[k] && body.vars[*p].varied => match bars.get(p) {
                Some(g) => Operand::Var(*g),
                None => Operand::Var(b.opaque("zero", |i, x| quote!(let #i = __ad::zeros_of(__ad::val(&#x));), *p)?),
            },
            _ => Operand::Const(quote!(__ad::NoGrad)),
        };
        elems.push(g);
    }
    let mut out = b.node("vjp", Op::Tuple(elems))?;
    if is_result {
        out = b.node(
            "vjp",
            Op::Wrap { path: quote!(::core::result::Result::Ok), arg: Operand::Var(out), kind: WrapKind::Ok },
        )?;
    }
    let stmts = std::mem::take(&mut b.out);
    vjp.block.stmts.extend(stmts);
    vjp.ret = Some(Operand::Var(out));
    Ok(vjp)
}

/// Writes new IR into a body.
struct Builder<'a> {
    body: &'a mut Body,
    out: Vec<Stmt>,
    span: Span,
}

impl<'a> Builder<'a> {
    fn new(body: &'a mut Body, span: Span) -> Self {
        Builder { body, out: Vec::new(), span }
    }

    /// The statements that replace the site `g`.
    fn site(
        &mut self,
        before: &Block,
        g: &Grad,
        targets: &[VarId],
        is_result: bool,
    ) -> std::result::Result<Vec<Stmt>, String> {
        // MATLAB's checks first, as the first-order site does
        let y = self.ident(g.y);
        let text = &g.y_text;
        let q = if is_result { quote!(?) } else { quote!(.unwrap()) };
        self.out.push(Stmt::Opaque(quote_spanned!(self.span=> __ad::check_value(__ad::val(&#y), #text) #q;), vec![]));
        for t in &g.targets {
            let ti = self.ident(t.var);
            let tt = &t.text;
            self.out.push(Stmt::Opaque(quote_spanned!(self.span=> __ad::check_target(&#ti, #tt) #q;), vec![]));
        }
        let bars = self.sweep(before, g.y, targets, None)?;
        let mut grads = Vec::new();
        for t in targets {
            let g = match bars.get(t) {
                Some(g) => *g,
                None => self.opaque("zero", |i, x| quote!(let #i = __ad::zeros_of(__ad::val(&#x));), *t)?,
            };
            grads.push(Operand::Var(g));
        }
        let value = if g.tuple { self.node("gradient", Op::Tuple(grads))? } else { self.copy(grads[0].clone())? };
        // the site's var: the gradient (`dlgradient(..)?`) or its `Result`
        let op = match g.post {
            Post::None => {
                Op::Wrap { path: quote!(::core::result::Result::Ok), arg: Operand::Var(value), kind: WrapKind::Ok }
            }
            _ => Op::Copy(Operand::Var(value)),
        };
        self.out.push(Stmt::Let(Node { out: g.out, op, span: self.span }));
        self.body.vars[g.out].varied = true;
        Ok(std::mem::take(&mut self.out))
    }

    /// The sweep from `y` to `targets` over `before`, as forward IR; the gradient var of every
    /// value reached. `seed` is the gradient of `y` (ones when `None`).
    fn sweep(
        &mut self,
        before: &Block,
        y: VarId,
        targets: &[VarId],
        seed: Option<VarId>,
    ) -> std::result::Result<HashMap<VarId, VarId>, String> {
        let active = activity::active(self.body, before, &[y], targets);
        let rev = reverse_block(before, &active);
        let mut bars: HashMap<VarId, VarId> = HashMap::new();
        let seed = match seed {
            Some(s) => s,
            None => self.opaque("seed", |i, y| quote!(let #i = __ad::ones_of(__ad::val(&#y));), y)?,
        };
        bars.insert(y, seed);
        for r in &rev {
            match r {
                R::Node { node, into } => self.reverse_node(node, into, &mut bars)?,
                R::Pop(_) => {}
                R::GradSink(_) => return Err("the value depends on another `dlgradient` result".to_string()),
                R::Loop { .. } => return Err("the value is computed in a loop (not supported yet)".to_string()),
                R::If { .. } | R::Match { .. } | R::Reached { .. } => {
                    return Err("the value is computed in a branch (not supported yet)".to_string());
                }
                R::DefCell { .. } | R::Update { .. } => {
                    return Err("the value goes through a variable that is reassigned (not supported yet)".to_string());
                }
                R::Attr { .. } => {
                    return Err("the value is computed under statement attributes (not supported yet)".to_string());
                }
            }
        }
        Ok(bars)
    }

    /// The contributions of one node into its active operands.
    fn reverse_node(
        &mut self,
        node: &Node,
        into: &[(usize, VarId)],
        bars: &mut HashMap<VarId, VarId>,
    ) -> std::result::Result<(), String> {
        let Some(&g) = bars.get(&node.out) else { return Ok(()) };
        match &node.op {
            Op::Prim { rule, args, extras } => {
                let Adjoint::K(kernels) = rule.adjoint else { return Ok(()) };
                if rule.templates.len() != kernels.len() {
                    return Err(format!("`{}` has no second derivative yet", rule.name));
                }
                for (k, v) in into {
                    let t = rule
                        .templates
                        .get(*k)
                        .ok_or_else(|| format!("`{}` has no second derivative yet", rule.name))?;
                    let env = Env { g, y: node.out, operands: args.clone(), extras: extras.clone() };
                    let c = self.template(t, &env)?;
                    self.add(bars, *v, c)?;
                }
            }
            Op::Index { base, index, .. } => {
                let scatter = rule("scatter")?;
                let c = self.prim(scatter, vec![Operand::Var(g), Operand::Var(*base)], vec![index.clone()])?;
                self.add(bars, *base, Operand::Var(c))?;
            }
            Op::Copy(a) | Op::Dbg(a, _) => {
                if let Some(v) = a.var() {
                    self.add(bars, v, Operand::Var(g))?;
                }
            }
            Op::Call { path, args, post, .. } => {
                // the callee's vector-Jacobian product, itself differentiable (fallible as the
                // callee is: the user's `?` applies to it too)
                let mut vargs = args.clone();
                let gi = self.ident(g);
                vargs.push(CallArg { value: Operand::Var(g), written: quote!(#gi) });
                // at the call's span: a callee without one says so there
                let grads = self.node_at(
                    "vjp",
                    Op::Call { path: path.clone(), args: vargs, post: post.clone(), vjp: true },
                    node.span,
                )?;
                for (k, v) in into {
                    let member = syn::Member::Unnamed(syn::Index { index: *k as u32, span: self.span });
                    let c = self.node_ref("grad", Op::Field { base: grads, member })?;
                    self.add(bars, *v, Operand::Var(c))?;
                }
            }
            Op::Method { name, .. } => {
                return Err(format!("the value goes through the method `{name}` (not supported yet)"));
            }
            Op::Field { .. } => {
                return Err(
                    "the targets are fields of a struct (not supported yet: differentiate with respect to a dlarray)"
                        .to_string(),
                );
            }
            _ => return Err("the value goes through a container or a wrapper (not supported yet)".to_string()),
        }
        Ok(())
    }

    /// `bar(v) += c`.
    fn add(&mut self, bars: &mut HashMap<VarId, VarId>, v: VarId, c: Operand) -> std::result::Result<(), String> {
        let new = match bars.get(&v) {
            Some(&old) => self.prim(rule("plus")?, vec![Operand::Var(old), c], vec![])?,
            None => match c {
                Operand::Var(c) => c,
                c => self.copy(c)?,
            },
        };
        bars.insert(v, new);
        Ok(())
    }

    /// A template instantiated on a node's values.
    fn template(&mut self, t: &str, env: &Env) -> std::result::Result<Operand, String> {
        let e: syn::Expr = syn::parse_str(t).map_err(|e| format!("template `{t}`: {e}"))?;
        self.expr(&e, env)
    }

    fn expr(&mut self, e: &syn::Expr, env: &Env) -> std::result::Result<Operand, String> {
        use syn::Expr;
        if !mentions_values(e) {
            // plain arithmetic on the plain parameter and numbers (`e as f64`, `e - 1`)
            let ts = self.plain_tokens(e, env);
            return Ok(Operand::Var(self.plain(ts)?));
        }
        match e {
            Expr::Paren(p) => self.expr(&p.expr, env),
            Expr::Path(p) => {
                let name = p.path.get_ident().map(|i| i.to_string()).unwrap_or_default();
                env.value(&name).ok_or_else(|| format!("template names `{name}`"))
            }
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
                let a = self.expr(&u.expr, env)?;
                Ok(Operand::Var(self.prim(rule("uminus")?, vec![a], vec![])?))
            }
            Expr::Binary(b) => {
                let name = match b.op {
                    syn::BinOp::Add(_) => "plus",
                    syn::BinOp::Sub(_) => "minus",
                    syn::BinOp::Mul(_) => "times",
                    syn::BinOp::Div(_) => "rdivide",
                    _ => return Err("template operator".to_string()),
                };
                let l = self.expr(&b.left, env)?;
                let r = self.expr(&b.right, env)?;
                Ok(Operand::Var(self.prim(rule(name)?, vec![l, r], vec![])?))
            }
            Expr::Call(c) => {
                let name = match &*c.func {
                    Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()).unwrap_or_default(),
                    _ => String::new(),
                };
                let r = rule(&name)?;
                if r.args.len() != c.args.len() {
                    return Err(format!("template call of `{name}`"));
                }
                let mut operands = Vec::new();
                let mut extras = Vec::new();
                for (a, kind) in c.args.iter().zip(r.args) {
                    match kind {
                        crate::rules::A::O => operands.push(self.expr(a, env)?),
                        crate::rules::A::E => extras.push(self.extra(a, env)),
                    }
                }
                Ok(Operand::Var(self.prim(r, operands, extras)?))
            }
            _ => Err(format!("template expression `{}`", e.to_token_stream())),
        }
    }

    /// A template argument in a plain position (`e`, `e - 1`): its tokens.
    fn extra(&mut self, e: &syn::Expr, env: &Env) -> Extra {
        let tokens = self.plain_tokens(e, env);
        let mentions = self.mentions(&tokens);
        Extra { tokens, mentions }
    }

    /// Plain template tokens: `e` is the node's plain parameter, `numel(v)` the element count.
    fn plain_tokens(&self, e: &syn::Expr, env: &Env) -> TokenStream {
        let mut e = e.clone();
        struct Sub<'b>(&'b Env, &'b Body);
        impl syn::visit_mut::VisitMut for Sub<'_> {
            fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
                if let syn::Expr::Call(c) = e
                    && matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("numel"))
                    && let Some(syn::Expr::Path(p)) = c.args.first()
                    && let Some(Operand::Var(v)) = p.path.get_ident().and_then(|i| self.0.value(&i.to_string()))
                {
                    let i = &self.1.vars[v].ident;
                    *e = syn::parse_quote!(__ad::numel_of(__ad::val(&#i)));
                    return;
                }
                if let syn::Expr::Path(p) = e
                    && p.path.is_ident("e")
                    && let Some(x) = self.0.extras.first()
                {
                    let t = &x.tokens;
                    *e = syn::parse_quote!((#t));
                    return;
                }
                syn::visit_mut::visit_expr_mut(self, e);
            }
        }
        syn::visit_mut::VisitMut::visit_expr_mut(&mut Sub(env, self.body), &mut e);
        e.to_token_stream()
    }

    fn mentions(&self, ts: &TokenStream) -> Vec<VarId> {
        let mut names = std::collections::HashSet::new();
        crate::rename::mentioned(ts, &mut names);
        self.body
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| names.contains(&v.ident.to_string()))
            .map(|(i, _)| i)
            .collect()
    }

    fn ident(&self, v: VarId) -> syn::Ident {
        self.body.vars[v].ident.clone()
    }

    fn prim(
        &mut self,
        rule: &'static Rule,
        args: Vec<Operand>,
        extras: Vec<Extra>,
    ) -> std::result::Result<VarId, String> {
        self.node(rule.name, Op::Prim { rule, args, extras })
    }

    fn copy(&mut self, a: Operand) -> std::result::Result<VarId, String> {
        self.node("grad", Op::Copy(a))
    }

    fn node(&mut self, hint: &str, op: Op) -> std::result::Result<VarId, String> {
        self.node_at(hint, op, self.span)
    }

    fn node_at(&mut self, hint: &str, op: Op, span: Span) -> std::result::Result<VarId, String> {
        let out = push_var(self.body, hint, VarKind::Temp, true);
        self.out.push(Stmt::Let(Node { out, op, span }));
        Ok(out)
    }

    /// A node whose value is a reference (a field of a tuple).
    fn node_ref(&mut self, hint: &str, op: Op) -> std::result::Result<VarId, String> {
        let v = self.node(hint, op)?;
        self.body.vars[v].is_ref = true;
        Ok(v)
    }

    /// A plain temp from tokens.
    fn plain(&mut self, ts: TokenStream) -> std::result::Result<VarId, String> {
        let v = push_var(self.body, "c", VarKind::Temp, false);
        let i = self.ident(v);
        self.out.push(Stmt::Opaque(quote_spanned!(self.span=> let #i = #ts;), vec![v]));
        Ok(v)
    }

    /// A new var defined by an opaque statement built from its ident and another var's.
    fn opaque(
        &mut self,
        hint: &str,
        f: impl Fn(&syn::Ident, &syn::Ident) -> TokenStream,
        of: VarId,
    ) -> std::result::Result<VarId, String> {
        let v = push_var(self.body, hint, VarKind::Temp, false);
        let (i, o) = (self.ident(v), self.ident(of));
        self.out.push(Stmt::Opaque(f(&i, &o), vec![v]));
        Ok(v)
    }
}

/// The values a template names.
struct Env {
    g: VarId,
    y: VarId,
    operands: Vec<Operand>,
    extras: Vec<Extra>,
}

impl Env {
    fn value(&self, name: &str) -> Option<Operand> {
        match name {
            "g" => Some(Operand::Var(self.g)),
            "y" => Some(Operand::Var(self.y)),
            "a" => self.operands.first().cloned(),
            "b" => self.operands.get(1).cloned(),
            "c" => self.operands.get(2).cloned(),
            _ => None,
        }
    }
}

/// Whether a template expression names a value (`g`, `y`, `a`, `b`, `c`) outside `numel(..)`.
fn mentions_values(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Path(p) => {
            p.path.get_ident().is_some_and(|i| ["g", "y", "a", "b", "c"].contains(&i.to_string().as_str()))
        }
        syn::Expr::Call(c) if matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("numel")) => false,
        syn::Expr::Call(c) => c.args.iter().any(mentions_values),
        syn::Expr::Binary(b) => mentions_values(&b.left) || mentions_values(&b.right),
        syn::Expr::Unary(u) => mentions_values(&u.expr),
        syn::Expr::Paren(p) => mentions_values(&p.expr),
        syn::Expr::Cast(c) => mentions_values(&c.expr),
        _ => false,
    }
}

fn rule(name: &str) -> std::result::Result<&'static Rule, String> {
    RULES.iter().find(|r| r.name == name).ok_or_else(|| format!("no primitive `{name}`"))
}

/// A new var with a fresh name.
fn push_var(body: &mut Body, hint: &str, kind: VarKind, varied: bool) -> VarId {
    let mut k = 1;
    let mut name = format!("{hint}_h{k}");
    while body.taken.contains(&name) {
        k += 1;
        name = format!("{hint}_h{k}");
    }
    body.taken.insert(name.clone());
    let ident = format_ident!("{}", name);
    body.vars.push(Var {
        ident,
        kind,
        varied,
        is_ref: false,
        created: None,
        from_plain_code: false,
        again: None,
        mutable: false,
    });
    body.vars.len() - 1
}

//! Stage 2, lower: the function body (syntax) into the IR (A-normal form). Syntax only: this stage
//! never decides what an operation means for a type, only what it is (an operator, a method call
//! with a name, an index); the emitted code lets the compiler choose.
//!
//! An expression that mentions no value that may be traced is kept as it is (plain Rust, renamed to
//! the current names of the user's variables); every other expression is broken into nodes, one per
//! operation, each at the span of the user's expression.
//!
//! | module | lowers |
//! |---|---|
//! | `stmt` | statements, `let` and patterns, assignments and in-place updates, attributes |
//! | `expr` | operators, calls, methods, indexing, fields, literals, macros |
//! | `control` | `if`, `match`, `for`, `while`, `loop`, `break`, `continue`, cells |
//! | `iter` | iterator chains with closures (`map`, `zip`, `fold`, `sum`, …) and `Option` combinators |
//! | `grad` | `dlgradient` sites and their options |
//! | `scan` | what a block mutates (which variables become cells), before lowering it |

mod calls;
mod closure;
mod control;
mod expr;
mod grad;
mod iter;
mod plain;
mod scan;
mod stmt;

use std::collections::{HashMap, HashSet};

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident};
use syn::Ident;

use crate::diag::Diagnostics;
use crate::ir::{Block, Body, Extra, Node, Op, Operand, Stmt, Var, VarId, VarKind};
use crate::signature::Sig;

/// The value of a lowered expression.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    /// A var.
    Var(VarId),
    /// Plain tokens that mention no var that may be traced.
    Const(TokenStream),
    /// An expression with no value (`()`), or one after an error.
    Unit,
}

/// The lowering of one function body.
pub(crate) struct Lower<'a> {
    pub(crate) vars: Vec<Var>,
    /// Name scopes, innermost last: the user's name → the current var.
    scopes: Vec<HashMap<String, VarId>>,
    /// Statements of the block being lowered, innermost last.
    blocks: Vec<Vec<Stmt>>,
    /// Every identifier of the user's function and of generated code.
    taken: HashSet<String>,
    /// How many vars each name hint produced, for fresh names.
    counters: HashMap<String, usize>,
    pub(crate) diag: &'a Diagnostics,
    /// Ids for branches and loops.
    next_id: usize,
    /// The loops being lowered, innermost last (for `break` and `continue`).
    pub(crate) loops: Vec<usize>,
    /// Names of the user's mutable variables that are cells in the current function.
    cells: HashSet<String>,
    /// Gradient sites seen so far (for the check that they are not in loops).
    pub(crate) grads_seen: usize,
    /// The runtime's hidden module (`::autodiff::__private`), for plain code that calls it.
    pub(crate) rt: TokenStream,
    /// The user's names that may hold traced values at some point (see `scan::varied_names`).
    pub(crate) varied_names: HashSet<String>,
    /// Closures bound by `let`, by the var they are bound to, inlined where they are called.
    pub(crate) closures: HashMap<VarId, closure::LocalClosure>,
}

/// Lowers a body.
pub(crate) fn lower(sig: &Sig, block: &syn::Block, diag: &Diagnostics, rt: TokenStream) -> Body {
    let mut taken = HashSet::new();
    collect_idents(&block.to_token_stream(), &mut taken);
    for p in &sig.params {
        taken.insert(p.ident.to_string());
    }
    let mut l = Lower {
        vars: Vec::new(),
        scopes: vec![HashMap::new()],
        blocks: vec![Vec::new()],
        taken,
        counters: HashMap::new(),
        diag,
        next_id: 0,
        loops: Vec::new(),
        cells: HashSet::new(),
        grads_seen: 0,
        rt,
        varied_names: HashSet::new(),
        closures: HashMap::new(),
    };
    let seeds: HashSet<String> = sig.params.iter().filter(|p| p.traced).map(|p| p.ident.to_string()).collect();
    l.varied_names = scan::varied_names(block, &seeds);
    for (i, p) in sig.params.iter().enumerate() {
        let id = l.vars.len();
        let ident = if p.ident == "self" { Ident::new("__ad_self", p.ident.span()) } else { p.ident.clone() };
        l.vars.push(Var {
            ident,
            kind: VarKind::Param(i),
            varied: p.traced,
            is_ref: p.is_ref,
            created: None,
            from_plain_code: false,
            again: None,
            mutable: p.mutable,
        });
        l.taken.insert(p.ident.to_string());
        l.bind(&p.ident.to_string(), id);
    }
    let ret = l.block_value(&block.stmts);
    let ret = match ret {
        Val::Var(v) => Some(Operand::Var(v)),
        Val::Const(ts) => Some(Operand::Const(ts)),
        Val::Unit => None,
    };
    let stmts = l.blocks.pop().unwrap_or_default();
    Body { vars: l.vars, block: Block { stmts }, ret, taken: l.taken }
}

fn collect_idents(ts: &TokenStream, out: &mut HashSet<String>) {
    crate::rename::mentioned(ts, out);
}

impl Lower<'_> {
    /// A new var.
    pub(crate) fn new_var(&mut self, ident: Ident, kind: VarKind, varied: bool, is_ref: bool) -> VarId {
        self.taken.insert(ident.to_string());
        self.vars.push(Var {
            ident,
            kind,
            varied,
            is_ref,
            created: None,
            from_plain_code: false,
            again: None,
            mutable: false,
        });
        self.vars.len() - 1
    }

    /// Binds a user name to a var in the innermost scope.
    pub(crate) fn bind(&mut self, name: &str, id: VarId) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.to_string(), id);
        }
    }

    /// The var a user name currently refers to.
    pub(crate) fn lookup(&self, name: &str) -> Option<VarId> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    /// A name for the user's variable `ident`: the user's own for its first binding, `name_k` after.
    pub(crate) fn user_ident(&mut self, ident: &Ident) -> Ident {
        let name = ident.to_string();
        if self.vars.iter().all(|v| v.ident != name) {
            return ident.clone();
        }
        self.fresh(&name, ident.span())
    }

    /// A fresh identifier from a hint, never one of the user's.
    pub(crate) fn fresh(&mut self, hint: &str, span: Span) -> Ident {
        // `sum_` gives `sum_1`, not `sum__1` (which the non_snake_case lint flags)
        let hint = match hint.trim_start_matches("r#").trim_end_matches('_') {
            "" => "v",
            h => h,
        };
        loop {
            let k = self.counters.entry(hint.to_string()).or_insert(0);
            *k += 1;
            let candidate = format!("{hint}_{k}");
            if !self.taken.contains(&candidate) {
                self.taken.insert(candidate.clone());
                return Ident::new(&candidate, span);
            }
        }
    }

    /// A fresh temp var for a node's output.
    pub(crate) fn temp(&mut self, hint: &str, span: Span, varied: bool, is_ref: bool) -> VarId {
        let ident = self.fresh(hint, span);
        self.new_var(ident, VarKind::Temp, varied, is_ref)
    }

    /// Pushes a statement into the current block.
    pub(crate) fn push(&mut self, s: Stmt) {
        if let Some(b) = self.blocks.last_mut() {
            b.push(s);
        }
    }

    /// Lowers statements into a new block (with its own name scope) and returns it.
    pub(crate) fn block_of(&mut self, f: impl FnOnce(&mut Self) -> Val) -> (Block, Val) {
        self.blocks.push(Vec::new());
        self.scopes.push(HashMap::new());
        let v = f(self);
        self.scopes.pop();
        let stmts = self.blocks.pop().unwrap_or_default();
        (Block { stmts }, v)
    }

    /// A node: `out = op`. `varied` says whether the result may be traced.
    pub(crate) fn node(&mut self, op: Op, span: Span, hint: &str, varied: bool, is_ref: bool) -> VarId {
        let from_plain = match &op {
            Op::Plain { tokens } => self.mentions_varied_vars(tokens),
            other => other.reads().iter().any(|v| self.vars[*v].from_plain_code),
        };
        let out = self.temp(hint, span, varied, is_ref);
        self.vars[out].from_plain_code = from_plain;
        self.push(Stmt::Let(Node { out, op, span }));
        out
    }

    /// Whether a value may carry traced data.
    pub(crate) fn is_varied(&self, v: &Val) -> bool {
        matches!(v, Val::Var(id) if self.vars[*id].varied)
    }

    /// Whether the tokens mention a var that may be traced (by the user's names in scope).
    pub(crate) fn mentions_varied(&self, ts: &TokenStream) -> bool {
        let mut names = HashSet::new();
        crate::rename::mentioned(ts, &mut names);
        names.iter().any(|n| self.is_varied_name(n))
    }

    /// Whether a user's name (in scope) may hold traced values, or is a closure bound by `let`
    /// (inlined where it is called, so its calls are lowered too).
    pub(crate) fn is_varied_name(&self, n: &str) -> bool {
        self.lookup(n).is_some_and(|v| self.vars[v].varied || self.closures.contains_key(&v))
    }

    /// Whether tokens (already renamed) mention a var that may be traced.
    pub(crate) fn mentions_varied_vars(&self, ts: &TokenStream) -> bool {
        self.mentioned_vars(ts).iter().any(|v| self.vars[*v].varied)
    }

    /// The renamer for plain code: each user name to its current var's ident.
    pub(crate) fn renamed_tokens(&self, ts: TokenStream) -> TokenStream {
        crate::rename::tokens(ts, &|i| self.lookup(&i.to_string()).map(|v| self.vars[v].ident.clone()))
    }

    /// A plain expression, renamed, as tokens.
    pub(crate) fn renamed_expr(&self, e: &syn::Expr) -> TokenStream {
        let mut e = e.clone();
        crate::rename::expr(&mut e, &|i| self.lookup(&i.to_string()).map(|v| self.vars[v].ident.clone()));
        e.to_token_stream()
    }

    /// The plain vars (by their current names) that tokens mention.
    pub(crate) fn mentioned_vars(&self, ts: &TokenStream) -> Vec<VarId> {
        let mut names = HashSet::new();
        crate::rename::mentioned(ts, &mut names);
        let mut out: Vec<VarId> =
            names.iter().filter_map(|n| self.vars.iter().position(|v| v.ident == n.as_str())).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// A value as an operand: a var, or tokens that can be evaluated again (anything that is not a
    /// literal or a path is bound to a plain temp first, so it runs once).
    pub(crate) fn operand(&mut self, v: Val, span: Span) -> Operand {
        match v {
            Val::Var(id) => Operand::Var(id),
            // `x` or `&x` of a plain var: the var (reverse sweeps must see that they read it)
            Val::Const(ts) if self.var_of_tokens(&ts).is_some() => {
                Operand::Var(self.var_of_tokens(&ts).unwrap_or_default())
            }
            Val::Const(ts) if is_pure(&ts) && self.mentioned_vars(&ts).is_empty() => Operand::Const(ts),
            Val::Const(ts) => Operand::Var(self.plain_temp("c", ts, span)),
            Val::Unit => Operand::Const(quote::quote_spanned!(span=> ())),
        }
    }

    /// A value used once where it is (a cell's value, a constructor's element): constants stay
    /// tokens.
    pub(crate) fn operand_once(&mut self, v: Val, span: Span) -> Operand {
        match v {
            Val::Var(id) => Operand::Var(id),
            Val::Const(ts) => match self.var_of_tokens(&ts) {
                Some(id) if !crate::lower::expr::refs_of_tokens(&ts) => Operand::Var(id),
                _ => Operand::Const(ts),
            },
            Val::Unit => Operand::Const(quote::quote_spanned!(span=> ())),
        }
    }

    /// The var that tokens `x` or `&x` name.
    fn var_of_tokens(&self, ts: &TokenStream) -> Option<VarId> {
        let e = syn::parse2::<syn::Expr>(ts.clone()).ok()?;
        let (inner, _) = expr::refs_of(&e);
        match inner {
            syn::Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let name = p.path.segments[0].ident.to_string();
                self.vars.iter().position(|v| v.ident == name.as_str())
            }
            _ => None,
        }
    }

    /// A plain parameter of a primitive: tokens evaluated where the node is and again in reverse
    /// sweeps; anything not pure is bound to a temp first.
    pub(crate) fn extra(&mut self, v: Val, span: Span) -> Extra {
        let v = match v {
            // anything but a constant is evaluated once, here: the reverse sweeps read the temp (its
            // record, in a loop), not the variables it was computed from, which may have changed
            Val::Const(ts) if !is_pure(&ts) || !self.mentioned_vars(&ts).is_empty() => {
                Val::Var(self.plain_temp("e", ts, span))
            }
            other => other,
        };
        let v = match v {
            // a plain binding that may change later (`let mut k = 0; .. x[k] .. k += 1;`): its value
            // now, copied, so that a sweep does not read the value it has at the end
            Val::Var(id) if self.vars[id].mutable => {
                let ident = self.vars[id].ident.clone();
                Val::Var(self.plain_temp("e", quote::quote_spanned!(span=> ::core::clone::Clone::clone(&#ident)), span))
            }
            other => other,
        };
        let op = match v {
            Val::Var(id) => Operand::Var(id),
            Val::Const(ts) => Operand::Const(ts),
            Val::Unit => Operand::Const(quote::quote_spanned!(span=> ())),
        };
        match op {
            Operand::Var(id) => {
                let ident = &self.vars[id].ident;
                let tokens = quote::quote_spanned!(span=> ::core::clone::Clone::clone(&#ident));
                Extra { tokens, mentions: vec![id] }
            }
            Operand::Const(ts) => {
                let mentions = self.mentioned_vars(&ts);
                Extra { tokens: ts, mentions }
            }
        }
    }

    /// Plain code evaluated once into a temp: a place (`data.x`) by reference (it is not moved out
    /// of), a borrow (`&data.x`, `&[n, 1]`) as it is, anything else by value (`0.5 * dt`).
    fn plain_temp(&mut self, hint: &str, ts: TokenStream, span: Span) -> VarId {
        let e = syn::parse2::<syn::Expr>(ts.clone()).ok();
        let place = e.as_ref().is_some_and(|e| place_like(e, false));
        let borrow = matches!(&e, Some(syn::Expr::Reference(_)));
        let id = self.temp(hint, span, false, place || borrow);
        let ident = self.vars[id].ident.clone();
        let def = if place {
            quote::quote_spanned!(span=> let #ident = &(#ts);)
        } else {
            quote::quote_spanned!(span=> let #ident = #ts;)
        };
        // a borrow of a place can be taken again from what it reads
        let of_place = match &e {
            Some(syn::Expr::Reference(r)) => place_like(&r.expr, true),
            Some(e) => place_like(e, true),
            None => false,
        };
        if of_place {
            let mentions = self.mentioned_vars(&ts);
            self.vars[id].again = Some((def.clone(), mentions));
        }
        self.push(Stmt::Opaque(def, vec![id]));
        id
    }

    /// A new id for a branch or a loop.
    pub(crate) fn next_id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// An error at `span` with a `help` line; lowering goes on with a unit value.
    pub(crate) fn unsupported(&self, span: Span, what: impl std::fmt::Display, help: impl std::fmt::Display) -> Val {
        self.diag.error(span, what, help);
        Val::Unit
    }

    /// A hint for a temp's name from an identifier.
    pub(crate) fn hint(name: &str) -> String {
        let s: String = name.chars().filter(|c| c.is_alphanumeric() || *c == '_').collect();
        if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) { format!("t{s}") } else { s.to_lowercase() }
    }

    /// A fresh identifier for generated code that is not a var.
    pub(crate) fn generated(&mut self, hint: &str) -> Ident {
        let id = self.fresh(hint, Span::call_site());
        format_ident!("{}", id)
    }
}

/// Tokens that can be evaluated again without effects: a literal, a path, `-literal`, a reference to
/// either, a parenthesized one.
/// Whether tokens borrow a place made of names, fields and pure indices (`&data.gather[..]`).
pub(crate) fn borrows_place(ts: &TokenStream) -> bool {
    matches!(syn::parse2::<syn::Expr>(ts.clone()), Ok(syn::Expr::Reference(r)) if place_like(&r.expr, true))
}

/// Whether an expression is a place (`a.b`, `v[i]`, `*r`): something that cannot be moved out of.
/// `pure` asks for one made of names, fields and pure indices only (`data.gather[..]`), which can be
/// named again later.
fn place_like(e: &syn::Expr, pure: bool) -> bool {
    match e {
        syn::Expr::Path(_) => true,
        syn::Expr::Field(f) => !pure || place_like(&f.base, pure),
        syn::Expr::Index(i) => !pure || (place_like(&i.expr, pure) && pure_expr(&i.index)),
        syn::Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)) && (!pure || place_like(&u.expr, pure)),
        syn::Expr::Paren(p) => place_like(&p.expr, pure),
        syn::Expr::Group(g) => place_like(&g.expr, pure),
        _ => false,
    }
}

pub(crate) fn is_pure(ts: &TokenStream) -> bool {
    #[allow(clippy::needless_return)]
    let Ok(e) = syn::parse2::<syn::Expr>(ts.clone()) else {
        return false;
    };
    pure_expr(&e)
}

fn pure_expr(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Lit(_) | syn::Expr::Path(_) => true,
        syn::Expr::Paren(p) => pure_expr(&p.expr),
        syn::Expr::Group(g) => pure_expr(&g.expr),
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => pure_expr(&u.expr),
        syn::Expr::Reference(r) => pure_expr(&r.expr),
        syn::Expr::Field(f) => pure_expr(&f.base),
        syn::Expr::Tuple(t) => t.elems.iter().all(pure_expr),
        syn::Expr::Array(a) => a.elems.iter().all(pure_expr),
        syn::Expr::Range(r) => r.start.as_deref().is_none_or(pure_expr) && r.end.as_deref().is_none_or(pure_expr),
        syn::Expr::Binary(b) => pure_expr(&b.left) && pure_expr(&b.right),
        syn::Expr::Cast(c) => pure_expr(&c.expr),
        _ => false,
    }
}

//! Stage 4, differentiate: the reverse sweep of each `dlgradient` site and of the companion's
//! pullback, as IR ([`Sweep`]).
//!
//! A sweep runs over the statements before its site, last first. Only *active* values get adjoints:
//! those that depend on a target and that the differentiated value depends on (found by
//! [`activity`]). For each statement:
//!
//! | forward | reverse |
//! |---|---|
//! | `y = prim(a, b)` | `ā += adjoint₀(ȳ, y, a, b)`, `b̄ += adjoint₁(..)` (rule table) |
//! | `y = f(a, b)` (a companion) | `(ā, b̄) += pullback(ȳ)` |
//! | `y = x.f`, `y = x[i]`, `y = x?` | `x̄.f += ȳ`, `x̄[i] += ȳ`, `x̄ += ȳ` |
//! | `y = (a, b)`, `S { f: a }`, `Some(a)` | `ā += ȳ.0`, `ā += ȳ.f`, `ā += ȳ` |
//! | `c := v` (a cell) | `v̄ += c̄; c̄ = 0`, then `c` gets its old value back |
//! | `c.push(v)`, `c[i] := v`, `c.clear()` | `v̄ += c̄.pop()`, `v̄ += c̄[i]; c̄[i] = 0`, `c̄` gets its old length |
//! | `if` / `match` | the reverse of the branch taken (recorded) |
//! | loop | the reverse of each iteration, last first (the iteration count is recorded) |
//!
//! Values the reverse reads that a branch or a loop body defines are recorded on typed stacks by the
//! forward code (`analyze`); everything else is read where it is.

pub(crate) mod activity;
pub(crate) mod higher;

use std::collections::HashSet;

use crate::ir::{Block, Body, Node, Op, Stmt, Update, VarId};

/// A reverse sweep.
#[derive(Debug, Clone)]
pub(crate) struct Sweep {
    /// What seeds it.
    pub(crate) seed: Seed,
    /// Vars that get an adjoint slot.
    pub(crate) active: HashSet<VarId>,
    /// The reverse statements, last forward statement first.
    pub(crate) body: Vec<R>,
}

/// The seed of a sweep.
#[derive(Debug, Clone)]
pub(crate) enum Seed {
    /// `ȳ = 1` for `dlgradient(y, ..)` (the site's index among the body's sites).
    Value { y: VarId, site: usize },
    /// The result's gradient given to a companion's pullback.
    Result,
}

/// A statement of a reverse sweep.
#[derive(Debug, Clone)]
pub(crate) enum R {
    /// The adjoint of a node: contributions into the listed operands (positions in `Op::flow`).
    Node { node: Node, into: Vec<(usize, VarId)> },
    /// The reverse of a cell's definition: `init̄ += c̄`.
    DefCell { cell: VarId, init: Option<VarId> },
    /// The reverse of a cell update.
    Update { cell: VarId, update: Update, into: Option<VarId> },
    /// The reverse of a branch: the branch taken (recorded under `id`).
    If { id: usize, then: Vec<R>, els: Vec<R> },
    /// The reverse of a match: the arm taken.
    Match { id: usize, arms: Vec<Vec<R>> },
    /// The reverse of a loop: its iterations, last first; `binds` are the vars the loop head binds
    /// (its pattern, its counter), whose records move at the end of each reverse iteration.
    Loop { id: usize, body: Vec<R>, has_exits: bool, binds: Vec<VarId> },
    /// The records of plain vars a statement bound move back (their definition is reversed).
    Pop(Vec<VarId>),
    /// A `dlgradient` result (first order) that a derivative reached: an error at run time.
    GradSink(VarId),
    /// Reverse statements under the attributes of the forward ones (`#[cfg(..)]`).
    Attr { attrs: proc_macro2::TokenStream, body: Vec<R> },
    /// Guards the statements after a loop body's statement `k` on whether the iteration reached it
    /// (loop `id`).
    Reached { k: usize, id: usize, body: Vec<R> },
}

/// The sweep of a `dlgradient(y, targets)` site over the statements before it.
pub(crate) fn site(body: &Body, site: usize, y: VarId, targets: &[VarId]) -> Sweep {
    let before = statements_before_site(&body.block, site);
    let active = activity::active(body, &before, &[y], targets);
    let rev = reverse_block(&before, &active);
    Sweep { seed: Seed::Value { y, site }, active, body: rev }
}

/// The sweep of a companion's pullback: the whole body, seeded at the returned value.
pub(crate) fn pullback(body: &Body, ret: VarId, params: &[VarId]) -> Sweep {
    let active = activity::active(body, &body.block, &[ret], params);
    let rev = reverse_block(&body.block, &active);
    Sweep { seed: Seed::Result, active, body: rev }
}

/// The statements before the `site`-th `dlgradient` site (at the top level or in branches: the
/// enclosing blocks' statements before it, the site's own block cut at it).
fn statements_before_site(b: &Block, site: usize) -> Block {
    let mut count = 0;
    cut(b, site, &mut count).0
}

/// `b` cut at the `site`-th gradient site; whether the site was found inside.
fn cut(b: &Block, site: usize, count: &mut usize) -> (Block, bool) {
    let mut out = Vec::new();
    for s in &b.stmts {
        match s {
            Stmt::Grad(_) => {
                if *count == site {
                    return (Block { stmts: out }, true);
                }
                *count += 1;
                out.push(s.clone());
            }
            Stmt::If { id, cond, then, els } => {
                let (t, ft) = cut(then, site, count);
                if ft {
                    // the site is in the `then` branch: the sweep runs only when it is taken
                    out.push(Stmt::If { id: *id, cond: cond.clone(), then: t, els: Block::default() });
                    return (Block { stmts: out }, true);
                }
                let (e, fe) = cut(els, site, count);
                if fe {
                    out.push(Stmt::If { id: *id, cond: cond.clone(), then: Block::default(), els: e });
                    return (Block { stmts: out }, true);
                }
                out.push(s.clone());
            }
            Stmt::Attr { attrs, body } => {
                let (inner, f) = cut(body, site, count);
                out.push(Stmt::Attr { attrs: attrs.clone(), body: inner });
                if f {
                    return (Block { stmts: out }, true);
                }
            }
            Stmt::Match { id, scrutinee, arms } => {
                for (k, a) in arms.iter().enumerate() {
                    let (inner, f) = cut(&a.body, site, count);
                    if f {
                        let mut arms2: Vec<_> =
                            arms.iter().map(|a| crate::ir::Arm { body: Block::default(), ..a.clone() }).collect();
                        arms2[k].body = inner;
                        out.push(Stmt::Match { id: *id, scrutinee: scrutinee.clone(), arms: arms2 });
                        return (Block { stmts: out }, true);
                    }
                }
                out.push(s.clone());
            }
            _ => out.push(s.clone()),
        }
    }
    (Block { stmts: out }, false)
}

/// The reverse of a block (its statements last first), keeping only what touches active values.
pub(crate) fn reverse_block(b: &Block, active: &HashSet<VarId>) -> Vec<R> {
    let mut out = Vec::new();
    for s in b.stmts.iter().rev() {
        if let Some(r) = reverse_stmt(s, active) {
            out.push(r);
        }
    }
    if out.iter().all(|r| matches!(r, R::Pop(_))) {
        out.clear();
    }
    out
}

fn reverse_stmt(s: &Stmt, active: &HashSet<VarId>) -> Option<R> {
    match s {
        Stmt::Let(n) => {
            if !active.contains(&n.out) {
                // nothing to reverse, but a record of the value moves back
                return Some(R::Pop(vec![n.out]));
            }
            let into: Vec<(usize, VarId)> = n.op.flow().into_iter().filter(|(_, v)| active.contains(v)).collect();
            if into.is_empty() && !matches!(n.op, Op::Call { .. } | Op::Method { .. }) {
                return Some(R::Pop(vec![n.out]));
            }
            Some(R::Node { node: n.clone(), into })
        }
        Stmt::DefCell { cell, init, .. } => {
            if !active.contains(cell) {
                return None;
            }
            let init = init.as_ref().and_then(|i| i.var()).filter(|v| active.contains(v));
            Some(R::DefCell { cell: *cell, init })
        }
        Stmt::Update { cell, update, .. } => {
            if !active.contains(cell) {
                return match update {
                    Update::SetIndex { saved, .. } | Update::Clear { saved } => Some(R::Pop(vec![*saved])),
                    _ => None,
                };
            }
            let value = match update {
                Update::Set(v) | Update::Push(v) => v.var(),
                Update::SetIndex { value, .. } | Update::SetField { value, .. } => value.var(),
                Update::Clear { .. } => None,
            };
            let into = value.filter(|v| active.contains(v));
            Some(R::Update { cell: *cell, update: update.clone(), into })
        }
        Stmt::If { id, then, els, .. } => {
            let t = reverse_block(then, active);
            let e = reverse_block(els, active);
            if t.is_empty() && e.is_empty() {
                return None;
            }
            Some(R::If { id: *id, then: t, els: e })
        }
        Stmt::Match { id, arms, .. } => {
            let arms: Vec<Vec<R>> = arms
                .iter()
                .map(|a| {
                    let mut r = reverse_block(&a.body, active);
                    if !a.binds.is_empty() && !r.is_empty() {
                        r.push(R::Pop(a.binds.clone()));
                    }
                    r
                })
                .collect();
            if arms.iter().all(Vec::is_empty) {
                return None;
            }
            Some(R::Match { id: *id, arms })
        }
        Stmt::Loop(l) => {
            let mut body = Vec::new();
            for (k, s) in l.body.stmts.iter().enumerate().rev() {
                if let Some(r) = reverse_stmt(s, active) {
                    if l.has_exits && may_exit_before(&l.body, k, l.id) {
                        body.push(R::Reached { k, id: l.id, body: vec![r] });
                    } else {
                        body.push(r);
                    }
                }
            }
            if body.iter().all(|r| matches!(r, R::Pop(_))) {
                return None;
            }
            let binds = match &l.kind {
                crate::ir::LoopKind::For { binds, .. } => binds.clone(),
                crate::ir::LoopKind::Elements { counter, .. } => vec![*counter],
                crate::ir::LoopKind::Loop => vec![],
            };
            Some(R::Loop { id: l.id, body, has_exits: l.has_exits, binds })
        }
        Stmt::Attr { attrs, body } => {
            let r = reverse_block(body, active);
            if r.is_empty() {
                return None;
            }
            Some(R::Attr { attrs: attrs.clone(), body: r })
        }
        Stmt::Opaque(_, vars) if !vars.is_empty() => Some(R::Pop(vars.clone())),
        Stmt::Grad(g) if active.contains(&g.out) => Some(R::GradSink(g.out)),
        Stmt::Opaque(..) | Stmt::Exit { .. } | Stmt::Grad(_) => None,
    }
}

/// Whether an iteration may leave the loop (or continue) before reaching statement `k`.
fn may_exit_before(b: &Block, k: usize, id: usize) -> bool {
    b.stmts[..k].iter().any(|s| {
        let mut found = false;
        let one = Block { stmts: vec![s.clone()] };
        one.walk(&mut |x| {
            if let Stmt::Exit { loop_id, .. } = x
                && *loop_id == id
            {
                found = true;
            }
        });
        found
    })
}

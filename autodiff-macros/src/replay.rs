//! Which loops store values and which loops replay them.
//!
//! The reverse sweep of a loop visits the iterations last first, and each iteration's adjoint reads
//! values of the forward computation. By default those values are **stored**: every value of the
//! body a sweep reads is pushed on its own typed stack (`analyze`).
//!
//! A loop of **independent iterations** stores nothing per iteration: a `for` over a range (or over
//! the positions of a container) whose body is straight-line code of primitives and projections,
//! whose plain statements are `let`s that can run again (no calls, no macros: nothing random or
//! with side effects), and whose every cell is an *accumulator*: updated once per iteration as
//! `s = s ± e₁ ± e₂ …` (or `s += e`), with neither `s` nor the partial sums read anywhere else. The
//! adjoint of `±` needs only sizes, so the reverse sweep runs the range backwards, computes each
//! iteration's values again from the counter and from values the loop does not change, stands in
//! for the partial sums with values of the right size, and runs the iteration's adjoint. The
//! element-loop Rosenbrock
//! `for i in 0..n - 1 { f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2); }`
//! is such a loop: its gradient costs about one more forward pass and no memory per iteration. The
//! only record is the size of an accumulator at the iterations where implicit expansion grew it
//! (`s = 0` then `s = s + v` with a vector `v`): usually nothing.

use std::collections::{HashMap, HashSet};

use crate::ir::{Block, Loop, LoopKind, Op, Operand, Stmt, Update, VarId};

/// A loop whose reverse sweep computes each iteration's values again instead of reading records.
#[derive(Debug, Clone, Default)]
pub(crate) struct Replay {
    /// The accumulators (cells updated only as `s = s ± e …`), each with its snapshot (the copy of
    /// the cell the chain starts from).
    pub(crate) cells: Vec<(VarId, VarId)>,
    /// The partial sums (`plus`/`minus` nodes of the chains) and the snapshots: values the reverse
    /// sweep stands in for, each with the operand position that carries the accumulated value
    /// (`None` for a snapshot).
    pub(crate) chain: HashMap<VarId, Option<usize>>,
}

/// The loops of a block (at any depth outside other loops) that qualify, by id.
pub(crate) fn replays(b: &Block) -> HashMap<usize, Replay> {
    let mut out = HashMap::new();
    for s in &b.stmts {
        match s {
            Stmt::Loop(l) => {
                if let Some(r) = replay(l) {
                    out.insert(l.id, r);
                }
            }
            Stmt::If { then, els, .. } => {
                out.extend(replays(then));
                out.extend(replays(els));
            }
            Stmt::Attr { body, .. } => out.extend(replays(body)),
            _ => {}
        }
    }
    out
}

fn replay(l: &Loop) -> Option<Replay> {
    if l.has_exits {
        return None;
    }
    match &l.kind {
        LoopKind::For { iter, binds, .. } if is_range(iter) && binds.len() <= 1 => {}
        LoopKind::Elements { .. } => {}
        _ => return None,
    }
    // uses of each var in the body
    let mut uses: HashMap<VarId, usize> = HashMap::new();
    let mut nodes = HashMap::new();
    let mut sets: Vec<(VarId, VarId)> = Vec::new();
    for s in &l.body.stmts {
        match s {
            Stmt::Let(n) => {
                match &n.op {
                    Op::Prim { .. } | Op::Cat { .. } if extras_pure(extras_of(&n.op)) => {}
                    Op::Copy(_) | Op::Field { .. } | Op::Index { .. } | Op::Query { .. } => {}
                    _ => return None,
                }
                for v in n.op.reads() {
                    *uses.entry(v).or_default() += 1;
                }
                nodes.insert(n.out, n);
            }
            Stmt::Opaque(ts, _) => {
                if !is_let(ts) || !no_calls(ts) {
                    return None;
                }
            }
            Stmt::Update { cell, update: Update::Set(Operand::Var(v)), .. } => {
                *uses.entry(*v).or_default() += 1;
                sets.push((*cell, *v));
            }
            _ => return None,
        }
    }
    let mut out = Replay::default();
    let mut cells_seen = HashSet::new();
    for (cell, value) in sets {
        if !cells_seen.insert(cell) {
            return None;
        }
        // the chain: plus/minus nodes from the value back to a snapshot of the cell
        let mut cur = value;
        let snapshot = loop {
            let n = nodes.get(&cur)?;
            if uses.get(&cur) != Some(&1) {
                return None;
            }
            match &n.op {
                Op::Copy(Operand::Var(c)) if *c == cell => break cur,
                Op::Prim { rule, args, .. } if matches!(rule.func, "plus" | "minus") => {
                    let pos = args.iter().position(|a| a.var().is_some_and(|v| leads_to(v, cell, &nodes)))?;
                    out.chain.insert(cur, Some(pos));
                    cur = args[pos].var()?;
                }
                _ => return None,
            }
        };
        // the cell is read only by that snapshot
        let reads_of_cell = nodes.values().filter(|n| matches!(&n.op, Op::Copy(Operand::Var(c)) if *c == cell)).count();
        if reads_of_cell != 1 {
            return None;
        }
        out.chain.insert(snapshot, None);
        out.cells.push((cell, snapshot));
    }
    // any other cell changed in the body disqualifies (only `Set`s were allowed above)
    Some(out)
}

fn extras_of(op: &Op) -> Vec<&crate::ir::Extra> {
    match op {
        Op::Prim { extras, .. } => extras.iter().collect(),
        Op::Cat { dim, .. } => vec![dim],
        _ => vec![],
    }
}

fn extras_pure(e: Vec<&crate::ir::Extra>) -> bool {
    e.iter().all(|x| no_calls(&x.tokens) || crate::lower::is_pure(&x.tokens))
}

/// Whether `v` is the cell's snapshot or a `plus`/`minus` node leading to it.
fn leads_to(v: VarId, cell: VarId, nodes: &HashMap<VarId, &crate::ir::Node>) -> bool {
    let Some(n) = nodes.get(&v) else { return false };
    match &n.op {
        Op::Copy(Operand::Var(c)) => *c == cell,
        Op::Prim { rule, args, .. } if matches!(rule.func, "plus" | "minus") => {
            args.iter().any(|a| a.var().is_some_and(|u| leads_to(u, cell, nodes)))
        }
        _ => false,
    }
}

/// `a..b` or `a..=b`: an iterator that runs backwards and can be made again.
fn is_range(iter: &proc_macro2::TokenStream) -> bool {
    matches!(syn::parse2::<syn::Expr>(iter.clone()), Ok(syn::Expr::Range(r)) if r.start.is_some() && r.end.is_some())
}

/// A `let` statement.
fn is_let(ts: &proc_macro2::TokenStream) -> bool {
    matches!(ts.clone().into_iter().next(), Some(proc_macro2::TokenTree::Ident(i)) if i == "let")
}

/// Code without calls or macros (the runtime's `clone` of a value aside): safe to evaluate again.
fn no_calls(ts: &proc_macro2::TokenStream) -> bool {
    use proc_macro2::{Delimiter, TokenTree};
    let tts: Vec<TokenTree> = ts.clone().into_iter().collect();
    tts.iter().enumerate().all(|(k, tt)| match tt {
        TokenTree::Punct(p) => p.as_char() != '!',
        TokenTree::Group(g) => {
            let called = g.delimiter() == Delimiter::Parenthesis
                && k > 0
                && match &tts[k - 1] {
                    TokenTree::Ident(_) | TokenTree::Group(_) => true,
                    TokenTree::Punct(p) => p.as_char() == '>',
                    TokenTree::Literal(_) => false,
                };
            let clone = k >= 1 && matches!(&tts[k - 1], TokenTree::Ident(i) if i == "clone");
            (!called || clone) && no_calls(&g.stream())
        }
        _ => true,
    })
}

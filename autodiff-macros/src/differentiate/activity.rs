//! Activity: the values a sweep gives adjoints to. A value is *varied* when it depends on a target
//! and *useful* when the differentiated value depends on it; a sweep gives adjoints to the values that
//! are both. The analysis runs over the data-flow edges of nodes and cell updates to a fixpoint, so
//! values carried around loops are handled like any other. It decides only what code is generated:
//! what an operation means is the compiler's choice.

use std::collections::HashSet;

use crate::ir::{Block, Body, Stmt, Update, VarId};

/// A data-flow edge: derivatives can flow from `to` back to each of `from`.
struct Edge {
    from: Vec<VarId>,
    to: VarId,
    /// A `dlgradient` result (first order): it depends on its inputs, but no derivative flows back
    /// through it (a sweep that reaches it stops with an error).
    stop: bool,
}

/// The active vars of a sweep over `block`, from the `seeds` back to the `targets`.
pub(crate) fn active(body: &Body, block: &Block, seeds: &[VarId], targets: &[VarId]) -> HashSet<VarId> {
    let _ = body;
    let mut edges = Vec::new();
    collect(block, &mut edges);
    // varied: forward from the targets
    let mut varied: HashSet<VarId> = targets.iter().copied().collect();
    loop {
        let before = varied.len();
        for e in &edges {
            if !varied.contains(&e.to) && e.from.iter().any(|f| varied.contains(f)) {
                varied.insert(e.to);
            }
        }
        if varied.len() == before {
            break;
        }
    }
    // useful: backward from the seeds, through varied values
    let mut useful: HashSet<VarId> = seeds.iter().copied().filter(|s| varied.contains(s)).collect();
    loop {
        let before = useful.len();
        for e in edges.iter().filter(|e| !e.stop) {
            if useful.contains(&e.to) {
                for f in &e.from {
                    if varied.contains(f) {
                        useful.insert(*f);
                    }
                }
            }
        }
        if useful.len() == before {
            break;
        }
    }
    useful
}

fn collect(b: &Block, out: &mut Vec<Edge>) {
    for s in &b.stmts {
        match s {
            Stmt::Let(n) => {
                let from: Vec<VarId> = n.op.flow().into_iter().map(|(_, v)| v).collect();
                out.push(Edge { from, to: n.out, stop: false });
            }
            Stmt::DefCell { cell, init, .. } => {
                if let Some(v) = init.as_ref().and_then(|i| i.var()) {
                    out.push(Edge { from: vec![v], to: *cell, stop: false });
                }
            }
            Stmt::Update { cell, update, .. } => {
                let v = match update {
                    Update::Set(v) | Update::Push(v) => v.var(),
                    Update::SetIndex { value, .. } | Update::SetField { value, .. } => value.var(),
                    Update::Clear { .. } => None,
                };
                if let Some(v) = v {
                    out.push(Edge { from: vec![v], to: *cell, stop: false });
                }
            }
            Stmt::If { then, els, .. } => {
                collect(then, out);
                collect(els, out);
            }
            Stmt::Match { arms, .. } => arms.iter().for_each(|a| collect(&a.body, out)),
            Stmt::Loop(l) => collect(&l.body, out),
            Stmt::Attr { body, .. } => collect(body, out),
            Stmt::Grad(g) => {
                let mut from = vec![g.y];
                from.extend(g.targets.iter().map(|t| t.var));
                out.push(Edge { from, to: g.out, stop: !g.higher });
            }
            Stmt::Opaque(..) | Stmt::Exit { .. } => {}
        }
    }
}

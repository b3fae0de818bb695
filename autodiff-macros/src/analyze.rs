//! Stage 3, analyze: what the forward code records for the reverse sweeps.
//!
//! A value defined inside a branch or a loop body is gone when the sweep runs (out of scope, or
//! overwritten by the next iteration), so when a sweep reads it the forward code pushes it on a typed
//! stack (one `Vec` per value, pre-sized for loops). The same goes for the branch each `if`/`match`
//! took, the number of iterations of each loop, where each iteration left a loop with `break` or
//! `continue`, and the old values of cells. Sweeps read stacks through cursors, so several sweeps
//! (two `dlgradient` calls) read the same records.
//!
//! A record is *internal* when a `dlgradient` sweep of the function reads it (always kept), and
//! *pullback-only* when only the companion's pullback does (kept only when the caller will call
//! the pullback).

use std::collections::{HashMap, HashSet};

use crate::differentiate::{R, Sweep};
use crate::ir::{Block, Body, Op, Stmt, Update, VarId};

/// Who needs a record.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Need {
    /// A `dlgradient` sweep of this function.
    Internal,
    /// Only the companion's pullback.
    Pullback,
}

impl Need {
    fn join(self, other: Need) -> Need {
        if self == Need::Internal || other == Need::Internal { Need::Internal } else { Need::Pullback }
    }
}

/// The forward records.
#[derive(Default, Debug)]
pub(crate) struct Plan {
    /// Vars defined inside a branch or a loop body (not at the function's top level).
    pub(crate) region: HashSet<VarId>,
    /// Region vars pushed on a stack when defined.
    pub(crate) stacked: HashMap<VarId, Need>,
    /// Cells defined in a region whose final value (at the end of their block) is pushed.
    pub(crate) cell_final: HashMap<VarId, Need>,
    /// Branches (`if`/`match` ids) whose taken branch is pushed.
    pub(crate) branches: HashMap<usize, Need>,
    /// Loops whose iteration count (and exit points) are pushed.
    pub(crate) loops: HashMap<usize, Need>,
    /// Cells of the top level that sweeps read (each sweep works on a copy).
    pub(crate) top_cells: HashSet<VarId>,
    /// Loops replayed by the reverse sweeps (see `replay`), by id.
    pub(crate) replay: HashMap<usize, crate::replay::Replay>,
    /// Vars defined in the bodies of replayed loops (computed again, never recorded).
    pub(crate) replayed: HashSet<VarId>,
    /// The vars the companion's pullback reads (what its closure keeps).
    pub(crate) pullback_reads: HashSet<VarId>,
}

/// The plan for a body and its sweeps (`internal` flags each sweep: a `dlgradient` site or the
/// pullback).
pub(crate) fn plan(body: &Body, sweeps: &[(Sweep, bool)]) -> Plan {
    let mut p = Plan::default();
    regions(&body.block, false, &mut p.region);
    p.replay = crate::replay::replays(&body.block);
    body.block.walk(&mut |s| {
        if let Stmt::Loop(l) = s
            && p.replay.contains_key(&l.id)
        {
            let mut inner = HashSet::new();
            regions(&l.body, true, &mut inner);
            p.replayed.extend(inner);
            match &l.kind {
                crate::ir::LoopKind::For { binds, .. } => p.replayed.extend(binds),
                crate::ir::LoopKind::Elements { counter, .. } => {
                    p.replayed.insert(*counter);
                }
                crate::ir::LoopKind::Loop => {}
            }
        }
    });
    for (sweep, internal) in sweeps {
        let need = if *internal { Need::Internal } else { Need::Pullback };
        let mut reads = HashSet::new();
        for v in &sweep.active {
            reads.insert(*v);
        }
        reads_of(&sweep.body, &mut reads, &mut p, need);
        if !*internal {
            p.pullback_reads = reads.clone();
        }
        for v in reads {
            if p.replayed.contains(&v) {
                continue;
            }
            if p.region.contains(&v) {
                if body.vars[v].kind == crate::ir::VarKind::Cell {
                    add(&mut p.cell_final, v, need);
                } else {
                    add(&mut p.stacked, v, need);
                }
            } else if body.vars[v].kind == crate::ir::VarKind::Cell {
                p.top_cells.insert(v);
            }
        }
    }
    p
}

fn add<K: std::hash::Hash + Eq>(m: &mut HashMap<K, Need>, k: K, need: Need) {
    let e = m.entry(k).or_insert(need);
    *e = e.join(need);
}

/// Marks the vars defined inside nested blocks.
fn regions(b: &Block, nested: bool, out: &mut HashSet<VarId>) {
    for s in &b.stmts {
        match s {
            Stmt::Let(n) if nested => {
                out.insert(n.out);
            }
            Stmt::Opaque(_, vars) if nested => out.extend(vars),
            Stmt::DefCell { cell, .. } if nested => {
                out.insert(*cell);
            }
            Stmt::Update { update: Update::SetIndex { saved, .. } | Update::Clear { saved }, .. } if nested => {
                out.insert(*saved);
            }
            Stmt::If { then, els, .. } => {
                regions(then, true, out);
                regions(els, true, out);
            }
            Stmt::Match { arms, .. } => {
                for a in arms {
                    out.extend(&a.binds);
                    regions(&a.body, true, out);
                }
            }
            Stmt::Loop(l) => {
                if let crate::ir::LoopKind::For { binds, .. } = &l.kind {
                    out.extend(binds);
                }
                if let crate::ir::LoopKind::Elements { counter, .. } = &l.kind {
                    out.insert(*counter);
                }
                regions(&l.body, true, out);
            }
            Stmt::Attr { body, .. } => regions(body, nested, out),
            _ => {}
        }
    }
}

/// The forward vars a sweep reads, and the branches and loops it replays.
fn reads_of(rs: &[R], out: &mut HashSet<VarId>, p: &mut Plan, need: Need) {
    for r in rs {
        match r {
            R::Node { node, .. } => {
                out.insert(node.out);
                out.extend(node_reads(&node.op));
            }
            R::DefCell { cell, .. } => {
                out.insert(*cell);
            }
            R::Update { cell, update, .. } => {
                out.insert(*cell);
                match update {
                    Update::SetIndex { index, saved, .. } => {
                        out.insert(*saved);
                        out.extend(&index.mentions);
                    }
                    Update::Clear { saved } => {
                        out.insert(*saved);
                    }
                    Update::Set(_) | Update::SetField { .. } | Update::Push(_) => {}
                }
            }
            R::If { id, then, els } => {
                add(&mut p.branches, *id, need);
                reads_of(then, out, p, need);
                reads_of(els, out, p, need);
            }
            R::Match { id, arms } => {
                add(&mut p.branches, *id, need);
                for a in arms {
                    reads_of(a, out, p, need);
                }
            }
            R::Loop { id, body, .. } => {
                add(&mut p.loops, *id, need);
                reads_of(body, out, p, need);
            }
            R::Attr { body, .. } | R::Reached { body, .. } => reads_of(body, out, p, need),
            R::Pop(_) | R::GradSink(_) => {}
        }
    }
}

/// What the adjoint of a node reads besides slots.
pub(crate) fn node_reads(op: &Op) -> Vec<VarId> {
    match op {
        Op::Prim { args, extras, .. } => {
            let mut v: Vec<VarId> = args.iter().filter_map(|a| a.var()).collect();
            extras.iter().for_each(|e| v.extend(&e.mentions));
            v
        }
        Op::Cat { args, dim } => {
            let mut v: Vec<VarId> = args.iter().filter_map(|a| a.var()).collect();
            v.extend(&dim.mentions);
            v
        }
        Op::Index { base, index, .. } => {
            let mut v = vec![*base];
            v.extend(&index.mentions);
            v
        }
        // pullbacks are kept under the output's name (`<out>_pb`), recorded with it
        Op::Call { .. } | Op::Method { .. } => vec![],
        _ => vec![],
    }
}

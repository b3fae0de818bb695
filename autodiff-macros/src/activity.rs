//! Stage 3, analyze: for one reverse sweep, which vars are *varied* (depend on a target) and *useful*
//! (the differentiated value depends on them). Only nodes whose output is both get adjoint code, and
//! an adjoint is declared only for vars that are both: an adjoint nobody reaches is never allocated.
//!
//! The analysis runs over the data-flow edges of nodes and of cells (variables reassigned in branches
//! and loops), to a fixpoint, so loop-carried values are handled like any other.
//!
//! It also finds which adjoints are *guaranteed* to be reached, so that their nodes need no run-time
//! "was this reached?" test: a top-level value used by a reached primitive is reached; outputs of calls
//! to other `#[differentiable]` functions and values inside branches and loops are tested at run time.

use std::collections::HashSet;

use crate::ir::{Arg, Callee, Edge, Node, Op, Stmt, VarId};
use crate::rules::Adjoint;

/// The plan of one reverse sweep.
pub(crate) struct Sweep {
    /// Vars that get an adjoint slot; nodes whose output is here get adjoint code.
    pub(crate) active: HashSet<VarId>,
    /// Vars whose adjoint is surely non-zero when its node's adjoint runs.
    pub(crate) guaranteed: HashSet<VarId>,
    /// Vars that receive contributions.
    pub(crate) receives: HashSet<VarId>,
}

/// The vars a derivative flows to from a node's output, with the argument position.
pub(crate) fn flow_args(node: &Node) -> Vec<(usize, VarId)> {
    let vars = |args: &[Arg]| -> Vec<(usize, VarId)> {
        args.iter()
            .enumerate()
            .filter_map(|(i, a)| match a {
                Arg::Var(v) => Some((i, *v)),
                Arg::Const(_) => None,
            })
            .collect()
    };
    match &node.op {
        Op::Prim { rule, args, .. } => match rule.adjoint {
            Adjoint::Kernels(_) => vars(args),
            Adjoint::Zero | Adjoint::Untraced => vec![],
        },
        Op::Cat { args, .. } | Op::Tuple(args) => vars(args),
        Op::Call { callee, args, .. } => {
            let mut all = Vec::new();
            if let Callee::Method { recv, .. } = callee {
                all.push(recv.arg.clone());
            }
            all.extend(args.iter().map(|a| a.arg.clone()));
            vars(&all)
        }
        Op::Get { parent, .. } | Op::Elem { parent, .. } | Op::Field { parent, .. } => vec![(0, *parent)],
        Op::Struct { fields, .. } => fields
            .iter()
            .enumerate()
            .filter_map(|(i, (_, a))| if let Arg::Var(v) = a { Some((i, *v)) } else { None })
            .collect(),
        Op::SetField { parent, value, .. } => {
            let mut out = vec![(0, *parent)];
            if let Arg::Var(v) = value {
                out.push((1, *v));
            }
            out
        }
    }
}

/// Every data-flow edge of the statements (nodes and cells, nested regions included).
pub(crate) fn edges(stmts: &[Stmt]) -> Vec<Edge> {
    let mut nodes = Vec::new();
    let mut out = Vec::new();
    for s in stmts {
        s.nodes(&mut nodes);
        s.cell_edges(&mut out);
    }
    for n in nodes {
        out.push(Edge { from: flow_args(n).into_iter().map(|(_, v)| v).collect(), to: n.out });
    }
    out
}

/// Plans the sweep that differentiates `seeds` with respect to `targets` over `stmts` (the statements
/// before the `dlgradient` site, or the whole body for a pullback). `seeds_guaranteed`: whether the
/// seeds' adjoints are surely non-zero (a `dlgradient` seed is 1; a pullback's may be unreached).
pub(crate) fn analyze(stmts: &[Stmt], targets: &[VarId], seeds: &[VarId], seeds_guaranteed: bool) -> Sweep {
    let edges = edges(stmts);
    let mut varied: HashSet<VarId> = targets.iter().copied().collect();
    loop {
        let before = varied.len();
        for e in &edges {
            if e.from.iter().any(|a| varied.contains(a)) {
                varied.insert(e.to);
            }
        }
        if varied.len() == before {
            break;
        }
    }
    let mut useful: HashSet<VarId> = seeds.iter().copied().collect();
    loop {
        let before = useful.len();
        for e in &edges {
            if useful.contains(&e.to) {
                useful.extend(e.from.iter().copied().filter(|a| varied.contains(a)));
            }
        }
        if useful.len() == before {
            break;
        }
    }
    let active: HashSet<VarId> = varied.intersection(&useful).copied().collect();
    let mut receives = HashSet::new();
    for e in &edges {
        if active.contains(&e.to) {
            receives.extend(e.from.iter().copied().filter(|a| active.contains(a)));
        }
    }
    // guaranteed: through top-level primitives only, in reverse order
    let mut guaranteed: HashSet<VarId> =
        if seeds_guaranteed { seeds.iter().copied().collect() } else { HashSet::new() };
    for s in stmts.iter().rev() {
        if let Stmt::Node(n) = s
            && active.contains(&n.out)
            && guaranteed.contains(&n.out)
            && !matches!(n.op, Op::Call { .. })
        {
            for (_, a) in flow_args(n) {
                if active.contains(&a) {
                    guaranteed.insert(a);
                }
            }
        }
    }
    Sweep { active, guaranteed, receives }
}

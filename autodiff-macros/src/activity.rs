//! Stage 3, analyze: for one reverse sweep, which vars are *varied* (depend on a target) and *useful*
//! (the differentiated value depends on them). Only nodes whose output is both get adjoint code, and
//! an adjoint is declared only for vars that are both: an adjoint nobody reaches is never allocated.
//!
//! It also finds which adjoints are *guaranteed* to be reached, so that their nodes need no run-time
//! "was this reached?" test (only outputs of calls to other `#[differentiable]` functions can come back
//! unreached).

use std::collections::HashSet;

use crate::ir::{Arg, Callee, Node, Op, VarId};
use crate::rules::Adjoint;

/// The plan of one reverse sweep.
pub(crate) struct Sweep {
    /// Indices (into the node list given to [`analyze`]) of the nodes that get adjoint code, in forward
    /// order.
    pub(crate) nodes: Vec<usize>,
    /// Vars that get an adjoint slot.
    pub(crate) active: HashSet<VarId>,
    /// Vars whose adjoint is surely non-zero when its node runs.
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
        Op::Get { parent, .. } | Op::Elem { parent, .. } => vec![(0, *parent)],
    }
}

/// Plans the sweep that differentiates `seeds` with respect to `targets` over `nodes` (in forward
/// order). `seeds_guaranteed`: whether the seeds' adjoints are surely non-zero (a `dlgradient` seed is
/// 1; a pullback's incoming adjoint may be unreached).
pub(crate) fn analyze(nodes: &[&Node], targets: &[VarId], seeds: &[VarId], seeds_guaranteed: bool) -> Sweep {
    let mut varied: HashSet<VarId> = targets.iter().copied().collect();
    for n in nodes {
        if flow_args(n).iter().any(|(_, a)| varied.contains(a)) {
            varied.insert(n.out);
        }
    }
    let mut useful: HashSet<VarId> = seeds.iter().copied().collect();
    for n in nodes.iter().rev() {
        if useful.contains(&n.out) {
            for (_, a) in flow_args(n) {
                if varied.contains(&a) {
                    useful.insert(a);
                }
            }
        }
    }
    let active: HashSet<VarId> = varied.intersection(&useful).copied().collect();
    let active_nodes: Vec<usize> = (0..nodes.len()).filter(|&i| active.contains(&nodes[i].out)).collect();
    let mut guaranteed: HashSet<VarId> =
        if seeds_guaranteed { seeds.iter().copied().collect() } else { HashSet::new() };
    let mut receives = HashSet::new();
    for &i in active_nodes.iter().rev() {
        let n = nodes[i];
        let through = guaranteed.contains(&n.out) && !matches!(n.op, Op::Call { .. });
        for (_, a) in flow_args(n) {
            if active.contains(&a) {
                receives.insert(a);
                if through {
                    guaranteed.insert(a);
                }
            }
        }
    }
    Sweep { nodes: active_nodes, active, guaranteed, receives }
}

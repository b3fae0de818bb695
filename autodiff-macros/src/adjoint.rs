//! Stage 4, differentiate: the reverse sweep as a list of steps, from the rule table. Each active
//! node, in reverse order, adds its contributions into the adjoint slots of its active arguments.
//!
//! | node | contribution to each active argument `a` |
//! |---|---|
//! | primitive | its adjoint kernel: `kernel(&mut a_bar, &out_bar, out, args..)` |
//! | `cat` | `cat_adj(&mut a_bar, &out_bar, out, dim, &[..], i)` |
//! | call of a `#[differentiable]` function | its pullback, once: `let g = out_pullback(&out_bar)`, then `acc_all(&mut a_bar, &g.i)` |
//! | tuple `(a, b)` | `acc_all(&mut a_bar, &out_bar.i)` |
//! | `&p.field` / `&p[i]` | `acc_all(&mut p_bar.field, &out_bar)` / `acc_all(&mut p_bar[i], &out_bar)` |

use crate::activity::{Sweep, flow_args};
use crate::ir::{Node, Op, VarId};
use crate::rules::Adjoint;

/// One contribution into an argument's slot.
pub(crate) enum Contribution {
    /// A primitive's adjoint kernel.
    Kernel { kernel: &'static str, into: VarId },
    /// Operand `index` of `cat`.
    Cat { index: usize, into: VarId },
    /// Parameter `position` of the callee's pullback result.
    Pullback { position: usize, into: VarId },
    /// Element `index` of a tuple's adjoint.
    TupleElement { index: usize, into: VarId },
    /// Into a projection of the parent's slot (`.field` or `[i]`).
    Projection { into: VarId },
}

/// The adjoint code of one node.
pub(crate) struct Step {
    /// Index into the node list.
    pub(crate) node: usize,
    /// Whether the output's adjoint may be unreached (then the step is skipped at run time).
    pub(crate) guard: bool,
    pub(crate) contributions: Vec<Contribution>,
}

/// The steps of a sweep, in reverse order.
pub(crate) fn steps(nodes: &[&Node], sweep: &Sweep) -> Vec<Step> {
    let mut out = Vec::new();
    for &i in sweep.nodes.iter().rev() {
        let n = nodes[i];
        let mut contributions = Vec::new();
        for (pos, a) in flow_args(n) {
            if !sweep.active.contains(&a) {
                continue;
            }
            contributions.push(match &n.op {
                Op::Prim { rule, .. } => match rule.adjoint {
                    Adjoint::Kernels(k) => Contribution::Kernel { kernel: k[pos], into: a },
                    Adjoint::Zero | Adjoint::Untraced => unreachable!("no flow through constant rules"),
                },
                Op::Cat { .. } => Contribution::Cat { index: pos, into: a },
                Op::Call { .. } => Contribution::Pullback { position: pos, into: a },
                Op::Tuple(_) => Contribution::TupleElement { index: pos, into: a },
                Op::Get { .. } | Op::Elem { .. } => Contribution::Projection { into: a },
            });
        }
        if !contributions.is_empty() {
            out.push(Step { node: i, guard: !sweep.guaranteed.contains(&n.out), contributions });
        }
    }
    out
}

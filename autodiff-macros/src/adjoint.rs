//! Stage 4, differentiate: the adjoint of one node as contributions into the slots of its active
//! arguments, from the rule table.
//!
//! | node | contribution to each active argument `a` |
//! |---|---|
//! | primitive | its adjoint kernel: `kernel(&mut a_bar, &out_bar, out, args..)` |
//! | `cat` | `cat_adj(&mut a_bar, &out_bar, out, dim, &[..], i)` |
//! | call of a `#[differentiable]` function | its pullback, once: `let g = out_pullback(&out_bar)`, then `acc_all(&mut a_bar, &g.i)` |
//! | tuple `(a, b)` | `acc_all(&mut a_bar, &out_bar.i)` |
//! | `&p.field` / `&p[i]` | `acc_all(&mut p_bar.field, &out_bar)` / `acc_all(&mut p_bar[i], &out_bar)` |
//! | struct `S { f: a, .. }` | `acc_all(&mut a_bar, &out_bar.f)` |
//! | `s.f = a` (a new `s`) | `acc_all(&mut a_bar, &out_bar.f)`; the old `s` gets `out_bar` without field `f` |
//!
//! Statements of cells reverse as: `cell = v` → `v̄ += cell̄; cell̄ = 0`, then the cell's previous value
//! is restored; `v.push(x)` → `x̄ += v̄.pop()`; `let mut cell = v` → `v̄ += cell̄`. A branch replays the
//! branch it took; a loop runs its body's reverse once per iteration, last first.

use std::collections::HashSet;

use crate::activity::flow_args;
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
    /// From one field of the output's slot (a struct's field, an assigned field).
    FromField { member: syn::Member, into: VarId },
    /// The whole output's slot except one field (the struct whose field was assigned).
    AllBut { member: syn::Member, into: VarId },
}

/// The contributions of a node into its active arguments.
pub(crate) fn contributions(n: &Node, active: &HashSet<VarId>) -> Vec<Contribution> {
    let mut out = Vec::new();
    for (pos, a) in flow_args(n) {
        if !active.contains(&a) {
            continue;
        }
        out.push(match &n.op {
            Op::Prim { rule, .. } => match rule.adjoint {
                Adjoint::Kernels(k) => Contribution::Kernel { kernel: k[pos], into: a },
                Adjoint::Zero | Adjoint::Untraced => unreachable!("no flow through constant rules"),
            },
            Op::Cat { .. } => Contribution::Cat { index: pos, into: a },
            Op::Call { .. } => Contribution::Pullback { position: pos, into: a },
            Op::Tuple(_) => Contribution::TupleElement { index: pos, into: a },
            Op::Get { .. } | Op::Elem { .. } | Op::Field { .. } => Contribution::Projection { into: a },
            Op::Struct { fields, .. } => Contribution::FromField { member: fields[pos].0.clone(), into: a },
            Op::SetField { member, .. } if pos == 0 => Contribution::AllBut { member: member.clone(), into: a },
            Op::SetField { member, .. } => Contribution::FromField { member: member.clone(), into: a },
        });
    }
    out
}

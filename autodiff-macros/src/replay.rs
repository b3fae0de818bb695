//! Which loops store values and which loops replay them.
//!
//! # What a loop records for its reverse sweep
//!
//! The reverse sweep of a loop visits the iterations last first, and each iteration's adjoint reads
//! values of the forward computation (the inputs of `x * y`, the output of `exp`, an index). The
//! macro decides at compile time, per loop, how those values are obtained:
//!
//! * **Stored** (the general case): one typed stack per value the adjoint reads that the loop
//!   defines (a `Vec<DlArray>` of each intermediate, a `Vec<usize>` of the counter), one stack of the
//!   successive values of each loop-carried variable (a *cell*) the adjoint reads, the branch taken in
//!   each `if`/`match`, the trip count, and where each iteration left when the body has `break` or
//!   `continue`. Stacks are pre-sized when the trip count is known at loop entry (`for` over a range
//!   or a container). A value the loop does not define (a parameter, a value computed before the loop)
//!   is never stored: the reverse sweep reads it where it is. A value on an inactive path (one no
//!   gradient flows through) gets no stack. Every value an adjoint kernel takes as an argument is
//!   stored whole, including the ones it reads only for their size (the operands of `plus`) and
//!   outputs the kernel ignores (the output of `plus`); storing sizes or nothing for those is a
//!   refinement not made yet.
//!
//! * **Replayed** (independent iterations): a top-level `for` loop over a range whose iterations share
//!   no value but *accumulators* stores nothing per iteration. An accumulator is a cell every
//!   iteration updates only as `s = s ± e₁ ± e₂ …` (or `s += e`), where neither `s` nor the partial
//!   sums are read anywhere else in the iteration: the adjoint of `±` needs no value of `s`, only its
//!   size. The reverse sweep runs the range backwards and, for each iteration, computes the body's
//!   values again (from the counter and from values the loop does not change), then runs the
//!   iteration's adjoint. The element-loop Rosenbrock
//!   `for i in 0..n - 1 { f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2); }`
//!   is such a loop: its gradient costs about one extra forward pass and no memory per iteration.
//!   The only record is the size of an accumulator at the iterations where implicit expansion grew it
//!   (`s = 0` then `s = s + v` with a vector `v`): usually nothing.
//!
//! A loop is replayed only when recomputation is sure to give the same values: its body is
//! straight-line code of primitives (no calls to other `#[differentiable]` functions, whose results
//! could differ between calls; no branches, nested loops, `break`/`continue`, `push`), its plain
//! statements are simple `let`s without calls or macros (so nothing random or with side effects runs
//! twice), and every cell it assigns is an accumulator. Everything else is stored.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::ir::{Arg, Body, Loop, Op, Stmt, VarId};

/// A loop whose reverse sweep computes each iteration's values again instead of reading stacks.
pub(crate) struct Replay {
    /// The accumulators: cells updated only as `s = s ± e …`.
    pub(crate) cells: Vec<VarId>,
    /// For each assignment `s = <value>` of the body (by the var it assigns), its partial sums from
    /// the cell outward: the `plus`/`minus` nodes whose values the reverse sweep does not compute
    /// again (it uses stand-ins of the right size), each with the position of the operand that
    /// carries the accumulated value.
    pub(crate) chains: HashMap<VarId, Vec<(VarId, usize)>>,
    /// Every node of those chains.
    pub(crate) chain_nodes: HashSet<VarId>,
}

/// The loops of a body's top level that qualify for replay, by loop id.
pub(crate) fn analyze(body: &Body, mentions: &dyn Fn(&TokenStream) -> HashSet<VarId>) -> HashMap<usize, Replay> {
    body.stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Loop(l) => loop_replay(l, mentions).map(|r| (l.id, r)),
            _ => None,
        })
        .collect()
}

fn loop_replay(l: &Loop, mentions: &dyn Fn(&TokenStream) -> HashSet<VarId>) -> Option<Replay> {
    let (pat, iter) = l.for_.as_ref()?;
    if l.has_exits || !is_counter(pat) || !is_range(iter) {
        return None;
    }
    // uses of each var inside the body: as an operand, a parent, an assigned value, or in tokens;
    // every token stream is evaluated again in the reverse sweep, so none may call anything
    let mut uses: HashMap<VarId, usize> = HashMap::new();
    let mut in_tokens: HashSet<VarId> = HashSet::new();
    let tokens = |ts: &TokenStream, in_tokens: &mut HashSet<VarId>| {
        in_tokens.extend(mentions(ts));
        no_calls(ts)
    };
    let mut nodes = HashMap::new();
    // (position, cell, assigned var)
    let mut assigns: Vec<(usize, VarId, VarId)> = Vec::new();
    let mut position: HashMap<VarId, usize> = HashMap::new();
    for (at, s) in l.body.stmts.iter().enumerate() {
        let mut ok = true;
        let mut args_ok = |args: &[Arg], uses: &mut HashMap<VarId, usize>, in_tokens: &mut HashSet<VarId>| {
            for a in args {
                match a {
                    Arg::Var(v) => *uses.entry(*v).or_default() += 1,
                    Arg::Const(ts) => ok &= tokens(ts, in_tokens),
                }
            }
        };
        match s {
            Stmt::Node(n) => {
                match &n.op {
                    Op::Prim { args, extras, .. } => {
                        args_ok(args, &mut uses, &mut in_tokens);
                        ok &= extras.iter().all(|e| tokens(e, &mut in_tokens));
                    }
                    Op::Cat { dim, args } => {
                        args_ok(args, &mut uses, &mut in_tokens);
                        ok &= tokens(dim, &mut in_tokens);
                    }
                    Op::Tuple(args) => args_ok(args, &mut uses, &mut in_tokens),
                    Op::Get { parent, .. } => *uses.entry(*parent).or_default() += 1,
                    Op::Elem { parent, index } => {
                        *uses.entry(*parent).or_default() += 1;
                        ok &= tokens(index, &mut in_tokens);
                    }
                    // a call's result may differ when it runs again (randomness inside the callee)
                    Op::Call { .. } | Op::Struct { .. } | Op::SetField { .. } | Op::Field { .. } => return None,
                }
                nodes.insert(n.out, n);
                position.insert(n.out, at);
            }
            Stmt::Opaque(ts, _) if is_let(ts) => ok &= tokens(ts, &mut in_tokens),
            Stmt::Assign { cell, value: Arg::Var(v) } => {
                *uses.entry(*v).or_default() += 1;
                assigns.push((at, *cell, *v));
            }
            _ => return None,
        }
        if !ok {
            return None;
        }
    }
    let mut cells: Vec<VarId> = Vec::new();
    let mut chains = HashMap::new();
    let mut chain_nodes = HashSet::new();
    for (k, &(at, cell, value)) in assigns.iter().enumerate() {
        let count = assigns.iter().filter(|a| a.1 == cell).count();
        if uses.get(&cell).copied().unwrap_or(0) != count || in_tokens.contains(&cell) {
            return None;
        }
        // the partial sums lie between the previous assignment of the cell and this one
        let after = assigns[..k].iter().rev().find(|a| a.1 == cell).map_or(0, |a| a.0 + 1);
        let mut chain = Vec::new();
        let mut cur = value;
        loop {
            let n = nodes.get(&cur)?;
            let Op::Prim { rule, args, .. } = &n.op else { return None };
            let inside = (after..at).contains(&position[&cur]);
            if !matches!(rule.kernel, "plus" | "minus")
                || uses.get(&cur) != Some(&1)
                || in_tokens.contains(&cur)
                || !inside
            {
                return None;
            }
            let leads = |a: &Arg| matches!(a, Arg::Var(v) if *v == cell || leads_to(*v, cell, &nodes));
            let pos = args.iter().position(leads)?;
            chain.push((cur, pos));
            match args[pos] {
                Arg::Var(v) if v == cell => break,
                Arg::Var(v) => cur = v,
                Arg::Const(_) => return None,
            }
        }
        chain.reverse();
        chain_nodes.extend(chain.iter().map(|c| c.0));
        chains.insert(value, chain);
        if !cells.contains(&cell) {
            cells.push(cell);
        }
    }
    Some(Replay { cells, chains, chain_nodes })
}

/// Whether `v` is a `plus`/`minus` node of the body with an operand leading to `cell`.
fn leads_to(v: VarId, cell: VarId, nodes: &HashMap<VarId, &crate::ir::Node>) -> bool {
    let Some(n) = nodes.get(&v) else { return false };
    let Op::Prim { rule, args, .. } = &n.op else { return false };
    matches!(rule.kernel, "plus" | "minus")
        && args.iter().any(|a| matches!(a, Arg::Var(u) if *u == cell || leads_to(*u, cell, nodes)))
}

/// A `for` pattern that binds one counter (or none).
fn is_counter(pat: &TokenStream) -> bool {
    let tts: Vec<TokenTree> = pat.clone().into_iter().collect();
    matches!(tts.as_slice(), [TokenTree::Ident(_)])
}

/// `a..b` or `a..=b`: an iterator that runs backwards (`DoubleEndedIterator`) and can be copied.
fn is_range(iter: &TokenStream) -> bool {
    matches!(syn::parse2::<syn::Expr>(iter.clone()), Ok(syn::Expr::Range(r)) if r.start.is_some() && r.end.is_some())
}

/// A `let` statement.
pub(crate) fn is_let(ts: &TokenStream) -> bool {
    matches!(ts.clone().into_iter().next(), Some(TokenTree::Ident(i)) if i == "let")
}

/// Code without calls or macros: safe to evaluate again (nothing random, no side effects).
pub(crate) fn no_calls(ts: &TokenStream) -> bool {
    let tts: Vec<TokenTree> = ts.clone().into_iter().collect();
    tts.iter().enumerate().all(|(k, tt)| match tt {
        TokenTree::Punct(p) => p.as_char() != '!',
        TokenTree::Group(g) => {
            // `f(..)`, `x.m(..)`, `f::<T>(..)`, `g(..)(..)`; not `(a + b)` after an operator
            let called = g.delimiter() == Delimiter::Parenthesis
                && k > 0
                && match &tts[k - 1] {
                    TokenTree::Ident(_) | TokenTree::Group(_) => true,
                    TokenTree::Punct(p) => p.as_char() == '>',
                    TokenTree::Literal(_) => false,
                };
            // the macro's own `__private::again(&i)` (a copy of an index) is pure
            let again = k >= 4
                && matches!(&tts[k - 1], TokenTree::Ident(i) if i == "again")
                && matches!(&tts[k - 4], TokenTree::Ident(i) if i == "__private");
            (!called || again) && no_calls(&g.stream())
        }
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use crate::diag::Diagnostics;
    use crate::ir::Stmt;
    use crate::paths::Paths;

    /// For each top-level loop of `item`, in order: whether it is replayed.
    fn decisions(item: &str) -> Vec<bool> {
        let mut func: syn::ItemFn = syn::parse_str(item).expect("a function");
        let diag = Diagnostics::default();
        let sig = crate::parse::signature(&mut func.sig, &diag);
        let body = crate::lower::lower(&sig, &func.block, &diag, &Paths::new(None));
        assert!(!diag.has_errors(), "the test function lowers");
        let mentions = |ts: &proc_macro2::TokenStream| {
            let mut names = HashSet::new();
            crate::rename::mentioned(ts, &mut names);
            body.vars.iter().enumerate().filter(|(_, v)| names.contains(&v.ident.to_string())).map(|(i, _)| i).collect()
        };
        let replays = super::analyze(&body, &mentions);
        body.stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Loop(l) => Some(replays.contains_key(&l.id)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn accumulations_are_replayed() {
        let f = "fn f(x: &DlArray, v: &Vec<DlArray>) -> DlArray {
            let n = x.numel();
            let mut f = dlarray(0.0);
            for i in 0..n - 1 {
                f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2);
            }
            let mut s = x[0] * 1.0;
            let mut t = dlarray(0.0);
            for i in 1..=n - 1 {
                let w = i as f64 * 2.0;
                s -= x[i].exp() * w;
                s += x[i];
                t = x[i].sin() - t;
            }
            for w in v {
                t = t + w * 2.0;                 // a container: a range over its indices
            }
            f + s + t
        }";
        assert_eq!(decisions(f), [true, true, true]);
    }

    #[test]
    fn dependent_iterations_are_stored() {
        let f = "fn f(x: &DlArray, v: &Vec<DlArray>) -> DlArray {
            let mut p = dlarray(1.0);
            for i in 0..x.numel() { p = p * x[i]; }                       // a product: reads p
            let mut s = dlarray(0.0);
            for i in 0..x.numel() { s = s + x[i]; p = p + s; }            // s read outside its sum
            for i in 0..x.numel() { s = s + g(x[i]); }                    // a call
            for i in 0..x.numel() { if i > 2 { break; } s = s + x[i]; }   // an exit
            for i in 0..x.numel() { s = s + x[i]; println!(\"{i}\"); }    // a macro
            for i in 0..x.numel() { let r = rnd(); s = s + x[i] * r; }    // a plain call
            let mut k = 0;
            while k < 3 { s = s + x[k]; k += 1; }                         // not a for loop
            s + p
        }";
        assert_eq!(decisions(f), [false, false, false, false, false, false, false]);
    }
}

//! The IR: a function body in A-normal form with structured control flow.
//!
//! Every value that may carry traced data is a named [`Var`]; every operation on one is a [`Node`]
//! that keeps the span of the user's expression. Plain Rust code that mentions no such value is kept
//! as [`Stmt::Opaque`] tokens. The IR never says what type a value has: each operation is emitted as
//! a call the compiler resolves by the operand types (a dlarray primitive, the plain `f64` operation,
//! a `Vec` element), so the same IR node means whatever the types make it mean.
//!
//! Variables the user reassigns inside branches and loops are *cells* (one mutable place, changed by
//! [`Stmt::Update`]); everything else is single-assignment (shadowing makes a new var).
//!
//! The reverse sweeps made by `differentiate` are IR too ([`Rev`] statements), so a sweep can be
//! printed, inspected, and — when written in primitives — differentiated again.

#[cfg(test)]
pub(crate) mod print;

use proc_macro2::{Span, TokenStream};
use syn::{Ident, Member};

use crate::rules::Rule;

/// An index into [`Body::vars`].
pub(crate) type VarId = usize;

/// What a var is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum VarKind {
    /// The `i`-th parameter (the receiver is parameter 0 of a method).
    Param(usize),
    /// A value the user named with `let` (or a pattern).
    Local,
    /// An intermediate value.
    Temp,
    /// A mutable place changed by updates (a `let mut` reassigned in a region, a `Vec` pushed to).
    Cell,
    /// The result of a `dlgradient` site.
    Gradient,
}

/// A named value.
#[derive(Clone, Debug)]
pub(crate) struct Var {
    /// The identifier in generated code.
    pub(crate) ident: Ident,
    pub(crate) kind: VarKind,
    /// May carry traced data (depends on a parameter that may be traced).
    pub(crate) varied: bool,
    /// Holds a reference (a reference parameter, `&x`, an element of a container).
    pub(crate) is_ref: bool,
    /// A dlarray made inside the function (`dlarray(..)`, `extractdata(..)`): what made it, for the
    /// compile-time check on gradient targets.
    pub(crate) created: Option<String>,
    /// Computed by plain code from values that may be traced (a macro, a closure call): plain if the
    /// compiler's check passes, so the macro does not call it untraced itself.
    pub(crate) from_plain_code: bool,
    /// A borrow of a place (`&data.x`, `&p.w[..]`): its `let` statement, which a pullback can run
    /// again, and the vars it reads.
    pub(crate) again: Option<(TokenStream, Vec<VarId>)>,
    /// A plain binding declared `mut` (or a `&mut` parameter): a reverse sweep must not read it
    /// where it is used, since it may have changed since (see `Lower::extra`).
    pub(crate) mutable: bool,
}

/// An argument of a node.
#[derive(Clone, Debug)]
pub(crate) enum Operand {
    Var(VarId),
    /// A literal or a constant expression that can be evaluated again (no side effects).
    Const(TokenStream),
}

/// A plain parameter of a primitive (dimensions, an exponent, an index): tokens evaluated where the
/// node is, and again in reverse sweeps (the vars they mention are kept).
#[derive(Clone, Debug)]
pub(crate) struct Extra {
    pub(crate) tokens: TokenStream,
    /// The plain vars the tokens mention (renamed).
    pub(crate) mentions: Vec<VarId>,
}

/// How the user wrote the value after a call: `?`, `.unwrap()`, `.expect(..)`.
#[derive(Clone, Debug)]
pub(crate) enum Post {
    None,
    Try,
    Unwrap,
    Expect(TokenStream),
}

/// An argument of a call: the value and how the user passed it.
#[derive(Clone, Debug)]
pub(crate) struct CallArg {
    pub(crate) value: Operand,
    /// The argument as the user wrote it (renamed), for the plain form of the call.
    pub(crate) written: TokenStream,
}

/// What a node computes.
#[derive(Clone, Debug)]
pub(crate) enum Op {
    /// A primitive of the rule table.
    Prim { rule: &'static Rule, args: Vec<Operand>, extras: Vec<Extra> },
    /// `cat(dim, &[a, b, ..])`.
    Cat { dim: Extra, args: Vec<Operand> },
    /// A call of a function: its companion `path::__ad`; `post` is what the user wrote after it.
    /// `vjp`: the call of the function's vector-Jacobian product `path::__ad_vjp` instead (written
    /// by higher-order sweeps; its last argument is the result's gradient).
    Call { path: syn::ExprPath, args: Vec<CallArg>, post: Post, vjp: bool },
    /// A method call not in the table: the receiver's companion `__ad_<name>` when it has one,
    /// else the call as written with a plain result.
    Method { recv: Operand, name: Ident, turbofish: Option<TokenStream>, args: Vec<CallArg>, post: Post },
    /// A query method or function (`numel`, `size`, `get`): the call as written, result plain.
    Query { tokens: TokenStream },
    /// Plain code reading traced values without differentiating them (a macro's arguments, a
    /// closure given to another function): run as written, the result checked to be plain.
    Plain { tokens: TokenStream },
    /// `base.member` (a field of a learnables struct, a tuple element).
    Field { base: VarId, member: Member },
    /// `base[index]` on a container (`Vec`, slice, array) or a dlarray (MATLAB indexing), chosen by
    /// type. `owned` copies the element (the container changes later).
    Index { base: VarId, index: Extra, owned: bool },
    /// `x?`, `x.unwrap()`, `x.expect(..)` on a `Result` or `Option` (a copy of the value), or a
    /// `Some(x)` pattern (`by_ref`: a reference into it).
    Unwrap { base: VarId, post: Post, by_ref: bool },
    /// `x.clone()`, or a copy of a value.
    Copy(Operand),
    /// `(a, b, ..)`.
    Tuple(Vec<Operand>),
    /// `[a, b, ..]`.
    Array(Vec<Operand>),
    /// `vec![a, b, ..]`.
    VecLit(Vec<Operand>),
    /// `Some(a)`, `Ok(a)`, `Err(a)`, `Box::new(a)`: a wrapper.
    Wrap { path: TokenStream, arg: Operand, kind: WrapKind },
    /// `Path { field: a, .. }`, or a tuple struct `Path(a, b)`.
    Struct { path: TokenStream, fields: Vec<(Member, Operand)>, tuple: bool },
    /// `dbg!(x)`: prints, and is `x`.
    Dbg(Operand, TokenStream),
}

/// A wrapper constructor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WrapKind {
    Some,
    Ok,
    Box,
}

/// `out = op`, at the user's span.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) out: VarId,
    pub(crate) op: Op,
    pub(crate) span: Span,
}

/// A change to a cell.
#[derive(Clone, Debug)]
pub(crate) enum Update {
    /// `cell = value`.
    Set(Operand),
    /// `cell[index] = value` (a dlarray: MATLAB assignment; a `Vec`: the element replaced).
    SetIndex { index: Extra, value: Operand, saved: VarId },
    /// `cell.member = value`.
    SetField { member: Member, value: Operand },
    /// `cell.push(value)`.
    Push(Operand),
    /// `cell.clear()`.
    Clear { saved: VarId },
}

/// A `dlgradient(y, targets..)` site.
#[derive(Clone, Debug)]
pub(crate) struct Grad {
    /// The var bound to the site's `Result`.
    pub(crate) out: VarId,
    pub(crate) y: VarId,
    /// `y` as the user wrote it, for run-time messages.
    pub(crate) y_text: String,
    pub(crate) targets: Vec<Target>,
    /// Whether the targets were written as a tuple (the result is then a tuple).
    pub(crate) tuple: bool,
    /// `EnableHigherDerivatives(true)`.
    pub(crate) higher: bool,
    pub(crate) span: Span,
    /// What the user wrote after the call (`?`): the site's var then holds the gradient itself.
    pub(crate) post: Post,
}

/// One gradient target.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) var: VarId,
    pub(crate) text: String,
}

/// A statement.
#[derive(Clone, Debug)]
pub(crate) enum Stmt {
    Let(Node),
    /// Plain Rust code, emitted as it is (after renaming); binds the plain vars listed.
    Opaque(TokenStream, Vec<VarId>),
    /// `let mut cell = init;` (or `let mut cell;`).
    DefCell {
        cell: VarId,
        init: Option<Operand>,
        /// The type the user wrote (`let mut v: Vec<DlArray> = ..collect();`).
        ty: Option<syn::Type>,
        span: Span,
    },
    /// A change to a cell.
    Update {
        cell: VarId,
        update: Update,
        span: Span,
    },
    /// `if cond { then } else { els }`; `cond` is a plain `bool` var or tokens.
    If {
        id: usize,
        cond: Cond,
        then: Block,
        els: Block,
    },
    /// `match scrutinee { arms }`.
    Match {
        id: usize,
        scrutinee: Cond,
        arms: Vec<Arm>,
    },
    Loop(Loop),
    /// `break` or `continue` of the innermost loop.
    Exit {
        is_break: bool,
        loop_id: usize,
    },
    Grad(Grad),
    /// A statement attribute the user wrote (`#[cfg(..)]`, `#[allow(..)]`) on the statements that
    /// follow from one user statement.
    Attr {
        attrs: TokenStream,
        body: Block,
    },
}

/// A condition or a scrutinee: a plain value, computed by the statements before it.
#[derive(Clone, Debug)]
pub(crate) enum Cond {
    /// A var holding the plain value.
    Var(VarId),
    /// Plain tokens.
    Tokens(TokenStream),
}

/// A block of statements.
#[derive(Clone, Debug, Default)]
pub(crate) struct Block {
    pub(crate) stmts: Vec<Stmt>,
}

/// One arm of a [`Stmt::Match`].
#[derive(Clone, Debug)]
pub(crate) struct Arm {
    /// The pattern and guard as the user wrote them (renamed).
    pub(crate) pat: TokenStream,
    pub(crate) guard: Option<TokenStream>,
    pub(crate) body: Block,
    /// Vars bound by the pattern that may hold traced values, with what they project.
    pub(crate) binds: Vec<VarId>,
}

/// A loop.
#[derive(Clone, Debug)]
pub(crate) struct Loop {
    pub(crate) id: usize,
    pub(crate) kind: LoopKind,
    pub(crate) body: Block,
    /// Whether the body contains `break`/`continue`.
    pub(crate) has_exits: bool,
}

/// The kind of loop.
#[derive(Clone, Debug)]
pub(crate) enum LoopKind {
    /// `for pat in iter` over a plain iterator (a range, a plain collection): `pat` binds plain vars.
    For { pat: TokenStream, iter: TokenStream, binds: Vec<VarId> },
    /// `for` over the elements of a container that may hold traced values: the body starts with the
    /// projections of the element(s) at position `counter`.
    Elements { counter: VarId, len: TokenStream },
    /// `loop` (a `while` is a `loop` whose body starts with `if !cond { break }`).
    Loop,
}

/// A lowered function body.
#[derive(Debug)]
pub(crate) struct Body {
    pub(crate) vars: Vec<Var>,
    pub(crate) block: Block,
    /// The value the body returns.
    pub(crate) ret: Option<Operand>,
    /// Every identifier of the user's function, so generated names never collide with the user's.
    pub(crate) taken: std::collections::HashSet<String>,
}

impl Operand {
    /// The var, if the operand is one.
    pub(crate) fn var(&self) -> Option<VarId> {
        match self {
            Operand::Var(v) => Some(*v),
            Operand::Const(_) => None,
        }
    }
}

impl Op {
    /// The vars a derivative can flow to from the node's output, with their operand position.
    pub(crate) fn flow(&self) -> Vec<(usize, VarId)> {
        let vars = |args: &[Operand]| -> Vec<(usize, VarId)> {
            args.iter().enumerate().filter_map(|(i, a)| a.var().map(|v| (i, v))).collect()
        };
        match self {
            // operands past the rule's kernels only give a size (`sum_to(g, like)`): nothing flows
            Op::Prim { rule, args, .. } => match rule.adjoint {
                crate::rules::Adjoint::K(kernels) => {
                    vars(args).into_iter().filter(|(i, _)| *i < kernels.len()).collect()
                }
                _ => vec![],
            },
            Op::Cat { args, .. } | Op::Tuple(args) | Op::Array(args) | Op::VecLit(args) => vars(args),
            Op::Call { args, .. } => {
                args.iter().enumerate().filter_map(|(i, a)| a.value.var().map(|v| (i, v))).collect()
            }
            Op::Method { recv, args, .. } => {
                let mut all = vec![recv.clone()];
                all.extend(args.iter().map(|a| a.value.clone()));
                vars(&all)
            }
            Op::Query { .. } | Op::Plain { .. } => vec![],
            Op::Field { base, .. } | Op::Index { base, .. } | Op::Unwrap { base, .. } => vec![(0, *base)],
            Op::Copy(a) | Op::Dbg(a, _) => vars(std::slice::from_ref(a)),
            Op::Wrap { arg, .. } => vars(std::slice::from_ref(arg)),
            Op::Struct { fields, .. } => {
                fields.iter().enumerate().filter_map(|(i, (_, a))| a.var().map(|v| (i, v))).collect()
            }
        }
    }

    /// Every var the node reads (operands, bases, and vars mentioned in extras).
    pub(crate) fn reads(&self) -> Vec<VarId> {
        let mut out: Vec<VarId> = self.flow().into_iter().map(|(_, v)| v).collect();
        match self {
            Op::Prim { extras, .. } => extras.iter().for_each(|e| out.extend(&e.mentions)),
            Op::Cat { dim, .. } => out.extend(&dim.mentions),
            Op::Index { index, .. } => out.extend(&index.mentions),
            _ => {}
        }
        if let Op::Prim { args, .. } = self {
            // untraced primitives read their operands too
            out.extend(args.iter().filter_map(Operand::var));
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Block {
    /// Calls `f` on every statement, nested blocks included, in source order.
    pub(crate) fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Stmt)) {
        for s in &self.stmts {
            f(s);
            match s {
                Stmt::If { then, els, .. } => {
                    then.walk(f);
                    els.walk(f);
                }
                Stmt::Match { arms, .. } => arms.iter().for_each(|a| a.body.walk(f)),
                Stmt::Loop(l) => l.body.walk(f),
                Stmt::Attr { body, .. } => body.walk(f),
                _ => {}
            }
        }
    }
}

//! The IR: a function body in A-normal form. Every value that may carry traced data is a named
//! [`Var`]; every operation on one is a [`Node`] that keeps the span of the user's expression.
//! Shadowing and reassignment of traced values create new vars (SSA); plain (untraced) Rust code is kept
//! as [`Stmt::Opaque`] token streams, with the user's names renamed to the current vars.
//!
//! Control flow stays structured: a body is a list of statements (loops and branches are regions of
//! their own, added by the control-flow lowering).

use proc_macro2::{Span, TokenStream};
use syn::{Ident, Member};

use crate::rules::Rule;

pub(crate) type VarId = usize;

/// How a var came to be.
#[derive(Clone)]
pub(crate) enum VarKind {
    /// The `i`-th parameter.
    Param(usize),
    /// The output of a node.
    Node,
    /// Plain Rust data bound by untraced code; `created` says when it is a dlarray made inside the
    /// function (for the compile-time check on gradient targets).
    Plain { mutable: bool, created: Option<Created> },
    /// The `Result` of a `dlgradient` site.
    Gradient,
    /// A mutable variable: a user variable reassigned inside a branch or a loop (its value changes
    /// over time; the reverse sweep restores the values it overwrote).
    Cell,
}

/// Where an untraced dlarray was made inside the function.
#[derive(Clone)]
pub(crate) struct Created {
    /// What made it: `dlarray(..)`, `extractdata(..)`, ….
    pub(crate) what: String,
}

/// A named value.
#[derive(Clone)]
pub(crate) struct Var {
    /// The name in generated code (the user's name for a first binding, `name_k` for later versions).
    pub(crate) ident: Ident,
    /// Whether the value is a reference (reference parameters, projections).
    pub(crate) is_ref: bool,
    /// Whether it may carry traced data (depends on a dlarray parameter).
    pub(crate) varied: bool,
    pub(crate) kind: VarKind,
    /// The type the user wrote on the `let` that named this value, if any.
    pub(crate) ty: Option<syn::Type>,
}

/// An argument of a node: a var, or a constant expression that can be written again (a literal, a
/// constant path).
#[derive(Clone)]
pub(crate) enum Arg {
    Var(VarId),
    Const(TokenStream),
}

/// An argument of a call to another `#[differentiable]` function: the value and how many `&` the user
/// wrote before it.
#[derive(Clone)]
pub(crate) struct CallArg {
    pub(crate) refs: usize,
    pub(crate) arg: Arg,
}

/// The function or method a [`Op::Call`] calls.
#[derive(Clone)]
pub(crate) enum Callee {
    /// `path::to::f::<T>(..)`.
    Path(syn::ExprPath),
    /// `recv.m::<T>(..)`.
    Method { recv: CallArg, name: Ident, turbofish: Option<syn::AngleBracketedGenericArguments> },
}

/// What a node computes.
pub(crate) enum Op {
    /// A primitive of the rule table; `extras` holds one expression per [`crate::rules::A::Extra`]
    /// position.
    Prim { rule: &'static Rule, args: Vec<Arg>, extras: Vec<TokenStream> },
    /// `cat(dim, &[a, b, ..])`.
    Cat { dim: TokenStream, args: Vec<Arg> },
    /// A call to another `#[differentiable]` function; `post` is what the user wrote after the call
    /// (`?`, `.unwrap()`, `.expect(..)`).
    Call { callee: Callee, args: Vec<CallArg>, post: TokenStream },
    /// `(a, b, ..)`.
    Tuple(Vec<Arg>),
    /// `&parent.member` (a field of a learnable struct, or a tuple element).
    Get { parent: VarId, member: Member },
    /// `&parent[index]` (an element of a `Vec` or array of learnables).
    Elem { parent: VarId, index: TokenStream },
    /// `parent.member` of a local struct value (an owned copy: the struct may be reassigned later).
    Field { parent: VarId, member: Member },
    /// `Path { field: arg, .. }`: a local struct holding traced values.
    Struct { path: TokenStream, fields: Vec<(Member, Arg)> },
    /// `parent` with one field replaced: the value of `s.field = value;` (`s` is rebound to it).
    SetField { parent: VarId, member: Member, value: Arg },
}

/// `out = op`, at the user's span.
pub(crate) struct Node {
    pub(crate) out: VarId,
    pub(crate) op: Op,
    pub(crate) span: Span,
}

/// A `dlgradient(y, targets..)` site.
pub(crate) struct Grad {
    /// The var holding the `Result` of the site.
    pub(crate) out: VarId,
    pub(crate) y: VarId,
    /// `y` as the user wrote it, for run-time messages.
    pub(crate) y_text: String,
    pub(crate) targets: Vec<Target>,
    /// Whether the targets were written as a tuple (the result is then a tuple).
    pub(crate) tuple: bool,
    pub(crate) span: Span,
}

/// One gradient target.
pub(crate) struct Target {
    pub(crate) var: VarId,
    pub(crate) text: String,
}

/// A statement. Control flow stays structured: branches and loops are regions with blocks of their own.
pub(crate) enum Stmt {
    Node(Node),
    /// Untraced Rust code, emitted as it is (after renaming), and the plain vars it binds.
    Opaque(TokenStream, Vec<VarId>),
    Grad(Grad),
    /// `let mut cell = init.clone();` (or `let mut cell;`): a variable that a region reassigns.
    DefCell {
        cell: VarId,
        init: Option<Arg>,
    },
    /// `cell = value;`
    Assign {
        cell: VarId,
        value: Arg,
    },
    /// `cell.push(value);` on a local `Vec` of traced values.
    Push {
        cell: VarId,
        value: Arg,
    },
    /// `if cond { then } else { els }`; `cond` is an untraced `bool`.
    If {
        id: usize,
        cond: TokenStream,
        then: Block,
        els: Block,
    },
    /// `match scrutinee { arms }` on an untraced value.
    Match {
        id: usize,
        scrutinee: TokenStream,
        arms: Vec<Arm>,
    },
    /// A loop.
    Loop(Loop),
    /// `break` or `continue` of the innermost loop: `reach` is the index (+1) of the top-level statement
    /// of the loop body it leaves from, recorded for the reverse sweep.
    Exit {
        is_break: bool,
        loop_id: usize,
        reach: usize,
    },
}

/// A block of statements.
#[derive(Default)]
pub(crate) struct Block {
    pub(crate) stmts: Vec<Stmt>,
}

/// One arm of a [`Stmt::Match`].
pub(crate) struct Arm {
    /// The pattern and guard as the user wrote them (renamed).
    pub(crate) pat: TokenStream,
    pub(crate) guard: Option<TokenStream>,
    pub(crate) body: Block,
    /// Plain vars bound by the pattern.
    pub(crate) binds: Vec<VarId>,
}

/// A loop: `for pat in iter`, `while` (lowered to `loop` with an exit at the top), or `loop`.
pub(crate) struct Loop {
    pub(crate) id: usize,
    /// `Some((pattern, iterator))` for a `for` loop.
    pub(crate) for_: Option<(TokenStream, TokenStream)>,
    /// Plain vars bound by the `for` pattern (the counter).
    pub(crate) binds: Vec<VarId>,
    pub(crate) body: Block,
    /// Whether the body contains `break`/`continue` (then the reverse sweep records where each iteration
    /// stopped).
    pub(crate) has_exits: bool,
}

/// The structure of the value a function returns: `Ok(..)`, tuples, vars and constants.
#[derive(Clone)]
pub(crate) enum OutTree {
    Var(VarId),
    Const(TokenStream),
    Tuple(Vec<OutTree>),
    /// `Ok(..)` / `Some(..)` as the user wrote it.
    Wrap(syn::ExprPath, Box<OutTree>),
}

/// A lowered function body.
pub(crate) struct Body {
    pub(crate) vars: Vec<Var>,
    pub(crate) stmts: Vec<Stmt>,
    pub(crate) tail: Option<OutTree>,
    /// Every identifier of the user's function, so generated names never collide with the user's.
    pub(crate) taken: std::collections::HashSet<String>,
}

/// A data-flow edge for the analysis: derivatives can flow from each of `from` to `to`.
pub(crate) struct Edge {
    pub(crate) from: Vec<VarId>,
    pub(crate) to: VarId,
}

impl Block {
    /// Every node of the block, nested regions included, in source order.
    pub(crate) fn nodes<'a>(&'a self, out: &mut Vec<&'a Node>) {
        for s in &self.stmts {
            s.nodes(out);
        }
    }
}

impl Stmt {
    /// The nodes of the statement, nested regions included.
    pub(crate) fn nodes<'a>(&'a self, out: &mut Vec<&'a Node>) {
        match self {
            Stmt::Node(n) => out.push(n),
            Stmt::If { then, els, .. } => {
                then.nodes(out);
                els.nodes(out);
            }
            Stmt::Match { arms, .. } => arms.iter().for_each(|a| a.body.nodes(out)),
            Stmt::Loop(l) => l.body.nodes(out),
            _ => {}
        }
    }

    /// The non-node data-flow edges of the statement (cells), nested regions included.
    pub(crate) fn cell_edges(&self, out: &mut Vec<Edge>) {
        let var = |a: &Arg| match a {
            Arg::Var(v) => vec![*v],
            Arg::Const(_) => vec![],
        };
        match self {
            Stmt::DefCell { cell, init: Some(init) } => out.push(Edge { from: var(init), to: *cell }),
            Stmt::Assign { cell, value } | Stmt::Push { cell, value } => out.push(Edge { from: var(value), to: *cell }),
            Stmt::If { then, els, .. } => {
                then.stmts.iter().for_each(|s| s.cell_edges(out));
                els.stmts.iter().for_each(|s| s.cell_edges(out));
            }
            Stmt::Match { arms, .. } => arms.iter().for_each(|a| a.body.stmts.iter().for_each(|s| s.cell_edges(out))),
            Stmt::Loop(l) => l.body.stmts.iter().for_each(|s| s.cell_edges(out)),
            _ => {}
        }
    }
}

//! Plain values read from traced ones (`extractdata(&y).sum()`, `x.get(0).abs()`, `x.size()[1]`):
//! recognized before lowering, so they run as written.

use std::collections::HashSet;

use quote::ToTokens;
use syn::Expr;

use super::Lower;
use super::scan::strip;
use super::stmt::contains_gradient;
use crate::ir::VarKind;
use crate::rules::{CREATORS, FREE_QUERIES, QUERIES};

impl Lower<'_> {
    /// Whether an expression's value is plain by construction: a query of a traced value
    /// (`x.get(0)`, `extractdata(&y)`, `x.size()`) and then only plain computation on it. Cells are
    /// left to the general lowering (their reads are snapshots).
    pub(crate) fn yields_plain(&self, e: &Expr) -> bool {
        let mut names = HashSet::new();
        crate::rename::mentioned(&e.to_token_stream(), &mut names);
        if names.iter().any(|n| self.lookup(n).is_some_and(|v| self.vars[v].kind == VarKind::Cell)) {
            return false;
        }
        self.plain_by_construction(e)
    }

    pub(crate) fn plain_by_construction(&self, e: &Expr) -> bool {
        let plain_args = |args: &syn::punctuated::Punctuated<Expr, syn::token::Comma>| {
            args.iter().all(|a| !self.mentions_varied_outside(a))
        };
        match strip(e) {
            Expr::MethodCall(m) if QUERIES.contains(&m.method.to_string().as_str()) => plain_args(&m.args),
            Expr::MethodCall(m) => self.plain_by_construction(&m.receiver) && plain_args(&m.args),
            Expr::Call(c) => match strip(&c.func) {
                Expr::Path(p)
                    if p.path.segments.len() == 1
                        && FREE_QUERIES.contains(&p.path.segments[0].ident.to_string().as_str()) =>
                {
                    true
                }
                _ => !self.mentions_varied_outside(e),
            },
            Expr::Index(i) => self.plain_by_construction(&i.expr) && !self.mentions_varied_outside(&i.index),
            Expr::Field(f) => self.plain_by_construction(&f.base),
            Expr::Unary(u) => self.plain_by_construction(&u.expr),
            Expr::Binary(b) => self.plain_by_construction(&b.left) && self.plain_by_construction(&b.right),
            Expr::Cast(c) => self.plain_by_construction(&c.expr),
            Expr::Lit(_) => true,
            Expr::Path(_)
            | Expr::Reference(_)
            | Expr::Paren(_)
            | Expr::Tuple(_)
            | Expr::Array(_)
            | Expr::Closure(_)
            | Expr::Range(_) => !self.mentions_varied_outside(e),
            // control flow, blocks, macros: lowered as they are
            _ => false,
        }
    }

    /// Whether an expression mentions a value that may be traced, other than through a closure's own
    /// parameters.
    pub(crate) fn mentions_varied_outside(&self, e: &Expr) -> bool {
        match strip(e) {
            Expr::Closure(c) => {
                let mut bound = HashSet::new();
                for p in &c.inputs {
                    bound.extend(super::scan::pat_names(p));
                }
                let mut names = HashSet::new();
                crate::rename::mentioned(&c.body.to_token_stream(), &mut names);
                names.iter().any(|n| !bound.contains(n) && self.is_varied_name(n))
            }
            other => self.mentions_varied(&other.to_token_stream()) || contains_gradient(other),
        }
    }

    /// `extractdata(..)`, `size(..)`, `dlarray(..)`: calls whose results the lowering tracks itself.
    pub(crate) fn is_query_or_creator_call(&self, e: &Expr) -> bool {
        matches!(strip(e), Expr::Call(c) if matches!(strip(&c.func), Expr::Path(p) if p.path.segments.len() == 1 && {
            let n = p.path.segments[0].ident.to_string();
            FREE_QUERIES.contains(&n.as_str()) || CREATORS.contains(&n.as_str()) || n == "dlfeval"
        }))
    }
}

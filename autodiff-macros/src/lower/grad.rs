//! `dlgradient(y, x)`, `dlgradient(y, (x1, x2))`, with the options `RetainData(..)` and
//! `EnableHigherDerivatives(..)`.

use quote::ToTokens;
use syn::Expr;
use syn::spanned::Spanned;

use super::expr::refs_of;
use super::scan::strip;
use super::{Lower, Val};
use crate::ir::{Grad, Stmt, Target, VarKind};

impl Lower<'_> {
    /// A `dlgradient` site.
    pub(crate) fn gradient(&mut self, c: &syn::ExprCall) -> Val {
        let span = c.span();
        if !self.loops.is_empty() {
            return self.unsupported(
                c.func.span(),
                "`dlgradient` inside a loop",
                "compute the value in the loop and call `dlgradient` once after it",
            );
        }
        let args: Vec<&Expr> = c.args.iter().collect();
        if args.len() < 2 {
            return self.unsupported(
                span,
                "`dlgradient` takes the value and the targets",
                "write `dlgradient(&y, x)` or `dlgradient(&y, (a, b))`",
            );
        }
        let mut higher = false;
        for opt in &args[2..] {
            match self.gradient_option(opt) {
                Some(h) => higher |= h,
                None => return Val::Unit,
            }
        }
        let (y_expr, _) = refs_of(args[0]);
        let y_text = y_expr.to_token_stream().to_string();
        let yv = self.expr(y_expr);
        let y_span = args[0].span();
        let untraced = |l: &mut Self| {
            let text = y_expr.to_token_stream().to_string();
            if !l.diag.has_errors() {
                l.diag.error(
                    y_span,
                    format!("`{text}` does not depend on any traced input, so it cannot be differentiated"),
                    "dlgradient differentiates a value computed from the function's dlarray inputs (MATLAB: \"Value to differentiate must be a traced dlarray scalar\")",
                );
            }
            Val::Unit
        };
        let Val::Var(y) = yv else {
            return untraced(self);
        };
        if !self.vars[y].varied && !self.vars[y].from_plain_code {
            return untraced(self);
        }
        let (targets, tuple) = match strip(refs_of(args[1]).0) {
            Expr::Tuple(t) => (t.elems.iter().collect::<Vec<_>>(), true),
            _ => (vec![args[1]], false),
        };
        let mut ts = Vec::new();
        for t in targets {
            let (inner, _) = refs_of(t);
            let text = inner.to_token_stream().to_string();
            let v = self.expr(inner);
            let var = match v {
                Val::Var(var) => var,
                _ => {
                    self.diag.error(
                        t.span(),
                        format!("`{text}` is untraced: a constant cannot be a gradient target"),
                        "differentiate with respect to an input of the function (dlfeval traces its dlarray arguments) or a value computed from one",
                    );
                    continue;
                }
            };
            if let Some(what) = &self.vars[var].created {
                self.diag.error(
                    t.span(),
                    format!("`{text}` is untraced: it is created inside this function by `{what}`"),
                    "differentiate with respect to an input of the function (dlfeval traces its dlarray arguments) or a value computed from one",
                );
                continue;
            }
            ts.push(Target { var, text });
        }
        self.grads_seen += 1;
        let ident = self.fresh("gradient", span);
        let out = self.new_var(ident, VarKind::Gradient, higher, false);
        self.push(Stmt::Grad(Grad { out, y, y_text, targets: ts, tuple, higher, span, post: crate::ir::Post::None }));
        Val::Var(out)
    }

    /// `RetainData(b)` (accepted, no effect) or `EnableHigherDerivatives(b)`: `Some(higher)`.
    fn gradient_option(&mut self, e: &Expr) -> Option<bool> {
        let e = strip(e);
        if let Expr::Call(c) = e
            && let Expr::Path(p) = strip(&c.func)
            && let Some(last) = p.path.segments.last()
            && c.args.len() == 1
        {
            let value = match strip(&c.args[0]) {
                Expr::Lit(syn::ExprLit { lit: syn::Lit::Bool(b), .. }) => Some(b.value),
                _ => None,
            };
            let name = last.ident.to_string();
            match (name.as_str(), value) {
                ("RetainData", Some(_)) => return Some(false),
                ("EnableHigherDerivatives", Some(b)) => return Some(b),
                ("RetainData" | "EnableHigherDerivatives", None) => {
                    self.diag.error(
                        c.args[0].span(),
                        format!("`{name}` needs a literal `true` or `false`"),
                        "the macro decides at compile time how to write the gradient code",
                    );
                    return None;
                }
                _ => {}
            }
        }
        self.diag.error(
            e.span(),
            "unknown `dlgradient` option",
            "the options are `RetainData(bool)` and `EnableHigherDerivatives(bool)`",
        );
        None
    }
}

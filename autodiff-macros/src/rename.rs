//! Renaming inside untraced code: the user's names are rewritten to the current SSA var of each name,
//! so code kept as it is still reads the right value after reassignments of traced values.
//!
//! Before (user code, `y` reassigned twice):
//! ```text
//! let mut y = x * 2.0;
//! y = y + 1.0;
//! println!("{}", y.numel());
//! ```
//! After (generated): the `println!` reads `y_1`, the current version:
//! ```text
//! let y = times(x, &2.0);
//! let y_1 = plus(&y, &1.0);
//! println!("{}", y_1.numel());
//! ```
//!
//! Names bound inside the untraced code itself (closure parameters, inner `let`s, patterns) are left
//! alone.

use std::collections::HashSet;

use proc_macro2::{Group, TokenStream, TokenTree};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Expr, Ident};

/// Rewrites every single-segment path in `expr` for which `lookup` gives a new ident.
pub(crate) fn expr(e: &mut Expr, lookup: &dyn Fn(&Ident) -> Option<Ident>) {
    let mut bound = BoundNames::default();
    bound.visit_expr(e);
    Renamer { lookup, bound: bound.0 }.visit_expr_mut(e);
}

/// Rewrites every identifier token in `ts` (including inside groups) for which `lookup` gives a new one.
pub(crate) fn tokens(ts: TokenStream, lookup: &dyn Fn(&Ident) -> Option<Ident>) -> TokenStream {
    ts.into_iter()
        .map(|tt| match tt {
            TokenTree::Ident(i) => TokenTree::Ident(lookup(&i).unwrap_or(i)),
            TokenTree::Group(g) => {
                let mut ng = Group::new(g.delimiter(), tokens(g.stream(), lookup));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            other => other,
        })
        .collect()
}

/// Every identifier mentioned in `ts`, including `{name}` captures inside string literals.
pub(crate) fn mentioned(ts: &TokenStream, out: &mut HashSet<String>) {
    for tt in ts.clone() {
        match tt {
            TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            TokenTree::Group(g) => mentioned(&g.stream(), out),
            TokenTree::Literal(l) => {
                let s = l.to_string();
                if s.starts_with('"') || s.starts_with("r\"") || s.starts_with("r#") {
                    for part in s.split('{').skip(1) {
                        let name: String = part.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        if !name.is_empty() {
                            out.insert(name);
                        }
                    }
                }
            }
            TokenTree::Punct(_) => {}
        }
    }
}

struct Renamer<'a> {
    lookup: &'a dyn Fn(&Ident) -> Option<Ident>,
    bound: HashSet<String>,
}

impl VisitMut for Renamer<'_> {
    fn visit_expr_path_mut(&mut self, p: &mut syn::ExprPath) {
        if p.qself.is_none()
            && p.path.segments.len() == 1
            && p.path.leading_colon.is_none()
            && let Some(seg) = p.path.segments.first_mut()
            && seg.arguments.is_none()
            && !self.bound.contains(&seg.ident.to_string())
            && let Some(new) = (self.lookup)(&seg.ident)
        {
            seg.ident = new;
        }
    }

    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        let bound = &self.bound;
        let lookup = self.lookup;
        m.tokens = tokens(m.tokens.clone(), &|i| if bound.contains(&i.to_string()) { None } else { lookup(i) });
    }

    fn visit_expr_struct_mut(&mut self, s: &mut syn::ExprStruct) {
        // `Point { x, y }` shorthand: expand so that renamed values keep their field names
        for f in s.fields.iter_mut() {
            if f.colon_token.is_none()
                && let (syn::Member::Named(name), Expr::Path(p)) = (&f.member, &f.expr)
                && p.path.is_ident(name)
                && (self.lookup)(name).is_some()
            {
                f.colon_token = Some(Default::default());
            }
        }
        syn::visit_mut::visit_expr_struct_mut(self, s);
    }
}

/// Names bound by patterns inside an expression (closure parameters, `let`s, `for` and `match`
/// patterns): renaming never touches them.
#[derive(Default)]
struct BoundNames(HashSet<String>);

impl<'ast> Visit<'ast> for BoundNames {
    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        self.0.insert(p.ident.to_string());
        syn::visit::visit_pat_ident(self, p);
    }
}

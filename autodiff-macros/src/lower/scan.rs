//! What a body mutates, found before lowering it:
//!
//! - [`varied_names`]: the names of the user's variables that may hold traced values at some point
//!   (a fixpoint over every binding and assignment of the body, by name). Lowering decides from it
//!   whether a `let mut` variable is traced *before* it lowers the loop that makes it so, so a loop body
//!   is lowered once.
//! - [`mutation`]: how a variable is changed after its `let`: reassigned inside a branch or a loop
//!   (it becomes a cell), or changed in place (`v.push(x)`, `v[i] = x`, `s.f = x`: a cell too).

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit::Visit;
use syn::{Expr, Pat};

use crate::rules::{FREE_QUERIES, QUERIES};

/// Methods that change a `Vec` in place.
pub(crate) const IN_PLACE: &[&str] =
    &["push", "clear", "pop", "insert", "remove", "truncate", "extend", "swap", "reverse", "sort", "append", "retain"];

/// How a variable is changed after its definition.
#[derive(Default, Debug, Clone, Copy)]
pub(crate) struct Mutation {
    /// Reassigned inside a nested region (a branch or a loop body).
    pub(crate) in_region: bool,
    /// Changed in place (an element, a field, a `Vec` method).
    pub(crate) in_place: bool,
    /// Reassigned at all.
    pub(crate) assigned: bool,
}

/// How `name` is changed in `stmts` (the statements after its `let`).
pub(crate) fn mutation(stmts: &[syn::Stmt], name: &str) -> Mutation {
    let mut m = Muts { name, depth: 0, out: Mutation::default() };
    for s in stmts {
        m.visit_stmt(s);
    }
    m.out
}

struct Muts<'a> {
    name: &'a str,
    depth: usize,
    out: Mutation,
}

impl Muts<'_> {
    fn is_root(&self, e: &Expr) -> bool {
        root(e).is_some_and(|r| r == self.name)
    }
}

impl<'ast> Visit<'ast> for Muts<'_> {
    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        self.note_assign(&a.left);
        syn::visit::visit_expr_assign(self, a);
    }
    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        if is_compound(&b.op) {
            self.note_assign(&b.left);
        }
        syn::visit::visit_expr_binary(self, b);
    }
    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        if IN_PLACE.contains(&m.method.to_string().as_str()) && self.is_root(&m.receiver) {
            self.out.in_place = true;
        }
        syn::visit::visit_expr_method_call(self, m);
    }
    fn visit_block(&mut self, b: &'ast syn::Block) {
        self.depth += 1;
        syn::visit::visit_block(self, b);
        self.depth -= 1;
    }
    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        // a closure's body runs where the closure is called (an iterator adaptor runs it per item):
        // its assignments are in a region, unless its parameters shadow the name
        if c.inputs.iter().any(|p| pat_names(p).iter().any(|n| n == self.name)) {
            return;
        }
        self.depth += 1;
        syn::visit::visit_expr(self, &c.body);
        self.depth -= 1;
    }
}

impl Muts<'_> {
    fn note_assign(&mut self, left: &Expr) {
        if !self.is_root(left) {
            return;
        }
        match strip(left) {
            Expr::Path(_) => {
                self.out.assigned = true;
                if self.depth > 0 {
                    self.out.in_region = true;
                }
            }
            _ => self.out.in_place = true,
        }
    }
}

/// The variable an assigned place starts from: `x` of `x`, `x[i]`, `x.f`, `x.f[i].g`.
pub(crate) fn root(e: &Expr) -> Option<String> {
    match strip(e) {
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => Some(p.path.segments[0].ident.to_string()),
        Expr::Index(i) => root(&i.expr),
        Expr::Field(f) => root(&f.base),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => root(&u.expr),
        _ => None,
    }
}

/// `e` without parentheses and invisible groups.
pub(crate) fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        _ => e,
    }
}

/// `+=`, `-=`, ….
pub(crate) fn is_compound(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

/// The names of variables that may hold traced values, by name over the whole body: a name bound or
/// assigned from an expression that mentions a name in the set joins it, to a fixpoint. The results
/// of queries (`x.numel()`, `extractdata(x)`) do not carry traced values.
pub(crate) fn varied_names(block: &syn::Block, seeds: &HashSet<String>) -> HashSet<String> {
    let mut edges = Edges::default();
    edges.visit_block(block);
    let mut set = seeds.clone();
    loop {
        let before = set.len();
        for (to, from) in &edges.0 {
            if !set.contains(to) && from.iter().any(|f| set.contains(f)) {
                set.insert(to.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// Name-level data flow: (bound or assigned name, names its value mentions).
#[derive(Default)]
struct Edges(Vec<(String, HashSet<String>)>);

impl Edges {
    fn flow(&mut self, to: &Pat, from: &TokenStream) {
        let names = value_names(from);
        for n in pat_names(to) {
            self.0.push((n, names.clone()));
        }
    }
    fn flow_name(&mut self, to: String, from: &TokenStream) {
        self.0.push((to, value_names(from)));
    }
}

impl<'ast> Visit<'ast> for Edges {
    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let Some(init) = &l.init {
            self.flow(&l.pat, &init.expr.to_token_stream());
        }
        syn::visit::visit_local(self, l);
    }
    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        if let Some(r) = root(&a.left) {
            self.flow_name(r, &a.right.to_token_stream());
        }
        syn::visit::visit_expr_assign(self, a);
    }
    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        if is_compound(&b.op)
            && let Some(r) = root(&b.left)
        {
            self.flow_name(r, &b.right.to_token_stream());
        }
        syn::visit::visit_expr_binary(self, b);
    }
    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        if IN_PLACE.contains(&m.method.to_string().as_str())
            && let Some(r) = root(&m.receiver)
        {
            let args: TokenStream = m.args.iter().map(|a| a.to_token_stream()).collect();
            self.flow_name(r, &args);
        }
        syn::visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        self.flow(&f.pat, &f.expr.to_token_stream());
        syn::visit::visit_expr_for_loop(self, f);
    }
    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        // closure parameters take the values of what the closure is applied to: conservatively, of
        // everything the closure's body mentions
        for p in &c.inputs {
            self.flow(p, &c.body.to_token_stream());
        }
        syn::visit::visit_expr_closure(self, c);
    }
    fn visit_arm(&mut self, a: &'ast syn::Arm) {
        syn::visit::visit_arm(self, a);
    }
    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        for a in &m.arms {
            self.flow(&a.pat, &m.expr.to_token_stream());
        }
        syn::visit::visit_expr_match(self, m);
    }
    fn visit_expr_let(&mut self, l: &'ast syn::ExprLet) {
        self.flow(&l.pat, &l.expr.to_token_stream());
        syn::visit::visit_expr_let(self, l);
    }
}

/// The names a value's tokens mention, leaving out what only reaches queries.
fn value_names(ts: &TokenStream) -> HashSet<String> {
    let mut out = HashSet::new();
    match syn::parse2::<Expr>(ts.clone()) {
        Ok(e) => {
            let mut v = ValueNames(&mut out);
            v.visit_expr(&e);
        }
        Err(_) => crate::rename::mentioned(ts, &mut out),
    }
    out
}

struct ValueNames<'a>(&'a mut HashSet<String>);

impl<'ast> Visit<'ast> for ValueNames<'_> {
    fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
        self.0.insert(i.to_string());
    }
    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        if QUERIES.contains(&m.method.to_string().as_str()) {
            // the receiver only reaches a query; its arguments may still flow (none do for queries)
            return;
        }
        syn::visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let Expr::Path(p) = strip(&c.func)
            && let Some(last) = p.path.segments.last()
            && FREE_QUERIES.contains(&last.ident.to_string().as_str())
        {
            return;
        }
        syn::visit::visit_expr_call(self, c);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        crate::rename::mentioned(&m.tokens, self.0);
    }
}

/// The names a pattern binds.
pub(crate) fn pat_names(p: &Pat) -> Vec<String> {
    pat_bindings(p).into_iter().map(|(n, _)| n).collect()
}

/// The names a pattern binds with `mut`.
pub(crate) fn mut_names(p: &Pat) -> HashSet<String> {
    pat_bindings(p).into_iter().filter(|(_, m)| *m).map(|(n, _)| n).collect()
}

/// The names a pattern binds, each with whether it is `mut`.
fn pat_bindings(p: &Pat) -> Vec<(String, bool)> {
    #[derive(Default)]
    struct Names(Vec<(String, bool)>);
    impl<'ast> Visit<'ast> for Names {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            self.0.push((p.ident.to_string(), p.mutability.is_some()));
            syn::visit::visit_pat_ident(self, p);
        }
    }
    let mut n = Names::default();
    n.visit_pat(p);
    n.0
}

/// Tokens of an expression to paste where a block follows it (`if`, `match`, `while`, `for .. in`):
/// in parentheses when it starts with a struct literal (`Holder { o }.o`), which would otherwise
/// end the expression at its brace; as they are otherwise (no parentheses to lint).
pub(crate) fn head_safe(ts: TokenStream) -> TokenStream {
    fn leftmost_struct(e: &Expr) -> bool {
        match e {
            Expr::Struct(_) => true,
            Expr::MethodCall(m) => leftmost_struct(&m.receiver),
            Expr::Field(f) => leftmost_struct(&f.base),
            Expr::Index(i) => leftmost_struct(&i.expr),
            Expr::Call(c) => leftmost_struct(&c.func),
            Expr::Binary(b) => leftmost_struct(&b.left),
            Expr::Cast(c) => leftmost_struct(&c.expr),
            Expr::Try(t) => leftmost_struct(&t.expr),
            Expr::Range(r) => r.start.as_deref().is_some_and(leftmost_struct),
            Expr::Unary(u) => leftmost_struct(&u.expr),
            Expr::Reference(r) => leftmost_struct(&r.expr),
            _ => false,
        }
    }
    match syn::parse2::<Expr>(ts.clone()) {
        Ok(e) if leftmost_struct(&e) => quote::quote!((#ts)),
        _ => ts,
    }
}

//! Expressions: operators, calls, methods, indexing, fields, literals, macros.
//!
//! What an expression *is* comes from its syntax; what it *means* is left to the compiler: `a * b`
//! becomes `times(a, b)`, which is the dlarray primitive for dlarrays and `*` for two `f64`s.
//!
//! | syntax | node |
//! |---|---|
//! | `a + b`, `-a`, `a < b`, a method or function of the rule table | `Prim` |
//! | `a[i]`, `a.f`, `x?`, `x.unwrap()` | `Index`, `Field`, `Unwrap` |
//! | `f(..)`, `path::f(..)`, `Type::f(..)` | `Call` (the function's companion) |
//! | `Some(x)`, `Ok(x)`, `Box::new(x)`, `Pair(a, b)`, `S { .. }`, `(a, b)`, `[a, b]`, `vec![a, b]` | constructors |
//! | `x.numel()`, `extractdata(x)`, and other queries | `Query` (plain result, checked) |
//! | `dlarray(..)`, `zeros_like(x)` | plain (untraced) value |
//! | `x.m(..)` not in the table | `Method` (the receiver's companion, or the call as written) |
//! | `println!(..)`, a user's macro, `e as T` | `Plain` (result checked to be plain) |

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned;

use super::scan::strip;
use super::stmt::{contains_gradient, member_hint};
use super::{Lower, Val};
use crate::ir::{Extra, Op, Operand, Post, Stmt, VarKind};
use crate::rules::{self, Adjoint, CREATORS, READING_MACROS, Rule};

impl Lower<'_> {
    /// Lowers an expression with an optional annotated type (for `sum()` of an iterator).
    pub(crate) fn expr_typed(&mut self, e: &Expr, ty: Option<&syn::Type>) -> Val {
        if let Some(ty) = ty
            && let Some(v) = self.iter_chain(e, Some(ty))
        {
            return v;
        }
        self.expr(e)
    }

    /// Lowers an expression.
    pub(crate) fn expr(&mut self, e: &Expr) -> Val {
        let e = strip(e);
        if !self.needs_lowering(e) {
            let ts = self.renamed_expr(e);
            return self.plain_value(e, ts);
        }
        if matches!(
            e,
            Expr::MethodCall(_)
                | Expr::Call(_)
                | Expr::Index(_)
                | Expr::Field(_)
                | Expr::Binary(_)
                | Expr::Unary(_)
                | Expr::Cast(_)
        ) && self.yields_plain(e)
            && !self.is_query_or_creator_call(e)
        {
            // a plain value read from traced ones (`extractdata(&y).sum()`, `x.get(0).abs()`,
            // `x.size()[1]`): run as written, the result checked to be plain
            let tokens = self.renamed_expr(e);
            return Val::Var(self.node(Op::Plain { tokens }, e.span(), "value", false, false));
        }
        match e {
            Expr::Path(p) => self.path(p),
            Expr::Lit(l) => Val::Const(l.to_token_stream()),
            Expr::Reference(r) => {
                if r.mutability.is_some() {
                    return self.unsupported(
                        r.span(),
                        "`&mut` of a value that may hold traced dlarrays",
                        "pass it by `&` or by value",
                    );
                }
                self.expr(&r.expr)
            }
            Expr::Unary(u) => self.unary(u),
            Expr::Binary(b) => self.binary(b),
            Expr::Index(ix) => self.index(ix),
            Expr::Field(f) => self.field(f),
            Expr::MethodCall(m) => self.method_call(m),
            Expr::Call(c) => self.call(c),
            Expr::Macro(m) => self.mac(&m.mac, m.span()),
            Expr::Tuple(t) => {
                let args = self.operands(t.elems.iter());
                let varied = args.iter().any(|a| self.op_varied(a));
                Val::Var(self.node(Op::Tuple(args), t.span(), "tuple", varied, false))
            }
            Expr::Array(a) => {
                let args = self.operands(a.elems.iter());
                let varied = args.iter().any(|a| self.op_varied(a));
                Val::Var(self.node(Op::Array(args), a.span(), "array", varied, false))
            }
            Expr::Struct(s) => self.struct_lit(s),
            Expr::Cast(c) => {
                let v = self.expr(&c.expr);
                let t = crate::paths::respan(self.val_tokens(&v), c.expr.span());
                let ty = &c.ty;
                let tokens = quote_spanned!(c.expr.span()=> (#t as #ty));
                Val::Var(self.node(Op::Plain { tokens }, c.expr.span(), "cast", false, false))
            }
            Expr::Try(t) => {
                if let Some(plain_form) = try_form(&t.expr) {
                    // `try_matmul(a, b)?` is the primitive `matmul(a, b)`, which fails with `?` itself
                    return self.expr(&plain_form);
                }
                let v = self.expr(&t.expr);
                self.unwrap(v, Post::Try, t.span())
            }
            Expr::Block(b) => {
                if let Some(label) = &b.label {
                    return self.unsupported(
                        label.span(),
                        "a labelled block with traced values",
                        "compute the value with `if`/`else` instead of `break 'label value`",
                    );
                }
                let (block, v) = self.block_of(|l| l.block_value(&b.block.stmts));
                self.inline(block);
                v
            }
            Expr::If(_) | Expr::Match(_) | Expr::ForLoop(_) | Expr::While(_) | Expr::Loop(_) => self.control_flow(e),
            Expr::Break(_) | Expr::Continue(_) => self.control_flow(e),
            Expr::Return(r) => {
                if r.expr.as_ref().is_some_and(|x| self.needs_lowering(x)) {
                    return self.unsupported(
                        r.span(),
                        "`return` of a value that may hold traced dlarrays",
                        "make the value the function's last expression (assign it to a `let mut` in the branches)",
                    );
                }
                let ts = self.renamed_expr(e);
                self.push(Stmt::Opaque(quote!(#ts;), vec![]));
                Val::Unit
            }
            Expr::Closure(c) => self.detached_closure(c),
            Expr::Unsafe(u) => self.unsupported(
                u.unsafe_token.span(),
                "`unsafe` code with traced values",
                "move the unsafe code into a helper that takes plain data (`extractdata(..)`)",
            ),
            Expr::Async(a) => self.unsupported(a.span(), "`async` code with traced values", "compute synchronously"),
            Expr::Await(a) => self.unsupported(a.span(), "`.await` with traced values", "compute synchronously"),
            Expr::Let(l) => self.unsupported(l.span(), "`let` in this position", "use `if let` or `match`"),
            Expr::Range(r) => {
                // a range of plain bounds computed from traced values (`0..x.numel()`)
                let start = r.start.as_ref().map(|s| self.plain_part(s));
                let end = r.end.as_ref().map(|s| self.plain_part(s));
                let lim = &r.limits;
                Val::Const(quote!(#start #lim #end))
            }
            Expr::Assign(_) => Val::Unit,
            other => self.unsupported(
                other.span(),
                "this expression with traced values",
                "write it with operators, method calls and function calls on the values",
            ),
        }
    }

    /// A plain value: tokens, with `created` noted for dlarrays made by a creator.
    fn plain_value(&mut self, e: &Expr, ts: TokenStream) -> Val {
        if let Some(what) = created_by(e) {
            let id = self.temp("c", e.span(), false, false);
            self.vars[id].created = Some(what);
            let ident = self.vars[id].ident.clone();
            self.push(Stmt::Opaque(quote_spanned!(e.span()=> let #ident = #ts;), vec![id]));
            return Val::Var(id);
        }
        if let Expr::Path(p) = e
            && p.path.segments.len() == 1
            && let Some(v) = self.lookup(&p.path.segments[0].ident.to_string())
        {
            return Val::Var(v);
        }
        Val::Const(ts)
    }

    /// Whether an expression must be broken into nodes: it mentions a value that may be traced, or
    /// calls `dlgradient`.
    pub(crate) fn needs_lowering(&self, e: &Expr) -> bool {
        self.mentions_varied(&e.to_token_stream())
            || contains_gradient(e)
            || (!self.loops.is_empty() && contains_exit(e))
    }

    /// An argument of a call run as written: lowered, its `&`s kept.
    pub(crate) fn plain_arg(&mut self, a: &Expr) -> TokenStream {
        let (inner, refs) = refs_of(a);
        let t = self.plain_part(inner);
        let amp = (0..refs).map(|_| quote!(&));
        quote!(#(#amp)* #t)
    }

    /// A part of an expression that must come out plain (a range bound, an index): lowered, then its
    /// tokens.
    pub(crate) fn plain_part(&mut self, e: &Expr) -> TokenStream {
        let v = self.expr(e);
        self.val_tokens(&v)
    }

    fn path(&mut self, p: &syn::ExprPath) -> Val {
        if p.qself.is_none()
            && p.path.segments.len() == 1
            && let Some(v) = self.lookup(&p.path.segments[0].ident.to_string())
        {
            if self.vars[v].kind == VarKind::Cell {
                // a read of a cell: a copy of its current value (the reverse sweeps read the copy)
                let varied = self.vars[v].varied;
                let hint = self.vars[v].ident.to_string();
                let out = self.node(Op::Copy(Operand::Var(v)), p.span(), &hint, varied, false);
                self.vars[out].created = self.vars[v].created.clone();
                return Val::Var(out);
            }
            return Val::Var(v);
        }
        Val::Const(p.to_token_stream())
    }

    /// Operands of a list of expressions (elements of a constructor: each evaluated once).
    fn operands<'e>(&mut self, es: impl Iterator<Item = &'e Expr>) -> Vec<Operand> {
        es.map(|e| {
            let v = self.expr(e);
            self.operand_once(v, e.span())
        })
        .collect()
    }

    /// Whether an operand may be traced.
    pub(crate) fn op_varied(&self, a: &Operand) -> bool {
        a.var().is_some_and(|v| self.vars[v].varied)
    }

    fn unary(&mut self, u: &syn::ExprUnary) -> Val {
        let v = self.expr(&u.expr);
        if !self.is_varied(&v) {
            let t = self.val_tokens(&v);
            let op = &u.op;
            return Val::Const(quote_spanned!(u.span()=> (#op #t)));
        }
        let span = u.span();
        match u.op {
            syn::UnOp::Neg(_) => self.prim(rules::op("uminus"), vec![v], vec![], span),
            syn::UnOp::Not(_) => self.prim(rules::op("not"), vec![v], vec![], span),
            syn::UnOp::Deref(_) => {
                let a = self.operand(v, span);
                let varied = self.op_varied(&a);
                Val::Var(self.node(Op::Copy(a), span, "value", varied, false))
            }
            _ => self.unsupported(span, "this operator on a traced value", "write it with the dlarray functions"),
        }
    }

    fn binary(&mut self, b: &syn::ExprBinary) -> Val {
        let span = b.span();
        match b.op {
            syn::BinOp::And(_) | syn::BinOp::Or(_) => return self.short_circuit(b),
            _ => {}
        }
        let l = self.expr(&b.left);
        let r = self.expr(&b.right);
        self.binary_value(&b.op, l, r, span)
    }

    /// `l op r` for lowered operands.
    pub(crate) fn binary_value(&mut self, op: &syn::BinOp, l: Val, r: Val, span: Span) -> Val {
        if !self.is_varied(&l) && !self.is_varied(&r) {
            let (lt, rt) = (self.val_tokens(&l), self.val_tokens(&r));
            let op = plain_op(op);
            return Val::Const(quote_spanned!(span=> (#lt #op #rt)));
        }
        match rules::binary_op(op) {
            Some(rule) => self.prim(rule, vec![l, r], vec![], span),
            None => self.unsupported(
                op.span(),
                format!("#[differentiable] does not support the operator `{}` on traced values", op.to_token_stream()),
                "use + - * / on dlarrays, comparisons in conditions, or the dlarray functions (`maximum`, `fix`, ...)",
            ),
        }
    }

    /// A primitive node for lowered operands and extras (in the rule's argument order).
    pub(crate) fn prim(&mut self, rule: &'static Rule, operands: Vec<Val>, extras: Vec<Val>, span: Span) -> Val {
        // operands are passed by reference: a constant written `&2.0` is the constant
        let operands: Vec<Val> = operands.into_iter().map(strip_const_ref).collect();
        let varied = operands.iter().any(|v| self.is_varied(v)) && !matches!(rule.adjoint, Adjoint::Untraced);
        // an untraced primitive of plain values: nothing to do at all
        let args: Vec<Operand> = operands.into_iter().map(|v| self.operand(v, span)).collect();
        let extras: Vec<Extra> = extras.into_iter().map(|v| self.extra(v, span)).collect();
        let hint = if rule.name.starts_with(|c: char| c.is_alphabetic()) { rule.func } else { "cmp" };
        let out = self.node(Op::Prim { rule, args, extras }, span, hint, varied, false);
        Val::Var(out)
    }

    /// `a && b`, `a || b`: `b` is evaluated only when it decides (lowered as an `if`).
    fn short_circuit(&mut self, b: &syn::ExprBinary) -> Val {
        let span = b.span();
        let l = self.expr(&b.left);
        let lt = self.val_tokens(&l);
        let out = self.temp("cond", span, false, false);
        let ident = self.vars[out].ident.clone();
        self.push(Stmt::Opaque(quote_spanned!(span=> let #ident: bool;), vec![out]));
        let (mut right, r) = self.block_of(|l2| l2.expr(&b.right));
        let rt = self.val_tokens(&r);
        right.stmts.push(Stmt::Opaque(quote_spanned!(span=> #ident = #rt;), vec![]));
        let decided = match b.op {
            syn::BinOp::And(_) => quote_spanned!(span=> #ident = false;),
            _ => quote_spanned!(span=> #ident = true;),
        };
        let other = crate::ir::Block { stmts: vec![Stmt::Opaque(decided, vec![])] };
        let id = self.next_id();
        let (then, els) = match b.op {
            syn::BinOp::And(_) => (right, other),
            _ => (other, right),
        };
        self.push(Stmt::If { id, cond: crate::ir::Cond::Tokens(lt), then, els });
        Val::Var(out)
    }

    fn index(&mut self, ix: &syn::ExprIndex) -> Val {
        let base = self.expr(&ix.expr);
        let index = self.expr(&ix.index);
        let span = ix.span();
        let Val::Var(b) = base else {
            let bt = self.val_tokens(&base);
            let it = self.val_tokens(&index);
            return Val::Const(quote_spanned!(span=> #bt[#it]));
        };
        if !self.vars[b].varied {
            let bt = self.val_tokens(&base);
            let it = self.val_tokens(&index);
            return Val::Const(quote_spanned!(span=> #bt[#it]));
        }
        let index = self.extra(index, ix.index.span());
        let owned = self.vars[b].kind == VarKind::Cell;
        Val::Var(self.node(Op::Index { base: b, index, owned }, span, "index", true, !owned))
    }

    fn field(&mut self, f: &syn::ExprField) -> Val {
        let base = self.expr(&f.base);
        let span = f.span();
        let Val::Var(b) = base else {
            let bt = self.val_tokens(&base);
            let m = &f.member;
            return Val::Const(quote_spanned!(span=> #bt.#m));
        };
        if !self.vars[b].varied {
            let bt = self.val_tokens(&base);
            let m = &f.member;
            return Val::Const(quote_spanned!(span=> #bt.#m));
        }
        let hint = member_hint(&f.member);
        if self.vars[b].kind == VarKind::Temp {
            // a field of a temporary (`f(x).0`): moved out of it, as Rust does; a copy here
            let r = self.node(Op::Field { base: b, member: f.member.clone() }, span, &hint, true, true);
            return Val::Var(self.node(Op::Copy(Operand::Var(r)), span, &hint, true, false));
        }
        Val::Var(self.node(Op::Field { base: b, member: f.member.clone() }, span, &hint, true, true))
    }

    /// `x?`, `x.unwrap()`, `x.expect(..)`.
    pub(crate) fn unwrap(&mut self, v: Val, post: Post, span: Span) -> Val {
        let Val::Var(base) = v else {
            let t = self.val_tokens(&v);
            return Val::Const(match post {
                Post::Try => quote_spanned!(span=> #t?),
                Post::Unwrap => quote_spanned!(span=> #t.unwrap()),
                Post::Expect(m) => quote_spanned!(span=> #t.expect(#m)),
                Post::None => t,
            });
        };
        if !self.vars[base].varied && self.vars[base].kind != VarKind::Gradient {
            let t = self.val_tokens(&Val::Var(base));
            return Val::Const(match post {
                Post::Try => quote_spanned!(span=> #t?),
                Post::Unwrap => quote_spanned!(span=> #t.unwrap()),
                Post::Expect(m) => quote_spanned!(span=> #t.expect(#m)),
                Post::None => t,
            });
        }
        // `dlgradient(..)?`: the site's own postfix
        if let Some(Stmt::Grad(g)) = self.last_stmt_mut()
            && g.out == base
            && matches!(g.post, Post::None)
        {
            g.post = post;
            return Val::Var(base);
        }
        // `f(x)?`: the call's own postfix
        if self.last_defines(base)
            && let Some(Stmt::Let(n)) = self.last_stmt_mut()
            && let Op::Call { post: p, .. } | Op::Method { post: p, .. } = &mut n.op
            && matches!(p, Post::None)
        {
            *p = post;
            return Val::Var(base);
        }
        let varied = self.vars[base].varied;
        Val::Var(self.node(Op::Unwrap { base, post, by_ref: false }, span, "value", varied, false))
    }

    fn struct_lit(&mut self, s: &syn::ExprStruct) -> Val {
        if s.rest.is_some() {
            return self.unsupported(
                s.span(),
                "a struct literal with `..base` holding traced values",
                "write every field, or assign the fields that change to a `let mut` copy",
            );
        }
        let mut fields = Vec::new();
        for f in &s.fields {
            let v = self.expr(&f.expr);
            let a = self.operand_once(v, f.expr.span());
            fields.push((f.member.clone(), a));
        }
        let varied = fields.iter().any(|(_, a)| self.op_varied(a));
        let path = s.path.to_token_stream();
        Val::Var(self.node(Op::Struct { path, fields, tuple: false }, s.span(), "value", varied, false))
    }

    pub(crate) fn cat(&mut self, c: &syn::ExprCall) -> Val {
        let span = c.span();
        if c.args.len() != 2 {
            return self.unsupported(
                span,
                "`cat` takes a dimension and a slice of dlarrays",
                "write `cat(dim, &[&a, &b])`",
            );
        }
        let dim = self.expr(&c.args[0]);
        let dim = self.extra(dim, c.args[0].span());
        let list = match strip(refs_of(&c.args[1]).0) {
            Expr::Array(a) => a.elems.iter().cloned().collect::<Vec<_>>(),
            other => {
                return self.unsupported(
                    other.span(),
                    "`cat` of something other than a list of dlarrays",
                    "write `cat(dim, &[&a, &b])`",
                );
            }
        };
        let args = self.operands(list.iter().map(|e| refs_of(e).0));
        Val::Var(self.node(Op::Cat { dim, args }, span, "cat", true, false))
    }

    fn mac(&mut self, m: &syn::Macro, span: Span) -> Val {
        let name = m.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        match name.as_str() {
            "vec" => {
                let parsed = m.parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated);
                match parsed {
                    Ok(list) => {
                        let args = self.operands(list.iter());
                        let varied = args.iter().any(|a| self.op_varied(a));
                        Val::Var(self.node(Op::VecLit(args), span, "vec", varied, false))
                    }
                    Err(_) => self.unsupported(
                        span,
                        "`vec![x; n]` of a value that may hold traced dlarrays",
                        "build the `Vec` with `push` in a loop, or list the elements",
                    ),
                }
            }
            "dbg" => match m.parse_body::<Expr>() {
                Ok(e) => {
                    let v = self.expr(&e);
                    let a = self.operand(v, span);
                    let varied = self.op_varied(&a);
                    let text = e.to_token_stream().to_string();
                    let loc = quote_spanned!(span=> #text);
                    Val::Var(self.node(Op::Dbg(a, loc), span, "dbg", varied, false))
                }
                Err(_) => {
                    self.unsupported(span, "`dbg!` of several values that may be traced", "call `dbg!` once per value")
                }
            },
            _ => {
                // a macro that reads its arguments (or a user's macro): run as written, result plain
                let tokens = self.renamed_tokens(m.tokens.clone());
                let path = &m.path;
                let delim = match &m.delimiter {
                    syn::MacroDelimiter::Paren(_) => quote!((#tokens)),
                    syn::MacroDelimiter::Brace(_) => quote!({#tokens}),
                    syn::MacroDelimiter::Bracket(_) => quote!([#tokens]),
                };
                let tokens = quote_spanned!(span=> #path!#delim);
                let _ = READING_MACROS;
                Val::Var(self.node(Op::Plain { tokens }, span, "value", false, false))
            }
        }
    }

    /// Moves the statements of an inner block into the current one (names were scoped while lowering).
    pub(crate) fn inline(&mut self, block: crate::ir::Block) {
        for s in block.stmts {
            self.push(s);
        }
    }
}

/// `&&x` → (`x`, 2).
pub(crate) fn refs_of(e: &Expr) -> (&Expr, usize) {
    match strip(e) {
        Expr::Reference(r) if r.mutability.is_none() => {
            let (inner, k) = refs_of(&r.expr);
            (inner, k + 1)
        }
        other => (other, 0),
    }
}

/// What made a dlarray, when an expression is a call of a creator or of `extractdata`.
fn created_by(e: &Expr) -> Option<String> {
    if let Expr::Call(c) = strip(e)
        && let Expr::Path(p) = strip(&c.func)
        && let Some(last) = p.path.segments.last()
    {
        let n = last.ident.to_string();
        if CREATORS.contains(&n.as_str()) || n == "extractdata" {
            return Some(call_text(c));
        }
    }
    None
}

/// A call as the user wrote it, for messages: `zeros_like(x)`, or `dlarray(..)` when long.
pub(crate) fn call_text(c: &syn::ExprCall) -> String {
    let name = c.func.to_token_stream().to_string().replace(' ', "");
    let args = c.args.to_token_stream().to_string();
    let args = args.replace(" ,", ",").replace("& ", "&").replace(" (", "(").replace("( ", "(").replace(" )", ")");
    if args.len() <= 20 { format!("{name}({args})") } else { format!("{name}(..)") }
}

/// The operator for plain operands (compound assignments become their binary operator).
fn plain_op(op: &syn::BinOp) -> TokenStream {
    use syn::BinOp::*;
    match op {
        AddAssign(t) => quote_spanned!(t.spans[0]=> +),
        SubAssign(t) => quote_spanned!(t.spans[0]=> -),
        MulAssign(t) => quote_spanned!(t.spans[0]=> *),
        DivAssign(t) => quote_spanned!(t.spans[0]=> /),
        RemAssign(t) => quote_spanned!(t.spans[0]=> %),
        other => other.to_token_stream(),
    }
}

/// `UpperCamelCase`: a type, a tuple struct or an enum variant by Rust's naming convention.
pub(crate) fn is_camel(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && !s.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
}

/// A path into the standard library or to a primitive type's function: never differentiable.
pub(crate) fn is_std_path(p: &syn::Path) -> bool {
    let first = p.segments.first().map(|s| s.ident.to_string()).unwrap_or_default();
    let prims = [
        "std", "core", "alloc", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64",
        "u128", "usize", "bool", "char", "str", "String", "Vec", "Option", "Result", "ndarray",
    ];
    prims.contains(&first.as_str())
}

/// Whether a call path may name a `#[differentiable]` function of this crate: `f`, `crate::m::f`,
/// `self::f`, `super::f`, `Self::f`, `Type::f`, `<T as Trait>::f`.
pub(crate) fn is_local_path(p: &syn::Path) -> bool {
    if p.segments.len() == 1 {
        return true;
    }
    let first = p.segments[0].ident.to_string();
    if ["crate", "self", "super", "Self"].contains(&first.as_str()) {
        return true;
    }
    // `Type::f`: the second-to-last segment is a type
    let n = p.segments.len();
    let owner = p.segments[n - 2].ident.to_string();
    is_camel(&owner) || owner == "Self"
}

/// A constant operand without the `&` the user wrote (operands are passed by reference anyway).
fn strip_const_ref(v: Val) -> Val {
    match v {
        Val::Const(ts) => match syn::parse2::<Expr>(ts.clone()) {
            Ok(e) => match refs_of(&e) {
                (inner, k) if k > 0 => Val::Const(inner.to_token_stream()),
                _ => Val::Const(ts),
            },
            Err(_) => Val::Const(ts),
        },
        other => other,
    }
}

/// Whether tokens are a reference expression `&x`.
pub(crate) fn refs_of_tokens(ts: &TokenStream) -> bool {
    matches!(syn::parse2::<Expr>(ts.clone()), Ok(Expr::Reference(_)))
}

/// Whether an expression leaves the loop it is in (`break`, `continue`, not inside a nested loop or
/// closure): it must be lowered so the reverse sweep knows where each iteration stopped.
pub(crate) fn contains_exit(e: &Expr) -> bool {
    use syn::visit::Visit;
    struct V(bool);
    impl<'ast> Visit<'ast> for V {
        fn visit_expr_break(&mut self, _: &'ast syn::ExprBreak) {
            self.0 = true;
        }
        fn visit_expr_continue(&mut self, _: &'ast syn::ExprContinue) {
            self.0 = true;
        }
        fn visit_expr_for_loop(&mut self, _: &'ast syn::ExprForLoop) {}
        fn visit_expr_while(&mut self, _: &'ast syn::ExprWhile) {}
        fn visit_expr_loop(&mut self, _: &'ast syn::ExprLoop) {}
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut v = V(false);
    v.visit_expr(e);
    v.0
}

/// `try_f(args)` for a primitive `f` of the table (or `cat`): the call `f(args)`.
fn try_form(e: &Expr) -> Option<Expr> {
    let Expr::Call(c) = strip(e) else { return None };
    let Expr::Path(p) = strip(&c.func) else { return None };
    if p.path.segments.len() != 1 || p.qself.is_some() {
        return None;
    }
    let name = p.path.segments[0].ident.to_string();
    let base = name.strip_prefix("try_")?;
    if base == "index" && c.args.len() == 2 {
        // MATLAB's x(i): the method form of indexing
        let (x, i) = (&c.args[0], &c.args[1]);
        return Some(syn::parse_quote_spanned!(p.span()=> (#x).at(#i)));
    }
    if base != "cat" && rules::free(base).is_none() {
        return None;
    }
    let mut c = c.clone();
    let ident = syn::Ident::new(base, p.path.segments[0].ident.span());
    c.func = Box::new(syn::parse_quote_spanned!(ident.span()=> #ident));
    Some(Expr::Call(c))
}

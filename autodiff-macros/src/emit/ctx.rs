//! What the printers share: the body, the plan, the generated names, and how operands are written.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use crate::analyze::{Need, Plan};
use crate::differentiate::Sweep;
use crate::ir::{Body, Operand, VarId};

/// The printing context of one function.
pub(crate) struct Ctx<'a> {
    pub(crate) body: &'a Body,
    pub(crate) plan: &'a Plan,
    /// The `dlgradient` sweeps, by site.
    pub(crate) sites: &'a [Sweep],
    /// `__ad`: the alias of the runtime's hidden module in generated code.
    pub(crate) rt: TokenStream,
    /// Whether the function returns `Result` (fallible operations use `?`).
    pub(crate) is_result: bool,
    /// Whether the code is the companion (recording for the pullback depends on the mode).
    pub(crate) companion: bool,
    /// A node not printed: the `Ok(..)` around the returned value (the companion returns its
    /// payload).
    pub(crate) skip: Option<VarId>,
    /// Set while the pullback's sweep is printed: it reads the pullback-only records too (a
    /// `dlgradient` sweep neither reads nor pops them: they are kept only when recording).
    pub(crate) in_pullback: std::cell::Cell<bool>,
    /// The label the `?` of generated code breaks to (see [`Ctx::try_`]), or none in a closure
    /// that returns its own `Result`.
    pub(crate) fail: std::cell::Cell<Option<&'static str>>,
    /// Top-level values whose `let` is written as an assignment to a name declared before (see
    /// [`lets`]): the candidates, and those written so.
    pub(crate) predeclare: RefCell<(HashSet<VarId>, Vec<VarId>)>,
    /// A vector-Jacobian product companion's body: its calls pass `Transitive`, not `Higher`.
    pub(crate) transitive: bool,
    names: RefCell<Names>,
}

#[derive(Default)]
struct Names {
    taken: HashSet<String>,
    given: HashMap<(VarId, &'static str), Ident>,
    ids: HashMap<(usize, &'static str), Ident>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(body: &'a Body, plan: &'a Plan, sites: &'a [Sweep], is_result: bool, companion: bool) -> Self {
        let mut taken = body.taken.clone();
        taken.extend(body.vars.iter().map(|v| v.ident.to_string()));
        Ctx {
            body,
            plan,
            sites,
            rt: quote!(__ad),
            is_result,
            companion,
            skip: None,
            in_pullback: std::cell::Cell::new(false),
            fail: std::cell::Cell::new(None),
            predeclare: RefCell::new((HashSet::new(), Vec::new())),
            transitive: false,
            names: RefCell::new(Names { taken, ..Default::default() }),
        }
    }

    /// `__ad` at a user's span (so `#[track_caller]` locations and errors point at the user's code).
    pub(crate) fn rt_at(&self, span: Span) -> TokenStream {
        let i = Ident::new("__ad", span);
        quote!(#i)
    }

    /// The identifier of a var.
    pub(crate) fn ident(&self, v: VarId) -> Ident {
        self.body.vars[v].ident.clone()
    }

    /// A generated name derived from a var (`x_bar`, `x_stack`), unique in the function.
    pub(crate) fn derived(&self, v: VarId, suffix: &'static str) -> Ident {
        let mut n = self.names.borrow_mut();
        if let Some(i) = n.given.get(&(v, suffix)) {
            return i.clone();
        }
        let base = self.body.vars[v].ident.to_string();
        let base = snake_base(&base);
        let mut name = format!("{base}_{suffix}");
        let mut k = 1;
        while n.taken.contains(&name) {
            k += 1;
            name = format!("{base}_{suffix}{k}");
        }
        n.taken.insert(name.clone());
        let id = Ident::new(&name, self.body.vars[v].ident.span());
        n.given.insert((v, suffix), id.clone());
        id
    }

    /// A generated name for a var in a loop (`s_sizes_3`: the size log of accumulator `s` in loop 3).
    pub(crate) fn derived_in(&self, v: VarId, id: usize, suffix: &'static str) -> Ident {
        let mut n = self.names.borrow_mut();
        let key = (v * 100_000 + id, suffix);
        if let Some(i) = n.given.get(&key) {
            return i.clone();
        }
        let base = self.body.vars[v].ident.to_string();
        let base = snake_base(&base);
        let mut name = format!("{base}_{suffix}_{id}");
        let mut k = 1;
        while n.taken.contains(&name) {
            k += 1;
            name = format!("{base}_{suffix}_{id}_{k}");
        }
        n.taken.insert(name.clone());
        let i = format_ident!("{}", name);
        n.given.insert(key, i.clone());
        i
    }

    /// A generated name for a branch or a loop (`if_3`, `trips_2`).
    pub(crate) fn for_id(&self, id: usize, what: &'static str) -> Ident {
        let mut n = self.names.borrow_mut();
        if let Some(i) = n.ids.get(&(id, what)) {
            return i.clone();
        }
        let mut name = format!("{what}_{id}");
        let mut k = 1;
        while n.taken.contains(&name) {
            k += 1;
            name = format!("{what}_{id}_{k}");
        }
        n.taken.insert(name.clone());
        let i = format_ident!("{}", name);
        n.ids.insert((id, what), i.clone());
        i
    }

    /// Whether a var may carry traced data.
    pub(crate) fn varied(&self, v: VarId) -> bool {
        self.body.vars[v].varied
    }

    /// Whether tokens mention a var that may carry traced data (generated names are unique).
    pub(crate) fn mentions_varied(&self, ts: &TokenStream) -> bool {
        let mut names = std::collections::HashSet::new();
        crate::rename::mentioned(ts, &mut names);
        self.body.vars.iter().any(|v| v.varied && names.contains(&v.ident.to_string()))
    }

    /// An operand of a forward primitive: `__ad::val(&x)` for a var that may be traced (references
    /// are looked through), `__ad::plain_val(&x)` for a plain one that may hold a reference, `&x` for
    /// another plain one, `&lit` for a constant.
    pub(crate) fn opnd(&self, a: &Operand, span: Span) -> TokenStream {
        let rt = &self.rt_at(span);
        match a {
            Operand::Var(v) => {
                let i = self.ident(*v);
                if self.varied(*v) {
                    quote_spanned!(span=> #rt::val(&#i))
                } else if self.body.vars[*v].is_ref {
                    quote_spanned!(span=> #rt::plain_val(&#i))
                } else {
                    quote_spanned!(span=> &#i)
                }
            }
            Operand::Const(ts) => {
                let ts = typed_literal(ts);
                quote_spanned!(span=> &(#ts))
            }
        }
    }

    /// The same in a reverse sweep, where a var read from a stack is a reference.
    pub(crate) fn opnd_rev(&self, a: &Operand, span: Span) -> TokenStream {
        let rt = &self.rt_at(span);
        match a {
            Operand::Var(v) if self.plan.region.contains(v) => {
                let i = self.ident(*v);
                quote_spanned!(span=> #rt::val(&#i))
            }
            other => self.opnd(other, span),
        }
    }

    /// `?` in a `Result` function, a panic at the caller's line otherwise.
    pub(crate) fn fallible(&self, e: TokenStream, span: Span) -> TokenStream {
        let rt = &self.rt_at(span);
        if self.is_result { self.try_(e, span) } else { quote_spanned!(span=> #rt::or_panic(#e)) }
    }

    /// `e?`, written as a `break` with the error to the label of the enclosing block (see
    /// [`fail_block`]) when there is one. Every `?` or `return` is a return site whose type is
    /// the function's, holding the pullback's type, which is known only at the end: rustc keeps
    /// each one pending until then, and checking a body with n of them takes time in n². A
    /// `break` to a block of the error type costs nothing.
    pub(crate) fn try_(&self, e: TokenStream, span: Span) -> TokenStream {
        match self.fail.get() {
            Some(label) => {
                let label = syn::Lifetime::new(label, span);
                quote_spanned!(span=> __ad_try!(#label, #e))
            }
            None => quote_spanned!(span=> #e?),
        }
    }

    /// Runs `f` with the `?` of generated code breaking to `label` (`None`: written as `?`).
    pub(crate) fn with_fail<R>(&self, label: Option<&'static str>, f: impl FnOnce() -> R) -> R {
        let outer = self.fail.replace(label);
        let r = f();
        self.fail.set(outer);
        r
    }

    /// Whether the sweep being printed reads the record of `v`.
    pub(crate) fn reads_record(&self, v: VarId) -> bool {
        match self.plan.stacked.get(&v) {
            Some(Need::Pullback) => self.in_pullback.get(),
            Some(_) => true,
            None => false,
        }
    }

    /// The condition under which a record is kept: always for internal records, in the companion
    /// only when the pullback will run.
    pub(crate) fn keep(&self, need: Need, code: TokenStream) -> TokenStream {
        match need {
            Need::Internal => code,
            Need::Pullback if self.companion => quote!(if __ad::Mode::record(__ad_mode) { #code }),
            Need::Pullback => quote!(),
        }
    }
}

/// A number literal with its type written (`0.5` is `0.5f64`, `2` is `2i32`: what Rust would
/// settle them to next to a dlarray). An unsettled literal leaves every value computed from it
/// unsettled until the end of type checking, which makes checking a long body quadratic.
pub(crate) fn typed_literal(ts: &TokenStream) -> TokenStream {
    match syn::parse2::<syn::Expr>(ts.clone()) {
        Ok(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Float(f), .. })) if f.suffix().is_empty() => {
            // as written, with the suffix added (`1e400` stays as it is: rustc reports it)
            match f.base10_parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    let mut l = proc_macro2::Literal::f64_suffixed(v);
                    l.set_span(f.span());
                    quote!(#l)
                }
                _ => ts.clone(),
            }
        }
        Ok(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. })) if i.suffix().is_empty() => {
            match i.base10_parse::<i32>() {
                Ok(v) => {
                    let mut l = proc_macro2::Literal::i32_suffixed(v);
                    l.set_span(i.span());
                    quote!(#l)
                }
                Err(_) => ts.clone(),
            }
        }
        Ok(syn::Expr::Unary(u)) if matches!(u.op, syn::UnOp::Neg(_)) => {
            let inner = typed_literal(&quote::ToTokens::to_token_stream(&*u.expr));
            quote!(-#inner)
        }
        _ => ts.clone(),
    }
}

/// The stem of a derived name: `sum_` gives `sum_bar`, not `sum__bar` (which the non_snake_case lint
/// flags); a raw identifier loses its `r#`.
fn snake_base(ident: &str) -> &str {
    match ident.trim_start_matches("r#").trim_end_matches('_') {
        "" => "v",
        b => b,
    }
}

/// `let __ad_err: E = 'label: { body }; Err(__ad_err)`: the body returns its own success, and the
/// errors of its fallible operations break out of the block ([`Ctx::try_`]). `err` is the error
/// type, known where the block is written.
pub(crate) fn fail_block(label: &'static str, err: TokenStream, body: TokenStream) -> TokenStream {
    let label = syn::Lifetime::new(label, proc_macro2::Span::call_site());
    quote! {
        // `?` that breaks to the block `$l`, with the error converted as `?` converts it
        macro_rules! __ad_try {
            ($l:lifetime, $e:expr) => {
                match $e {
                    ::core::result::Result::Ok(v) => v,
                    ::core::result::Result::Err(e) => break $l ::core::convert::From::from(e),
                }
            };
        }
        let __ad_err: #err = #label: { #body };
        ::core::result::Result::Err(__ad_err)
    }
}

/// How many bindings one generated `let` statement holds (see [`lets`]).
const LET_CHUNK: usize = 64;

/// `let (mut a, mut b, ..) = (ea, eb, ..);` for many bindings, in statements of [`LET_CHUNK`].
/// Every `let` opens a lexical scope nested in the previous one, and LLVM builds the debug
/// information of nested scopes recursively: a body with a few thousand `let`s in a row overflows
/// rustc's stack. One `let` per binding is written as it is.
pub(crate) fn lets(bindings: Vec<(TokenStream, TokenStream)>) -> TokenStream {
    let mut t = TokenStream::new();
    for chunk in bindings.chunks(LET_CHUNK) {
        match chunk {
            [(p, e)] => t.extend(quote!(let #p = #e;)),
            _ => {
                let (ps, es): (Vec<_>, Vec<_>) = chunk.iter().cloned().unzip();
                t.extend(quote!(let (#(#ps,)*) = (#(#es,)*);));
            }
        }
    }
    t
}

/// `let (a, b, ..);`: names declared first and assigned later (see [`lets`] for why), in
/// statements of [`LET_CHUNK`].
pub(crate) fn declare(names: &[Ident]) -> TokenStream {
    let mut t = TokenStream::new();
    for chunk in names.chunks(LET_CHUNK) {
        match chunk {
            [n] => t.extend(quote!(let #n;)),
            _ => t.extend(quote!(let (#(#chunk,)*);)),
        }
    }
    t
}

/// `let x = e;` as `x = e;` when `x` is `name` and `e` does not start with a borrow (a borrowed
/// temporary lives to the end of a `let` only). The rest of the tokens are kept.
pub(crate) fn as_assignment(t: &TokenStream, name: &Ident) -> Option<TokenStream> {
    use proc_macro2::TokenTree;
    let tokens: Vec<TokenTree> = t.clone().into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(l), TokenTree::Ident(n), TokenTree::Punct(eq), first, ..]
            if l == "let"
                && n == name
                && eq.as_char() == '='
                && !matches!(first, TokenTree::Punct(p) if p.as_char() == '&') =>
        {
            Some(tokens[1..].iter().cloned().collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::typed_literal;

    fn typed(s: &str) -> String {
        typed_literal(&s.parse().expect("tokens")).to_string()
    }

    #[test]
    fn literals_get_the_type_rust_would_settle_them_to() {
        assert_eq!(typed("0.5"), "0.5f64");
        assert_eq!(typed("2"), "2i32");
        assert_eq!(typed("- 1.5"), "- 1.5f64");
        assert_eq!(typed("0.5f32"), "0.5f32");
        assert_eq!(typed("dt"), "dt");
    }

    #[test]
    fn literals_that_cannot_be_written_back_stay_as_written() {
        // an infinite float (rustc reports it) and an integer past i32: no panic, no change
        assert_eq!(typed("1e400"), "1e400");
        assert_eq!(typed("3000000000"), "3000000000");
    }
}

//! Stage 1: the attribute's arguments and the signature. Which parameters `dlfeval` traces is read
//! from their declared types (numbers, strings, `ndarray` data and `#[untraced]` parameters are
//! plain), and what the companion takes for each (an owned copy of a reference).

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, Ident, Pat, PathArguments, ReturnType, Signature, Type};

use crate::diag::Diagnostics;

/// Arguments of `#[differentiable(..)]`.
#[derive(Default)]
pub(crate) struct Attr {
    /// `crate = path`: where the `autodiff` crate is (default `::autodiff`).
    pub(crate) krate: Option<syn::Path>,
}

/// Parses `#[differentiable]`'s arguments; unknown ones are errors at their token.
pub(crate) fn attr(tokens: TokenStream, diag: &Diagnostics) -> Attr {
    let mut out = Attr::default();
    if tokens.is_empty() {
        return out;
    }
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            let path: syn::Path = meta.value()?.parse()?;
            if let Some(s) = path.segments.iter().find(|s| !s.arguments.is_none()) {
                return Err(syn::Error::new(
                    s.arguments.span(),
                    "the `crate` argument is a path to the crate, without generic arguments\n= help: write `crate = my_autodiff` (the name of the renamed dependency)",
                ));
            }
            out.krate = Some(path);
            Ok(())
        } else {
            let name = meta.path.to_token_stream().to_string().replace(' ', "");
            Err(meta.error(format!(
                "unknown argument `{name}` of #[differentiable]\n= help: the only argument is `crate = path::to::autodiff`, for a renamed dependency"
            )))
        }
    });
    if let Err(e) = syn::parse::Parser::parse2(parser, tokens) {
        diag.push(e);
    }
    out
}

/// How a method takes its receiver.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Receiver {
    /// A free function or an associated function without `self`.
    None,
    /// `&self`.
    Ref,
    /// `self`.
    Value,
}

/// One parameter.
pub(crate) struct Param {
    /// Its name in the body (`self` for a receiver; a generated name for `_`).
    pub(crate) ident: Ident,
    /// The declared type (`&Self`/`Self` for receivers).
    pub(crate) ty: Type,
    /// Whether `dlfeval` traces it and gradients flow to it.
    pub(crate) traced: bool,
    /// Whether the declared type is a reference.
    pub(crate) is_ref: bool,
    /// The companion's parameter type: an owned copy (`DlArray` for `&DlArray`, `Vec<L>` for `&[L]`),
    /// the declared type for plain parameters.
    pub(crate) owned: Type,
    /// `mut k: usize` or `k: &mut usize`: its value may change while the body runs.
    pub(crate) mutable: bool,
}

/// What the function returns.
pub(crate) struct Ret {
    /// `-> Result<..>`: fallible operations use `?`.
    pub(crate) is_result: bool,
    /// The declared type (`()` when none).
    pub(crate) ty: Type,
    /// `X` of `Result<X, E>`, or the declared type.
    pub(crate) payload: Type,
}

/// The analysed signature.
pub(crate) struct Sig {
    pub(crate) params: Vec<Param>,
    pub(crate) ret: Ret,
    pub(crate) receiver: Receiver,
    /// The lifetimes of plain borrowed parameters (their elided ones named `'__ad_l<k>`): the
    /// companion's pullback may keep those borrows (`data: &Data` is read, not copied).
    pub(crate) lifetimes: Vec<syn::Lifetime>,
    /// The named ones among them (the companion declares them).
    pub(crate) new_lifetimes: Vec<syn::Lifetime>,
    /// Type parameters that are traced (bound by `Learnables`): the function gets `T: Traced`.
    pub(crate) traced_type_params: Vec<Ident>,
}

/// Analyses a signature. Strips `#[untraced]` from parameters and names `_` parameters.
pub(crate) fn signature(sig: &mut Signature, diag: &Diagnostics) -> Sig {
    if let Some(a) = &sig.asyncness {
        diag.error(
            a.span(),
            "`async fn` cannot be #[differentiable]",
            "write a synchronous function; derivatives are computed eagerly",
        );
    }
    if let syn::Safety::Unsafe(u) = &sig.safety {
        diag.error(
            u.span(),
            "`unsafe fn` cannot be #[differentiable]",
            "move the unsafe code into a helper that does not touch traced values",
        );
    }
    let type_params: Vec<(String, bool)> = sig
        .generics
        .type_params()
        .map(|t| {
            let bounds = t.bounds.to_token_stream().to_string();
            let wheres = sig
                .generics
                .where_clause
                .as_ref()
                .map(|w| {
                    w.predicates
                        .iter()
                        .map(|p| p.to_token_stream().to_string())
                        .filter(|s| s.starts_with(&t.ident.to_string()))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            (t.ident.to_string(), carries(&format!("{bounds} {wheres}")))
        })
        .collect();
    let mut params = Vec::new();
    let mut receiver = Receiver::None;
    let (mut lifetimes, mut new_lifetimes) = (Vec::new(), Vec::new());
    for (i, arg) in sig.inputs.iter_mut().enumerate() {
        match arg {
            FnArg::Receiver(r) => {
                let reference = matches!(r.kind, syn::ReceiverKind::Reference(..));
                let mut_ref = matches!(r.kind, syn::ReceiverKind::Reference(_, _, Some(_)));
                if let syn::ReceiverKind::Typed(_, t) = &r.kind {
                    diag.error(
                        t.span(),
                        "a `self: Type` receiver cannot be #[differentiable]",
                        "take `&self` or `self`",
                    );
                }
                receiver = if reference { Receiver::Ref } else { Receiver::Value };
                if mut_ref {
                    diag.error(
                        r.span(),
                        "a `&mut self` method cannot be #[differentiable]",
                        "take `&self` and return the new state, or move the mutation outside the differentiable method",
                    );
                }
                let ty: Type = if reference { syn::parse_quote!(&Self) } else { syn::parse_quote!(Self) };
                params.push(Param {
                    ident: Ident::new("self", r.self_token.span),
                    is_ref: reference,
                    ty,
                    traced: true,
                    owned: syn::parse_quote!(Self),
                    mutable: false,
                });
            }
            FnArg::Typed(pt) => {
                let untraced = take_untraced(&mut pt.attrs);
                let mut_pat = matches!(&*pt.pat, Pat::Ident(p) if p.mutability.is_some());
                let ident = match &*pt.pat {
                    Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() => p.ident.clone(),
                    Pat::Wild(w) => {
                        let id = Ident::new(&format!("__ad_arg{i}"), w.span());
                        *pt.pat = syn::parse_quote!(#id);
                        id
                    }
                    other => {
                        diag.error(
                            other.span(),
                            "#[differentiable] parameters must be plain names",
                            "destructure the value in the body: `fn f(p: &(DlArray, DlArray))` then `let (a, b) = p;`",
                        );
                        Ident::new(&format!("__ad_arg{i}"), other.span())
                    }
                };
                let ty = (*pt.ty).clone();
                let is_ref = matches!(ty, Type::Reference(_));
                let plain = untraced || is_plain(&ty, &type_params) || is_mut_ref(&ty);
                let owned =
                    if plain { name_lifetimes(&ty, &mut lifetimes, &mut new_lifetimes) } else { owned_type(&ty) };
                let mutable = mut_pat || is_mut_ref(&ty);
                params.push(Param { ident, ty, traced: !plain, is_ref, owned, mutable });
            }
        }
    }
    let ret = match &sig.output {
        ReturnType::Default => Ret { is_result: false, ty: syn::parse_quote!(()), payload: syn::parse_quote!(()) },
        ReturnType::Type(_, ty) => match result_payload(ty) {
            Some(payload) => Ret { is_result: true, ty: (**ty).clone(), payload },
            None => Ret { is_result: false, ty: (**ty).clone(), payload: (**ty).clone() },
        },
    };
    let traced_type_params = sig
        .generics
        .type_params()
        .filter(|t| type_params.iter().any(|(n, c)| *c && t.ident == n))
        .map(|t| t.ident.clone())
        .collect();
    Sig { params, ret, receiver, lifetimes, new_lifetimes, traced_type_params }
}

/// A plain parameter's type with its elided lifetimes named (`&[f64]` is `&'__ad_l0 [f64]`); every
/// lifetime it holds is listed in `all`, the new ones in `new` too.
fn name_lifetimes(ty: &Type, all: &mut Vec<syn::Lifetime>, new: &mut Vec<syn::Lifetime>) -> Type {
    struct Namer<'a> {
        all: &'a mut Vec<syn::Lifetime>,
        new: &'a mut Vec<syn::Lifetime>,
    }
    impl Namer<'_> {
        fn fresh(&mut self, span: proc_macro2::Span) -> syn::Lifetime {
            let l = syn::Lifetime::new(&format!("'__ad_l{}", self.new.len()), span);
            self.new.push(l.clone());
            l
        }
        fn note(&mut self, l: &syn::Lifetime) {
            if l.ident != "static" && !self.all.iter().any(|a| a.ident == l.ident) {
                self.all.push(l.clone());
            }
        }
    }
    impl syn::visit_mut::VisitMut for Namer<'_> {
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            match &r.lifetime {
                Some(l) if l.ident != "_" => self.note(&l.clone()),
                _ => {
                    let l = self.fresh(r.and_token.span);
                    self.note(&l);
                    r.lifetime = Some(l);
                }
            }
            syn::visit_mut::visit_type_reference_mut(self, r);
        }
        fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
            if l.ident == "_" {
                *l = self.fresh(l.span());
            }
            self.note(&l.clone());
        }
        // lifetimes inside `impl Trait`, `dyn Trait` bounds and fn pointers are their own
        fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}
    }
    let mut t = ty.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut Namer { all, new }, &mut t);
    t
}

/// Whether bounds name a trait of containers of dlarrays (`Learnables`, `Diff`).
fn carries(bounds: &str) -> bool {
    // a type parameter is traced when it is bound as a container of dlarrays; any other bound (a
    // user's `Layer` trait, `Copy`, `Fn`) leaves it plain data
    const TRACED_TRAITS: &[&str] = &["Learnables", "Diff", "Traced"];
    bounds.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| TRACED_TRAITS.contains(&w))
}

/// Removes `#[untraced]` from a parameter's attributes; true if it was there.
fn take_untraced(attrs: &mut Vec<syn::Attribute>) -> bool {
    let before = attrs.len();
    attrs.retain(|a| !a.path().is_ident("untraced"));
    attrs.len() != before
}

/// `X` of `Result<X>` / `Result<X, E>` (any path ending in `Result`).
pub(crate) fn result_payload(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(a) = &last.arguments else { return None };
    a.args.iter().find_map(|g| match g {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// `Result<X, E>` with `X` replaced.
pub(crate) fn with_payload(ty: &Type, payload: TokenStream) -> TokenStream {
    let mut ty = ty.clone();
    if let Type::Path(p) = &mut ty
        && let Some(last) = p.path.segments.last_mut()
        && let PathArguments::AngleBracketed(a) = &mut last.arguments
        && let Some(first) = a.args.iter_mut().find(|g| matches!(g, GenericArgument::Type(_)))
    {
        *first = GenericArgument::Type(syn::parse_quote!(#payload));
    }
    ty.to_token_stream()
}

fn is_mut_ref(ty: &Type) -> bool {
    matches!(ty, Type::Reference(r) if r.mutability.is_some())
}

/// The companion's owned type for a traced parameter.
fn owned_type(ty: &Type) -> Type {
    match ty {
        Type::Reference(r) => match &*r.elem {
            Type::Slice(s) => {
                let e = &s.elem;
                syn::parse_quote!(::std::vec::Vec<#e>)
            }
            Type::Reference(_) => owned_type(&r.elem),
            other => other.clone(),
        },
        Type::Paren(p) => owned_type(&p.elem),
        other => other.clone(),
    }
}

/// Types that never hold traced dlarrays: numbers, strings, `ndarray` data, ranges, and containers of
/// those; a type parameter whose bounds are all standard traits.
fn is_plain(ty: &Type, type_params: &[(String, bool)]) -> bool {
    const PLAIN: &[&str] = &[
        "f32",
        "f64",
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "bool",
        "char",
        "str",
        "String",
        "ArrayD",
        "Array",
        "Array0",
        "Array1",
        "Array2",
        "Array3",
        "Array4",
        "ArrayView",
        "ArrayViewD",
        "ArrayView1",
        "ArrayView2",
        "ArcArray",
        "Range",
        "RangeInclusive",
        "Dims",
        "All",
        "Label",
        "Format",
        "Path",
        "PathBuf",
        "Duration",
        "Instant",
        "StdRng",
        "ThreadRng",
        "SmallRng",
    ];
    const CONTAINERS: &[&str] = &["Vec", "Option", "Box", "Rc", "Arc", "VecDeque", "HashMap", "BTreeMap"];
    match ty {
        Type::Reference(r) => is_plain(&r.elem, type_params),
        Type::Paren(p) => is_plain(&p.elem, type_params),
        Type::Group(g) => is_plain(&g.elem, type_params),
        Type::Slice(s) => is_plain(&s.elem, type_params),
        Type::Array(a) => is_plain(&a.elem, type_params),
        Type::Tuple(t) => t.elems.iter().all(|e| is_plain(e, type_params)),
        Type::ImplTrait(i) => !carries(&i.bounds.to_token_stream().to_string()),
        Type::FnPtr(_) | Type::Never(_) => true,
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else { return false };
            let name = last.ident.to_string();
            if p.path.segments.len() == 1
                && let Some((_, carries)) = type_params.iter().find(|(n, _)| *n == name)
            {
                return !carries;
            }
            if PLAIN.contains(&name.as_str()) {
                return true;
            }
            if CONTAINERS.contains(&name.as_str()) {
                let PathArguments::AngleBracketed(a) = &last.arguments else { return true };
                return a.args.iter().all(|g| match g {
                    GenericArgument::Type(t) => is_plain(t, type_params),
                    _ => true,
                });
            }
            false
        }
        _ => false,
    }
}

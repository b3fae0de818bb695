//! Stage 1, parse: the attribute's arguments and the signature. Decides which parameters carry
//! dlarrays (by their declared types: plain numbers, strings, `ndarray` data and `#[untraced]`
//! parameters do not) and what the adjoint slot of each one is.

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
            out.krate = Some(meta.value()?.parse()?);
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

/// One parameter.
pub(crate) struct Param {
    /// Its name (`self` for a receiver).
    pub(crate) ident: Ident,
    /// The declared type (`&Self`/`Self` for receivers).
    pub(crate) ty: Type,
    /// Whether it may carry traced dlarrays.
    pub(crate) active: bool,
    /// Whether the declared type is a reference.
    pub(crate) is_ref: bool,
    /// The type of its adjoint slot (and gradient): the declared type without the outer reference.
    pub(crate) slot_ty: Type,
}

/// What the function returns.
pub(crate) struct Ret {
    /// `-> Result<..>`: forward primitives use their `try_` forms and `?`.
    pub(crate) is_result: bool,
    /// The value type: `X` of `Result<X, E>`, or the declared type.
    pub(crate) inner: Type,
}

/// The analysed signature.
pub(crate) struct Sig {
    pub(crate) params: Vec<Param>,
    pub(crate) ret: Ret,
    pub(crate) has_receiver: bool,
}

/// Analyses a signature. Strips `#[untraced]` from parameters.
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
            let learnable = t.bounds.to_token_stream().to_string().contains("Learnables")
                || sig.generics.where_clause.as_ref().is_some_and(|w| {
                    w.predicates.iter().any(|p| {
                        let s = p.to_token_stream().to_string();
                        s.starts_with(&t.ident.to_string()) && s.contains("Learnables")
                    })
                });
            (t.ident.to_string(), learnable)
        })
        .collect();
    let mut params = Vec::new();
    let mut has_receiver = false;
    for (i, arg) in sig.inputs.iter_mut().enumerate() {
        match arg {
            FnArg::Receiver(r) => {
                has_receiver = true;
                let ty: Type = match &r.kind {
                    syn::ReceiverKind::Reference(_, lt, m) => syn::parse_quote!(& #lt #m Self),
                    syn::ReceiverKind::Typed(_, ty) => (**ty).clone(),
                    _ => syn::parse_quote!(Self),
                };
                let is_ref = matches!(ty, Type::Reference(_));
                params.push(Param {
                    ident: Ident::new("self", r.self_token.span),
                    slot_ty: syn::parse_quote!(Self),
                    ty,
                    active: true,
                    is_ref,
                });
            }
            FnArg::Typed(pt) => {
                let untraced = take_untraced(&mut pt.attrs);
                let ident = match &*pt.pat {
                    Pat::Ident(p) if p.subpat.is_none() => p.ident.clone(),
                    Pat::Wild(w) => Ident::new(&format!("__arg{i}"), w.span()),
                    other => {
                        diag.error(
                            other.span(),
                            "#[differentiable] parameters must be plain names",
                            "destructure the value in the body: `fn f(p: &(DlArray, DlArray))` then `let (a, b) = p;`",
                        );
                        Ident::new(&format!("__arg{i}"), other.span())
                    }
                };
                let ty = (*pt.ty).clone();
                let is_ref = matches!(ty, Type::Reference(_));
                let active = !untraced && !is_plain(&ty, &type_params);
                let slot_ty = if active { strip_ref(&ty) } else { syn::parse_quote!(()) };
                if active && matches!(slot_ty, Type::Slice(_)) {
                    diag.error(
                        pt.ty.span(),
                        "a slice of dlarrays cannot be a #[differentiable] parameter",
                        "take `&Vec<DlArray>` or `&[DlArray; N]`, whose gradient has the same type",
                    );
                }
                params.push(Param { ident, ty, active, is_ref, slot_ty });
            }
        }
    }
    let ret = match &sig.output {
        ReturnType::Default => Ret { is_result: false, inner: syn::parse_quote!(()) },
        ReturnType::Type(_, ty) => match result_inner(ty) {
            Some(inner) => Ret { is_result: true, inner },
            None => Ret { is_result: false, inner: (**ty).clone() },
        },
    };
    Sig { params, ret, has_receiver }
}

/// Removes `#[untraced]` from a parameter's attributes; true if it was there.
fn take_untraced(attrs: &mut Vec<syn::Attribute>) -> bool {
    let before = attrs.len();
    attrs.retain(|a| !a.path().is_ident("untraced"));
    attrs.len() != before
}

/// `X` of `Result<X>` / `Result<X, E>` (any path ending in `Result`).
pub(crate) fn result_inner(ty: &Type) -> Option<Type> {
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

/// The declared type without its outer reference.
pub(crate) fn strip_ref(ty: &Type) -> Type {
    match ty {
        Type::Reference(r) => strip_ref(&r.elem),
        Type::Paren(p) => strip_ref(&p.elem),
        other => other.clone(),
    }
}

/// Types that never hold traced dlarrays: numbers, strings, `ndarray` data, ranges, and containers of
/// those; a type parameter unless it is bounded by `Learnables`.
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
    ];
    const CONTAINERS: &[&str] = &["Vec", "Option", "Box", "Rc", "Arc", "VecDeque", "HashMap", "BTreeMap"];
    match ty {
        Type::Reference(r) => is_plain(&r.elem, type_params),
        Type::Paren(p) => is_plain(&p.elem, type_params),
        Type::Group(g) => is_plain(&g.elem, type_params),
        Type::Slice(s) => is_plain(&s.elem, type_params),
        Type::Array(a) => is_plain(&a.elem, type_params),
        Type::Tuple(t) => t.elems.iter().all(|e| is_plain(e, type_params)),
        Type::ImplTrait(i) => !i.bounds.to_token_stream().to_string().contains("Learnables"),
        Type::FnPtr(_) | Type::Never(_) => true,
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else { return false };
            let name = last.ident.to_string();
            if p.path.segments.len() == 1
                && let Some((_, learnable)) = type_params.iter().find(|(n, _)| *n == name)
            {
                return !learnable;
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

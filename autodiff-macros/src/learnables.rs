//! `#[derive(Learnables)]`: visiting, mapping and zipping the dlarrays of a struct, with path names
//! (`fc1.weights`) for MATLAB's Learnables table. Fields marked `#[learnables(skip)]` are cloned as they
//! are and never differentiated.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Type};

/// The derive's expansion.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let item: DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.into_compile_error(),
    };
    let mut krate = quote!(::autodiff);
    for a in &item.attrs {
        if a.path().is_ident("learnables") {
            let r = a.parse_nested_meta(|m| {
                if m.path.is_ident("crate") {
                    let p: syn::Path = m.value()?.parse()?;
                    krate = p.to_token_stream();
                    Ok(())
                } else {
                    Err(m.error("unknown argument of #[learnables(..)] on a struct\n= help: the only one is `crate = path::to::autodiff`"))
                }
            });
            if let Err(e) = r {
                return e.into_compile_error();
            }
        }
    }
    let Data::Struct(data) = &item.data else {
        return syn::Error::new(
            item.ident.span(),
            "#[derive(Learnables)] applies to structs\n= help: hold the alternatives in `Option` fields of a struct",
        )
        .into_compile_error();
    };
    let mut fields = Vec::new();
    for (i, f) in data.fields.iter().enumerate() {
        let mut skip = false;
        for a in &f.attrs {
            if a.path().is_ident("learnables") {
                let r = a.parse_nested_meta(|m| {
                    if m.path.is_ident("skip") {
                        skip = true;
                        Ok(())
                    } else {
                        Err(m.error("unknown argument of #[learnables(..)] on a field\n= help: the only one is `skip`"))
                    }
                });
                if let Err(e) = r {
                    return e.into_compile_error();
                }
            }
        }
        let member: syn::Member = match &f.ident {
            Some(i) => syn::Member::Named(i.clone()),
            None => syn::Member::Unnamed(syn::Index { index: i as u32, span: f.span() }),
        };
        let label = match &f.ident {
            Some(i) => i.to_string(),
            None => i.to_string(),
        };
        fields.push((member, label, f.ty.clone(), skip));
    }
    // the element type: from a `DlArray<..>` field if there is one, else generic
    let elem = fields.iter().filter(|f| !f.3).find_map(|(_, _, ty, _)| dlarray_elem(ty));
    let (t, extra_param) = match &elem {
        Some(t) => (t.clone(), None),
        None => (quote!(__T), Some(quote!(__T: #krate::Real))),
    };
    let name = &item.ident;
    let mut generics = item.generics.clone();
    let (_, ty_generics, _) = item.generics.split_for_impl();
    let where_clause = generics.make_where_clause();
    for (_, _, ty, skip) in &fields {
        if !*skip {
            where_clause.predicates.push(syn::parse_quote!(#ty: #krate::Learnables<#t>));
        }
    }
    let where_clause = generics.where_clause.clone();
    let params = generics.params.iter();
    let impl_params = match &extra_param {
        Some(p) => quote!(<#p, #(#params),*>),
        None => quote!(<#(#params),*>),
    };
    let active: Vec<_> = fields.iter().filter(|f| !f.3).collect();
    let visit = active.iter().map(|(m, label, _, _)| {
        quote! {
            let len = #krate::__private::push_path(path, #label);
            #krate::Learnables::visit(&self.#m, path, f);
            path.truncate(len);
        }
    });
    let visit_mut = active.iter().map(|(m, _, _, _)| quote!(#krate::Learnables::visit_mut(&mut self.#m, f);));
    let zip_visit =
        active.iter().map(|(m, _, _, _)| quote!(#krate::Learnables::zip_visit_mut(&mut self.#m, &other.#m, f);));
    let map_fields = fields.iter().map(|(m, _, _, skip)| {
        if *skip {
            quote!(#m: ::core::clone::Clone::clone(&self.#m))
        } else {
            quote!(#m: #krate::Learnables::map(&self.#m, f))
        }
    });
    let zip_fields = fields.iter().map(|(m, _, _, skip)| {
        if *skip {
            quote!(#m: ::core::clone::Clone::clone(&self.#m))
        } else {
            quote!(#m: #krate::Learnables::zip_map(&self.#m, &other.#m, f))
        }
    });
    let zip_fields: Vec<_> = zip_fields.collect();
    let map_fields: Vec<_> = map_fields.collect();
    let build = |body: &[TokenStream]| match &data.fields {
        Fields::Named(_) | Fields::Unnamed(_) => quote!(Self { #(#body),* }),
        Fields::Unit => quote!(Self {}),
    };
    let map_body = build(&map_fields);
    let zip_body = build(&zip_fields);
    let elem_ty = &t;
    let v2 = quote!(#krate::__private::v2);
    // the element type for the impls without one: the struct's own, or its first learnable field's
    let elem_of = match &elem {
        Some(t) => Some(t.clone()),
        None => fields
            .iter()
            .filter(|f| !f.3)
            .find(|(_, _, ty, _)| !is_plain_type(ty))
            .map(|(_, _, ty, _)| quote!(<#ty as #v2::Elem>::T)),
    };
    let params_v2 = item.generics.params.iter();
    let impl_v2 = quote!(<#(#params_v2),*>);
    let where_v2 = elem_of.as_ref().map(|elem_ty| {
        let mut g = item.generics.clone();
        let w = g.make_where_clause();
        w.predicates.push(syn::parse_quote!(Self: #krate::Learnables<#elem_ty>));
        g.where_clause.clone()
    });
    let v2_impls = elem_of.as_ref().map(|elem_ty| {
        quote! {
            #[automatically_derived]
            impl #impl_v2 #v2::Elem for #name #ty_generics {
                type T = #elem_ty;
            }
            #[automatically_derived]
            impl #impl_v2 #v2::Diff for #name #ty_generics #where_v2 {
                type Grad = Self;
                #[inline]
                fn lazy(&self) -> Self {
                    #v2::learnables_lazy::<#elem_ty, Self>(self)
                }
                fn finish(&self, g: Self, traced: bool) -> Self {
                    #v2::learnables_finish::<#elem_ty, Self>(self, g, traced)
                }
            }
            #[automatically_derived]
            impl #impl_v2 #v2::Grad for #name #ty_generics #where_v2 {
                #[inline]
                fn acc(&mut self, c: &Self) {
                    #v2::learnables_acc::<#elem_ty, Self>(self, c)
                }
                fn reached(&self) -> bool {
                    #v2::learnables_reached::<#elem_ty, Self>(self)
                }
                fn copy(&self) -> Self {
                    #v2::learnables_copy::<#elem_ty, Self>(self)
                }
                fn lazy_like(&self) -> Self {
                    #v2::learnables_lazy::<#elem_ty, Self>(self)
                }
            }
            #[automatically_derived]
            impl #impl_v2 #v2::Trace for #name #ty_generics #where_v2 {
                type Owned = Self;
                fn traced(&self, id: ::core::option::Option<#v2::TraceId>) -> Self {
                    #v2::learnables_traced::<#elem_ty, Self>(self, id)
                }
                fn untraced(&self) -> ::core::option::Option<::std::string::String> {
                    #v2::learnables_untraced::<#elem_ty, Self>(self)
                }
            }
            #[automatically_derived]
            impl #impl_v2 #v2::Val for #name #ty_generics {
                type T = Self;
                #[inline(always)]
                fn val(&self) -> &Self {
                    self
                }
            }
        }
    });
    quote! {
        #v2_impls
        #[automatically_derived]
        impl #impl_params #krate::Learnables<#elem_ty> for #name #ty_generics #where_clause {
            fn visit(&self, path: &mut ::std::string::String, f: &mut dyn ::core::ops::FnMut(&str, &#krate::DlArray<#elem_ty>)) {
                #(#visit)*
            }
            fn visit_mut(&mut self, f: &mut dyn ::core::ops::FnMut(&mut #krate::DlArray<#elem_ty>)) {
                #(#visit_mut)*
            }
            fn map(&self, f: &mut dyn ::core::ops::FnMut(&#krate::DlArray<#elem_ty>) -> #krate::DlArray<#elem_ty>) -> Self {
                #map_body
            }
            fn zip_map(
                &self,
                other: &Self,
                f: &mut dyn ::core::ops::FnMut(&#krate::DlArray<#elem_ty>, &#krate::DlArray<#elem_ty>) -> #krate::DlArray<#elem_ty>,
            ) -> Self {
                #zip_body
            }
            fn zip_visit_mut(
                &mut self,
                other: &Self,
                f: &mut dyn ::core::ops::FnMut(&mut #krate::DlArray<#elem_ty>, &#krate::DlArray<#elem_ty>),
            ) {
                #(#zip_visit)*
            }
        }
    }
}

/// `X` for a field of type `DlArray<X>` (`f64` for `DlArray`), through `Vec`, `Option`, arrays, `Box`.
fn dlarray_elem(ty: &Type) -> Option<TokenStream> {
    match ty {
        Type::Path(p) => {
            let last = p.path.segments.last()?;
            let args = match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
                    syn::GenericArgument::Type(t) => Some(t.clone()),
                    _ => None,
                }),
                _ => None,
            };
            if last.ident == "DlArray" {
                return Some(args.map_or_else(|| quote!(f64), |t| t.to_token_stream()));
            }
            if ["Vec", "Option", "Box"].contains(&last.ident.to_string().as_str()) {
                return dlarray_elem(&args?);
            }
            None
        }
        Type::Array(a) => dlarray_elem(&a.elem),
        _ => None,
    }
}

/// Field types that hold no dlarrays.
fn is_plain_type(ty: &Type) -> bool {
    let s = ty.to_token_stream().to_string();
    [
        "f32",
        "f64",
        "i8",
        "i16",
        "i32",
        "i64",
        "isize",
        "u8",
        "u16",
        "u32",
        "u64",
        "usize",
        "bool",
        "char",
        "String",
        "& str",
        "& 'static str",
    ]
    .contains(&s.as_str())
}

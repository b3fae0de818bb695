//! Prints the expansion of a function for debugging: `NEXT_EXPAND=path/to/file.rs cargo test -p
//! autodiff-macros next_expand -- --nocapture` (the file holds one function).

#[test]
fn next_expand() {
    let Ok(path) = std::env::var("NEXT_EXPAND") else { return };
    let src = std::fs::read_to_string(path).expect("read");
    let out = if src.trim_start().starts_with('|') || src.trim_start().starts_with("move") {
        let c = crate::emit::closure(src.parse().expect("tokens"));
        quote::quote!(fn closure() { let _ = #c; })
    } else {
        crate::emit::differentiable(proc_macro2::TokenStream::new(), src.parse().expect("tokens"))
    };
    match syn::parse2::<syn::File>(out.clone()) {
        Ok(f) => println!("{}\n----\n{out}", prettyplease::unparse(&f)),
        Err(e) => println!("{e}\n{out}"),
    }
}

#[test]
fn derive_expand() {
    let Ok(src) = std::env::var("DERIVE_EXPAND") else { return };
    let out = crate::learnables::derive(src.parse().expect("tokens"));
    println!("{out}");
}

#[test]
fn ir_dump() {
    let Ok(path) = std::env::var("NEXT_IR") else { return };
    let src = std::fs::read_to_string(path).expect("read");
    let mut f: syn::ItemFn = syn::parse_str(&src).expect("fn");
    let diag = crate::diag::Diagnostics::default();
    let sig = crate::signature::signature(&mut f.sig, &diag);
    let body = crate::lower::lower(&sig, &f.block, &diag, quote::quote!(__ad));
    println!("{}", crate::ir::print::body(&body));
}

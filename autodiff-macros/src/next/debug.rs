//! Prints the expansion of a function for debugging: `NEXT_EXPAND=path/to/file.rs cargo test -p
//! autodiff-macros next_expand -- --nocapture` (the file holds one function).

#[test]
fn next_expand() {
    let Ok(path) = std::env::var("NEXT_EXPAND") else { return };
    let src = std::fs::read_to_string(path).expect("read");
    let out = crate::next::emit::differentiable(proc_macro2::TokenStream::new(), src.parse().expect("tokens"));
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
    let sig = crate::next::signature::signature(&mut f.sig, &diag);
    let body = crate::next::lower::lower(&sig, &f.block, &diag, quote::quote!(__ad));
    println!("{:#?}", body.block);
}

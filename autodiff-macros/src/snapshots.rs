//! Snapshots of reviewed examples, committed so a reader can see what the macro makes of them and
//! every change shows in a diff: the lowered IR (`tests/expand/*.ir`, stage 2's output) and the
//! expansion (`tests/expand/*.expanded.rs`). Regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test -p autodiff-macros`.

use std::path::PathBuf;

fn expand(attr: &str, item: &str) -> String {
    let out = crate::emit::differentiable(attr.parse().expect("attr tokens"), item.parse().expect("item tokens"));
    let file: syn::File = syn::parse2(out).expect("the expansion parses as items");
    prettyplease::unparse(&file)
}

fn ir(item: &str) -> String {
    let mut f: syn::ItemFn = syn::parse_str(item).expect("a function");
    let diag = crate::diag::Diagnostics::default();
    let sig = crate::signature::signature(&mut f.sig, &diag);
    let body = crate::lower::lower(&sig, &f.block, &diag, quote::quote!(__ad));
    assert!(!diag.has_errors(), "the example lowers without errors");
    crate::ir::print::body(&body)
}

fn check(name: &str, attr: &str, item: &str) {
    compare(&format!("{name}.ir"), &ir(item));
    compare(&format!("{name}.expanded.rs"), &expand(attr, item));
}

fn compare(file: &str, got: &str) {
    let name = file;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expand").join(file);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || !path.exists() {
        std::fs::write(&path, got).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("read snapshot");
    assert!(
        got == want,
        "expansion of `{name}` changed; review it and run with UPDATE_SNAPSHOTS=1\n--- got ---\n{got}"
    );
}

#[test]
fn rosenbrock() {
    check(
        "rosenbrock",
        "",
        r#"
        fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
            let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
            let grad = dlgradient(&f, x)?;
            Ok((f, grad))
        }
        "#,
    );
}

#[test]
fn rosenbrock_loop() {
    check(
        "rosenbrock_loop",
        "",
        r#"
        fn rosenbrock_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
            let n = x.numel();
            let mut f = dlarray(0.0);
            for i in 0..n - 1 {
                f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2);
            }
            let g = dlgradient(&f, x)?;
            Ok((f, g))
        }
        "#,
    );
}

/// A loop whose iterations depend on each other (a product reads every overwritten value): stored.
#[test]
fn product_loop() {
    check(
        "product_loop",
        "",
        r#"
        fn product_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
            let mut p = dlarray(1.0);
            for i in 0..x.numel() {
                p = p * x[i] + 0.1;
            }
            Ok((p.clone(), dlgradient(&p, x)?))
        }
        "#,
    );
}

//! Compile-fail snapshots: each `tests/ui/<topic>/<mistake>.rs` must fail to compile with the error in
//! the `.stderr` beside it (regenerate with `TRYBUILD=overwrite cargo test --test ui`, then read the
//! diff), and `tests/ui/pass/*.rs` must compile and run.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/trace/*.rs");
    t.compile_fail("tests/ui/usage/*.rs");
    t.compile_fail("tests/ui/syntax/*.rs");
    t.compile_fail("tests/ui/control/*.rs");
    t.pass("tests/ui/pass/*.rs");
}

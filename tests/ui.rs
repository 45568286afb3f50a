//! Every configuration the attribute and `cors_config!` refuse, with the exact diagnostic
//! (`tests/ui/*.stderr`), and the shapes they accept (`tests/ui/pass/*.rs`, compiled and run).
//! `tests/one_validation.rs` puts every one of these configurations through the builder too.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui/pass/*.rs");
}

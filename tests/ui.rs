//! Every configuration the attribute refuses, with the exact diagnostic (`tests/ui/*.stderr`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}

//! Compile-time checks of `#[derive(Event)]`: each `ui/fail` case must fail to compile with the
//! checked-in `.stderr` (regenerate deliberately with `TRYBUILD=overwrite` and read the diff).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}

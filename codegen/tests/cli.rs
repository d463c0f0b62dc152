//! The `proactive-codegen` binary: same output as the library, errors with file and pointer.

use std::path::Path;
use std::process::Command;

/// Inside this crate, so the tests also run from the packaged crate (`cargo package`).
fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_proactive-codegen"))
}

#[test]
fn generates_a_file_equal_to_the_library_output() {
    let out = std::env::temp_dir().join(format!("proactive-codegen-test-{}.rs", std::process::id()));
    let dir = fixtures().join("ok");
    let status = bin()
        .arg("--schemas")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let written = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).ok();
    let catalogue = proactive_codegen::load_dir(&dir).unwrap();
    assert_eq!(written, proactive_codegen::generate(&catalogue, &Default::default()));
    assert!(written.contains("pub mod test_example"), "{written}");
}

#[test]
fn malformed_schemas_exit_1_naming_file_and_pointer() {
    let output = bin()
        .arg("--schemas")
        .arg(fixtures().join("bad-keyword"))
        .arg("--out")
        .arg("-")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "AMAZON.Bad.Keyword.json#/properties/thing/properties/code/pattern: unsupported keyword `pattern`"
        ),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let output = bin().arg("--schemas").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = bin().arg("--out").arg("x.rs").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing `--schemas DIR`"));
    let output = bin().arg("--help").output().unwrap();
    assert!(output.status.success());
}

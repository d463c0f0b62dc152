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

/// The README's "Your own schema files" with its full example (`$defs`, bounds, pattern, formats,
/// nullable values, arrays of objects and integers): the command writes what the library
/// generates, which `proactive-tests` compiles and exercises (`written` module).
#[test]
fn the_readme_command_generates_a_schema_with_every_feature() {
    let out = std::env::temp_dir().join(format!("proactive-codegen-written-{}.rs", std::process::id()));
    let dir = fixtures().join("written");
    let output = bin()
        .arg("--schemas")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let written = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).ok();
    let catalogue = proactive_codegen::load_dir(&dir).unwrap();
    assert_eq!(written, proactive_codegen::generate(&catalogue, &Default::default()));
    for item in [
        "pub mod garage_spaces_free",
        "pub struct Address",
        "pub struct Entrance",
        "pub note: ::std::option::Option<::std::string::String>",
        "pub occupancy: ::std::option::Option<f64>",
        "pub open24h: bool",
    ] {
        assert!(written.contains(item), "missing {item:?}");
    }
    // `Address` is one type, used twice.
    assert_eq!(written.matches("pub struct Address").count(), 1);
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
            "AMAZON.Bad.Keyword.json#/properties/thing/properties/code/contentEncoding: unsupported keyword `contentEncoding`"
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

#[test]
fn check_says_whether_a_committed_file_is_up_to_date() {
    let out = std::env::temp_dir().join(format!("proactive-codegen-check-{}.rs", std::process::id()));
    let dir = fixtures().join("ok");
    let run = |extra: &[&str]| {
        bin()
            .arg("--schemas")
            .arg(&dir)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    // Missing: out of date, and nothing written.
    let _ = std::fs::remove_file(&out);
    let output = run(&["--check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists());
    // Generated: up to date.
    assert!(run(&[]).status.success());
    let output = run(&["--check"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Edited by hand: out of date, with where; the file is left as it was.
    let edited = std::fs::read_to_string(&out)
        .unwrap()
        .replacen("pub mod test_example", "pub mod edited", 1);
    std::fs::write(&out, &edited).unwrap();
    let output = run(&["--check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is out of date: 1 line(s) differ") && stderr.contains("`pub mod edited {`"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), edited);
    std::fs::remove_file(&out).ok();
    // `--check` needs a file.
    let output = bin()
        .args(["--schemas", "x", "--out", "-", "--check"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

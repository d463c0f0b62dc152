//! Compile-time checks of `#[derive(Event)]` and `localized_attributes!`: each `ui/fail` case must
//! fail to compile with the checked-in `.stderr` (regenerate deliberately with
//! `TRYBUILD=overwrite` and read the diff), and each `ui/pass` case must compile and run.

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn ui() {
    mirror_schemas();
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}

/// `schema = "..."` is relative to the manifest directory of the crate being compiled. For a
/// trybuild case that is trybuild's generated project, `<target-dir>/tests/trybuild/<crate>/`,
/// not this crate, and trybuild copies nothing into it. So this crate's `schemas/` is mirrored
/// there: a case's `schema = "schemas/X.json"` then means the same file wherever the target
/// directory is (`CARGO_TARGET_DIR`, `--target-dir`, a shared cache).
fn mirror_schemas() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    // trybuild's own rule (`cargo metadata`'s target directory), so the two always agree.
    let project = target_directory()
        .join("tests")
        .join("trybuild")
        .join(env!("CARGO_PKG_NAME"))
        .join("schemas");
    std::fs::create_dir_all(&project).unwrap_or_else(|e| panic!("{}: {e}", project.display()));
    for entry in std::fs::read_dir(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display())) {
        let from = entry.expect("a readable directory entry").path();
        let to = project.join(from.file_name().expect("a file name"));
        std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("{} -> {}: {e}", from.display(), to.display()));
    }
}

fn target_directory() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version=1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    PathBuf::from(metadata["target_directory"].as_str().expect("a target directory"))
}

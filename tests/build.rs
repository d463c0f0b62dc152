//! Generates types for the made-up schema fixture, exactly as a user's build script would:
//! if a new schema file did not yield a compiling module, this crate would not build.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("custom_events.rs");
    if let Err(errors) = proactive_codegen::build_script(manifest.join("fixtures/codegen/ok"), &out) {
        eprintln!("{errors}");
        std::process::exit(1);
    }
}

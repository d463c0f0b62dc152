//! Generates the event types from the workspace's `schemas/` directory.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    // `schemas` links to the workspace's `schemas/`, so a packaged crate carries its own copy.
    let schemas = manifest.join("schemas");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("events.rs");
    if let Err(errors) = proactive_codegen::build_script(&schemas, &out) {
        // Build scripts report failure by exiting non-zero; print each error for cargo to show.
        for e in errors.iter() {
            println!("cargo:warning={e}");
        }
        eprintln!("{errors}");
        std::process::exit(1);
    }
}

//! Generates types for the made-up schema fixtures, exactly as a user's build script would:
//! if a new schema file did not yield a compiling module, this crate would not build.
//! `fixtures/codegen/ok/` exercises every feature; `fixtures/codegen/annotated/` is written as a
//! person writes JSON Schema (annotations everywhere, a string `x-utterance`);
//! `fixtures/codegen/written/` uses the rest of the language the generator takes (`$ref` to
//! `$defs`, bounds, patterns, lengths, formats, numbers, booleans, nullable values, arrays of
//! objects and integers).

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (fixture, out) in [
        ("ok", "custom_events.rs"),
        ("annotated", "annotated_events.rs"),
        ("written", "written_events.rs"),
    ] {
        let dir = manifest.join("fixtures/codegen").join(fixture);
        if let Err(errors) = proactive_codegen::build_script(dir, out_dir.join(out)) {
            eprintln!("{errors}");
            std::process::exit(1);
        }
    }
}

//! Turns Alexa Proactive Events JSON Schema files into strongly typed Rust.
//!
//! The schema files are loaded into a small, explicit IR ([`ir`]): a subset of JSON Schema draft
//! 2020-12 (objects, strings, string enums, integers, numbers, booleans, arrays, nullable values,
//! `$ref` to `$defs`, bounds, patterns, lengths and formats), plus the extensions
//! `x-localizable`, `x-spoken`, `x-utterance`, `x-locales` and `x-event`. Annotations (`$id`, `$comment`, `title`,
//! `description`, `examples`, `default`, `deprecated`, `readOnly`, `writeOnly`, other `x-`
//! keywords) are accepted anywhere; descriptions and examples become the generated docs. Any
//! other keyword, and any file that would produce code that does not compile (name collisions
//! included), is an [`Error`] naming the file, the JSON pointer inside it and the keyword. The IR
//! is then emitted as Rust ([`generate`]) that depends only on the `proactive-schemas` runtime
//! crate.
//!
//! Use it from a build script: `proactive-codegen` in `[build-dependencies]`, `proactive-schemas`
//! in `[dependencies]`, and the schema files in `schemas/` beside `Cargo.toml`, e.g.
//! `schemas/ACME.Parking.Expiring.json`:
//!
//! ```json
//! {
//!   "title": "Parking session about to expire",
//!   "type": "object",
//!   "properties": { "zone": { "type": "string" } },
//!   "required": ["zone"],
//!   "additionalProperties": false
//! }
//! ```
//!
//! the crate's `build.rs` is:
//!
//! ```
//! // build.rs: generate types for the schema files in `schemas/`.
//! fn main() {
//! #   // Run as a doctest: a throwaway package directory holding the schema file above, as the
//! #   // current directory (Cargo runs build scripts in the package's), and an `OUT_DIR`.
//! #   let package = std::env::temp_dir().join(format!("proactive-codegen-doctest-{}", std::process::id()));
//! #   let schemas_dir = package.join("schemas");
//! #   std::fs::create_dir_all(&schemas_dir).unwrap();
//! #   std::fs::write(
//! #       schemas_dir.join("ACME.Parking.Expiring.json"),
//! #       r#"{"title": "Parking session about to expire", "type": "object",
//! #           "properties": {"zone": {"type": "string"}}, "required": ["zone"], "additionalProperties": false}"#,
//! #   )
//! #   .unwrap();
//! #   std::env::set_current_dir(&package).unwrap();
//! #   std::env::set_var("OUT_DIR", &package);
//!     let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("events.rs");
//!     if let Err(errors) = proactive_codegen::build_script("schemas", &out) {
//!         eprintln!("{errors}");
//!         std::process::exit(1);
//!     }
//! #   let code = std::fs::read_to_string(&out).unwrap();
//! #   assert!(code.contains("pub mod parking_expiring"), "{code}");
//! #   assert!(code.contains("pub struct ParkingExpiring"), "{code}");
//! #   std::env::set_current_dir(std::env::temp_dir()).unwrap();
//! #   std::fs::remove_dir_all(&package).unwrap();
//! }
//! ```
//!
//! and `include!(concat!(env!("OUT_DIR"), "/events.rs"));` in the crate (here, a module
//! `parking_expiring` with the payload type `ParkingExpiring`). Or run the binary:
//! `proactive-codegen --schemas DIR --out FILE`, with `--check` to verify committed generated code.
#![deny(missing_docs)]
// The crate doc shows a whole `build.rs`, `fn main` included.
#![allow(clippy::needless_doctest_main)]

mod docs;
mod emit;
mod error;
pub mod ir;
mod json;
mod load;
mod names;

use std::path::Path;

pub use emit::{generate, generate_tokens, Options};
pub use error::{Error, Errors};
pub use ir::Catalogue;
pub use load::{load_dir, load_files, load_str};

/// Loads every event schema of `schemas_dir` and writes the generated Rust to `out`.
///
/// The file is only rewritten when its content changes, so dependents are not rebuilt needlessly.
pub fn generate_file(
    schemas_dir: impl AsRef<Path>,
    out: impl AsRef<Path>,
    options: &Options,
) -> Result<Catalogue, Errors> {
    let catalogue = load_dir(schemas_dir.as_ref())?;
    let code = generate(&catalogue, options);
    let out = out.as_ref();
    if std::fs::read_to_string(out).ok().as_deref() != Some(code.as_str()) {
        std::fs::write(out, code).map_err(|source| Error::Io {
            path: out.to_path_buf(),
            action: "cannot write",
            source,
        })?;
    }
    Ok(catalogue)
}

/// For build scripts: like [`generate_file`] with default options, and tells Cargo to rerun the
/// build script when the directory or any of its schema files changes.
pub fn build_script(schemas_dir: impl AsRef<Path>, out: impl AsRef<Path>) -> Result<Catalogue, Errors> {
    let dir = schemas_dir.as_ref();
    println!("cargo:rerun-if-changed={}", dir.display());
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
    }
    generate_file(dir, out, &Options::default())
}

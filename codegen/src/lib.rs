//! Turns Alexa Proactive Events JSON Schema files into strongly typed Rust.
//!
//! The schema files are loaded into a small, explicit IR ([`ir`]): the subset of JSON Schema
//! draft 2020-12 that Amazon's event catalogue needs, plus the extensions `x-localizable`,
//! `x-spoken`, `x-utterance`, `x-locales` and `x-event`. Annotations (`$id`, `$comment`, `title`,
//! `description`, `examples`, `default`, `deprecated`, `readOnly`, `writeOnly`, other `x-`
//! keywords) are accepted anywhere; descriptions and examples become the generated docs. Any
//! other keyword, and any file that would produce code that does not compile (name collisions
//! included), is an [`Error`] naming the file, the JSON pointer inside it and the keyword. The IR is then emitted as Rust ([`generate`]) that depends only on
//! the `proactive-schemas` runtime crate.
//!
//! Use it from a build script:
//!
//! ```no_run
//! // build.rs: generate types for the schema files in `schemas/`.
//! let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("events.rs");
//! if let Err(errors) = proactive_codegen::build_script("schemas", &out) {
//!     eprintln!("{errors}");
//!     std::process::exit(1);
//! }
//! ```
//!
//! and `include!(concat!(env!("OUT_DIR"), "/events.rs"));` in the crate, or run the binary:
//! `proactive-codegen --schemas DIR --out FILE`.
#![deny(missing_docs)]

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

//! Compile-fail tests of `#[derive(Event)]` and `localized_attributes!`: `tests/ui.rs` runs the
//! cases of `ui/` with trybuild. Not published.
//!
//! The crate also runs the derive's documented examples. They use `proactive_schemas`, which
//! `proactive-derive` cannot depend on (not even as a dev-dependency: the cycle stops
//! `cargo package`), so they run here as doctests.

#![deny(missing_docs)]

/// The examples on `#[derive(Event)]`.
#[cfg(doctest)]
#[doc = include_str!("../../proactive-derive/doc/event.md")]
pub struct EventDocs;

/// The example on `localized_attributes!`.
#[cfg(doctest)]
#[doc = include_str!("../../proactive-derive/doc/localized_attributes.md")]
pub struct LocalizedAttributesDocs;

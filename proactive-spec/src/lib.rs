//! The facts of the Alexa Proactive Events spec that several `proactive` crates need, kept in one
//! place: the code generator, the derive and the runtime crate all read them from here, as
//! `serde_derive_internals` serves serde. Use them through `proactive-schemas`, which re-exports
//! the ones in its API.
//!
//! - locales: [`ALEXA_LOCALES`], [`is_alexa_locale`], [`locale_help`];
//! - localized attributes: [`LOCALIZED_PREFIX`], [`is_valid_key`];
//! - spoken templates: [`placeholders`], [`segments`];
//! - JSON pointers (RFC 6901): [`escape_pointer_token`], [`push_pointer_token`],
//!   [`unescape_pointer_token`];
//! - "did you mean …?": [`suggest`].
#![deny(missing_docs)]

mod locale;
mod localized;
mod pointer;
mod suggest;
mod template;

pub use locale::{is_alexa_locale, locale_help, unknown_locale, ALEXA_LOCALES};
pub use localized::{is_valid_key, LOCALIZED_PREFIX};
pub use pointer::{escape_pointer_token, push_pointer_token, unescape_pointer_token};
pub use suggest::{suggest, MAX_SUGGESTED_INPUT};
pub use template::{placeholders, segments, Segment, Segments};

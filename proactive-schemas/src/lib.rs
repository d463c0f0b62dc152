//! Typed Alexa Proactive Events.
//!
//! Amazon accepts only events that follow one of its fixed schemas, inside an envelope with
//! strict rules. This crate makes wrong events hard to write:
//!
//! - [`events`]: one Rust type per event schema, generated at build time from the JSON Schema
//!   files in `schemas/` (structs, string enums with `Display`/`FromStr`, localizable fields),
//!   and the [`Event`](enum@Event) enum over all of them;
//! - [`Request`]: the envelope, with a builder that fills in sensible defaults and refuses to
//!   build an invalid request;
//! - [`validate()`]: one validator for typed values and raw JSON that reports every problem with
//!   its JSON pointer;
//! - [`preview()`]: the text Alexa would speak.
//!
//! ```
//! use proactive_schemas::events::trash_collection_alert_activated::*;
//! use proactive_schemas::{BoundedVec, Request};
//!
//! let event = TrashCollectionAlertActivated {
//!     alert: Alert {
//!         garbage_types: BoundedVec::new(vec![GarbageType::RecyclablePlastics]).unwrap(),
//!         collection_day_of_week: CollectionDayOfWeek::Tuesday,
//!     },
//! };
//! let request = Request::builder(event).build().unwrap();
//! assert!(request.validate().is_valid());
//! ```
#![deny(missing_docs)]

extern crate self as proactive_schemas;

mod bounded;
mod datetime;
mod de;
mod derive_support;
mod envelope;
mod errors;
mod integer;
mod localizable;
mod meta;
pub mod preview;
mod redact;
mod skill;
pub mod validate;

#[doc(hidden)]
pub mod __private;

/// Implements `schemars::JsonSchema` when the `schemars` feature is on, and nothing otherwise
/// (generated code and `#[derive(Event)]` call it, so the feature is decided here, once).
#[cfg(feature = "schemars")]
#[doc(hidden)]
#[macro_export]
macro_rules! __json_schema {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*] { name: $name:expr, id: $id:expr, schema_text: $text:expr $(,)? }) => {
        $crate::__json_schema!(@impl [$($generics)*] [$($ty)*] [$($where)*] $name, $id, _generator => {
            $crate::__private::schema_from_str($text)
        });
    };
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*] { name: $name:expr, id: $id:expr, same_as: $same:ty $(,)? }) => {
        $crate::__json_schema!(@impl [$($generics)*] [$($ty)*] [$($where)*] $name, $id, generator => {
            <$same as $crate::__private::schemars::JsonSchema>::json_schema(generator)
        });
    };
    (@impl [$($generics:tt)*] [$($ty:tt)*] [$($where:tt)*] $name:expr, $id:expr, $generator:ident => $body:block) => {
        impl $($generics)* $crate::__private::schemars::JsonSchema for $($ty)* $($where)* {
            #[inline]
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed($name)
            }
            #[inline]
            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed($id)
            }
            #[inline]
            fn json_schema($generator: &mut $crate::__private::schemars::SchemaGenerator) -> $crate::__private::schemars::Schema $body
        }
    };
}

/// Without the `schemars` feature: nothing.
#[cfg(not(feature = "schemars"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __json_schema {
    ($($anything:tt)*) => {};
}

pub use bounded::{BoundedVec, LengthError};
pub use datetime::{DateTime, DateTimeError};
pub use derive_support::{kind, Fits, Localized, MissingLocale, ToEvent};
pub use envelope::{
    is_valid_reference_id, BuildError, ReferenceId, ReferenceIdError, RelevantAudience, Request, RequestBuilder,
};
pub use errors::{EventParseError, ParseEnumError};
pub use localizable::{Localizable, LocalizedAttributes};
pub use meta::{AttributeKind, AttributeMeta, EventMeta, EventPayload, GeneratedEnum, GeneratedStruct, UtteranceMeta};
pub use preview::{preview, PreviewError};
pub use redact::redact_url;
pub use skill::{SkillEventError, SubscriptionChanged, SUBSCRIPTION_CHANGED};
pub use validate::{validate, validate_for_sending, validator, Diagnostic, Report, Severity, Validator};

// The spec's facts, from `proactive-spec` (shared with the code generator and the derive).
pub use proactive_spec::{is_alexa_locale, is_valid_key, placeholders, ALEXA_LOCALES, LOCALIZED_PREFIX};

/// The event types generated from `schemas/`: one module per event.
#[allow(clippy::all)]
pub mod events {
    include!(concat!(env!("OUT_DIR"), "/events.rs"));
}

pub use events::{Event, EVENTS};

#[cfg(feature = "derive")]
pub use proactive_derive::{localized_attributes, Event};

/// The date-time library used in the public API (`DateTime::timestamp`, `expires_in`).
pub use jiff;

/// The JSON Schema library whose `JsonSchema` every generated type and every
/// `#[derive(Event)]` struct implements (feature `schemars`, on by default).
#[cfg(feature = "schemars")]
pub use schemars;

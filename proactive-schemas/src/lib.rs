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

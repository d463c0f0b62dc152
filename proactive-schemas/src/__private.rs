//! Support for generated code. Not public API: may change in any release.

pub use serde;
pub use serde_json;

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::errors::EventParseError;
use crate::meta::{EventMeta, EventPayload};

/// Deserializes a present optional field: `null` is rejected like any other wrong type, as the
/// JSON Schema does.
pub fn deserialize_some<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// Parses the payload of a known event.
pub fn payload_from_value<T: DeserializeOwned>(name: &str, payload: serde_json::Value) -> Result<T, EventParseError> {
    serde_json::from_value(payload).map_err(|source| EventParseError::Payload {
        name: name.to_owned(),
        source,
    })
}

/// The metadata of a payload's event.
pub fn meta_of<T: EventPayload>(_: &T) -> &'static EventMeta {
    T::meta()
}

/// A payload as JSON.
pub fn payload_to_value<T: Serialize>(payload: &T) -> serde_json::Value {
    // Generated payloads serialize to JSON objects infallibly (string keys, no non-finite floats).
    serde_json::to_value(payload).unwrap_or(serde_json::Value::Null)
}

#[derive(Serialize)]
struct EventRef<'a, T> {
    name: &'static str,
    payload: &'a T,
}

/// Serializes `{"name": …, "payload": …}`.
pub fn serialize_event<S: Serializer, T: EventPayload>(serializer: S, payload: &T) -> Result<S::Ok, S::Error> {
    EventRef { name: T::NAME, payload }.serialize(serializer)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventParts {
    name: String,
    payload: serde_json::Value,
}

/// Deserializes `{"name": …, "payload": …}` into its parts.
pub fn event_parts<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(String, serde_json::Value), D::Error> {
    let parts = EventParts::deserialize(deserializer)?;
    Ok((parts.name, parts.payload))
}

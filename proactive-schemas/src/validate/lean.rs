//! A request parsed into a [`Value`] without its event's payload: for bodies whose report does
//! not look into the payload (its schema holds and its localized references are known from the
//! proof, or the event is unknown), building and freeing the payload's maps and strings, the bulk
//! of a body, is work for nothing.
//!
//! The payload, when it is a JSON object, stands in the value as an empty object (all that
//! `schemas/envelope.json` asks of it is `"type": "object"`; a test in `proof.rs` pins that).
//! Otherwise the value is what `serde_json::from_str` builds: repeated keys keep the last,
//! numbers and strings alike. Two ways to leave the payload out ([`Payload`]):
//!
//! - [`Payload::Kept`]: its text is kept, for [`Lean::into_value`] to parse it into place when
//!   the report does need it. The text is only skipped, not checked: for a payload the proof
//!   walked (checked as a parse checks it), in a request with one `event` (so the one walked);
//!   anything else is refused and parsed whole.
//! - [`Payload::Checked`]: read and checked as a parse checks it (numbers, escapes, nesting),
//!   and dropped: for a payload the report never looks at.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

use super::proof::Skip;

/// How [`Lean::parse`] leaves the payload out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Payload {
    /// Its text kept, unchecked (see the module's documentation).
    Kept,
    /// Checked, and dropped.
    Checked,
}

/// A request with its payload left out.
pub(super) struct Lean<'de> {
    /// The request; `event.payload`, when an object, is empty.
    pub(super) value: Value,
    /// The payload's text ([`Payload::Kept`]), when it stands in `value` as an empty object.
    payload: Option<&'de RawValue>,
}

impl<'de> Lean<'de> {
    /// Parses a request body; `None` when it is not a JSON object or not JSON (parse it whole
    /// for the error), or, keeping the payload's text, when `event` is repeated or its payload
    /// is not an object.
    pub(super) fn parse(body: &'de str, payload: Payload) -> Option<Lean<'de>> {
        let mut de = serde_json::Deserializer::from_str(body);
        let lean = de.deserialize_map(Request(payload)).ok()?;
        de.end().ok()?;
        Some(lean)
    }

    /// Whether the payload's text was kept (so that a report looking into it needs
    /// [`into_value`](Self::into_value)).
    pub(super) fn payload_left_out(&self) -> bool {
        self.payload.is_some()
    }

    /// The whole request: the kept payload parsed into its place (a payload the proof walked:
    /// it parses).
    pub(super) fn into_value(self) -> Result<Value, serde_json::Error> {
        let Lean { mut value, payload } = self;
        if let (Some(raw), Some(slot)) = (payload, value.pointer_mut("/event/payload")) {
            *slot = serde_json::from_str(raw.get())?;
        }
        Ok(value)
    }
}

/// The request object.
struct Request(Payload);

impl<'de> Visitor<'de> for Request {
    type Value = Lean<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lean<'de>, A::Error> {
        let mut members = Map::new();
        let mut payload = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "event" {
                if self.0 == Payload::Kept && members.contains_key("event") {
                    return Err(de::Error::custom("a repeated event: parse it whole"));
                }
                let (event, raw) = map.next_value_seed(Event(self.0))?;
                members.insert(key, event);
                payload = raw; // a repeated `event`: the last, and its payload
            } else {
                let value: Value = map.next_value()?;
                members.insert(key, value);
            }
        }
        Ok(Lean {
            value: Value::Object(members),
            payload,
        })
    }
}

/// The `event` member: a [`Value`] as `serde_json` builds it, but for an object's `payload`.
struct Event(Payload);

impl<'de> DeserializeSeed<'de> for Event {
    type Value = (Value, Option<&'de RawValue>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Event {
    type Value = (Value, Option<&'de RawValue>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Map::new();
        let mut payload = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "payload" && self.0 == Payload::Kept {
                let raw: &'de RawValue = map.next_value()?;
                if !raw.get().starts_with('{') {
                    return Err(de::Error::custom("not an object: parse it whole"));
                }
                members.insert(key, Value::Object(Map::new()));
                payload = Some(raw);
            } else if key == "payload" {
                members.insert(key, map.next_value_seed(Checked)?);
                payload = None;
            } else {
                let value: Value = map.next_value()?;
                members.insert(key, value);
            }
        }
        Ok((Value::Object(members), payload))
    }

    // Any other `event` is the value `serde_json` makes of it.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok((Value::Bool(v), None))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok((Value::Number(v.into()), None))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok((Value::Number(v.into()), None))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok((Number::from_f64(v).map_or(Value::Null, Value::Number), None))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((Value::String(v.to_owned()), None))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok((Value::String(v), None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((Value::Null, None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok((Value::Array(items), None))
    }
}

/// A payload read for [`Payload::Checked`]: an object is checked and stands as an empty one;
/// anything else is the value `serde_json` makes of it.
struct Checked;

impl<'de> DeserializeSeed<'de> for Checked {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(Value::Object(Map::new()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value, once a kept payload is put back, is the one `serde_json` builds.
    #[test]
    fn put_back_together_it_is_the_parsed_value() {
        let bodies = [
            r#"{"a": 1, "event": {"name": "n", "payload": {"x": [1, 2.5, "s\u0041"], "y": {}}}}"#,
            r#"{"event": {"payload": {"x": 1}, "payload": {"y": 2}}}"#,
            r#"{"event": {"payload": {"x": 1}}, "b": -1.5e3}"#,
            r#"{"event": {"name": "n"}}"#,
            r#"{}"#,
            " { \"event\" : { \"payload\" : { } } } ",
        ];
        for body in bodies {
            let expected: Value = serde_json::from_str(body).unwrap();
            let lean = Lean::parse(body, Payload::Kept).unwrap();
            assert_eq!(lean.into_value().unwrap(), expected, "{body}");
        }
    }

    /// Keeping the text is refused where the text is not the payload the proof walked.
    #[test]
    fn a_kept_payload_is_the_one_object_of_the_one_event() {
        for body in [
            r#"{"event": {"payload": {"x": 1}}, "event": {"name": "again"}}"#,
            r#"{"event": {"payload": {"x": 1}, "payload": "text"}}"#,
            r#"{"event": {"payload": [1]}}"#,
        ] {
            assert!(Lean::parse(body, Payload::Kept).is_none(), "{body}");
        }
    }

    /// Checked, the value is `serde_json`'s with any object payload emptied, whatever the event
    /// looks like; and what `serde_json` refuses, it refuses.
    #[test]
    fn checked_it_is_the_parsed_value_but_for_an_object_payload() {
        let bodies = [
            r#"{"event": {"payload": {"x": 1}, "payload": "text"}}"#,
            r#"{"event": {"payload": "text", "payload": {"x": 1}}}"#,
            r#"{"event": {"payload": {"x": 1}}, "event": {"name": "again"}}"#,
            r#"{"event": {"payload": [1, {"a": null}]}}"#,
            r#"{"event": [1, "two", {"payload": {}}], "b": -1.5e3}"#,
            r#"{"event": "e"}"#,
            r#"{"event": null, "event": true}"#,
            r#"{"event": 18446744073709551615}"#,
            r#"{"event": -3}"#,
            r#"{"event": 0.1}"#,
        ];
        for body in bodies {
            let mut expected: Value = serde_json::from_str(body).unwrap();
            if let Some(payload @ Value::Object(_)) = expected.pointer_mut("/event/payload") {
                *payload = Value::Object(Map::new());
            }
            let lean = Lean::parse(body, Payload::Checked).unwrap();
            assert!(!lean.payload_left_out());
            assert_eq!(lean.value, expected, "{body}");
        }
        let deep = |n: usize| {
            format!(
                r#"{{"event": {{"payload": {{"a": {}{}}}}}}}"#,
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        for body in [
            r#"{"event": {"payload": {"a": 1e999}}}"#.to_owned(),
            r#"{"event": {"payload": {"a": "\udc00"}}}"#.to_owned(),
            r#"{"event": {"payload": {"\udc00": 1}}}"#.to_owned(),
            r#"{"event": {"payload": {"a": [[1e999]]}, "payload": {}}}"#.to_owned(),
            deep(124),
            deep(125),
            deep(200),
        ] {
            let whole = serde_json::from_str::<Value>(&body);
            let lean = Lean::parse(&body, Payload::Checked);
            assert_eq!(lean.is_some(), whole.is_ok(), "{body}");
        }
        // Both sides of serde_json's limit were tried.
        assert!(serde_json::from_str::<Value>(&deep(124)).is_ok());
        assert!(serde_json::from_str::<Value>(&deep(125)).is_err());
    }

    #[test]
    fn anything_but_an_object_of_json_is_left_to_serde_json() {
        for body in ["[]", "1", "\"s\"", "{", "{\"event\": {\"payload\": {]}}", "{} x", ""] {
            assert!(Lean::parse(body, Payload::Kept).is_none(), "{body}");
            assert!(Lean::parse(body, Payload::Checked).is_none(), "{body}");
        }
    }
}

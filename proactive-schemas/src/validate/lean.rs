//! A request parsed into a [`Value`] without its event's payload: for bodies whose report does
//! not look into the payload (its schema holds and its localized references are known from the
//! proof, or the event is unknown), building and freeing the payload's maps and strings, the bulk
//! of a body, is work for nothing.
//!
//! The payload, when it is a JSON object, stands in the value as an empty object (all that
//! `schemas/envelope.json` asks of it is `"type": "object"`; a test in `proof.rs` pins that), and
//! its text is kept: [`Lean::into_value`] parses it into place when the report does need it. Any
//! other payload (a string, an array, …) is parsed as it is. Otherwise the value is what
//! `serde_json::from_str` builds: repeated keys keep the last, numbers and strings alike.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

/// A request with its payload left as text.
pub(super) struct Lean<'de> {
    /// The request; `event.payload`, when an object, is empty.
    pub(super) value: Value,
    /// The payload's text, when it stands in `value` as an empty object.
    payload: Option<&'de RawValue>,
}

impl<'de> Lean<'de> {
    /// Parses a request body; `None` when it is not a JSON object (or not JSON): parse it whole.
    pub(super) fn parse(body: &'de str) -> Option<Lean<'de>> {
        let mut de = serde_json::Deserializer::from_str(body);
        let lean = de.deserialize_map(Request).ok()?;
        de.end().ok()?;
        Some(lean)
    }

    /// Whether the payload was left out (so that a report looking into it needs
    /// [`into_value`](Self::into_value)).
    pub(super) fn payload_left_out(&self) -> bool {
        self.payload.is_some()
    }

    /// Whether parsing the payload into its place would stay within `serde_json`'s recursion
    /// limit (which skipping its text did not count): when it would not, parsing the body whole
    /// fails, and so must validating it.
    pub(super) fn payload_within_limit(&self) -> bool {
        self.payload.is_none_or(|raw| nesting(raw.get()) <= MAX_PAYLOAD_NESTING)
    }

    /// The whole request: the payload parsed into its place. Its text was read as one JSON
    /// object already; but as skipping it did not count its nesting, parsing the body whole may
    /// fail where this succeeds: ask [`payload_within_limit`](Self::payload_within_limit) first,
    /// or know the payload's nesting otherwise (a proof walked it).
    pub(super) fn into_value(self) -> Result<Value, serde_json::Error> {
        let Lean { mut value, payload } = self;
        if let (Some(raw), Some(slot)) = (payload, value.pointer_mut("/event/payload")) {
            *slot = serde_json::from_str(raw.get())?;
        }
        Ok(value)
    }
}

/// The deepest nesting of arrays and objects a payload (itself one level) may have for the body
/// to parse: `serde_json` refuses a 128th level, and the payload sits two levels down (a test
/// pins it).
const MAX_PAYLOAD_NESTING: usize = 125;

/// How deeply arrays and objects nest in JSON text (`{}` is 1).
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'"' => {
                // A string: to its closing quote, escapes skipped.
                while let Some(b) = bytes.next() {
                    match b {
                        b'\\' => {
                            bytes.next();
                        }
                        b'"' => break,
                        _ => {}
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The request object.
struct Request;

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
                let (event, raw) = map.next_value_seed(Event)?;
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
struct Event;

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
            if key == "payload" {
                let raw: &'de RawValue = map.next_value()?;
                if raw.get().starts_with('{') {
                    members.insert(key, Value::Object(Map::new()));
                    payload = Some(raw);
                } else {
                    members.insert(key, serde_json::from_str(raw.get()).map_err(de::Error::custom)?);
                    payload = None;
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The value, once the payload is put back, is the one `serde_json` builds, whatever the
    /// event looks like.
    #[test]
    fn put_back_together_it_is_the_parsed_value() {
        let bodies = [
            r#"{"a": 1, "event": {"name": "n", "payload": {"x": [1, 2.5, "s\u0041"], "y": {}}}}"#,
            r#"{"event": {"payload": {"x": 1}, "payload": {"y": 2}}}"#,
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
            r#"{}"#,
            " { \"event\" : { \"payload\" : { } } } ",
        ];
        for body in bodies {
            let expected: Value = serde_json::from_str(body).unwrap();
            let lean = Lean::parse(body).unwrap();
            assert_eq!(lean.into_value().unwrap(), expected, "{body}");
        }
    }

    #[test]
    fn the_payload_stands_as_an_empty_object() {
        let lean = Lean::parse(r#"{"event": {"name": "n", "payload": {"big": [1, 2, 3]}}}"#).unwrap();
        assert!(lean.payload_left_out());
        assert_eq!(lean.value, serde_json::json!({"event": {"name": "n", "payload": {}}}));
        let lean = Lean::parse(r#"{"event": {"name": "n", "payload": [1]}}"#).unwrap();
        assert!(!lean.payload_left_out());
    }

    #[test]
    fn nesting_counts_arrays_and_objects_not_strings() {
        assert_eq!(nesting("1"), 0);
        assert_eq!(nesting("{}"), 1);
        assert_eq!(nesting(r#"{"a": [1, {"b": []}], "c": {}}"#), 4);
        assert_eq!(nesting(r#"{"a": "[[{{\"[[", "b": "\\"}"#), 1);
    }

    /// The limit is `serde_json`'s: a payload nested one level deeper than
    /// [`MAX_PAYLOAD_NESTING`] makes the whole body fail to parse.
    #[test]
    fn the_payload_nesting_limit_is_serde_jsons() {
        let body = |n: usize| {
            let payload = format!("{}{}", "{\"a\":".repeat(n - 1) + "{", "}".repeat(n));
            format!(r#"{{"event": {{"name": "n", "payload": {payload}}}}}"#)
        };
        for n in MAX_PAYLOAD_NESTING - 2..=MAX_PAYLOAD_NESTING + 2 {
            let text = body(n);
            let whole = serde_json::from_str::<Value>(&text);
            let lean = Lean::parse(&text).unwrap();
            assert_eq!(whole.is_ok(), n <= MAX_PAYLOAD_NESTING, "{n}");
            assert_eq!(lean.payload_within_limit(), whole.is_ok(), "{n}");
            if lean.payload_within_limit() {
                assert_eq!(lean.into_value().unwrap(), whole.unwrap());
            }
        }
    }

    #[test]
    fn anything_but_an_object_of_json_is_left_to_serde_json() {
        for body in ["[]", "1", "\"s\"", "{", "{\"event\": {\"payload\": {]}}", "{} x", ""] {
            assert!(Lean::parse(body).is_none(), "{body}");
        }
    }
}

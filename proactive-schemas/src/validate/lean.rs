//! A request parsed into a [`Value`] without its event's payload: for bodies whose report does
//! not look into the payload (its schema holds and its localized references are known from the
//! proof, or the event is unknown), building and freeing the payload's maps and strings, the bulk
//! of a body, is work for nothing.
//!
//! The payload, when it is a JSON object, is read and checked as a parse checks it (numbers,
//! escapes, nesting), and stands in the value as an empty object (all that
//! `schemas/envelope.json` asks of it is `"type": "object"`; a test in `proof.rs` pins that).
//! Otherwise the value is what `serde_json::from_str` builds: repeated keys keep the last,
//! numbers and strings alike. Text a parse refuses is refused (`None`: parse it whole, for the
//! error), and so is a key `serde_json` may give a meaning of its own ([`private_key`]).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::proof::{private_key, Key, Skip};

/// A request with its payload left out.
pub(super) struct Lean {
    /// The request; `event.payload`, when an object, is empty.
    pub(super) value: Value,
    /// How many `event` members the request has (the value keeps the last).
    pub(super) events: usize,
    /// Whether the (last) payload was an object, left out.
    pub(super) payload_left_out: bool,
}

impl Lean {
    /// Parses a request body; `None` when it is not a JSON object, or not JSON, or has a
    /// [`private_key`] outside the payload: parse it whole.
    ///
    /// `walked`: the proof walked the payload (checked as a parse checks it), so an object
    /// payload is only skipped, unchecked, if the request has one `event` ([`Lean::events`]);
    /// with more, the caller must parse the body whole.
    pub(super) fn parse(body: &str, walked: bool) -> Option<Lean> {
        let mut de = serde_json::Deserializer::from_str(body);
        let lean = de.deserialize_map(Request(walked)).ok()?;
        de.end().ok()?;
        Some(lean)
    }
}

/// A visitor's methods for any value but an object: the value `serde_json` makes of it, and
/// `false` (not an object left out).
macro_rules! not_an_object {
    () => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Scalar.visit_bool(v).map(|v| (v, false))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Scalar.visit_i64(v).map(|v| (v, false))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Scalar.visit_u64(v).map(|v| (v, false))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Scalar.visit_f64(v).map(|v| (v, false))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Scalar.visit_str(v).map(|v| (v, false))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Scalar.visit_string(v).map(|v| (v, false))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Scalar.visit_unit().map(|v| (v, false))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Scalar.visit_seq(seq).map(|v| (v, false))
        }
    };
}

/// The request object (the payload walked by the proof?).
struct Request(bool);

impl<'de> Visitor<'de> for Request {
    type Value = Lean;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lean, A::Error> {
        let mut members = Map::new();
        let (mut events, mut payload_left_out) = (0, false);
        while let Some(key) = map.next_key::<String>()? {
            if private_key(&key) {
                return Err(de::Error::custom("a key serde_json may read its own way"));
            }
            if key == "event" {
                let (event, left_out) = map.next_value_seed(Event(self.0))?;
                members.insert(key, event);
                events += 1;
                payload_left_out = left_out; // a repeated `event`: the last
            } else {
                let value: Value = map.next_value()?;
                members.insert(key, value);
            }
        }
        Ok(Lean {
            value: Value::Object(members),
            events,
            payload_left_out,
        })
    }
}

/// The `event` member: a [`Value`] as `serde_json` builds it, but for an object's `payload`.
struct Event(bool);

impl<'de> DeserializeSeed<'de> for Event {
    type Value = (Value, bool);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Event {
    type Value = (Value, bool);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Map::new();
        let mut left_out = false;
        while let Some(key) = map.next_key::<String>()? {
            if private_key(&key) {
                return Err(de::Error::custom("a key serde_json may read its own way"));
            }
            if key == "payload" {
                let (payload, object) = map.next_value_seed(Payload(self.0))?;
                members.insert(key, payload);
                left_out = object; // a repeated `payload`: the last
            } else {
                let value: Value = map.next_value()?;
                members.insert(key, value);
            }
        }
        Ok((Value::Object(members), left_out))
    }

    // Any other `event` is the value `serde_json` makes of it.
    not_an_object!();
}

/// The `payload` member: an object is read, checked as a parse checks it (unless the proof walked
/// it), and stands as an empty one (`true`); anything else is the value `serde_json` makes of it.
struct Payload(bool);

impl<'de> DeserializeSeed<'de> for Payload {
    type Value = (Value, bool);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Payload {
    type Value = (Value, bool);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if self.0 {
            while map.next_key::<IgnoredAny>()?.is_some() {
                map.next_value::<IgnoredAny>()?;
            }
        } else {
            while map.next_key_seed(Key)?.is_some() {
                map.next_value_seed(Skip)?;
            }
        }
        Ok((Value::Object(Map::new()), true))
    }

    not_an_object!();
}

/// Any value but an object, as `serde_json` builds it.
struct Scalar;

impl<'de> Visitor<'de> for Scalar {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
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

    /// The value is `serde_json`'s with any object payload emptied, whatever the event looks
    /// like; the count of events and whether the last payload was left out are told.
    #[test]
    fn it_is_the_parsed_value_but_for_an_object_payload() {
        let bodies = [
            (
                r#"{"a": 1, "event": {"name": "n", "payload": {"x": [1, 2.5, "s\u0041"], "y": {}}}}"#,
                1,
                true,
            ),
            (r#"{"event": {"payload": {"x": 1}, "payload": "text"}}"#, 1, false),
            (r#"{"event": {"payload": "text", "payload": {"x": 1}}}"#, 1, true),
            (
                r#"{"event": {"payload": {"x": 1}}, "event": {"name": "again"}}"#,
                2,
                false,
            ),
            (r#"{"event": {"payload": [1, {"a": null}]}}"#, 1, false),
            (r#"{"event": [1, "two", {"payload": {}}], "b": -1.5e3}"#, 1, false),
            (r#"{"event": "e"}"#, 1, false),
            (r#"{"event": null, "event": true}"#, 2, false),
            (r#"{"event": 18446744073709551615}"#, 1, false),
            (r#"{"event": -3}"#, 1, false),
            (r#"{"event": 0.1, "x": -0}"#, 1, false),
            (r#"{"event": {"payload": 18446744073709551616}}"#, 1, false),
            (r#"{}"#, 0, false),
            (" { \"event\" : { \"payload\" : { } } } ", 1, true),
        ];
        for (body, events, left_out) in bodies {
            let mut expected: Value = serde_json::from_str(body).unwrap();
            if let Some(payload @ Value::Object(_)) = expected.pointer_mut("/event/payload") {
                *payload = Value::Object(Map::new());
            }
            for walked in [false, true] {
                let lean = Lean::parse(body, walked).unwrap();
                assert_eq!(lean.value, expected, "{body}");
                assert_eq!((lean.events, lean.payload_left_out), (events, left_out), "{body}");
            }
        }
    }

    /// What `serde_json` refuses, inside the payload or out, is refused.
    #[test]
    fn what_a_parse_refuses_is_refused() {
        let deep = |n: usize| {
            format!(
                r#"{{"event": {{"payload": {{"a": {}{}}}}}}}"#,
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        let refused = [
            r#"{"event": {"payload": {"a": 1e999}}}"#.to_owned(),
            r#"{"event": {"payload": {"a": "\udc00"}}}"#.to_owned(),
            r#"{"event": {"payload": {"\udc00": 1}}}"#.to_owned(),
            r#"{"event": {"payload": {"a": [[1e999]]}, "payload": {}}}"#.to_owned(),
            deep(125),
            deep(200),
            "{".to_owned(),
            r#"{"event": {"payload": {]}}"#.to_owned(),
            "{} x".to_owned(),
            String::new(),
        ];
        for body in &refused {
            assert!(serde_json::from_str::<Value>(body).is_err(), "{body}");
            assert!(Lean::parse(body, false).is_none(), "{body}");
        }
        // Not an object: for the full path too.
        for body in ["[]", "1", "\"s\"", "null"] {
            assert!(Lean::parse(body, false).is_none(), "{body}");
        }
        // Both sides of serde_json's nesting limit.
        assert!(serde_json::from_str::<Value>(&deep(124)).is_ok());
        assert!(Lean::parse(&deep(124), false).is_some());
    }

    /// Keys `serde_json` may read its own way (with its `raw_value` or `arbitrary_precision`
    /// feature on somewhere in the build) are left to the full parse, wherever they are.
    #[test]
    fn serde_jsons_private_keys_go_the_full_way() {
        for body in [
            r#"{"$serde_json::private::RawValue": "{}"}"#,
            r#"{"event": {"$serde_json::private::RawValue": "{}"}}"#,
            r#"{"event": {"payload": {"$serde_json::private::RawValue": "[1]"}}}"#,
            r#"{"event": {"payload": {"a": {"$serde_json::private::Number": "1"}}}}"#,
        ] {
            assert!(Lean::parse(body, false).is_none(), "{body}");
        }
    }
}

//! Support for generated code. Not public API: may change in any release.

pub use serde;
pub use serde_json;

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::errors::EventParseError;
use crate::meta::{EventMeta, EventPayload};

/// Deserializes a present optional field: `null` is rejected like any other wrong type, as the
/// JSON Schema does.
pub fn some_value<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// Deserializes a struct from a JSON object only. serde's derive also accepts an array of the
/// field values, which the JSON Schema rejects.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize(ObjectOnly(deserializer))
}

/// [`object`] for an optional field.
pub fn some_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    object(deserializer).map(Some)
}

/// Deserializes an integer as the validator sees one (`crate::integer`): also `3.0`, not `3.5`,
/// and only within `i64`.
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    use crate::integer::IntegerValue;
    struct IntegerVisitor;
    impl serde::de::Visitor<'_> for IntegerVisitor {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an integer")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
            match crate::integer::from_u64(v) {
                IntegerValue::Fits(v) => Ok(v),
                _ => Err(E::custom(crate::integer::out_of_range(v))),
            }
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
            match crate::integer::from_f64(v) {
                IntegerValue::Fits(v) => Ok(v),
                IntegerValue::OutOfRange => Err(E::custom(crate::integer::out_of_range(v))),
                IntegerValue::NotIntegral => Err(E::invalid_type(serde::de::Unexpected::Float(v), &self)),
            }
        }
    }
    deserializer.deserialize_i64(IntegerVisitor)
}

/// [`integer`] for an optional field.
pub fn some_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    integer(deserializer).map(Some)
}

/// Deserializes a generated enum from its JSON string (and nothing else: serde's derive would
/// also take `{"VALUE": null}`).
pub fn enum_from_str<'de, D: Deserializer<'de>, T: std::str::FromStr>(deserializer: D) -> Result<T, D::Error>
where
    T::Err: std::fmt::Display,
{
    let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    s.parse().map_err(serde::de::Error::custom)
}

/// Forwards everything to the inner deserializer, except that a struct must be a map.
struct ObjectOnly<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// Parses the payload of a known event.
pub fn payload_from_value<T: DeserializeOwned>(name: &str, payload: serde_json::Value) -> Result<T, EventParseError> {
    object(payload).map_err(|source| EventParseError::Payload {
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
    let parts: EventParts = object(deserializer)?;
    Ok((parts.name, parts.payload))
}

/// The JSON of a field covering an attribute of kind `K` (generated by `#[derive(Event)]`; the
/// bound is what checks the field's type).
pub fn attribute<K, T: crate::derive::Fits<K> + ?Sized>(value: &T) -> serde_json::Value {
    value.to_attribute()
}

/// Sets the attribute at `path` (creating parent objects) in a payload under construction.
pub fn set(payload: &mut serde_json::Map<String, serde_json::Value>, path: &[&str], value: serde_json::Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut map = payload;
    for p in parents {
        let entry = map
            .entry(*p)
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
        if !entry.is_object() {
            *entry = serde_json::Value::Object(Default::default());
        }
        let serde_json::Value::Object(next) = entry else {
            unreachable!("made an object above")
        };
        map = next;
    }
    map.insert((*last).to_owned(), value);
}

/// The text of a localized field in one locale.
pub fn localized<T: std::fmt::Display>(
    value: &crate::derive::Localized<T>,
    field: &'static str,
    locale: &'static str,
) -> Result<String, crate::derive::MissingLocale> {
    value
        .get(locale)
        .map(T::to_string)
        .ok_or(crate::derive::MissingLocale { field, locale })
}

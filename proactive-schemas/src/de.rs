//! Strict deserializers that make the typed parse agree with the JSON Schema: objects only from
//! JSON objects, integers as the validator sees them, enums only from their strings, `null`
//! refused for present optional fields. Generated code reaches them through `__private`.

use serde::de::Deserializer;
use serde::Deserialize;

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

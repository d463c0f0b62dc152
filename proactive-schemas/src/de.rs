//! Strict deserializers that make the typed parse agree with the JSON Schema: objects only from
//! JSON objects, integers as the validator sees them, enums only from their strings, `null`
//! refused for present optional fields. Generated code reaches them through `__private`.

use std::marker::PhantomData;

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

/// How generated code reads one field value: a type-level recipe composed of [`Plain`],
/// [`AsObject`], [`StrictInteger`], [`Nullable`], [`Items`] and [`Checked`], so every field of
/// every schema reads through the same few strict deserializers.
pub trait Read<'de> {
    /// The Rust value read.
    type Value;
    /// Reads the value.
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error>;
}

/// `T`'s own `Deserialize` (strings, numbers, booleans, enums, date-times).
pub struct Plain<T>(PhantomData<T>);
/// A generated struct, from a JSON object only.
pub struct AsObject<T>(PhantomData<T>);
/// An integer as the validator sees one ([`integer`]).
pub struct StrictInteger;
/// `null` or the inner value: an `Option`.
pub struct Nullable<R>(PhantomData<R>);
/// A JSON array of the inner values, into `C` (`Vec` or `BoundedVec`).
pub struct Items<R, C>(PhantomData<(R, C)>);
/// The inner value, then checked against the field's schema rule `K` (bounds, pattern, length,
/// format), by the same JSON Schema engine and options as the validator.
pub struct Checked<R, K>(PhantomData<(R, K)>);

impl<'de, T: Deserialize<'de>> Read<'de> for Plain<T> {
    type Value = T;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

impl<'de, T: Deserialize<'de>> Read<'de> for AsObject<T> {
    type Value = T;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        object(deserializer)
    }
}

impl<'de> Read<'de> for StrictInteger {
    type Value = i64;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        integer(deserializer)
    }
}

/// One value read by `R`, as a `Deserialize` type (for `Option` and sequences of them).
struct Via<'de, R: Read<'de>>(R::Value);

impl<'de, R: Read<'de>> Deserialize<'de> for Via<'de, R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        R::read(deserializer).map(Via)
    }
}

impl<'de, R: Read<'de>> Read<'de> for Nullable<R> {
    type Value = Option<R::Value>;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error> {
        Ok(Option::<Via<'de, R>>::deserialize(deserializer)?.map(|v| v.0))
    }
}

/// The collections generated code uses for arrays.
pub trait FromItems<T>: Sized {
    /// The collection of `items`, or why it cannot hold them.
    fn from_items(items: Vec<T>) -> Result<Self, crate::LengthError>;
}

impl<T> FromItems<T> for Vec<T> {
    fn from_items(items: Vec<T>) -> Result<Self, crate::LengthError> {
        Ok(items)
    }
}

impl<T, const MIN: usize, const MAX: usize> FromItems<T> for crate::BoundedVec<T, MIN, MAX> {
    fn from_items(items: Vec<T>) -> Result<Self, crate::LengthError> {
        crate::BoundedVec::new(items)
    }
}

impl<'de, R: Read<'de>, C: FromItems<R::Value>> Read<'de> for Items<R, C> {
    type Value = C;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<C, D::Error> {
        let items = Vec::<Via<'de, R>>::deserialize(deserializer)?;
        C::from_items(items.into_iter().map(|v| v.0).collect()).map_err(serde::de::Error::custom)
    }
}

/// A field's schema rule: a small JSON Schema (`{"type": "string", "pattern": …}`), compiled on
/// first use. Generated code implements it for one hidden type per checked field.
pub trait Rule {
    /// The rule.
    fn rule() -> &'static RuleSchema;
}

/// A compiled-on-first-use JSON Schema for one field (see [`Rule`]).
pub struct RuleSchema {
    text: &'static str,
    compiled: std::sync::OnceLock<Result<jsonschema::Validator, String>>,
}

impl RuleSchema {
    /// The rule for a schema text.
    pub const fn new(text: &'static str) -> Self {
        RuleSchema {
            text,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// Why `value` breaks the rule, if it does.
    pub fn check(&self, value: &serde_json::Value) -> Result<(), String> {
        let compiled = self.compiled.get_or_init(|| {
            serde_json::from_str(self.text)
                .map_err(|e| e.to_string())
                .and_then(|schema| crate::validate::compile(&schema))
        });
        match compiled {
            Ok(validator) => match validator.iter_errors(value).next() {
                None => Ok(()),
                Some(error) => Err(crate::validate::rule_message(&error)),
            },
            Err(problem) => Err(format!("the schema's rule `{}` does not compile: {problem}", self.text)),
        }
    }
}

impl<'de, R: Read<'de>, K: Rule> Read<'de> for Checked<R, K>
where
    R::Value: serde::Serialize,
{
    type Value = R::Value;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<R::Value, D::Error> {
        let value = R::read(deserializer)?;
        let json = serde_json::to_value(&value).map_err(serde::de::Error::custom)?;
        K::rule().check(&json).map_err(serde::de::Error::custom)?;
        Ok(value)
    }
}

/// Reads a required field with the recipe `R`.
pub fn read<'de, D: Deserializer<'de>, R: Read<'de>>(deserializer: D) -> Result<R::Value, D::Error> {
    R::read(deserializer)
}

/// Reads a present optional field with the recipe `R` (`null` is refused, as by [`some_value`]).
pub fn read_some<'de, D: Deserializer<'de>, R: Read<'de>>(deserializer: D) -> Result<Option<R::Value>, D::Error> {
    R::read(deserializer).map(Some)
}

/// Values that may hold an `f64`: JSON has no NaN or infinity, so those are refused on output.
pub trait Finite {
    /// The first value that is not finite, if any.
    fn non_finite(&self) -> Option<f64>;
}

impl Finite for f64 {
    fn non_finite(&self) -> Option<f64> {
        (!self.is_finite()).then_some(*self)
    }
}

impl<T: Finite> Finite for Option<T> {
    fn non_finite(&self) -> Option<f64> {
        self.as_ref().and_then(T::non_finite)
    }
}

impl<T: Finite> Finite for Vec<T> {
    fn non_finite(&self) -> Option<f64> {
        self.iter().find_map(T::non_finite)
    }
}

impl<T: Finite, const MIN: usize, const MAX: usize> Finite for crate::BoundedVec<T, MIN, MAX> {
    fn non_finite(&self) -> Option<f64> {
        self.iter().find_map(T::non_finite)
    }
}

/// Serializes a number field, refusing NaN and infinities (which `serde_json` would write as
/// `null`).
pub fn finite<T: serde::Serialize + Finite, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    match value.non_finite() {
        Some(v) => Err(serde::ser::Error::custom(format!(
            "{v} cannot be written as JSON: numbers must be finite"
        ))),
        None => value.serialize(serializer),
    }
}

//! What `#[derive(Event)]` builds on: the [`ToEvent`] trait, [`Localized`] values, and the
//! traits that let rustc check each field's type against its attribute.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::localizable::LocalizedAttributes;

/// A user type that describes one event: implemented by `#[derive(Event)]`.
///
/// A derived value gives the event name, the payload (localized fields as
/// `"localizedattribute:<key>"`) and the matching `localizedAttributes` entries, one per declared
/// locale; [`crate::Request::builder_from`] turns it into a request.
pub trait ToEvent {
    /// The event name, e.g. `AMAZON.MediaContent.Available`.
    const NAME: &'static str;
    /// The locales declared with `locales(...)`.
    const LOCALES: &'static [&'static str];
    /// The event payload as JSON.
    fn payload(&self) -> Value;
    /// One entry per declared locale with the text of every localized field, or the first field
    /// that lacks a declared locale.
    fn localized_attributes(&self) -> Result<Vec<LocalizedAttributes>, MissingLocale>;
}

/// A localized field without a value for one of the declared locales.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("field `{field}` has no value for locale `{locale}`")]
pub struct MissingLocale {
    /// The Rust field.
    pub field: &'static str,
    /// The declared locale it lacks.
    pub locale: &'static str,
}

/// One value per locale, for a field marked `localized`.
///
/// ```
/// use proactive_schemas::Localized;
///
/// let title = Localized::new().with("en-US", "The Example Show").with("de-DE", "Die Beispielshow");
/// assert_eq!(title.get("de-DE").map(String::as_str), Some("Die Beispielshow"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Localized<T> {
    values: BTreeMap<String, T>,
}

impl<T> Localized<T> {
    /// No values yet.
    pub fn new() -> Self {
        Localized {
            values: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) the value for a locale.
    pub fn with(mut self, locale: impl Into<String>, value: impl Into<T>) -> Self {
        self.insert(locale, value);
        self
    }

    /// Adds (or replaces) the value for a locale.
    pub fn insert(&mut self, locale: impl Into<String>, value: impl Into<T>) {
        self.values.insert(locale.into(), value.into());
    }

    /// The value for a locale.
    pub fn get(&self, locale: &str) -> Option<&T> {
        self.values.get(locale)
    }

    /// The locales that have a value.
    pub fn locales(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

impl<L: Into<String>, V: Into<T>, T> FromIterator<(L, V)> for Localized<T> {
    fn from_iter<I: IntoIterator<Item = (L, V)>>(iter: I) -> Self {
        let mut l = Localized::new();
        for (locale, value) in iter {
            l.insert(locale, value);
        }
        l
    }
}

/// Marker types naming the kinds of attribute a field can cover.
pub mod kind {
    use std::marker::PhantomData;

    /// A string attribute.
    pub struct Text;
    /// An integer attribute.
    pub struct Integer;
    /// A date-time attribute.
    pub struct DateTime;
    /// An enum attribute whose generated type is `E`.
    pub struct Enum<E>(PhantomData<E>);
    /// An array of the enum `E`.
    pub struct EnumArray<E>(PhantomData<E>);
    /// A whole object whose generated type is `S`.
    pub struct Object<S>(PhantomData<S>);
    /// A string attribute of a user schema file, enums included (checked when validating).
    pub struct Any;
    /// An array of strings or date-times.
    pub struct TextArray;
    /// A number attribute.
    pub struct Number;
    /// A boolean attribute.
    pub struct Boolean;
    /// An array whose items are of kind `K`.
    pub struct List<K>(PhantomData<K>);
    /// A value of a user schema file with no generated type (an object inside a list): any
    /// `serde::Serialize` value, checked when validating.
    pub struct Json;
}

/// A field type that can hold an attribute of kind `K`. rustc checks this for every derived
/// field, so a wrong type is an error under the field's type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not fit this attribute",
    label = "this type cannot hold the attribute",
    note = "strings take `String`, `&'static str` or `Localizable<String>`; integers `i64` or a smaller integer; numbers `f64`, `f32` or an integer; booleans `bool`; date-times `DateTime`, `jiff::Timestamp` or `String`; enums and objects their generated type; optional attributes `Option<_>` of those"
)]
pub trait Fits<K> {
    /// The attribute's JSON value.
    fn to_attribute(&self) -> Value;
}

impl Fits<kind::Text> for String {
    fn to_attribute(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Fits<kind::Text> for &str {
    fn to_attribute(&self) -> Value {
        Value::String((*self).to_owned())
    }
}

impl Fits<kind::Text> for crate::Localizable<String> {
    fn to_attribute(&self) -> Value {
        Value::String(self.to_string())
    }
}

macro_rules! fits_integer {
    ($($t:ty),*) => {$(
        impl Fits<kind::Integer> for $t {
            fn to_attribute(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
fits_integer!(i64, i32, i16, i8, u32, u16, u8);

impl Fits<kind::DateTime> for crate::DateTime {
    fn to_attribute(&self) -> Value {
        Value::String(self.as_str().to_owned())
    }
}

impl Fits<kind::DateTime> for jiff::Timestamp {
    fn to_attribute(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl Fits<kind::DateTime> for String {
    fn to_attribute(&self) -> Value {
        Value::String(self.clone())
    }
}

impl<E: serde::Serialize + crate::GeneratedEnum> Fits<kind::Enum<E>> for E {
    fn to_attribute(&self) -> Value {
        Value::String(self.as_json_str().to_owned())
    }
}

impl<E: crate::GeneratedEnum> Fits<kind::EnumArray<E>> for Vec<E> {
    fn to_attribute(&self) -> Value {
        Value::Array(self.iter().map(|e| Value::String(e.as_json_str().to_owned())).collect())
    }
}

impl<E: crate::GeneratedEnum, const MIN: usize, const MAX: usize> Fits<kind::EnumArray<E>>
    for crate::BoundedVec<E, MIN, MAX>
{
    fn to_attribute(&self) -> Value {
        Value::Array(self.iter().map(|e| Value::String(e.as_json_str().to_owned())).collect())
    }
}

impl<S: serde::Serialize + crate::GeneratedStruct> Fits<kind::Object<S>> for S {
    fn to_attribute(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl<T: fmt::Display> Fits<kind::Any> for T {
    fn to_attribute(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl<T: AsRef<str>> Fits<kind::TextArray> for Vec<T> {
    fn to_attribute(&self) -> Value {
        Value::Array(self.iter().map(|s| Value::String(s.as_ref().to_owned())).collect())
    }
}

macro_rules! fits_number {
    ($($t:ty),*) => {$(
        impl Fits<kind::Number> for $t {
            fn to_attribute(&self) -> Value {
                // JSON has no NaN or infinity: `null` here is reported by the validator at the
                // attribute's pointer.
                serde_json::Number::from_f64(f64::from(*self)).map_or(Value::Null, Value::Number)
            }
        }
    )*};
}
fits_number!(f64, f32);

macro_rules! fits_number_from_integer {
    ($($t:ty),*) => {$(
        impl Fits<kind::Number> for $t {
            fn to_attribute(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
fits_number_from_integer!(i64, i32, i16, i8, u32, u16, u8);

impl Fits<kind::Boolean> for bool {
    fn to_attribute(&self) -> Value {
        Value::Bool(*self)
    }
}

impl<K, T: Fits<K>> Fits<kind::List<K>> for Vec<T> {
    fn to_attribute(&self) -> Value {
        Value::Array(self.iter().map(T::to_attribute).collect())
    }
}

impl<K, T: Fits<K>, const MIN: usize, const MAX: usize> Fits<kind::List<K>> for crate::BoundedVec<T, MIN, MAX> {
    fn to_attribute(&self) -> Value {
        Value::Array(self.iter().map(T::to_attribute).collect())
    }
}

impl<T: serde::Serialize> Fits<kind::Json> for T {
    fn to_attribute(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

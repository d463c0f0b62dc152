//! Attributes that hold either a literal or a key into `localizedAttributes`.

use std::collections::BTreeMap;
use std::fmt;

use proactive_spec::LOCALIZED_PREFIX;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A localizable string attribute: either the literal text, or a key whose text is given per
/// locale in the request's `localizedAttributes`.
///
/// A key serializes as `"localizedattribute:<key>"`:
///
/// ```
/// use proactive_schemas::Localizable;
///
/// let source: Localizable<String> = Localizable::key("source");
/// assert_eq!(serde_json::to_string(&source).unwrap(), r#""localizedattribute:source""#);
///
/// let literal: Localizable<String> = "Example Weather Corp".into();
/// assert_eq!(serde_json::to_string(&literal).unwrap(), r#""Example Weather Corp""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Localizable<T> {
    /// The same text in every locale.
    Literal(T),
    /// A key into each locale's entry of `localizedAttributes`. Keys are alphanumeric
    /// (validation reports any other key).
    Key(String),
}

impl<T> Localizable<T> {
    /// A reference to the localized value named `key`.
    pub fn key(key: impl Into<String>) -> Self {
        Localizable::Key(key.into())
    }

    /// The key, if this is a reference.
    pub fn as_key(&self) -> Option<&str> {
        match self {
            Localizable::Key(k) => Some(k),
            Localizable::Literal(_) => None,
        }
    }

    /// The literal, if this is not a reference.
    pub fn as_literal(&self) -> Option<&T> {
        match self {
            Localizable::Literal(t) => Some(t),
            Localizable::Key(_) => None,
        }
    }
}

impl From<&str> for Localizable<String> {
    fn from(s: &str) -> Self {
        Localizable::Literal(s.to_owned())
    }
}

impl From<String> for Localizable<String> {
    fn from(s: String) -> Self {
        Localizable::Literal(s)
    }
}

impl<T: fmt::Display> fmt::Display for Localizable<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Localizable::Literal(t) => t.fmt(f),
            Localizable::Key(k) => write!(f, "{LOCALIZED_PREFIX}{k}"),
        }
    }
}

impl<T: Serialize> Serialize for Localizable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Localizable::Literal(t) => t.serialize(serializer),
            Localizable::Key(k) => serializer.collect_str(&format_args!("{LOCALIZED_PREFIX}{k}")),
        }
    }
}

impl<'de> Deserialize<'de> for Localizable<String> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(match s.strip_prefix(LOCALIZED_PREFIX) {
            Some(key) => Localizable::Key(key.to_owned()),
            None => Localizable::Literal(s),
        })
    }
}

/// One locale's entry of `localizedAttributes`: `{"locale": "en-US", "<key>": "<text>", …}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedAttributes {
    /// The locale, e.g. `en-US`.
    pub locale: String,
    /// The text of each key in that locale.
    #[serde(flatten)]
    pub values: BTreeMap<String, String>,
}

impl LocalizedAttributes {
    /// An entry for `locale` with the given key/text pairs.
    pub fn new<K: Into<String>, V: Into<String>>(
        locale: impl Into<String>,
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        LocalizedAttributes {
            locale: locale.into(),
            values: values.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
        }
    }
}

//! Runtime metadata of event types, generated from the schema files.

/// What the generated code knows about one event type.
#[derive(Debug)]
pub struct EventMeta {
    /// The event name, e.g. `AMAZON.WeatherAlert.Activated`.
    pub name: &'static str,
    /// The schema's top-level description.
    pub description: &'static str,
    /// The generated payload type, relative to the catalogue, e.g.
    /// `weather_alert_activated::WeatherAlertActivated`.
    pub rust_type: &'static str,
    /// The event's JSON Schema (draft 2020-12), as compact JSON text.
    pub schema: &'static str,
    /// Every attribute (objects included), depth first, in schema order.
    pub attributes: &'static [AttributeMeta],
    /// Spoken templates, in order of preference.
    pub utterances: &'static [UtteranceMeta],
    /// The locales Amazon supports for this event; `None` means every Alexa locale.
    pub locales: Option<&'static [&'static str]>,
}

impl EventMeta {
    /// The attribute at a dotted path (`weatherAlert.source`).
    pub fn attribute(&self, path: &str) -> Option<&'static AttributeMeta> {
        self.attributes.iter().find(|a| a.path == path)
    }

    /// Paths of the attributes that are required (within a present parent).
    pub fn required(&self) -> impl Iterator<Item = &'static str> {
        self.attributes.iter().filter(|a| a.required).map(|a| a.path)
    }

    /// Paths of the attributes that accept `"localizedattribute:<key>"`.
    pub fn localizable(&self) -> impl Iterator<Item = &'static str> {
        self.attributes.iter().filter(|a| a.localizable).map(|a| a.path)
    }

    /// The names of the direct children of an object attribute (`""` for the payload root).
    pub fn children<'a>(&'a self, parent: &'a str) -> impl Iterator<Item = &'static str> + 'a {
        self.attributes.iter().filter_map(move |a| {
            let rest = if parent.is_empty() {
                Some(a.path)
            } else {
                a.path.strip_prefix(parent).and_then(|r| r.strip_prefix('.'))
            };
            rest.filter(|r| !r.contains('.'))
        })
    }
}

/// One attribute of an event payload.
#[derive(Debug)]
pub struct AttributeMeta {
    /// Dotted path from the payload root, e.g. `weatherAlert.alertType`.
    pub path: &'static str,
    /// Required within its (present) parent.
    pub required: bool,
    /// Accepts `"localizedattribute:<key>"`.
    pub localizable: bool,
    /// The attribute's type.
    pub kind: AttributeKind,
}

/// The type of an attribute.
#[derive(Debug)]
#[non_exhaustive]
pub enum AttributeKind {
    /// A nested object.
    Object,
    /// A string.
    String,
    /// An RFC 3339 date-time string.
    DateTime,
    /// An integer (`i64`).
    Integer,
    /// A number (`f64`).
    Number,
    /// A boolean.
    Boolean,
    /// The inner kind or `null`.
    Nullable(&'static AttributeKind),
    /// A string enum.
    Enum {
        /// The values.
        values: &'static [&'static str],
        /// How previews speak some values (`x-spoken`); the others are spoken lowercased with
        /// `_` as spaces.
        spoken: &'static [(&'static str, &'static str)],
    },
    /// An array.
    Array {
        /// The item type.
        items: &'static AttributeKind,
        /// Fewest items allowed.
        min_items: Option<usize>,
        /// Most items allowed.
        max_items: Option<usize>,
    },
}

/// A spoken template of an event.
#[derive(Debug)]
pub struct UtteranceMeta {
    /// Conditions: the enum attribute at the dotted path must hold the value.
    pub when: &'static [(&'static str, &'static str)],
    /// The text, with `{dotted.path}` and optional `{dotted.path?}` placeholders.
    pub text: &'static str,
}

/// Implemented by every generated payload type.
pub trait EventPayload: serde::Serialize + serde::de::DeserializeOwned {
    /// The event name, e.g. `AMAZON.WeatherAlert.Activated`.
    const NAME: &'static str;
    /// The event's metadata.
    fn meta() -> &'static EventMeta;
}

/// Implemented by every generated enum.
pub trait GeneratedEnum: Copy + 'static {
    /// The value as it appears in JSON.
    fn as_json_str(&self) -> &'static str;
}

/// Implemented by every generated struct (payloads and their parts).
pub trait GeneratedStruct: serde::Serialize {}

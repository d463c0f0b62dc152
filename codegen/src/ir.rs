//! The intermediate representation: the small subset of JSON Schema the event catalogue uses,
//! with Rust names already decided. This is the model the emitter and the derive read; building
//! it from schema files, and checking everything the emitter relies on so that emission never
//! produces code that fails to compile, is the loader's job (`load.rs`).

use std::path::PathBuf;

// The loader's entry points and facts, re-exported where the derive and the fuzz targets have
// always imported them (`proactive_codegen::ir::load_str`); the model itself never calls them.
pub use crate::load::{load_dir, load_files, load_str, DRAFT_2020_12};
// The spec's template and pointer rules (`proactive-spec`), at the paths they have always had here.
pub use proactive_spec::{escape_pointer_token, placeholders};

/// All event schemas of one directory, sorted by event name.
#[derive(Clone, Debug)]
pub struct Catalogue {
    /// The events, sorted by name.
    pub events: Vec<EventSchema>,
}

impl Catalogue {
    /// Finds an event by its exact name.
    pub fn get(&self, name: &str) -> Option<&EventSchema> {
        self.events.iter().find(|e| e.name == name)
    }
}

/// One event type: the schema of its payload.
#[derive(Clone, Debug)]
pub struct EventSchema {
    /// The event name, e.g. `AMAZON.WeatherAlert.Activated` (the file's stem).
    pub name: String,
    /// The file it was loaded from.
    pub file: PathBuf,
    /// The top-level `title`, when it is prose rather than the event name (a title that names an
    /// event must name this one).
    pub title: Option<String>,
    /// The top-level `description`.
    pub description: Option<String>,
    /// The top-level `examples`, each as compact JSON text in file order.
    pub examples: Vec<String>,
    /// The Rust module generated for the event, e.g. `weather_alert_activated`.
    pub module: String,
    /// The payload: always an object.
    pub root: ObjectType,
    /// Spoken templates (`x-utterance`), in order of preference.
    pub utterances: Vec<Utterance>,
    /// Locales Amazon supports for this event (`x-locales`); `None` means all.
    pub locales: Option<Vec<String>>,
    /// The schema as a JSON value, for runtime validators.
    pub schema: serde_json::Value,
}

impl EventSchema {
    /// Every attribute (objects included) in depth-first order, with its dotted path.
    pub fn attributes(&self) -> Vec<Attribute<'_>> {
        fn walk<'a>(obj: &'a ObjectType, prefix: &str, out: &mut Vec<Attribute<'a>>) {
            for p in &obj.properties {
                let path = if prefix.is_empty() {
                    p.name.clone()
                } else {
                    format!("{prefix}.{}", p.name)
                };
                out.push(Attribute {
                    path: path.clone(),
                    property: p,
                });
                if let Type::Object(child) = &p.ty {
                    walk(child, &path, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, "", &mut out);
        out
    }

    /// The schema node at `pointer` (`""` for the payload) as a schema of its own: every `$ref`
    /// replaced by its definition (annotations beside the `$ref` kept), `$defs`, `$schema` and
    /// `$id` removed. The loader refuses recursive references, so this always ends. This is the
    /// schema `schemars::JsonSchema` gives for the generated type of that node.
    pub fn standalone(&self, pointer: &str) -> serde_json::Value {
        fn inline(node: &serde_json::Value, defs: &serde_json::Value, depth: usize) -> serde_json::Value {
            use serde_json::Value;
            match node {
                Value::Object(members) => {
                    let mut out = serde_json::Map::new();
                    if let Some(def) = members
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| r.strip_prefix("#/$defs/"))
                        .map(|d| d.replace("~1", "/").replace("~0", "~"))
                        .and_then(|d| defs.get(d))
                        .filter(|_| depth < 64)
                    {
                        if let Value::Object(def) = inline(def, defs, depth + 1) {
                            out.extend(def);
                        }
                    }
                    for (key, value) in members {
                        if matches!(key.as_str(), "$ref" | "$defs" | "$schema" | "$id") {
                            continue;
                        }
                        // Values of `properties` and `$defs` are schemas; so are `items`. Other
                        // keywords hold data (`examples`, `enum`, `default`), copied as they are.
                        let value = match key.as_str() {
                            "properties" => match value {
                                Value::Object(props) => Value::Object(
                                    props
                                        .iter()
                                        .map(|(k, v)| (k.clone(), inline(v, defs, depth + 1)))
                                        .collect(),
                                ),
                                other => other.clone(),
                            },
                            "items" => inline(value, defs, depth + 1),
                            _ => value.clone(),
                        };
                        out.insert(key.clone(), value);
                    }
                    Value::Object(out)
                }
                other => other.clone(),
            }
        }
        let defs = self.schema.get("$defs").cloned().unwrap_or_default();
        self.schema
            .pointer(pointer)
            .map(|node| inline(node, &defs, 0))
            .unwrap_or(serde_json::Value::Bool(false))
    }

    /// The attribute at a dotted path, if any.
    pub fn attribute(&self, path: &str) -> Option<&Property> {
        let mut obj = &self.root;
        let mut segments = path.split('.').peekable();
        while let Some(seg) = segments.next() {
            let prop = obj.properties.iter().find(|p| p.name == seg)?;
            if segments.peek().is_none() {
                return Some(prop);
            }
            match &prop.ty {
                Type::Object(child) => obj = child,
                _ => return None,
            }
        }
        None
    }
}

/// An attribute of an event, as listed by [`EventSchema::attributes`].
#[derive(Clone, Debug)]
pub struct Attribute<'a> {
    /// Dotted path from the payload root, e.g. `weatherAlert.source`.
    pub path: String,
    /// The property itself.
    pub property: &'a Property,
}

/// A spoken template (`x-utterance` entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utterance {
    /// Conditions: the enum attribute at the dotted path must hold the value.
    pub when: Vec<(String, String)>,
    /// The text with `{dotted.path}` and `{dotted.path?}` placeholders.
    pub text: String,
}

impl Utterance {
    /// The placeholders of the text: (dotted path, optional?).
    pub fn placeholders(&self) -> Vec<(&str, bool)> {
        placeholders(&self.text).collect()
    }
}

/// An object with fixed properties (`additionalProperties: false`).
#[derive(Clone, Debug)]
pub struct ObjectType {
    /// The Rust struct name.
    pub rust_name: String,
    /// JSON pointer of this schema inside its file.
    pub pointer: String,
    /// The schema's `description`: for a nested object, the one its property gives.
    pub description: Option<String>,
    /// Properties in file order.
    pub properties: Vec<Property>,
}

/// One property of an object.
#[derive(Clone, Debug)]
pub struct Property {
    /// The JSON name, e.g. `alertType`.
    pub name: String,
    /// The Rust field name, e.g. `alert_type` (possibly `r#type`).
    pub rust_field: String,
    /// Whether the property is in the object's `required` list.
    pub required: bool,
    /// The `description`, if any.
    pub description: Option<String>,
    /// The property schema's `examples`, each as compact JSON text in file order.
    pub examples: Vec<String>,
    /// JSON pointer of the property's schema inside its file.
    pub pointer: String,
    /// The property's type.
    pub ty: Type,
}

/// The types the catalogue uses.
#[derive(Clone, Debug)]
pub enum Type {
    /// A nested object (inline, or a `$ref` to a definition in `$defs`).
    Object(ObjectType),
    /// A string; `localizable` when `x-localizable: true`.
    String {
        /// Accepts `"localizedattribute:<key>"`.
        localizable: bool,
        /// `pattern`, `minLength`, `maxLength` and `format` (other than `date-time`).
        rules: StringRules,
    },
    /// A string with `format: date-time`.
    DateTime,
    /// A string enum.
    Enum(EnumType),
    /// An integer (`i64`).
    Integer(Bounds),
    /// A number (`f64`, finite).
    Number(Bounds),
    /// A boolean.
    Boolean,
    /// The inner type or `null` (`"type": ["string", "null"]`): an `Option` in Rust.
    Nullable(Box<Type>),
    /// An array.
    Array {
        /// The item type.
        items: Box<Type>,
        /// `minItems`, if any.
        min_items: Option<u64>,
        /// `maxItems`, if any.
        max_items: Option<u64>,
    },
}

impl Type {
    /// The type inside a [`Type::Nullable`], or the type itself.
    pub fn non_null(&self) -> &Type {
        match self {
            Type::Nullable(inner) => inner,
            other => other,
        }
    }

    /// Whether values of this type are checked beyond their JSON type (a bound, a pattern, a
    /// length or a format), directly or in its array items (not inside nested objects, whose
    /// fields carry their own checks).
    pub fn has_rules(&self) -> bool {
        match self {
            Type::String { rules, .. } => !rules.is_empty(),
            Type::Integer(b) | Type::Number(b) => !b.is_empty(),
            Type::Nullable(inner) => inner.has_rules(),
            Type::Array { items, .. } => items.has_rules(),
            _ => false,
        }
    }

    /// Whether the Rust type holds an `f64` (so it is not `Eq`), nested objects included.
    pub fn has_float(&self) -> bool {
        match self {
            Type::Number(_) => true,
            Type::Nullable(inner) => inner.has_float(),
            Type::Array { items, .. } => items.has_float(),
            Type::Object(o) => o.properties.iter().any(|p| p.ty.has_float()),
            _ => false,
        }
    }
}

/// The checks of a string beyond its type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StringRules {
    /// `format`: `date`, `uri` or `email` (`date-time` is [`Type::DateTime`]).
    pub format: Option<String>,
    /// `pattern`: an ECMA-262 regular expression, as written.
    pub pattern: Option<String>,
    /// `minLength`, in characters.
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
}

impl StringRules {
    /// No checks at all.
    pub fn is_empty(&self) -> bool {
        *self == StringRules::default()
    }
}

/// `minimum` and `maximum` of an integer or number, each a JSON number as written in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bounds {
    /// `minimum` (inclusive).
    pub minimum: Option<String>,
    /// `maximum` (inclusive).
    pub maximum: Option<String>,
}

impl Bounds {
    /// No bounds at all.
    pub fn is_empty(&self) -> bool {
        self.minimum.is_none() && self.maximum.is_none()
    }
}

/// A string enum.
#[derive(Clone, Debug)]
pub struct EnumType {
    /// The Rust enum name.
    pub rust_name: String,
    /// JSON pointer of this schema inside its file.
    pub pointer: String,
    /// The schema's `description`: the property's, or the items' for an enum inside an array.
    pub description: Option<String>,
    /// The values, in file order, with their Rust variant names.
    pub variants: Vec<(String, String)>,
    /// How previews speak some values (`x-spoken`); others are spoken lowercased, `_` as spaces.
    pub spoken: Vec<(String, String)>,
}

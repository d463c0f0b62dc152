//! The fast path: proving a body valid from its text, without building a `serde_json::Value`.
//!
//! Most bodies a service validates are valid, and for those the full validator's work (a `Value`
//! with a map and a string per member, the schema engine's walk over it, then freeing it all) is
//! mostly spent learning nothing. [`Validator::proves_valid`] instead reads the text once with
//! `serde_json`'s tokenizer, checking each value against the schema as it goes, keeping only a few
//! borrowed slices (the event name, localized keys and locales), and stops at the first thing it
//! cannot vouch for. It answers "valid, with nothing to warn about" or "don't know": a body it
//! does not prove goes to the full validator. One exception, [`check`]: when the walk reached the
//! end (both schemas hold) and only the expiry window or the locales fail while every entry
//! defines exactly the referenced keys, the report is made from what the walk kept, by the same
//! rule functions, called in the same order, as the full validator calls on the value; those
//! findings point at `/expiryTime` and `/localizedAttributes/N/locale`, never into the payload.
//!
//! What the proof checks, each exactly as the full validator does:
//! - the envelope of `schemas/envelope.json` (walked by hand below; a test pins the schema text
//!   it was written for), the expiry window, the event name, locales, localized keys both ways;
//! - the payload against the event's schema file, compiled into a [`Node`] tree: `type` (with
//!   `null`), `properties`, `required`, `additionalProperties`, string `enum`, `minLength`,
//!   `maxLength`, `format: date-time` (the same `DateTime::instant`), `items`, `minItems`,
//!   `maxItems`, and `$ref` to `#/$defs`. `pattern`, other formats and number bounds are asked of
//!   the schema engine itself (a small schema of just those keywords, compiled once with the
//!   validator's options). Any other keyword makes its node [`Node::Unknown`]: a body reaching
//!   it is never proven.
//!
//! It is conservative wherever the `Value` would differ from the text: a repeated key (a `Value`
//! keeps the last), an integer written with a fraction or exponent, an event whose `payload` comes
//! before its `name` all go to the full validator.

use std::borrow::Cow;
use std::fmt;

use proactive_spec::{is_alexa_locale, is_valid_key, LOCALIZED_PREFIX};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::report::Found;
use super::schema::compile;
use super::Validator;
use super::{rules, Report, EXPIRY_PASSED};
use crate::datetime::DateTime;
use crate::meta::{AttributeKind, EventMeta};

/// The walk stops: the full validator says why (or that the text is not JSON).
fn stop<E: de::Error>() -> E {
    E::custom("not proven")
}

/// One schema node, as the walk checks it.
pub(super) enum Node {
    /// Any value: a schema of annotations only.
    Any,
    /// A keyword or shape the walk does not check: never proven.
    Unknown,
    Object(Object),
    Array {
        items: Box<Node>,
        min: usize,
        max: usize,
    },
    String(Str),
    /// An integer the generated `i64` holds, with the engine's check of its bounds, if any.
    Integer(Option<jsonschema::Validator>),
    /// A number (integers included), with the engine's check of its bounds, if any.
    Number(Option<jsonschema::Validator>),
    Boolean,
    /// The inner node, or `null`.
    Nullable(Box<Node>),
}

pub(super) struct Object {
    /// Known properties, in schema order (at most 64: `required` is a bit set).
    props: Vec<(Box<str>, Node)>,
    required: u64,
    additional: Additional,
}

enum Additional {
    Denied,
    Any,
    Schema(Box<Node>),
}

pub(super) struct Str {
    values: Option<Vec<Box<str>>>,
    min: usize,
    max: usize,
    date_time: bool,
    /// `pattern` and formats other than `date-time`, checked by the schema engine.
    rule: Option<jsonschema::Validator>,
    role: Role,
}

/// What a `"localizedattribute:<key>"` value means at a string node (as the full validator's
/// attribute walk decides it).
#[derive(Clone, Copy)]
enum Role {
    /// Nothing: the value is just a string (an enum, a date-time, a property the event's
    /// attributes do not list).
    Plain,
    /// A reference to a localized key.
    Localizable,
    /// An error: a plain-text attribute that is not `x-localizable`.
    NotLocalizable,
}

/// Keywords that only annotate: the walk ignores them, as the engine does.
fn is_annotation(keyword: &str) -> bool {
    matches!(
        keyword,
        "$schema"
            | "$id"
            | "$comment"
            | "title"
            | "description"
            | "examples"
            | "default"
            | "deprecated"
            | "readOnly"
            | "writeOnly"
    ) || keyword.starts_with("x-")
}

/// Keywords the walk checks (each for the types it applies to).
fn is_checked(keyword: &str) -> bool {
    matches!(
        keyword,
        "type"
            | "enum"
            | "properties"
            | "required"
            | "additionalProperties"
            | "items"
            | "minItems"
            | "maxItems"
            | "minLength"
            | "maxLength"
            | "pattern"
            | "format"
            | "minimum"
            | "maximum"
    )
}

/// How deep `$ref`s and nesting are followed when compiling; deeper nodes are [`Node::Unknown`].
const MAX_DEPTH: usize = 32;

/// Compiles an event's payload schema (its root must be an object schema to be of any use).
pub(super) fn compile_payload(meta: &EventMeta) -> Node {
    let Ok(root) = serde_json::from_str::<Value>(meta.schema) else {
        return Node::Unknown;
    };
    let compiler = Compiler { root: &root, meta };
    match compiler.node(&root, &mut String::new(), 0) {
        node @ Node::Object(_) => node,
        _ => Node::Unknown,
    }
}

struct Compiler<'a> {
    root: &'a Value,
    meta: &'a EventMeta,
}

/// A sentinel path segment that matches no attribute: values under `additionalProperties`.
const NO_ATTRIBUTE: &str = "\0";

impl Compiler<'_> {
    /// `path` is the dotted attribute path of the node (arrays are transparent), as
    /// [`EventMeta::attribute`] takes it.
    fn node(&self, schema: &Value, path: &mut String, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            return Node::Unknown;
        }
        let s = match schema {
            Value::Object(s) => s,
            Value::Bool(true) => return Node::Any,
            _ => return Node::Unknown,
        };
        let root = depth == 0;
        if let Some(reference) = s.get("$ref") {
            if s.keys()
                .any(|k| k != "$ref" && !is_annotation(k) && !(root && k == "$defs"))
            {
                return Node::Unknown;
            }
            let target = reference
                .as_str()
                .and_then(|r| r.strip_prefix("#/$defs/"))
                .filter(|name| !name.contains(['~', '/', '%']))
                .and_then(|name| self.root.get("$defs")?.get(name));
            return match target {
                Some(target) => self.node(target, path, depth + 1),
                None => Node::Unknown,
            };
        }
        if s.keys()
            .any(|k| !(is_checked(k) || is_annotation(k) || (root && k == "$defs")))
        {
            return Node::Unknown;
        }
        let (ty, nullable) = match s.get("type") {
            Some(Value::String(t)) => (t.as_str(), false),
            Some(Value::Array(types)) if types.len() == 2 && types.iter().any(|t| t == "null") => {
                match types.iter().find(|t| *t != "null").and_then(Value::as_str) {
                    Some(t) => (t, true),
                    None => return Node::Unknown,
                }
            }
            // An enum of strings alone admits only those strings.
            None if s
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|v| v.iter().all(Value::is_string)) =>
            {
                ("string", false)
            }
            _ => return Node::Unknown,
        };
        if nullable && s.contains_key("enum") {
            return Node::Unknown; // whether `null` is among the values: left to the engine
        }
        let node = match ty {
            "object" => self.object(s, path, depth),
            "array" => self.array(s, path, depth),
            "string" => self.string(s, path),
            "integer" => match bounds(s) {
                Ok(b) => Node::Integer(b),
                Err(()) => Node::Unknown,
            },
            "number" => match bounds(s) {
                Ok(b) => Node::Number(b),
                Err(()) => Node::Unknown,
            },
            "boolean" => Node::Boolean,
            _ => Node::Unknown,
        };
        if ty != "string" && s.contains_key("enum") {
            return Node::Unknown;
        }
        match node {
            Node::Unknown => Node::Unknown,
            node if nullable => Node::Nullable(Box::new(node)),
            node => node,
        }
    }

    fn object(&self, s: &Map<String, Value>, path: &mut String, depth: usize) -> Node {
        let mut props = Vec::new();
        if let Some(properties) = s.get("properties") {
            let Value::Object(properties) = properties else {
                return Node::Unknown;
            };
            if properties.len() > 64 {
                return Node::Unknown;
            }
            for (name, schema) in properties {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
                let node = self.node(schema, path, depth + 1);
                path.truncate(len);
                props.push((name.as_str().into(), node));
            }
        }
        let mut required = 0u64;
        match s.get("required") {
            None => {}
            Some(Value::Array(names)) => {
                for name in names {
                    match props
                        .iter()
                        .position(|(p, _): &(Box<str>, Node)| Some(&**p) == name.as_str())
                    {
                        Some(i) => required |= 1 << i,
                        None => return Node::Unknown,
                    }
                }
            }
            Some(_) => return Node::Unknown,
        }
        let additional = match s.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Additional::Any,
            Some(Value::Bool(false)) => Additional::Denied,
            Some(schema) => {
                // Values under additional properties are no attribute of the event.
                let len = path.len();
                path.push('.');
                path.push_str(NO_ATTRIBUTE);
                let node = self.node(schema, path, depth + 1);
                path.truncate(len);
                Additional::Schema(Box::new(node))
            }
        };
        Node::Object(Object {
            props,
            required,
            additional,
        })
    }

    fn array(&self, s: &Map<String, Value>, path: &mut String, depth: usize) -> Node {
        let items = match s.get("items") {
            None => Node::Any,
            Some(schema) => match self.node(schema, path, depth + 1) {
                // The attribute walk stops searching nested arrays at some depth; none is proven.
                Node::Array { .. } => return Node::Unknown,
                Node::Nullable(inner) if matches!(*inner, Node::Array { .. }) => return Node::Unknown,
                node => node,
            },
        };
        let (Ok(min), Ok(max)) = (count(s, "minItems", 0), count(s, "maxItems", usize::MAX)) else {
            return Node::Unknown;
        };
        Node::Array {
            items: Box::new(items),
            min,
            max,
        }
    }

    fn string(&self, s: &Map<String, Value>, path: &str) -> Node {
        let values = match s.get("enum") {
            None => None,
            Some(Value::Array(values)) => match values.iter().map(|v| v.as_str().map(Box::from)).collect() {
                Some(values) => Some(values),
                None => return Node::Unknown,
            },
            Some(_) => return Node::Unknown,
        };
        let (Ok(min), Ok(max)) = (count(s, "minLength", 0), count(s, "maxLength", usize::MAX)) else {
            return Node::Unknown;
        };
        let format = s.get("format");
        let date_time = format.is_some_and(|f| f == "date-time");
        let mut rule = Map::new();
        if let Some(pattern) = s.get("pattern") {
            rule.insert("pattern".into(), pattern.clone());
        }
        if let Some(format) = format.filter(|_| !date_time) {
            rule.insert("format".into(), format.clone());
        }
        let rule = if rule.is_empty() {
            None
        } else {
            match compile(&Value::Object(rule)) {
                Ok(v) => Some(v),
                Err(_) => return Node::Unknown,
            }
        };
        let role = match self.meta.attribute(path) {
            Some(a) if matches!(a.kind, AttributeKind::String) && a.localizable => Role::Localizable,
            Some(a) if matches!(a.kind, AttributeKind::String) => Role::NotLocalizable,
            _ => Role::Plain,
        };
        Node::String(Str {
            values,
            min,
            max,
            date_time,
            rule,
            role,
        })
    }
}

/// A non-negative integer keyword (`minItems`, …), `default` when absent.
fn count(s: &Map<String, Value>, keyword: &str, default: usize) -> Result<usize, ()> {
    match s.get(keyword) {
        None => Ok(default),
        Some(v) => v.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or(()),
    }
}

/// `minimum` and `maximum`, as a schema of just those keywords for the engine to judge.
fn bounds(s: &Map<String, Value>) -> Result<Option<jsonschema::Validator>, ()> {
    let mut rule = Map::new();
    for keyword in ["minimum", "maximum"] {
        if let Some(v) = s.get(keyword) {
            rule.insert(keyword.into(), v.clone());
        }
    }
    if rule.is_empty() {
        return Ok(None);
    }
    compile(&Value::Object(rule)).map(Some).map_err(|_| ())
}

/// What the walk keeps of a body: the localized keys the payload references.
type Refs<'de> = Vec<Cow<'de, str>>;

/// Skips a value, checked as parsing it into a `Value` checks it (`IgnoredAny` skips without
/// counting nesting against `serde_json`'s recursion limit, without reading numbers' values nor
/// strings' escapes): what the proof walks, parsing never refuses.
pub(super) struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Keys read as strings too: their escapes are checked as a parse checks them.
        while map.next_key_seed(Key)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// Whether a key is one `serde_json` may give a meaning of its own when it builds a `Value`:
/// with its `raw_value` or `arbitrary_precision` feature on (in whatever crate of the build), an
/// object whose first key is `$serde_json::private::RawValue` (or `…::Number`) is read as the
/// JSON (or number) its value spells, or refused. A walk that meets one stops, and the text goes
/// the full way (a `Value`, whatever `serde_json` makes of it).
pub(super) fn private_key(key: &str) -> bool {
    key.starts_with("$serde_json::private::")
}

/// An object's key, read as [`Skip`] reads it: a string, its escapes checked; a
/// [`private_key`] stops.
pub(super) struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if private_key(v) {
            return Err(stop());
        }
        Ok(())
    }
}

/// Walks one value against a node.
struct Walk<'a, 'de> {
    node: &'a Node,
    refs: &'a mut Refs<'de>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.node {
            Node::Any => Skip.deserialize(d),
            Node::Unknown => Err(stop()),
            _ => d.deserialize_any(self),
        }
    }
}

/// The node a non-null value is checked against.
fn inner(node: &Node) -> &Node {
    match node {
        Node::Nullable(inner) => inner,
        node => node,
    }
}

impl<'de> Walk<'_, 'de> {
    fn string<E: de::Error>(self, s: &str, borrowed: Option<&'de str>) -> Result<(), E> {
        let Node::String(rule) = inner(self.node) else {
            return Err(stop());
        };
        if let Some(values) = &rule.values {
            if !values.iter().any(|v| same(v, s)) {
                return Err(stop());
            }
        }
        if rule.min > 0 || rule.max < usize::MAX {
            let n = s.chars().count();
            if n < rule.min || n > rule.max {
                return Err(stop());
            }
        }
        if rule.date_time && DateTime::instant(s).is_err() {
            return Err(stop());
        }
        if let Some(check) = &rule.rule {
            if !check.is_valid(&Value::String(s.to_owned())) {
                return Err(stop());
            }
        }
        if let Some(key) = s.strip_prefix(LOCALIZED_PREFIX) {
            match rule.role {
                Role::Plain => {}
                Role::NotLocalizable => return Err(stop()),
                Role::Localizable if !is_valid_key(key) => return Err(stop()),
                Role::Localizable => self.refs.push(match borrowed {
                    Some(b) => Cow::Borrowed(&b[LOCALIZED_PREFIX.len()..]),
                    None => Cow::Owned(key.to_owned()),
                }),
            }
        }
        Ok(())
    }

    fn number<E: de::Error>(self, n: serde_json::Number) -> Result<(), E> {
        let check = match inner(self.node) {
            Node::Integer(check) if n.as_i64().is_some() => check,
            Node::Number(check) => check,
            _ => return Err(stop()),
        };
        match check {
            Some(check) if !check.is_valid(&Value::Number(n)) => Err(stop()),
            _ => Ok(()),
        }
    }
}

impl<'de> Visitor<'de> for Walk<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value the schema admits")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        match self.node {
            Node::Nullable(_) => Ok(()),
            _ => Err(stop()),
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        match inner(self.node) {
            Node::Boolean => Ok(()),
            _ => Err(stop()),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.number(v.into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.number(v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        // An integer node takes no float, even `1.0`: the full validator says what it makes of it.
        match serde_json::Number::from_f64(v) {
            Some(n) if matches!(inner(self.node), Node::Number(_)) => self.number(n),
            _ => Err(stop()),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.string(v, Some(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.string(v, None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Node::Array { items, min, max } = inner(self.node) else {
            return Err(stop());
        };
        let mut n = 0usize;
        while seq
            .next_element_seed(Walk {
                node: items,
                refs: &mut *self.refs,
            })?
            .is_some()
        {
            n += 1;
        }
        if n < *min || n > *max {
            return Err(stop());
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Node::Object(object) = inner(self.node) else {
            return Err(stop());
        };
        let mut seen = 0u64;
        while let Some(key) = map.next_key_seed(KeyIn(&object.props))? {
            match key {
                Some(i) => {
                    let bit = 1u64 << i;
                    if seen & bit != 0 {
                        return Err(stop()); // a repeated key: the `Value` keeps the last
                    }
                    seen |= bit;
                    map.next_value_seed(Walk {
                        node: &object.props[i].1,
                        refs: &mut *self.refs,
                    })?;
                }
                None => match &object.additional {
                    Additional::Denied => return Err(stop()),
                    Additional::Any => map.next_value_seed(Skip)?,
                    Additional::Schema(node) => map.next_value_seed(Walk {
                        node,
                        refs: &mut *self.refs,
                    })?,
                },
            }
        }
        if seen & object.required != object.required {
            return Err(stop());
        }
        Ok(())
    }
}

/// String equality for short names: most names differ in length or first byte, which is checked
/// before calling out to compare the rest.
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// A map key looked up among an object node's properties: its index, or `None` for another name.
struct KeyIn<'a>(&'a [(Box<str>, Node)]);

impl<'de> DeserializeSeed<'de> for KeyIn<'_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIn<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        if private_key(v) {
            return Err(stop());
        }
        Ok(self.0.iter().position(|(name, _)| same(name, v)))
    }
}

/// A map key looked up among fixed names: its index, or `None` for another name.
struct NameIn<'a>(&'a [&'a str]);

impl<'de> DeserializeSeed<'de> for NameIn<'_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameIn<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| same(name, v)))
    }
}

/// A string kept, a map key or a value (borrowed from the text unless it had escapes); anything
/// but a string stops the walk.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// The envelope, walked by hand after `schemas/envelope.json` (see the test that pins it).
struct Envelope<'a, 'de> {
    validator: &'a Validator,
    body: &'a mut Body<'de>,
}

/// What the walk of a body keeps for the rules across members.
#[derive(Default)]
struct Body<'de> {
    /// `timestamp` and `expiryTime`: as written, and the instant.
    timestamp: Option<(Cow<'de, str>, jiff::Timestamp)>,
    expiry: Option<(Cow<'de, str>, jiff::Timestamp)>,
    event: Option<&'static EventMeta>,
    /// The event (name and payload, each once) was walked to its end: the payload holds to its
    /// schema (unless the envelope repeats `event`, which clears it).
    payload_holds: bool,
    /// The walk stopped inside `event` (its name, or its payload: `payload_broken`).
    stopped_in_event: bool,
    payload_broken: bool,
    /// The walk stopped at an event name the catalogue does not have.
    unknown_event: bool,
    refs: Refs<'de>,
    /// Each entry's locale, in order.
    locales: Vec<Cow<'de, str>>,
    /// Every entry's keys other than `locale`: (entry, key).
    keys: Vec<(usize, Cow<'de, str>)>,
}

/// The envelope's members, in the order [`Envelope`] numbers them.
const MEMBERS: [&str; 6] = [
    "timestamp",
    "referenceId",
    "expiryTime",
    "event",
    "localizedAttributes",
    "relevantAudience",
];

impl<'de> DeserializeSeed<'de> for Envelope<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Envelope<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a request body")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Envelope { validator, body } = self;
        let mut seen = 0u8;
        while let Some(key) = map.next_key_seed(NameIn(&MEMBERS))? {
            let Some(i) = key else { return Err(stop()) };
            if seen & (1 << i) != 0 {
                // A repeated member: the value keeps the last, which the walk has not checked.
                body.payload_holds = false;
                return Err(stop());
            }
            seen |= 1 << i;
            match i {
                0 | 2 => {
                    let text = map.next_value_seed(Text)?;
                    let instant = DateTime::instant(&text).map_err(|_| stop())?;
                    *(if i == 0 { &mut body.timestamp } else { &mut body.expiry }) = Some((text, instant));
                }
                1 => {
                    let id = map.next_value_seed(Text)?;
                    let ok = (1..=100).contains(&id.len())
                        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'~' || b == b'-');
                    if !ok {
                        return Err(stop());
                    }
                }
                3 => {
                    let walked = map.next_value_seed(Event {
                        validator,
                        body: &mut *body,
                    });
                    body.stopped_in_event = walked.is_err();
                    walked?
                }
                4 => map.next_value_seed(Entries(&mut *body))?,
                _ => map.next_value_seed(Audience)?,
            }
        }
        if seen != 0b11_1111 {
            return Err(stop());
        }
        Ok(())
    }
}

/// `event`: `name` first, then `payload` walked with that event's schema.
struct Event<'a, 'de> {
    validator: &'a Validator,
    body: &'a mut Body<'de>,
}

impl<'de> DeserializeSeed<'de> for Event<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Event<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an event")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Event { validator, body } = self;
        let mut payload = None;
        while let Some(key) = map.next_key_seed(NameIn(&["name", "payload"]))? {
            match key {
                Some(0) if body.event.is_none() => {
                    let name = map.next_value_seed(Text)?;
                    let Some((meta, _, _, proof)) = validator.events.get(&*name) else {
                        body.unknown_event = true;
                        return Err(stop());
                    };
                    body.event = Some(*meta);
                    payload = Some(proof);
                }
                // The payload after the name (else the full validator takes the body).
                Some(1) => match payload.take() {
                    Some(node @ Node::Object(_)) => {
                        let walked = map.next_value_seed(Walk {
                            node,
                            refs: &mut body.refs,
                        });
                        body.payload_broken = walked.is_err();
                        walked?
                    }
                    _ => return Err(stop()),
                },
                _ => return Err(stop()),
            }
        }
        // Both members, each once: the name set the event, and the payload consumed its node.
        if body.event.is_none() || payload.is_some() {
            return Err(stop());
        }
        body.payload_holds = true;
        Ok(())
    }
}

/// `localizedAttributes`: an array of entries, each an object of strings with a `locale`.
struct Entries<'a, 'de>(&'a mut Body<'de>);

impl<'de> DeserializeSeed<'de> for Entries<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("localized attributes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let body = self.0;
        while seq
            .next_element_seed(Entry {
                index: body.locales.len(),
                body: &mut *body,
            })?
            .is_some()
        {}
        Ok(())
    }
}

struct Entry<'a, 'de> {
    index: usize,
    body: &'a mut Body<'de>,
}

impl<'de> DeserializeSeed<'de> for Entry<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Entry<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a localized attributes entry")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut locale = None;
        while let Some(key) = map.next_key_seed(Text)? {
            if private_key(&key) {
                return Err(stop());
            }
            let value = map.next_value_seed(Text)?;
            if key == "locale" {
                if locale.replace(value).is_some() {
                    return Err(stop());
                }
            } else {
                self.body.keys.push((self.index, key));
            }
        }
        self.body.locales.push(locale.ok_or_else(stop)?);
        Ok(())
    }
}

/// `relevantAudience`: `Multicast` with `{}`, or `Unicast` with `{"user": "<non-empty>"}`.
struct Audience;

impl<'de> DeserializeSeed<'de> for Audience {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Audience {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an audience")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut unicast, mut payload) = (None, None);
        while let Some(key) = map.next_key_seed(NameIn(&["type", "payload"]))? {
            match key {
                Some(0) if unicast.is_none() => {
                    unicast = Some(match &*map.next_value_seed(Text)? {
                        "Unicast" => true,
                        "Multicast" => false,
                        _ => return Err(stop()),
                    });
                }
                Some(1) if payload.is_none() => payload = Some(map.next_value_seed(AudiencePayload)?),
                _ => return Err(stop()),
            }
        }
        match (unicast, payload) {
            (Some(false), Some((0, _))) | (Some(true), Some((1, true))) => Ok(()),
            _ => Err(stop()),
        }
    }
}

/// An audience's payload: how many members, and whether one is a non-empty `user` string.
struct AudiencePayload;

impl<'de> DeserializeSeed<'de> for AudiencePayload {
    type Value = (usize, bool);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(usize, bool), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AudiencePayload {
    type Value = (usize, bool);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an audience payload")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(usize, bool), A::Error> {
        let (mut members, mut user) = (0usize, false);
        while let Some(key) = map.next_key_seed(NameIn(&["user"]))? {
            members += 1;
            match key {
                Some(_) => user = !map.next_value_seed(Text)?.is_empty(),
                None => map.next_value_seed(Skip)?,
            }
        }
        Ok((members, user))
    }
}

/// What the proof found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Proof {
    /// Valid, with nothing to warn about.
    Valid,
    /// The walk met nothing wrong to the end: the envelope and the payload hold to their schemas
    /// (the JSON Schema checks would find nothing), but a rule across members may not hold.
    SchemasHold,
    /// Not proven, but the event's payload holds to its schema: the walk stopped after it.
    PayloadHolds,
    /// Not proven: the walk stopped inside `event` (the payload when `payload_broken`), so the
    /// rest of the envelope is likely fine.
    StoppedInEvent { payload_broken: bool },
    /// Not proven: the walk stopped elsewhere in the envelope (likely broken there).
    Unknown,
}

/// [`Validator::proves_valid`]: the walk, then the rules across members.
pub(super) fn prove(validator: &Validator, body: &str, now: Option<jiff::Timestamp>) -> Proof {
    let (proof, mut kept) = walk(validator, body);
    match proof {
        Proof::SchemasHold if kept.holds(now) => Proof::Valid,
        proof => proof,
    }
}

/// What the text path learns before (or instead of) parsing a value.
pub(super) enum Checked<'de> {
    /// Valid, nothing to warn about.
    Valid,
    /// The full report, made from the text: the schemas hold and only rules across members
    /// whose findings need no value failed (the expiry window, the locales; every entry defines
    /// exactly the referenced keys).
    Report(Report),
    /// Not proven: what the walk learnt, for the full check.
    Hints(Hints<'de>),
}

/// What a walk that proved nothing learnt.
pub(super) struct Hints<'de> {
    /// Of the schemas.
    pub(super) proof: Proof,
    /// When it walked the payload to its end: every localized reference there (a key per
    /// reference).
    pub(super) refs: Option<Vec<Cow<'de, str>>>,
    /// It stopped at an event name the catalogue does not have (unless the event repeats its
    /// name, the report never looks at the payload).
    pub(super) unknown_event: bool,
}

/// [`Validator::validate_str`]'s first step: [`prove`], and when only the expiry window or the
/// locales fail, their report (the same calls of the same rules as the check of a value).
pub(super) fn check<'de>(validator: &Validator, body: &'de str, now: Option<jiff::Timestamp>) -> Checked<'de> {
    let (proof, mut kept) = walk(validator, body);
    if proof == Proof::SchemasHold {
        if kept.holds(now) {
            return Checked::Valid;
        }
        if let Some(report) = kept.report(now) {
            return Checked::Report(report);
        }
    }
    Checked::Hints(Hints {
        proof,
        unknown_event: kept.unknown_event,
        refs: kept.payload_holds.then_some(kept.refs),
    })
}

/// The walk over the text: what it proved, and what it kept for the rules across members
/// (`SchemasHold`: walked to the end, the rules not yet asked).
fn walk<'de>(validator: &Validator, body: &'de str) -> (Proof, Body<'de>) {
    // Room for an ordinary body's keys and locales up front: one allocation each, no regrowth.
    let mut kept = Body {
        locales: Vec::with_capacity(4),
        keys: Vec::with_capacity(16),
        ..Body::default()
    };
    let mut de = serde_json::Deserializer::from_str(body);
    let walked = Envelope {
        validator,
        body: &mut kept,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    let proof = match walked {
        Ok(()) => Proof::SchemasHold,
        Err(_) if kept.payload_holds => Proof::PayloadHolds,
        Err(_) if kept.stopped_in_event => Proof::StoppedInEvent {
            payload_broken: kept.payload_broken,
        },
        Err(_) => Proof::Unknown,
    };
    (proof, kept)
}

impl Body<'_> {
    /// The rules across members: the expiry window, locales, and localized keys both ways.
    fn holds(&mut self, now: Option<jiff::Timestamp>) -> bool {
        let (Some((_, start)), Some((_, end)), Some(meta)) = (&self.timestamp, &self.expiry, self.event) else {
            return false;
        };
        let (start, end) = (*start, *end);
        let gap = end.duration_since(start);
        if gap < jiff::SignedDuration::from_mins(5) || gap > jiff::SignedDuration::from_hours(24) {
            return false;
        }
        if now.is_some_and(|now| end <= now) {
            return false;
        }
        for (i, locale) in self.locales.iter().enumerate() {
            if !is_alexa_locale(locale)
                || self.locales[..i].contains(locale)
                || meta.locales.is_some_and(|supported| !supported.contains(&&**locale))
            {
                return false;
            }
        }
        self.keys_exact()
    }

    /// Every entry defines exactly the referenced keys, each once (with no entry, nothing is
    /// referenced).
    fn keys_exact(&mut self) -> bool {
        if self.locales.is_empty() {
            return self.refs.is_empty();
        }
        self.refs.sort_unstable();
        self.refs.dedup();
        self.keys.sort_unstable();
        if self.keys.windows(2).any(|w| w[0] == w[1]) {
            return false;
        }
        if self.keys.len() != self.refs.len() * self.locales.len() {
            return false;
        }
        self.keys.iter().all(|(_, key)| self.refs.binary_search(key).is_ok())
    }

    /// The report of a body whose schemas hold, when the localized keys are exact: the expiry
    /// window's finding and each entry's locale's, by the same calls, in the same order, as
    /// [`Validator::check`](super::Validator) makes on the value (its schemas hold, the payload
    /// has no finding of its own), then the send-time rule. `None` when the keys are not exact
    /// (their findings point into the payload: the full check finds those).
    fn report(&mut self, now: Option<jiff::Timestamp>) -> Option<Report> {
        if !self.keys_exact() {
            return None;
        }
        let (Some((timestamp, start)), Some((expiry, end)), Some(meta)) = (&self.timestamp, &self.expiry, self.event)
        else {
            return None;
        };
        let mut found = Found::new();
        rules::window((timestamp, *start), (expiry, *end), &mut found);
        let mut seen = Vec::with_capacity(self.locales.len());
        for (i, locale) in self.locales.iter().enumerate() {
            rules::entry_locale(i, locale, &mut seen, Some(meta), &mut found);
        }
        if now.is_some_and(|now| *end <= now) {
            found.error("/expiryTime", || EXPIRY_PASSED.to_owned());
        }
        Some(found.into_report())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::validate::{validator, Report, ENVELOPE_SCHEMA};

    const WEATHER: &str = include_str!("../../requests/AMAZON.WeatherAlert.Activated.json");

    /// The envelope walk was written for this schema: a change to `schemas/envelope.json` fails
    /// here until the walk (`Envelope`, `Event`, `Entries`, `Audience`) is brought along.
    #[test]
    fn the_envelope_walk_matches_the_envelope_schema() {
        let schema: serde_json::Value = serde_json::from_str(ENVELOPE_SCHEMA).unwrap();
        let properties = &schema["properties"];
        assert_eq!(
            schema["required"],
            json!([
                "timestamp",
                "referenceId",
                "expiryTime",
                "event",
                "localizedAttributes",
                "relevantAudience"
            ])
        );
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(properties["timestamp"]["format"], "date-time");
        assert_eq!(properties["expiryTime"]["format"], "date-time");
        assert_eq!(properties["referenceId"]["pattern"], "^[A-Za-z0-9~-]{1,100}$");
        let strip = |mut v: serde_json::Value| {
            strip_annotations(&mut v);
            v
        };
        assert_eq!(
            strip(properties.clone()),
            json!({
                "timestamp": {"type": "string", "format": "date-time"},
                "referenceId": {"type": "string", "pattern": "^[A-Za-z0-9~-]{1,100}$"},
                "expiryTime": {"type": "string", "format": "date-time"},
                "event": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "payload": {"type": "object"}},
                    "required": ["name", "payload"],
                    "additionalProperties": false
                },
                "localizedAttributes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"locale": {"type": "string"}},
                        "required": ["locale"],
                        "additionalProperties": {"type": "string"}
                    }
                },
                "relevantAudience": {
                    "type": "object",
                    "properties": {"type": {"enum": ["Multicast", "Unicast"]}, "payload": {"type": "object"}},
                    "required": ["type", "payload"],
                    "additionalProperties": false,
                    "if": {"properties": {"type": {"const": "Unicast"}}},
                    "then": {"properties": {"payload": {
                        "properties": {"user": {"type": "string", "minLength": 1}},
                        "required": ["user"],
                        "additionalProperties": false
                    }}},
                    "else": {"properties": {"payload": {"maxProperties": 0}}}
                }
            })
        );
    }

    fn strip_annotations(v: &mut serde_json::Value) {
        if let serde_json::Value::Object(map) = v {
            map.remove("description");
            map.values_mut().for_each(strip_annotations);
        }
    }

    #[test]
    fn every_example_request_is_proven() {
        for meta in crate::EVENTS {
            let path = format!("{}/requests/{}.json", env!("CARGO_MANIFEST_DIR"), meta.name);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(validator().proves_valid(&text, None), "{path}");
            // As the typed request writes itself, too (its `name` before its `payload`).
            let typed: crate::Request = serde_json::from_str(&text).unwrap();
            let written = serde_json::to_string(&typed).unwrap();
            assert!(validator().proves_valid(&written, None), "{written}");
        }
    }

    /// Text whose proof fails must still get the full report, the same as the parsed value's.
    fn same_as_value(text: &str) -> Report {
        let by_text = validator().validate_str(text).unwrap();
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(by_text, validator().validate(&value), "{text}");
        by_text
    }

    #[test]
    fn what_the_proof_leaves_to_the_full_validator() {
        let body: serde_json::Value = serde_json::from_str(WEATHER).unwrap();
        let edit = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut b = body.clone();
            f(&mut b);
            b.to_string()
        };
        let not_proven_but_valid = [
            // The payload before the name: valid, left to the full validator.
            WEATHER.replacen(
                r#""name": "AMAZON.WeatherAlert.Activated",
    "payload": {
      "weatherAlert": {
        "source": "localizedattribute:source",
        "alertType": "TORNADO"
      }
    }"#,
                r#""payload": {"weatherAlert": {"source": "localizedattribute:source", "alertType": "TORNADO"}},
    "name": "AMAZON.WeatherAlert.Activated""#,
                1,
            ),
            // A repeated key: the value keeps the last.
            WEATHER.replacen(
                r#""alertType": "TORNADO""#,
                r#""alertType": "HAIL", "alertType": "TORNADO""#,
                1,
            ),
        ];
        for text in &not_proven_but_valid {
            assert_ne!(text, WEATHER);
            assert!(!validator().proves_valid(text, None), "{text}");
            assert_eq!(same_as_value(text), Report::default(), "{text}");
        }
        // Valid with a warning (a key no payload value references): a proof is of an empty report.
        let warned = edit(&|b| b["localizedAttributes"][0]["extra"] = json!("x"));
        assert!(!validator().proves_valid(&warned, None));
        let report = same_as_value(&warned);
        assert!(report.is_valid() && report.warnings.len() == 1, "{report}");
        let invalid = [
            edit(&|b| b["event"]["payload"]["weatherAlert"]["alertType"] = json!("TORNADOES")),
            edit(&|b| b["event"]["payload"]["weatherAlert"]["extra"] = json!(1)),
            edit(&|b| b["event"]["name"] = json!("AMAZON.WeatherAlert.Activate")),
            edit(&|b| b["expiryTime"] = json!("2026-11-20T10:01:00Z")),
            edit(&|b| b["expiryTime"] = json!("2026-11-22T10:00:00Z")),
            edit(&|b| b["referenceId"] = json!("a/b")),
            edit(&|b| b["localizedAttributes"][1]["locale"] = json!("en-US")),
            edit(&|b| b["localizedAttributes"][1]["locale"] = json!("de-AT")),
            edit(&|b| {
                b["localizedAttributes"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("source")
                    .map(drop)
                    .unwrap()
            }),
            edit(&|b| b["localizedAttributes"] = json!([])),
            edit(&|b| b["event"]["payload"]["weatherAlert"]["source"] = json!("localizedattribute:")),
            edit(&|b| b["relevantAudience"] = json!({"type": "Unicast", "payload": {}})),
            edit(&|b| b["relevantAudience"] = json!({"type": "Unicast", "payload": {"user": ""}})),
            edit(&|b| b["relevantAudience"] = json!({"type": "Multicast", "payload": {"user": "u"}})),
            edit(&|b| b["timestamp"] = json!("2026-11-20 10:00:00Z")),
            edit(&|b| b.as_object_mut().unwrap().remove("relevantAudience").map(drop).unwrap()),
        ];
        for text in &invalid {
            assert!(!validator().proves_valid(text, None), "{text}");
            assert!(!same_as_value(text).is_valid(), "{text}");
        }
        // Unicast to a user is proven; so is an escaped string.
        for text in [
            edit(&|b| b["relevantAudience"] = json!({"type": "Unicast", "payload": {"user": "amzn1.ask.account.X"}})),
            WEATHER.replacen("Example Weather Corp", "Example \\\"Weather\\\" Corp", 1),
        ] {
            assert!(validator().proves_valid(&text, None), "{text}");
            assert!(same_as_value(&text).is_valid());
        }
    }

    /// Bodies whose schemas hold and whose findings are the expiry window's or the locales' are
    /// reported from the walk: the same report as the value's, with and without `now`.
    #[test]
    fn window_and_locale_findings_are_reported_from_the_text_alike() {
        let body: serde_json::Value = serde_json::from_str(WEATHER).unwrap();
        let edit = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut b = body.clone();
            f(&mut b);
            b.to_string()
        };
        let from_text = [
            edit(&|b| b["expiryTime"] = json!("2026-11-20T09:00:00Z")),
            edit(&|b| b["expiryTime"] = json!("2026-11-20T10:01:00Z")),
            edit(&|b| b["expiryTime"] = json!("2026-11-22T10:00:00Z")),
            edit(&|b| b["localizedAttributes"][1]["locale"] = json!("en-us")),
            edit(&|b| b["localizedAttributes"][1]["locale"] = json!("en-US")),
            edit(&|b| {
                b["expiryTime"] = json!("2026-11-20T10:00:00Z");
                b["localizedAttributes"][0]["locale"] = json!("english");
                b["localizedAttributes"][1]["locale"] = json!("english");
            }),
        ];
        let later: jiff::Timestamp = "2026-11-25T00:00:00Z".parse().unwrap();
        for text in &from_text {
            assert!(
                matches!(super::check(validator(), text, None), super::Checked::Report(_)),
                "{text}"
            );
            assert!(!same_as_value(text).is_valid(), "{text}");
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                validator().validate_str_for_sending(text, later).unwrap(),
                validator().validate_for_sending(&value, later),
                "{text}"
            );
        }
        // A locale the event does not support is a warning, also from the text.
        let meta = crate::EVENTS
            .iter()
            .find(|m| m.name == "AMAZON.OrderStatus.Updated")
            .unwrap();
        let supported = meta.locales.expect("OrderStatus is not sold in every locale");
        let locale = proactive_spec::ALEXA_LOCALES
            .iter()
            .find(|l| !supported.contains(l))
            .unwrap();
        let mut order: serde_json::Value =
            serde_json::from_str(include_str!("../../requests/AMAZON.OrderStatus.Updated.json")).unwrap();
        order["localizedAttributes"][0]["locale"] = json!(locale);
        let text = order.to_string();
        assert!(matches!(
            super::check(validator(), &text, None),
            super::Checked::Report(_)
        ));
        let report = same_as_value(&text);
        assert!(report.is_valid() && report.warnings.len() == 1, "{report}");
        // Keys that are not exact point into the payload: left to the full check.
        let inexact = edit(&|b| {
            b["expiryTime"] = json!("2026-11-20T09:00:00Z");
            b["localizedAttributes"][0].as_object_mut().unwrap().remove("source");
        });
        assert!(matches!(
            super::check(validator(), &inexact, None),
            super::Checked::Hints(super::Hints {
                proof: super::Proof::SchemasHold,
                refs: Some(_),
                ..
            })
        ));
        assert!(same_as_value(&inexact).errors.len() >= 2);
    }

    /// A broken envelope around a payload that holds: reported from a value without the payload
    /// when the localized keys are exact, from the whole value when a finding points into the
    /// payload; the same report as the value's either way.
    #[test]
    fn a_payload_that_holds_is_parsed_only_when_a_finding_points_into_it() {
        let body: serde_json::Value = serde_json::from_str(WEATHER).unwrap();
        let edit = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut b = body.clone();
            b["referenceId"] = json!("not/valid");
            f(&mut b);
            b.to_string()
        };
        let later: jiff::Timestamp = "2026-11-25T00:00:00Z".parse().unwrap();
        for text in [
            edit(&|_| {}),
            edit(&|b| b["expiryTime"] = json!("2026-11-20T09:00:00Z")),
            edit(&|b| b["localizedAttributes"][1]["locale"] = json!("en-US")),
            // A key an entry lacks, one too many, references with no entry at all.
            edit(&|b| drop(b["localizedAttributes"][0].as_object_mut().unwrap().remove("source"))),
            edit(&|b| b["localizedAttributes"][1]["other"] = json!("x")),
            edit(&|b| b["localizedAttributes"] = json!([])),
            edit(&|b| b["localizedAttributes"] = json!({})),
        ] {
            assert!(matches!(
                super::check(validator(), &text, None),
                super::Checked::Hints(super::Hints {
                    proof: super::Proof::PayloadHolds,
                    refs: Some(_),
                    ..
                })
            ));
            let report = same_as_value(&text);
            assert!(report.errors.iter().any(|e| e.pointer == "/referenceId"), "{report}");
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                validator().validate_str_for_sending(&text, later).unwrap(),
                validator().validate_for_sending(&value, later),
                "{text}"
            );
        }
    }

    /// A repeated `event` the walk never reached (it stopped before): the payload it walked is
    /// not the one the value keeps, so the last one is checked in full.
    #[test]
    fn a_repeated_event_past_the_walk_is_checked_in_full() {
        let body: serde_json::Value = serde_json::from_str(WEATHER).unwrap();
        let event = body["event"].to_string();
        let broken = event.replacen("TORNADO", "NOPE", 1);
        assert_ne!(broken, event);
        let mut rest = body.clone();
        rest.as_object_mut().unwrap().remove("event");
        let rest = rest.to_string();
        let rest = &rest[1..rest.len() - 1];
        for text in [
            format!(r#"{{"event":{event},"x":1,"event":{broken},{rest}}}"#),
            format!(r#"{{"event":{event},"referenceId":"a/b","event":{broken},{rest}}}"#),
            format!(
                r#"{{"event":{event},"x":1,"event":{{"name":"AMAZON.WeatherAlert.Activated","payload":{{"a":1e999}}}},{rest}}}"#
            ),
        ] {
            let whole = serde_json::from_str::<serde_json::Value>(&text);
            match validator().validate_str(&text) {
                Ok(report) => {
                    let expected = validator().validate(&whole.unwrap());
                    assert!(
                        expected.errors.iter().any(|e| e.pointer.ends_with("/alertType")),
                        "{expected}"
                    );
                    assert_eq!(report, expected, "{text}");
                }
                Err(e) => assert_eq!(e.to_string(), whole.unwrap_err().to_string(), "{text}"),
            }
        }
    }

    /// A key `serde_json` may read its own way (its `raw_value` or `arbitrary_precision`
    /// feature, turned on anywhere in a build) is never vouched for: the body goes the full way.
    #[test]
    fn serde_jsons_private_keys_are_not_vouched_for() {
        let body: serde_json::Value = serde_json::from_str(WEATHER).unwrap();
        let mut entry = body.clone();
        let first = entry["localizedAttributes"][0].as_object_mut().unwrap();
        let mut keyed = serde_json::Map::new();
        keyed.insert("$serde_json::private::RawValue".into(), json!("{}"));
        keyed.extend(std::mem::take(first));
        *first = keyed;
        let text = entry.to_string();
        assert!(text.contains(r#"[{"$serde_json::private::RawValue""#), "{text}");
        assert!(matches!(
            super::check(validator(), &text, None),
            super::Checked::Hints(_)
        ));
        // An unknown event, then the event again spelled through the private key: with the
        // feature on, `serde_json` reads the second as the event its string spells.
        let event = serde_json::to_string(&body["event"].to_string()).unwrap();
        let mut rest = body.clone();
        rest.as_object_mut().unwrap().remove("event");
        let rest = rest.to_string();
        let spelled = format!(
            r#"{{"event":{{"name":"Bogus","payload":{{}}}},"event":{{"$serde_json::private::RawValue":{event}}},{}"#,
            &rest[1..]
        );
        // A walked event, the walk stopped (a broken reference id), then the event again, spelled
        // through the key, with a broken payload: nothing may be assumed of the payload.
        let broken = serde_json::to_string(&body["event"].to_string().replacen("TORNADO", "NOPE", 1)).unwrap();
        let again = format!(
            r#"{{"event":{},"referenceId":"a/b","event":{{"$serde_json::private::RawValue":{broken}}},{}"#,
            body["event"],
            &rest[1..].replacen(r#""referenceId""#, r#""x""#, 1)
        );
        assert!(again.contains("NOPE") && again.contains(r#""x":"#), "{again}");
        // With the feature on (as in this workspace's full build: axum turns `raw_value` on),
        // `serde_json` reads these its own way; off, they are ordinary keys. Either way alike.
        for text in [text, spelled, again] {
            let whole = serde_json::from_str::<serde_json::Value>(&text);
            match validator().validate_str(&text) {
                Ok(report) => assert_eq!(report, validator().validate(&whole.unwrap()), "{text}"),
                Err(e) => assert_eq!(e.to_string(), whole.unwrap_err().to_string(), "{text}"),
            }
        }
    }

    /// The proof's skip counts nesting as a `Value`'s parse does: what it walks, parses.
    #[test]
    fn skipping_counts_nesting_like_parsing() {
        use serde::de::DeserializeSeed;
        for n in 120..135 {
            let text = format!("{}{}", "[".repeat(n), "]".repeat(n));
            let skipped = super::Skip.deserialize(&mut serde_json::Deserializer::from_str(&text));
            assert_eq!(
                skipped.is_ok(),
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "{n}"
            );
        }
    }

    /// An unknown event's payload is not parsed into the value, but counted against the nesting
    /// limit; a repeated name that ends known gets its payload checked.
    #[test]
    fn an_unknown_events_payload_is_left_as_text() {
        let body: serde_json::Value = serde_json::from_str(WEATHER).unwrap();
        let mut unknown = body.clone();
        unknown["event"]["name"] = json!("AMAZON.WeatherAlert.Activate");
        let text = unknown.to_string();
        assert!(matches!(
            super::check(validator(), &text, None),
            super::Checked::Hints(super::Hints {
                unknown_event: true,
                ..
            })
        ));
        let report = same_as_value(&text);
        assert_eq!(report.errors[0].pointer, "/event/name", "{report}");
        assert_eq!(
            report.errors[0].suggestion.as_deref(),
            Some("AMAZON.WeatherAlert.Activated")
        );

        let deep = |n: usize| {
            let payload = format!("{}{}", "[".repeat(n), "]".repeat(n));
            text.replacen(r#""payload":{"#, &format!(r#""payload":{{"deep":{payload},"#), 1)
        };
        // Text serde_json refuses inside the payload (too deep, a number out of range, a lone
        // surrogate, in a repeated payload, or in a payload that is no object): refused alike.
        let mut bodies: Vec<String> = [100, 123, 124, 125, 200].into_iter().map(deep).collect();
        let array = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        for payload in [
            r#"{"a":1e999}"#.to_owned(),
            r#"{"a":"\udc00"}"#.to_owned(),
            r#"{"\udc00":1}"#.to_owned(),
            format!(r#"{{"a":{}}},"payload":{{}}"#, array(200)),
            array(125),
            array(126),
        ] {
            bodies.push(text.replacen(r#""payload":{"#, &format!(r#""payload":{payload},"x":{{"#), 1));
        }
        let mut refused = 0;
        for body in &bodies {
            assert_ne!(body, &text);
            let whole = serde_json::from_str::<serde_json::Value>(body);
            refused += usize::from(whole.is_err());
            match validator().validate_str(body) {
                Ok(report) => assert_eq!(report, validator().validate(&whole.unwrap()), "{body}"),
                Err(e) => assert_eq!(e.to_string(), whole.unwrap_err().to_string(), "{body}"),
            }
        }
        assert!(refused >= 7, "{refused}");

        let renamed = WEATHER.replacen(
            r#""name": "AMAZON.WeatherAlert.Activated","#,
            r#""name": "Bogus", "name": "AMAZON.WeatherAlert.Activated","#,
            1,
        );
        let renamed = renamed.replacen("TORNADO", "TORNADOES", 1);
        assert!(renamed.contains("Bogus") && renamed.contains("TORNADOES"));
        assert!(matches!(
            super::check(validator(), &renamed, None),
            super::Checked::Hints(super::Hints {
                unknown_event: true,
                ..
            })
        ));
        let report = same_as_value(&renamed);
        assert!(
            report.errors.iter().any(|e| e.pointer.ends_with("/alertType")),
            "{report}"
        );
    }

    #[test]
    fn for_sending_the_expiry_must_lie_ahead() {
        let before: jiff::Timestamp = "2026-11-20T10:00:00Z".parse().unwrap();
        let after: jiff::Timestamp = "2026-11-21T10:00:00Z".parse().unwrap();
        assert!(validator().proves_valid(WEATHER, Some(before)));
        assert!(!validator().proves_valid(WEATHER, Some(after)));
        let report = validator().validate_str_for_sending(WEATHER, after).unwrap();
        assert_eq!(report.errors[0].pointer, "/expiryTime");
    }
}

//! Structure-aware mutations of the example requests, for `validate_structured`.
//!
//! (Over 600 lines on purpose: one table of mutations and the edge values they draw from, kept in
//! one file so that a new edge case is added next to its kind.)
//!
//! A [`Case`] picks one of the eight files in `examples/` and applies a short sequence of
//! [`Mutation`]s, each at a JSON pointer chosen among the pointers the document has at that moment.
//! The replacement values lean towards the edges the validator and the typed parse must agree on:
//! numbers at and beyond `i64`/`u64`, integral floats, date-times with 0–12 fractional digits,
//! years 0000 and 9999, offsets up to ±24:60, leap seconds, lowercase `t`/`z`, enum-like strings
//! in other cases, localized-attribute references, locales and audiences.

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use proactive_schemas::jiff::SignedDuration;
use proactive_schemas::{DateTime, ALEXA_LOCALES, EVENTS, LOCALIZED_PREFIX};
use serde_json::{Map, Value};

/// The example requests of `examples/`, embedded.
pub const EXAMPLES: [&str; 8] = [
    include_str!("../../examples/AMAZON.MediaContent.Available.json"),
    include_str!("../../examples/AMAZON.MessageAlert.Activated.json"),
    include_str!("../../examples/AMAZON.Occasion.Updated.json"),
    include_str!("../../examples/AMAZON.OrderStatus.Updated.json"),
    include_str!("../../examples/AMAZON.SocialGameInvite.Available.json"),
    include_str!("../../examples/AMAZON.SportsEvent.Updated.json"),
    include_str!("../../examples/AMAZON.TrashCollectionAlert.Activated.json"),
    include_str!("../../examples/AMAZON.WeatherAlert.Activated.json"),
];

/// At most this many mutations are applied per case.
const MAX_MUTATIONS: usize = 16;
/// Mutations that copy subtrees stop once the document has this many nodes.
const MAX_NODES: usize = 4_000;
/// A replacement value has at most this many nodes.
pub const MAX_VALUE_NODES: usize = 64;

/// One fuzz case: an example and the mutations to apply to it.
#[derive(Arbitrary, Debug)]
pub struct Case {
    /// Which example (modulo 8).
    pub example: u8,
    /// Applied in order (at most [`MAX_MUTATIONS`]).
    pub mutations: Vec<Mutation>,
}

impl Case {
    /// The mutated request body.
    pub fn build(&self) -> Value {
        let mut doc: Value =
            serde_json::from_str(EXAMPLES[self.example as usize % EXAMPLES.len()]).expect("examples are JSON");
        for m in self.mutations.iter().take(MAX_MUTATIONS) {
            m.apply(&mut doc);
        }
        doc
    }
}

/// A choice among the document's current JSON pointers (modulo their number, pre-order).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct At(u16);

/// One change to the document.
#[derive(Arbitrary, Debug)]
pub enum Mutation {
    /// Replace the value at a pointer.
    Replace { at: At, with: NewValue },
    /// Delete the member or item at a pointer.
    Delete { at: At },
    /// Add a (usually unknown) member to the object at a pointer.
    AddKey { at: At, key: Key, value: NewValue },
    /// Duplicate an item of the array at (or holding) a pointer.
    DuplicateItem { at: At },
    /// Copy the subtree at one pointer over the value at another.
    Copy { from: At, to: At },
    /// Change the locale of a `localizedAttributes` entry.
    Locale { entry: u8, locale: LocaleChoice },
    /// Change the keys of a `localizedAttributes` entry, or the entries themselves.
    Localized { entry: u8, op: LocalizedOp },
    /// Replace `relevantAudience`.
    Audience(Audience),
    /// Set `timestamp` and an `expiryTime` a chosen number of seconds later.
    Window { timestamp: DateTimeText, seconds: Seconds },
}

/// A replacement value.
#[derive(Arbitrary, Debug)]
pub enum NewValue {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// A number literal from [`NUMBERS`], parsed as serde_json parses it.
    Number(u8),
    Str(String),
    DateTime(DateTimeText),
    /// An enum value, event name or property name of the catalogue, possibly re-cased.
    EnumLike(u16, Casing),
    /// `"localizedattribute:<key>"`.
    Localized(Key),
    Locale(LocaleChoice),
    EmptyArray,
    EmptyObject,
    ArrayOf(Box<NewValue>, u8),
    ObjectOf(Key, Box<NewValue>),
}

/// Number literals at the edges of the integer and float ranges.
pub const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "1",
    "-1",
    "1.0",
    "2.0",
    "3.0",
    "1.5",
    "1e2",
    "1E+2",
    "1e-300",
    "5e-324",
    "1e300",
    "-1e300",
    "1.7976931348623157e308",
    "2147483648",
    "4294967296",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "9.223372036854775807e18",
    "18446744073709551615",
    "18446744073709551616",
    "100000000000000000000000000000",
];

/// A re-casing of a vocabulary word.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Casing {
    Same,
    Lower,
    Upper,
    TrailingSpace,
    LeadingSpace,
    Truncated,
    LocalizedRef,
}

/// A member name.
#[derive(Arbitrary, Debug)]
pub enum Key {
    /// A property name of the catalogue or the envelope.
    Known(u16),
    Any(String),
    Empty,
    Long,
    Dash,
}

/// A locale tag.
#[derive(Arbitrary, Debug)]
pub enum LocaleChoice {
    Alexa(u8),
    Lower(u8),
    Underscore(u8),
    Language(u8),
    Other(u8),
    Any(String),
}

const ODD_LOCALES: &[&str] = &[
    "",
    "en",
    "xx-XX",
    "en-US ",
    " en-US",
    "en-US-x-foo",
    "EN-us",
    "zh-CN",
    "de-AT",
    "und",
];

/// Changes to `localizedAttributes`.
#[derive(Arbitrary, Debug)]
pub enum LocalizedOp {
    RemoveKey(u8),
    AddKey(Key, String),
    RenameKey(u8, Key),
    SetValue(u8, NewValue),
    RemoveEntry,
    DuplicateEntry,
    AddEntry(LocaleChoice),
    ReplaceAll(NewValue),
}

/// A `relevantAudience`.
#[derive(Arbitrary, Debug)]
pub enum Audience {
    Multicast,
    Unicast(String),
    UnicastEmptyUser,
    UnicastNoUser,
    UnicastExtraMember(String),
    MulticastWithUser(String),
    TypeOnly(LocaleChoice),
    Type(NewValue),
    Payload(NewValue),
}

/// A number of seconds for the expiry window, biased to its bounds (5 minutes, 24 hours).
#[derive(Arbitrary, Debug)]
pub enum Seconds {
    Edge(u8),
    Any(i32),
    Nanos(i64),
}

const WINDOW_EDGES: &[i64] = &[-1, 0, 1, 299, 300, 301, 3_600, 86_399, 86_400, 86_401, 172_800];

/// A date-time text: mostly well-formed, with every field able to leave its range.
#[derive(Arbitrary, Debug)]
pub struct DateTimeText {
    year: Year,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    fraction_digits: u8,
    fraction: u64,
    lowercase_t: bool,
    zone: Zone,
}

#[derive(Arbitrary, Debug)]
enum Year {
    Y0000,
    Y0001,
    Y1970,
    Y2026,
    Y9999,
    Any(u16),
}

#[derive(Arbitrary, Debug)]
enum Zone {
    Z,
    LowerZ,
    Offset { negative: bool, hours: u8, minutes: u8 },
    Missing,
    Compact,
    Any(String),
}

/// Mostly in `1..=max`, sometimes `0..=max+1`, occasionally anything up to 99.
fn field(raw: u8, max: u8) -> u8 {
    match raw >> 6 {
        0 | 1 => 1 + raw % max,
        2 => raw % (max + 2),
        _ => raw % 100,
    }
}

impl DateTimeText {
    /// The text.
    pub fn text(&self) -> String {
        let year = match self.year {
            Year::Y0000 => 0,
            Year::Y0001 => 1,
            Year::Y1970 => 1970,
            Year::Y2026 => 2026,
            Year::Y9999 => 9999,
            Year::Any(y) => y % 10_000,
        };
        let hour = field(self.hour, 24) - u8::from(self.hour >> 6 < 2);
        let minute = field(self.minute, 60) - u8::from(self.minute >> 6 < 2);
        // 23:59:60 (a leap second) is reachable through `second`.
        let second = field(self.second, 61) - u8::from(self.second >> 6 < 2);
        let mut s = format!(
            "{year:04}-{:02}-{:02}{}{hour:02}:{minute:02}:{second:02}",
            field(self.month, 12),
            field(self.day, 31),
            if self.lowercase_t { 't' } else { 'T' },
        );
        let digits = (self.fraction_digits % 13) as usize;
        if digits > 0 {
            let fraction = format!("{:020}", self.fraction);
            s.push('.');
            s.push_str(&fraction[20 - digits.min(20)..]);
        }
        match &self.zone {
            Zone::Z => s.push('Z'),
            Zone::LowerZ => s.push('z'),
            Zone::Offset {
                negative,
                hours,
                minutes,
            } => {
                let hours = [0, 1, 5, 14, 23, 24, 99][*hours as usize % 7];
                let minutes = [0, 30, 45, 59, 60, 99][*minutes as usize % 6];
                s.push_str(&format!("{}{hours:02}:{minutes:02}", if *negative { '-' } else { '+' }));
            }
            Zone::Missing => {}
            Zone::Compact => s.push_str("+0100"),
            Zone::Any(z) => s.push_str(z),
        }
        s
    }
}

/// The words of the catalogue: enum values, event names, property names, audience types.
struct Vocabulary {
    words: Vec<String>,
    keys: Vec<String>,
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        fn walk(v: &Value, words: &mut Vec<String>, keys: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    for (k, v) in m {
                        if k == "enum" {
                            if let Some(items) = v.as_array() {
                                words.extend(items.iter().filter_map(Value::as_str).map(str::to_owned));
                            }
                        }
                        if k == "properties" {
                            if let Some(props) = v.as_object() {
                                keys.extend(props.keys().cloned());
                            }
                        }
                        walk(v, words, keys);
                    }
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, words, keys)),
                _ => {}
            }
        }
        let mut words = vec!["Multicast".to_owned(), "Unicast".to_owned()];
        let mut keys: Vec<String> = [
            "timestamp",
            "referenceId",
            "expiryTime",
            "event",
            "name",
            "payload",
            "localizedAttributes",
            "relevantAudience",
            "locale",
            "type",
            "user",
        ]
        .map(str::to_owned)
        .to_vec();
        for meta in EVENTS {
            words.push(meta.name.to_owned());
            if let Ok(schema) = serde_json::from_str::<Value>(meta.schema) {
                walk(&schema, &mut words, &mut keys);
            }
        }
        words.sort();
        words.dedup();
        keys.sort();
        keys.dedup();
        Vocabulary { words, keys }
    })
}

impl Key {
    fn text(&self) -> String {
        match self {
            Key::Known(i) => {
                let keys = &vocabulary().keys;
                keys[*i as usize % keys.len()].clone()
            }
            Key::Any(s) => s.clone(),
            Key::Empty => String::new(),
            Key::Long => "k".repeat(300),
            Key::Dash => "a-b".to_owned(),
        }
    }
}

impl LocaleChoice {
    fn text(&self) -> String {
        let alexa = |i: &u8| ALEXA_LOCALES[*i as usize % ALEXA_LOCALES.len()];
        match self {
            LocaleChoice::Alexa(i) => alexa(i).to_owned(),
            LocaleChoice::Lower(i) => alexa(i).to_lowercase(),
            LocaleChoice::Underscore(i) => alexa(i).replace('-', "_"),
            LocaleChoice::Language(i) => alexa(i)[..2].to_owned(),
            LocaleChoice::Other(i) => ODD_LOCALES[*i as usize % ODD_LOCALES.len()].to_owned(),
            LocaleChoice::Any(s) => s.clone(),
        }
    }
}

impl NewValue {
    /// The JSON value (`Null` for a float JSON cannot hold), of at most [`MAX_VALUE_NODES`] nodes.
    pub fn value(&self) -> Value {
        let mut budget = MAX_VALUE_NODES;
        self.value_within(&mut budget)
    }

    fn value_within(&self, budget: &mut usize) -> Value {
        if *budget == 0 {
            return Value::Null;
        }
        *budget -= 1;
        match self {
            NewValue::Null => Value::Null,
            NewValue::Bool(b) => Value::Bool(*b),
            NewValue::Int(i) => Value::from(*i),
            NewValue::UInt(u) => Value::from(*u),
            NewValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            NewValue::Number(i) => serde_json::from_str(NUMBERS[*i as usize % NUMBERS.len()]).unwrap_or(Value::Null),
            NewValue::Str(s) => Value::String(s.clone()),
            NewValue::DateTime(d) => Value::String(d.text()),
            NewValue::EnumLike(i, casing) => {
                let words = &vocabulary().words;
                let w = &words[*i as usize % words.len()];
                Value::String(match casing {
                    Casing::Same => w.clone(),
                    Casing::Lower => w.to_lowercase(),
                    Casing::Upper => w.to_uppercase(),
                    Casing::TrailingSpace => format!("{w} "),
                    Casing::LeadingSpace => format!(" {w}"),
                    Casing::Truncated => w.chars().take(w.chars().count().saturating_sub(1)).collect(),
                    Casing::LocalizedRef => format!("{LOCALIZED_PREFIX}{w}"),
                })
            }
            NewValue::Localized(k) => Value::String(format!("{LOCALIZED_PREFIX}{}", k.text())),
            NewValue::Locale(l) => Value::String(l.text()),
            NewValue::EmptyArray => Value::Array(Vec::new()),
            NewValue::EmptyObject => Value::Object(Map::new()),
            // Each copy of the item spends from the budget, so nesting cannot multiply the size.
            NewValue::ArrayOf(v, n) => Value::Array(
                (0..*n % 8)
                    .map_while(|_| (*budget > 0).then(|| v.value_within(budget)))
                    .collect(),
            ),
            NewValue::ObjectOf(k, v) => {
                let mut m = Map::new();
                m.insert(k.text(), v.value_within(budget));
                Value::Object(m)
            }
        }
    }
}

/// Every JSON pointer of a document, pre-order (the root `""` first).
pub fn pointers(doc: &Value) -> Vec<String> {
    fn walk(v: &Value, at: &mut String, out: &mut Vec<String>) {
        out.push(at.clone());
        let len = at.len();
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    at.push('/');
                    at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    walk(v, at, out);
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push('/');
                    at.push_str(&i.to_string());
                    walk(v, at, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut String::new(), &mut out);
    out
}

fn pick(doc: &Value, at: At) -> String {
    let all = pointers(doc);
    all[at.0 as usize % all.len()].clone()
}

/// `(parent pointer, unescaped last token)`; `None` for the root.
fn split(pointer: &str) -> Option<(&str, String)> {
    let i = pointer.rfind('/')?;
    Some((&pointer[..i], pointer[i + 1..].replace("~1", "/").replace("~0", "~")))
}

fn localized_entries(doc: &mut Value) -> Option<&mut Vec<Value>> {
    doc.get_mut("localizedAttributes")?.as_array_mut()
}

impl Mutation {
    /// Applies the mutation; one that does not fit the document does nothing.
    pub fn apply(&self, doc: &mut Value) {
        match self {
            Mutation::Replace { at, with } => {
                let p = pick(doc, *at);
                if let Some(v) = doc.pointer_mut(&p) {
                    *v = with.value();
                }
            }
            Mutation::Delete { at } => {
                let p = pick(doc, *at);
                let Some((parent, token)) = split(&p) else { return };
                match doc.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.remove(&token);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = token.parse::<usize>() {
                            if i < items.len() {
                                items.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Mutation::AddKey { at, key, value } => {
                let p = pick(doc, *at);
                if let Some(Value::Object(m)) = doc.pointer_mut(&p) {
                    m.insert(key.text(), value.value());
                }
            }
            Mutation::DuplicateItem { at } => {
                if pointers(doc).len() > MAX_NODES {
                    return;
                }
                let p = pick(doc, *at);
                // The array at the pointer, or the array holding the value at the pointer.
                let (array, index) = match doc.pointer(&p) {
                    Some(Value::Array(_)) => (p.clone(), 0),
                    _ => match split(&p) {
                        Some((parent, token)) if matches!(doc.pointer(parent), Some(Value::Array(_))) => {
                            (parent.to_owned(), token.parse().unwrap_or(0))
                        }
                        _ => return,
                    },
                };
                if let Some(Value::Array(items)) = doc.pointer_mut(&array) {
                    if let Some(item) = items.get(index).cloned() {
                        items.insert(index, item);
                    }
                }
            }
            Mutation::Copy { from, to } => {
                if pointers(doc).len() > MAX_NODES {
                    return;
                }
                let (from, to) = (pick(doc, *from), pick(doc, *to));
                let Some(value) = doc.pointer(&from).cloned() else {
                    return;
                };
                if let Some(v) = doc.pointer_mut(&to) {
                    *v = value;
                }
            }
            Mutation::Locale { entry, locale } => {
                let Some(entries) = localized_entries(doc) else { return };
                let n = entries.len();
                if let Some(Value::Object(m)) = entries.get_mut((*entry as usize).checked_rem(n).unwrap_or(0)) {
                    m.insert("locale".into(), Value::String(locale.text()));
                }
            }
            Mutation::Localized { entry, op } => {
                let Some(entries) = localized_entries(doc) else { return };
                let n = entries.len();
                let i = (*entry as usize).checked_rem(n).unwrap_or(0);
                match op {
                    LocalizedOp::RemoveEntry if i < n => {
                        entries.remove(i);
                    }
                    LocalizedOp::DuplicateEntry if i < n => {
                        let e = entries[i].clone();
                        entries.insert(i, e);
                    }
                    LocalizedOp::AddEntry(locale) => {
                        let mut e = entries.get(i).cloned().unwrap_or_else(|| Value::Object(Map::new()));
                        if let Value::Object(m) = &mut e {
                            m.insert("locale".into(), Value::String(locale.text()));
                        }
                        entries.push(e);
                    }
                    LocalizedOp::ReplaceAll(v) => {
                        doc["localizedAttributes"] = v.value();
                    }
                    _ => {
                        let Some(Value::Object(m)) = entries.get_mut(i) else {
                            return;
                        };
                        let keys: Vec<String> = m.keys().filter(|k| *k != "locale").cloned().collect();
                        let nth = |j: &u8| keys.get((*j as usize).checked_rem(keys.len()).unwrap_or(0)).cloned();
                        match op {
                            LocalizedOp::RemoveKey(j) => {
                                if let Some(k) = nth(j) {
                                    m.remove(&k);
                                }
                            }
                            LocalizedOp::AddKey(k, text) => {
                                m.insert(k.text(), Value::String(text.clone()));
                            }
                            LocalizedOp::RenameKey(j, k) => {
                                if let Some(old) = nth(j) {
                                    if let Some(v) = m.remove(&old) {
                                        m.insert(k.text(), v);
                                    }
                                }
                            }
                            LocalizedOp::SetValue(j, v) => {
                                if let Some(k) = nth(j) {
                                    m.insert(k, v.value());
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            Mutation::Audience(a) => {
                let audience = match a {
                    Audience::Multicast => serde_json::json!({"type": "Multicast", "payload": {}}),
                    Audience::Unicast(user) => serde_json::json!({"type": "Unicast", "payload": {"user": user}}),
                    Audience::UnicastEmptyUser => serde_json::json!({"type": "Unicast", "payload": {"user": ""}}),
                    Audience::UnicastNoUser => serde_json::json!({"type": "Unicast", "payload": {}}),
                    Audience::UnicastExtraMember(user) => {
                        serde_json::json!({"type": "Unicast", "payload": {"user": user, "extra": 1}})
                    }
                    Audience::MulticastWithUser(user) => {
                        serde_json::json!({"type": "Multicast", "payload": {"user": user}})
                    }
                    Audience::TypeOnly(l) => serde_json::json!({"type": l.text()}),
                    Audience::Type(v) => serde_json::json!({"type": v.value(), "payload": {}}),
                    Audience::Payload(v) => serde_json::json!({"type": "Multicast", "payload": v.value()}),
                };
                if let Value::Object(m) = doc {
                    m.insert("relevantAudience".into(), audience);
                }
            }
            Mutation::Window { timestamp, seconds } => {
                let Value::Object(m) = doc else { return };
                let text = timestamp.text();
                let duration = match seconds {
                    Seconds::Edge(i) => SignedDuration::from_secs(WINDOW_EDGES[*i as usize % WINDOW_EDGES.len()]),
                    Seconds::Any(s) => SignedDuration::from_secs((*s).into()),
                    Seconds::Nanos(n) => SignedDuration::from_nanos(*n),
                };
                if let Some(expiry) = DateTime::parse(&text).ok().and_then(|t| t.checked_add(duration)) {
                    m.insert("expiryTime".into(), Value::String(expiry.as_str().to_owned()));
                }
                m.insert("timestamp".into(), Value::String(text));
            }
        }
    }
}

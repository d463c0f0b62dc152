//! The corpus: request bodies made from the eight examples of `examples/`, deterministic for a
//! seed. Each body gets its own reference id, timestamps, audience and localized texts; about
//! half are then broken on purpose, in one or two ways, and the labels file says how.
//!
//! The ways to break a body are of two families:
//! - what JSON Schema expresses, which ajv must reject as well: wrong types, unknown (or
//!   misspelt) properties, values outside an enum, missing required properties, a bad reference
//!   id, a bad date-time, an unknown event name, a Unicast audience without its user;
//! - what it cannot express, which only proactive rejects: the expiry window, locale tags (not an
//!   Alexa locale, or twice), and the localized-attribute cross-references (a key no entry
//!   defines, an entry missing a key, an invalid key, a reference on a non-localizable attribute).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use proactive_schemas::jiff::Timestamp;
use serde_json::{json, Value};

/// The eight examples, the corpus's material.
const EXAMPLES: [&str; 8] = [
    include_str!("../../../examples/AMAZON.MediaContent.Available.json"),
    include_str!("../../../examples/AMAZON.MessageAlert.Activated.json"),
    include_str!("../../../examples/AMAZON.Occasion.Updated.json"),
    include_str!("../../../examples/AMAZON.OrderStatus.Updated.json"),
    include_str!("../../../examples/AMAZON.SocialGameInvite.Available.json"),
    include_str!("../../../examples/AMAZON.SportsEvent.Updated.json"),
    include_str!("../../../examples/AMAZON.TrashCollectionAlert.Activated.json"),
    include_str!("../../../examples/AMAZON.WeatherAlert.Activated.json"),
];

/// Every way a body is broken, in the order the report lists them.
pub const MUTATIONS: [&str; 11] = [
    "wrong_type",
    "unknown_property",
    "bad_enum",
    "missing_required",
    "bad_reference_id",
    "bad_date_time",
    "unknown_event",
    "unicast_without_user",
    "expiry_window",
    "bad_locale",
    "bad_localized_key",
];

/// The mutations ajv cannot see (JSON Schema cannot express them).
pub const PROACTIVE_ONLY: [&str; 3] = ["expiry_window", "bad_locale", "bad_localized_key"];

const WORDS: [&str; 24] = [
    "Example", "Weather", "Corp", "Show", "River", "Lakeside", "North", "Evening", "News", "Cup", "United", "City",
    "Garden", "Market", "Harbor", "Summit", "Valley", "Morning", "Report", "Club", "Studio", "Alpine", "Coast", "Park",
];

/// 2030-01-01T00:00:00Z: corpus timestamps lie after it, so no body has expired when it is run.
const BASE_SECONDS: i64 = 1_893_456_000;

/// splitmix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

fn at_mut<'v>(value: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    let mut v = value;
    for seg in path {
        v = match seg {
            Seg::Key(k) => v.get_mut(k.as_str())?,
            Seg::Index(i) => v.get_mut(*i)?,
        };
    }
    Some(v)
}

/// An object of the body, with what its schema says about it.
struct ObjectSite {
    path: Vec<Seg>,
    required: Vec<String>,
    closed: bool,
}

/// A scalar of the body, with its schema.
struct LeafSite {
    path: Vec<Seg>,
    schema: Value,
    value: Value,
}

#[derive(Default)]
struct Sites {
    objects: Vec<ObjectSite>,
    leaves: Vec<LeafSite>,
}

fn is_payload(path: &[Seg]) -> bool {
    matches!(path, [Seg::Key(a), Seg::Key(b), ..] if a == "event" && b == "payload")
}

/// Walks a body beside its schemas: the envelope's, and the event's below `/event/payload`.
fn walk<'s>(
    schema: &'s Value,
    root: &'s Value,
    event: Option<&'s Value>,
    value: &Value,
    path: &mut Vec<Seg>,
    sites: &mut Sites,
) {
    let (mut schema, mut root) = (schema, root);
    if let (Some(event), [Seg::Key(a), Seg::Key(b)]) = (event, path.as_slice()) {
        if a == "event" && b == "payload" {
            (schema, root) = (event, event);
        }
    }
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        match root.get("$defs").and_then(|d| d.get(name)) {
            Some(target) => schema = target,
            None => return,
        }
    }
    match value {
        Value::Object(map) => {
            sites.objects.push(ObjectSite {
                path: path.clone(),
                required: schema
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                    .unwrap_or_default(),
                closed: schema.get("additionalProperties") == Some(&Value::Bool(false)),
            });
            for (k, v) in map {
                let child = schema
                    .get("properties")
                    .and_then(|p| p.get(k.as_str()))
                    .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()));
                if let Some(child) = child {
                    path.push(Seg::Key(k.clone()));
                    walk(child, root, event, v, path, sites);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            if let Some(child) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    walk(child, root, event, v, path, sites);
                    path.pop();
                }
            }
        }
        scalar => sites.leaves.push(LeafSite {
            path: path.clone(),
            schema: schema.clone(),
            value: scalar.clone(),
        }),
    }
}

struct Example {
    body: Value,
    schema: Value,
}

struct Maker {
    examples: Vec<Example>,
    envelope: Value,
}

impl Maker {
    fn new() -> Self {
        let envelope: Value =
            serde_json::from_str(proactive_schemas::validate::ENVELOPE_SCHEMA).expect("envelope schema");
        let examples = EXAMPLES
            .iter()
            .map(|text| {
                let body: Value = serde_json::from_str(text).expect("example body");
                let name = body["event"]["name"].as_str().expect("event name");
                let meta = proactive_schemas::EVENTS
                    .iter()
                    .find(|m| m.name == name)
                    .expect("an example of a catalogue event");
                Example {
                    body,
                    schema: serde_json::from_str(meta.schema).expect("event schema"),
                }
            })
            .collect();
        Maker { examples, envelope }
    }

    fn sites(&self, body: &Value, example: &Example) -> Sites {
        let mut sites = Sites::default();
        walk(
            &self.envelope,
            &self.envelope,
            Some(&example.schema),
            body,
            &mut Vec::new(),
            &mut sites,
        );
        sites
    }

    /// A valid body made from a random example, stamped at `timestamp`.
    fn valid(&self, rng: &mut Rng, id: &str, timestamp: i64, window: i64) -> (Value, usize) {
        let which = rng.below(self.examples.len());
        let mut body = self.examples[which].body.clone();
        body["referenceId"] = json!(id);
        body["timestamp"] = json!(stamp(timestamp));
        body["expiryTime"] = json!(stamp(timestamp + window));
        if rng.chance(20) {
            body["relevantAudience"] = json!({
                "type": "Unicast",
                "payload": {"user": format!("amzn1.ask.account.bench{}", rng.below(10_000))}
            });
        }
        if let Some(Value::Array(entries)) = body.get_mut("localizedAttributes") {
            if entries.len() > 1 && rng.chance(75) {
                entries.truncate(1);
            }
            for entry in entries.iter_mut().filter_map(Value::as_object_mut) {
                for (key, text) in entry.iter_mut() {
                    if key != "locale" {
                        *text = json!(words(rng));
                    }
                }
            }
        }
        (body, which)
    }

    /// Breaks `body` in the way named, if it can be broken that way; returns whether it was.
    fn mutate(&self, rng: &mut Rng, body: &mut Value, example: &Example, kind: &str) -> bool {
        let sites = self.sites(body, example);
        match kind {
            "wrong_type" => {
                let Some(leaf) = pick_where(rng, &sites.leaves, |_| true) else {
                    return false;
                };
                let wrong = match &leaf.value {
                    Value::String(_) => rng.pick(&[json!(42), json!(true), json!(null), json!(["x"])]).clone(),
                    Value::Number(n) => json!(n.to_string()),
                    Value::Bool(b) => json!(b.to_string()),
                    _ => json!({"x": 1}),
                };
                set(body, &leaf.path, wrong)
            }
            "unknown_property" => {
                let Some(object) = pick_where(rng, &sites.objects, |o| o.closed) else {
                    return false;
                };
                let Some(Value::Object(map)) = at_mut(body, &object.path) else {
                    return false;
                };
                let misspell = map.keys().find(|k| k.len() > 3).cloned().filter(|_| rng.chance(50));
                match misspell {
                    Some(key) => {
                        let v = map.remove(&key).unwrap_or(Value::Null);
                        map.insert(key[..key.len() - 1].to_owned(), v);
                    }
                    None => {
                        map.insert("unexpectedField".to_owned(), json!("surprise"));
                    }
                }
                true
            }
            "bad_enum" => {
                let Some(leaf) = pick_where(rng, &sites.leaves, |l| l.schema.get("enum").is_some()) else {
                    return false;
                };
                let current = leaf.value.as_str().unwrap_or("X");
                let wrong = if rng.chance(50) {
                    current.to_lowercase()
                } else {
                    format!("NOT_{current}")
                };
                set(body, &leaf.path, json!(wrong))
            }
            "missing_required" => {
                let Some(object) = pick_where(rng, &sites.objects, |o| !o.required.is_empty()) else {
                    return false;
                };
                let key = rng.pick(&object.required).clone();
                match at_mut(body, &object.path) {
                    Some(Value::Object(map)) => map.remove(&key).is_some(),
                    _ => false,
                }
            }
            "bad_reference_id" => {
                let long = "r".repeat(101);
                let wrong = *rng.pick(&["ref id with spaces", "bad/ref", "", long.as_str(), "émission"]);
                set(body, &[key("referenceId")], json!(wrong))
            }
            "bad_date_time" => {
                let Some(leaf) = pick_where(rng, &sites.leaves, |l| {
                    l.schema.get("format").and_then(Value::as_str) == Some("date-time")
                }) else {
                    return false;
                };
                let wrong = rng.pick(&[
                    "2030-13-01T10:00:00Z",
                    "not a date",
                    "2030-01-01",
                    "2030-01-32T00:00:00Z",
                ]);
                set(body, &leaf.path, json!(wrong))
            }
            "unknown_event" => {
                let name = body["event"]["name"].as_str().unwrap_or_default().to_owned();
                if !name.starts_with("AMAZON.") {
                    return false;
                }
                let wrong = if rng.chance(50) {
                    name[..name.len() - 1].to_owned()
                } else {
                    name.replace("AMAZON.", "AMAZON.Custom")
                };
                set(body, &[key("event"), key("name")], json!(wrong))
            }
            "unicast_without_user" => set(
                body,
                &[key("relevantAudience")],
                json!({"type": "Unicast", "payload": {}}),
            ),
            "expiry_window" => {
                let Some(timestamp) = body["timestamp"].as_str().and_then(|s| s.parse::<Timestamp>().ok()) else {
                    return false;
                };
                let gap = *rng.pick(&[-3_600, 0, 60, 299, 86_401, 30 * 3_600]);
                set(body, &[key("expiryTime")], json!(stamp(timestamp.as_second() + gap)))
            }
            "bad_locale" => {
                let Some(Value::Array(entries)) = body.get_mut("localizedAttributes") else {
                    return false;
                };
                if entries.is_empty() || rng.chance(70) {
                    let wrong = *rng.pick(&["en-XX", "english", "de_DE", "xx-YY", "en-us-x"]);
                    match entries.first_mut().and_then(Value::as_object_mut) {
                        Some(entry) if rng.chance(70) => {
                            entry.insert("locale".to_owned(), json!(wrong));
                        }
                        _ => entries.push(json!({"locale": wrong})),
                    }
                } else {
                    let again = entries[0].clone();
                    entries.push(again);
                }
                true
            }
            "bad_localized_key" => self.break_localized(rng, body, &sites),
            other => unreachable!("unknown mutation {other}"),
        }
    }

    fn break_localized(&self, rng: &mut Rng, body: &mut Value, sites: &Sites) -> bool {
        let references: Vec<&LeafSite> = sites
            .leaves
            .iter()
            .filter(|l| is_payload(&l.path))
            .filter(|l| {
                l.value
                    .as_str()
                    .is_some_and(|s| s.starts_with(proactive_schemas::LOCALIZED_PREFIX))
            })
            .collect();
        let plain: Vec<&LeafSite> = sites
            .leaves
            .iter()
            .filter(|l| is_payload(&l.path) && is_plain_string(&l.schema) && l.value.is_string())
            .collect();
        let entries_with_keys = body["localizedAttributes"]
            .as_array()
            .is_some_and(|e| e.iter().any(|x| x.as_object().is_some_and(|o| o.len() > 1)));
        let mut ways = Vec::new();
        if !references.is_empty() {
            ways.extend(["undefined_key", "invalid_key"]);
        }
        if entries_with_keys {
            ways.push("entry_missing_key");
        }
        if !plain.is_empty() {
            ways.push("not_localizable");
        }
        if ways.is_empty() {
            return false;
        }
        match *rng.pick(&ways) {
            "undefined_key" => {
                let r = rng.pick(&references);
                let text = format!("{}x", r.value.as_str().unwrap_or_default());
                set(body, &r.path.clone(), json!(text))
            }
            "invalid_key" => {
                let r = rng.pick(&references);
                let bad = rng.pick(&["bad key", "bad-key", "", "key_1"]);
                let text = format!("{}{bad}", proactive_schemas::LOCALIZED_PREFIX);
                set(body, &r.path.clone(), json!(text))
            }
            "entry_missing_key" => {
                let Some(Value::Array(entries)) = body.get_mut("localizedAttributes") else {
                    return false;
                };
                let Some(entry) = entries
                    .iter_mut()
                    .filter_map(Value::as_object_mut)
                    .find(|o| o.len() > 1)
                else {
                    return false;
                };
                let Some(k) = entry.keys().find(|k| *k != "locale").cloned() else {
                    return false;
                };
                entry.remove(&k);
                true
            }
            _ => {
                let leaf = rng.pick(&plain);
                let text = format!("{}source", proactive_schemas::LOCALIZED_PREFIX);
                let path = leaf.path.clone();
                // Define the key, so the only problem is the attribute that cannot hold it.
                if let Some(Value::Array(entries)) = body.get_mut("localizedAttributes") {
                    for entry in entries.iter_mut().filter_map(Value::as_object_mut) {
                        entry.entry("source").or_insert_with(|| json!("Example"));
                    }
                }
                set(body, &path, json!(text))
            }
        }
    }
}

/// A string attribute with no rule beyond its type (so any text fits it).
fn is_plain_string(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && ["enum", "format", "pattern", "minLength", "maxLength", "x-localizable"]
            .iter()
            .all(|k| schema.get(*k).is_none())
}

fn pick_where<'a, T>(rng: &mut Rng, items: &'a [T], keep: impl Fn(&T) -> bool) -> Option<&'a T> {
    let kept: Vec<&T> = items.iter().filter(|t| keep(t)).collect();
    if kept.is_empty() {
        None
    } else {
        Some(kept[rng.below(kept.len())])
    }
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_owned())
}

fn set(body: &mut Value, path: &[Seg], value: Value) -> bool {
    match at_mut(body, path) {
        Some(slot) => {
            *slot = value;
            true
        }
        None => false,
    }
}

fn stamp(seconds: i64) -> String {
    Timestamp::from_second(seconds)
        .expect("a timestamp in range")
        .to_string()
}

fn words(rng: &mut Rng) -> String {
    let n = 1 + rng.below(2);
    (0..n).map(|_| *rng.pick(&WORDS)).collect::<Vec<_>>().join(" ")
}

/// The mixed corpus: `count` bodies, each with its labels line.
pub fn write_mixed(seed: u64, count: usize, out: &Path) -> io::Result<ExitCode> {
    let maker = Maker::new();
    let mut rng = Rng::new(seed);
    let mut lines = BufWriter::new(File::create(out)?);
    let labels_path = format!("{}.labels", out.display());
    let mut labels = BufWriter::new(File::create(&labels_path)?);
    let (mut bytes, mut broken) = (0usize, 0usize);
    for i in 0..count {
        let timestamp = BASE_SECONDS + rng.below(5 * 365 * 86_400) as i64;
        let window = 300 + rng.below(86_400 - 300 + 1) as i64;
        let (mut body, which) = maker.valid(&mut rng, &format!("ev{i}"), timestamp, window);
        let wanted = match rng.below(100) {
            0..=44 => 0,
            45..=89 => 1,
            _ => 2,
        };
        let mut applied: Vec<&str> = Vec::new();
        let mut tries = 0;
        while applied.len() < wanted && tries < 20 {
            tries += 1;
            let kind = *rng.pick(&MUTATIONS);
            if applied.contains(&kind) {
                continue;
            }
            if maker.mutate(&mut rng, &mut body, &maker.examples[which], kind) {
                applied.push(kind);
            }
        }
        let text = serde_json::to_string(&body).map_err(io::Error::other)?;
        bytes += text.len() + 1;
        writeln!(lines, "{text}")?;
        if applied.is_empty() {
            writeln!(labels, "valid")?;
        } else {
            broken += 1;
            writeln!(labels, "{}", applied.join(","))?;
        }
    }
    lines.flush()?;
    labels.flush()?;
    println!("corpus.bodies {count}");
    println!("corpus.bytes {bytes}");
    println!("corpus.broken {broken}");
    println!("corpus.seed {seed}");
    Ok(ExitCode::SUCCESS)
}

/// The send corpus: valid bodies only, stamped now, expiring in an hour.
pub fn write_send(seed: u64, count: usize, out: &Path) -> io::Result<ExitCode> {
    let maker = Maker::new();
    let mut rng = Rng::new(seed);
    let now = Timestamp::now().as_second();
    let mut lines = BufWriter::new(File::create(out)?);
    let mut bytes = 0;
    for i in 0..count {
        let (body, _) = maker.valid(&mut rng, &format!("send{seed:x}-{i}"), now, 3_600);
        let text = serde_json::to_string(&body).map_err(io::Error::other)?;
        bytes += text.len() + 1;
        writeln!(lines, "{text}")?;
    }
    lines.flush()?;
    println!("send.bodies {count}");
    println!("send.bytes {bytes}");
    Ok(ExitCode::SUCCESS)
}

/// The labels of a corpus, one `Vec` of mutation names per line (empty for a valid body).
pub fn read_labels(corpus: &Path) -> io::Result<Vec<Vec<String>>> {
    let text = std::fs::read_to_string(format!("{}.labels", corpus.display()))?;
    Ok(text
        .lines()
        .map(|l| {
            if l == "valid" {
                Vec::new()
            } else {
                l.split(',').map(str::to_owned).collect()
            }
        })
        .collect())
}

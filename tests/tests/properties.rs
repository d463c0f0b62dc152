//! Property tests: random events of every type, built from the runtime metadata, are accepted by
//! the JSON Schema validator and by the typed parse; random mutations are judged the same by both.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use proactive_schemas::{AttributeKind, Event, EventMeta, Request, ALEXA_LOCALES, EVENTS};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Map, Value};

const KEYS: &[&str] = &["a1", "name", "Key9"];

fn datetime() -> impl Strategy<Value = String> {
    (
        2000i32..2100,
        1u8..=12,
        1u8..=28,
        0u8..24,
        0u8..60,
        0u8..60,
        prop::option::of(0u32..1_000_000),
        prop::option::of((any::<bool>(), 0u8..14, prop::sample::select(vec![0u8, 30, 45]))),
    )
        .prop_map(|(y, mo, d, h, mi, s, frac, offset)| {
            let frac = frac.map_or(String::new(), |f| format!(".{f:06}"));
            let offset = match offset {
                None => "Z".to_owned(),
                Some((neg, oh, om)) => format!("{}{oh:02}:{om:02}", if neg { '-' } else { '+' }),
            };
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{offset}")
        })
}

fn scalar(kind: &'static AttributeKind, localizable: bool) -> BoxedStrategy<Value> {
    match kind {
        AttributeKind::String if localizable => prop_oneof![
            "[A-Za-z0-9 ,.'-]{1,24}".prop_map(Value::String),
            prop::sample::select(KEYS).prop_map(|k| Value::String(format!("localizedattribute:{k}"))),
        ]
        .boxed(),
        AttributeKind::String => "[A-Za-z0-9 ,.'-]{0,24}".prop_map(Value::String).boxed(),
        AttributeKind::DateTime => datetime().prop_map(Value::String).boxed(),
        AttributeKind::Integer => any::<i64>().prop_map(|i| json!(i)).boxed(),
        AttributeKind::Enum { values, .. } => prop::sample::select(*values).prop_map(|v| json!(v)).boxed(),
        AttributeKind::Array {
            items,
            min_items,
            max_items,
        } => {
            let lo = min_items.unwrap_or(0);
            let hi = max_items.unwrap_or(lo + 4);
            prop::collection::vec(scalar(items, false), lo..=hi)
                .prop_map(Value::Array)
                .boxed()
        }
        AttributeKind::Object => unreachable!("objects are built by `object`"),
    }
}

/// A random valid object for the attribute at `parent` (`""` is the payload).
fn object(meta: &'static EventMeta, parent: &str) -> BoxedStrategy<Value> {
    let members: Vec<BoxedStrategy<Option<(String, Value)>>> = meta
        .children(parent)
        .map(|name| {
            let path = if parent.is_empty() {
                name.to_owned()
            } else {
                format!("{parent}.{name}")
            };
            let attr = meta.attribute(&path).expect("child attribute");
            let value = match attr.kind {
                AttributeKind::Object => object(meta, &path),
                ref kind => scalar(kind, attr.localizable),
            };
            let name = name.to_owned();
            if attr.required {
                value.prop_map(move |v| Some((name.clone(), v))).boxed()
            } else {
                prop::option::of(value)
                    .prop_map(move |v| v.map(|v| (name.clone(), v)))
                    .boxed()
            }
        })
        .collect();
    members
        .prop_map(|ms| Value::Object(ms.into_iter().flatten().collect::<Map<_, _>>()))
        .boxed()
}

fn payload() -> impl Strategy<Value = (&'static EventMeta, Value)> {
    prop::sample::select(EVENTS).prop_flat_map(|meta| object(meta, "").prop_map(move |p| (meta, p)))
}

fn referenced_keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            if let Some(k) = s.strip_prefix("localizedattribute:") {
                out.insert(k.to_owned());
            }
        }
        Value::Array(items) => items.iter().for_each(|i| referenced_keys(i, out)),
        Value::Object(m) => m.values().for_each(|i| referenced_keys(i, out)),
        _ => {}
    }
}

/// A random valid request around a random valid payload.
fn request() -> impl Strategy<Value = Value> {
    (
        payload(),
        datetime(),
        300i64..=86_400,
        "[A-Za-z0-9~-]{1,100}",
        prop::option::of("amzn1\\.ask\\.account\\.[A-Z0-9]{8,40}"),
        prop::sample::subsequence(ALEXA_LOCALES, 1..=3),
    )
        .prop_map(
            |((meta, payload), timestamp, expiry_secs, reference_id, user, locales)| {
                let start: proactive_schemas::DateTime = timestamp.parse().expect("generated date-time");
                let expiry = start
                    .checked_add(jiff::SignedDuration::from_secs(expiry_secs))
                    .expect("in range");
                let mut keys = BTreeSet::new();
                referenced_keys(&payload, &mut keys);
                let locales: Vec<&str> = match meta.locales {
                    Some(supported) => supported.to_vec(),
                    None => locales,
                };
                let localized: Vec<Value> = if keys.is_empty() {
                    Vec::new()
                } else {
                    locales
                        .iter()
                        .map(|l| {
                            let mut entry = Map::new();
                            entry.insert("locale".into(), json!(l));
                            for k in &keys {
                                entry.insert(k.clone(), json!(format!("{k} in {l}")));
                            }
                            Value::Object(entry)
                        })
                        .collect()
                };
                let audience = match user {
                    Some(user) => json!({"type": "Unicast", "payload": {"user": user}}),
                    None => json!({"type": "Multicast", "payload": {}}),
                };
                json!({
                    "timestamp": timestamp,
                    "referenceId": reference_id,
                    "expiryTime": expiry.as_str(),
                    "event": {"name": meta.name, "payload": payload},
                    "localizedAttributes": localized,
                    "relevantAudience": audience,
                })
            },
        )
}

/// The event's JSON Schema compiled directly with `jsonschema`, independently of the crate's own
/// validator (compiled once per event).
fn schema_validator(meta: &EventMeta) -> &'static jsonschema::Validator {
    static CACHE: OnceLock<HashMap<&'static str, jsonschema::Validator>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        EVENTS
            .iter()
            .map(|m| {
                let schema: Value = serde_json::from_str(m.schema).expect("schema JSON");
                let validator = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&schema)
                    .expect("schema compiles");
                (m.name, validator)
            })
            .collect()
    });
    &cache[meta.name]
}

/// A change to a payload that may or may not keep it valid.
#[derive(Clone, Debug)]
enum Mutation {
    Remove(usize),
    AddUnknown(usize, String),
    Replace(usize, Value),
    /// Replaces a value of the same kind (a date-time by a string, a number by a number), so that
    /// edge values land where they matter.
    ReplaceLike(usize, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let replacement = prop_oneof![
        Just(json!(1.5)),
        Just(json!(-3)),
        Just(json!(7)),
        Just(json!("x")),
        Just(json!("")),
        Just(json!(true)),
        Just(Value::Null),
        Just(json!([])),
        Just(json!({})),
        Just(json!(["GLASS", "CANS", "BULKY", "GLASS", "LANDFILL", "CANS"])),
        Just(json!(["GLASS"])),
        Just(json!("TORNADO")),
        Just(json!("MONDAY")),
        Just(json!("2026-11-20T10:00:00Z")),
        Just(json!("2026-11-20 10:00")),
        Just(json!("localizedattribute:a1")),
        Just(json!({"name": "x"})),
        Just(json!(3.0)),
        Just(json!(["x"])),
        Just(json!(["x", 1])),
        Just(json!({"TORNADO": null})),
        Just(json!({"GLASS": null})),
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Remove),
        (
            any::<usize>(),
            prop::sample::select(vec!["extra", "ScoreEarned", "garbageType", "Name"])
        )
            .prop_map(|(i, k)| Mutation::AddUnknown(i, k.to_owned())),
        (any::<usize>(), replacement).prop_map(|(i, v)| Mutation::Replace(i, v)),
    ]
}

/// Every location in a JSON tree, by path of keys and indices.
fn locations(v: &Value, here: Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => m.iter().for_each(|(k, c)| {
            let mut p = here.clone();
            p.push(json!(k));
            locations(c, p, out);
        }),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, c)| {
            let mut p = here.clone();
            p.push(json!(i));
            locations(c, p, out);
        }),
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |v, seg| match seg {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(i) => &mut v[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

fn apply(payload: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    locations(payload, Vec::new(), &mut all);
    match m {
        Mutation::Remove(i) => {
            let inner: Vec<&Vec<Value>> = all.iter().filter(|p| !p.is_empty()).collect();
            if inner.is_empty() {
                return;
            }
            let path = inner[i % inner.len()].clone();
            let (last, parent) = path.split_last().unwrap();
            match (at_mut(payload, parent), last) {
                (Value::Object(m), Value::String(k)) => {
                    m.remove(k);
                }
                (Value::Array(a), Value::Number(n)) => {
                    a.remove(n.as_u64().unwrap() as usize);
                }
                _ => {}
            }
        }
        Mutation::AddUnknown(i, key) => {
            let objects: Vec<Vec<Value>> = all
                .into_iter()
                .filter(|p| at_mut(&mut payload.clone(), p).is_object())
                .collect();
            if objects.is_empty() {
                return; // an earlier mutation replaced the whole payload
            }
            let path = &objects[i % objects.len()];
            if let Value::Object(m) = at_mut(payload, path) {
                m.insert(key.clone(), json!("surprise"));
            }
        }
        Mutation::Replace(i, v) => {
            let path = all[i % all.len()].clone();
            *at_mut(payload, &path) = v.clone();
        }
        Mutation::ReplaceLike(i, v) => {
            let like: Vec<Vec<Value>> = all
                .into_iter()
                .filter(|p| match (at_mut(&mut payload.clone(), p), v) {
                    (Value::String(s), Value::String(_)) => proactive_schemas::DateTime::parse(s).is_ok(),
                    (Value::Number(_), Value::Number(_)) => true,
                    _ => false,
                })
                .collect();
            if let Some(path) = like.get(i % like.len().max(1)) {
                *at_mut(payload, path) = v.clone();
            }
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 512, failure_persistence: None, ..Config::default() })]

    /// Random typed events of every type: the schema accepts each, the typed parse accepts each,
    /// serializing the typed value reproduces the JSON, and full validation finds nothing wrong.
    #[test]
    fn random_valid_requests_pass_every_path(body in request()) {
        let name = body["event"]["name"].as_str().unwrap();
        let meta = EVENTS.iter().find(|m| m.name == name).unwrap();
        let payload = &body["event"]["payload"];
        let errors: Vec<String> = schema_validator(meta).iter_errors(payload).map(|e| e.to_string()).collect();
        prop_assert!(errors.is_empty(), "schema rejects {payload}: {errors:?}");

        let request: Request = serde_json::from_value(body.clone()).map_err(|e| TestCaseError::fail(format!("typed parse: {e}")))?;
        prop_assert_eq!(serde_json::to_value(&request).unwrap(), body.clone());

        let report = request.validate();
        prop_assert!(report.errors.is_empty(), "{}\n{}", body, report);
    }

    /// Mutated payloads: whatever the JSON Schema says, the typed parse says the same.
    #[test]
    fn schema_and_typed_parse_agree_on_mutations((meta, payload) in payload(), mutations in prop::collection::vec(mutation(), 1..=3)) {
        let mut mutated = payload;
        for m in &mutations {
            apply(&mut mutated, m);
        }
        let schema_ok = schema_validator(meta).is_valid(&mutated);
        let typed = Event::from_parts(meta.name, mutated.clone());
        prop_assert_eq!(schema_ok, typed.is_ok(), "{} {:?}: schema says {}, typed parse says {:?}", meta.name, mutated, schema_ok, typed.err().map(|e| e.to_string()));
        if let Ok(event) = typed {
            // Serializing back gives a payload both paths accept and that parses to the same
            // value (not always the same text: `3.0` comes back as `3`).
            let again = event.payload_value();
            prop_assert!(schema_validator(meta).is_valid(&again));
            prop_assert_eq!(Event::from_parts(meta.name, again).ok(), Some(event));
        }
    }
}

/// Values at the edges of what a date-time or an integer is: where the validator's checks and the
/// typed parse once disagreed (issue: "one truth for every value").
fn edge_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("2026-11-20T10:00:00.123456789Z")),
        Just(json!("2026-11-20T10:00:00.1234567891Z")),
        Just(json!("2026-11-20T10:00:00.000000000000Z")),
        Just(json!("9999-12-31T23:59:59Z")),
        Just(json!("9999-12-30T22:00:00Z")),
        Just(json!("0000-01-01T00:00:00Z")),
        Just(json!("0000-01-01T00:00:00+23:59")),
        Just(json!("2026-11-20T10:00:00-23:59")),
        Just(json!("2016-12-31T23:59:60Z")),
        Just(json!("2026-02-30T10:00:00Z")),
        Just(json!("2026-11-20t10:00:00z")),
        Just(json!(1e300)),
        Just(json!(-1e300)),
        Just(json!(9_223_372_036_854_775_807i64)),
        Just(json!(9_223_372_036_854_775_808u64)),
        Just(json!(i64::MIN)),
        Just(serde_json::from_str::<Value>("-9223372036854777856").unwrap()),
        Just(json!(9.223_372_036_854_776e18)),
        Just(json!(9_007_199_254_740_993u64)),
        Just(json!(-0.0)),
        Just(json!(100.0)),
        Just(json!(2.5)),
    ]
}

proptest! {
    #![proptest_config(Config { cases: 512, failure_persistence: None, ..Config::default() })]

    /// Whole request bodies, mutated anywhere (envelope included) with ordinary and edge values,
    /// judged by the project's validator and by the typed parse: a body the validator accepts
    /// parses typed, and the typed value serializes to a body the validator accepts again; a body
    /// the typed parse refuses, the validator refuses too.
    #[test]
    fn validator_and_typed_parse_agree_on_mutated_requests(
        body in request(),
        mutations in prop::collection::vec(prop_oneof![
            mutation(),
            (any::<usize>(), edge_value()).prop_map(|(i, v)| Mutation::ReplaceLike(i, v)),
        ], 1..=3),
    ) {
        let mut mutated = body;
        for m in &mutations {
            apply(&mut mutated, m);
        }
        let report = proactive_schemas::validate(&mutated);
        let typed = serde_json::from_value::<Request>(mutated.clone());
        match &typed {
            Ok(request) => {
                if report.is_valid() {
                    let again = serde_json::to_value(request).unwrap();
                    let second = proactive_schemas::validate(&again);
                    prop_assert!(second.is_valid(), "{mutated}\nre-serialized: {again}\n{second}");
                }
            }
            Err(e) => prop_assert!(!report.is_valid(), "typed parse refuses ({e}) what the validator accepts: {mutated}"),
        }
    }
}

#[test]
fn the_mutation_test_does_see_rejections() {
    // Guard against a mutation strategy that never breaks anything: a known-bad payload must be
    // rejected by both paths.
    let meta = EVENTS
        .iter()
        .find(|m| m.name == "AMAZON.WeatherAlert.Activated")
        .unwrap();
    let bad = json!({"weatherAlert": {"source": "x", "alertType": "TORNADO", "ScoreEarned": 1}});
    assert!(!schema_validator(meta).is_valid(&bad));
    assert!(Event::from_parts(meta.name, bad).is_err());
}

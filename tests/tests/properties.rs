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
            if matches!(items, AttributeKind::Object) {
                // Objects inside arrays have no attribute metadata to build them from; the
                // schemas' examples hold some.
                return Just(Value::Array(Vec::new())).boxed();
            }
            prop::collection::vec(scalar(items, false), lo..=hi)
                .prop_map(Value::Array)
                .boxed()
        }
        AttributeKind::Number => any::<i32>().prop_map(|i| json!(f64::from(i) / 8.0)).boxed(),
        AttributeKind::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        AttributeKind::Nullable(inner) => prop_oneof![Just(Value::Null), scalar(inner, false)].boxed(),
        AttributeKind::Object => unreachable!("objects are built by `object`"),
        other => unreachable!("no generator for {other:?}"),
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

fn compile(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("{schema} does not compile: {e}"))
}

/// The event's JSON Schema compiled directly with `jsonschema`, independently of the crate's own
/// validator (compiled once per event).
fn schema_validator(meta: &EventMeta) -> &'static jsonschema::Validator {
    static CACHE: OnceLock<HashMap<&'static str, jsonschema::Validator>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        known()
            .iter()
            .map(|k| {
                (
                    k.meta.name,
                    compile(&serde_json::from_str(k.meta.schema).expect("schema JSON")),
                )
            })
            .collect()
    });
    &cache[meta.name]
}

/// One event type the tests know: the catalogue's and the fixture schemas' generated types.
struct Known {
    meta: &'static EventMeta,
    /// The schema `schemars` gives for the payload type.
    schemars: jsonschema::Validator,
    /// The typed parse of a payload: `Ok` or why not.
    parse: fn(Value) -> Result<(), String>,
}

impl std::fmt::Debug for Known {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.meta.name)
    }
}

fn known() -> &'static [Known] {
    static KNOWN: OnceLock<Vec<Known>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        macro_rules! known {
            ($($t:ty),* $(,)?) => {
                vec![$({
                    let schema = serde_json::to_value(schemars::schema_for!($t)).expect("schema JSON");
                    Known {
                        meta: <$t as proactive_schemas::EventPayload>::meta(),
                        schemars: compile(&schema),
                        parse: |v| serde_json::from_value::<$t>(v).map(drop).map_err(|e| e.to_string()),
                    }
                }),*]
            };
        }
        use proactive_schemas::events::*;
        let all = known![
            media_content_available::MediaContentAvailable,
            message_alert_activated::MessageAlertActivated,
            occasion_updated::OccasionUpdated,
            order_status_updated::OrderStatusUpdated,
            social_game_invite_available::SocialGameInviteAvailable,
            sports_event_updated::SportsEventUpdated,
            trash_collection_alert_activated::TrashCollectionAlertActivated,
            weather_alert_activated::WeatherAlertActivated,
            proactive_tests::custom::test_example::TestExample,
            proactive_tests::annotated::parking_expiring::ParkingExpiring,
            proactive_tests::written::garage_spaces_free::GarageSpacesFree,
        ];
        // Every event of every catalogue is listed: a new schema cannot go untested.
        let names: BTreeSet<&str> = all.iter().map(|k| k.meta.name).collect();
        for catalogue in [
            EVENTS,
            proactive_tests::custom::EVENTS,
            proactive_tests::annotated::EVENTS,
            proactive_tests::written::EVENTS,
        ] {
            for meta in catalogue {
                assert!(names.contains(meta.name), "{} is missing from `known()`", meta.name);
            }
        }
        all
    })
}

/// A random payload of any known event: built from its metadata, or one of its schema's examples.
fn any_payload() -> impl Strategy<Value = (&'static Known, Value)> {
    prop::sample::select((0..known().len()).collect::<Vec<_>>()).prop_flat_map(|i| {
        let k = &known()[i];
        let examples: Vec<Value> = serde_json::from_str::<Value>(k.meta.schema)
            .ok()
            .and_then(|s| s.get("examples").and_then(Value::as_array).cloned())
            .unwrap_or_default();
        let built = object(k.meta, "");
        let payload = if examples.is_empty() {
            built.boxed()
        } else {
            prop_oneof![built, prop::sample::select(examples)].boxed()
        };
        payload.prop_map(move |p| (k, p))
    })
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
        // The text path proves it valid without a `Value` when there is nothing to warn about.
        let text = body.to_string();
        let validator = proactive_schemas::validator();
        prop_assert_eq!(validator.proves_valid(&text, None), report == proactive_schemas::Report::default(), "{}", text);
        prop_assert_eq!(validator.validate_str(&text).ok(), Some(report));
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

/// Values at the edges of the rules a schema file may set: bounds, lengths, patterns, formats.
fn rule_edge() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(5000)),
        Just(json!(5001)),
        Just(json!(0.5)),
        Just(json!(1.0)),
        Just(json!(1.0000001)),
        Just(json!(1.4)),
        Just(json!(-5)),
        Just(json!(-6)),
        Just(json!(20.0)),
        Just(json!("1234")),
        Just(json!("12345")),
        Just(json!("123456")),
        Just(json!("")),
        Just(json!("x".repeat(80))),
        Just(json!("x".repeat(81))),
        Just(json!("not a uri")),
        Just(json!("https://example.com/a")),
        Just(json!("a@example.com")),
        Just(json!("a@")),
        Just(json!("2026-02-28")),
        Just(json!("2026-02-30")),
        Just(json!([])),
        Just(json!([1, 2.0])),
        Just(json!([1, 2.5])),
        Just(json!([{"street": "s", "postcode": "10115"}])),
        Just(json!([{"street": "s", "postcode": "1011"}])),
        Just(json!([["nested"]])),
        Just(Value::Null),
    ]
}

proptest! {
    #![proptest_config(Config { cases: 1024, failure_persistence: None, ..Config::default() })]

    /// For every event type, the schema `schemars` gives for its generated payload type and the
    /// schema file judge the same random valid and mutated payloads alike (both through
    /// `jsonschema`); so does the typed parse.
    #[test]
    fn schemars_the_schema_file_and_the_typed_parse_agree(
        (known, payload) in any_payload(),
        mutations in prop::collection::vec(prop_oneof![
            mutation(),
            (any::<usize>(), rule_edge()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        ], 0..=3),
    ) {
        let mut mutated = payload;
        for m in &mutations {
            apply(&mut mutated, m);
        }
        let source = schema_validator(known.meta).is_valid(&mutated);
        let schemars = known.schemars.is_valid(&mutated);
        prop_assert_eq!(source, schemars, "{}: {}", known.meta.name, mutated);
        let typed = (known.parse)(mutated.clone());
        prop_assert_eq!(source, typed.is_ok(), "{}: {}: schema says {}, typed parse says {:?}", known.meta.name, mutated, source, typed);
    }
}

/// Every scalar location of a JSON tree (the values a rule judges).
fn leaves(v: &Value) -> Vec<Vec<Value>> {
    let mut all = Vec::new();
    locations(v, Vec::new(), &mut all);
    all.into_iter()
        .filter(|p| !matches!(at_mut(&mut v.clone(), p), Value::Object(_) | Value::Array(_)))
        .collect()
}

proptest! {
    #![proptest_config(Config { cases: 2048, failure_persistence: None, ..Config::default() })]

    /// The schema written with every rule the generator takes: each leaf of its example replaced
    /// by a value at the edge of some rule is judged alike by the schema file, the `schemars`
    /// schema and the typed parse.
    #[test]
    fn every_rule_of_a_written_schema_is_judged_alike(
        leaf in any::<usize>(),
        value in rule_edge(),
        also in prop::option::of((any::<usize>(), rule_edge())),
    ) {
        let known = known().iter().find(|k| k.meta.name == "ACME.Garage.SpacesFree").unwrap();
        let schema: Value = serde_json::from_str(known.meta.schema).unwrap();
        let mut payload = schema["examples"][0].clone();
        prop_assert!(schema_validator(known.meta).is_valid(&payload));
        for (i, v) in std::iter::once((leaf, value)).chain(also) {
            let leaves = leaves(&payload);
            let path = leaves[i % leaves.len()].clone();
            *at_mut(&mut payload, &path) = v;
        }
        let source = schema_validator(known.meta).is_valid(&payload);
        prop_assert_eq!(source, known.schemars.is_valid(&payload), "{}", payload);
        let typed = (known.parse)(payload.clone());
        prop_assert_eq!(source, typed.is_ok(), "{}: schema says {}, typed parse says {:?}", payload, source, typed);
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
        // The text path says exactly what the value path says, and proves only empty reports.
        let validator = proactive_schemas::validator();
        for text in [mutated.to_string(), serde_json::to_string_pretty(&mutated).unwrap()] {
            prop_assert_eq!(validator.validate_str(&text).ok(), Some(report.clone()), "{}", text);
            if validator.proves_valid(&text, None) {
                prop_assert_eq!(&report, &proactive_schemas::Report::default(), "proven valid: {}", text);
            }
        }
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

//! The generator on fixture schema files: malformed files name file, pointer and reason; the
//! catalogue's generated code matches the checked-in snapshot, which compiles here.

use std::path::{Path, PathBuf};

use proactive_codegen::Error;

fn fixture(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/codegen").join(dir)
}

fn single_error(dir: &str) -> Error {
    let errors = proactive_codegen::load_dir(&fixture(dir)).expect_err(dir);
    let mut errors = errors.0;
    assert_eq!(errors.len(), 1, "{dir}: {errors:?}");
    errors.remove(0)
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}

#[test]
fn invalid_json_names_file_line_and_column() {
    match single_error("bad-json") {
        Error::Json {
            file,
            line,
            column,
            message,
        } => {
            assert_eq!(file_name(&file), "AMAZON.Bad.Json.json");
            assert!(line > 1 && column > 0, "{line}:{column}");
            assert!(!message.is_empty());
        }
        other => panic!("expected a JSON error, got {other}"),
    }
}

#[test]
fn unsupported_keyword_names_the_pointer() {
    match single_error("bad-keyword") {
        Error::Schema { file, pointer, reason } => {
            assert_eq!(file_name(&file), "AMAZON.Bad.Keyword.json");
            assert_eq!(pointer, "/properties/thing/properties/code/contentEncoding");
            assert!(reason.starts_with("unsupported keyword `contentEncoding`"), "{reason}");
        }
        other => panic!("expected a schema error, got {other}"),
    }
}

#[test]
fn non_string_enum_value_names_the_pointer() {
    match single_error("bad-enum") {
        Error::Schema { file, pointer, reason } => {
            assert_eq!(file_name(&file), "AMAZON.Bad.Enum.json");
            assert_eq!(pointer, "/properties/thing/properties/level/enum/1");
            assert_eq!(reason, "enum values must be strings, found a number");
        }
        other => panic!("expected a schema error, got {other}"),
    }
}

#[test]
fn colliding_field_names_name_the_pointer() {
    match single_error("bad-collision") {
        Error::Schema { file, pointer, reason } => {
            assert_eq!(file_name(&file), "AMAZON.Bad.Collision.json");
            assert!(pointer.starts_with("/properties/thing/properties/"), "{pointer}");
            assert!(reason.contains("both become the Rust field `foo_bar`"), "{reason}");
        }
        other => panic!("expected a schema error, got {other}"),
    }
}

/// Every error of a fixture directory, as (file name, pointer, reason).
fn schema_errors(dir: &str) -> Vec<(String, String, String)> {
    let errors = proactive_codegen::load_dir(&fixture(dir)).expect_err(dir);
    errors
        .0
        .into_iter()
        .map(|e| match e {
            Error::Schema { file, pointer, reason } => (file_name(&file).to_owned(), pointer, reason),
            other => panic!("{dir}: expected schema errors, got {other}"),
        })
        .collect()
}

/// A fixture refused for one keyword: exactly one error, naming the file, the keyword's pointer
/// and the keyword (first thing in the reason), and never "missing `type`".
fn refused(dir: &str, file: &str, pointer: &str, keyword: &str) -> String {
    let errors = schema_errors(dir);
    assert_eq!(errors.len(), 1, "{dir}: {errors:?}");
    let (f, p, reason) = errors.into_iter().next().unwrap();
    assert_eq!((f.as_str(), p.as_str()), (file, pointer), "{reason}");
    assert!(reason.starts_with(&format!("`{keyword}` is not supported")), "{reason}");
    assert!(!reason.contains("missing `type`"), "{reason}");
    reason
}

#[test]
fn a_remote_ref_is_refused_by_name() {
    let reason = refused("refused-ref", "ACME.Refused.Ref.json", "/properties/price/$ref", "$ref");
    assert!(reason.contains("`https://schemas.example.com/money.json`"), "{reason}");
    assert!(reason.contains("only `#/$defs/<name>`"), "{reason}");
}

#[test]
fn a_recursive_ref_is_refused_by_name() {
    let reason = refused(
        "refused-ref-recursive",
        "ACME.Refused.Recursive.json",
        "/$defs/node/properties/next/$ref",
        "$ref",
    );
    assert!(reason.contains("recursive"), "{reason}");
    assert!(reason.contains("node -> node"), "{reason}");
}

#[test]
fn a_ref_to_an_undefined_definition_names_what_is_defined() {
    let errors = schema_errors("refused-ref-undefined");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (file, pointer, reason) = &errors[0];
    assert_eq!(
        (file.as_str(), pointer.as_str()),
        ("ACME.Refused.Undefined.json", "/properties/price/$ref")
    );
    assert_eq!(
        reason,
        "`$ref` names `#/$defs/mony`, which is not defined: the file defines `money`"
    );
}

#[test]
fn draft_7_definitions_are_refused_by_name() {
    let reason = refused(
        "refused-definitions",
        "ACME.Refused.Definitions.json",
        "/definitions",
        "definitions",
    );
    assert!(reason.contains("`$defs`"), "{reason}");
}

#[test]
fn exclusive_bounds_are_refused_by_name() {
    let reason = refused(
        "refused-exclusive-minimum",
        "ACME.Refused.ExclusiveMinimum.json",
        "/properties/price/exclusiveMinimum",
        "exclusiveMinimum",
    );
    assert!(reason.contains("`minimum` and `maximum`"), "{reason}");
}

#[test]
fn a_nullable_object_and_an_unknown_format_are_refused_where_they_are() {
    let errors = schema_errors("refused-nullable-object");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].1, "/properties/place/type");
    assert_eq!(
        errors[0].2,
        "only strings, numbers, integers and booleans can be nullable"
    );
    let errors = schema_errors("refused-format");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].1, "/properties/id/format");
    assert_eq!(
        errors[0].2,
        "unsupported format `uuid` (supported: `date-time`, `date`, `uri`, `email`)"
    );
}

#[test]
fn one_of_is_refused_by_name() {
    refused(
        "refused-oneof",
        "ACME.Refused.OneOf.json",
        "/properties/amount/oneOf",
        "oneOf",
    );
}

#[test]
fn any_of_is_refused_by_name() {
    refused(
        "refused-anyof",
        "ACME.Refused.AnyOf.json",
        "/properties/note/anyOf",
        "anyOf",
    );
}

#[test]
fn all_of_is_refused_by_name() {
    refused(
        "refused-allof",
        "ACME.Refused.AllOf.json",
        "/properties/code/allOf",
        "allOf",
    );
}

#[test]
fn not_is_refused_by_name() {
    refused("refused-not", "ACME.Refused.Not.json", "/properties/code/not", "not");
}

#[test]
fn pattern_properties_is_refused_by_name() {
    refused(
        "refused-pattern-properties",
        "ACME.Refused.PatternProperties.json",
        "/properties/labels/patternProperties",
        "patternProperties",
    );
}

#[test]
fn the_file_name_is_the_event_name_and_title_or_x_event_must_agree() {
    let errors = schema_errors("bad-event-name");
    assert_eq!(errors.len(), 2, "{errors:?}");
    let (file, pointer, reason) = &errors[0];
    assert_eq!(
        (file.as_str(), pointer.as_str()),
        ("ACME.Parking.Expiring.json", "/title")
    );
    assert!(
        reason.contains("names the event `ACME.Parking.Expired`") && reason.contains("`ACME.Parking.Expiring.json`"),
        "{reason}"
    );
    // A prose `title` is a doc, not a name; the `x-event` beside it disagrees with the file.
    let (file, pointer, reason) = &errors[1];
    assert_eq!(
        (file.as_str(), pointer.as_str()),
        ("ACME.Parking.Started.json", "/x-event")
    );
    assert!(
        reason.contains("names the event `ACME.Parking.Start`") && reason.contains("`ACME.Parking.Started.json`"),
        "{reason}"
    );
}

#[test]
fn annotations_end_up_in_the_generated_docs() {
    let catalogue = proactive_codegen::load_dir(&fixture("annotated")).unwrap();
    let code = proactive_codegen::generate(&catalogue, &Default::default());
    for line in [
        // The top-level title (prose, not the event name), description and example.
        "/// Parking session about to expire\n",
        "/// Tells a driver that their paid parking ends soon.\n",
        "/// Example: `{\"session\":{\"zone\":\"A12\",\"minutesLeft\":10}}`.\n",
        // The string `x-utterance`.
        "/// - \"Your parking in zone {session.zone} ends in {session.minutesLeft} minute(s).\"\n",
        // Properties: description, then examples.
        "/// The zone code shown on the street sign.\n",
        "/// Example: `\"A12\"`.\n",
        "/// Examples: `10`, `5`.\n",
        // A nested `title` still names the type.
        "pub struct ParkingSession {",
    ] {
        assert!(code.contains(line), "missing {line:?} in\n{code}");
    }
}

#[test]
fn a_schema_written_as_people_write_them_generates_working_types() {
    use proactive_tests::annotated::parking_expiring::{ParkingExpiring, ParkingSession, META};
    use proactive_tests::annotated::{Event, EVENTS};

    // The top-level example is a valid payload of the generated type.
    let example = serde_json::json!({"session": {"zone": "A12", "minutesLeft": 10}});
    let payload: ParkingExpiring = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(
        payload,
        ParkingExpiring {
            session: ParkingSession {
                zone: "A12".into(),
                minutes_left: 10,
                ends_at: None,
                legacy_code: None,
            }
        }
    );
    assert_eq!(serde_json::to_value(&payload).unwrap(), example);

    // The string `x-utterance` is one template.
    assert_eq!(META.utterances.len(), 1);
    assert!(META.utterances[0].when.is_empty());

    // The schema, annotations and all, compiles in the validator, which checks and previews.
    let body = serde_json::json!({
        "timestamp": "2026-11-20T10:00:00Z",
        "referenceId": "parking-1",
        "expiryTime": "2026-11-20T12:00:00Z",
        "event": Event::from(payload),
        "localizedAttributes": [],
        "relevantAudience": {"type": "Multicast", "payload": {}}
    });
    let validator = proactive_schemas::Validator::new(EVENTS);
    let report = validator.validate(&body);
    assert!(report.errors.is_empty(), "{report}");
    assert_eq!(
        validator.preview(&body, "en-US").unwrap(),
        "Your parking in zone A12 ends in 10 minutes."
    );
    let mut bad = body.clone();
    bad["event"]["payload"]["session"]["minutesLeft"] = serde_json::json!("ten");
    let pointers: Vec<String> = validator.validate(&bad).errors.into_iter().map(|d| d.pointer).collect();
    assert_eq!(pointers, ["/event/payload/session/minutesLeft"]);
}

#[test]
fn two_events_with_the_same_module_name_collide() {
    let dir = std::env::temp_dir().join(format!("proactive-collide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema = r#"{"type": "object", "properties": {}, "additionalProperties": false}"#;
    std::fs::write(dir.join("ACME.Foo.Bar.json"), schema).unwrap();
    std::fs::write(dir.join("OTHER.Foo.Bar.json"), schema).unwrap();
    let errors = proactive_codegen::load_dir(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(errors.0.len(), 1);
    let text = errors.to_string();
    assert!(
        text.contains("OTHER.Foo.Bar.json#: event `OTHER.Foo.Bar` becomes the Rust module `foo_bar`"),
        "{text}"
    );
}

/// The generated code of the catalogue, checked in. `UPDATE_SNAPSHOTS=1 cargo test` rewrites it; if
/// the old snapshot no longer compiles, regenerate it with
/// `cargo run -p proactive-codegen -- --schemas schemas --out tests/snapshots/events.rs`.
#[allow(dead_code)] // only part of the generated API is exercised here
mod snapshot {
    include!("../snapshots/events.rs");
}

#[test]
fn generated_code_matches_the_snapshot() {
    let catalogue = proactive_codegen::load_dir(&proactive_tests::workspace_root().join("schemas")).unwrap();
    let code = proactive_codegen::generate(&catalogue, &Default::default());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/events.rs");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &code).unwrap();
    }
    let snapshot = std::fs::read_to_string(&path).unwrap();
    assert!(
        snapshot == code,
        "generated code differs from {}; rerun with UPDATE_SNAPSHOTS=1 and review the diff",
        path.display()
    );
}

#[test]
fn the_compiled_snapshot_parses_every_example() {
    for (file, body) in proactive_tests::examples() {
        let event: snapshot::Event =
            serde_json::from_value(body["event"].clone()).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(event.payload_value(), body["event"]["payload"]);
        assert_eq!(snapshot::EVENTS.len(), proactive_schemas::EVENTS.len());
    }
}

/// The request body around a payload of the written fixture's event.
fn garage_body(payload: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "timestamp": "2026-11-20T10:00:00Z",
        "referenceId": "garage-1",
        "expiryTime": "2026-11-20T12:00:00Z",
        "event": {"name": "ACME.Garage.SpacesFree", "payload": payload},
        "localizedAttributes": [],
        "relevantAudience": {"type": "Multicast", "payload": {}}
    })
}

#[test]
fn a_schema_with_every_feature_round_trips_its_example() {
    use proactive_tests::written::garage_spaces_free::{Address, GarageSpacesFree, META};
    use proactive_tests::written::EVENTS;

    let schema: serde_json::Value = serde_json::from_str(META.schema).unwrap();
    let example = schema["examples"][0].clone();
    let payload: GarageSpacesFree = serde_json::from_value(example.clone()).unwrap();
    let garage = &payload.garage;
    // One type per definition, shared by its users (`garage.address`, `entrances[].address`).
    let entrances = garage.entrances.as_ref().unwrap();
    let shared: [&Address; 2] = [&garage.address, &entrances[0].address];
    assert_eq!(shared[0], shared[1]);
    assert_eq!(garage.free_spaces, 42);
    assert_eq!(garage.occupancy, Some(0.85));
    assert!(garage.open24h);
    assert_eq!(garage.note, None);
    assert_eq!(&*garage.levels, &[-2, -1, 0]);
    assert_eq!(entrances[0].height_limit, Some(2.1));
    assert_eq!(entrances[1].height_limit, None);

    // Written back: a required nullable `None` is `null`; an optional one is left out.
    let mut expected = example.clone();
    expected["garage"]["entrances"][1]
        .as_object_mut()
        .unwrap()
        .remove("heightLimit");
    assert_eq!(serde_json::to_value(&payload).unwrap(), expected);
    assert_eq!(serde_json::from_value::<GarageSpacesFree>(expected).unwrap(), payload);

    // NaN and infinities have no JSON form: refused on output, never written as `null`.
    let mut nan = payload.clone();
    nan.garage.occupancy = Some(f64::NAN);
    let error = serde_json::to_value(&nan).unwrap_err().to_string();
    assert!(error.contains("NaN cannot be written as JSON"), "{error}");

    let validator = proactive_schemas::Validator::new(EVENTS);
    let body = garage_body(&example);
    let report = validator.validate(&body);
    assert!(report.errors.is_empty(), "{report}");
    assert_eq!(
        validator.preview(&body, "en-US").unwrap(),
        "Central has 42 free spaces."
    );
}

#[test]
fn each_rule_of_a_written_schema_is_enforced_with_its_pointer() {
    use proactive_tests::written::garage_spaces_free::{GarageSpacesFree, META};
    use proactive_tests::written::EVENTS;
    use serde_json::json;

    let schema: serde_json::Value = serde_json::from_str(META.schema).unwrap();
    let example = schema["examples"][0].clone();
    let validator = proactive_schemas::Validator::new(EVENTS);
    let cases = [
        ("/garage/freeSpaces", json!(-1), "-1 is less than the minimum 0"),
        (
            "/garage/freeSpaces",
            json!(5001),
            "5001 is greater than the maximum 5000",
        ),
        ("/garage/freeSpaces", json!(4.5), "expected an integer, found a number"),
        ("/garage/occupancy", json!(1.5), "1.5 is greater than the maximum 1"),
        ("/garage/occupancy", json!("most"), "expected a number, found a string"),
        ("/garage/open24h", json!("yes"), "expected a boolean, found a string"),
        (
            "/garage/website",
            json!("garages"),
            "\"garages\" is not an absolute URI",
        ),
        ("/garage/contact", json!("nobody"), "\"nobody\" is not an email address"),
        (
            "/garage/note",
            json!("x".repeat(201)),
            "is 201 character(s) long; the maximum is 200",
        ),
        ("/garage/note", json!(7), "expected"),
        ("/garage/openedOn", json!("2019-02-30"), "\"2019-02-30\" is not a date"),
        (
            "/garage/address/postcode",
            json!("1011"),
            "\"1011\" does not match the pattern `^[0-9]{5}$`",
        ),
        ("/garage/address/street", json!(""), "must not be empty"),
        (
            "/garage/address/street",
            json!("x".repeat(81)),
            "is 81 character(s) long; the maximum is 80",
        ),
        ("/garage/levels", json!([]), "expected at least 1 item(s), found 0"),
        ("/garage/levels/0", json!(-6), "-6 is less than the minimum -5"),
        ("/garage/levels/0", json!(2.5), "expected an integer, found a number"),
        (
            "/garage/entrances/0",
            json!(["not", "an", "object"]),
            "expected an object, found an array",
        ),
        (
            "/garage/entrances/0/address/postcode",
            json!("abcde"),
            "does not match the pattern",
        ),
        (
            "/garage/entrances/0/heightLimit",
            json!(1.0),
            "1.0 is less than the minimum 1.5",
        ),
        (
            "/garage/entrances/0/level",
            json!(21),
            "21 is greater than the maximum 20",
        ),
    ];
    for (pointer, value, message) in cases {
        let mut payload = example.clone();
        *payload.pointer_mut(pointer).unwrap() = value.clone();
        let errors = validator.validate(&garage_body(&payload)).errors;
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|d| (d.pointer.as_str(), d.message.as_str()))
            .collect();
        let expected_pointer = format!("/event/payload{pointer}");
        assert!(
            found.len() == 1 && found[0].0 == expected_pointer && found[0].1.contains(message),
            "{pointer} = {value}: expected one error at {expected_pointer} saying {message:?}, found {found:?}"
        );
        let typed = serde_json::from_value::<GarageSpacesFree>(payload);
        assert!(typed.is_err(), "{pointer} = {value}: the typed parse accepts it");
    }
    // A misspelt property inside a `$ref`'d definition: one error, with the right name suggested.
    let mut payload = example.clone();
    let address = payload["garage"]["entrances"][0]["address"].as_object_mut().unwrap();
    let postcode = address.remove("postcode").unwrap();
    address.insert("postCode".into(), postcode);
    let errors = validator.validate(&garage_body(&payload)).errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].pointer, "/event/payload/garage/entrances/0/address/postCode");
    assert_eq!(errors[0].suggestion.as_deref(), Some("postcode"), "{errors:?}");

    // A required nullable property may be null, not absent.
    let mut payload = example.clone();
    payload["garage"].as_object_mut().unwrap().remove("note");
    let errors = validator.validate(&garage_body(&payload)).errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].pointer, "/event/payload/garage/note");
    assert!(serde_json::from_value::<GarageSpacesFree>(payload).is_err());
}

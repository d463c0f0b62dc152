//! The example bodies: all valid, one per event, parse and serialize back unchanged, and preview.

use std::collections::BTreeSet;

use proactive_schemas::{Event, Request, EVENTS};
use proactive_tests::examples;

#[test]
fn every_example_is_valid_without_warnings() {
    let examples = examples();
    assert!(!examples.is_empty());
    for (file, body) in &examples {
        let report = proactive_schemas::validate(body);
        assert!(report.errors.is_empty(), "{}:\n{report}", file.display());
        assert!(report.warnings.is_empty(), "{}:\n{report}", file.display());
    }
}

#[test]
fn one_example_per_event_named_after_it() {
    let mut names = BTreeSet::new();
    for (file, body) in examples() {
        let name = body["event"]["name"].as_str().expect("event.name").to_owned();
        assert_eq!(
            file.file_stem().and_then(|s| s.to_str()),
            Some(name.as_str()),
            "{}",
            file.display()
        );
        names.insert(name);
    }
    let catalogue: BTreeSet<String> = EVENTS.iter().map(|m| m.name.to_owned()).collect();
    assert_eq!(names, catalogue);
    assert_eq!(catalogue.len(), 8, "spec §5 lists 8 events");
}

#[test]
fn parse_then_serialize_reproduces_the_input() {
    for (file, body) in examples() {
        let request: Request =
            serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let again = serde_json::to_value(&request).expect("serialize");
        assert_eq!(again, body, "{}", file.display());
        // The typed value validates the same as the JSON it came from.
        assert!(request.validate().is_valid(), "{}", file.display());
        // The event also round-trips on its own through the `Event` enum.
        let event: Event = serde_json::from_value(body["event"].clone()).expect("event");
        assert_eq!(event.name(), body["event"]["name"]);
        assert_eq!(event.payload_value(), body["event"]["payload"]);
    }
}

#[test]
fn every_example_previews_in_each_of_its_locales() {
    for (file, body) in examples() {
        let locales: Vec<&str> = body["localizedAttributes"]
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|e| e["locale"].as_str())
            .collect();
        for locale in if locales.is_empty() { vec!["en-US"] } else { locales } {
            let text = proactive_schemas::preview(&body, locale)
                .unwrap_or_else(|e| panic!("{} ({locale}): {e}", file.display()));
            assert!(
                !text.contains('{') && !text.contains("localizedattribute"),
                "{}: {text}",
                file.display()
            );
            assert!(text.ends_with(['.', '!']), "{}: {text}", file.display());
        }
    }
}

#[test]
fn weather_alert_preview_matches_the_spec_sentence() {
    let body = proactive_tests::read_json(
        &proactive_tests::workspace_root().join("examples/AMAZON.WeatherAlert.Activated.json"),
    );
    assert_eq!(
        proactive_schemas::preview(&body, "en-US").unwrap(),
        "There is a tornado alert for your area. Provided by Example Weather Corp."
    );
    let err = proactive_schemas::preview(&body, "fr-FR").unwrap_err();
    assert!(err.to_string().contains("no entry for locale `fr-FR`"), "{err}");
}

#[test]
fn unknown_event_names_get_a_suggestion() {
    let err = Event::from_parts("AMAZON.WeatherAlert.Activate", serde_json::json!({})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown event `AMAZON.WeatherAlert.Activate` (did you mean `AMAZON.WeatherAlert.Activated`?)"
    );
}

#[test]
fn metadata_lists_required_and_localizable_paths() {
    let meta = EVENTS
        .iter()
        .find(|m| m.name == "AMAZON.WeatherAlert.Activated")
        .unwrap();
    assert_eq!(
        meta.required().collect::<Vec<_>>(),
        ["weatherAlert", "weatherAlert.source", "weatherAlert.alertType"]
    );
    assert_eq!(meta.localizable().collect::<Vec<_>>(), ["weatherAlert.source"]);
    assert_eq!(
        meta.children("weatherAlert").collect::<Vec<_>>(),
        ["source", "alertType"]
    );
}

#[test]
fn a_request_is_only_ever_a_json_object() {
    let body = proactive_tests::read_json(
        &proactive_tests::workspace_root().join("examples/AMAZON.WeatherAlert.Activated.json"),
    );
    let as_array = serde_json::json!([
        body["timestamp"],
        body["referenceId"],
        body["expiryTime"],
        body["event"],
        body["localizedAttributes"],
        body["relevantAudience"]
    ]);
    assert!(serde_json::from_value::<Request>(as_array.clone()).is_err());
    assert!(!proactive_schemas::validate(&as_array).is_valid());
}

//! One truth for every value: date-times and integers at the edges are judged the same by the
//! validator, the typed parse, the envelope rules and the send-time check (the client's and the
//! emulator's door). Each case here was once accepted by one and refused by another.

use proactive_schemas::jiff::Timestamp;
use proactive_schemas::{validate, validate_for_sending, Request};
use serde_json::{json, Value};

fn example(name: &str) -> Value {
    let path = format!("{}/../examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The validator's errors, as `pointer: message` lines.
fn errors(body: &Value) -> Vec<String> {
    validate(body).errors.iter().map(ToString::to_string).collect()
}

/// Refused by the validator with one error at `pointer` mentioning `reason`, and by the typed parse.
fn refused_everywhere(body: &Value, pointer: &str, reason: &str) {
    let errors = errors(body);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&format!("{pointer}: ")) && e.contains(reason)),
        "expected an error at {pointer} mentioning {reason:?}: {errors:?}"
    );
    let typed = serde_json::from_value::<Request>(body.clone());
    assert!(typed.is_err(), "the typed parse accepted {body}");
    // The send-time door refuses it as well, whatever the clock says.
    let early: Timestamp = "2000-01-01T00:00:00Z".parse().unwrap();
    assert!(!validate_for_sending(body, early).is_valid());
}

#[test]
fn a_fraction_of_more_than_nine_digits_is_refused_everywhere() {
    let mut body = example("AMAZON.WeatherAlert.Activated");
    body["timestamp"] = json!("2026-11-20T10:00:00.1234567891Z");
    refused_everywhere(&body, "/timestamp", "at most 9 fractional digits");

    // Nine digits are fine for both.
    body["timestamp"] = json!("2026-11-20T10:00:00.123456789Z");
    assert_eq!(errors(&body), Vec::<String>::new());
    assert!(serde_json::from_value::<Request>(body).is_ok());
}

#[test]
fn an_instant_past_the_supported_range_is_refused_everywhere() {
    let mut body = example("AMAZON.WeatherAlert.Activated");
    body["expiryTime"] = json!("9999-12-31T23:59:59Z");
    refused_everywhere(&body, "/expiryTime", "after the latest instant supported");
}

#[test]
fn a_malformed_timestamp_does_not_let_a_ten_year_expiry_through() {
    // The envelope rule (expiry 5 min to 24 h after the timestamp) once skipped itself when the
    // timestamp did not parse, trusting the schema to have said so; the schema had not.
    let mut body = example("AMAZON.WeatherAlert.Activated");
    body["timestamp"] = json!("2026-11-20T10:00:00.0000000000Z");
    body["expiryTime"] = json!("2036-11-20T10:00:00Z");
    refused_everywhere(&body, "/timestamp", "at most 9 fractional digits");
}

#[test]
fn an_expired_event_is_refused_at_send_time_with_one_message() {
    let mut body = example("AMAZON.WeatherAlert.Activated");
    body["timestamp"] = json!("2020-01-01T10:00:00Z");
    body["expiryTime"] = json!("2020-01-01T11:00:00Z");
    assert!(validate(&body).is_valid(), "a well-formed request, in the past");
    let report = validate_for_sending(&body, Timestamp::now());
    let errors: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors, ["/expiryTime: the expiry time has already passed"]);
}

#[test]
fn integers_beyond_i64_are_refused_everywhere() {
    let pointer = "/event/payload/sportsEvent/homeTeamStatistic/score";
    for value in [
        json!(1e300),
        json!(9_223_372_036_854_775_808u64),
        json!(-1e300),
        json!(1.8446744073709552e19),
    ] {
        let mut body = example("AMAZON.SportsEvent.Updated");
        *body.pointer_mut(pointer).unwrap() = value.clone();
        refused_everywhere(&body, pointer, "out of range");
    }
    // The edges themselves, and an integral float, are integers for both.
    for value in [json!(i64::MAX), json!(i64::MIN), json!(3.0)] {
        let mut body = example("AMAZON.SportsEvent.Updated");
        *body.pointer_mut(pointer).unwrap() = value.clone();
        assert_eq!(errors(&body), Vec::<String>::new(), "{value}");
        assert!(serde_json::from_value::<Request>(body).is_ok(), "{value}");
    }
}

//! Shared checks for the fuzz targets in `fuzz_targets/`.
//!
//! Each target feeds one input door; every door must never panic, and where two parts of the
//! project judge the same input (the validator and the typed parse, a parse and its
//! serialization), they must agree. The assertions here state those agreements; their messages
//! start with `disagreement:` so a crash report says which promise broke.

pub mod mutate;

use proactive_schemas::validate::MAX_DIAGNOSTICS;
use proactive_schemas::{validate, Request, SubscriptionChanged};
use serde_json::Value;

/// The validator and the typed parse agree on a request body.
///
/// - `validate` never panics, keeps at most [`MAX_DIAGNOSTICS`] errors and warnings, and every
///   diagnostic names a JSON pointer (`""` or starting with `/`);
/// - a body the validator accepts (no errors) parses as a typed [`Request`];
/// - that typed request, serialized again, is still valid and parses back to an equal request;
/// - spoken previews of a valid body never panic.
pub fn check_request(body: &Value) {
    let report = validate(body);
    assert!(
        report.errors.len() <= MAX_DIAGNOSTICS && report.warnings.len() <= MAX_DIAGNOSTICS,
        "disagreement: report exceeds MAX_DIAGNOSTICS ({} errors, {} warnings)",
        report.errors.len(),
        report.warnings.len()
    );
    for d in report.errors.iter().chain(&report.warnings) {
        assert!(
            d.pointer.is_empty() || d.pointer.starts_with('/'),
            "disagreement: diagnostic pointer `{}` is not a JSON pointer ({d})",
            d.pointer
        );
    }
    if !report.is_valid() {
        return;
    }

    let typed: Request = match serde_json::from_value(body.clone()) {
        Ok(r) => r,
        Err(e) => panic!(
            "disagreement: the validator accepts the body but the typed parse refuses it: {e}\nbody: {body}\nreport: {report}"
        ),
    };
    let again = typed.to_value();
    let report_again = validate(&again);
    assert!(
        report_again.is_valid(),
        "disagreement: the typed request, serialized again, is invalid:\n{report_again}\nbody: {body}\nserialized: {again}"
    );
    let typed_again: Request = match serde_json::from_value(again.clone()) {
        Ok(r) => r,
        Err(e) => panic!("disagreement: the serialized typed request does not parse: {e}\nserialized: {again}"),
    };
    assert_eq!(
        typed_again, typed,
        "disagreement: parse -> serialize -> parse changed the typed request"
    );

    // Previews read the same body; they may refuse (unsupported locale …) but never panic.
    let _ = proactive_schemas::preview(body, "en-US");
    for entry in &typed.localized_attributes {
        let _ = typed.preview(&entry.locale);
    }
}

/// The text door and the value door agree: [`proactive_schemas::Validator::validate_str`] returns
/// exactly the report `validate` returns for the parsed text (or the parse error when the text is
/// no JSON), and a body the text path proves valid has an empty report.
pub fn check_text(text: &str) {
    let validator = proactive_schemas::validator();
    let by_text = validator.validate_str(text);
    let parsed = serde_json::from_str::<Value>(text);
    match (&by_text, &parsed) {
        (Ok(report), Ok(value)) => {
            let by_value = validator.validate(value);
            assert_eq!(
                report, &by_value,
                "disagreement: validate_str and validate differ on {text}"
            );
            if validator.proves_valid(text, None) {
                assert_eq!(
                    by_value,
                    proactive_schemas::Report::default(),
                    "disagreement: proven valid, but the report is not empty: {text}"
                );
            }
        }
        (Err(_), Err(_)) => {}
        _ => panic!("disagreement: validate_str and the parse differ on whether {text:?} is JSON"),
    }
}

/// A `ProactiveSubscriptionChanged` parse and its `to_value` agree: what parses, serialized,
/// parses to an equal value (from the value and from its bytes); a refusal names a JSON pointer.
pub fn check_subscription_changed(bytes: &[u8]) {
    let event = match SubscriptionChanged::from_slice(bytes) {
        Ok(event) => event,
        Err(e) => {
            assert!(
                e.pointer.is_empty() || e.pointer.starts_with('/'),
                "disagreement: error pointer `{}` is not a JSON pointer ({e})",
                e.pointer
            );
            return;
        }
    };
    let value = event.to_value();
    let again = match SubscriptionChanged::from_value(&value) {
        Ok(again) => again,
        Err(e) => panic!("disagreement: to_value of a parsed event does not parse: {e}\nvalue: {value}"),
    };
    assert_eq!(again, event, "disagreement: from_value(to_value(event)) != event");
    let bytes_again = serde_json::to_vec(&value).expect("a Value always serializes");
    let again = SubscriptionChanged::from_slice(&bytes_again)
        .unwrap_or_else(|e| panic!("disagreement: the serialized event does not parse from bytes: {e}"));
    assert_eq!(
        again, event,
        "disagreement: from_slice(to_vec(to_value(event))) != event"
    );
}

/// The file name the codegen target gives a fuzzed schema: `<title>.json` when the text has a
/// string `title` usable as a file name (so schema files from `schemas/` load as themselves),
/// else `AMAZON.Fuzz.Target.json`.
pub fn schema_file_name(text: &str) -> String {
    let title = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("title").and_then(Value::as_str).map(str::to_owned));
    match title {
        Some(t) if !t.is_empty() && t.len() <= 200 && !t.contains(['/', '\\', '\0']) && t != "." && t != ".." => {
            format!("{t}.json")
        }
        _ => "AMAZON.Fuzz.Target.json".to_owned(),
    }
}

/// Codegen on one schema file: loading never panics; what loads, emits, and the emitted code is
/// a Rust file `syn` parses (both the tokens and the formatted text).
pub fn check_codegen(text: &str) {
    use proactive_codegen::ir::{load_str, Catalogue};
    use proactive_codegen::{generate, generate_tokens, Options};

    let name = schema_file_name(text);
    let path = std::path::Path::new(&name);
    let event = match load_str(path, text) {
        Ok(Some(event)) => event,
        Ok(None) => return, // an envelope file (`"x-envelope": true`) is skipped by design
        Err(errors) => {
            assert!(!errors.is_empty(), "disagreement: load_str failed with no error");
            for e in &errors {
                let _ = e.to_string();
            }
            return;
        }
    };
    let catalogue = Catalogue { events: vec![event] };
    let options = Options::default();
    let tokens = generate_tokens(&catalogue, &options);
    if let Err(e) = syn::parse2::<syn::File>(tokens.clone()) {
        panic!("disagreement: schema loads but the generated tokens are not a Rust file: {e}\nschema: {text}\ntokens: {tokens}");
    }
    let code = generate(&catalogue, &options);
    if let Err(e) = syn::parse_file(&code) {
        panic!(
            "disagreement: schema loads but the generated text is not a Rust file: {e}\nschema: {text}\ncode:\n{code}"
        );
    }
}

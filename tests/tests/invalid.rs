//! The invalid-request corpus: each body is rejected with exactly the expected JSON pointers.

use std::collections::BTreeSet;

use proactive_tests::cases;

#[test]
fn corpus_is_large_enough() {
    let n = cases("invalid").len();
    assert!(n >= 30, "the corpus has {n} cases; the foundation promises at least 30");
}

#[test]
fn every_invalid_request_is_rejected_with_the_expected_pointers() {
    let mut failures = Vec::new();
    for case in cases("invalid") {
        assert!(
            !case.expected.is_empty(),
            "{}: an invalid case must expect errors",
            case.file.display()
        );
        let report = proactive_schemas::validate(&case.request);
        let got: BTreeSet<&str> = report.errors.iter().map(|d| d.pointer.as_str()).collect();
        let want: BTreeSet<&str> = case.expected.iter().map(String::as_str).collect();
        if got != want {
            failures.push(format!(
                "{} ({}):\n  expected {want:?}\n  got      {got:?}\n{report}",
                case.file.file_name().unwrap().to_string_lossy(),
                case.description
            ));
        }
        for d in &report.errors {
            assert!(
                !d.message.is_empty(),
                "{}: empty message at {}",
                case.file.display(),
                d.pointer
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn warnings_are_kept_apart_from_errors() {
    let cases = cases("warnings");
    assert!(!cases.is_empty());
    for case in cases {
        let report = proactive_schemas::validate(&case.request);
        let errors: Vec<&str> = report.errors.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(errors, case.expected, "{}:\n{report}", case.file.display());
        let warnings: Vec<&str> = report.warnings.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            Some(warnings.iter().map(|s| s.to_string()).collect()),
            case.warnings,
            "{}",
            case.file.display()
        );
        assert!(report.is_valid());
    }
}

#[test]
fn typos_get_suggestions() {
    let body = serde_json::json!({
        "timestamp": "2026-11-20T10:00:00Z",
        "referenceId": "typo1",
        "expiryTime": "2026-11-20T11:00:00Z",
        "event": {"name": "AMAZON.TrashCollectionAlert.Activated",
                  "payload": {"alert": {"garbageType": ["GLASS"], "collectionDayOfWeek": "MONDAI"}}},
        "localizedAttributes": [],
        "relevantAudience": {"type": "Multicast", "payload": {}}
    });
    let report = proactive_schemas::validate(&body);
    let found: Vec<(&str, Option<&str>)> = report
        .errors
        .iter()
        .map(|d| (d.pointer.as_str(), d.suggestion.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            ("/event/payload/alert/collectionDayOfWeek", Some("MONDAY")),
            // One mistake, one error: no second "missing required `garbageTypes`".
            ("/event/payload/alert/garbageType", Some("garbageTypes")),
        ]
    );
}

#[test]
fn non_objects_are_rejected_at_the_root() {
    for body in [serde_json::json!([]), serde_json::json!("x"), serde_json::json!(null)] {
        let report = proactive_schemas::validate(&body);
        assert_eq!(report.errors.len(), 1);
        assert_eq!(report.errors[0].pointer, "");
    }
}

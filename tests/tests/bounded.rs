//! Validation is bounded: bodies built to multiply diagnostics yield at most `MAX_DIAGNOSTICS`
//! errors and as many warnings, plus an exact count of the rest, and messages stay short.
//!
//! `measure_worst_cases` prints (never asserts) the time and peak heap of the worst bodies found:
//! `cargo test --release -p proactive-tests --test bounded -- --ignored --nocapture --test-threads=1`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use proactive_schemas::validate::MAX_DIAGNOSTICS;
use proactive_schemas::Report;
use serde_json::{json, Map, Value};

/// Counts live heap bytes and their peak, for the measurement.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn request(event: Value, localized: Value) -> Value {
    json!({
        "timestamp": "2026-11-20T10:00:00Z",
        "referenceId": "bounded1",
        "expiryTime": "2026-11-20T11:00:00Z",
        "event": event,
        "localizedAttributes": localized,
        "relevantAudience": {"type": "Multicast", "payload": {}}
    })
}

/// A weather alert whose `source` is an array of `refs` distinct localized keys, with `entries`
/// empty `localizedAttributes` entries: once one error per (reference, entry) pair.
///
/// Errors: `source` is not a string (1), each entry lacks `locale` (`entries`), each entry lacks
/// each key (`refs × entries`).
fn keys_times_entries(refs: usize, entries: usize) -> (Value, usize) {
    let keys: Vec<Value> = (0..refs).map(|i| json!(format!("localizedattribute:k{i}"))).collect();
    let entries_json: Vec<Value> = (0..entries).map(|_| json!({})).collect();
    let body = request(
        json!({"name": "AMAZON.WeatherAlert.Activated",
               "payload": {"weatherAlert": {"source": keys, "alertType": "TORNADO"}}}),
        json!(entries_json),
    );
    (body, 1 + entries + refs * entries)
}

/// `n` unknown properties at the top level and `n` in the payload.
fn unknown_properties(n: usize) -> (Value, usize) {
    let extra = |prefix: &str| -> Map<String, Value> { (0..n).map(|i| (format!("{prefix}{i}"), json!(1))).collect() };
    let mut alert = extra("unknownAlert");
    alert.insert("source".into(), json!("Example"));
    alert.insert("alertType".into(), json!("TORNADO"));
    let mut body = request(
        json!({"name": "AMAZON.WeatherAlert.Activated", "payload": {"weatherAlert": alert}}),
        json!([]),
    );
    body.as_object_mut().unwrap().extend(extra("unknownTop"));
    (body, 2 * n)
}

/// `n` invalid garbage types: each item fails the enum, and the array is too long.
fn many_enum_errors(n: usize) -> (Value, usize) {
    let items: Vec<Value> = (0..n).map(|i| json!(format!("NOPE{i}"))).collect();
    let body = request(
        json!({"name": "AMAZON.TrashCollectionAlert.Activated",
               "payload": {"alert": {"garbageTypes": items, "collectionDayOfWeek": "MONDAY"}}}),
        json!([]),
    );
    (body, n + 1)
}

/// Every error and warning kept is sorted by pointer, and there are no more than the cap.
fn assert_bounded(report: &Report) {
    assert!(report.errors.len() <= MAX_DIAGNOSTICS);
    assert!(report.warnings.len() <= MAX_DIAGNOSTICS);
    assert!(report.errors.windows(2).all(|w| w[0].pointer <= w[1].pointer));
    assert!(report.warnings.windows(2).all(|w| w[0].pointer <= w[1].pointer));
    for d in report.errors.iter().chain(&report.warnings) {
        assert!(d.message.len() <= 1_000, "a long message: {} bytes", d.message.len());
    }
    // One line per diagnostic kept, plus one per severity for the rest.
    let text = report.to_string();
    assert!(text.lines().count() <= 2 * MAX_DIAGNOSTICS + 2);
}

#[test]
fn keys_times_locales_report_each_missing_key_once_and_count_the_rest() {
    let (body, expected) = keys_times_entries(2_000, 30);
    let report = proactive_schemas::validate(&body);
    assert_bounded(&report);
    assert!(!report.is_valid());
    assert_eq!(report.errors.len(), MAX_DIAGNOSTICS);
    assert_eq!(report.error_count(), expected);
    assert_eq!(report.omitted_errors, expected - MAX_DIAGNOSTICS);
    // The kept errors are the first by pointer.
    assert_eq!(report.errors[0].pointer, "/event/payload/weatherAlert/source");
    assert_eq!(report.errors[1].pointer, "/localizedAttributes/0/k0");
    assert_eq!(report.errors[2].pointer, "/localizedAttributes/0/k1");
    assert_eq!(report.errors[3].pointer, "/localizedAttributes/0/k10");
    let text = report.to_string();
    assert!(
        text.contains(&format!("… and {} more errors", expected - MAX_DIAGNOSTICS)),
        "{text}"
    );
}

#[test]
fn a_key_referenced_many_times_is_reported_once_per_entry() {
    let refs: Vec<Value> = (0..500).map(|_| json!("localizedattribute:source")).collect();
    let body = request(
        json!({"name": "AMAZON.WeatherAlert.Activated",
               "payload": {"weatherAlert": {"source": refs, "alertType": "TORNADO"}}}),
        json!([{"locale": "en-US"}, {"locale": "de-DE", "source": "Beispiel"}]),
    );
    let report = proactive_schemas::validate(&body);
    let missing: Vec<&str> = report
        .errors
        .iter()
        .filter(|d| d.pointer.starts_with("/localizedAttributes"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        missing,
        ["locale `en-US` does not define the key `source` referenced at /event/payload/weatherAlert/source/0 (and 499 more places)"]
    );
}

#[test]
fn the_worst_body_of_the_maximum_size_is_counted_exactly() {
    // About 256 KiB, the servers' body limit: once some 200 million errors.
    let (body, expected) = keys_times_entries(5_000, 43_000);
    let report = proactive_schemas::validate(&body);
    assert_bounded(&report);
    assert_eq!(report.errors.len(), MAX_DIAGNOSTICS);
    assert_eq!(report.error_count(), expected);
}

#[test]
fn thousands_of_unknown_properties_keep_a_hundred_errors() {
    let (body, expected) = unknown_properties(5_000);
    let report = proactive_schemas::validate(&body);
    assert_bounded(&report);
    assert_eq!(report.errors.len(), MAX_DIAGNOSTICS);
    assert_eq!(report.error_count(), expected);
    assert!(report.errors.iter().all(|d| d.message.starts_with("unknown property")));
}

#[test]
fn thousands_of_schema_errors_keep_a_hundred() {
    let (body, expected) = many_enum_errors(5_000);
    let report = proactive_schemas::validate(&body);
    assert_bounded(&report);
    assert_eq!(report.errors.len(), MAX_DIAGNOSTICS);
    assert_eq!(report.error_count(), expected);
}

#[test]
fn warnings_are_capped_too() {
    let mut entry: Map<String, Value> = (0..5_000).map(|i| (format!("unused{i}"), json!("x"))).collect();
    entry.insert("locale".into(), json!("en-US"));
    let body = request(
        json!({"name": "AMAZON.WeatherAlert.Activated",
               "payload": {"weatherAlert": {"source": "Example", "alertType": "TORNADO"}}}),
        json!([entry]),
    );
    let report = proactive_schemas::validate(&body);
    assert_bounded(&report);
    assert!(report.is_valid(), "{report}");
    assert_eq!(report.warnings.len(), MAX_DIAGNOSTICS);
    assert_eq!(report.warning_count(), 5_000);
    assert!(report.to_string().contains("warning: … and 4900 more warnings"));
}

#[test]
fn omitted_errors_alone_make_a_report_invalid() {
    let report = Report {
        omitted_errors: 1,
        ..Report::default()
    };
    assert!(!report.is_valid());
    assert_eq!(report.to_string(), "error: … and 1 more error\n");
}

#[test]
fn long_values_make_short_messages_and_no_suggestions() {
    let long = "x".repeat(100_000);
    let mut body = request(
        json!({"name": long.clone(), "payload": {}}),
        json!([{"locale": long.clone()}, {"locale": format!("en-U{long}")}]),
    );
    body.as_object_mut()
        .unwrap()
        .insert(format!("referenceI{long}"), json!(1));
    body["referenceId"] = json!(long.clone());
    let report = proactive_schemas::validate(&body);
    assert_bounded(&report);
    assert!(report.errors.len() >= 5, "{report}");
    assert!(report.errors.iter().all(|d| d.suggestion.is_none()), "{report}");
    // The pointer is exact, however long.
    assert!(report.errors.iter().any(|d| d.pointer == format!("/referenceI{long}")));
}

#[test]
fn deep_unknown_nesting_is_not_walked() {
    // Deep inside an unknown property, with long keys: nothing to search for references.
    let mut inner = json!("localizedattribute:deep");
    for i in 0..100 {
        inner = json!({ format!("{}{i}", "k".repeat(1_000)): inner });
    }
    let body = request(
        json!({"name": "AMAZON.WeatherAlert.Activated",
               "payload": {"weatherAlert": {"source": "Example", "alertType": "TORNADO", "extra": inner}}}),
        json!([]),
    );
    let report = proactive_schemas::validate(&body);
    assert_bounded(&report);
    let pointers: Vec<&str> = report.errors.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(pointers, ["/event/payload/weatherAlert/extra"]);
}

/// Prints (never asserts) the time and peak heap of validating the worst bodies found.
#[test]
#[ignore = "a measurement: run with --release -- --ignored --nocapture --test-threads=1"]
fn measure_worst_cases() {
    let _ = proactive_schemas::validate(&json!({})); // compile the schemas first
    let cases = [
        ("2,000 keys x 30 locales", keys_times_entries(2_000, 30).0),
        ("500 keys x 4,333 entries", keys_times_entries(500, 4_333).0),
        ("5,000 keys x 43,000 entries", keys_times_entries(5_000, 43_000).0),
        ("2 x 5,000 unknown properties", unknown_properties(5_000).0),
        ("30,000 bad enum values", many_enum_errors(30_000).0),
    ];
    for (name, body) in cases {
        let size = serde_json::to_vec(&body).map_or(0, |v| v.len());
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let start = std::time::Instant::now();
        let report = proactive_schemas::validate(&body);
        let elapsed = start.elapsed();
        let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
        println!(
            "{name} ({} KB): {} errors found, {} kept, {elapsed:.2?}, peak {:.1} MiB",
            size / 1000,
            report.error_count(),
            report.errors.len(),
            peak as f64 / (1024.0 * 1024.0)
        );
    }
}

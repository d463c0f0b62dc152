//! One validator for typed requests and raw JSON (spec §4–§5).
//!
//! The JSON Schema files are the final word on structure (compiled once per process and cached);
//! the checks JSON Schema cannot express are done here: the expiry window, event names with a
//! suggestion, locale tags, and the cross-references between the payload's
//! `"localizedattribute:<key>"` values and `localizedAttributes`. Every problem is reported, each
//! with the RFC 6901 JSON pointer of the offending value; warnings are kept apart from errors.
//!
//! ```
//! let body = serde_json::json!({
//!     "timestamp": "2026-11-20T10:00:00Z",
//!     "referenceId": "abc 123",
//!     "expiryTime": "2026-11-20T10:01:00Z",
//!     "event": {"name": "AMAZON.WeatherAlert.Activated",
//!               "payload": {"weatherAlert": {"source": "Example", "alertTyp": "TORNADO"}}},
//!     "localizedAttributes": [],
//!     "relevantAudience": {"type": "Multicast", "payload": {}}
//! });
//! let report = proactive_schemas::validate(&body);
//! let pointers: Vec<&str> = report.errors.iter().map(|d| d.pointer.as_str()).collect();
//! assert_eq!(pointers, [
//!     "/event/payload/weatherAlert/alertTyp",
//!     "/event/payload/weatherAlert/alertType",
//!     "/expiryTime",
//!     "/referenceId",
//! ]);
//! assert_eq!(report.errors[0].suggestion.as_deref(), Some("alertType"));
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::datetime::DateTime;
use crate::locale::{is_alexa_locale, ALEXA_LOCALES};
use crate::localizable::{is_valid_key, LOCALIZED_PREFIX};
use crate::meta::{AttributeKind, EventMeta};
use crate::suggest::suggest;

/// The envelope schema (`schemas/envelope.json`).
pub const ENVELOPE_SCHEMA: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/envelope.json"));

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Amazon rejects the request (or silently drops it).
    Error,
    /// Amazon accepts it, but it probably does not do what was meant.
    Warning,
}

/// One problem, located by an RFC 6901 JSON pointer into the request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where: e.g. `/event/payload/weatherAlert/alertType` (`""` is the whole body).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// A likely intended value or name, when there is one.
    pub suggestion: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

/// The outcome of validating one request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems that make Amazon reject the request, sorted by pointer.
    pub errors: Vec<Diagnostic>,
    /// Problems Amazon lets through, sorted by pointer.
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// No errors (warnings may remain).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>, suggestion: Option<String>) {
        self.errors.push(Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            message: message.into(),
            suggestion,
        });
    }

    fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Diagnostic {
            severity: Severity::Warning,
            pointer: pointer.into(),
            message: message.into(),
            suggestion: None,
        });
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.errors {
            writeln!(f, "error: {d}")?;
        }
        for d in &self.warnings {
            writeln!(f, "warning: {d}")?;
        }
        Ok(())
    }
}

/// A validator for a catalogue of events, with every schema compiled once.
pub struct Validator {
    envelope: Compiled,
    events: HashMap<&'static str, (&'static EventMeta, Compiled)>,
    names: Vec<&'static str>,
}

struct Compiled {
    validator: Option<jsonschema::Validator>,
    schema: Value,
    problem: Option<String>,
}

impl Compiled {
    fn new(text: &str) -> Self {
        let schema: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                return Compiled {
                    validator: None,
                    schema: Value::Null,
                    problem: Some(format!("schema is not valid JSON: {e}")),
                }
            }
        };
        match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
        {
            Ok(v) => Compiled {
                validator: Some(v),
                schema,
                problem: None,
            },
            Err(e) => Compiled {
                validator: None,
                schema,
                problem: Some(format!("schema does not compile: {e}")),
            },
        }
    }
}

impl fmt::Debug for Validator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Validator")
            .field("events", &self.names)
            .finish_non_exhaustive()
    }
}

/// The validator for the built-in catalogue, compiled on first use.
pub fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| Validator::new(crate::EVENTS))
}

/// Validates a request body against the built-in catalogue (see the [module docs](self)).
pub fn validate(request: &Value) -> Report {
    validator().validate(request)
}

impl Validator {
    /// Compiles the envelope schema and the schema of each event: the built-in [`crate::EVENTS`],
    /// or the `EVENTS` of a module generated by `proactive-codegen` from your own schema files.
    pub fn new(events: &[&'static EventMeta]) -> Self {
        let mut names: Vec<&'static str> = events.iter().map(|m| m.name).collect();
        names.sort_unstable();
        Validator {
            envelope: Compiled::new(ENVELOPE_SCHEMA),
            events: events.iter().map(|m| (m.name, (*m, Compiled::new(m.schema)))).collect(),
            names,
        }
    }

    /// What Alexa would say for a request body in `locale` (see [`crate::preview()`]).
    pub fn preview(&self, request: &Value, locale: &str) -> Result<String, crate::PreviewError> {
        crate::preview::preview_with(self, request, locale)
    }

    /// The metadata of a known event.
    pub fn event(&self, name: &str) -> Option<&'static EventMeta> {
        self.events.get(name).map(|(m, _)| *m)
    }

    /// Checks a request body; reports every problem.
    pub fn validate(&self, request: &Value) -> Report {
        let mut report = Report::default();
        if !request.is_object() {
            report.error(
                "",
                format!("a request body must be a JSON object, found {}", json_type(request)),
                None,
            );
            return report;
        }
        schema_errors(&self.envelope, request, "", &mut report);

        let meta = match request.pointer("/event/name") {
            Some(Value::String(name)) => match self.events.get(name.as_str()) {
                Some((meta, compiled)) => {
                    if let Some(payload @ Value::Object(_)) = request.pointer("/event/payload") {
                        schema_errors(compiled, payload, "/event/payload", &mut report);
                    }
                    Some(*meta)
                }
                None => {
                    let suggestion = suggest(name, self.names.iter().copied()).map(str::to_owned);
                    report.error("/event/name", format!("unknown event `{name}`"), suggestion);
                    None
                }
            },
            _ => None,
        };

        expiry_window(request, &mut report);
        localized(request, meta, &mut report);

        report.errors.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        report.errors.dedup();
        report.warnings.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        report
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Runs a compiled schema and turns its errors into diagnostics under `prefix`.
fn schema_errors(compiled: &Compiled, instance: &Value, prefix: &str, report: &mut Report) {
    let Some(validator) = &compiled.validator else {
        let problem = compiled.problem.clone().unwrap_or_default();
        report.error(prefix, format!("cannot check against this schema: {problem}"), None);
        return;
    };
    // Most requests are valid, and a yes/no answer is much cheaper than collecting errors.
    if validator.is_valid(instance) {
        return;
    }
    for error in validator.iter_errors(instance) {
        let at = format!("{prefix}{}", error.instance_path().as_str());
        let value = error.instance();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                // The schema object holding `additionalProperties` lists the known names.
                let schema_path = error.schema_path().as_str();
                let parent = schema_path.strip_suffix("/additionalProperties").unwrap_or(schema_path);
                let known: Vec<&str> = compiled
                    .schema
                    .pointer(&format!("{parent}/properties"))
                    .and_then(Value::as_object)
                    .map(|m| m.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                for name in unexpected {
                    let suggestion = suggest(name, known.iter().copied()).map(str::to_owned);
                    report.error(
                        format!("{at}/{}", escape(name)),
                        format!("unknown property `{name}`"),
                        suggestion,
                    );
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                report.error(
                    format!("{at}/{}", escape(name)),
                    format!("missing required property `{name}`"),
                    None,
                );
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => format!("{t}"),
                    TypeKind::Multiple(ts) => format!("{ts:?}"),
                };
                report.error(
                    at,
                    format!("expected {}, found {}", article(&expected), json_type(value)),
                    None,
                );
            }
            ValidationErrorKind::Enum { options } => {
                let values: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let suggestion = value
                    .as_str()
                    .and_then(|s| suggest(s, values.iter().copied()))
                    .map(str::to_owned);
                report.error(at, format!("{} is not one of {}", value, values.join(", ")), suggestion);
            }
            ValidationErrorKind::Format { format } if format == "date-time" => {
                report.error(
                    at,
                    format!("{value} is not an RFC 3339 date-time (e.g. \"2026-11-20T10:00:00Z\")"),
                    None,
                );
            }
            ValidationErrorKind::Pattern { .. } if at == "/referenceId" => {
                report.error(
                    at,
                    format!("{value} is not a valid reference id: 1 to 100 characters of A-Z, a-z, 0-9, `~` and `-`"),
                    None,
                );
            }
            ValidationErrorKind::MinItems { limit } => {
                report.error(
                    at,
                    format!(
                        "expected at least {limit} item(s), found {}",
                        value.as_array().map_or(0, Vec::len)
                    ),
                    None,
                );
            }
            ValidationErrorKind::MaxItems { limit } => {
                report.error(
                    at,
                    format!(
                        "expected at most {limit} item(s), found {}",
                        value.as_array().map_or(0, Vec::len)
                    ),
                    None,
                );
            }
            ValidationErrorKind::MaxProperties { limit: 0 } if at == "/relevantAudience/payload" => {
                report.error(at, "a Multicast audience takes an empty payload `{}`", None);
            }
            ValidationErrorKind::MinLength { limit: 1 } => report.error(at, "must not be empty", None),
            _ => report.error(at, error.to_string(), None),
        }
    }
}

fn article(type_name: &str) -> String {
    match type_name {
        "object" | "array" | "integer" => format!("an {type_name}"),
        "string" | "number" | "boolean" => format!("a {type_name}"),
        other => other.to_owned(),
    }
}

/// Spec §4: expiryTime is 5 minutes to 24 hours after timestamp, both bounds inclusive.
fn expiry_window(request: &Value, report: &mut Report) {
    let parse = |key: &str| {
        request
            .get(key)
            .and_then(Value::as_str)
            .and_then(|s| DateTime::parse(s).ok())
    };
    let (Some(timestamp), Some(expiry)) = (parse("timestamp"), parse("expiryTime")) else {
        // A missing or malformed date-time is already reported by the schema.
        return;
    };
    let gap = expiry.timestamp().duration_since(timestamp.timestamp());
    let min = jiff::SignedDuration::from_mins(5);
    let max = jiff::SignedDuration::from_hours(24);
    if gap < jiff::SignedDuration::ZERO {
        report.error(
            "/expiryTime",
            format!("expiryTime {} is before timestamp {}", expiry, timestamp),
            None,
        );
    } else if gap < min {
        report.error(
            "/expiryTime",
            format!(
                "expiryTime is {} after timestamp; it must be at least 5 minutes after",
                human(gap)
            ),
            None,
        );
    } else if gap > max {
        report.error(
            "/expiryTime",
            format!(
                "expiryTime is {} after timestamp; it must be at most 24 hours after",
                human(gap)
            ),
            None,
        );
    }
}

fn human(d: jiff::SignedDuration) -> String {
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

/// A `"localizedattribute:<key>"` reference found in the payload.
struct KeyRef {
    key: String,
    pointer: String,
}

/// Collects localized-attribute references in the payload, checking each sits on an
/// `x-localizable` attribute and names a valid key.
fn payload_keys(
    meta: &EventMeta,
    value: &Value,
    path: &str,
    pointer: &str,
    report: &mut Report,
    out: &mut Vec<KeyRef>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                payload_keys(meta, v, &child, &format!("{pointer}/{}", escape(k)), report, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                payload_keys(meta, v, path, &format!("{pointer}/{i}"), report, out);
            }
        }
        Value::String(s) => {
            let Some(key) = s.strip_prefix(LOCALIZED_PREFIX) else {
                return;
            };
            let Some(attr) = meta.attribute(path) else { return }; // unknown property: reported by the schema
            if !matches!(attr.kind, AttributeKind::String) {
                return; // enums and date-times: the schema reports the value itself
            }
            if !attr.localizable {
                let localizable: Vec<&str> = meta.localizable().collect();
                let hint = if localizable.is_empty() {
                    format!("`{}` has no localizable attributes", meta.name)
                } else {
                    format!("localizable attributes of `{}`: {}", meta.name, localizable.join(", "))
                };
                report.error(
                    pointer,
                    format!("`{path}` is not localizable, so it cannot hold {s:?} ({hint})"),
                    None,
                );
            } else if !is_valid_key(key) {
                report.error(
                    pointer,
                    format!(
                        "{s:?} names an invalid key: localized attribute keys are one or more ASCII letters and digits"
                    ),
                    None,
                );
            } else {
                out.push(KeyRef {
                    key: key.to_owned(),
                    pointer: pointer.to_owned(),
                });
            }
        }
        _ => {}
    }
}

/// Spec §4 localization rules: locale tags, one entry per locale, every referenced key defined
/// in every entry, keys only on localizable attributes; plus the per-event locale warning.
fn localized(request: &Value, meta: Option<&EventMeta>, report: &mut Report) {
    let mut refs = Vec::new();
    if let (Some(meta), Some(payload @ Value::Object(_))) = (meta, request.pointer("/event/payload")) {
        payload_keys(meta, payload, "", "/event/payload", report, &mut refs);
    }
    let Some(Value::Array(entries)) = request.get("localizedAttributes") else {
        return; // missing or not an array: reported by the schema
    };
    if entries.is_empty() {
        for r in &refs {
            report.error(
                &r.pointer,
                format!(
                    "references the localized key `{}`, but localizedAttributes is empty",
                    r.key
                ),
                None,
            );
        }
        return;
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let Value::Object(entry) = entry else { continue }; // reported by the schema
        let locale = entry.get("locale").and_then(Value::as_str);
        if let Some(locale) = locale {
            let pointer = format!("/localizedAttributes/{i}/locale");
            if !is_alexa_locale(locale) {
                let suggestion = suggest(locale, ALEXA_LOCALES.iter().copied()).map(str::to_owned);
                report.error(
                    &pointer,
                    format!(
                        "`{locale}` is not an Alexa locale (one of {})",
                        ALEXA_LOCALES.join(", ")
                    ),
                    suggestion,
                );
            } else if let Some(first) = seen.insert(locale, i) {
                seen.insert(locale, first);
                report.error(
                    &pointer,
                    format!("locale `{locale}` already has an entry (/localizedAttributes/{first})"),
                    None,
                );
            } else if let Some(supported) = meta.and_then(|m| m.locales) {
                if !supported.contains(&locale) {
                    report.warning(
                        &pointer,
                        format!(
                            "Amazon supports `{}` only in {}; `{locale}` users may not hear it",
                            meta.map_or("", |m| m.name),
                            supported.join(", ")
                        ),
                    );
                }
            }
        }
        let label = locale.map_or_else(|| format!("entry {i}"), |l| format!("locale `{l}`"));
        for r in &refs {
            if !entry.contains_key(&r.key) {
                report.error(
                    format!("/localizedAttributes/{i}/{}", escape(&r.key)),
                    format!(
                        "{label} does not define the key `{}` referenced at {}",
                        r.key, r.pointer
                    ),
                    None,
                );
            }
        }
        if meta.is_some() {
            for key in entry.keys().filter(|k| *k != "locale") {
                if !refs.iter().any(|r| r.key == *key) {
                    report.warning(
                        format!("/localizedAttributes/{i}/{}", escape(key)),
                        format!("the key `{key}` is not referenced by the payload"),
                    );
                }
            }
        }
    }
}

//! One validator for typed requests and raw JSON (spec §4–§5).
//!
//! The JSON Schema files are the final word on structure (compiled once per process and cached);
//! the checks JSON Schema cannot express are done here: the expiry window, event names with a
//! suggestion, locale tags, and the cross-references between the payload's
//! `"localizedattribute:<key>"` values and `localizedAttributes`. Every problem is reported, each
//! with the RFC 6901 JSON pointer of the offending value; warnings are kept apart from errors.
//!
//! The validator faces bodies from the network, so its work is linear in the body and its report
//! is bounded: the first [`MAX_DIAGNOSTICS`] errors and warnings by pointer are described, the
//! rest only counted ([`Report::omitted_errors`]); a key missing from a locale's entry is one error
//! however often it is referenced; quoted values are cut short, and suggestions are only sought
//! for short names.
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
//! // The misspelt `alertTyp` is one error, with its suggestion (no second "missing `alertType`").
//! assert_eq!(pointers, [
//!     "/event/payload/weatherAlert/alertTyp",
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
use crate::integer::IntegerValue;
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

/// How many errors, and how many warnings, a [`Report`] keeps: the first by JSON pointer. A body
/// built to multiply problems still yields a report of bounded size; the rest are only counted.
pub const MAX_DIAGNOSTICS: usize = 100;

/// The outcome of validating one request.
///
/// At most [`MAX_DIAGNOSTICS`] errors and as many warnings are kept, those with the first JSON
/// pointers; how many more were found is in [`omitted_errors`](Self::omitted_errors) and
/// [`omitted_warnings`](Self::omitted_warnings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems that make Amazon reject the request, sorted by pointer.
    pub errors: Vec<Diagnostic>,
    /// Problems Amazon lets through, sorted by pointer.
    pub warnings: Vec<Diagnostic>,
    /// Errors found beyond those kept in `errors` (counted, not described).
    pub omitted_errors: usize,
    /// Warnings found beyond those kept in `warnings` (counted, not described).
    pub omitted_warnings: usize,
}

impl Report {
    /// No errors (warnings may remain), omitted ones included.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty() && self.omitted_errors == 0
    }

    /// Every error found: those kept plus those omitted.
    pub fn error_count(&self) -> usize {
        self.errors.len().saturating_add(self.omitted_errors)
    }

    /// Every warning found: those kept plus those omitted.
    pub fn warning_count(&self) -> usize {
        self.warnings.len().saturating_add(self.omitted_warnings)
    }

    /// `"… and 3 more errors"`: what stands for the omitted diagnostics of a severity, if any.
    ///
    /// ```
    /// use proactive_schemas::{Report, Severity};
    ///
    /// let report = Report { omitted_errors: 3, ..Report::default() };
    /// assert_eq!(report.omitted_note(Severity::Error).as_deref(), Some("… and 3 more errors"));
    /// assert_eq!(report.omitted_note(Severity::Warning), None);
    /// ```
    pub fn omitted_note(&self, severity: Severity) -> Option<String> {
        let (n, one, many) = match severity {
            Severity::Error => (self.omitted_errors, "error", "errors"),
            Severity::Warning => (self.omitted_warnings, "warning", "warnings"),
        };
        (n > 0).then(|| format!("… and {n} more {}", if n == 1 { one } else { many }))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.errors {
            writeln!(f, "error: {d}")?;
        }
        if let Some(note) = self.omitted_note(Severity::Error) {
            writeln!(f, "error: {note}")?;
        }
        for d in &self.warnings {
            writeln!(f, "warning: {d}")?;
        }
        if let Some(note) = self.omitted_note(Severity::Warning) {
            writeln!(f, "warning: {note}")?;
        }
        Ok(())
    }
}

/// Diagnostics of one severity as they are found: the [`MAX_DIAGNOSTICS`] first by pointer are
/// kept (in the order found among equal pointers, without exact repeats), the rest counted.
///
/// A diagnostic's message and suggestion are built only if it is kept, so a body with a million
/// problems costs a million pointer comparisons, not a million messages. (The count of omitted
/// ones is exact, except that an exact repeat of a problem past the cap is counted again; no rule
/// of the catalogue repeats one.)
struct Capped {
    severity: Severity,
    kept: BTreeMap<(String, u64), (String, Option<String>)>,
    found: u64,
    omitted: usize,
}

impl Capped {
    fn new(severity: Severity) -> Self {
        Capped {
            severity,
            kept: BTreeMap::new(),
            found: 0,
            omitted: 0,
        }
    }

    /// Whether a diagnostic at `pointer` could be kept (it may still be a repeat).
    fn admits(&self, pointer: &str) -> bool {
        self.kept.len() < MAX_DIAGNOSTICS
            || self
                .kept
                .last_key_value()
                .is_some_and(|((last, _), _)| pointer <= last.as_str())
    }

    fn push(&mut self, pointer: String, message: impl FnOnce() -> String, suggestion: impl FnOnce() -> Option<String>) {
        if !self.admits(&pointer) {
            self.omitted = self.omitted.saturating_add(1);
            return;
        }
        let (message, suggestion) = (message(), suggestion());
        let same = (pointer.clone(), 0)..=(pointer.clone(), u64::MAX);
        if self.kept.range(same).any(|(_, d)| d.0 == message && d.1 == suggestion) {
            return; // the same problem found twice (e.g. by two schema keywords)
        }
        self.found += 1;
        self.kept.insert((pointer, self.found), (message, suggestion));
        if self.kept.len() > MAX_DIAGNOSTICS {
            self.kept.pop_last();
            self.omitted = self.omitted.saturating_add(1);
        }
    }

    fn omit(&mut self, n: usize) {
        self.omitted = self.omitted.saturating_add(n);
    }

    fn finish(self) -> (Vec<Diagnostic>, usize) {
        let severity = self.severity;
        let kept = self
            .kept
            .into_iter()
            .map(|((pointer, _), (message, suggestion))| Diagnostic {
                severity,
                pointer,
                message,
                suggestion,
            })
            .collect();
        (kept, self.omitted)
    }
}

/// What the rules report to while a request is checked.
struct Found {
    errors: Capped,
    warnings: Capped,
}

impl Found {
    fn new() -> Self {
        Found {
            errors: Capped::new(Severity::Error),
            warnings: Capped::new(Severity::Warning),
        }
    }

    /// An error whose message (and suggestion) is built only if it is kept.
    fn error_with(
        &mut self,
        pointer: impl Into<String>,
        message: impl FnOnce() -> String,
        suggestion: impl FnOnce() -> Option<String>,
    ) {
        self.errors.push(pointer.into(), message, suggestion);
    }

    fn error(&mut self, pointer: impl Into<String>, message: impl FnOnce() -> String) {
        self.errors.push(pointer.into(), message, || None);
    }

    fn warning(&mut self, pointer: impl Into<String>, message: impl FnOnce() -> String) {
        self.warnings.push(pointer.into(), message, || None);
    }

    fn into_report(self) -> Report {
        let (errors, omitted_errors) = self.errors.finish();
        let (warnings, omitted_warnings) = self.warnings.finish();
        Report {
            errors,
            warnings,
            omitted_errors,
            omitted_warnings,
        }
    }
}

/// Suggestions are for names people type: a long string gets none (and costs nothing).
fn suggestion<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    const LONGEST: usize = 64;
    if input.len() > 4 * LONGEST || input.chars().count() > LONGEST {
        return None;
    }
    suggest(input, candidates).map(str::to_owned)
}

/// Values quoted in messages are cut after this many bytes: a message stays short however large
/// the value (the pointer says where the whole value is).
const QUOTED: usize = 200;

/// `value`, displayed, cut after [`QUOTED`] bytes with `…`; formatting stops there too.
fn shown(value: &(impl fmt::Display + ?Sized)) -> String {
    struct Cut {
        out: String,
        cut: bool,
    }
    impl fmt::Write for Cut {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let room = QUOTED - self.out.len();
            if s.len() <= room {
                self.out.push_str(s);
                return Ok(());
            }
            let mut end = room;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.out.push_str(&s[..end]);
            self.cut = true;
            Err(fmt::Error) // stops the formatting of the rest
        }
    }
    let mut cut = Cut {
        out: String::new(),
        cut: false,
    };
    let _ = fmt::write(&mut cut, format_args!("{value}"));
    if cut.cut {
        cut.out.push('…');
    }
    cut.out
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
            // One definition of a date-time: the typed parse's (the schema crate's own check
            // accepts fractions of any length and instants no `DateTime` can hold).
            .with_format("date-time", |s: &str| DateTime::parse(s).is_ok())
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

/// The message of the send-time rule (spec §4): the expiry must lie in the future.
pub const EXPIRY_PASSED: &str = "the expiry time has already passed";

/// Whether a request's `expiryTime` is at or before `now`: the rule behind
/// [`Validator::validate_for_sending`]. `false` when there is no readable expiry (the validator
/// reports that itself).
pub fn expiry_passed(request: &Value, now: jiff::Timestamp) -> bool {
    request
        .get("expiryTime")
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse(s).ok())
        .is_some_and(|e| e.timestamp() <= now)
}

/// [`Validator::validate_for_sending`] with the built-in catalogue.
pub fn validate_for_sending(request: &Value, now: jiff::Timestamp) -> Report {
    validator().validate_for_sending(request, now)
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

    /// The metadata of a known event.
    pub fn event(&self, name: &str) -> Option<&'static EventMeta> {
        self.events.get(name).map(|(m, _)| *m)
    }

    /// Checks a request body; reports every problem.
    pub fn validate(&self, request: &Value) -> Report {
        let mut found = Found::new();
        self.check(request, &mut found);
        found.into_report()
    }

    /// Checks a request body about to be sent at `now`: everything [`validate`](Self::validate)
    /// checks, and that `expiryTime` has not passed (spec §4: Amazon refuses an expired event).
    /// The client checks this before sending and the emulator on receipt: one rule, one message.
    ///
    /// ```
    /// use proactive_schemas::{jiff::Timestamp, validator};
    ///
    /// let body: serde_json::Value =
    ///     serde_json::from_str(include_str!("../requests/AMAZON.WeatherAlert.Activated.json")).unwrap();
    /// assert!(validator().validate(&body).is_valid());
    /// let later: Timestamp = "2100-01-01T00:00:00Z".parse().unwrap();
    /// let report = validator().validate_for_sending(&body, later);
    /// assert_eq!(report.errors[0].to_string(), "/expiryTime: the expiry time has already passed");
    /// ```
    pub fn validate_for_sending(&self, request: &Value, now: jiff::Timestamp) -> Report {
        let mut found = Found::new();
        self.check(request, &mut found);
        if expiry_passed(request, now) {
            found.error("/expiryTime", || EXPIRY_PASSED.to_owned());
        }
        found.into_report()
    }

    fn check(&self, request: &Value, found: &mut Found) {
        if !request.is_object() {
            found.error("", || {
                format!("a request body must be a JSON object, found {}", json_type(request))
            });
            return;
        }
        schema_errors(&self.envelope, request, "", found);

        let meta = match request.pointer("/event/name") {
            Some(Value::String(name)) => match self.events.get(name.as_str()) {
                Some((meta, compiled)) => {
                    if let Some(payload @ Value::Object(_)) = request.pointer("/event/payload") {
                        schema_errors(compiled, payload, "/event/payload", found);
                    }
                    Some(*meta)
                }
                None => {
                    found.error_with(
                        "/event/name",
                        || format!("unknown event `{}`", shown(name)),
                        || suggestion(name, self.names.iter().copied()),
                    );
                    None
                }
            },
            _ => None,
        };

        expiry_window(request, found);
        localized(request, meta, found);
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

/// Appends `/token` (escaped) to a JSON pointer.
fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Runs a compiled schema and turns its errors into diagnostics under `prefix`.
///
/// The schema crate collects its errors eagerly, one per failing keyword and instance location
/// (work linear in the instance for the catalogue's schemas); past the cap, each costs a pointer
/// and a comparison here.
fn schema_errors(compiled: &Compiled, instance: &Value, prefix: &str, found: &mut Found) {
    let Some(validator) = &compiled.validator else {
        let problem = compiled.problem.clone().unwrap_or_default();
        found.error(prefix, || format!("cannot check against this schema: {problem}"));
        return;
    };
    // Most requests are valid, and a yes/no answer is much cheaper than collecting errors.
    if validator.is_valid(instance) {
        return;
    }
    let errors: Vec<_> = validator.iter_errors(instance).collect();
    // A misspelt property is one mistake: its "unknown property" error suggests the right name,
    // and the right name's "missing required property" error would say the same thing again.
    let mut misspelt: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    for error in &errors {
        if let ValidationErrorKind::AdditionalProperties { unexpected } = error.kind() {
            let known = known_properties(compiled, error.schema_path().as_str());
            for name in unexpected {
                if let Some(right) = suggestion(name, known.iter().copied()) {
                    misspelt.insert((error.instance_path().as_str().to_owned(), right));
                }
            }
        }
    }
    for error in errors {
        let at = format!("{prefix}{}", error.instance_path().as_str());
        let value = error.instance();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = known_properties(compiled, error.schema_path().as_str());
                for name in unexpected {
                    let mut pointer = at.clone();
                    push_token(&mut pointer, name);
                    found.error_with(
                        pointer,
                        || format!("unknown property `{}`", shown(name)),
                        || suggestion(name, known.iter().copied()),
                    );
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                if misspelt.contains(&(error.instance_path().as_str().to_owned(), name.to_owned())) {
                    continue; // said by the misspelling's suggestion
                }
                let mut pointer = at;
                push_token(&mut pointer, name);
                found.error(pointer, || format!("missing required property `{}`", shown(name)));
            }
            ValidationErrorKind::Type { kind } => {
                found.error(at, || {
                    let expected = match kind {
                        TypeKind::Single(t) => format!("{t}"),
                        TypeKind::Multiple(ts) => format!("{ts:?}"),
                    };
                    format!("expected {}, found {}", article(&expected), json_type(value))
                });
            }
            ValidationErrorKind::Enum { options } => {
                let values = || -> Vec<&str> {
                    options
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default()
                };
                found.error_with(
                    at,
                    || format!("{} is not one of {}", shown(value), values().join(", ")),
                    || value.as_str().and_then(|s| suggestion(s, values())),
                );
            }
            ValidationErrorKind::Format { format } if format == "date-time" => {
                found.error(at, || {
                    let reason = value.as_str().and_then(|s| DateTime::parse(s).err());
                    format!(
                        "{} is not an RFC 3339 date-time (e.g. \"2026-11-20T10:00:00Z\"){}",
                        shown(value),
                        reason.map(|e| format!(": {}", e.reason())).unwrap_or_default()
                    )
                });
            }
            ValidationErrorKind::Pattern { .. } if at == "/referenceId" => {
                found.error(at, || {
                    format!(
                        "{} is not a valid reference id: 1 to 100 characters of A-Z, a-z, 0-9, `~` and `-`",
                        shown(value)
                    )
                });
            }
            ValidationErrorKind::MinItems { limit } => {
                found.error(at, || {
                    format!(
                        "expected at least {limit} item(s), found {}",
                        value.as_array().map_or(0, Vec::len)
                    )
                });
            }
            ValidationErrorKind::MaxItems { limit } => {
                found.error(at, || {
                    format!(
                        "expected at most {limit} item(s), found {}",
                        value.as_array().map_or(0, Vec::len)
                    )
                });
            }
            ValidationErrorKind::MaxProperties { limit: 0 } if at == "/relevantAudience/payload" => {
                found.error(at, || "a Multicast audience takes an empty payload `{}`".to_owned());
            }
            ValidationErrorKind::MinLength { limit: 1 } => found.error(at, || "must not be empty".to_owned()),
            _ => found.error(at, || shown(&error)),
        }
    }
}

/// The property names the schema object holding an `additionalProperties` keyword knows.
fn known_properties<'s>(compiled: &'s Compiled, schema_path: &str) -> Vec<&'s str> {
    let parent = schema_path.strip_suffix("/additionalProperties").unwrap_or(schema_path);
    compiled
        .schema
        .pointer(&format!("{parent}/properties"))
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn article(type_name: &str) -> String {
    match type_name {
        "object" | "array" | "integer" => format!("an {type_name}"),
        "string" | "number" | "boolean" => format!("a {type_name}"),
        other => other.to_owned(),
    }
}

/// Spec §4: expiryTime is 5 minutes to 24 hours after timestamp, both bounds inclusive.
fn expiry_window(request: &Value, found: &mut Found) {
    let parse = |key: &str| {
        request
            .get(key)
            .and_then(Value::as_str)
            .and_then(|s| DateTime::parse(s).ok())
    };
    let (Some(timestamp), Some(expiry)) = (parse("timestamp"), parse("expiryTime")) else {
        // A missing or malformed date-time is reported by the schema, whose `date-time` is this
        // same `DateTime::parse`: nothing passes unchecked.
        return;
    };
    let gap = expiry.timestamp().duration_since(timestamp.timestamp());
    let min = jiff::SignedDuration::from_mins(5);
    let max = jiff::SignedDuration::from_hours(24);
    if gap < jiff::SignedDuration::ZERO {
        found.error("/expiryTime", || {
            format!("expiryTime {} is before timestamp {}", expiry, timestamp)
        });
    } else if gap < min {
        found.error("/expiryTime", || {
            format!(
                "expiryTime is {} after timestamp; it must be at least 5 minutes after",
                human(gap)
            )
        });
    } else if gap > max {
        found.error("/expiryTime", || {
            format!(
                "expiryTime is {} after timestamp; it must be at most 24 hours after",
                human(gap)
            )
        });
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
struct KeyRef<'a> {
    key: &'a str,
    pointer: String,
}

/// Arrays nested in arrays deeper than this are not searched for references (no schema of the
/// catalogue nests arrays; the schema reports the shape).
const MAX_ARRAY_NESTING: usize = 8;

/// Whether some attribute of `meta` is at the dotted `path` or below it.
fn is_known_path(meta: &EventMeta, path: &str) -> bool {
    meta.attributes.iter().any(|a| {
        a.path
            .strip_prefix(path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    })
}

/// Collects localized-attribute references in the payload, checking each sits on an
/// `x-localizable` attribute and names a valid key.
///
/// Only paths the event's schema knows are searched (an unknown property is the schema's to
/// report, and cannot hold a reference), and `path` and `pointer` are one buffer each, grown and
/// cut back: the work is linear in the payload however deep or wide it is.
fn payload_keys<'v>(
    meta: &EventMeta,
    value: &'v Value,
    path: &mut String,
    pointer: &mut String,
    nesting: usize,
    found: &mut Found,
    out: &mut Vec<KeyRef<'v>>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let (path_len, pointer_len) = (path.len(), pointer.len());
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                if is_known_path(meta, path) {
                    push_token(pointer, k);
                    payload_keys(meta, v, path, pointer, 0, found, out);
                }
                path.truncate(path_len);
                pointer.truncate(pointer_len);
            }
        }
        Value::Array(items) if nesting < MAX_ARRAY_NESTING => {
            for (i, v) in items.iter().enumerate() {
                let pointer_len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                payload_keys(meta, v, path, pointer, nesting + 1, found, out);
                pointer.truncate(pointer_len);
            }
        }
        Value::Number(n) => {
            // Integers JSON Schema accepts but the generated `i64` cannot hold.
            let integer = meta.attribute(path).is_some_and(|a| match a.kind {
                AttributeKind::Integer => true,
                AttributeKind::Array { items, .. } => matches!(items, AttributeKind::Integer),
                _ => false,
            });
            if integer && crate::integer::from_number(n) == IntegerValue::OutOfRange {
                found.error(pointer.as_str(), || crate::integer::out_of_range(shown(n)));
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
                found.error(pointer.as_str(), || {
                    let localizable: Vec<&str> = meta.localizable().collect();
                    let hint = if localizable.is_empty() {
                        format!("`{}` has no localizable attributes", meta.name)
                    } else {
                        format!("localizable attributes of `{}`: {}", meta.name, localizable.join(", "))
                    };
                    format!(
                        "`{path}` is not localizable, so it cannot hold {} ({hint})",
                        shown(&format_args!("{s:?}"))
                    )
                });
            } else if !is_valid_key(key) {
                found.error(pointer.as_str(), || {
                    format!(
                        "{} names an invalid key: localized attribute keys are one or more ASCII letters and digits",
                        shown(&format_args!("{s:?}"))
                    )
                });
            } else {
                out.push(KeyRef {
                    key,
                    pointer: pointer.clone(),
                });
            }
        }
        _ => {}
    }
}

/// Where a localized key is referenced: the first place, and how many places in all.
struct Uses<'a> {
    first: &'a str,
    count: usize,
}

/// Spec §4 localization rules: locale tags, one entry per locale, every referenced key defined
/// in every entry, keys only on localizable attributes; plus the per-event locale warning.
///
/// A key missing from an entry is one error however many places reference it, and the checks
/// cost the size of the entries plus the number of distinct keys, never their product: counting
/// an entry's missing keys is a look-up per key the entry *has*, and a missing key is spelled out
/// only while the report keeps errors at its pointer.
fn localized(request: &Value, meta: Option<&EventMeta>, found: &mut Found) {
    let mut refs = Vec::new();
    if let (Some(meta), Some(payload @ Value::Object(_))) = (meta, request.pointer("/event/payload")) {
        let (mut path, mut pointer) = (String::new(), String::from("/event/payload"));
        payload_keys(meta, payload, &mut path, &mut pointer, 0, found, &mut refs);
    }
    let Some(Value::Array(entries)) = request.get("localizedAttributes") else {
        return; // missing or not an array: reported by the schema
    };
    if entries.is_empty() {
        for r in &refs {
            found.error(r.pointer.as_str(), || {
                format!(
                    "references the localized key `{}`, but localizedAttributes is empty",
                    r.key
                )
            });
        }
        return;
    }
    // Keys are ASCII letters and digits, so a key's order is its pointer's order.
    let mut keys: BTreeMap<&str, Uses> = BTreeMap::new();
    for r in &refs {
        keys.entry(r.key).and_modify(|u| u.count += 1).or_insert(Uses {
            first: &r.pointer,
            count: 1,
        });
    }

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let Value::Object(entry) = entry else { continue }; // reported by the schema
        let Some(locale) = entry.get("locale").and_then(Value::as_str) else {
            continue;
        };
        let pointer = format!("/localizedAttributes/{i}/locale");
        if !is_alexa_locale(locale) {
            found.error_with(
                pointer,
                || {
                    format!(
                        "`{}` is not an Alexa locale (one of {})",
                        shown(locale),
                        ALEXA_LOCALES.join(", ")
                    )
                },
                || suggestion(locale, ALEXA_LOCALES.iter().copied()),
            );
        } else if let Some(first) = seen.get(locale) {
            found.error(pointer, || {
                format!("locale `{locale}` already has an entry (/localizedAttributes/{first})")
            });
        } else {
            seen.insert(locale, i);
            if let Some(supported) = meta.and_then(|m| m.locales) {
                if !supported.contains(&locale) {
                    found.warning(pointer, || {
                        format!(
                            "Amazon supports `{}` only in {}; `{locale}` users may not hear it",
                            meta.map_or("", |m| m.name),
                            supported.join(", ")
                        )
                    });
                }
            }
        }
    }

    // Entries in the order of their pointers (`/localizedAttributes/10` before `/2`), so once the
    // report keeps no more errors at an entry's pointers, it keeps none at the later entries'.
    let mut order: Vec<(String, usize)> = (0..entries.len())
        .map(|i| (format!("/localizedAttributes/{i}/"), i))
        .collect();
    order.sort_unstable();
    for (prefix, i) in &order {
        let Value::Object(entry) = &entries[*i] else { continue }; // reported by the schema
        let defined = entry.keys().filter(|k| keys.contains_key(k.as_str())).count();
        let mut missing = keys.len() - defined;
        if missing > 0 {
            let label = match entry.get("locale").and_then(Value::as_str) {
                Some(l) => format!("locale `{}`", shown(l)),
                None => format!("entry {i}"),
            };
            for (key, uses) in &keys {
                if missing == 0 {
                    break;
                }
                if entry.contains_key(*key) {
                    continue;
                }
                let pointer = format!("{prefix}{key}");
                if !found.errors.admits(&pointer) {
                    found.errors.omit(missing); // this one and the rest, all later by pointer
                    break;
                }
                missing -= 1;
                found.error(pointer, || {
                    let elsewhere = match uses.count {
                        1 => String::new(),
                        2 => " (and 1 more place)".to_owned(),
                        n => format!(" (and {} more places)", n - 1),
                    };
                    format!(
                        "{label} does not define the key `{key}` referenced at {}{elsewhere}",
                        uses.first
                    )
                });
            }
        }
        if meta.is_some() {
            for key in entry.keys().filter(|k| *k != "locale") {
                if !keys.contains_key(key.as_str()) {
                    let mut pointer = prefix.clone();
                    pointer.pop();
                    push_token(&mut pointer, key);
                    found.warning(pointer, || {
                        format!("the key `{}` is not referenced by the payload", shown(key))
                    });
                }
            }
        }
    }
}

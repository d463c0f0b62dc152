//! The compiled JSON Schemas, and their errors turned into diagnostics with pointers.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use proactive_spec::push_pointer_token;
use serde_json::Value;

use super::report::{shown, suggestion, Found};
use crate::datetime::DateTime;

pub(super) struct Compiled {
    validator: Option<jsonschema::Validator>,
    /// The property names of every object schema, by the schema's JSON pointer: what an unknown
    /// property is compared with for a suggestion, looked up without building a pointer.
    properties: std::collections::HashMap<String, Vec<String>>,
    problem: Option<String>,
}

/// Records the property names of every schema object under `node` (pointer `at`).
fn property_names(node: &Value, at: &mut String, out: &mut std::collections::HashMap<String, Vec<String>>) {
    match node {
        Value::Object(members) => {
            if let Some(Value::Object(props)) = members.get("properties") {
                out.insert(at.clone(), props.keys().cloned().collect());
            }
            for (key, child) in members {
                let len = at.len();
                push_pointer_token(at, key);
                property_names(child, at, out);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                property_names(child, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

impl Compiled {
    pub(super) fn new(text: &str) -> Self {
        let schema: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                return Compiled {
                    validator: None,
                    properties: Default::default(),
                    problem: Some(format!("schema is not valid JSON: {e}")),
                }
            }
        };
        let mut properties = Default::default();
        property_names(&schema, &mut String::new(), &mut properties);
        match compile(&schema) {
            Ok(v) => Compiled {
                validator: Some(v),
                properties,
                problem: None,
            },
            Err(e) => Compiled {
                validator: None,
                properties,
                problem: Some(format!("schema does not compile: {e}")),
            },
        }
    }
}

/// Compiles a schema with the options every check of this crate uses: draft 2020-12, formats
/// checked, and the one definition of a date-time.
pub(crate) fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        // One definition of a date-time: the typed parse's (the schema crate's own check
        // accepts fractions of any length and instants no `DateTime` can hold).
        .with_format("date-time", |s: &str| DateTime::instant(s).is_ok())
        .build(schema)
        .map_err(|e| e.to_string())
}

/// A value-level rule broken (bounds, lengths, pattern, format), in words; `None` for the kinds
/// worded elsewhere.
fn rule_words(kind: &ValidationErrorKind, value: &Value) -> Option<String> {
    let chars = || value.as_str().map_or(0, |s| s.chars().count());
    Some(match kind {
        ValidationErrorKind::Minimum { limit } => format!("{} is less than the minimum {limit}", shown(value)),
        ValidationErrorKind::Maximum { limit } => format!("{} is greater than the maximum {limit}", shown(value)),
        ValidationErrorKind::MinLength { limit } => {
            format!(
                "{} is {} character(s) long; the minimum is {limit}",
                shown(value),
                chars()
            )
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!(
                "{} is {} character(s) long; the maximum is {limit}",
                shown(value),
                chars()
            )
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!("{} does not match the pattern `{}`", shown(value), shown(pattern))
        }
        ValidationErrorKind::Format { format } if format == "date" => {
            format!("{} is not a date (e.g. \"2026-11-20\")", shown(value))
        }
        ValidationErrorKind::Format { format } if format == "uri" => {
            format!(
                "{} is not an absolute URI (e.g. \"https://example.com/a\")",
                shown(value)
            )
        }
        ValidationErrorKind::Format { format } if format == "email" => {
            format!("{} is not an email address", shown(value))
        }
        _ => return None,
    })
}

/// The message of a field rule's first error, for the typed parse.
pub(crate) fn rule_message(error: &jsonschema::ValidationError<'_>) -> String {
    rule_words(error.kind(), error.instance()).unwrap_or_else(|| error.to_string())
}

pub(super) fn json_type(v: &Value) -> &'static str {
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

/// Runs a compiled schema and turns its errors into diagnostics under `prefix`.
///
/// The schema crate collects its errors eagerly, one per failing keyword and instance location
/// (work linear in the instance for the catalogue's schemas); past the cap, each costs a pointer
/// and a comparison here.
///
/// `ask_first` asks for a yes/no answer before collecting errors: cheaper when the instance is
/// likely valid, a waste when it is likely not.
pub(super) fn schema_errors_with(
    compiled: &Compiled,
    instance: &Value,
    prefix: &str,
    ask_first: bool,
    found: &mut Found,
) {
    let Some(validator) = &compiled.validator else {
        let problem = compiled.problem.clone().unwrap_or_default();
        found.error(prefix, || format!("cannot check against this schema: {problem}"));
        return;
    };
    // Most requests are valid, and a yes/no answer is much cheaper than collecting errors.
    if ask_first && validator.is_valid(instance) {
        return;
    }
    let errors: Vec<_> = validator.iter_errors(instance).collect();
    if errors.is_empty() {
        return;
    }
    // A misspelt property is one mistake: its "unknown property" error suggests the right name,
    // and the right name's "missing required property" error would say the same thing again.
    // Each unknown property's suggestion is sought once, here, and used again below.
    let mut misspelt: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    let mut suggestions: Vec<Option<String>> = Vec::new();
    for error in &errors {
        if let ValidationErrorKind::AdditionalProperties { unexpected } = error.kind() {
            let known = known_properties(compiled, error.schema_path().as_str());
            for name in unexpected {
                let right = suggestion(name, known.iter().copied());
                if let Some(right) = &right {
                    misspelt.insert((error.instance_path().as_str().to_owned(), right.clone()));
                }
                suggestions.push(right);
            }
        }
    }
    let mut suggestions = suggestions.into_iter();
    for error in errors {
        let at = format!("{prefix}{}", error.instance_path().as_str());
        let value = error.instance();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    let right = suggestions.next().flatten();
                    let mut pointer = at.clone();
                    push_pointer_token(&mut pointer, name);
                    found.error_with(pointer, || format!("unknown property `{}`", shown(name)), || right);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                if misspelt.contains(&(error.instance_path().as_str().to_owned(), name.to_owned())) {
                    continue; // said by the misspelling's suggestion
                }
                let mut pointer = at;
                push_pointer_token(&mut pointer, name);
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
            ValidationErrorKind::MinLength { limit: 1 } if at == "/referenceId" || value.as_str() == Some("") => {
                found.error(at, || "must not be empty".to_owned())
            }
            kind => found.error(at, || rule_words(kind, value).unwrap_or_else(|| shown(&error))),
        }
    }
}

/// The property names the schema object holding an `additionalProperties` keyword knows.
pub(super) fn known_properties<'s>(compiled: &'s Compiled, schema_path: &str) -> Vec<&'s str> {
    let parent = schema_path.strip_suffix("/additionalProperties").unwrap_or(schema_path);
    compiled
        .properties
        .get(parent)
        .map(|names| names.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

pub(super) fn article(type_name: &str) -> String {
    match type_name {
        "object" | "array" | "integer" => format!("an {type_name}"),
        "string" | "number" | "boolean" => format!("a {type_name}"),
        other => other.to_owned(),
    }
}

//! Errors of parsing typed values.

use proactive_spec::suggest;

use crate::meta::EventMeta;

/// A string that is not one of an enum's values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {type_name}: expected one of {}{}", .expected.join(", "), did_you_mean(.suggestion))]
pub struct ParseEnumError {
    /// The Rust enum name.
    pub type_name: &'static str,
    /// The string given.
    pub value: String,
    /// The accepted values.
    pub expected: &'static [&'static str],
    /// The closest accepted value, if it looks like a typo.
    pub suggestion: Option<&'static str>,
}

fn did_you_mean(s: &Option<&'static str>) -> String {
    match s {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

impl ParseEnumError {
    /// Builds the error (used by generated code).
    pub fn new(type_name: &'static str, value: &str, expected: &'static [&'static str]) -> Self {
        ParseEnumError {
            type_name,
            value: value.to_owned(),
            expected,
            suggestion: suggest(value, expected.iter().copied()),
        }
    }
}

/// An event (`{"name": …, "payload": …}`) that does not parse.
#[derive(Debug, thiserror::Error)]
pub enum EventParseError {
    /// No event of that name exists.
    #[error("unknown event `{name}`{}", did_you_mean(.suggestion))]
    UnknownEvent {
        /// The name given.
        name: String,
        /// The closest known name, if it looks like a typo.
        suggestion: Option<&'static str>,
    },
    /// The payload does not match the event's schema.
    #[error("invalid payload for `{name}`: {source}")]
    Payload {
        /// The event name.
        name: String,
        /// What serde reported.
        #[source]
        source: serde_json::Error,
    },
}

impl EventParseError {
    /// An unknown event name, with a suggestion from `known` (used by generated code).
    pub fn unknown(name: &str, known: &[&'static EventMeta]) -> Self {
        EventParseError::UnknownEvent {
            name: name.to_owned(),
            suggestion: suggest(name, known.iter().map(|m| m.name)),
        }
    }
}

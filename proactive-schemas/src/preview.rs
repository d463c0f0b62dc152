//! What Alexa would say: the spoken text of a valid event, from the schema's `x-utterance`.

use proactive_spec::{placeholders, segments, Segment, LOCALIZED_PREFIX};
use serde_json::Value;

use crate::meta::{AttributeKind, EventMeta, UtteranceMeta};

/// Why a preview cannot be produced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    /// The body has no known `event.name`.
    #[error("the request has no known event name (validate it first)")]
    UnknownEvent,
    /// The payload references localized keys but there is no entry for the locale.
    #[error("localizedAttributes has no entry for locale `{locale}` (locales present: {available})")]
    MissingLocale {
        /// The locale asked for.
        locale: String,
        /// The locales that have entries, comma-separated.
        available: String,
    },
    /// The locale's entry lacks a referenced key.
    #[error("locale `{locale}` does not define the localized key `{key}`")]
    MissingKey {
        /// The locale asked for.
        locale: String,
        /// The key.
        key: String,
    },
    /// No template of the event fits the payload.
    #[error("no spoken template of `{event}` fits this payload")]
    NoTemplate {
        /// The event name.
        event: &'static str,
    },
}

/// The label a preview in a non-English locale starts with.
pub const ENGLISH_TEMPLATE: &str = "[English template]";

/// The spoken text of a request body in `locale`.
///
/// Amazon publishes its sentences in English only, so the text is always the event's English
/// template, filled with the values for `locale` (its localized attributes). For a locale that is
/// not English the text starts with [`ENGLISH_TEMPLATE`], so that it is never taken for what
/// Alexa would say in that language.
///
/// In templates, `word(s)` agrees with the closest integer before it: "1 new message",
/// "3 new messages".
///
/// ```
/// let body: serde_json::Value = serde_json::from_str(include_str!(
///     "../requests/AMAZON.WeatherAlert.Activated.json"
/// )).unwrap();
/// assert_eq!(
///     proactive_schemas::preview(&body, "en-US").unwrap(),
///     "There is a tornado alert for your area. Provided by Example Weather Corp."
/// );
/// ```
pub fn preview(request: &Value, locale: &str) -> Result<String, PreviewError> {
    crate::validate::validator().preview(request, locale)
}

impl crate::Validator {
    /// What Alexa would say for a request body in `locale` (see [`preview()`]), for this
    /// validator's catalogue.
    pub fn preview(&self, request: &Value, locale: &str) -> Result<String, PreviewError> {
        preview_with(self, request, locale)
    }
}

/// The spoken text of a request body for an event of the given catalogue.
fn preview_with(validator: &crate::Validator, request: &Value, locale: &str) -> Result<String, PreviewError> {
    let meta = request
        .pointer("/event/name")
        .and_then(Value::as_str)
        .and_then(|n| validator.event(n))
        .ok_or(PreviewError::UnknownEvent)?;
    let payload = request.pointer("/event/payload").unwrap_or(&Value::Null);
    let entries: &[Value] = request
        .get("localizedAttributes")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let entry = entries
        .iter()
        .find(|e| e.get("locale").and_then(Value::as_str) == Some(locale));
    let cx = Cx {
        meta,
        payload,
        entry,
        entries,
        locale,
    };
    for template in meta.utterances {
        if cx.applies(template) {
            let text = cx.render(template)?;
            return Ok(if is_english(locale) {
                text
            } else {
                format!("{ENGLISH_TEMPLATE} {text}")
            });
        }
    }
    Err(PreviewError::NoTemplate { event: meta.name })
}

struct Cx<'a> {
    meta: &'static EventMeta,
    payload: &'a Value,
    entry: Option<&'a Value>,
    entries: &'a [Value],
    locale: &'a str,
}

fn is_english(locale: &str) -> bool {
    locale.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("en-"))
}

/// Literal template text with `(s)` made singular after a count of exactly 1.
fn agree(text: &str, count: Option<i64>) -> String {
    text.replace("(s)", if count == Some(1) { "" } else { "s" })
}

fn at<'v>(payload: &'v Value, path: &str) -> Option<&'v Value> {
    // A `null` (a nullable attribute) is spoken as if absent.
    path.split('.')
        .try_fold(payload, |v, seg| v.get(seg))
        .filter(|v| !v.is_null())
}

impl Cx<'_> {
    fn applies(&self, t: &UtteranceMeta) -> bool {
        t.when
            .iter()
            .all(|(path, value)| at(self.payload, path).and_then(Value::as_str) == Some(value))
            && placeholders(t.text).all(|(path, optional)| optional || at(self.payload, path).is_some())
    }

    fn render(&self, t: &UtteranceMeta) -> Result<String, PreviewError> {
        let mut out = String::new();
        // The last integer spoken, for `word(s)`.
        let mut count = None;
        for segment in segments(t.text) {
            let path = match segment {
                Segment::Text(text) => {
                    out.push_str(&agree(text, count));
                    continue;
                }
                Segment::Placeholder { path, .. } => path,
            };
            if let Some(v) = at(self.payload, path) {
                if let Some(n) = v
                    .as_i64()
                    .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                {
                    count = Some(n);
                }
                out.push_str(&self.spoken(path, v)?);
            }
        }
        // Absent optional placeholders leave doubled or dangling spaces behind.
        let mut text = out.split_whitespace().collect::<Vec<_>>().join(" ");
        for p in [" .", " ,", " !", " ?"] {
            text = text.replace(p, &p[1..]);
        }
        Ok(text)
    }

    fn spoken(&self, path: &str, v: &Value) -> Result<String, PreviewError> {
        let kind = self.meta.attribute(path).map(|a| &a.kind);
        Ok(match (kind, v) {
            (Some(AttributeKind::Array { items, .. }), Value::Array(values)) => {
                let words: Vec<String> = values.iter().map(|v| self.scalar(items, v)).collect::<Result<_, _>>()?;
                join_words(&words)
            }
            (Some(kind), v) => self.scalar(kind, v)?,
            (None, v) => v.to_string(),
        })
    }

    fn scalar(&self, kind: &AttributeKind, v: &Value) -> Result<String, PreviewError> {
        Ok(match (kind, v) {
            (AttributeKind::Nullable(inner), v) => self.scalar(inner, v)?,
            (AttributeKind::Enum { spoken, .. }, Value::String(s)) => match spoken.iter().find(|(v, _)| v == s) {
                Some((_, word)) => (*word).to_owned(),
                None => s.to_lowercase().replace('_', " "),
            },
            (AttributeKind::DateTime, Value::String(s)) => spoken_date_time(s),
            (AttributeKind::String, Value::String(s)) => match s.strip_prefix(LOCALIZED_PREFIX) {
                Some(key) => self.localized(key)?,
                None => s.clone(),
            },
            (_, Value::String(s)) => s.clone(),
            (_, other) => other.to_string(),
        })
    }

    fn localized(&self, key: &str) -> Result<String, PreviewError> {
        let Some(entry) = self.entry else {
            let available: Vec<&str> = self
                .entries
                .iter()
                .filter_map(|e| e.get("locale").and_then(Value::as_str))
                .collect();
            return Err(PreviewError::MissingLocale {
                locale: self.locale.to_owned(),
                available: if available.is_empty() {
                    "none".into()
                } else {
                    available.join(", ")
                },
            });
        };
        entry
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| PreviewError::MissingKey {
                locale: self.locale.to_owned(),
                key: key.to_owned(),
            })
    }
}

/// `2026-11-21T20:00:00+01:00` -> `November 21, 2026 at 20:00 (UTC+01:00)`: the wall-clock time
/// as written, with its offset.
fn spoken_date_time(text: &str) -> String {
    let Ok(dt) = crate::DateTime::parse(text) else {
        return text.to_owned();
    };
    let text = dt.as_str();
    let Ok(civil) = text[..19].replace('t', "T").parse::<jiff::civil::DateTime>() else {
        return text.to_owned();
    };
    let zone = match &text[text.len() - 1..] {
        "Z" | "z" => "UTC".to_owned(),
        _ if text.ends_with("+00:00") => "UTC".to_owned(),
        _ => format!("(UTC{})", &text[text.len() - 6..]),
    };
    format!("{} {zone}", civil.strftime("%B %-d, %Y at %H:%M"))
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn plurals_agree_with_the_count_before_them() {
        assert_eq!(super::agree(" new message(s)", Some(1)), " new message");
        assert_eq!(super::agree(" new message(s)", Some(3)), " new messages");
        assert_eq!(super::agree(" new message(s)", Some(0)), " new messages");
        assert_eq!(super::agree(" message(s)", None), " messages");
    }

    #[test]
    fn only_english_locales_are_english() {
        assert!(super::is_english("en-GB") && super::is_english("EN-us"));
        assert!(!super::is_english("de-DE") && !super::is_english("es-US") && !super::is_english("en"));
    }

    #[test]
    fn date_times_are_spoken_as_written() {
        assert_eq!(
            super::spoken_date_time("2026-11-21T20:00:00Z"),
            "November 21, 2026 at 20:00 UTC"
        );
        assert_eq!(
            super::spoken_date_time("2026-11-21T20:00:00.5+01:00"),
            "November 21, 2026 at 20:00 (UTC+01:00)"
        );
        assert_eq!(super::spoken_date_time("soon"), "soon");
    }
}

//! Turning JSON names (camelCase properties, SCREAMING_SNAKE enum values, dotted event names)
//! into Rust identifiers.

/// Splits a name into lowercase words at `_`, `-`, `.`, spaces and lower→upper case changes.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            // "fooBar" splits before B; "HTTPServer" splits before the S of Server.
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_is_lower) {
                words.push(std::mem::take(&mut current));
            }
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `weatherAlert` -> `weather_alert`.
pub(crate) fn snake_case(name: &str) -> String {
    words(name).join("_")
}

/// `weatherAlert` -> `WeatherAlert`, `SNOW_STORM` -> `SnowStorm`.
pub(crate) fn pascal_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first.to_uppercase().chain(cs).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "gen",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
    "trait", "true", "try", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Makes an identifier out of a word list result, or says why it cannot.
///
/// Returns the identifier text (possibly `r#type`) or an explanation.
pub(crate) fn ident_text(candidate: &str) -> Result<String, String> {
    if candidate.is_empty() {
        return Err("yields an empty Rust identifier".into());
    }
    let first = candidate.chars().next().unwrap_or('0');
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Err(format!(
            "yields `{candidate}`, which is not a Rust identifier (it must start with a letter)"
        ));
    }
    if !candidate.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "yields `{candidate}`, which is not a Rust identifier (ASCII letters, digits and `_` only)"
        ));
    }
    if NOT_RAW.contains(&candidate) {
        return Ok(format!("{candidate}_"));
    }
    if KEYWORDS.contains(&candidate) {
        return Ok(format!("r#{candidate}"));
    }
    Ok(candidate.to_owned())
}

/// The module name for an event: `AMAZON.WeatherAlert.Activated` -> `weather_alert_activated`.
/// The namespace (first segment) is dropped.
pub(crate) fn event_module(event: &str) -> String {
    let rest = event.split_once('.').map_or(event, |(_, rest)| rest);
    snake_case(rest)
}

/// The payload type name for an event: `AMAZON.WeatherAlert.Activated` -> `WeatherAlertActivated`.
pub(crate) fn event_type(event: &str) -> String {
    let rest = event.split_once('.').map_or(event, |(_, rest)| rest);
    pascal_case(rest)
}

/// Whether `name` is a well-formed event name: at least two dot-separated alphanumeric segments.
pub(crate) fn is_event_name(name: &str) -> bool {
    let mut segments = 0;
    for segment in name.split('.') {
        if segment.is_empty() || !segment.chars().all(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        segments += 1;
    }
    segments >= 2
}

/// A naive singular for naming the item type of an array property: `garbageTypes` -> `garbageType`.
pub(crate) fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if ["ss", "us", "is"].iter().any(|end| name.ends_with(end)) || name.len() < 3 {
        return format!("{name}Item");
    }
    match name.strip_suffix('s') {
        Some(stem) => stem.to_owned(),
        None => format!("{name}Item"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake_case("weatherAlert"), "weather_alert");
        assert_eq!(snake_case("enterTimestamp"), "enter_timestamp");
        assert_eq!(snake_case("foo_bar"), "foo_bar");
        assert_eq!(pascal_case("SNOW_STORM"), "SnowStorm");
        assert_eq!(pascal_case("relationshipToInvitee"), "RelationshipToInvitee");
        assert_eq!(pascal_case("HTTPServer"), "HttpServer");
        assert_eq!(event_module("AMAZON.WeatherAlert.Activated"), "weather_alert_activated");
        assert_eq!(
            event_type("AMAZON.TrashCollectionAlert.Activated"),
            "TrashCollectionAlertActivated"
        );
        assert_eq!(singular("garbageTypes"), "garbageType");
        assert_eq!(singular("status"), "statusItem");
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("list"), "listItem");
    }

    #[test]
    fn idents() {
        assert_eq!(ident_text("type").unwrap(), "r#type");
        assert_eq!(ident_text("self").unwrap(), "self_");
        assert!(ident_text("1abc").is_err());
        assert!(ident_text("").is_err());
    }

    #[test]
    fn event_names() {
        assert!(is_event_name("AMAZON.WeatherAlert.Activated"));
        assert!(is_event_name("ACME.Thing"));
        assert!(!is_event_name("AMAZON"));
        assert!(!is_event_name("AMAZON..X"));
        assert!(!is_event_name("AMAZON.X-Y"));
    }
}

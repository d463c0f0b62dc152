//! URLs as they may appear in messages and logs (DESIGN: "URLs in messages lose their `user:pass@`").

/// A URL as it may appear in a message or a log: without `user:pass@`.
///
/// ```
/// assert_eq!(
///     proactive_schemas::redact_url("https://user:secret@example.com/path"),
///     "https://example.com/path"
/// );
/// assert_eq!(proactive_schemas::redact_url("https://example.com/a@b"), "https://example.com/a@b");
/// ```
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

//! Why a request was not accepted ([`Error`]), how Amazon said so ([`ApiError`], [`Rejection`]),
//! and the turning of HTTP answers and failures into those, with no secret in any message.

use std::fmt;
use std::time::Duration;

use proactive_schemas::Report;
use serde::{Deserialize, Deserializer};

use crate::AMAZON_API_HOSTS;

/// How Amazon (or the emulator) answered, when it was not `202`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The kind of rejection.
    pub kind: Rejection,
    /// Amazon's `code` (given as integer or string).
    pub code: Option<String>,
    /// Amazon's `message`.
    pub message: String,
}

/// The statuses of spec §2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// 400: a missing or malformed parameter.
    BadRequest,
    /// 401/403: the token is invalid, or the user may not receive this event.
    Forbidden,
    /// 409: the same reference id was already sent to this audience.
    Conflict,
    /// 429: throttled (after the retries ran out).
    Throttled,
    /// 432: the notification limit is reached (live skills).
    LimitReached,
    /// 5xx: Amazon failed (after the retries ran out).
    ServerError,
    /// Any other status.
    Unexpected,
}

impl Rejection {
    fn of(status: u16) -> Rejection {
        match status {
            400 => Rejection::BadRequest,
            401 | 403 => Rejection::Forbidden,
            409 => Rejection::Conflict,
            429 => Rejection::Throttled,
            432 => Rejection::LimitReached,
            500..=599 => Rejection::ServerError,
            _ => Rejection::Unexpected,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} ({:?})", self.status, self.kind)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

/// Why a request was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is invalid; it was not sent.
    #[error("invalid request, not sent:\n{0}")]
    Invalid(Report),
    /// Amazon rejected the request.
    #[error("rejected: {0}")]
    Rejected(ApiError),
    /// No token could be obtained.
    #[error("cannot get a token: {0}")]
    Token(String),
    /// The network failed on every attempt, and no attempt can have reached Amazon's processing
    /// (each failed to connect, or was answered with a throttle or server error): not accepted.
    #[error("transport error after {attempts} attempt(s): {message}")]
    Transport {
        /// How many attempts were made.
        attempts: u32,
        /// The last error.
        message: String,
    },
    /// The overall deadline ([`Retry::deadline`](crate::Retry::deadline)) passed before an
    /// answer, and no attempt can have been accepted.
    #[error("gave up after {attempts} attempt(s): the deadline of {deadline:?} passed (last: {last})")]
    Deadline {
        /// How many attempts were made.
        attempts: u32,
        /// The deadline.
        deadline: Duration,
        /// The last problem.
        last: String,
    },
    /// The outcome is unknown: an attempt's connection was lost or timed out after the request
    /// may have been sent, and no later answer settled it before the attempts or the deadline ran
    /// out. The request may have been accepted. Resending it (same body, same reference id) is
    /// safe: Amazon answers a repeated reference id with `409` and never delivers it twice.
    #[error(
        "outcome unknown after {attempts} attempt(s): an answer was lost, the request may have been accepted \
         (safe to resend: a repeat is answered 409); last: {last}"
    )]
    Unknown {
        /// How many attempts were made.
        attempts: u32,
        /// The last problem.
        last: String,
    },
    /// The API or the token endpoint answered with a redirect (`3xx`). The client never follows
    /// one: it could carry the bearer token, or the client secret, to another host. Not retried.
    #[error(
        "{url} answered HTTP {status}, a redirect to {}: not followed (this client never follows redirects)",
        location.as_deref().unwrap_or("nowhere (no Location header)")
    )]
    Redirect {
        /// The URL that answered, without credentials, query or fragment.
        url: String,
        /// The HTTP status (300–399).
        status: u16,
        /// Where it pointed (resolved against `url`), without credentials, query or fragment.
        location: Option<String>,
    },
    /// The client is misconfigured (endpoint, credentials).
    #[error("{0}")]
    Config(String),
    /// A Unicast was addressed to an API host that is neither Amazon's nor one the client was told
    /// to allow (spec §7); nothing was sent, and no token was fetched for it.
    #[error(
        "refusing to send to `{0}`: not one of Amazon's API hosts ({hosts}) nor a host this client allows",
        hosts = AMAZON_API_HOSTS.join(", ")
    )]
    HostNotAllowed(String),
}

impl Error {
    /// Whether the outcome is unknown ([`Error::Unknown`]): the request may have been accepted.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Error::Unknown { .. })
    }
}

/// An error body of the Proactive Events API (spec §2), as far as it is one.
#[derive(Default, Deserialize)]
struct AmazonErrorBody {
    #[serde(default, deserialize_with = "lenient")]
    code: Option<Code>,
    #[serde(default, deserialize_with = "lenient")]
    message: Option<String>,
}

/// Amazon gives `code` as an integer or a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Code {
    Text(String),
    Number(serde_json::Number),
}

/// A field of a reply that is taken when it has the expected type and ignored otherwise: a
/// reply's other fields stay usable when one is odd.
pub(crate) fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either<T> {
        Expected(T),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Either::<T>::deserialize(deserializer)? {
        Either::Expected(value) => Some(value),
        Either::Other(_) => None,
    })
}

/// A reply's JSON object; anything else (not JSON, or JSON but not an object) says nothing.
pub(crate) fn object_or_default<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> T {
    if body.trim_ascii_start().first() != Some(&b'{') {
        return T::default();
    }
    serde_json::from_slice(body).unwrap_or_default()
}

/// The rejection of a non-`202` answer; a body that is not Amazon's JSON is kept (shortened) as
/// the message.
pub(crate) fn api_error(status: u16, body: &str) -> ApiError {
    let reply: AmazonErrorBody = object_or_default(body.as_bytes());
    let code = reply.code.map(|code| match code {
        Code::Text(s) => s,
        Code::Number(n) => n.to_string(),
    });
    let message = reply.message.unwrap_or_else(|| body.chars().take(200).collect());
    ApiError {
        status,
        kind: Rejection::of(status),
        code,
        message,
    }
}

/// A URL as it may appear in a message: without credentials, query or fragment.
fn bare_url(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    // Fails only for URLs that cannot carry credentials anyway.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

/// The error for a `3xx` answer from `url`, naming where it pointed (never followed).
pub(crate) fn redirect(url: &reqwest::Url, status: u16, location: Option<&http::HeaderValue>) -> Error {
    let location = location.map(
        |value| match value.to_str().ok().and_then(|v| url.join(v.trim()).ok()) {
            Some(target) => bare_url(&target),
            None => "an invalid URL".to_owned(),
        },
    );
    Error::Redirect {
        url: bare_url(url),
        status,
        location,
    }
}

/// reqwest's error text without the URL (which could carry secrets in a query).
pub(crate) fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_request() || e.is_body() {
        "connection dropped"
    } else {
        "request failed"
    };
    describe(kind, e)
}

/// An error's text as `kind: deepest cause` (the causes of reqwest's and hyper's errors name no
/// URL; reqwest's own text does).
pub(crate) fn describe(kind: &str, e: &(dyn std::error::Error + 'static)) -> String {
    let mut source = e.source();
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}

/// The most of an answer's body the client reads (an error's text, a token reply): answers worth
/// reading are a few hundred bytes, and a server sending more is not given the memory.
pub(crate) const MAX_ANSWER_BODY: usize = 64 * 1024;

/// What an error says of an answer whose body [`capped_body`](crate::transport::capped_body) did
/// not read.
pub(crate) const UNREAD_BODY: &str = "(the answer's body was not read: over 64 KiB, cut off, or not in time)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_codes_of_spec_section_2() {
        let cases = [
            (400, Rejection::BadRequest),
            (401, Rejection::Forbidden),
            (403, Rejection::Forbidden),
            (409, Rejection::Conflict),
            (429, Rejection::Throttled),
            (432, Rejection::LimitReached),
            (500, Rejection::ServerError),
            (503, Rejection::ServerError),
            (418, Rejection::Unexpected),
        ];
        for (status, kind) in cases {
            assert_eq!(api_error(status, "").kind, kind, "{status}");
        }
        // `code` comes as an integer or a string.
        let e = api_error(432, r#"{"code": 432, "message": "limit reached"}"#);
        assert_eq!((e.code.as_deref(), e.message.as_str()), (Some("432"), "limit reached"));
        let e = api_error(400, r#"{"code": "INVALID_REQUEST", "message": "bad"}"#);
        assert_eq!(e.code.as_deref(), Some("INVALID_REQUEST"));
        assert_eq!(e.to_string(), "HTTP 400 (BadRequest) INVALID_REQUEST: bad");
        // A body that is not JSON is kept (shortened) as the message.
        assert_eq!(api_error(502, "Bad Gateway").message, "Bad Gateway");
    }

    #[test]
    fn urls_in_redirect_errors_lose_credentials_query_and_fragment() {
        let url = reqwest::Url::parse("https://u:p@h.example:8443/a/b?token=1#f").unwrap();
        assert_eq!(bare_url(&url), "https://h.example:8443/a/b");
        let e = Error::Redirect {
            url: "http://127.0.0.1:9/auth/o2/token".into(),
            status: 302,
            location: None,
        };
        assert!(
            e.to_string().contains("HTTP 302") && e.to_string().contains("no Location"),
            "{e}"
        );
    }
}

//! Login with Amazon (spec §3): the skill's [`Credentials`], and each client's token cache,
//! refreshed before the token expires and fetched by one request however many sends wait.

use std::fmt;
use std::time::{Duration, Instant};

use proactive_schemas::redact_url;
use serde::Deserialize;

use http::HeaderValue;

use crate::errors::{lenient, object_or_default, redirect, without_url};
use crate::retry::{attempt_timeout, retry_after, Budget};
use crate::transport::capped_body;
use crate::{Client, Error};

/// The skill's "Alexa Skill Messaging" client id and secret. `Debug` shows the id only.
#[derive(Clone)]
pub struct Credentials {
    client_id: String,
    client_secret: String,
}

impl Credentials {
    /// Wraps a client id and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// From `ALEXA_CLIENT_ID` and `ALEXA_CLIENT_SECRET`.
    pub fn from_env() -> Result<Self, Error> {
        let get =
            |k: &str| std::env::var(k).map_err(|_| Error::Config(format!("the environment variable {k} is not set")));
        Ok(Credentials::new(get("ALEXA_CLIENT_ID")?, get("ALEXA_CLIENT_SECRET")?))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// A cached access token.
pub(crate) struct Token {
    /// `Bearer <token>`, marked sensitive (never shown by `Debug`).
    header: HeaderValue,
    expires_at: Instant,
}

/// Refresh this long before the token expires (spec §3: as Amazon's SDKs do).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// How long a token lives when the reply does not say (spec §3: one hour).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// Login with Amazon's reply: a token (`200`) or an error. A field of an unexpected type counts
/// as absent, and a reply that is not a JSON object as empty.
#[derive(Default, Deserialize)]
struct TokenReply {
    #[serde(default, deserialize_with = "lenient")]
    access_token: Option<String>,
    /// Seconds.
    #[serde(default, deserialize_with = "lenient")]
    expires_in: Option<u64>,
    #[serde(default, deserialize_with = "lenient")]
    error: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    error_description: Option<String>,
}

impl Client {
    /// A valid token: the cached one, or one fetched now. Concurrent callers wait for a single
    /// fetch (the cache's lock is held while fetching), each no longer than its own deadline.
    pub(crate) async fn token(&self, deadline: Instant) -> Result<HeaderValue, Error> {
        let lock = self.inner.token.lock();
        let Ok(mut slot) = tokio::time::timeout_at(deadline.into(), lock).await else {
            return Err(Error::Token(format!(
                "the deadline of {:?} passed while waiting for another request's token fetch",
                self.inner.retry.deadline
            )));
        };
        if let Some(t) = slot.as_ref() {
            if Instant::now() + REFRESH_MARGIN < t.expires_at {
                return Ok(t.header.clone());
            }
        }
        let fresh = self.fetch_token(deadline).await?;
        let value = fresh.header.clone();
        *slot = Some(fresh);
        Ok(value)
    }

    /// Forgets `stale` if it is still the cached token.
    pub(crate) async fn invalidate(&self, stale: &HeaderValue) {
        let mut slot = self.inner.token.lock().await;
        if slot.as_ref().is_some_and(|t| t.header == stale) {
            *slot = None;
        }
    }

    /// Asks Login with Amazon for a token, retrying 5xx, 429 and network failures as
    /// [`Retry`](crate::Retry) says, until `deadline`. A redirect is never followed: it would
    /// send the client secret on.
    async fn fetch_token(&self, deadline: Instant) -> Result<Token, Error> {
        let retry = &self.inner.retry;
        let creds = &self.inner.credentials;
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", creds.client_id.as_str()),
            ("client_secret", creds.client_secret.as_str()),
            ("scope", "alexa::proactive_events"),
        ];
        let url = format!("{}/auth/o2/token", self.inner.auth_endpoint);
        let mut budget = Budget::default();
        let mut last = String::from("no attempt was made");
        loop {
            let Some(timeout) = attempt_timeout(retry, deadline) else {
                return Err(Error::Token(format!(
                    "gave up after {} attempt(s): the deadline of {:?} passed (last: {last})",
                    budget.attempts, retry.deadline
                )));
            };
            budget.attempts += 1;
            self.inner
                .token_fetches
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let started = Instant::now();
            // reqwest percent-encodes form values (spec §3: several clients forget to).
            let result = self.inner.http.post(&url).timeout(timeout).form(&form).send().await;
            let wait = match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    if response.status().is_redirection() {
                        let location = response.headers().get(http::header::LOCATION);
                        return Err(redirect(response.url(), response.status().as_u16(), location));
                    }
                    let retry_after = retry_after(response.headers());
                    let reply: TokenReply = match capped_body(http::Response::from(response).into_body()).await {
                        Some(bytes) => object_or_default(&bytes),
                        None => TokenReply::default(),
                    };
                    if status == 200 {
                        let value = reply
                            .access_token
                            .ok_or_else(|| Error::Token("the token response has no access_token".into()))?;
                        // Written once, as every request sends it.
                        let mut header = HeaderValue::try_from(format!("Bearer {value}")).map_err(|_| {
                            Error::Token("the access token has characters an HTTP header cannot carry".into())
                        })?;
                        header.set_sensitive(true);
                        return Ok(Token {
                            header,
                            expires_at: token_expiry(started, reply.expires_in),
                        });
                    }
                    let error = reply.error.as_deref().unwrap_or("unknown_error");
                    let description = reply.error_description.as_deref().unwrap_or("");
                    last = format!("HTTP {status}: {error}: {description}");
                    match budget.after_status(retry, status, retry_after) {
                        Some(wait) => wait,
                        None if status == 429 || status >= 500 => {
                            return Err(Error::Token(format!("{last} (after {} attempt(s))", budget.attempts)))
                        }
                        // 400, 401 and the like: the request or the credentials are wrong.
                        None => return Err(Error::Token(last)),
                    }
                }
                Err(e) => {
                    last = format!("{}: {}", redact_url(&url), without_url(&e));
                    match budget.after_transport(retry) {
                        Some(wait) => wait,
                        None => return Err(Error::Token(format!("{last} (after {} attempt(s))", budget.attempts))),
                    }
                }
            };
            if wait >= deadline.saturating_duration_since(Instant::now()) {
                return Err(Error::Token(format!(
                    "gave up after {} attempt(s): the deadline of {:?} would pass before the next (last: {last})",
                    budget.attempts, retry.deadline
                )));
            }
            tokio::time::sleep(wait).await;
        }
    }
}

/// The longest lifetime believed from a token reply (Login with Amazon's tokens live an hour):
/// a reply claiming more, up to `u64::MAX` seconds, neither overflows nor keeps a token forever.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// When a token fetched at `started` expires, from the reply's `expires_in` (seconds).
fn token_expiry(started: Instant, expires_in: Option<u64>) -> Instant {
    let lifetime = expires_in
        .map_or(DEFAULT_LIFETIME, Duration::from_secs)
        .min(MAX_LIFETIME);
    started.checked_add(lifetime).unwrap_or(started)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_debug_hides_the_secret() {
        let c = Credentials::new("id-1", "s3cr3t");
        assert_eq!(
            format!("{c:?}"),
            r#"Credentials { client_id: "id-1", client_secret: "<redacted>" }"#
        );
    }

    #[test]
    fn token_replies_are_read_field_by_field() {
        let reply: TokenReply = object_or_default(br#"{"access_token": "Atc|1", "expires_in": 60}"#);
        assert_eq!(
            (reply.access_token.as_deref(), reply.expires_in),
            (Some("Atc|1"), Some(60))
        );
        // An odd field is absent; the others still count.
        let reply: TokenReply = object_or_default(br#"{"access_token": "Atc|1", "expires_in": "60"}"#);
        assert_eq!((reply.access_token.as_deref(), reply.expires_in), (Some("Atc|1"), None));
        let reply: TokenReply = object_or_default(br#"{"error": "invalid_client", "error_description": 7}"#);
        assert_eq!(
            (reply.error.as_deref(), reply.error_description),
            (Some("invalid_client"), None)
        );
        // Not an object: nothing.
        let reply: TokenReply = object_or_default(br#"["Atc|1", 60]"#);
        assert!(reply.access_token.is_none());
        let reply: TokenReply = object_or_default(b"<html>");
        assert!(reply.access_token.is_none());
    }

    #[test]
    fn a_huge_expires_in_neither_overflows_nor_lasts_forever() {
        let now = Instant::now();
        assert_eq!(token_expiry(now, Some(u64::MAX)), now + MAX_LIFETIME);
        assert_eq!(token_expiry(now, Some(60)), now + Duration::from_secs(60));
        assert_eq!(token_expiry(now, None), now + DEFAULT_LIFETIME);
    }
}

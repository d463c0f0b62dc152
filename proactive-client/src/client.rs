//! The [`Client`]: its builder, and one request's way from validation to Amazon's answer.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use proactive_schemas::{redact_url, Request};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::auth::Token;
use crate::endpoints::{check_endpoint, origin};
use crate::errors::{api_error, redirect, UNREAD_BODY};
use crate::retry::{attempt_timeout, deadline_from, settle, Budget};
use crate::transport::{EventsUrl, Transport};
use crate::{Credentials, Error, Region, Retry, Stage, AMAZON_API_HOSTS, AMAZON_AUTH_ENDPOINT};

/// A request Amazon accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// How many requests were made to the API for it, throttled ones included.
    pub attempts: u32,
    /// Accepted through a `409` after an earlier attempt that may have got through (its
    /// connection was lost after sending, or it was answered with a server error).
    pub by_conflict: bool,
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    credentials: Credentials,
    api_endpoint: Option<String>,
    auth_endpoint: String,
    retry: Retry,
    allowed_hosts: Vec<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // URLs without their user info (credentials).
        let hosts: Vec<String> = self.allowed_hosts.iter().map(|h| redact_url(h)).collect();
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("api_endpoint", &self.api_endpoint.as_deref().map(redact_url))
            .field("auth_endpoint", &redact_url(&self.auth_endpoint))
            .field("retry", &self.retry)
            .field("allowed_hosts", &hosts)
            .finish()
    }
}

impl ClientBuilder {
    /// Also allows Unicast sends ([`Client::send_value_to`]) to this API host, besides Amazon's
    /// three ([`AMAZON_API_HOSTS`]): for a local emulator (`http://127.0.0.1:PORT`) or a proxy the
    /// operator runs. Give the origin only (scheme, host, port). A configured
    /// [`api_endpoint`](Self::api_endpoint) is allowed without saying so.
    pub fn allow_api_host(mut self, url: impl Into<String>) -> Self {
        self.allowed_hosts.push(url.into());
        self
    }

    /// The API base URL instead of the region's (e.g. the emulator's `http://127.0.0.1:PORT`).
    pub fn api_endpoint(mut self, url: impl Into<String>) -> Self {
        self.api_endpoint = Some(url.into());
        self
    }

    /// The token endpoint's base URL (default `https://api.amazon.com`).
    pub fn auth_endpoint(mut self, url: impl Into<String>) -> Self {
        self.auth_endpoint = url.into();
        self
    }

    /// The retry policy.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Checks the endpoints and builds the client. Plain `http://` is refused except for
    /// loopback addresses.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(api) = &self.api_endpoint {
            check_endpoint(api)?;
            EventsUrl::parse(api)?;
        }
        check_endpoint(&self.auth_endpoint)?;
        let mut allowed_hosts: Vec<String> = AMAZON_API_HOSTS.iter().map(|h| h.to_string()).collect();
        for url in &self.allowed_hosts {
            check_endpoint(url)?;
            allowed_hosts.push(
                origin(url).map_err(|why| Error::Config(format!("invalid API host `{}`: {why}", redact_url(url))))?,
            );
        }
        if let Some(parsed) = self.api_endpoint.as_deref().and_then(|u| reqwest::Url::parse(u).ok()) {
            allowed_hosts.push(parsed.origin().ascii_serialization());
        }
        let http = reqwest::Client::builder()
            .timeout(self.retry.timeout)
            // A redirect could carry the bearer token elsewhere: answers are taken as they come.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                transport: Transport::from_env()?,
                credentials: self.credentials,
                api_endpoint: self.api_endpoint.map(|u| u.trim_end_matches('/').to_owned()),
                auth_endpoint: self.auth_endpoint.trim_end_matches('/').to_owned(),
                retry: self.retry,
                allowed_hosts,
                token: Mutex::new(None),
                token_fetches: std::sync::atomic::AtomicU64::new(0),
                events_urls: Default::default(),
            }),
        })
    }
}

/// What the clones of a client share.
pub(crate) struct Inner {
    /// For tokens (and for events behind a proxy).
    pub(crate) http: reqwest::Client,
    /// For events ([`crate::transport`]).
    transport: Transport,
    pub(crate) credentials: Credentials,
    api_endpoint: Option<String>,
    pub(crate) auth_endpoint: String,
    pub(crate) retry: Retry,
    /// Origins Unicast sends may go to: Amazon's, then the configured ones.
    allowed_hosts: Vec<String>,
    /// The token cache ([`crate::auth`]).
    pub(crate) token: Mutex<Option<Token>>,
    pub(crate) token_fetches: std::sync::atomic::AtomicU64,
    /// The events URL of each stage (outer) and region (inner), parsed on first use.
    events_urls: [std::sync::OnceLock<EventsUrl>; 6],
}

/// Sends Proactive Events. Cheap to clone; clones share the token cache.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.inner.credentials)
            .field("api_endpoint", &self.inner.api_endpoint.as_deref().map(redact_url))
            .field("auth_endpoint", &redact_url(&self.inner.auth_endpoint))
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts building a client for these credentials.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            api_endpoint: None,
            auth_endpoint: AMAZON_AUTH_ENDPOINT.into(),
            retry: Retry::default(),
            allowed_hosts: Vec::new(),
        }
    }

    /// How many token requests this client has made.
    pub fn token_fetches(&self) -> u64 {
        self.inner.token_fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The events URL of a stage and region, parsed once per client (parsing it for every
    /// request cost more than validating the body).
    fn events_url(&self, stage: Stage, region: Region) -> Result<EventsUrl, Error> {
        let s = match stage {
            Stage::Development => 0,
            Stage::Live => 1,
        };
        let r = match region {
            Region::NorthAmerica => 0,
            Region::Europe => 1,
            Region::FarEast => 2,
        };
        let cell = &self.inner.events_urls[s * 3 + r];
        if let Some(url) = cell.get() {
            return Ok(url.clone());
        }
        let base = self.inner.api_endpoint.as_deref().unwrap_or(region.base_url());
        let url = EventsUrl::parse(&format!("{base}{}", stage.path()))?;
        Ok(cell.get_or_init(|| url).clone())
    }

    /// Validates and sends a typed request.
    pub async fn send(&self, request: &Request, stage: Stage, region: Region) -> Result<Sent, Error> {
        // Written once, checked from the text, and those bytes sent.
        match serde_json::to_string(request) {
            Ok(text) => self.send_text(text, stage, region).await,
            Err(_) => self.send_value(&request.to_value(), stage, region).await,
        }
    }

    /// Validates and sends a request body. An invalid body is not sent.
    pub async fn send_value(&self, body: &Value, stage: Stage, region: Region) -> Result<Sent, Error> {
        let url = self.events_url(stage, region)?;
        self.validate_and_post(body, url).await
    }

    /// Validates and sends a request body given as JSON text, sent exactly as written (no parse
    /// into a value and back). Text that is no JSON, or an invalid body, is not sent
    /// ([`Error::Invalid`]).
    ///
    /// ```no_run
    /// # async fn run(client: proactive_client::Client) -> Result<(), proactive_client::Error> {
    /// use proactive_client::{Region, Stage};
    ///
    /// let text = std::fs::read_to_string("weather-alert.json").expect("readable");
    /// client.send_text(text, Stage::Development, Region::NorthAmerica).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_text(&self, body: String, stage: Stage, region: Region) -> Result<Sent, Error> {
        let now = proactive_schemas::jiff::Timestamp::now();
        let report = match proactive_schemas::validator().validate_str_for_sending(&body, now) {
            Ok(report) => report,
            Err(e) => proactive_schemas::Report {
                errors: vec![proactive_schemas::Diagnostic {
                    severity: proactive_schemas::Severity::Error,
                    pointer: String::new(),
                    message: format!("not JSON: {e}"),
                    suggestion: None,
                }],
                ..Default::default()
            },
        };
        if !report.is_valid() {
            return Err(Error::Invalid(report));
        }
        let url = self.events_url(stage, region)?;
        self.post(bytes::Bytes::from(body), url).await
    }

    /// Validates and sends a request body to a user's own API host, as learned from their
    /// `ProactiveSubscriptionChanged` (`context.System.apiEndpoint`).
    ///
    /// That host must be one of Amazon's three ([`AMAZON_API_HOSTS`]) or one the client was told
    /// to allow ([`ClientBuilder::allow_api_host`], [`ClientBuilder::api_endpoint`]); any other is
    /// refused with [`Error::HostNotAllowed`] before anything is fetched or sent, so a forged
    /// event can never draw the bearer token to a host of its choosing (spec §7). The client's
    /// configured API endpoint, if any, takes precedence as the destination (tests, proxies).
    pub async fn send_value_to(&self, api_endpoint: &str, body: &Value, stage: Stage) -> Result<Sent, Error> {
        let allowed = origin(api_endpoint).is_ok_and(|o| self.inner.allowed_hosts.contains(&o));
        if !allowed {
            return Err(Error::HostNotAllowed(redact_url(api_endpoint)));
        }
        let base = match &self.inner.api_endpoint {
            Some(configured) => configured.clone(),
            None => {
                check_endpoint(api_endpoint)?;
                api_endpoint.trim_end_matches('/').to_owned()
            }
        };
        let url = EventsUrl::parse(&format!("{base}{}", stage.path()))?;
        self.validate_and_post(body, url).await
    }

    async fn validate_and_post(&self, body: &Value, url: EventsUrl) -> Result<Sent, Error> {
        // The schema and envelope rules, and (spec §4) an expiry still in the future: the same
        // door the emulator checks with.
        let report = proactive_schemas::validate_for_sending(body, proactive_schemas::jiff::Timestamp::now());
        if !report.is_valid() {
            return Err(Error::Invalid(report));
        }
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Config(e.to_string()))?;
        self.post(bytes::Bytes::from(bytes), url).await
    }

    /// Posts a body (serialized once; every attempt shares the same bytes).
    async fn post(&self, body: bytes::Bytes, url: EventsUrl) -> Result<Sent, Error> {
        let retry = &self.inner.retry;
        let deadline = deadline_from(Instant::now(), retry.deadline);
        let mut budget = Budget::default();
        // The outcome of an earlier attempt is unknown: its connection failed after sending.
        let mut uncertain = false;
        // An earlier attempt may have been accepted: uncertain, or answered with a 5xx (a gateway
        // may answer 502/504 after the service accepted). Throttled attempts were not processed.
        let mut maybe_processed = false;
        let mut refreshed = false;
        loop {
            let token = match self.token(deadline).await {
                Ok(token) => token,
                Err(e) => return Err(settle(e, budget.attempts, uncertain)),
            };
            let Some(timeout) = attempt_timeout(retry, deadline) else {
                let last = String::from("no time was left for another attempt");
                let error = Error::Deadline {
                    attempts: budget.attempts,
                    deadline: retry.deadline,
                    last,
                };
                return Err(settle(error, budget.attempts, uncertain));
            };
            budget.attempts += 1;
            let result = (self.inner.transport)
                .post(&self.inner.http, &url, &token, body.clone(), timeout)
                .await;
            let (wait, last) = match result {
                Ok(answer) => {
                    let status = answer.status;
                    if status == 202 {
                        return Ok(Sent {
                            attempts: budget.attempts,
                            by_conflict: false,
                        });
                    }
                    if (300..400).contains(&status) {
                        let error = redirect(&url.url, status, answer.location.as_ref());
                        return Err(settle(error, budget.attempts, uncertain));
                    }
                    // Bounded: what a server says about an error is a few lines at most.
                    let text = match &answer.body {
                        Some(body) => String::from_utf8_lossy(body).into_owned(),
                        None => UNREAD_BODY.to_owned(),
                    };
                    let error = api_error(status, &text);
                    if status == 409 && maybe_processed {
                        // An earlier attempt was accepted, but its answer was lost.
                        return Ok(Sent {
                            attempts: budget.attempts,
                            by_conflict: true,
                        });
                    }
                    if (status == 401 || status == 403) && !refreshed && error.message.contains("token") {
                        // The cached token went stale early: fetch a new one, once.
                        refreshed = true;
                        self.invalidate(&token).await;
                        continue;
                    }
                    maybe_processed |= status >= 500;
                    match budget.after_status(retry, status, answer.retry_after) {
                        Some(wait) => (wait, error.to_string()),
                        None => return Err(settle(Error::Rejected(error), budget.attempts, uncertain)),
                    }
                }
                Err(failure) => {
                    // Refused or unresolvable: nothing was sent. Anything later: it may have been.
                    if !failure.connect {
                        uncertain = true;
                        maybe_processed = true;
                    }
                    let message = failure.message;
                    match budget.after_transport(retry) {
                        Some(wait) => (wait, message),
                        None => {
                            let error = Error::Transport {
                                attempts: budget.attempts,
                                message,
                            };
                            return Err(settle(error, budget.attempts, uncertain));
                        }
                    }
                }
            };
            if wait >= deadline.saturating_duration_since(Instant::now()) {
                let error = Error::Deadline {
                    attempts: budget.attempts,
                    deadline: retry.deadline,
                    last,
                };
                return Err(settle(error, budget.attempts, uncertain));
            }
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_shows_no_credentials_of_any_url() {
        let builder = Client::builder(Credentials::new("id", "client-secret"))
            .api_endpoint("https://user:api-pass@api.example")
            .auth_endpoint("https://user:auth-pass@auth.example")
            .allow_api_host("https://user:host-pass@proxy.example");
        let shown = format!("{builder:?}");
        for secret in ["client-secret", "api-pass", "auth-pass", "host-pass"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("api.example") && shown.contains("proxy.example"),
            "{shown}"
        );
        // Credentials in the API endpoint are refused; in the token endpoint they reach reqwest.
        let err = builder.build().unwrap_err();
        assert!(matches!(&err, Error::Config(m) if m.contains("credentials")), "{err}");
        let client = Client::builder(Credentials::new("id", "client-secret"))
            .auth_endpoint("https://user:auth-pass@auth.example")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("auth-pass") && !shown.contains("client-secret"),
            "{shown}"
        );
    }
}

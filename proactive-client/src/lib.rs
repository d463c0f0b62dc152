//! Send Alexa Proactive Events.
//!
//! - a Login-with-Amazon token, cached per client, refreshed 60 s before it expires, fetched by
//!   one request however many sends wait for it, and fetched again once when Amazon says the
//!   token is no longer good;
//! - validation before sending: an invalid request never leaves the process;
//! - the regional, stage-specific endpoint (spec §2), or your own base URLs (the emulator, a proxy);
//! - retries for 429 (honouring `Retry-After`), 5xx, timeouts and dropped connections, with
//!   exponential backoff and jitter, bounded attempts and an overall deadline; a `409` after a
//!   retried attempt means an earlier attempt got through, and is reported as accepted;
//! - bulk sends with bounded concurrency and a result for every request.
//!
//! Secrets (the client secret, tokens) never appear in `Debug` output, errors or logs.
#![deny(missing_docs)]

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use proactive_schemas::{Diagnostic, Report, Request};
use serde_json::Value;
use tokio::sync::Mutex;

/// The Proactive Events API's stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Stage {
    /// `/v1/proactiveEvents/stages/development`: reaches only the developer's own devices.
    #[default]
    Development,
    /// `/v1/proactiveEvents`: live skills.
    Live,
}

impl Stage {
    fn path(self) -> &'static str {
        match self {
            Stage::Development => "/v1/proactiveEvents/stages/development",
            Stage::Live => "/v1/proactiveEvents",
        }
    }
}

impl FromStr for Stage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "development" | "dev" => Ok(Stage::Development),
            "live" => Ok(Stage::Live),
            _ => Err(format!("unknown stage `{s}` (expected `development` or `live`)")),
        }
    }
}

/// Amazon's regions (spec §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Region {
    /// North America: `https://api.amazonalexa.com`.
    #[default]
    NorthAmerica,
    /// Europe: `https://api.eu.amazonalexa.com`.
    Europe,
    /// Far East: `https://api.fe.amazonalexa.com`.
    FarEast,
}

impl Region {
    /// The region's API host.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::NorthAmerica => "https://api.amazonalexa.com",
            Region::Europe => "https://api.eu.amazonalexa.com",
            Region::FarEast => "https://api.fe.amazonalexa.com",
        }
    }
}

impl FromStr for Region {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "na" => Ok(Region::NorthAmerica),
            "eu" => Ok(Region::Europe),
            "fe" => Ok(Region::FarEast),
            _ => Err(format!("unknown region `{s}` (expected `na`, `eu` or `fe`)")),
        }
    }
}

/// Login with Amazon's token endpoint.
pub const AMAZON_AUTH_ENDPOINT: &str = "https://api.amazon.com";

/// Amazon's regional API hosts (spec §7): the only places a Unicast send may go, whatever
/// `apiEndpoint` a skill event names, unless the client was told to allow more
/// ([`ClientBuilder::allow_api_host`]).
pub const AMAZON_API_HOSTS: [&str; 3] = [
    "https://api.amazonalexa.com",
    "https://api.eu.amazonalexa.com",
    "https://api.fe.amazonalexa.com",
];

pub use proactive_schemas::redact_url;

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
    /// The network failed on every attempt.
    #[error("transport error after {attempts} attempt(s): {message}")]
    Transport {
        /// How many attempts were made.
        attempts: u32,
        /// The last error.
        message: String,
    },
    /// The overall deadline passed before an answer.
    #[error("gave up after {attempts} attempt(s): the deadline of {deadline:?} passed (last: {last})")]
    Deadline {
        /// How many attempts were made.
        attempts: u32,
        /// The deadline.
        deadline: Duration,
        /// The last problem.
        last: String,
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

/// A request Amazon accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// How many attempts it took.
    pub attempts: u32,
    /// Accepted through a `409` after a retry: an earlier attempt had got through.
    pub by_conflict: bool,
}

/// Retry policy.
#[derive(Clone, Debug)]
pub struct Retry {
    /// Most attempts per request (default 6).
    pub max_attempts: u32,
    /// First backoff (default 100 ms); doubles each attempt, with full jitter.
    pub base_delay: Duration,
    /// Longest backoff (default 10 s).
    pub max_delay: Duration,
    /// Per-attempt timeout (default 10 s).
    pub timeout: Duration,
    /// Overall deadline per request (default 60 s).
    pub deadline: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
        }
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    api_endpoint: Option<String>,
    auth_endpoint: String,
    retry: Retry,
    allowed_hosts: Vec<String>,
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
                credentials: self.credentials,
                api_endpoint: self.api_endpoint.map(|u| u.trim_end_matches('/').to_owned()),
                auth_endpoint: self.auth_endpoint.trim_end_matches('/').to_owned(),
                retry: self.retry,
                allowed_hosts,
                token: Mutex::new(None),
                token_fetches: std::sync::atomic::AtomicU64::new(0),
            }),
        })
    }
}

/// `scheme://host[:port]` of an API base URL, lowercased as URLs compare; a URL with
/// credentials, a path, a query or a fragment is not an API host.
fn origin(url: &str) -> Result<String, &'static str> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "not a URL")?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("it carries credentials");
    }
    if !matches!(parsed.path(), "" | "/") || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("an API host has no path, query or fragment");
    }
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err("not an http(s) URL with a host");
    }
    Ok(parsed.origin().ascii_serialization())
}

fn check_endpoint(url: &str) -> Result<(), Error> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| Error::Config(format!("invalid endpoint `{}`: {e}", redact_url(url))))?;
    let url = &redact_url(url);
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let host = parsed.host_str().unwrap_or_default();
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if loopback {
                Ok(())
            } else {
                Err(Error::Config(format!(
                    "refusing plain http:// to `{url}`: only loopback addresses may skip TLS"
                )))
            }
        }
        other => Err(Error::Config(format!("unsupported scheme `{other}` in `{url}`"))),
    }
}

struct Token {
    value: String,
    expires_at: Instant,
}

struct Inner {
    http: reqwest::Client,
    credentials: Credentials,
    api_endpoint: Option<String>,
    auth_endpoint: String,
    retry: Retry,
    /// Origins Unicast sends may go to: Amazon's, then the configured ones.
    allowed_hosts: Vec<String>,
    token: Mutex<Option<Token>>,
    token_fetches: std::sync::atomic::AtomicU64,
}

/// Sends Proactive Events. Cheap to clone; clones share the token cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.inner.credentials)
            .field("api_endpoint", &self.inner.api_endpoint)
            .field("auth_endpoint", &self.inner.auth_endpoint)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Refresh this long before the token expires (spec §3: as Amazon's SDKs do).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

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

    /// A valid token: the cached one, or one fetched now. Concurrent callers wait for a single
    /// fetch (the cache's lock is held while fetching).
    async fn token(&self) -> Result<String, Error> {
        let mut slot = self.inner.token.lock().await;
        if let Some(t) = slot.as_ref() {
            if Instant::now() + REFRESH_MARGIN < t.expires_at {
                return Ok(t.value.clone());
            }
        }
        let fresh = self.fetch_token().await?;
        let value = fresh.value.clone();
        *slot = Some(fresh);
        Ok(value)
    }

    /// Forgets `stale` if it is still the cached token.
    async fn invalidate(&self, stale: &str) {
        let mut slot = self.inner.token.lock().await;
        if slot.as_ref().is_some_and(|t| t.value == stale) {
            *slot = None;
        }
    }

    async fn fetch_token(&self) -> Result<Token, Error> {
        self.inner
            .token_fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let creds = &self.inner.credentials;
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", creds.client_id.as_str()),
            ("client_secret", creds.client_secret.as_str()),
            ("scope", "alexa::proactive_events"),
        ];
        let started = Instant::now();
        let url = format!("{}/auth/o2/token", self.inner.auth_endpoint);
        // reqwest percent-encodes form values (spec §3: several clients forget to).
        let response = self
            .inner
            .http
            .post(&url)
            .form(&form)
            .send()
            .await
            .map_err(|e| Error::Token(format!("{}: {}", redact_url(&url), without_url(&e))))?;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status != 200 {
            let error = body["error"].as_str().unwrap_or("unknown_error");
            let description = body["error_description"].as_str().unwrap_or("");
            return Err(Error::Token(format!("HTTP {status}: {error}: {description}")));
        }
        let value = body["access_token"]
            .as_str()
            .ok_or_else(|| Error::Token("the token response has no access_token".into()))?
            .to_owned();
        let lifetime = Duration::from_secs(body["expires_in"].as_u64().unwrap_or(3600));
        Ok(Token {
            value,
            expires_at: started + lifetime,
        })
    }

    fn events_url(&self, stage: Stage, region: Region) -> String {
        let base = self.inner.api_endpoint.as_deref().unwrap_or(region.base_url());
        format!("{base}{}", stage.path())
    }

    /// Validates and sends a typed request.
    pub async fn send(&self, request: &Request, stage: Stage, region: Region) -> Result<Sent, Error> {
        self.send_value(&request.to_value(), stage, region).await
    }

    /// Validates and sends a request body. An invalid body is not sent.
    pub async fn send_value(&self, body: &Value, stage: Stage, region: Region) -> Result<Sent, Error> {
        let url = self.events_url(stage, region);
        self.validate_and_post(body, url).await
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
        self.validate_and_post(body, format!("{base}{}", stage.path())).await
    }

    async fn validate_and_post(&self, body: &Value, url: String) -> Result<Sent, Error> {
        let mut report = proactive_schemas::validate(body);
        // Spec §4: when sending, the expiry must still lie in the future.
        let expiry = body["expiryTime"]
            .as_str()
            .and_then(|s| s.parse::<proactive_schemas::DateTime>().ok());
        if expiry.is_some_and(|e| e.timestamp() <= proactive_schemas::jiff::Timestamp::now()) {
            report.errors.push(Diagnostic {
                severity: proactive_schemas::Severity::Error,
                pointer: "/expiryTime".into(),
                message: "the expiry time has already passed".into(),
                suggestion: None,
            });
        }
        if !report.is_valid() {
            return Err(Error::Invalid(report));
        }
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Config(e.to_string()))?;
        self.post(bytes, url).await
    }

    async fn post(&self, body: Vec<u8>, url: String) -> Result<Sent, Error> {
        let retry = &self.inner.retry;
        let started = Instant::now();
        let mut attempts = 0u32;
        let mut refreshed = false;
        let mut last: String;
        loop {
            attempts += 1;
            let token = self.token().await?;
            let result = self
                .inner
                .http
                .post(&url)
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await;
            let wait = match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    if status == 202 {
                        return Ok(Sent {
                            attempts,
                            by_conflict: false,
                        });
                    }
                    let text = response.text().await.unwrap_or_default();
                    let error = api_error(status, &text);
                    if status == 409 && attempts > 1 {
                        // An earlier attempt was accepted, but its answer was lost.
                        return Ok(Sent {
                            attempts,
                            by_conflict: true,
                        });
                    }
                    if (status == 401 || status == 403) && !refreshed && error.message.contains("token") {
                        // The cached token went stale early: fetch a new one, once.
                        refreshed = true;
                        self.invalidate(&token).await;
                        attempts -= 1;
                        continue;
                    }
                    if status == 429 || status >= 500 {
                        last = error.to_string();
                        if attempts >= retry.max_attempts {
                            return Err(Error::Rejected(error));
                        }
                        retry_after.unwrap_or_else(|| backoff(retry, attempts))
                    } else {
                        return Err(Error::Rejected(error));
                    }
                }
                Err(e) => {
                    last = without_url(&e);
                    if attempts >= retry.max_attempts {
                        return Err(Error::Transport {
                            attempts,
                            message: last,
                        });
                    }
                    backoff(retry, attempts)
                }
            };
            if started.elapsed() + wait > retry.deadline {
                return Err(Error::Deadline {
                    attempts,
                    deadline: retry.deadline,
                    last,
                });
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends many request bodies with at most `concurrency` in flight. Every request gets a
    /// result on the returned channel, tagged with its index; nothing is dropped.
    pub fn send_all(
        &self,
        bodies: Vec<Value>,
        stage: Stage,
        region: Region,
        concurrency: usize,
    ) -> tokio::sync::mpsc::UnboundedReceiver<(usize, Result<Sent, Error>)> {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let limit = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
        let client = self.clone();
        tokio::spawn(async move {
            let mut tasks = tokio::task::JoinSet::new();
            for (i, body) in bodies.into_iter().enumerate() {
                let Ok(permit) = limit.clone().acquire_owned().await else {
                    break;
                };
                let client = client.clone();
                let tx = tx.clone();
                tasks.spawn(async move {
                    let result = client.send_value(&body, stage, region).await;
                    drop(permit);
                    let _ = tx.send((i, result));
                });
            }
            while tasks.join_next().await.is_some() {}
        });
        rx
    }
}

/// A summary of a bulk send.
#[derive(Debug, Default)]
pub struct Summary {
    /// Indices of accepted requests.
    pub accepted: Vec<usize>,
    /// Indices and errors of requests that were not accepted.
    pub failed: Vec<(usize, Error)>,
}

impl Summary {
    /// Collects every result of [`Client::send_all`].
    pub async fn collect(mut rx: tokio::sync::mpsc::UnboundedReceiver<(usize, Result<Sent, Error>)>) -> Summary {
        let mut summary = Summary::default();
        while let Some((i, result)) = rx.recv().await {
            match result {
                Ok(_) => summary.accepted.push(i),
                Err(e) => summary.failed.push((i, e)),
            }
        }
        summary.accepted.sort_unstable();
        summary.failed.sort_by_key(|(i, _)| *i);
        summary
    }
}

/// reqwest's error text without the URL (which could carry secrets in a query).
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_request() || e.is_body() {
        "connection dropped"
    } else {
        "request failed"
    };
    let mut source = std::error::Error::source(e);
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

fn api_error(status: u16, body: &str) -> ApiError {
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let code = match &value["code"] {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let message = value["message"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| body.chars().take(200).collect());
    ApiError {
        status,
        kind: Rejection::of(status),
        code,
        message,
    }
}

/// Full-jitter exponential backoff: a random wait up to `base * 2^(attempt-1)`, capped.
fn backoff(retry: &Retry, attempt: u32) -> Duration {
    let cap = retry
        .base_delay
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(retry.max_delay);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(attempt);
    let unit = (h.finish() >> 11) as f64 / (1u64 << 53) as f64;
    cap.mul_f64(unit)
}

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
    fn backoff_stays_under_its_cap() {
        let retry = Retry::default();
        for attempt in 1..20 {
            let cap = retry
                .base_delay
                .saturating_mul(1 << (attempt - 1).min(16))
                .min(retry.max_delay);
            assert!(backoff(&retry, attempt) <= cap);
        }
    }

    #[test]
    fn urls_in_messages_lose_their_credentials() {
        assert_eq!(redact_url("https://u:p@h.example/x?y=1"), "https://h.example/x?y=1");
        assert_eq!(redact_url("http://u@127.0.0.1:9/"), "http://127.0.0.1:9/");
        assert_eq!(redact_url("https://h.example/a@b"), "https://h.example/a@b");
        assert_eq!(redact_url("not a url"), "not a url");
        let e = check_endpoint("ftp://user:hunter2@h.example").unwrap_err().to_string();
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn api_hosts_compare_as_origins() {
        assert_eq!(
            origin("https://API.amazonalexa.com").unwrap(),
            "https://api.amazonalexa.com"
        );
        assert_eq!(
            origin("https://api.amazonalexa.com:443/").unwrap(),
            "https://api.amazonalexa.com"
        );
        assert!(origin("https://u:p@api.amazonalexa.com").is_err());
        assert!(origin("https://api.amazonalexa.com/v1").is_err());
        assert!(origin("https://api.amazonalexa.com?x").is_err());
        assert_eq!(
            origin("https://api.amazonalexa.com:8443").unwrap(),
            "https://api.amazonalexa.com:8443"
        );
    }

    #[test]
    fn credentials_debug_hides_the_secret() {
        let c = Credentials::new("id-1", "s3cr3t");
        assert_eq!(
            format!("{c:?}"),
            r#"Credentials { client_id: "id-1", client_secret: "<redacted>" }"#
        );
    }
}

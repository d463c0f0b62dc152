//! Send Alexa Proactive Events.
//!
//! - a Login-with-Amazon token, cached per client, refreshed 60 s before it expires, fetched by
//!   one request however many sends wait for it, and fetched again once when Amazon says the
//!   token is no longer good;
//! - validation before sending: an invalid request never leaves the process;
//! - the regional, stage-specific endpoint (spec §2), or your own base URLs (the emulator, a proxy);
//! - retries for 429 (honouring `Retry-After`), 5xx, timeouts and dropped connections, with
//!   exponential backoff and jitter ([`Retry`]): throttling is waited out until the request's
//!   deadline, server and network errors also spend a bounded number of attempts; token fetches
//!   retry the same way, within the same deadline; a `409` after an attempt that may have got
//!   through means it did, and is reported as accepted;
//! - a request whose answer was lost (the connection dropped or timed out after it was sent) and
//!   could not be settled by a retry is reported as [`Error::Unknown`], not as failed: it may have
//!   been accepted, and resending it is safe (a repeated reference id is answered `409`, never
//!   delivered twice);
//! - no redirects, from the API or the token endpoint: a `3xx` is [`Error::Redirect`];
//! - bulk sends with bounded concurrency and a result for every request.
//!
//! Secrets (the client secret, tokens) never appear in `Debug` output, errors or logs.
#![deny(missing_docs)]

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use proactive_schemas::{Report, Request};
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
    /// The network failed on every attempt, and no attempt can have reached Amazon's processing
    /// (each failed to connect, or was answered with a throttle or server error): not accepted.
    #[error("transport error after {attempts} attempt(s): {message}")]
    Transport {
        /// How many attempts were made.
        attempts: u32,
        /// The last error.
        message: String,
    },
    /// The overall deadline ([`Retry::deadline`]) passed before an answer, and no attempt can
    /// have been accepted.
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

/// A request Amazon accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// How many requests were made to the API for it, throttled ones included.
    pub attempts: u32,
    /// Accepted through a `409` after an earlier attempt that may have got through (its
    /// connection was lost after sending, or it was answered with a server error).
    pub by_conflict: bool,
}

/// Retry policy: how long to keep trying and how many errors to tolerate, per request.
///
/// Two budgets, and a request is given up when either runs out:
///
/// - [`deadline`](Self::deadline) bounds the time, from the request's first attempt (including
///   fetching a token) to its last answer. Throttling (`429`, with or without `Retry-After`) is
///   waited out until then and costs nothing else: a busy API slows a request down but does not
///   fail it while the deadline lasts.
/// - [`max_attempts`](Self::max_attempts) bounds the attempts that end in a server error (`5xx`)
///   or a network failure (refused or dropped connection, timeout).
///
/// Other answers are final: `202` (accepted), `3xx` ([`Error::Redirect`], never followed), and
/// any other `4xx` ([`Error::Rejected`]; a stale token is refreshed once first). Token fetches
/// follow the same policy (`5xx`, `429` and network failures are retried; `400` and `401` are
/// final) within the deadline of the request that needs the token.
#[derive(Clone, Debug)]
pub struct Retry {
    /// Most attempts that end in a server error or a network failure, per request and per token
    /// fetch (default 6; at least one attempt is always made). Throttled attempts do not count.
    pub max_attempts: u32,
    /// First backoff (default 100 ms); doubles with each error (or each throttle without
    /// `Retry-After`), with full jitter. Also the most jitter added to a `Retry-After`.
    pub base_delay: Duration,
    /// Longest backoff (default 10 s).
    pub max_delay: Duration,
    /// Per-attempt timeout (default 10 s); never longer than what is left of the deadline.
    pub timeout: Duration,
    /// Overall time per request, from its first attempt to its last answer (default 120 s).
    ///
    /// It starts when the request starts, not when a bulk send ([`Client::send_all`]) does, so
    /// it need not cover the whole bulk send (100,000 events under a limit of 1,500 per second
    /// take over a minute); it must cover one request being throttled round after round while
    /// the others in flight compete for the same quota, and its share of errors. Amazon publishes
    /// no figures for its rate limit nor its `Retry-After` (spec §2): 120 s leaves room for the
    /// worst error budget of the defaults (6 attempts of 10 s each plus about 3 s of backoff)
    /// and still a minute of throttling, e.g. a few `Retry-After: 10` rounds; 60 s, the old
    /// default, left none once errors and throttling came together.
    pub deadline: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(120),
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
    /// fetch (the cache's lock is held while fetching), each no longer than its own deadline.
    async fn token(&self, deadline: Instant) -> Result<String, Error> {
        let lock = self.inner.token.lock();
        let Ok(mut slot) = tokio::time::timeout_at(deadline.into(), lock).await else {
            return Err(Error::Token(format!(
                "the deadline of {:?} passed while waiting for another request's token fetch",
                self.inner.retry.deadline
            )));
        };
        if let Some(t) = slot.as_ref() {
            if Instant::now() + REFRESH_MARGIN < t.expires_at {
                return Ok(t.value.clone());
            }
        }
        let fresh = self.fetch_token(deadline).await?;
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

    /// Asks Login with Amazon for a token, retrying 5xx, 429 and network failures as [`Retry`]
    /// says, until `deadline`. A redirect is never followed: it would send the client secret on.
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
                        return Err(redirect(&response));
                    }
                    let retry_after = retry_after(response.headers());
                    let body: Value = response.json().await.unwrap_or(Value::Null);
                    if status == 200 {
                        let value = body["access_token"]
                            .as_str()
                            .ok_or_else(|| Error::Token("the token response has no access_token".into()))?
                            .to_owned();
                        let lifetime = Duration::from_secs(body["expires_in"].as_u64().unwrap_or(3600));
                        return Ok(Token {
                            value,
                            expires_at: started + lifetime,
                        });
                    }
                    let error = body["error"].as_str().unwrap_or("unknown_error");
                    let description = body["error_description"].as_str().unwrap_or("");
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
        // The schema and envelope rules, and (spec §4) an expiry still in the future: the same
        // door the emulator checks with.
        let report = proactive_schemas::validate_for_sending(body, proactive_schemas::jiff::Timestamp::now());
        if !report.is_valid() {
            return Err(Error::Invalid(report));
        }
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Config(e.to_string()))?;
        self.post(bytes, url).await
    }

    async fn post(&self, body: Vec<u8>, url: String) -> Result<Sent, Error> {
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
            let result = self
                .inner
                .http
                .post(&url)
                .timeout(timeout)
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await;
            let (wait, last) = match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    if status == 202 {
                        return Ok(Sent {
                            attempts: budget.attempts,
                            by_conflict: false,
                        });
                    }
                    if response.status().is_redirection() {
                        return Err(settle(redirect(&response), budget.attempts, uncertain));
                    }
                    let retry_after = retry_after(response.headers());
                    let text = response.text().await.unwrap_or_default();
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
                    match budget.after_status(retry, status, retry_after) {
                        Some(wait) => (wait, error.to_string()),
                        None => return Err(settle(Error::Rejected(error), budget.attempts, uncertain)),
                    }
                }
                Err(e) => {
                    // Refused or unresolvable: nothing was sent. Anything later: it may have been.
                    if !e.is_connect() {
                        uncertain = true;
                        maybe_processed = true;
                    }
                    let message = without_url(&e);
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

/// A summary of a bulk send: every request is in exactly one of the three lists.
#[derive(Debug, Default)]
pub struct Summary {
    /// Indices of accepted requests.
    pub accepted: Vec<usize>,
    /// Indices and errors of requests that were not accepted: invalid, rejected, or failed
    /// without any attempt that could have been accepted.
    pub failed: Vec<(usize, Error)>,
    /// Indices and errors ([`Error::Unknown`]) of requests whose outcome is unknown: they may have
    /// been accepted. Resending them is safe (a repeat is answered `409`, never delivered twice).
    pub unknown: Vec<(usize, Error)>,
}

impl Summary {
    /// Collects every result of [`Client::send_all`], sorted by index.
    pub async fn collect(mut rx: tokio::sync::mpsc::UnboundedReceiver<(usize, Result<Sent, Error>)>) -> Summary {
        let mut summary = Summary::default();
        while let Some((i, result)) = rx.recv().await {
            summary.record(i, result);
        }
        summary.sort();
        summary
    }

    /// Files one result under `accepted`, `failed` or `unknown`.
    pub fn record(&mut self, index: usize, result: Result<Sent, Error>) {
        match result {
            Ok(_) => self.accepted.push(index),
            Err(e) if e.is_unknown() => self.unknown.push((index, e)),
            Err(e) => self.failed.push((index, e)),
        }
    }

    /// Sorts the three lists by index.
    pub fn sort(&mut self) {
        self.accepted.sort_unstable();
        self.failed.sort_by_key(|(i, _)| *i);
        self.unknown.sort_by_key(|(i, _)| *i);
    }
}

/// What a request (or a token fetch) has spent of its [`Retry`] budget.
#[derive(Default)]
struct Budget {
    /// Every attempt made.
    attempts: u32,
    /// Attempts that ended in a server error or a network failure: bounded by `max_attempts`.
    errors: u32,
    /// Throttled attempts: free, bounded only by the deadline.
    throttles: u32,
}

impl Budget {
    /// After an answer that was not a success: how long to wait before retrying, or `None` when
    /// the answer is final (not retryable) or the errors have run out.
    fn after_status(&mut self, retry: &Retry, status: u16, retry_after: Option<Duration>) -> Option<Duration> {
        if status == 429 {
            self.throttles += 1;
            // Jitter, so the requests throttled together do not all come back at the same instant.
            return Some(match retry_after {
                Some(after) => after.saturating_add(jitter(retry.base_delay)),
                None => backoff(retry, self.throttles),
            });
        }
        if status < 500 {
            return None;
        }
        self.errors += 1;
        if self.errors >= retry.max_attempts {
            return None;
        }
        Some(retry_after.unwrap_or_else(|| backoff(retry, self.errors)))
    }

    /// After a network failure: how long to wait, or `None` when the errors have run out.
    fn after_transport(&mut self, retry: &Retry) -> Option<Duration> {
        self.errors += 1;
        (self.errors < retry.max_attempts).then(|| backoff(retry, self.errors))
    }
}

/// `start + deadline`, or a far future when that does not fit in an `Instant`.
fn deadline_from(start: Instant, deadline: Duration) -> Instant {
    start
        .checked_add(deadline)
        .or_else(|| start.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(start)
}

/// The timeout of the next attempt: the per-attempt one, cut to what is left of the deadline;
/// `None` when nothing is left.
fn attempt_timeout(retry: &Retry, deadline: Instant) -> Option<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    (!left.is_zero()).then(|| retry.timeout.min(left))
}

/// A final error of a request, as the caller sees it: when an earlier attempt's outcome is
/// unknown, only a definitive rejection (a `4xx` other than `429`, which would also have met the
/// earlier attempt) is still certain; anything else leaves the outcome unknown.
fn settle(error: Error, attempts: u32, uncertain: bool) -> Error {
    let definitive = matches!(&error, Error::Rejected(e) if (400..500).contains(&e.status) && e.status != 429);
    if !uncertain || definitive {
        return error;
    }
    let last = match error {
        Error::Transport { message, .. } => message,
        Error::Deadline { deadline, last, .. } => format!("the deadline of {deadline:?} passed; {last}"),
        other => other.to_string(),
    };
    Error::Unknown { attempts, last }
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110 §10.2.3); a date in the past is zero.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    use proactive_schemas::jiff::{fmt::rfc2822::DateTimeParser, Timestamp};
    let at = DateTimeParser::new().parse_timestamp(value).ok()?;
    Some(Duration::try_from(at.duration_since(Timestamp::now())).unwrap_or(Duration::ZERO))
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

/// The error for a `3xx` answer, naming where it pointed (never followed).
fn redirect(response: &reqwest::Response) -> Error {
    let location = response.headers().get(reqwest::header::LOCATION).map(|value| {
        match value.to_str().ok().and_then(|v| response.url().join(v.trim()).ok()) {
            Some(target) => bare_url(&target),
            None => "an invalid URL".to_owned(),
        }
    });
    Error::Redirect {
        url: bare_url(response.url()),
        status: response.status().as_u16(),
        location,
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
    jitter(cap)
}

/// A random duration up to `cap`.
fn jitter(cap: Duration) -> Duration {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(0);
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
    fn throttles_are_free_errors_are_counted_other_answers_are_final() {
        let retry = Retry {
            max_attempts: 2,
            ..Retry::default()
        };
        let mut budget = Budget::default();
        for _ in 0..100 {
            assert!(budget.after_status(&retry, 429, None).is_some());
        }
        let after = budget.after_status(&retry, 429, Some(Duration::from_secs(3))).unwrap();
        assert!(after >= Duration::from_secs(3) && after <= Duration::from_secs(3) + retry.base_delay);
        assert!(budget.after_status(&retry, 503, None).is_some());
        assert!(budget.after_transport(&retry).is_none(), "the second error ends it");
        for status in [400, 401, 403, 404, 409, 432] {
            assert!(
                Budget::default().after_status(&retry, status, None).is_none(),
                "{status}"
            );
        }
        // At least one attempt, whatever max_attempts says.
        let once = Retry {
            max_attempts: 0,
            ..Retry::default()
        };
        assert!(Budget::default().after_transport(&once).is_none());
    }

    #[test]
    fn after_a_lost_answer_only_a_definitive_rejection_is_certain() {
        let rejected = |status| Error::Rejected(api_error(status, ""));
        assert!(matches!(
            settle(rejected(500), 3, true),
            Error::Unknown { attempts: 3, .. }
        ));
        assert!(matches!(settle(rejected(429), 3, true), Error::Unknown { .. }));
        assert!(matches!(settle(rejected(400), 3, true), Error::Rejected(_)));
        assert!(matches!(settle(rejected(500), 3, false), Error::Rejected(_)));
        let transport = Error::Transport {
            attempts: 3,
            message: "connection dropped".into(),
        };
        let unknown = settle(transport, 3, true);
        assert!(unknown.is_unknown());
        assert!(unknown.to_string().ends_with("last: connection dropped"), "{unknown}");
        let token = Error::Token("HTTP 503".into());
        assert!(matches!(settle(token, 1, false), Error::Token(_)));
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let headers = |v: &str| {
            let mut h = reqwest::header::HeaderMap::new();
            h.insert(reqwest::header::RETRY_AFTER, v.parse().unwrap());
            h
        };
        assert_eq!(retry_after(&headers(" 7 ")), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        use proactive_schemas::jiff::{fmt::rfc2822::DateTimePrinter, SignedDuration, Timestamp};
        let soon = Timestamp::now() + SignedDuration::from_secs(90);
        let date = DateTimePrinter::new().timestamp_to_rfc9110_string(&soon).unwrap();
        let wait = retry_after(&headers(&date)).unwrap();
        assert!(
            wait > Duration::from_secs(80) && wait <= Duration::from_secs(90),
            "{date}: {wait:?}"
        );
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&reqwest::header::HeaderMap::new()), None);
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

    #[test]
    fn huge_deadlines_do_not_overflow() {
        let now = Instant::now();
        assert!(deadline_from(now, Duration::MAX) > now + Duration::from_secs(3600));
        assert_eq!(deadline_from(now, Duration::from_secs(5)), now + Duration::from_secs(5));
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

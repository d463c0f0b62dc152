//! A local stand-in for Amazon's two endpoints, for tests, demos and users' own CI:
//!
//! - `POST /auth/o2/token` (also `/auth/O2/token`): Login with Amazon's client-credentials grant;
//! - `POST /v1/proactiveEvents` and `/v1/proactiveEvents/stages/development`: the Proactive
//!   Events API, applying the same validator as `proactive validate` and the client;
//! - `GET /emulator/events`: what was accepted, with its audience and what Alexa would say;
//! - `POST /emulator/users/{user}/subscriptions`: a simulated user (un)subscribes, and Alexa's
//!   side is played: the skill at [`Config::skill_endpoint`] gets a signed
//!   `ProactiveSubscriptionChanged`, verifiable as a real one is (spec §7), with the emulator's
//!   own certificate chain (`GET /emulator/echo-api-cert.pem`) leading to a root generated at
//!   start-up (`GET /emulator/root-ca.pem`, [`Emulator::root_pem`]).
//!
//! Faults (rate limiting with `Retry-After`, a share of 500s, added latency, dropped connections,
//! a first few token requests answered `503`) can be injected to exercise clients.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let emulator = proactive_emulator::Emulator::start(proactive_emulator::Config::default()).await?;
//! println!("listening on {}", emulator.base_url());
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod signing;

pub use signing::{CHAIN_PATH, ECHO_API_SAN, ROOT_PATH};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};

/// The scope a token must be asked for (spec §3).
pub const SCOPE: &str = "alexa::proactive_events";

/// How the emulator behaves.
#[derive(Clone)]
pub struct Config {
    /// The address to listen on (default `127.0.0.1:0`, a free port).
    pub addr: SocketAddr,
    /// The client id tokens are issued to.
    pub client_id: String,
    /// The client secret tokens are issued for.
    pub client_secret: String,
    /// How long an issued token lives (default one hour).
    pub token_lifetime: Duration,
    /// Who is subscribed to what. `None` (the default) is permissive: every user is subscribed to
    /// every event, so Unicast to any user is accepted.
    pub subscriptions: Option<BTreeMap<String, HashSet<String>>>,
    /// The users a Multicast reaches in permissive mode.
    pub users: Vec<String>,
    /// Injected faults.
    pub faults: Faults,
    /// Where the skill receives `AlexaSkillEvent.ProactiveSubscriptionChanged` when a simulated
    /// user (un)subscribes through `POST /emulator/users/{user}/subscriptions`.
    pub skill_endpoint: Option<String>,
    /// The skill id written into those events (`context.System.application.applicationId`), which
    /// the skill checks against its own.
    pub skill_id: String,
    /// Bounds on what one client may make the emulator do (body size, timeouts, connections).
    pub limits: proactive_http::Limits,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_lifetime", &self.token_lifetime)
            .field("faults", &self.faults)
            .field(
                "skill_endpoint",
                &self.skill_endpoint.as_deref().map(proactive_schemas::redact_url),
            )
            .field("skill_id", &self.skill_id)
            .finish_non_exhaustive()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            client_id: "amzn1.application-oa2-client.emulator".into(),
            client_secret: "emulator-secret".into(),
            token_lifetime: Duration::from_secs(3600),
            subscriptions: None,
            users: vec![
                "amzn1.ask.account.EMULATOR-USER-1".into(),
                "amzn1.ask.account.EMULATOR-USER-2".into(),
            ],
            faults: Faults::default(),
            skill_endpoint: None,
            skill_id: "amzn1.ask.skill.emulator".into(),
            limits: proactive_http::Limits::default(),
        }
    }
}

/// Faults injected into `POST /v1/proactiveEvents…`, and (only [`token_failures`](Self::token_failures))
/// into the token endpoint.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// The first this many token requests are answered `503` with Login with Amazon's error body
    /// (`temporarily_unavailable`), whatever they ask (default 0).
    pub token_failures: u32,
    /// At most this many requests per second; more get `429` with `Retry-After`.
    pub rate_limit: Option<u32>,
    /// The `Retry-After` seconds sent with a 429 (default 1).
    pub retry_after_secs: u64,
    /// Share (0.0–1.0) of requests answered with `500`.
    pub error_rate: f64,
    /// Share (0.0–1.0) of requests whose connection is dropped without an answer; half of them
    /// after the event was accepted (as when a response is lost on the way back).
    pub drop_rate: f64,
    /// Delay added to every request.
    pub latency: Duration,
    /// Seed of the fault dice (0: random).
    pub seed: u64,
}

/// An event the emulator accepted.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    /// The request's reference id.
    pub reference_id: String,
    /// The event name.
    pub event: String,
    /// `development` or `live`.
    pub stage: &'static str,
    /// `Multicast` or `Unicast`.
    pub audience: String,
    /// The users it reached.
    pub recipients: Vec<String>,
    /// What Alexa would say, per locale.
    pub previews: BTreeMap<String, String>,
    /// The request body.
    pub request: Value,
}

/// A skill request the emulator delivered, exactly as sent (for tests that replay or tamper).
#[derive(Clone, Debug)]
pub struct SkillDelivery {
    /// The body bytes, as signed.
    pub body: Vec<u8>,
    /// The `Signature-256` header.
    pub signature_256: String,
    /// The `SignatureCertChainUrl` header.
    pub cert_chain_url: String,
    /// The skill's HTTP status, if it answered.
    pub status: Option<u16>,
}

#[derive(Default)]
struct Inner {
    tokens: HashMap<String, Instant>,
    token_requests: u64,
    event_requests: u64,
    accepted: Vec<Accepted>,
    seen: HashSet<(String, String)>,
    window: Option<(Instant, u32)>,
    dice: u64,
    /// Who is subscribed to what; `None` is permissive (see [`Config::subscriptions`]).
    subscriptions: Option<BTreeMap<String, HashSet<String>>>,
    skill_requests: u64,
    deliveries: Vec<SkillDelivery>,
}

struct Shared {
    config: Config,
    base_url: String,
    http: reqwest::Client,
    signer: signing::Signer,
    inner: Mutex<Inner>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking handler (the dropped-connection fault unwinds on purpose) must not poison
        // the state for everyone else.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running emulator.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Emulator {
    /// Binds `config.addr` and serves in the background on the current tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        // RSA key generation takes a moment: off the async workers.
        let signer = tokio::task::spawn_blocking(signing::Signer::generate)
            .await
            .map_err(std::io::Error::other)?
            .map_err(std::io::Error::other)?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(std::io::Error::other)?;
        let seed = match config.faults.seed {
            0 => std::collections::hash_map::RandomState::new().build_hasher().finish() | 1,
            s => s,
        };
        let subscriptions = config.subscriptions.clone();
        let shared = Arc::new(Shared {
            config,
            base_url: format!("http://{addr}"),
            http,
            signer,
            inner: Mutex::new(Inner {
                dice: seed,
                subscriptions,
                ..Inner::default()
            }),
        });
        let app = router(shared.clone());
        let limits = shared.config.limits.clone();
        let task = tokio::spawn(async move {
            // Serving ends only when the task is aborted.
            let _ = proactive_http::serve(listener, app, limits).await;
        });
        Ok(Emulator { addr, shared, task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: the base URL for both the API and the token endpoint.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The root certificate (PEM) the emulator's signing chain leads to. A skill that should
    /// accept the emulator's requests trusts it, for local tests only.
    pub fn root_pem(&self) -> &str {
        self.shared.signer.root_pem()
    }

    /// The certificate-chain URL the emulator's skill requests name (`SignatureCertChainUrl`).
    pub fn cert_chain_url(&self) -> String {
        format!("{}{CHAIN_PATH}", self.base_url())
    }

    /// The skill requests delivered so far, oldest first, exactly as sent.
    pub fn skill_deliveries(&self) -> Vec<SkillDelivery> {
        self.shared.lock().deliveries.clone()
    }

    /// The accepted events, oldest first.
    pub fn accepted(&self) -> Vec<Accepted> {
        self.shared.lock().accepted.clone()
    }

    /// How many token requests arrived (granted or not).
    pub fn token_requests(&self) -> u64 {
        self.shared.lock().token_requests
    }

    /// How many event requests arrived (whatever the answer).
    pub fn event_requests(&self) -> u64 {
        self.shared.lock().event_requests
    }

    /// Forgets every issued token, as when Amazon revokes them early.
    pub fn revoke_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// Stops serving.
    pub fn shutdown(self) {
        self.task.abort();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/auth/o2/token", post(token))
        .route("/auth/O2/token", post(token))
        .route("/v1/proactiveEvents", post(live))
        .route("/v1/proactiveEvents/stages/development", post(development))
        .route("/emulator/events", get(events))
        .route("/emulator/users/{user}/subscriptions", post(subscribe))
        .route(CHAIN_PATH, get(chain))
        .route(ROOT_PATH, get(root))
        .with_state(shared)
}

fn lwa_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({"error": error, "error_description": description}))).into_response()
}

async fn token(
    State(shared): State<Arc<Shared>>,
    form: Result<Form<HashMap<String, String>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let mut inner = shared.lock();
    inner.token_requests += 1;
    if inner.token_requests <= u64::from(shared.config.faults.token_failures) {
        return lwa_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "Injected failure",
        );
    }
    let Ok(Form(form)) = form else {
        return lwa_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "expected an application/x-www-form-urlencoded body",
        );
    };
    let field = |k: &str| form.get(k).map(String::as_str);
    if field("grant_type") != Some("client_credentials") {
        return lwa_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be client_credentials",
        );
    }
    if field("scope") != Some(SCOPE) {
        return lwa_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "scope must be alexa::proactive_events",
        );
    }
    if field("client_id") != Some(&shared.config.client_id)
        || field("client_secret") != Some(&shared.config.client_secret)
    {
        return lwa_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
        );
    }
    let n = inner.token_requests;
    let nonce = roll(&mut inner.dice);
    let token = format!("Atc|emulator-{n}-{nonce:016x}");
    let lifetime = shared.config.token_lifetime;
    inner.tokens.insert(token.clone(), Instant::now() + lifetime);
    Json(json!({
        "access_token": token,
        "expires_in": lifetime.as_secs(),
        "scope": SCOPE,
        "token_type": "bearer"
    }))
    .into_response()
}

fn api_error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (status, Json(json!({"code": code, "message": message.into()}))).into_response()
}

async fn live(state: State<Arc<Shared>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    event(state, headers, body, "live").await
}

async fn development(state: State<Arc<Shared>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    event(state, headers, body, "development").await
}

/// xorshift64*: fault dice, reproducible from the seed.
fn roll(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn chance(state: &mut u64, p: f64) -> bool {
    p > 0.0 && ((roll(state) >> 11) as f64 / (1u64 << 53) as f64) < p
}

/// Unwinds the connection's task, so hyper closes the socket without answering.
fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new("emulator: dropped connection (injected fault)"))
}

enum Fault {
    None,
    Throttle,
    Fail,
    DropBefore,
    DropAfter,
}

async fn event(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
    stage: &'static str,
) -> Response {
    let faults = &shared.config.faults;
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let fault = {
        let mut inner = shared.lock();
        inner.event_requests += 1;
        let now = Instant::now();
        let throttled = match faults.rate_limit {
            Some(limit) => {
                let window = match inner.window {
                    Some((start, n)) if now.duration_since(start) < Duration::from_secs(1) => (start, n + 1),
                    _ => (now, 1),
                };
                inner.window = Some(window);
                window.1 > limit
            }
            None => false,
        };
        if throttled {
            Fault::Throttle
        } else if chance(&mut inner.dice, faults.error_rate) {
            Fault::Fail
        } else if chance(&mut inner.dice, faults.drop_rate) {
            if roll(&mut inner.dice).is_multiple_of(2) {
                Fault::DropBefore
            } else {
                Fault::DropAfter
            }
        } else {
            Fault::None
        }
    };
    match fault {
        Fault::Throttle => {
            let mut response = api_error(
                StatusCode::TOO_MANY_REQUESTS,
                "TOO_MANY_REQUESTS",
                "Request is throttled",
            );
            let secs = faults.retry_after_secs.max(1);
            response.headers_mut().insert("retry-after", HeaderValue::from(secs));
            return response;
        }
        Fault::Fail => {
            return api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "Injected failure",
            )
        }
        Fault::DropBefore => drop_connection(),
        Fault::None | Fault::DropAfter => {}
    }
    // Validation is linear in the (bounded) body, but still CPU work: off the async workers.
    let response = {
        let shared = shared.clone();
        tokio::task::spawn_blocking(move || accept(&shared, &headers, &body, stage))
            .await
            .unwrap_or_else(|_| {
                api_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "INTERNAL_SERVER_ERROR",
                    "internal error",
                )
            })
    };
    if matches!(fault, Fault::DropAfter) {
        drop_connection();
    }
    response
}

fn accept(shared: &Shared, headers: &HeaderMap, body: &[u8], stage: &'static str) -> Response {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
    let Some(token) = auth.and_then(|a| a.strip_prefix("Bearer ")) else {
        return api_error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "missing bearer token");
    };
    {
        let inner = shared.lock();
        match inner.tokens.get(token) {
            None => return api_error(StatusCode::FORBIDDEN, "INVALID_TOKEN", "the access token is not valid"),
            Some(expiry) if *expiry <= Instant::now() => {
                return api_error(StatusCode::FORBIDDEN, "INVALID_TOKEN", "the access token has expired")
            }
            Some(_) => {}
        }
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return api_error(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                format!("malformed JSON: {e}"),
            )
        }
    };
    let report = proactive_schemas::validate_for_sending(&value, proactive_schemas::jiff::Timestamp::now());
    if !report.is_valid() {
        // The report keeps the first 100 errors and counts the rest: the answer stays small.
        let mut problems: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        problems.extend(report.omitted_note(proactive_schemas::Severity::Error));
        return api_error(StatusCode::BAD_REQUEST, "INVALID_REQUEST", problems.join("; "));
    }
    let reference_id = value["referenceId"].as_str().unwrap_or_default().to_owned();
    let event = value["event"]["name"].as_str().unwrap_or_default().to_owned();
    let audience = value["relevantAudience"]["type"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let subscriptions = shared.lock().subscriptions.clone();
    let subscribed = |user: &str| match &subscriptions {
        None => true,
        Some(subs) => subs.get(user).is_some_and(|events| events.contains(&event)),
    };
    let (recipients, key) = if audience == "Unicast" {
        let user = value["relevantAudience"]["payload"]["user"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if !subscribed(&user) {
            return api_error(
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                format!("user is not subscribed to {event}"),
            );
        }
        (vec![user.clone()], user)
    } else {
        let users: Vec<String> = match &subscriptions {
            None => shared.config.users.clone(),
            Some(subs) => subs
                .iter()
                .filter(|(_, e)| e.contains(&event))
                .map(|(u, _)| u.clone())
                .collect(),
        };
        (users, "*multicast*".to_owned())
    };
    let mut previews = BTreeMap::new();
    let locales: Vec<&str> = value["localizedAttributes"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["locale"].as_str()).collect())
        .unwrap_or_default();
    for locale in if locales.is_empty() { vec!["en-US"] } else { locales } {
        if let Ok(text) = proactive_schemas::preview(&value, locale) {
            previews.insert(locale.to_owned(), text);
        }
    }
    let mut inner = shared.lock();
    if !inner.seen.insert((reference_id.clone(), key)) {
        return api_error(
            StatusCode::CONFLICT,
            "CONFLICT",
            format!("referenceId {reference_id} was already sent to this audience"),
        );
    }
    inner.accepted.push(Accepted {
        reference_id,
        event,
        stage,
        audience,
        recipients,
        previews,
        request: value,
    });
    StatusCode::ACCEPTED.into_response()
}

fn pem(text: &str) -> Response {
    ([("content-type", "application/x-pem-file")], text.to_owned()).into_response()
}

async fn chain(State(shared): State<Arc<Shared>>) -> Response {
    pem(shared.signer.chain_pem())
}

async fn root(State(shared): State<Arc<Shared>>) -> Response {
    pem(shared.signer.root_pem())
}

async fn events(State(shared): State<Arc<Shared>>) -> Json<Vec<Accepted>> {
    Json(shared.lock().accepted.clone())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SubscriptionUpdate {
    /// The user's full list of event names.
    events: Vec<String>,
    /// `request.locale` of the skill event (default `en-US`).
    #[serde(default)]
    locale: Option<String>,
}

/// A simulated user (un)subscribes: the emulator's own record changes (switching it from
/// permissive to explicit subscriptions), and the skill gets a `ProactiveSubscriptionChanged`
/// with the user's full list, as Alexa sends it.
async fn subscribe(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path(user): axum::extract::Path<String>,
    body: axum::body::Bytes,
) -> Response {
    // Any content type: `curl -d '{"events": [...]}'` is enough.
    let update: SubscriptionUpdate = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            return api_error(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                format!("malformed update: {e}"),
            )
        }
    };
    let unknown: Vec<&String> = update
        .events
        .iter()
        .filter(|e| !proactive_schemas::EVENTS.iter().any(|m| m.name == e.as_str()))
        .collect();
    if !unknown.is_empty() {
        return api_error(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            format!("unknown events: {unknown:?}"),
        );
    }
    let request_id = {
        let mut inner = shared.lock();
        inner.skill_requests += 1;
        let n = inner.skill_requests;
        let nonce = roll(&mut inner.dice);
        inner
            .subscriptions
            .get_or_insert_with(BTreeMap::new)
            .insert(user.clone(), update.events.iter().cloned().collect());
        format!("amzn1.echo-api.request.emulator-{n}-{nonce:08x}")
    };
    let Some(endpoint) = &shared.config.skill_endpoint else {
        return Json(json!({"delivered": false, "reason": "no skill endpoint is configured"})).into_response();
    };
    let event = proactive_schemas::SubscriptionChanged {
        version: "1.0".into(),
        application_id: shared.config.skill_id.clone(),
        user_id: user,
        api_endpoint: shared.base_url.clone(),
        request_id,
        timestamp: proactive_schemas::DateTime::from_timestamp(proactive_schemas::jiff::Timestamp::now()),
        locale: Some(update.locale.unwrap_or_else(|| "en-US".into())),
        subscriptions: update.events,
    };
    // Signed over these exact bytes, as Alexa signs what it sends (spec §7).
    let body = event.to_value().to_string().into_bytes();
    let signature = match shared.signer.sign(&body) {
        Ok(s) => s,
        Err(e) => return api_error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR", e),
    };
    let cert_chain_url = format!("{}{CHAIN_PATH}", shared.base_url);
    let sent = shared
        .http
        .post(endpoint)
        .header("content-type", "application/json")
        .header("Signature-256", &signature)
        .header("SignatureCertChainUrl", &cert_chain_url)
        .body(body.clone())
        .send()
        .await;
    shared.lock().deliveries.push(SkillDelivery {
        body,
        signature_256: signature,
        cert_chain_url,
        status: sent.as_ref().ok().map(|r| r.status().as_u16()),
    });
    match sent {
        Ok(r) if r.status().is_success() => {
            Json(json!({"delivered": true, "skillStatus": r.status().as_u16()})).into_response()
        }
        Ok(r) => api_error(
            StatusCode::BAD_GATEWAY,
            "SKILL_ERROR",
            format!("the skill answered {}", r.status()),
        ),
        Err(e) => api_error(
            StatusCode::BAD_GATEWAY,
            "SKILL_UNREACHABLE",
            format!(
                "cannot reach the skill at {}: {}",
                proactive_schemas::redact_url(endpoint),
                e.without_url()
            ),
        ),
    }
}

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

mod alexa;
mod error;
mod events;
mod faults;
mod signing;
mod token;

pub use alexa::SkillDelivery;
pub use events::Accepted;
pub use faults::Faults;
pub use signing::{CHAIN_PATH, ECHO_API_SAN, ROOT_PATH};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::routing::{get, post};
use axum::Router;

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
    /// How many accepted events are kept for [`Emulator::accepted`] and `GET /emulator/events`;
    /// older ones are dropped (their reference ids are still remembered: a repeat is still `409`).
    /// Default 100,000, so a long run does not grow without end.
    pub keep: usize,
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
            keep: 100_000,
        }
    }
}

/// What the handlers record and count, behind one lock.
#[derive(Default)]
struct Inner {
    tokens: HashMap<String, Instant>,
    token_requests: u64,
    event_requests: u64,
    accepted: std::collections::VecDeque<Accepted>,
    seen: HashSet<(String, String)>,
    window: Option<(Instant, u32)>,
    dice: u64,
    /// Who is subscribed to what; `None` is permissive (see [`Config::subscriptions`]).
    subscriptions: Option<BTreeMap<String, HashSet<String>>>,
    skill_requests: u64,
    deliveries: Vec<SkillDelivery>,
}

/// The handlers' state: the configuration, the signer and [`Inner`].
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
        self.shared.lock().accepted.iter().cloned().collect()
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
        .route("/auth/o2/token", post(token::token))
        .route("/auth/O2/token", post(token::token))
        .route("/v1/proactiveEvents", post(events::live))
        .route("/v1/proactiveEvents/stages/development", post(events::development))
        .route("/emulator/events", get(events::events))
        .route("/emulator/users/{user}/subscriptions", post(alexa::subscribe))
        .route(CHAIN_PATH, get(alexa::chain))
        .route(ROOT_PATH, get(alexa::root))
        .with_state(shared)
}

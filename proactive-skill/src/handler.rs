//! axum handlers a skill's web service mounts: `ProactiveSubscriptionChanged` verified as Alexa's
//! (spec §7), applied to the ledger, and answered as Alexa expects.
//!
//! Every request is verified before anything in it is believed: its `Signature-256` over the raw
//! body, the certificate chain named by `SignatureCertChainUrl`, its timestamp and its skill id
//! ([`Verifier`]). A rejected request gets `400` with a one-line reason, changes nothing, and is
//! logged (through `tracing`) without its body. Bodies are bounded ([`proactive_http::Limits`]).
//!
//! ```no_run
//! use std::sync::Arc;
//! use proactive_skill::{handler, verify::Verifier, Ledger, MemoryStore};
//!
//! # async fn run() -> std::io::Result<()> {
//! let ledger = Arc::new(Ledger::new(MemoryStore::default()));
//! let app = handler::router(ledger, Verifier::new("amzn1.ask.skill.YOUR-SKILL-ID"));
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8443").await?;
//! proactive_http::serve(listener, app, proactive_http::Limits::default()).await
//! # }
//! ```

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use proactive_schemas::SubscriptionChanged;
use serde_json::json;

use crate::verify::Verifier;
use crate::{Ledger, Store};

/// How requests are checked before they are applied.
#[derive(Clone)]
enum Check {
    Verified(Verifier),
    /// Only through [`insecure_router_without_verification`].
    Nothing,
}

struct Skill<S> {
    ledger: Arc<Ledger<S>>,
    check: Check,
}

/// A router with `POST /` taking Alexa's skill event, verified by `verifier` (request signature,
/// certificate chain, timestamp, skill id) before it touches the ledger. Nest it wherever the
/// skill receives requests. Bodies over [`proactive_http::Limits::default`]'s `max_body` get 413.
pub fn router<S: Store + 'static>(ledger: Arc<Ledger<S>>, verifier: Verifier) -> Router {
    skill_router(ledger, Check::Verified(verifier))
}

/// **Local tests only.** A router like [`router`] that applies whatever is POSTed to it,
/// unverified: anyone who can reach it can subscribe any user and name any `apiEndpoint`.
/// Never serve it on a network; prefer [`router`] with [`Verifier::builder`]'s
/// `trust_emulator`, which verifies the emulator's signed requests as Alexa's.
pub fn insecure_router_without_verification<S: Store + 'static>(ledger: Arc<Ledger<S>>) -> Router {
    tracing::warn!("skill requests will NOT be verified: for local tests only, never on a network");
    skill_router(ledger, Check::Nothing)
}

fn skill_router<S: Store + 'static>(ledger: Arc<Ledger<S>>, check: Check) -> Router {
    let router = Router::new()
        .route("/", post(handle::<S>))
        .with_state(Arc::new(Skill { ledger, check }));
    proactive_http::harden(router, &proactive_http::Limits::default())
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

/// A store failure reaches the caller as a plain 500; the detail goes to the log only.
fn internal(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "skill request failed");
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

async fn handle<S: Store + 'static>(State(skill): State<Arc<Skill<S>>>, headers: HeaderMap, body: Bytes) -> Response {
    let parsed = match &skill.check {
        Check::Verified(verifier) => match verifier.verify(&headers, &body).await {
            Ok(value) => SubscriptionChanged::from_value(&value),
            Err(reason) => {
                // Never the body: it is the attacker's text until verified.
                tracing::warn!(%reason, bytes = body.len(), "rejected skill request");
                return error(StatusCode::BAD_REQUEST, reason.to_string());
            }
        },
        Check::Nothing => SubscriptionChanged::from_slice(&body),
    };
    let event = match parsed {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(reason = %e, "rejected skill request");
            return error(StatusCode::BAD_REQUEST, e.to_string());
        }
    };
    // One short transaction, off the async workers (a store may wait on another process's lock).
    let ledger = skill.ledger.clone();
    match tokio::task::spawn_blocking(move || ledger.apply(&event)).await {
        // Skill events take an empty response.
        Ok(Ok(_)) => Json(json!({"version": "1.0", "response": {}})).into_response(),
        Ok(Err(e)) => internal(&e),
        Err(e) => internal(&e),
    }
}

/// A whole skill service: `POST /` takes skill events, verified by `verifier`; `POST
/// /notify/{user}` takes a request body and sends it as a Unicast to that user if they are
/// subscribed to its event, answering `{"sent": true}`, `{"skipped": "not subscribed"}` or an
/// error. This is what `examples/skill-service.rs` serves.
///
/// `/notify` is the skill's own back office: anyone who reaches it can notify your users. Serve
/// it on loopback (as the example does) or behind your own authentication.
#[cfg(feature = "client")]
pub fn service<S: Store + 'static>(
    ledger: Arc<Ledger<S>>,
    verifier: Verifier,
    client: proactive_client::Client,
    stage: proactive_client::Stage,
) -> Router {
    with_notify(router(ledger.clone(), verifier), ledger, client, stage)
}

/// **Local tests only.** [`service`] with [`insecure_router_without_verification`] for `POST /`.
#[cfg(feature = "client")]
pub fn insecure_service_without_verification<S: Store + 'static>(
    ledger: Arc<Ledger<S>>,
    client: proactive_client::Client,
    stage: proactive_client::Stage,
) -> Router {
    with_notify(
        insecure_router_without_verification(ledger.clone()),
        ledger,
        client,
        stage,
    )
}

#[cfg(feature = "client")]
fn with_notify<S: Store + 'static>(
    skill: Router,
    ledger: Arc<Ledger<S>>,
    client: proactive_client::Client,
    stage: proactive_client::Stage,
) -> Router {
    let notify = Router::new()
        .route("/notify/{user}", post(notify::<S>))
        .with_state(Arc::new(Notify { ledger, client, stage }));
    skill.merge(proactive_http::harden(notify, &proactive_http::Limits::default()))
}

#[cfg(feature = "client")]
struct Notify<S> {
    ledger: Arc<Ledger<S>>,
    client: proactive_client::Client,
    stage: proactive_client::Stage,
}

#[cfg(feature = "client")]
async fn notify<S: Store + 'static>(
    State(n): State<Arc<Notify<S>>>,
    axum::extract::Path(user): axum::extract::Path<String>,
    body: Bytes,
) -> Response {
    let body: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("malformed JSON: {e}")),
    };
    match crate::notify::send_unicast(&n.ledger, &n.client, n.stage, &user, body).await {
        Ok(crate::notify::Delivery::Sent(_)) => Json(json!({"sent": true})).into_response(),
        Ok(crate::notify::Delivery::Skipped) => Json(json!({"skipped": "not subscribed"})).into_response(),
        Err(crate::notify::NotifyError::Store(e)) => internal(&e),
        Err(e @ crate::notify::NotifyError::Send(_)) => {
            tracing::warn!(error = %e, "notification not sent");
            error(StatusCode::BAD_GATEWAY, e.to_string())
        }
    }
}

//! An axum handler a skill's web service mounts: it takes `ProactiveSubscriptionChanged`,
//! applies it to the ledger and answers as Alexa expects.
//!
//! It does not verify Alexa's request signature; put it behind the skill's own verification.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use proactive_schemas::SubscriptionChanged;
use serde_json::json;

use crate::{Ledger, Store};

/// A router with `POST /` taking the skill event. Nest it wherever the skill receives requests.
pub fn router<S: Store + 'static>(ledger: Arc<Ledger<S>>) -> Router {
    Router::new().route("/", post(handle::<S>)).with_state(ledger)
}

async fn handle<S: Store + 'static>(State(ledger): State<Arc<Ledger<S>>>, body: Bytes) -> Response {
    let event = match SubscriptionChanged::from_slice(&body) {
        Ok(e) => e,
        Err(e) => return (StatusCode::BAD_REQUEST, Json(json!({"error": e.to_string()}))).into_response(),
    };
    // One short transaction; a store waiting on another process's lock blocks this worker only.
    match ledger.apply(&event) {
        // Skill events take an empty response.
        Ok(_) => Json(json!({"version": "1.0", "response": {}})).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": e.to_string()}))).into_response(),
    }
}

/// A whole skill service: `POST /` takes skill events; `POST /notify/{user}` takes a request body
/// and sends it as a Unicast to that user if they are subscribed to its event, answering
/// `{"sent": true}`, `{"skipped": "not subscribed"}` or an error. This is what
/// `examples/skill-service.rs` serves.
#[cfg(feature = "client")]
pub fn service<S: Store + 'static>(
    ledger: Arc<Ledger<S>>,
    client: proactive_client::Client,
    stage: proactive_client::Stage,
) -> Router {
    let notify = Router::new()
        .route("/notify/{user}", post(notify::<S>))
        .with_state(Arc::new(Notify {
            ledger: ledger.clone(),
            client,
            stage,
        }));
    router(ledger).merge(notify)
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
        Err(e) => return (StatusCode::BAD_REQUEST, Json(json!({"error": e.to_string()}))).into_response(),
    };
    match crate::notify::send_unicast(&n.ledger, &n.client, n.stage, &user, body).await {
        Ok(crate::notify::Delivery::Sent(_)) => Json(json!({"sent": true})).into_response(),
        Ok(crate::notify::Delivery::Skipped) => Json(json!({"skipped": "not subscribed"})).into_response(),
        Err(e) => (StatusCode::BAD_GATEWAY, Json(json!({"error": e.to_string()}))).into_response(),
    }
}

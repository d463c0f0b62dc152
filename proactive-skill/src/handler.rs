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

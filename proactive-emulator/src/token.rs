//! `POST /auth/o2/token`: Login with Amazon's client-credentials grant (spec §3).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::faults::roll;
use crate::{Shared, SCOPE};

/// The form a client sends. Every field is optional here so that a missing one gets Login with
/// Amazon's own error for it, not a generic one; read through a map, so that a field given twice
/// counts once (the last) and unknown fields are ignored.
#[derive(Deserialize)]
#[serde(from = "HashMap<String, String>")]
pub(crate) struct TokenRequest {
    grant_type: Option<String>,
    scope: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

impl From<HashMap<String, String>> for TokenRequest {
    fn from(mut form: HashMap<String, String>) -> Self {
        TokenRequest {
            grant_type: form.remove("grant_type"),
            scope: form.remove("scope"),
            client_id: form.remove("client_id"),
            client_secret: form.remove("client_secret"),
        }
    }
}

/// A granted token.
#[derive(Serialize)]
pub(crate) struct TokenReply {
    access_token: String,
    /// Seconds.
    expires_in: u64,
    scope: &'static str,
    token_type: &'static str,
}

pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    // A rejection is answered only after the request is counted (and maybe failed on purpose).
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Result<Json<TokenReply>, ApiError> {
    let mut inner = shared.lock();
    inner.token_requests += 1;
    if inner.token_requests <= u64::from(shared.config.faults.token_failures) {
        return Err(ApiError::TokenUnavailable);
    }
    let Form(form) = form?;
    if form.grant_type.as_deref() != Some("client_credentials") {
        return Err(ApiError::UnsupportedGrantType);
    }
    if form.scope.as_deref() != Some(SCOPE) {
        return Err(ApiError::InvalidScope);
    }
    if form.client_id.as_deref() != Some(&shared.config.client_id)
        || form.client_secret.as_deref() != Some(&shared.config.client_secret)
    {
        return Err(ApiError::InvalidClient);
    }
    let n = inner.token_requests;
    let nonce = roll(&mut inner.dice);
    let token = format!("Atc|emulator-{n}-{nonce:016x}");
    let lifetime = shared.config.token_lifetime;
    inner.tokens.insert(token.clone(), Instant::now() + lifetime);
    Ok(Json(TokenReply {
        access_token: token,
        expires_in: lifetime.as_secs(),
        scope: SCOPE,
        token_type: "bearer",
    }))
}

//! Alexa's side of a subscription: `POST /emulator/users/{user}/subscriptions` delivers a signed
//! `ProactiveSubscriptionChanged` to the skill (spec §7), and the certificates it is signed with
//! are served for the skill to fetch.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::faults::roll;
use crate::{Shared, CHAIN_PATH};

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubscriptionUpdate {
    /// The user's full list of event names.
    events: Vec<String>,
    /// `request.locale` of the skill event (default `en-US`).
    #[serde(default)]
    locale: Option<String>,
}

/// What became of a subscription update's skill event.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Delivery {
    delivered: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skill_status: Option<u16>,
}

/// A simulated user (un)subscribes: the emulator's own record changes (switching it from
/// permissive to explicit subscriptions), and the skill gets a `ProactiveSubscriptionChanged`
/// with the user's full list, as Alexa sends it.
pub(crate) async fn subscribe(
    State(shared): State<Arc<Shared>>,
    Path(user): Path<String>,
    // Any content type: `curl -d '{"events": [...]}'` is enough.
    body: Bytes,
) -> Result<Json<Delivery>, ApiError> {
    let update: SubscriptionUpdate = serde_json::from_slice(&body).map_err(ApiError::MalformedUpdate)?;
    let unknown: Vec<String> = update
        .events
        .iter()
        .filter(|e| !proactive_schemas::EVENTS.iter().any(|m| m.name == e.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::UnknownEvents(unknown));
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
        return Ok(Json(Delivery {
            delivered: false,
            reason: Some("no skill endpoint is configured"),
            skill_status: None,
        }));
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
    let signature = shared.signer.sign(&body).map_err(ApiError::Internal)?;
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
        Ok(r) if r.status().is_success() => Ok(Json(Delivery {
            delivered: true,
            reason: None,
            skill_status: Some(r.status().as_u16()),
        })),
        Ok(r) => Err(ApiError::SkillError(r.status())),
        Err(e) => Err(ApiError::SkillUnreachable {
            endpoint: proactive_schemas::redact_url(endpoint),
            why: e.without_url().to_string(),
        }),
    }
}

fn pem(text: &str) -> Response {
    ([("content-type", "application/x-pem-file")], text.to_owned()).into_response()
}

/// `GET /emulator/echo-api-cert.pem`: the signing certificate, then the intermediate.
pub(crate) async fn chain(State(shared): State<Arc<Shared>>) -> Response {
    pem(shared.signer.chain_pem())
}

/// `GET /emulator/root-ca.pem`: the root the chain leads to.
pub(crate) async fn root(State(shared): State<Arc<Shared>>) -> Response {
    pem(shared.signer.root_pem())
}

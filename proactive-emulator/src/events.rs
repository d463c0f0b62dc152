//! `POST /v1/proactiveEvents…`, the Proactive Events API (spec §2), and `GET /emulator/events`,
//! what it accepted.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use proactive_schemas::RelevantAudience;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;
use crate::faults::{drop_connection, Fault};
use crate::Shared;

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

/// The few fields of a request body the emulator reads, taken once the body is valid (the
/// envelope schema requires every one of them).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Received {
    reference_id: String,
    event: ReceivedEvent,
    relevant_audience: RelevantAudience,
    localized_attributes: Vec<ReceivedLocale>,
}

#[derive(Deserialize)]
struct ReceivedEvent {
    name: String,
}

#[derive(Deserialize)]
struct ReceivedLocale {
    locale: String,
}

pub(crate) async fn live(state: State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Result<StatusCode, ApiError> {
    event(state, headers, body, "live").await
}

pub(crate) async fn development(
    state: State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    event(state, headers, body, "development").await
}

/// Injects the faults, then accepts or refuses the event.
async fn event(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
    stage: &'static str,
) -> Result<StatusCode, ApiError> {
    let faults = &shared.config.faults;
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let fault = {
        let mut inner = shared.lock();
        inner.event_requests += 1;
        Fault::draw(&mut inner, faults)
    };
    match fault {
        Fault::Throttle => {
            return Err(ApiError::Throttled {
                retry_after_secs: faults.retry_after_secs.max(1),
            })
        }
        Fault::Fail => return Err(ApiError::InjectedFailure),
        Fault::DropBefore => drop_connection(),
        Fault::None | Fault::DropAfter => {}
    }
    // Validation is linear in the (bounded) body: a few microseconds for an ordinary body, done
    // here; a large one is CPU work worth moving off the async workers.
    let answer = if body.len() <= INLINE_BODY {
        accept(&shared, &headers, &body, stage)
    } else {
        let shared = shared.clone();
        tokio::task::spawn_blocking(move || accept(&shared, &headers, &body, stage))
            .await
            .unwrap_or_else(|_| Err(ApiError::Internal("internal error".into())))
    };
    if matches!(fault, Fault::DropAfter) {
        drop_connection();
    }
    answer
}

/// Bodies up to this size are validated on the async worker that received them (ordinary
/// requests are about 0.5 KB; validating one takes microseconds).
const INLINE_BODY: usize = 16 * 1024;

/// Checks the token and the body, and records the event for its audience.
fn accept(shared: &Shared, headers: &HeaderMap, body: &[u8], stage: &'static str) -> Result<StatusCode, ApiError> {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
    let token = auth
        .and_then(|a| a.strip_prefix("Bearer "))
        .ok_or(ApiError::MissingToken)?;
    match shared.lock().tokens.get(token) {
        None => return Err(ApiError::UnknownToken),
        Some(expiry) if *expiry <= Instant::now() => return Err(ApiError::ExpiredToken),
        Some(_) => {}
    }
    let now = proactive_schemas::jiff::Timestamp::now();
    // Most bodies are proven valid from their text; the others get the full report. (The value
    // is needed either way: the emulator keeps it, and previews it.)
    let proven =
        std::str::from_utf8(body).is_ok_and(|text| proactive_schemas::validator().proves_valid(text, Some(now)));
    let value: Value = serde_json::from_slice(body).map_err(ApiError::MalformedJson)?;
    if !proven {
        let report = proactive_schemas::validate_for_sending(&value, now);
        if !report.is_valid() {
            // The report keeps the first 100 errors and counts the rest: the answer stays small.
            let mut problems: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
            problems.extend(report.omitted_note(proactive_schemas::Severity::Error));
            return Err(ApiError::Invalid(problems.join("; ")));
        }
    }
    let received = Received::deserialize(&value)
        .map_err(|e| ApiError::Internal(format!("a valid request the emulator cannot read: {e}")))?;
    let event = received.event.name;
    let subscriptions = shared.lock().subscriptions.clone();
    let subscribed = |user: &str| match &subscriptions {
        None => true,
        Some(subs) => subs.get(user).is_some_and(|events| events.contains(&event)),
    };
    let (audience, recipients, key) = match received.relevant_audience {
        RelevantAudience::Unicast { user } => {
            if !subscribed(&user) {
                return Err(ApiError::NotSubscribed { event });
            }
            ("Unicast", vec![user.clone()], user)
        }
        RelevantAudience::Multicast => {
            let users: Vec<String> = match &subscriptions {
                None => shared.config.users.clone(),
                Some(subs) => subs
                    .iter()
                    .filter(|(_, e)| e.contains(&event))
                    .map(|(u, _)| u.clone())
                    .collect(),
            };
            ("Multicast", users, "*multicast*".to_owned())
        }
    };
    let mut previews = BTreeMap::new();
    let locales: Vec<&str> = received
        .localized_attributes
        .iter()
        .map(|a| a.locale.as_str())
        .collect();
    for locale in if locales.is_empty() { vec!["en-US"] } else { locales } {
        if let Ok(text) = proactive_schemas::preview(&value, locale) {
            previews.insert(locale.to_owned(), text);
        }
    }
    let reference_id = received.reference_id;
    let mut inner = shared.lock();
    if !inner.seen.insert((reference_id.clone(), key)) {
        return Err(ApiError::Conflict { reference_id });
    }
    if inner.accepted.len() >= shared.config.keep.max(1) {
        inner.accepted.pop_front();
    }
    inner.accepted.push_back(Accepted {
        reference_id,
        event,
        stage,
        audience: audience.to_owned(),
        recipients,
        previews,
        request: value,
    });
    Ok(StatusCode::ACCEPTED)
}

/// `GET /emulator/events`.
pub(crate) async fn events(State(shared): State<Arc<Shared>>) -> Json<Vec<Accepted>> {
    Json(shared.lock().accepted.iter().cloned().collect())
}

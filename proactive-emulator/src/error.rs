//! Every answer that is not a success, as Amazon gives it: Login with Amazon's
//! `{error, error_description}` from the token endpoint, the Proactive Events API's
//! `{code, message}` from everything else (the emulator's own endpoints answer the same way).
//!
//! Handlers return `Result<_, ApiError>`, as in axum's error-handling example.

use axum::extract::rejection::FormRejection;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// Why a request was refused, or could not be served.
#[derive(Debug)]
pub(crate) enum ApiError {
    // Login with Amazon (spec §3).
    /// An injected fault ([`Faults::token_failures`](crate::Faults::token_failures)).
    TokenUnavailable,
    /// The body is not a form.
    NotAForm,
    /// `grant_type` is missing or not `client_credentials`.
    UnsupportedGrantType,
    /// `scope` is missing or not [`SCOPE`](crate::SCOPE).
    InvalidScope,
    /// The client id or secret is missing or wrong.
    InvalidClient,

    // The Proactive Events API (spec §2).
    /// Over [`Faults::rate_limit`](crate::Faults::rate_limit).
    Throttled {
        /// `Retry-After`, in seconds.
        retry_after_secs: u64,
    },
    /// An injected fault ([`Faults::error_rate`](crate::Faults::error_rate)).
    InjectedFailure,
    /// The emulator itself failed.
    Internal(String),
    /// No `Authorization: Bearer …`.
    MissingToken,
    /// A token the emulator never issued, or has forgotten.
    UnknownToken,
    /// A token past its lifetime.
    ExpiredToken,
    /// The body is not JSON.
    MalformedJson(serde_json::Error),
    /// The body breaks the schema or envelope rules: every problem, joined.
    Invalid(String),
    /// A Unicast to a user who is not subscribed to the event.
    NotSubscribed {
        /// The event name.
        event: String,
    },
    /// The reference id was already sent to this audience.
    Conflict {
        /// The reference id.
        reference_id: String,
    },

    // The emulator's own endpoints.
    /// A subscription update that is not `{"events": [...], "locale"?: ...}`.
    MalformedUpdate(serde_json::Error),
    /// A subscription update naming events that do not exist.
    UnknownEvents(Vec<String>),
    /// The skill answered a delivered event with an error.
    SkillError(StatusCode),
    /// The skill could not be reached.
    SkillUnreachable {
        /// Its endpoint, without credentials.
        endpoint: String,
        /// Why, without the URL.
        why: String,
    },
}

/// An error body: Login with Amazon's, or the Proactive Events API's.
#[derive(Serialize)]
#[serde(untagged)]
enum Body {
    Lwa {
        error: &'static str,
        error_description: &'static str,
    },
    Amazon {
        code: &'static str,
        message: String,
    },
}

impl From<FormRejection> for ApiError {
    fn from(_: FormRejection) -> Self {
        ApiError::NotAForm
    }
}

impl ApiError {
    /// The status and the body.
    fn parts(self) -> (StatusCode, Body) {
        let lwa = |status, error, error_description| {
            (
                status,
                Body::Lwa {
                    error,
                    error_description,
                },
            )
        };
        let amazon = |status, code, message: String| (status, Body::Amazon { code, message });
        match self {
            ApiError::TokenUnavailable => lwa(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "Injected failure",
            ),
            ApiError::NotAForm => lwa(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "expected an application/x-www-form-urlencoded body",
            ),
            ApiError::UnsupportedGrantType => lwa(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be client_credentials",
            ),
            ApiError::InvalidScope => lwa(
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                "scope must be alexa::proactive_events",
            ),
            ApiError::InvalidClient => lwa(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Client authentication failed",
            ),
            ApiError::Throttled { .. } => amazon(
                StatusCode::TOO_MANY_REQUESTS,
                "TOO_MANY_REQUESTS",
                "Request is throttled".into(),
            ),
            ApiError::InjectedFailure => amazon(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "Injected failure".into(),
            ),
            ApiError::Internal(message) => amazon(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR", message),
            ApiError::MissingToken => amazon(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "missing bearer token".into()),
            ApiError::UnknownToken => amazon(
                StatusCode::FORBIDDEN,
                "INVALID_TOKEN",
                "the access token is not valid".into(),
            ),
            ApiError::ExpiredToken => amazon(
                StatusCode::FORBIDDEN,
                "INVALID_TOKEN",
                "the access token has expired".into(),
            ),
            ApiError::MalformedJson(e) => amazon(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                format!("malformed JSON: {e}"),
            ),
            ApiError::Invalid(problems) => amazon(StatusCode::BAD_REQUEST, "INVALID_REQUEST", problems),
            ApiError::NotSubscribed { event } => amazon(
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                format!("user is not subscribed to {event}"),
            ),
            ApiError::Conflict { reference_id } => amazon(
                StatusCode::CONFLICT,
                "CONFLICT",
                format!("referenceId {reference_id} was already sent to this audience"),
            ),
            ApiError::MalformedUpdate(e) => amazon(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                format!("malformed update: {e}"),
            ),
            ApiError::UnknownEvents(unknown) => amazon(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                format!("unknown events: {unknown:?}"),
            ),
            ApiError::SkillError(status) => amazon(
                StatusCode::BAD_GATEWAY,
                "SKILL_ERROR",
                format!("the skill answered {status}"),
            ),
            ApiError::SkillUnreachable { endpoint, why } => amazon(
                StatusCode::BAD_GATEWAY,
                "SKILL_UNREACHABLE",
                format!("cannot reach the skill at {endpoint}: {why}"),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ApiError::Throttled { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let (status, body) = self.parts();
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert("retry-after", HeaderValue::from(secs));
        }
        response
    }
}

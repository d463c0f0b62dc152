//! Sending Unicast events only to users the ledger says are subscribed, at their own API host.

use proactive_client::{Client, Sent, Stage};
use serde_json::{json, Value};

use crate::{Ledger, Store, StoreError};

/// What happened to a Unicast event.
#[derive(Debug)]
pub enum Delivery {
    /// Sent and accepted.
    Sent(Sent),
    /// Not sent: the user is not subscribed to the event (Amazon would answer 403).
    Skipped,
}

/// Why a Unicast event could not be delivered.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The ledger could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Sending failed.
    #[error(transparent)]
    Send(#[from] proactive_client::Error),
}

/// Sends a request body as a Unicast to `user_id`, if the ledger has them subscribed to its
/// event, to the API host their last subscription change came from. The body's audience is set
/// to that user.
pub async fn send_unicast<S: Store>(
    ledger: &Ledger<S>,
    client: &Client,
    stage: Stage,
    user_id: &str,
    mut body: Value,
) -> Result<Delivery, NotifyError> {
    let event = body["event"]["name"].as_str().unwrap_or_default().to_owned();
    let Some(route) = ledger.route(user_id, &event)? else {
        return Ok(Delivery::Skipped);
    };
    body["relevantAudience"] = json!({"type": "Unicast", "payload": {"user": user_id}});
    Ok(Delivery::Sent(
        client.send_value_to(&route.api_endpoint, &body, stage).await?,
    ))
}

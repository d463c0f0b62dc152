//! Bulk sends: many requests with bounded concurrency ([`Client::send_all`]), and the
//! [`Summary`] that files every result.

use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::{Client, Error, Region, Sent, Stage};

/// A request body for [`Client::send_all`]: a JSON value, or JSON text sent exactly as written.
///
/// Text is validated from the text itself (a valid body is proven so without building a
/// [`Value`], see [`proactive_schemas::Validator::validate_str`]) and its bytes are sent as they
/// are, never parsed into a value and written out again: the cheapest way to send bodies read
/// from files.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// A JSON value, serialized once for sending.
    Value(Value),
    /// JSON text, sent as it is.
    Text(String),
}

impl From<Value> for Body {
    fn from(value: Value) -> Self {
        Body::Value(value)
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body::Text(text)
    }
}

impl Client {
    /// Sends many request bodies with at most `concurrency` in flight. Every request gets a
    /// result on the returned channel, tagged with its index (its position in `bodies`); nothing
    /// is dropped.
    ///
    /// `bodies` is any iterator (a `Vec`, or one that reads a file line by line) of [`Value`]s,
    /// of JSON text (`String`, sent as written), or of [`Body`]: it is taken one body at a time
    /// as a sender becomes free, so at most `concurrency` bodies are held at once.
    /// `concurrency` senders share it, however many bodies there are.
    pub fn send_all<I>(
        &self,
        bodies: I,
        stage: Stage,
        region: Region,
        concurrency: usize,
    ) -> tokio::sync::mpsc::UnboundedReceiver<(usize, Result<Sent, Error>)>
    where
        I: IntoIterator,
        I::Item: Into<Body>,
        I::IntoIter: Send + 'static,
    {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let bodies = Arc::new(Mutex::new(bodies.into_iter().enumerate()));
        for _ in 0..concurrency.max(1) {
            let (client, tx, bodies) = (self.clone(), tx.clone(), Arc::clone(&bodies));
            tokio::spawn(async move {
                loop {
                    // The lock is held only to take the next body, never across an `await`.
                    let next = match bodies.lock() {
                        Ok(mut bodies) => bodies.next().map(|(i, body)| (i, body.into())),
                        Err(_) => None, // another sender panicked inside the iterator
                    };
                    let Some((i, body)) = next else { break };
                    let result = match body {
                        Body::Value(body) => client.send_value(&body, stage, region).await,
                        Body::Text(body) => client.send_text(body, stage, region).await,
                    };
                    let _ = tx.send((i, result));
                }
            });
        }
        rx
    }
}

/// A summary of a bulk send: every request is in exactly one of the three lists.
#[derive(Debug, Default)]
pub struct Summary {
    /// Indices of accepted requests.
    pub accepted: Vec<usize>,
    /// Indices and errors of requests that were not accepted: invalid, rejected, or failed
    /// without any attempt that could have been accepted.
    pub failed: Vec<(usize, Error)>,
    /// Indices and errors ([`Error::Unknown`]) of requests whose outcome is unknown: they may have
    /// been accepted. Resending them is safe (a repeat is answered `409`, never delivered twice).
    pub unknown: Vec<(usize, Error)>,
}

impl Summary {
    /// Collects every result of [`Client::send_all`], sorted by index.
    pub async fn collect(mut rx: tokio::sync::mpsc::UnboundedReceiver<(usize, Result<Sent, Error>)>) -> Summary {
        let mut summary = Summary::default();
        while let Some((i, result)) = rx.recv().await {
            summary.record(i, result);
        }
        summary.sort();
        summary
    }

    /// Files one result under `accepted`, `failed` or `unknown`.
    pub fn record(&mut self, index: usize, result: Result<Sent, Error>) {
        match result {
            Ok(_) => self.accepted.push(index),
            Err(e) if e.is_unknown() => self.unknown.push((index, e)),
            Err(e) => self.failed.push((index, e)),
        }
    }

    /// Sorts the three lists by index.
    pub fn sort(&mut self) {
        self.accepted.sort_unstable();
        self.failed.sort_by_key(|(i, _)| *i);
        self.unknown.sort_by_key(|(i, _)| *i);
    }
}

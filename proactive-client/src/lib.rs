//! Send Alexa Proactive Events.
//!
//! - a Login-with-Amazon token, cached per client, refreshed 60 s before it expires, fetched by
//!   one request however many sends wait for it, and fetched again once when Amazon says the
//!   token is no longer good;
//! - validation before sending: an invalid request never leaves the process;
//! - the regional, stage-specific endpoint (spec §2), or your own base URLs (the emulator, a proxy);
//! - retries for 429 (honouring `Retry-After`), 5xx, timeouts and dropped connections, with
//!   exponential backoff and jitter ([`Retry`]): throttling is waited out until the request's
//!   deadline, server and network errors also spend a bounded number of attempts; token fetches
//!   retry the same way, within the same deadline; a `409` after an attempt that may have got
//!   through means it did, and is reported as accepted;
//! - a request whose answer was lost (the connection dropped or timed out after it was sent) and
//!   could not be settled by a retry is reported as [`Error::Unknown`], not as failed: it may have
//!   been accepted, and resending it is safe (a repeated reference id is answered `409`, never
//!   delivered twice);
//! - no redirects, from the API or the token endpoint: a `3xx` is [`Error::Redirect`];
//! - bulk sends with bounded concurrency and a result for every request;
//! - events go out on a connection pool of the client's own (`hyper`; TLS by rustls, checked
//!   against the webpki roots; HTTP/2 when the server offers it), a request costing little more
//!   than its bytes; when the environment names a proxy (`HTTPS_PROXY`, `HTTP_PROXY`,
//!   `ALL_PROXY`, and `NO_PROXY`), events and token requests both go through it.
//!
//! Secrets (the client secret, tokens) never appear in `Debug` output, errors or logs.
#![deny(missing_docs)]

mod auth;
mod bulk;
mod client;
mod endpoints;
mod errors;
mod retry;
mod transport;

pub use auth::Credentials;
pub use bulk::{Body, Summary};
pub use client::{Client, ClientBuilder, Sent};
pub use endpoints::{Region, Stage, AMAZON_API_HOSTS, AMAZON_AUTH_ENDPOINT};
pub use errors::{ApiError, Error, Rejection};
pub use proactive_schemas::redact_url;
pub use retry::Retry;

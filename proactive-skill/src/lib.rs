//! The skill side of Proactive Events: who subscribed to what, and where to reach them.
//!
//! Alexa tells a skill about subscriptions with `AlexaSkillEvent.ProactiveSubscriptionChanged`
//! (spec §6): the user's full list, possibly out of order, and the only place the user's regional
//! API host is learned. A [`Ledger`] applies those events to a [`Store`] and answers "may I send
//! event X to user U, and where?".
//!
//! The stores: [`MemoryStore`]; `SqliteStore` (feature `sqlite`, on by default: one file, SQLite
//! bundled); `PostgresStore` (feature `postgres`: one PostgreSQL database shared by any number of
//! instances of a skill service, each event applied in one transaction that locks the user's row).
//!
//! ```
//! use proactive_schemas::SubscriptionChanged;
//! use proactive_skill::{Ledger, MemoryStore, Outcome};
//!
//! let ledger = Ledger::new(MemoryStore::default());
//! let event = |ts: &str, events: &[&str]| SubscriptionChanged {
//!     version: "1.0".into(),
//!     application_id: "amzn1.ask.skill.1".into(),
//!     user_id: "amzn1.ask.account.A".into(),
//!     api_endpoint: "https://api.eu.amazonalexa.com".into(),
//!     request_id: format!("r-{ts}"),
//!     timestamp: ts.parse().unwrap(),
//!     locale: None,
//!     subscriptions: events.iter().map(|e| e.to_string()).collect(),
//! };
//! let weather = "AMAZON.WeatherAlert.Activated";
//! let newer = event("2026-11-20T10:05:00Z", &[]);
//! let older = event("2026-11-20T10:00:00Z", &[weather]);
//! assert_eq!(ledger.apply(&newer).unwrap(), Outcome::Changed { subscribed: vec![], unsubscribed: vec![] });
//! assert_eq!(ledger.apply(&older).unwrap(), Outcome::Stale); // arrived late: ignored
//! assert_eq!(ledger.route("amzn1.ask.account.A", weather).unwrap(), None);
//! ```
#![deny(missing_docs)]

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use proactive_schemas::SubscriptionChanged;

#[cfg(feature = "axum")]
pub mod handler;
#[cfg(feature = "client")]
pub mod notify;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod outbox;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "verify")]
pub mod verify;

#[cfg(feature = "postgres")]
pub use postgres::{PostgresStore, PostgresStoreBuilder, DEFAULT_SCHEMA as POSTGRES_DEFAULT_SCHEMA};
/// The SQLite library the stores and the outbox use (`SqliteOutbox::enqueue` takes its
/// connections and transactions).
#[cfg(feature = "sqlite")]
pub use rusqlite;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

/// What one user is subscribed to, as of the newest event applied for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserState {
    /// The user id.
    pub user_id: String,
    /// The event names the user is subscribed to.
    pub events: BTreeSet<String>,
    /// The user's regional API host, for Unicast sends.
    pub api_endpoint: String,
    /// The newest applied event's timestamp, as written.
    pub timestamp: String,
    /// Order key of the newest applied event: (UTC seconds, nanoseconds, request id).
    pub order: (i64, i32, String),
}

/// What applying an event did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The event is the newest for the user: its list is now the user's. The names newly
    /// subscribed and newly unsubscribed (both may be empty, e.g. for a new user with no events).
    Changed {
        /// Event names the user subscribed to.
        subscribed: Vec<String>,
        /// Event names the user unsubscribed from.
        unsubscribed: Vec<String>,
    },
    /// This very event was applied before: nothing changed.
    Duplicate,
    /// A newer event was already applied for the user: nothing changed.
    Stale,
}

/// Where to send a Unicast event to a subscribed user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The user's regional API host (`https://api.eu.amazonalexa.com`).
    pub api_endpoint: String,
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[error("subscription store: {0}")]
pub struct StoreError(pub String);

/// Where the ledger keeps its state. Implementations apply each event atomically: read the user's
/// state, [`decide`], write the result, as one transaction.
pub trait Store: Send + Sync {
    /// Applies an event atomically and says what it did.
    fn apply(&self, event: &SubscriptionChanged) -> Result<Outcome, StoreError>;
    /// The user's state, if any event was applied for them.
    fn user(&self, user_id: &str) -> Result<Option<UserState>, StoreError>;
    /// Every user subscribed to an event.
    fn subscribers(&self, event_name: &str) -> Result<Vec<UserState>, StoreError>;
}

/// The order of events for one user: newest timestamp wins; equal timestamps are ordered by
/// request id, so every replica converges whatever order events arrive in.
pub fn order_key(event: &SubscriptionChanged) -> (i64, i32, String) {
    let t = event.timestamp.timestamp();
    (t.as_second(), t.subsec_nanosecond(), event.request_id.clone())
}

/// The ledger's rule, shared by every store: given the user's current state and an event, what
/// happened and what the new state is (`None`: keep the current one).
pub fn decide(current: Option<&UserState>, event: &SubscriptionChanged) -> (Outcome, Option<UserState>) {
    let key = order_key(event);
    if let Some(cur) = current {
        if cur.order == key {
            return (Outcome::Duplicate, None);
        }
        if cur.order > key {
            return (Outcome::Stale, None);
        }
    }
    let events: BTreeSet<String> = event.subscriptions.iter().cloned().collect();
    let empty = BTreeSet::new();
    let before = current.map_or(&empty, |c| &c.events);
    let outcome = Outcome::Changed {
        subscribed: events.difference(before).cloned().collect(),
        unsubscribed: before.difference(&events).cloned().collect(),
    };
    let state = UserState {
        user_id: event.user_id.clone(),
        events,
        api_endpoint: event.api_endpoint.clone(),
        timestamp: event.timestamp.as_str().to_owned(),
        order: key,
    };
    (outcome, Some(state))
}

/// In-memory storage, for tests and single-process skills.
#[derive(Debug, Default)]
pub struct MemoryStore {
    users: Mutex<HashMap<String, UserState>>,
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, UserState>> {
        self.users.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store for MemoryStore {
    fn apply(&self, event: &SubscriptionChanged) -> Result<Outcome, StoreError> {
        let mut users = self.lock();
        let (outcome, state) = decide(users.get(&event.user_id), event);
        if let Some(state) = state {
            users.insert(state.user_id.clone(), state);
        }
        Ok(outcome)
    }

    fn user(&self, user_id: &str) -> Result<Option<UserState>, StoreError> {
        Ok(self.lock().get(user_id).cloned())
    }

    fn subscribers(&self, event_name: &str) -> Result<Vec<UserState>, StoreError> {
        let mut users: Vec<UserState> = self
            .lock()
            .values()
            .filter(|u| u.events.contains(event_name))
            .cloned()
            .collect();
        users.sort_by(|a, b| a.user_id.cmp(&b.user_id));
        Ok(users)
    }
}

/// Applies subscription changes and answers who may receive what.
#[derive(Debug)]
pub struct Ledger<S> {
    store: S,
}

impl<S: Store> Ledger<S> {
    /// A ledger over a store.
    pub fn new(store: S) -> Self {
        Ledger { store }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Applies one `ProactiveSubscriptionChanged`.
    pub fn apply(&self, event: &SubscriptionChanged) -> Result<Outcome, StoreError> {
        self.store.apply(event)
    }

    /// `Some(route)` when the user is subscribed to the event; `None` when a Unicast to them must
    /// not be sent (Amazon would answer 403).
    pub fn route(&self, user_id: &str, event_name: &str) -> Result<Option<Route>, StoreError> {
        Ok(self
            .store
            .user(user_id)?
            .filter(|u| u.events.contains(event_name))
            .map(|u| Route {
                api_endpoint: u.api_endpoint,
            }))
    }

    /// Every user subscribed to an event.
    pub fn subscribers(&self, event_name: &str) -> Result<Vec<UserState>, StoreError> {
        self.store.subscribers(event_name)
    }
}

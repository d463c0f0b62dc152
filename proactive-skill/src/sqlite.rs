//! SQLite storage: one transaction per applied event, so a crash never leaves a half-applied
//! change, and concurrent appliers (threads or processes on one file) serialize on the database.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use proactive_schemas::SubscriptionChanged;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::{decide, Outcome, Store, StoreError, UserState};

/// A ledger store in an SQLite database file (bundled SQLite: nothing to install).
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

fn db(e: rusqlite::Error) -> StoreError {
    StoreError(e.to_string())
}

impl SqliteStore {
    /// Opens (or creates) the database file.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::init(Connection::open(path).map_err(db)?)
    }

    /// A private in-memory database.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory().map_err(db)?)
    }

    fn init(conn: Connection) -> Result<Self, StoreError> {
        // Another process may hold the write lock for a moment: wait rather than fail.
        conn.busy_timeout(Duration::from_secs(30)).map_err(db)?;
        // WAL lets readers and one writer work at once; a torn write is rolled back on open.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(db)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS users (
                 user_id      TEXT PRIMARY KEY,
                 events       TEXT NOT NULL,
                 api_endpoint TEXT NOT NULL,
                 timestamp    TEXT NOT NULL,
                 seconds      INTEGER NOT NULL,
                 nanos        INTEGER NOT NULL,
                 request_id   TEXT NOT NULL
             ) STRICT;",
        )
        .map_err(db)?;
        Ok(SqliteStore { conn: Mutex::new(conn) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn read(conn: &Connection, user_id: &str) -> Result<Option<UserState>, StoreError> {
    conn.query_row(
        "SELECT events, api_endpoint, timestamp, seconds, nanos, request_id FROM users WHERE user_id = ?1",
        params![user_id],
        |row| {
            let events: String = row.get(0)?;
            Ok((events, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?))
        },
    )
    .optional()
    .map_err(db)?
    .map(|(events, api_endpoint, timestamp, seconds, nanos, request_id)| {
        let events = serde_json::from_str(&events)
            .map_err(|e| StoreError(format!("user {user_id}: corrupt event list: {e}")))?;
        Ok(UserState {
            user_id: user_id.to_owned(),
            events,
            api_endpoint,
            timestamp,
            order: (seconds, nanos, request_id),
        })
    })
    .transpose()
}

impl Store for SqliteStore {
    fn apply(&self, event: &SubscriptionChanged) -> Result<Outcome, StoreError> {
        let mut conn = self.lock();
        // IMMEDIATE takes the write lock before reading, so two processes cannot both decide
        // from the same old state.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let current = read(&tx, &event.user_id)?;
        let (outcome, state) = decide(current.as_ref(), event);
        if let Some(s) = state {
            let events = serde_json::to_string(&s.events).map_err(|e| StoreError(e.to_string()))?;
            tx.execute(
                "INSERT INTO users (user_id, events, api_endpoint, timestamp, seconds, nanos, request_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(user_id) DO UPDATE SET events = ?2, api_endpoint = ?3, timestamp = ?4,
                     seconds = ?5, nanos = ?6, request_id = ?7",
                params![
                    s.user_id,
                    events,
                    s.api_endpoint,
                    s.timestamp,
                    s.order.0,
                    s.order.1,
                    s.order.2
                ],
            )
            .map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(outcome)
    }

    fn user(&self, user_id: &str) -> Result<Option<UserState>, StoreError> {
        read(&self.lock(), user_id)
    }

    fn subscribers(&self, event_name: &str) -> Result<Vec<UserState>, StoreError> {
        let conn = self.lock();
        let ids: Vec<String> = {
            let mut stmt = conn
                .prepare("SELECT users.user_id FROM users, json_each(users.events) WHERE json_each.value = ?1 ORDER BY users.user_id")
                .map_err(db)?;
            let rows = stmt.query_map(params![event_name], |row| row.get(0)).map_err(db)?;
            rows.collect::<Result<_, _>>().map_err(db)?
        };
        ids.iter().filter_map(|id| read(&conn, id).transpose()).collect()
    }
}

//! A durable outbox (the transactional outbox pattern), in SQLite for one machine
//! ([`SqliteOutbox`]) or in PostgreSQL for many (`PostgresOutbox`, feature `postgres`):
//! notifications the skill decides to send are written in the application's own transaction
//! ([`SqliteOutbox::enqueue`], `PostgresOutbox::enqueue`), so a crash after the decision cannot
//! lose them, and workers ([`run_worker`], `proactive worker`) send them with the client (retries,
//! `Retry-After`), any number at once.
//!
//! A worker claims a batch with a lease (the rows are its own until the lease ends), sends it,
//! and marks each request accepted, or failed with the reason and the attempt count. A worker that
//! dies mid-batch simply lets its lease run out; another claims the rows again and resends them.
//! Amazon answers a repeated reference id with `409` and never delivers it twice, so a `409` for
//! an outbox request counts as accepted: each notification is delivered once.
//!
//! Both outboxes implement [`Outbox`], the synchronous interface workers use.
//!
//! ```
//! use proactive_skill::outbox::SqliteOutbox;
//!
//! let dir = std::env::temp_dir().join(format!("proactive-outbox-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("app.db");
//! // The application's own database and transaction: its change and the notification commit together.
//! let mut conn = rusqlite::Connection::open(&path).unwrap();
//! let tx = conn.transaction().unwrap();
//! tx.execute_batch("CREATE TABLE IF NOT EXISTS orders (id TEXT); INSERT INTO orders VALUES ('o-1');").unwrap();
//! let body: serde_json::Value =
//!     serde_json::from_str(include_str!("../../requests/AMAZON.OrderStatus.Updated.json")).unwrap();
//! SqliteOutbox::enqueue(&tx, &body).unwrap();
//! tx.commit().unwrap();
//!
//! let outbox = SqliteOutbox::open(&path).unwrap();
//! assert_eq!(outbox.status().unwrap().pending, 1);
//! # std::fs::remove_dir_all(&dir).ok();
//! ```

#[cfg(feature = "sqlite")]
use std::path::Path;
#[cfg(feature = "sqlite")]
use std::sync::Mutex;
use std::time::Duration;
#[cfg(feature = "sqlite")]
use std::time::{SystemTime, UNIX_EPOCH};

#[cfg(feature = "sqlite")]
use rusqlite::{params, Connection, TransactionBehavior};
use serde_json::Value;

use crate::StoreError;

#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "postgres")]
pub use postgres::{PostgresOutbox, PostgresOutboxBuilder};

/// A request claimed by a worker, from an [`Outbox`].
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The row id.
    pub id: i64,
    /// The request body.
    pub body: Value,
    /// Attempts made so far, over every claim.
    pub attempts: u32,
}

/// What happened to a claimed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted by Amazon (a `409` for a repeat counts: an earlier attempt was accepted).
    Accepted {
        /// Attempts of this claim.
        attempts: u32,
    },
    /// Not accepted, for good.
    Failed {
        /// Attempts of this claim.
        attempts: u32,
        /// Why.
        reason: String,
    },
    /// Not settled (the outcome is unknown, or the failure may pass): pending again.
    Again {
        /// Attempts of this claim.
        attempts: u32,
        /// Why.
        reason: String,
    },
}

/// How many requests are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Status {
    /// Waiting to be claimed (including those whose lease ran out).
    pub pending: u64,
    /// Claimed by a worker whose lease has not run out.
    pub in_flight: u64,
    /// Accepted by Amazon.
    pub accepted: u64,
    /// Not accepted, for good (invalid, rejected, or out of attempts); see the reason.
    pub failed: u64,
}

/// An outbox that workers share ([`run_worker`]): [`SqliteOutbox`], or `PostgresOutbox` (feature
/// `postgres`). The methods are synchronous (the worker calls them off its async threads); each
/// is also an inherent method of both outboxes, documented there.
pub trait Outbox: Send + Sync {
    /// Claims up to `batch` pending requests for `worker` until `lease` from now: the oldest
    /// first, including those whose earlier lease ran out; never a request another worker holds.
    fn claim(&self, worker: &str, batch: usize, lease: Duration) -> Result<Vec<Claimed>, StoreError>;

    /// Writes what happened to claimed requests, in one transaction, only where `worker` still
    /// holds the lease; returns the number of requests written.
    fn settle(&self, worker: &str, outcomes: &[(i64, Outcome)]) -> Result<usize, StoreError>;

    /// How many requests are in each state.
    fn status(&self) -> Result<Status, StoreError>;

    /// The failed requests: id, reference id, attempts and reason, oldest first.
    fn failures(&self) -> Result<Vec<(i64, String, u32, String)>, StoreError>;
}

/// Checks that `body` may go into an outbox, as `enqueue` does: a valid request (the expiry
/// aside, which is checked when it is sent).
pub fn validate(body: &Value) -> Result<(), StoreError> {
    let report = proactive_schemas::validate(body);
    if report.is_valid() {
        Ok(())
    } else {
        Err(StoreError(format!("not an outbox request: {report}")))
    }
}

/// The outbox table in an SQLite database (see the [module docs](self)).
#[cfg(feature = "sqlite")]
#[derive(Debug)]
pub struct SqliteOutbox {
    conn: Mutex<Connection>,
}

#[cfg(feature = "sqlite")]
fn db(e: rusqlite::Error) -> StoreError {
    StoreError(e.to_string())
}

#[cfg(feature = "sqlite")]
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(feature = "sqlite")]
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS proactive_outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    body         TEXT NOT NULL,
    reference_id TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    lease_until  INTEGER NOT NULL DEFAULT 0,
    reason       TEXT,
    created_ms   INTEGER NOT NULL,
    done_ms      INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS proactive_outbox_pending ON proactive_outbox (state, lease_until, id);";

#[cfg(feature = "sqlite")]
impl SqliteOutbox {
    /// Opens (or creates) the outbox in a database file.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(db)?;
        // Workers in other processes hold the write lock for a moment: wait rather than fail.
        conn.busy_timeout(Duration::from_secs(30)).map_err(db)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(db)?;
        Self::migrate(&conn)?;
        Ok(SqliteOutbox { conn: Mutex::new(conn) })
    }

    /// Creates the outbox table if it does not exist (run by [`open`](Self::open) and
    /// [`enqueue`](Self::enqueue)).
    pub fn migrate(conn: &Connection) -> Result<(), StoreError> {
        conn.execute_batch(SCHEMA).map_err(db)
    }

    /// Adds a request to the outbox on `conn`, which may be the application's own open
    /// transaction (a `rusqlite::Transaction` is a connection): it is sent only if that commits.
    /// The body must be a valid request (the expiry aside, which is checked when it is sent);
    /// its id in the outbox is returned.
    pub fn enqueue(conn: &Connection, body: &Value) -> Result<i64, StoreError> {
        validate(body)?;
        let reference_id = body["referenceId"].as_str().unwrap_or_default();
        let insert = || {
            conn.execute(
                "INSERT INTO proactive_outbox (body, reference_id, created_ms) VALUES (?1, ?2, ?3)",
                params![body.to_string(), reference_id, now_ms()],
            )
        };
        // The table is created on the first insert that misses it, not checked on every one.
        if let Err(e) = insert() {
            if !e.to_string().contains("no such table") {
                return Err(db(e));
            }
            Self::migrate(conn)?;
            insert().map_err(db)?;
        }
        Ok(conn.last_insert_rowid())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Claims up to `batch` pending requests for `worker` until `lease` from now: the oldest
    /// first, including those whose earlier lease ran out.
    pub fn claim(&self, worker: &str, batch: usize, lease: Duration) -> Result<Vec<Claimed>, StoreError> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let now = now_ms();
        let until = now.saturating_add(i64::try_from(lease.as_millis()).unwrap_or(i64::MAX));
        let claimed = {
            let mut stmt = tx
                .prepare(
                    "UPDATE proactive_outbox SET lease_owner = ?1, lease_until = ?2
                     WHERE id IN (SELECT id FROM proactive_outbox
                                  WHERE state = 'pending' AND lease_until <= ?3 ORDER BY id LIMIT ?4)
                     RETURNING id, body, attempts",
                )
                .map_err(db)?;
            let rows = stmt
                .query_map(
                    params![worker, until, now, i64::try_from(batch).unwrap_or(i64::MAX)],
                    |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, u32>(2)?)),
                )
                .map_err(db)?;
            let mut claimed = Vec::new();
            for row in rows {
                let (id, body, attempts) = row.map_err(db)?;
                let body = serde_json::from_str(&body).map_err(|e| StoreError(format!("outbox row {id}: {e}")))?;
                claimed.push(Claimed { id, body, attempts });
            }
            claimed
        };
        tx.commit().map_err(db)?;
        let mut claimed = claimed;
        claimed.sort_by_key(|c| c.id);
        Ok(claimed)
    }

    /// Writes what happened to claimed requests, in one transaction. A row is only written while
    /// `worker` still holds its lease (a worker whose lease ran out leaves the row to the worker
    /// that took it over); the number of rows written is returned.
    pub fn settle(&self, worker: &str, outcomes: &[(i64, Outcome)]) -> Result<usize, StoreError> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut written = 0;
        {
            let mut stmt = tx
                .prepare(
                    "UPDATE proactive_outbox
                     SET state = ?1, attempts = attempts + ?2, reason = ?3, done_ms = ?4,
                         lease_owner = NULL, lease_until = 0
                     WHERE id = ?5 AND lease_owner = ?6 AND state = 'pending'",
                )
                .map_err(db)?;
            for (id, outcome) in outcomes {
                let (state, attempts, reason) = match outcome {
                    Outcome::Accepted { attempts } => ("accepted", attempts, None),
                    Outcome::Failed { attempts, reason } => ("failed", attempts, Some(reason.as_str())),
                    Outcome::Again { attempts, reason } => ("pending", attempts, Some(reason.as_str())),
                };
                let done = (state != "pending").then(now_ms);
                written += stmt
                    .execute(params![state, attempts, reason, done, id, worker])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)?;
        Ok(written)
    }

    /// How many requests are in each state.
    pub fn status(&self) -> Result<Status, StoreError> {
        let conn = self.lock();
        let now = now_ms();
        conn.query_row(
            "SELECT
                 COUNT(*) FILTER (WHERE state = 'pending' AND lease_until <= ?1),
                 COUNT(*) FILTER (WHERE state = 'pending' AND lease_until > ?1),
                 COUNT(*) FILTER (WHERE state = 'accepted'),
                 COUNT(*) FILTER (WHERE state = 'failed')
             FROM proactive_outbox",
            params![now],
            |row| {
                Ok(Status {
                    pending: row.get(0)?,
                    in_flight: row.get(1)?,
                    accepted: row.get(2)?,
                    failed: row.get(3)?,
                })
            },
        )
        .map_err(db)
    }

    /// The failed requests: id, reference id, attempts and reason, oldest first.
    pub fn failures(&self) -> Result<Vec<(i64, String, u32, String)>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(
                "SELECT id, reference_id, attempts, COALESCE(reason, '') FROM proactive_outbox
                 WHERE state = 'failed' ORDER BY id",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }
}

#[cfg(feature = "sqlite")]
impl Outbox for SqliteOutbox {
    fn claim(&self, worker: &str, batch: usize, lease: Duration) -> Result<Vec<Claimed>, StoreError> {
        SqliteOutbox::claim(self, worker, batch, lease)
    }

    fn settle(&self, worker: &str, outcomes: &[(i64, Outcome)]) -> Result<usize, StoreError> {
        SqliteOutbox::settle(self, worker, outcomes)
    }

    fn status(&self) -> Result<Status, StoreError> {
        SqliteOutbox::status(self)
    }

    fn failures(&self) -> Result<Vec<(i64, String, u32, String)>, StoreError> {
        SqliteOutbox::failures(self)
    }
}

/// How a worker runs ([`run_worker`]).
#[cfg(feature = "client")]
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// The worker's name in leases: unique among the workers sharing an outbox.
    pub name: String,
    /// Requests claimed at once.
    pub batch: usize,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// How long a claim is the worker's: longer than the client's retry deadline, so a live
    /// worker never loses a lease mid-send.
    pub lease: Duration,
    /// Wait between looks at an empty outbox.
    pub poll: Duration,
    /// Stop once nothing is pending or in flight (otherwise, run until stopped).
    pub drain: bool,
    /// Attempts, over every claim, after which a request that keeps failing in ways that may
    /// pass (server errors, the network) is failed for good.
    pub max_attempts: u32,
}

#[cfg(feature = "client")]
impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            name: default_worker_name(),
            batch: 64,
            concurrency: 32,
            lease: Duration::from_secs(300),
            poll: Duration::from_millis(250),
            drain: false,
            max_attempts: 30,
        }
    }
}

/// `worker-PID-RANDOM`: unique among the workers of an outbox, even on several machines (a
/// process id alone repeats across machines, and two workers of one name could settle each
/// other's rows).
#[cfg(feature = "client")]
pub fn default_worker_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    h.write_u128(now.map_or(0, |d| d.as_nanos()));
    format!("worker-{}-{:08x}", std::process::id(), h.finish() as u32)
}

/// What one worker did.
#[cfg(feature = "client")]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerReport {
    /// Requests it saw accepted.
    pub accepted: u64,
    /// Requests it failed for good.
    pub failed: u64,
    /// Requests it gave back (to be sent again).
    pub again: u64,
}

/// What a send's result means for an outbox request that has had `prior` attempts.
#[cfg(feature = "client")]
fn outcome(result: Result<proactive_client::Sent, proactive_client::Error>, prior: u32, max: u32) -> Outcome {
    use proactive_client::{Error, Rejection};
    match result {
        Ok(sent) => Outcome::Accepted {
            attempts: sent.attempts,
        },
        // Only an earlier send of this very request can have used its reference id.
        Err(Error::Rejected(e)) if e.kind == Rejection::Conflict => Outcome::Accepted { attempts: 1 },
        Err(e) => {
            let (attempts, passing) = match &e {
                Error::Unknown { attempts, .. } => (*attempts, true),
                Error::Transport { attempts, .. } | Error::Deadline { attempts, .. } => (*attempts, true),
                Error::Rejected(api) => (1, matches!(api.kind, Rejection::ServerError | Rejection::Throttled)),
                Error::Token(_) => (0, true),
                _ => (1, false),
            };
            // An unknown outcome is never failed: it may have been accepted, and a resend says.
            if e.is_unknown() || (passing && prior + attempts < max) {
                Outcome::Again {
                    attempts,
                    reason: e.to_string(),
                }
            } else {
                Outcome::Failed {
                    attempts,
                    reason: e.to_string(),
                }
            }
        }
    }
}

/// Runs a worker on an outbox ([`SqliteOutbox`], `PostgresOutbox`, or an `Arc<dyn Outbox>`):
/// claims batches, sends them with `client`, writes each outcome (in one transaction per batch).
/// Returns when the outbox is drained ([`WorkerOptions::drain`]), or on a storage error.
#[cfg(feature = "client")]
pub async fn run_worker<O: Outbox + ?Sized + 'static>(
    outbox: std::sync::Arc<O>,
    client: &proactive_client::Client,
    stage: proactive_client::Stage,
    region: proactive_client::Region,
    options: &WorkerOptions,
) -> Result<WorkerReport, StoreError> {
    let mut report = WorkerReport::default();
    loop {
        let (store, name, batch, lease) = (outbox.clone(), options.name.clone(), options.batch, options.lease);
        let claimed = off(move || store.claim(&name, batch, lease)).await?;
        if claimed.is_empty() {
            if options.drain {
                let store = outbox.clone();
                let status = off(move || store.status()).await?;
                if status.pending == 0 && status.in_flight == 0 {
                    return Ok(report);
                }
            }
            tokio::time::sleep(options.poll).await;
            continue;
        }
        let prior: Vec<(i64, u32)> = claimed.iter().map(|c| (c.id, c.attempts)).collect();
        let mut rx = client.send_all(claimed.into_iter().map(|c| c.body), stage, region, options.concurrency);
        let mut outcomes = Vec::with_capacity(prior.len());
        while let Some((i, result)) = rx.recv().await {
            let (id, before) = prior[i];
            let outcome = outcome(result, before, options.max_attempts);
            match &outcome {
                Outcome::Accepted { .. } => report.accepted += 1,
                Outcome::Failed { .. } => report.failed += 1,
                Outcome::Again { .. } => report.again += 1,
            }
            outcomes.push((id, outcome));
        }
        let (store, name) = (outbox.clone(), options.name.clone());
        off(move || store.settle(&name, &outcomes)).await?;
    }
}

/// Runs blocking storage work off the async workers.
#[cfg(feature = "client")]
async fn off<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError(format!("outbox task failed: {e}")))?
}

//! PostgreSQL storage, for skill services that run as several instances sharing one ledger.
//!
//! Each event is applied in one `READ COMMITTED` transaction that locks the user's row
//! (`SELECT … FOR UPDATE`) before [`decide`] reads it, so appliers on any number of machines
//! serialize per user and never decide from the same old state. A user's first event inserts the
//! row with `ON CONFLICT DO NOTHING`: when another applier inserted it first, the row is read again,
//! locked, and the rule decides once more.
//!
//! The driver is `tokio-postgres` with a `deadpool-postgres` pool. [`Store`] is synchronous, so the
//! store runs the async driver on a small runtime of its own (one thread, named
//! `proactive-postgres`) and each call waits for its result: it may be called from any thread, a
//! plain one, a Tokio blocking thread, or even a Tokio worker (it then blocks that worker for the
//! round trips, as every synchronous store does; prefer `spawn_blocking`, as the axum handler does).

use std::fmt;
use std::future::Future;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use proactive_schemas::SubscriptionChanged;
use tokio_postgres::config::Host;
use tokio_postgres::error::SqlState;
use tokio_postgres::{IsolationLevel, NoTls, Row};

use crate::{decide, Outcome, Store, StoreError, UserState};

/// The schema the store's tables live in unless [`PostgresStoreBuilder::schema`] says otherwise.
pub const DEFAULT_SCHEMA: &str = "proactive";

/// The schema's migrations, applied in order, each once (recorded in `schema_migrations`). Never
/// edit one that has shipped: add a new one. `{schema}` is the quoted schema name.
const MIGRATIONS: &[(&str, &str)] = &[(
    "ledger-1-users",
    "CREATE TABLE {schema}.ledger_users (
         user_id      TEXT PRIMARY KEY,
         events       TEXT[] NOT NULL,
         api_endpoint TEXT NOT NULL,
         timestamp    TEXT NOT NULL,
         seconds      BIGINT NOT NULL,
         nanos        INTEGER NOT NULL,
         request_id   TEXT NOT NULL,
         updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
     );
     CREATE INDEX ledger_users_events ON {schema}.ledger_users USING GIN (events);",
)];

/// How many times an apply is tried again after a serialization failure or a deadlock (which
/// PostgreSQL rolls back whole). Neither happens at `READ COMMITTED` with one row lock per
/// transaction; the retry is there for servers configured otherwise.
const RETRIES: usize = 5;

/// A ledger store in a PostgreSQL database (feature `postgres`), shared by any number of processes.
///
/// ```no_run
/// use proactive_skill::{Ledger, PostgresStore};
///
/// // The schema `proactive` and its tables are created on first use.
/// let ledger = Ledger::new(PostgresStore::connect("postgres://app:secret@db.internal/skills")?);
/// # Ok::<(), proactive_skill::StoreError>(())
/// ```
///
/// The connection string is a `postgres://` URL or libpq's `key=value` form. Its password never
/// appears in errors or in `Debug` output: the store names the server by host, port, database and
/// user. TLS is not supported yet (`sslmode=require` fails): reach the server over a Unix socket,
/// loopback or a private network.
pub struct PostgresStore {
    db: Db,
    schema: String,
    sql: Sql,
}

/// A pool of connections to one server, run on a small runtime of its own (one thread, named
/// `proactive-postgres`), for synchronous callers: [`PostgresStore`] and the outbox.
pub(crate) struct Db {
    pool: Pool,
    runtime: Option<tokio::runtime::Runtime>,
    target: String,
}

/// Options for [`PostgresStore`]: [`PostgresStore::builder`].
pub struct PostgresStoreBuilder {
    url: String,
    schema: String,
    max_connections: usize,
    connect_timeout: Duration,
}

impl fmt::Debug for PostgresStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStoreBuilder")
            .field("url", &describe_url(&self.url))
            .field("schema", &self.schema)
            .field("max_connections", &self.max_connections)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("target", &self.db.target)
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

impl PostgresStoreBuilder {
    /// The schema holding the store's tables (default [`DEFAULT_SCHEMA`]): letters, digits and
    /// `_`, not starting with a digit, at most 63 bytes. It is created if missing.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = schema.into();
        self
    }

    /// The most connections the store opens at once (default 16).
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// How long opening one connection may take, unless the connection string sets
    /// `connect_timeout` (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Connects, and creates or updates the schema's tables (concurrent first uses wait for each
    /// other on an advisory lock).
    pub fn connect(self) -> Result<PostgresStore, StoreError> {
        check_schema(&self.schema)?;
        let db = Db::connect(&self.url, self.max_connections, self.connect_timeout)?;
        let quoted = format!("\"{}\"", self.schema);
        let store = PostgresStore {
            db,
            sql: Sql::new(&quoted),
            schema: self.schema,
        };
        let (schema, target) = (store.schema.clone(), store.db.target.clone());
        store
            .db
            .run(move |pool| async move { migrate(&pool, &schema, &quoted, &target, MIGRATIONS).await })?;
        Ok(store)
    }
}

/// Fails unless `schema` is a name the crate quotes safely: letters, digits and `_`, not starting
/// with a digit, at most 63 bytes.
pub(crate) fn check_schema(schema: &str) -> Result<(), StoreError> {
    if valid_identifier(schema) {
        Ok(())
    } else {
        Err(StoreError(format!(
            "invalid PostgreSQL schema name `{schema}`: use letters, digits and `_`, not starting with a digit, \
             at most 63 bytes"
        )))
    }
}

impl Db {
    /// Parses the connection string and makes the pool (no connection is opened yet).
    pub(crate) fn connect(url: &str, max_connections: usize, connect_timeout: Duration) -> Result<Db, StoreError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| {
            StoreError(format!(
                "invalid PostgreSQL connection string {}: {}",
                describe_url(url),
                with_causes(&e)
            ))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(connect_timeout);
        }
        if config.get_application_name().is_none() {
            config.application_name("proactive-skill");
        }
        let target = describe_config(&config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("proactive-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError(format!("cannot start the PostgreSQL store's runtime: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(max_connections)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(60)))
            .create_timeout(Some(connect_timeout + Duration::from_secs(5)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|e| StoreError(format!("PostgreSQL at {target}: {e}")))?;
        Ok(Db {
            pool,
            runtime: Some(runtime),
            target,
        })
    }

    /// The server, as errors name it (never the password).
    pub(crate) fn target(&self) -> &str {
        &self.target
    }

    /// Runs a future on the runtime and waits for it. Safe from any thread: the future runs on the
    /// runtime's own thread, and this one waits on a plain channel.
    pub(crate) fn run<T, F>(&self, task: impl FnOnce(Pool) -> F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let runtime = self.runtime.as_ref().expect("the runtime lives as long as the store");
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let future = task(self.pool.clone());
        runtime.spawn(async move {
            let _ = tx.send(future.await);
        });
        rx.recv().map_err(|_| {
            StoreError(format!(
                "PostgreSQL at {}: the store's task ended without an answer",
                self.target
            ))
        })?
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // Dropping a runtime waits for its threads, which panics inside an async context; the
        // store may well be dropped there (the last `Arc` of an axum state, say).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl PostgresStore {
    /// Connects with the default options (schema [`DEFAULT_SCHEMA`], at most 16 connections) and
    /// creates the tables if missing.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        Self::builder(url).connect()
    }

    /// Options: schema, pool size, connect timeout.
    pub fn builder(url: &str) -> PostgresStoreBuilder {
        PostgresStoreBuilder {
            url: url.to_owned(),
            schema: DEFAULT_SCHEMA.to_owned(),
            max_connections: 16,
            connect_timeout: Duration::from_secs(10),
        }
    }

    /// The schema holding the store's tables.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The server, as errors name it: host and port (or socket directory), database and user;
    /// never the password.
    pub fn target(&self) -> &str {
        &self.db.target
    }
}

/// The statements, with the schema name filled in.
struct Sql {
    select_for_update: String,
    select: String,
    insert: String,
    update: String,
    subscribers: String,
}

impl Sql {
    fn new(schema: &str) -> Self {
        let columns = "user_id, events, api_endpoint, timestamp, seconds, nanos, request_id";
        let table = format!("{schema}.ledger_users");
        Sql {
            select_for_update: format!("SELECT {columns} FROM {table} WHERE user_id = $1 FOR UPDATE"),
            select: format!("SELECT {columns} FROM {table} WHERE user_id = $1"),
            insert: format!(
                "INSERT INTO {table} ({columns}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO NOTHING"
            ),
            update: format!(
                "UPDATE {table} SET events = $2, api_endpoint = $3, timestamp = $4, seconds = $5, nanos = $6, \
                 request_id = $7, updated_at = now() WHERE user_id = $1"
            ),
            // `COLLATE "C"`: byte order, as the other stores sort.
            subscribers: format!(
                "SELECT {columns} FROM {table} WHERE events @> ARRAY[$1::text] ORDER BY user_id COLLATE \"C\""
            ),
        }
    }
}

impl Store for PostgresStore {
    fn apply(&self, event: &SubscriptionChanged) -> Result<Outcome, StoreError> {
        let event = event.clone();
        let sql = (
            self.sql.select_for_update.clone(),
            self.sql.insert.clone(),
            self.sql.update.clone(),
        );
        let target = self.db.target.clone();
        self.db.run(move |pool| async move {
            let mut attempt = 0;
            loop {
                match apply_once(&pool, &sql, &event).await {
                    Err(Failure::Db(e)) if retryable(&e) && attempt < RETRIES => attempt += 1,
                    Err(e) => return Err(e.into_store_error(&target)),
                    Ok(outcome) => return Ok(outcome),
                }
            }
        })
    }

    fn user(&self, user_id: &str) -> Result<Option<UserState>, StoreError> {
        let (user_id, sql, target) = (user_id.to_owned(), self.sql.select.clone(), self.db.target.clone());
        self.db.run(move |pool| async move {
            async {
                let client = pool.get().await?;
                let statement = client.prepare_cached(&sql).await?;
                client
                    .query_opt(&statement, &[&user_id])
                    .await?
                    .map(|r| user_state(&r))
                    .transpose()
            }
            .await
            .map_err(|e: Failure| e.into_store_error(&target))
        })
    }

    fn subscribers(&self, event_name: &str) -> Result<Vec<UserState>, StoreError> {
        let (name, sql, target) = (
            event_name.to_owned(),
            self.sql.subscribers.clone(),
            self.db.target.clone(),
        );
        self.db.run(move |pool| async move {
            async {
                let client = pool.get().await?;
                let statement = client.prepare_cached(&sql).await?;
                client
                    .query(&statement, &[&name])
                    .await?
                    .iter()
                    .map(user_state)
                    .collect::<Result<Vec<_>, _>>()
            }
            .await
            .map_err(|e: Failure| e.into_store_error(&target))
        })
    }
}

/// One try at applying an event: lock the user's row, decide, write, commit.
async fn apply_once(
    pool: &Pool,
    (select_for_update, insert, update): &(String, String, String),
    event: &SubscriptionChanged,
) -> Result<Outcome, Failure> {
    let mut client = pool.get().await?;
    let tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::ReadCommitted)
        .start()
        .await?;
    let select_for_update = tx.prepare_cached(select_for_update).await?;
    // At most twice round: a missing row is inserted, or it was inserted meanwhile and now exists.
    for _ in 0..3 {
        let current = tx
            .query_opt(&select_for_update, &[&event.user_id])
            .await?
            .map(|r| user_state(&r))
            .transpose()?;
        let (outcome, state) = decide(current.as_ref(), event);
        let Some(s) = state else {
            tx.rollback().await?;
            return Ok(outcome);
        };
        let events: Vec<&String> = s.events.iter().collect();
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 7] = [
            &s.user_id,
            &events,
            &s.api_endpoint,
            &s.timestamp,
            &s.order.0,
            &s.order.1,
            &s.order.2,
        ];
        let written = if current.is_some() {
            tx.execute(&tx.prepare_cached(update).await?, &params).await?
        } else {
            // Waits for a concurrent insert of the same user to commit or roll back; 0 rows when
            // it committed.
            tx.execute(&tx.prepare_cached(insert).await?, &params).await?
        };
        if written == 1 {
            tx.commit().await?;
            return Ok(outcome);
        }
    }
    Err(Failure::Other(format!(
        "user {}: the row kept changing under the lock",
        event.user_id
    )))
}

fn user_state(row: &Row) -> Result<UserState, Failure> {
    let events: Vec<String> = row.try_get(1)?;
    Ok(UserState {
        user_id: row.try_get(0)?,
        events: events.into_iter().collect(),
        api_endpoint: row.try_get(2)?,
        timestamp: row.try_get(3)?,
        order: (row.try_get(4)?, row.try_get(5)?, row.try_get(6)?),
    })
}

/// Creates the schema and applies the missing ones of `migrations` (the store's, or the outbox's:
/// both are recorded in the schema's `schema_migrations`). The common case, everything in place,
/// takes one query and no lock, and needs no right to create anything.
pub(crate) async fn migrate(
    pool: &Pool,
    schema: &str,
    quoted: &str,
    target: &str,
    migrations: &'static [(&'static str, &'static str)],
) -> Result<(), StoreError> {
    let fail = |e: Failure| e.into_store_error(target);
    let mut client = pool.get().await.map_err(|e| fail(e.into()))?;
    if pending(&**client, quoted, migrations).await.map_err(fail)?.is_empty() {
        return Ok(());
    }
    let tx = client.transaction().await.map_err(|e| fail(e.into()))?;
    // Concurrent first uses (processes starting together) take turns here; the lock goes with the
    // transaction.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('proactive-skill migrations'), hashtext($1))",
        &[&schema],
    )
    .await
    .map_err(|e| fail(e.into()))?;
    let exists = tx
        .query_opt("SELECT 1 FROM pg_namespace WHERE nspname = $1", &[&schema])
        .await
        .map_err(|e| fail(e.into()))?
        .is_some();
    if !exists {
        tx.batch_execute(&format!("CREATE SCHEMA {quoted}"))
            .await
            .map_err(|e| fail(e.into()))?;
    }
    tx.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {quoted}.schema_migrations (
             name       TEXT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )"
    ))
    .await
    .map_err(|e| fail(e.into()))?;
    for (name, sql) in pending(&*tx, quoted, migrations).await.map_err(fail)? {
        tx.batch_execute(&sql.replace("{schema}", quoted))
            .await
            .map_err(|e| StoreError(format!("PostgreSQL at {target}: migration {name}: {e}")))?;
        tx.execute(
            &format!("INSERT INTO {quoted}.schema_migrations (name) VALUES ($1)"),
            &[&name],
        )
        .await
        .map_err(|e| fail(e.into()))?;
    }
    tx.commit().await.map_err(|e| fail(e.into()))
}

/// The ones of `migrations` not yet recorded (all of them when the schema or its table is missing).
pub(crate) async fn pending(
    client: &(impl tokio_postgres::GenericClient + Sync),
    quoted: &str,
    migrations: &'static [(&'static str, &'static str)],
) -> Result<Vec<(&'static str, &'static str)>, Failure> {
    let table = client
        .query_one(
            "SELECT to_regclass($1)::text",
            &[&format!("{quoted}.schema_migrations")],
        )
        .await?
        .try_get::<_, Option<String>>(0)?;
    let done: Vec<String> = match table {
        None => Vec::new(),
        Some(_) => client
            .query(&format!("SELECT name FROM {quoted}.schema_migrations"), &[])
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?,
    };
    Ok(migrations
        .iter()
        .copied()
        .filter(|(name, _)| !done.iter().any(|d| d == name))
        .collect())
}

/// Why a call failed, before it becomes a [`StoreError`] naming the server.
pub(crate) enum Failure {
    Db(tokio_postgres::Error),
    Pool(deadpool_postgres::PoolError),
    Other(String),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::Db(e)
    }
}

impl From<deadpool_postgres::PoolError> for Failure {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Failure::Pool(e)
    }
}

impl Failure {
    /// The message names the server (never the password) and says what went wrong.
    pub(crate) fn into_store_error(self, target: &str) -> StoreError {
        use deadpool_postgres::{PoolError, TimeoutType};
        StoreError(match self {
            Failure::Pool(PoolError::Backend(e)) => {
                format!("cannot connect to PostgreSQL at {target}: {}", db_error(&e))
            }
            Failure::Pool(PoolError::Timeout(TimeoutType::Create)) => {
                format!("cannot connect to PostgreSQL at {target}: timed out")
            }
            Failure::Pool(PoolError::Timeout(TimeoutType::Wait)) => {
                format!("PostgreSQL at {target}: timed out waiting for a free connection")
            }
            Failure::Pool(e) => format!("PostgreSQL at {target}: {e}"),
            Failure::Db(e) => format!("PostgreSQL at {target}: {}", db_error(&e)),
            Failure::Other(e) => format!("PostgreSQL at {target}: {e}"),
        })
    }
}

/// The server's message and SQLSTATE when it answered with an error; otherwise the driver's
/// message with its causes (`error connecting to server: Connection refused (os error 111)`).
pub(crate) fn db_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => with_causes(e),
    }
}

fn with_causes(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

fn retryable(e: &tokio_postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    )
}

fn valid_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    s.len() <= 63
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The server as errors name it: `host:port (database D, user U)`; never the password.
fn describe_config(config: &tokio_postgres::Config) -> String {
    let ports = config.get_ports();
    let hosts = config.get_hosts();
    let addrs = config.get_hostaddrs();
    let count = hosts.len().max(addrs.len());
    let mut places = Vec::new();
    for i in 0..count {
        let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
        places.push(match (hosts.get(i), addrs.get(i)) {
            (Some(Host::Tcp(h)), _) => format!("{h}:{port}"),
            #[cfg(unix)]
            (Some(Host::Unix(dir)), _) => format!("{}/.s.PGSQL.{port}", dir.display()),
            (None, Some(addr)) => format!("{addr}:{port}"),
            (None, None) => unreachable!("fewer hosts than counted"),
        });
    }
    let mut target = if places.is_empty() {
        "(no host given)".to_owned()
    } else {
        places.join(",")
    };
    let user = config.get_user();
    let db = config.get_dbname().or(user);
    let mut details = Vec::new();
    if let Some(db) = db {
        details.push(format!("database {db}"));
    }
    if let Some(user) = user {
        details.push(format!("user {user}"));
    }
    if !details.is_empty() {
        target.push_str(&format!(" ({})", details.join(", ")));
    }
    target
}

/// A connection string as errors may show it: a URL without its user information and query
/// (either may hold the password); the `key=value` form not at all.
pub(crate) fn describe_url(url: &str) -> String {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return "(key=value form, not shown)".to_owned();
    }
    let url = url.split(['?', '#']).next().unwrap_or_default();
    format!("`{}`", proactive_schemas::redact_url(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        for ok in ["proactive", "_x", "t_1234", &"a".repeat(63)] {
            assert!(valid_identifier(ok), "{ok}");
        }
        for bad in ["", "1x", "a-b", "a\"b", "a b", "é", &"a".repeat(64)] {
            assert!(!valid_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn descriptions_never_show_the_password() {
        let url = "postgres://app:s3cret@db.internal:6543/skills?password=s3cret&sslmode=disable";
        assert_eq!(describe_url(url), "`postgres://db.internal:6543/skills`");
        assert_eq!(describe_url("host=x password=s3cret"), "(key=value form, not shown)");
        let config: tokio_postgres::Config = url.parse().unwrap();
        assert_eq!(describe_config(&config), "db.internal:6543 (database skills, user app)");
        let config: tokio_postgres::Config = "host=/run/pg,10.0.0.2 port=5433 user=app password=s3cret"
            .parse()
            .unwrap();
        assert_eq!(
            describe_config(&config),
            "/run/pg/.s.PGSQL.5433,10.0.0.2:5433 (database app, user app)"
        );
    }
}

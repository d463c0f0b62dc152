//! The outbox in PostgreSQL (feature `postgres`): [`PostgresOutbox`].

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::GenericClient;

use super::{validate, Claimed, Outbox, Outcome, Status};
use crate::postgres::{check_schema, db_error, migrate, pending, Db, Failure, DEFAULT_SCHEMA};
use crate::StoreError;

/// The outbox's migrations, recorded in the schema's `schema_migrations` next to the ledger's.
/// Never edit one that has shipped: add a new one. `{schema}` is the quoted schema name. Each must
/// also be harmless to run when already applied (`IF NOT EXISTS`): [`PostgresOutbox::enqueue`]
/// may apply them in the application's own transaction, which may have started before another
/// process applied them.
const MIGRATIONS: &[(&str, &str)] = &[(
    "outbox-1-requests",
    "CREATE TABLE IF NOT EXISTS {schema}.outbox (
         id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         body         JSONB NOT NULL,
         reference_id TEXT NOT NULL,
         state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'failed')),
         attempts     INTEGER NOT NULL DEFAULT 0,
         lease_owner  TEXT,
         lease_until  TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
         reason       TEXT,
         created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
         done_at      TIMESTAMPTZ
     );
     CREATE INDEX IF NOT EXISTS outbox_pending ON {schema}.outbox (id) WHERE state = 'pending';",
)];

/// The outbox table in a PostgreSQL database (feature `postgres`), shared by any number of
/// workers on any number of machines (see the [module docs](super)).
///
/// The application adds requests with [`enqueue`](Self::enqueue), in its own transaction, on its
/// own connection (`tokio-postgres`, async). Workers ([`run_worker`](super::run_worker),
/// `proactive worker --database-url`) use a `PostgresOutbox`: it claims batches with
/// `SELECT … FOR UPDATE SKIP LOCKED`, so workers claiming at once get disjoint batches and never
/// wait for each other, and leases are timed by the server's clock, so the workers' clocks do not
/// matter. Like [`PostgresStore`](crate::PostgresStore), its methods are synchronous: it runs the
/// driver on a small runtime of its own, and its connection string's password never appears in
/// errors or in `Debug` output.
///
/// The table is `outbox` in the schema `proactive` (the ledger's; [`PostgresOutboxBuilder::schema`]
/// picks another), created on first use (by [`connect`](Self::connect) or by `enqueue`) and
/// recorded in the schema's `schema_migrations`.
pub struct PostgresOutbox {
    db: Db,
    schema: String,
    sql: Sql,
}

/// Options for [`PostgresOutbox`]: [`PostgresOutbox::builder`].
pub struct PostgresOutboxBuilder {
    url: String,
    schema: String,
    max_connections: usize,
    connect_timeout: Duration,
}

impl fmt::Debug for PostgresOutboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresOutboxBuilder")
            .field("url", &crate::postgres::describe_url(&self.url))
            .field("schema", &self.schema)
            .field("max_connections", &self.max_connections)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

impl fmt::Debug for PostgresOutbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresOutbox")
            .field("target", &self.db.target())
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

impl PostgresOutboxBuilder {
    /// The schema holding the outbox table (default [`DEFAULT_SCHEMA`](crate::POSTGRES_DEFAULT_SCHEMA),
    /// the ledger's): letters, digits and `_`, not starting with a digit, at most 63 bytes. It is
    /// created if missing.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = schema.into();
        self
    }

    /// The most connections the outbox opens at once (default 4: a worker uses one at a time).
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

    /// Connects, and creates or updates the outbox table (concurrent first uses wait for each
    /// other on an advisory lock).
    pub fn connect(self) -> Result<PostgresOutbox, StoreError> {
        check_schema(&self.schema)?;
        let db = Db::connect(&self.url, self.max_connections, self.connect_timeout)?;
        let quoted = quote(&self.schema);
        let outbox = PostgresOutbox {
            db,
            sql: Sql::new(&quoted),
            schema: self.schema,
        };
        let (schema, target) = (outbox.schema.clone(), outbox.db.target().to_owned());
        outbox
            .db
            .run(move |pool| async move { migrate(&pool, &schema, &quoted, &target, MIGRATIONS).await })?;
        Ok(outbox)
    }
}

fn quote(schema: &str) -> String {
    format!("\"{schema}\"")
}

/// Schemas known (in this process) to hold the outbox table, committed, so that
/// [`PostgresOutbox::enqueue`] looks only once.
static READY: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn ready(schema: &str) -> bool {
    READY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .any(|s| s == schema)
}

fn set_ready(schema: &str, is: bool) {
    let mut ready = READY.lock().unwrap_or_else(|e| e.into_inner());
    ready.retain(|s| s != schema);
    if is {
        ready.push(schema.to_owned());
    }
}

/// Creates the outbox table if missing, on the caller's connection: inside its transaction, if it
/// is one, otherwise as one implicit transaction (a multi-statement simple query). The missing
/// migrations are applied under the same advisory lock as the ledger's, each only if not recorded
/// meanwhile.
async fn ensure_table(client: &(impl GenericClient + Sync), schema: &str, quoted: &str) -> Result<(), StoreError> {
    if ready(schema) {
        return Ok(());
    }
    let fail = |e: Failure| enqueue_error(e, schema);
    let missing = pending(client, quoted, MIGRATIONS).await.map_err(fail)?;
    if !missing.is_empty() {
        let mut sql = format!(
            "SELECT pg_advisory_xact_lock(hashtext('proactive-skill migrations'), hashtext('{schema}'));
             DO $proactive$ BEGIN
                 IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{schema}') THEN
                     CREATE SCHEMA {quoted};
                 END IF;
                 CREATE TABLE IF NOT EXISTS {quoted}.schema_migrations (
                     name       TEXT PRIMARY KEY,
                     applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                 );"
        );
        for (name, migration) in missing {
            sql.push_str(&format!(
                "
                 IF NOT EXISTS (SELECT 1 FROM {quoted}.schema_migrations WHERE name = '{name}') THEN
                     EXECUTE $migration${}$migration$;
                     INSERT INTO {quoted}.schema_migrations (name) VALUES ('{name}');
                 END IF;",
                migration.replace("{schema}", quoted)
            ));
        }
        sql.push_str("\n             END $proactive$;");
        // Not remembered as ready: the caller's transaction may yet roll the table back.
        return client.batch_execute(&sql).await.map_err(|e| fail(e.into()));
    }
    set_ready(schema, true);
    Ok(())
}

/// An error of `enqueue`, which knows the schema but not the server.
fn enqueue_error(e: Failure, schema: &str) -> StoreError {
    let message = match e {
        Failure::Db(e) => db_error(&e),
        Failure::Pool(e) => e.to_string(),
        Failure::Other(e) => e,
    };
    StoreError(format!("PostgreSQL outbox in schema {schema}: {message}"))
}

impl PostgresOutbox {
    /// Connects with the default options (schema `proactive`, at most 4 connections) and creates
    /// the outbox table if missing.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        Self::builder(url).connect()
    }

    /// Options: schema, pool size, connect timeout.
    pub fn builder(url: &str) -> PostgresOutboxBuilder {
        PostgresOutboxBuilder {
            url: url.to_owned(),
            schema: DEFAULT_SCHEMA.to_owned(),
            max_connections: 4,
            connect_timeout: Duration::from_secs(10),
        }
    }

    /// The schema holding the outbox table.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The server, as errors name it: host and port (or socket directory), database and user;
    /// never the password.
    pub fn target(&self) -> &str {
        self.db.target()
    }

    /// Adds a request to the outbox in schema `proactive` on `client`, which may be (and usually
    /// is) the application's own open transaction: the request is sent only if that commits.
    /// The body must be a valid request (the expiry aside, which is checked when it is sent); its
    /// id in the outbox is returned. The first call in a process (for a schema) creates the table
    /// if it is missing, in that same transaction.
    ///
    /// `client` is a `tokio_postgres::Transaction` or `Client`; with `deadpool-postgres`, pass
    /// `&*tx` (its `Transaction` derefs to tokio-postgres's).
    ///
    /// ```no_run
    /// use proactive_skill::outbox::PostgresOutbox;
    ///
    /// # async fn app() -> Result<(), Box<dyn std::error::Error>> {
    /// let (mut client, connection) =
    ///     tokio_postgres::connect("postgres://app:secret@db.internal/skills", tokio_postgres::NoTls).await?;
    /// tokio::spawn(connection);
    /// let body: serde_json::Value =
    ///     serde_json::from_str(include_str!("../../requests/AMAZON.OrderStatus.Updated.json"))?;
    ///
    /// // The application's change and the notification commit together, or neither does.
    /// let tx = client.transaction().await?;
    /// tx.execute("UPDATE orders SET status = 'shipped' WHERE id = $1", &[&"o-1"]).await?;
    /// PostgresOutbox::enqueue(&tx, &body).await?;
    /// tx.commit().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn enqueue(client: &(impl GenericClient + Sync), body: &Value) -> Result<i64, StoreError> {
        Self::enqueue_in(client, DEFAULT_SCHEMA, body).await
    }

    /// [`enqueue`](Self::enqueue) into the outbox of another schema (see
    /// [`PostgresOutboxBuilder::schema`]).
    pub async fn enqueue_in(
        client: &(impl GenericClient + Sync),
        schema: &str,
        body: &Value,
    ) -> Result<i64, StoreError> {
        validate(body)?;
        check_schema(schema)?;
        let quoted = quote(schema);
        ensure_table(client, schema, &quoted).await?;
        let text = body.to_string();
        let reference_id = body["referenceId"].as_str().unwrap_or_default();
        let row = client
            .query_typed_one(
                &format!("INSERT INTO {quoted}.outbox (body, reference_id) VALUES ($1::jsonb, $2) RETURNING id"),
                &[(&text, Type::TEXT), (&reference_id, Type::TEXT)],
            )
            .await
            .map_err(|e| {
                // Dropped since this process looked (a test's schema, say): look again next time.
                let code = e.code();
                if code == Some(&SqlState::UNDEFINED_TABLE) || code == Some(&SqlState::INVALID_SCHEMA_NAME) {
                    set_ready(schema, false);
                }
                enqueue_error(e.into(), schema)
            })?;
        row.try_get(0).map_err(|e| enqueue_error(e.into(), schema))
    }

    /// Adds requests in one transaction of the outbox's own: all of them, or none. Each must be a
    /// valid request (checked before anything is written). Their ids are returned in order.
    pub fn add(&self, bodies: &[Value]) -> Result<Vec<i64>, StoreError> {
        for (i, body) in bodies.iter().enumerate() {
            validate(body).map_err(|e| StoreError(format!("request {}: {}", i + 1, e.0)))?;
        }
        let (bodies, schema, target) = (bodies.to_vec(), self.schema.clone(), self.db.target().to_owned());
        self.db.run(move |pool| async move {
            let fail = |e: Failure| e.into_store_error(&target);
            let mut client = pool.get().await.map_err(|e| fail(e.into()))?;
            let tx = client.transaction().await.map_err(|e| fail(e.into()))?;
            let mut ids = Vec::with_capacity(bodies.len());
            for body in &bodies {
                ids.push(Self::enqueue_in(&*tx, &schema, body).await?);
            }
            tx.commit().await.map_err(|e| fail(e.into()))?;
            Ok(ids)
        })
    }

    /// Claims up to `batch` pending requests for `worker` until `lease` from now (by the server's
    /// clock): the oldest first, including those whose earlier lease ran out. Rows another worker
    /// is claiming at this moment are skipped, not waited for (`FOR UPDATE SKIP LOCKED`).
    pub fn claim(&self, worker: &str, batch: usize, lease: Duration) -> Result<Vec<Claimed>, StoreError> {
        let (sql, target, worker) = (self.sql.claim.clone(), self.db.target().to_owned(), worker.to_owned());
        let seconds = lease.as_secs_f64();
        let limit = i64::try_from(batch).unwrap_or(i64::MAX);
        self.db.run(move |pool| async move {
            let fail = |e: Failure| e.into_store_error(&target);
            let client = pool.get().await.map_err(|e| fail(e.into()))?;
            let statement = client.prepare_cached(&sql).await.map_err(|e| fail(e.into()))?;
            let rows = client
                .query(&statement, &[&worker, &seconds, &limit])
                .await
                .map_err(|e| fail(e.into()))?;
            let mut claimed = Vec::with_capacity(rows.len());
            for row in rows {
                let id: i64 = row.try_get(0).map_err(|e| fail(e.into()))?;
                let body: String = row.try_get(1).map_err(|e| fail(e.into()))?;
                let attempts: i32 = row.try_get(2).map_err(|e| fail(e.into()))?;
                let body = serde_json::from_str(&body).map_err(|e| StoreError(format!("outbox row {id}: {e}")))?;
                claimed.push(Claimed {
                    id,
                    body,
                    attempts: u32::try_from(attempts).unwrap_or(0),
                });
            }
            claimed.sort_by_key(|c| c.id);
            Ok(claimed)
        })
    }

    /// Writes what happened to claimed requests, in one transaction (one statement). A row is only
    /// written while `worker` still holds its lease (a worker whose lease ran out, and whose rows
    /// another worker claimed, writes nothing); the number of rows written is returned.
    pub fn settle(&self, worker: &str, outcomes: &[(i64, Outcome)]) -> Result<usize, StoreError> {
        let mut ids = Vec::with_capacity(outcomes.len());
        let mut states = Vec::with_capacity(outcomes.len());
        let mut attempts = Vec::with_capacity(outcomes.len());
        let mut reasons: Vec<Option<String>> = Vec::with_capacity(outcomes.len());
        for (id, outcome) in outcomes {
            let (state, n, reason) = match outcome {
                Outcome::Accepted { attempts } => ("accepted", attempts, None),
                Outcome::Failed { attempts, reason } => ("failed", attempts, Some(reason.clone())),
                Outcome::Again { attempts, reason } => ("pending", attempts, Some(reason.clone())),
            };
            ids.push(*id);
            states.push(state);
            attempts.push(i32::try_from(*n).unwrap_or(i32::MAX));
            reasons.push(reason);
        }
        let (sql, target, worker) = (self.sql.settle.clone(), self.db.target().to_owned(), worker.to_owned());
        self.db.run(move |pool| async move {
            let fail = |e: Failure| e.into_store_error(&target);
            let client = pool.get().await.map_err(|e| fail(e.into()))?;
            let statement = client.prepare_cached(&sql).await.map_err(|e| fail(e.into()))?;
            let written = client
                .execute(&statement, &[&ids, &states, &attempts, &reasons, &worker])
                .await
                .map_err(|e| fail(e.into()))?;
            Ok(usize::try_from(written).unwrap_or(usize::MAX))
        })
    }

    /// How many requests are in each state (in flight: claimed, lease not run out by the server's
    /// clock).
    pub fn status(&self) -> Result<Status, StoreError> {
        let (sql, target) = (self.sql.status.clone(), self.db.target().to_owned());
        self.db.run(move |pool| async move {
            let fail = |e: Failure| e.into_store_error(&target);
            let client = pool.get().await.map_err(|e| fail(e.into()))?;
            let row = client.query_one(&sql, &[]).await.map_err(|e| fail(e.into()))?;
            let count = |i: usize| -> Result<u64, StoreError> {
                let n: i64 = row.try_get(i).map_err(|e| fail(e.into()))?;
                Ok(u64::try_from(n).unwrap_or(0))
            };
            Ok(Status {
                pending: count(0)?,
                in_flight: count(1)?,
                accepted: count(2)?,
                failed: count(3)?,
            })
        })
    }

    /// The failed requests: id, reference id, attempts and reason, oldest first.
    pub fn failures(&self) -> Result<Vec<(i64, String, u32, String)>, StoreError> {
        let (sql, target) = (self.sql.failures.clone(), self.db.target().to_owned());
        self.db.run(move |pool| async move {
            let fail = |e: Failure| e.into_store_error(&target);
            let client = pool.get().await.map_err(|e| fail(e.into()))?;
            let rows = client.query(&sql, &[]).await.map_err(|e| fail(e.into()))?;
            rows.iter()
                .map(|r| {
                    let attempts: i32 = r.try_get(2)?;
                    Ok((
                        r.try_get(0)?,
                        r.try_get(1)?,
                        u32::try_from(attempts).unwrap_or(0),
                        r.try_get(3)?,
                    ))
                })
                .collect::<Result<_, tokio_postgres::Error>>()
                .map_err(|e| fail(e.into()))
        })
    }
}

impl Outbox for PostgresOutbox {
    fn claim(&self, worker: &str, batch: usize, lease: Duration) -> Result<Vec<Claimed>, StoreError> {
        PostgresOutbox::claim(self, worker, batch, lease)
    }

    fn settle(&self, worker: &str, outcomes: &[(i64, Outcome)]) -> Result<usize, StoreError> {
        PostgresOutbox::settle(self, worker, outcomes)
    }

    fn status(&self) -> Result<Status, StoreError> {
        PostgresOutbox::status(self)
    }

    fn failures(&self) -> Result<Vec<(i64, String, u32, String)>, StoreError> {
        PostgresOutbox::failures(self)
    }
}

/// The statements, with the schema name filled in.
struct Sql {
    claim: String,
    settle: String,
    status: String,
    failures: String,
}

impl Sql {
    fn new(schema: &str) -> Self {
        let table = format!("{schema}.outbox");
        Sql {
            // One statement, so one transaction: the rows are locked (skipping those another
            // claimer holds), then leased. A row leased meanwhile fails the re-checked condition.
            claim: format!(
                "WITH picked AS (
                     SELECT id FROM {table}
                     WHERE state = 'pending' AND lease_until <= now()
                     ORDER BY id LIMIT $3
                     FOR UPDATE SKIP LOCKED
                 )
                 UPDATE {table} AS o SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::float8)
                 FROM picked WHERE o.id = picked.id
                 RETURNING o.id, o.body::text, o.attempts"
            ),
            settle: format!(
                "UPDATE {table} AS o
                 SET state = u.state, attempts = o.attempts + u.attempts, reason = u.reason,
                     done_at = CASE WHEN u.state = 'pending' THEN NULL ELSE now() END,
                     lease_owner = NULL, lease_until = '-infinity'
                 FROM unnest($1::int8[], $2::text[], $3::int4[], $4::text[]) AS u (id, state, attempts, reason)
                 WHERE o.id = u.id AND o.lease_owner = $5 AND o.state = 'pending'"
            ),
            status: format!(
                "SELECT
                     COUNT(*) FILTER (WHERE state = 'pending' AND lease_until <= now()),
                     COUNT(*) FILTER (WHERE state = 'pending' AND lease_until > now()),
                     COUNT(*) FILTER (WHERE state = 'accepted'),
                     COUNT(*) FILTER (WHERE state = 'failed')
                 FROM {table}"
            ),
            failures: format!(
                "SELECT id, reference_id, attempts, COALESCE(reason, '') FROM {table}
                 WHERE state = 'failed' ORDER BY id"
            ),
        }
    }
}

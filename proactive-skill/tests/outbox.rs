//! The outbox's leases, on SQLite and (when `DATABASE_URL` names a server: see `support`) on
//! PostgreSQL: claims at once get disjoint batches (on Postgres, rows another claimer has locked
//! are skipped, not waited for), an expired lease is claimed again, and a worker that lost its
//! lease writes nothing. Then `PostgresOutbox::enqueue` in the application's own transaction.
//! Sending (workers, a killed one, a faulty emulator) is tested with `proactive worker`, in
//! `proactive-cli/tests/cli.rs`.
#![cfg(all(feature = "sqlite", feature = "postgres"))]

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use proactive_skill::outbox::{Outbox, Outcome, PostgresOutbox, SqliteOutbox, Status};
use serde_json::Value;
use support::TestSchema;

fn request(i: usize) -> Value {
    let mut body: Value = serde_json::from_str(include_str!("../requests/AMAZON.OrderStatus.Updated.json")).unwrap();
    body["referenceId"] = format!("outbox-test-{i}").into();
    body
}

/// An SQLite outbox in a file of its own, removed at the end.
struct SqliteFile(PathBuf);

impl SqliteFile {
    fn new(test: &str, n: usize) -> (Self, SqliteOutbox) {
        let dir = std::env::temp_dir().join(format!("proactive-outbox-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("outbox.db");
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for i in 0..n {
            SqliteOutbox::enqueue(&tx, &request(i)).unwrap();
        }
        tx.commit().unwrap();
        (SqliteFile(dir), SqliteOutbox::open(&path).unwrap())
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn postgres(schema: &TestSchema, n: usize) -> PostgresOutbox {
    let outbox = PostgresOutbox::builder(&schema.url)
        .schema(&schema.name)
        .connect()
        .unwrap();
    let bodies: Vec<Value> = (0..n).map(request).collect();
    assert_eq!(outbox.add(&bodies).unwrap().len(), n);
    outbox
}

/// Runs `check` on an SQLite outbox and, unless skipped, a Postgres one, each holding `n` requests.
fn on_both(test: &str, n: usize, check: impl Fn(Arc<dyn Outbox>)) {
    let (_file, sqlite) = SqliteFile::new(test, n);
    check(Arc::new(sqlite));
    if let Some(schema) = TestSchema::new(test) {
        check(Arc::new(postgres(&schema, n)));
    }
}

fn ids(claimed: &[proactive_skill::outbox::Claimed]) -> Vec<i64> {
    claimed.iter().map(|c| c.id).collect()
}

fn accepted(ids: &[i64]) -> Vec<(i64, Outcome)> {
    ids.iter().map(|&id| (id, Outcome::Accepted { attempts: 1 })).collect()
}

const LONG: Duration = Duration::from_secs(300);

#[test]
fn claims_at_once_get_disjoint_batches() {
    on_both("claims_at_once_get_disjoint_batches", 500, |outbox| {
        const THREADS: usize = 8;
        let barrier = Arc::new(Barrier::new(THREADS));
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let (outbox, barrier) = (outbox.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let name = format!("w{t}");
                    let mut mine = Vec::new();
                    barrier.wait();
                    loop {
                        let batch = ids(&outbox.claim(&name, 7, LONG).unwrap());
                        if batch.is_empty() {
                            return mine;
                        }
                        mine.extend(batch);
                    }
                })
            })
            .collect();
        let mut all = Vec::new();
        for thread in threads {
            all.extend(thread.join().unwrap());
        }
        let unique: BTreeSet<i64> = all.iter().copied().collect();
        assert_eq!((all.len(), unique.len()), (500, 500), "each request claimed once");
        assert_eq!(
            outbox.status().unwrap(),
            Status {
                in_flight: 500,
                ..Status::default()
            }
        );
    });
}

#[test]
fn an_expired_lease_is_claimed_again() {
    on_both("an_expired_lease_is_claimed_again", 10, |outbox| {
        let lease = Duration::from_millis(400);
        let first = outbox.claim("a", 4, lease).unwrap();
        assert_eq!(ids(&first), [1, 2, 3, 4]);
        // Leased: the next claim takes the others.
        assert_eq!(ids(&outbox.claim("b", 100, LONG).unwrap()), [5, 6, 7, 8, 9, 10]);
        assert!(outbox.claim("c", 100, LONG).unwrap().is_empty());
        assert_eq!(outbox.status().unwrap().in_flight, 10);
        std::thread::sleep(lease + Duration::from_millis(200));
        assert_eq!(outbox.status().unwrap().pending, 4, "a's lease ran out");
        let again = outbox.claim("c", 100, LONG).unwrap();
        assert_eq!(ids(&again), [1, 2, 3, 4]);
        assert_eq!(again[0].body, first[0].body);
    });
}

#[test]
fn a_worker_that_lost_its_lease_writes_nothing() {
    on_both("a_worker_that_lost_its_lease_writes_nothing", 3, |outbox| {
        let lease = Duration::from_millis(300);
        let claimed = ids(&outbox.claim("a", 10, lease).unwrap());
        assert_eq!(claimed, [1, 2, 3]);
        std::thread::sleep(lease + Duration::from_millis(200));
        assert_eq!(ids(&outbox.claim("b", 10, LONG).unwrap()), claimed);
        // a comes back from a long pause: its rows are b's now.
        assert_eq!(outbox.settle("a", &accepted(&claimed)).unwrap(), 0);
        assert_eq!(outbox.status().unwrap().in_flight, 3);
        // b gives one back (attempts counted), fails one, and sees one accepted.
        let outcomes = [
            (1, Outcome::Accepted { attempts: 2 }),
            (
                2,
                Outcome::Failed {
                    attempts: 1,
                    reason: "rejected".into(),
                },
            ),
            (
                3,
                Outcome::Again {
                    attempts: 3,
                    reason: "500".into(),
                },
            ),
        ];
        assert_eq!(outbox.settle("b", &outcomes).unwrap(), 3);
        assert_eq!(
            outbox.status().unwrap(),
            Status {
                pending: 1,
                in_flight: 0,
                accepted: 1,
                failed: 1
            }
        );
        assert_eq!(
            outbox.failures().unwrap(),
            [(2, "outbox-test-1".to_owned(), 1, "rejected".to_owned())]
        );
        // Settled rows are settled for good: a late writer changes nothing.
        assert_eq!(outbox.settle("b", &accepted(&[1, 2])).unwrap(), 0);
        let again = outbox.claim("c", 10, LONG).unwrap();
        assert_eq!((ids(&again), again[0].attempts), (vec![3], 3));
    });
}

/// On Postgres a claim skips rows that another transaction has locked (a claimer between its
/// `SELECT … FOR UPDATE SKIP LOCKED` and its commit), at once, rather than waiting for them.
#[test]
fn a_postgres_claim_skips_locked_rows_without_waiting() {
    let Some(schema) = TestSchema::new("a_postgres_claim_skips_locked_rows_without_waiting") else {
        return;
    };
    let outbox = postgres(&schema, 30);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (mut client, connection) = runtime
        .block_on(tokio_postgres::connect(&schema.url, tokio_postgres::NoTls))
        .unwrap();
    runtime.spawn(connection);
    let tx = runtime.block_on(client.transaction()).unwrap();
    let locked = runtime
        .block_on(tx.query(
            &format!("SELECT id FROM \"{}\".outbox WHERE id <= 10 FOR UPDATE", schema.name),
            &[],
        ))
        .unwrap();
    assert_eq!(locked.len(), 10);
    let start = Instant::now();
    let claimed = ids(&outbox.claim("w", 15, LONG).unwrap());
    assert_eq!(claimed, (11..=25).collect::<Vec<_>>());
    assert!(start.elapsed() < Duration::from_secs(5), "did not wait for the lock");
    runtime.block_on(tx.rollback()).unwrap();
    let rest = ids(&outbox.claim("w", 100, LONG).unwrap());
    assert_eq!(rest, (1..=10).chain(26..=30).collect::<Vec<_>>());
}

/// `PostgresOutbox::enqueue` in the application's transaction: the table is created on first use
/// (in that transaction), a rolled-back transaction leaves nothing, a committed one its requests;
/// an invalid body is refused before anything is written, and the transaction goes on.
#[test]
fn postgres_enqueue_runs_in_the_applications_transaction() {
    let Some(schema) = TestSchema::new("postgres_enqueue_runs_in_the_applications_transaction") else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let (mut client, connection) = tokio_postgres::connect(&schema.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
            .batch_execute("CREATE TEMPORARY TABLE orders (id TEXT)")
            .await
            .unwrap();
        let name = schema.name.as_str();

        // The schema does not exist yet: the first enqueue creates it, and rolls back with the
        // application's transaction.
        let tx = client.transaction().await.unwrap();
        tx.execute("INSERT INTO orders VALUES ('o-1')", &[]).await.unwrap();
        PostgresOutbox::enqueue_in(&tx, name, &request(1)).await.unwrap();
        tx.rollback().await.unwrap();
        let exists = client
            .query_one("SELECT count(*) FROM pg_namespace WHERE nspname = $1", &[&name])
            .await
            .unwrap();
        assert_eq!(exists.get::<_, i64>(0), 0, "rolled back with the transaction");

        let tx = client.transaction().await.unwrap();
        tx.execute("INSERT INTO orders VALUES ('o-2')", &[]).await.unwrap();
        let mut invalid = request(2);
        invalid["event"]["name"] = "AMAZON.NoSuch.Event".into();
        let refused = PostgresOutbox::enqueue_in(&tx, name, &invalid).await.unwrap_err();
        assert!(refused.0.contains("not an outbox request"), "{refused}");
        let first = PostgresOutbox::enqueue_in(&tx, name, &request(2)).await.unwrap();
        let second = PostgresOutbox::enqueue_in(&tx, name, &request(3)).await.unwrap();
        assert!(second > first);
        tx.commit().await.unwrap();

        // Outside a transaction: a plain client.
        PostgresOutbox::enqueue_in(&client, name, &request(4)).await.unwrap();
        let migrations: Vec<String> = client
            .query(
                &format!("SELECT name FROM \"{name}\".schema_migrations ORDER BY name"),
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(migrations, ["outbox-1-requests"]);
    });
    // The ledger and the outbox share the schema and its record of migrations.
    let store = schema.store();
    let outbox = PostgresOutbox::builder(&schema.url)
        .schema(&schema.name)
        .connect()
        .unwrap();
    assert_eq!(
        outbox.status().unwrap(),
        Status {
            pending: 3,
            ..Status::default()
        }
    );
    let claimed = outbox.claim("w", 10, LONG).unwrap();
    let references: Vec<&str> = claimed
        .iter()
        .map(|c| c.body["referenceId"].as_str().unwrap())
        .collect();
    assert_eq!(references, ["outbox-test-2", "outbox-test-3", "outbox-test-4"]);
    assert_eq!(claimed[0].body, request(2), "the body as enqueued");
    drop(store);
    // The password stays out of Debug output.
    if let Some(password) = url_password(&schema.url) {
        assert!(!format!("{outbox:?}").contains(&password));
        assert!(!format!("{:?}", PostgresOutbox::builder(&schema.url)).contains(&password));
    }
}

fn url_password(url: &str) -> Option<String> {
    let userinfo = url.split_once("://")?.1.split_once('@')?.0;
    let password = userinfo.split_once(':')?.1;
    (!password.is_empty()).then(|| password.to_owned())
}

//! PostgreSQL for the tests: the server named by `DATABASE_URL`, and a schema of each test's own,
//! dropped when the test ends, so tests running at once never see each other's rows.
//!
//! Without `DATABASE_URL` a Postgres test says it was skipped (on stderr, which the test harness
//! does not capture) and passes; under `CI` (set and not `false`) a missing database fails it.
#![allow(dead_code)] // each test binary uses its own part

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use proactive_skill::PostgresStore;

/// The server's URL, or `None` (after saying so) when the test is to be skipped.
pub fn database_url(test: &str) -> Option<String> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
            assert!(
                !ci,
                "{test}: DATABASE_URL is not set, and CI is: under CI the Postgres tests must run \
                 (.ci/run starts a server with scripts/postgres.sh)"
            );
            let _ = writeln!(
                std::io::stderr().lock(),
                "{test}: PostgreSQL skipped: DATABASE_URL is not set"
            );
            None
        }
    }
}

/// A schema of the test's own, dropped (with everything in it) when this is dropped.
pub struct TestSchema {
    pub url: String,
    pub name: String,
}

impl TestSchema {
    /// A fresh schema name for `test` (not created: the store creates it on first use), or `None`
    /// when Postgres tests are skipped.
    pub fn new(test: &str) -> Option<Self> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let url = database_url(test)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let mut name = format!(
            "t{}_{}_{nanos}_{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed),
            test.chars()
                .map(|c| if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                })
                .collect::<String>()
        );
        name.truncate(63);
        Some(TestSchema { url, name })
    }

    /// A store on this schema.
    pub fn store(&self) -> PostgresStore {
        PostgresStore::builder(&self.url).schema(&self.name).connect().unwrap()
    }

    /// Runs SQL statements against the server (outside any store).
    pub fn execute(&self, sql: &str) -> Result<(), tokio_postgres::Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls).await?;
            let connection = tokio::spawn(connection);
            let result = client.batch_execute(sql).await;
            drop(client);
            let _ = connection.await;
            result
        })
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        if let Err(e) = self.execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name)) {
            let _ = writeln!(
                std::io::stderr().lock(),
                "cannot drop the test schema {}: {e}",
                self.name
            );
        }
    }
}

//! `worker` and `outbox`: sending what a skill put in its durable outbox.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};
use proactive_skill::outbox::{run_worker, Outbox, PostgresOutbox, SqliteOutbox, WorkerOptions};
use serde_json::Value;

use crate::input::{display_name, parse, read_input, Location};
use crate::net::ClientArgs;

/// Where the outbox is: an SQLite file, or a PostgreSQL database (exactly one).
#[derive(Args)]
pub(crate) struct OutboxPlace {
    /// The SQLite database holding the outbox.
    #[arg(long, value_name = "FILE", conflicts_with = "database_url")]
    db: Option<PathBuf>,
    /// The PostgreSQL database holding the outbox instead (`postgres://user:password@host/db`),
    /// shared by workers on any number of machines; its table is created on first use. Without
    /// --db and --database-url, the environment variable DATABASE_URL (prefer it: an argument
    /// shows in the process list).
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// The PostgreSQL schema holding the outbox table (with --database-url) [default: proactive,
    /// the ledger's]
    #[arg(long, value_name = "NAME")]
    schema: Option<String>,
}

/// An outbox's place, resolved.
enum Place {
    Sqlite(PathBuf),
    Postgres { url: String, schema: String },
}

impl OutboxPlace {
    /// `--db` wins over DATABASE_URL from the environment; `--db` and `--database-url` together
    /// are refused by clap.
    fn resolve(self) -> Result<Place, String> {
        let url = self
            .database_url
            .or_else(|| std::env::var("DATABASE_URL").ok().filter(|u| !u.trim().is_empty()));
        match (self.db, url) {
            (Some(_), _) if self.schema.is_some() => {
                Err("--schema names a PostgreSQL schema: use it with --database-url, not --db".into())
            }
            (Some(db), _) => Ok(Place::Sqlite(db)),
            (None, Some(url)) => Ok(Place::Postgres {
                url,
                schema: self
                    .schema
                    .unwrap_or_else(|| proactive_skill::POSTGRES_DEFAULT_SCHEMA.to_owned()),
            }),
            (None, None) => Err(
                "where is the outbox? give --db FILE (SQLite) or --database-url URL (PostgreSQL; or set DATABASE_URL)"
                    .into(),
            ),
        }
    }
}

fn postgres(url: &str, schema: &str) -> io::Result<PostgresOutbox> {
    PostgresOutbox::builder(url)
        .schema(schema)
        .connect()
        .map_err(store_error)
}

/// `proactive worker`.
#[derive(Args)]
pub(crate) struct WorkerArgs {
    #[command(flatten)]
    place: OutboxPlace,
    #[command(flatten)]
    client: ClientArgs,
    /// Requests claimed at once.
    #[arg(long, default_value_t = 64, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    batch: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 32, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    concurrency: usize,
    /// Seconds a claimed batch is this worker's; another worker takes over what it has not
    /// settled by then (it must be longer than `--deadline`). Default: twice the deadline, at
    /// least 60.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    lease: Option<u64>,
    /// The worker's name in leases (default: worker-PID-RANDOM): unique among the workers of an
    /// outbox.
    #[arg(long)]
    name: Option<String>,
    /// Exit once nothing is pending or in flight, instead of waiting for more.
    #[arg(long)]
    drain: bool,
}

/// `proactive outbox …`.
#[derive(Subcommand)]
pub(crate) enum OutboxCommand {
    /// How many requests are pending, in flight, accepted and failed (and why those failed).
    Status {
        #[command(flatten)]
        place: OutboxPlace,
    },
    /// Add requests to the outbox (each validated first), for the workers to send; those added
    /// commit in one transaction. An SQLite file is created if missing.
    Add {
        #[command(flatten)]
        place: OutboxPlace,
        /// Each file holds one request per line (newline-delimited JSON).
        #[arg(long)]
        ndjson: bool,
        /// Files of request bodies; `-` reads standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

/// The outbox's error, without the "subscription store" its type's `Display` adds.
fn store_error(e: proactive_skill::StoreError) -> io::Error {
    io::Error::other(format!("outbox: {}", e.0))
}

fn usage(message: &str) -> io::Result<ExitCode> {
    eprintln!("error: {message}");
    Ok(ExitCode::from(2))
}

pub(crate) fn worker(args: WorkerArgs) -> io::Result<ExitCode> {
    let place = match args.place.resolve() {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let (client, stage, region) = match args.client.client() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let deadline = args.client.deadline();
    let lease = args
        .lease
        .map(Duration::from_secs)
        .unwrap_or_else(|| (deadline * 2).max(Duration::from_secs(60)));
    if lease <= deadline {
        eprintln!(
            "error: --lease ({} s) must be longer than --deadline ({} s): a live worker would lose its batch mid-send",
            lease.as_secs(),
            deadline.as_secs()
        );
        return Ok(ExitCode::from(2));
    }
    let outbox: Arc<dyn Outbox> = match place {
        Place::Sqlite(db) => Arc::new(SqliteOutbox::open(&db).map_err(store_error)?),
        Place::Postgres { url, schema } => Arc::new(postgres(&url, &schema)?),
    };
    let options = WorkerOptions {
        name: args.name.unwrap_or_else(proactive_skill::outbox::default_worker_name),
        batch: args.batch,
        concurrency: args.concurrency,
        lease,
        drain: args.drain,
        ..WorkerOptions::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let report = rt
        .block_on(run_worker(outbox, &client, stage, region, &options))
        .map_err(store_error)?;
    eprintln!(
        "{}: {} accepted, {} failed, {} given back to be sent again",
        options.name, report.accepted, report.failed, report.again
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn outbox(command: OutboxCommand) -> io::Result<ExitCode> {
    match command {
        OutboxCommand::Status { place } => {
            let outbox: Box<dyn Outbox> = match place.resolve() {
                Ok(Place::Sqlite(db)) => {
                    if !db.exists() {
                        eprintln!("error: {}: no such file", db.display());
                        return Ok(ExitCode::from(2));
                    }
                    Box::new(SqliteOutbox::open(&db).map_err(store_error)?)
                }
                Ok(Place::Postgres { url, schema }) => Box::new(postgres(&url, &schema)?),
                Err(e) => return usage(&e),
            };
            let status = outbox.status().map_err(store_error)?;
            println!(
                "pending {}\nin flight {}\naccepted {}\nfailed {}",
                status.pending, status.in_flight, status.accepted, status.failed
            );
            for (id, reference_id, attempts, reason) in outbox.failures().map_err(store_error)? {
                println!("failed: #{id} {reference_id} after {attempts} attempt(s): {reason}");
            }
            Ok(ExitCode::SUCCESS)
        }
        OutboxCommand::Add { place, ndjson, paths } => {
            let (added, refused) = match place.resolve() {
                Ok(Place::Sqlite(db)) => {
                    let mut conn = rusqlite_connection(&db)?;
                    let tx = conn.transaction().map_err(io::Error::other)?;
                    let counts = each_request(&paths, ndjson, |body| SqliteOutbox::enqueue(&tx, &body).map(drop))?;
                    tx.commit().map_err(io::Error::other)?;
                    counts
                }
                Ok(Place::Postgres { url, schema }) => {
                    let outbox = postgres(&url, &schema)?;
                    let mut bodies = Vec::new();
                    let (_, refused) = each_request(&paths, ndjson, |body| {
                        proactive_skill::outbox::validate(&body)?;
                        bodies.push(body);
                        Ok(())
                    })?;
                    outbox.add(&bodies).map_err(store_error)?;
                    (bodies.len(), refused)
                }
                Err(e) => return usage(&e),
            };
            eprintln!("{added} request(s) added to the outbox, {refused} refused");
            Ok(if refused > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// Reads each request of `paths` (one per file, or one per line with `ndjson`) and hands it to
/// `add`; what cannot be parsed or added is reported on stdout. Returns (added, refused).
fn each_request(
    paths: &[PathBuf],
    ndjson: bool,
    mut add: impl FnMut(Value) -> Result<(), proactive_skill::StoreError>,
) -> io::Result<(usize, usize)> {
    let (mut added, mut refused) = (0usize, 0usize);
    for path in paths {
        let name = display_name(path);
        let bytes = read_input(path)?;
        let mut one = |location: Location, text: &[u8]| {
            let body: Value = match parse(location, text) {
                Ok(b) => b,
                Err(diagnostic) => {
                    println!("{diagnostic}");
                    refused += 1;
                    return;
                }
            };
            match add(body) {
                Ok(()) => added += 1,
                Err(e) => {
                    println!("{}: error: {e}", location.prefix());
                    refused += 1;
                }
            }
        };
        if ndjson {
            for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                if !line.iter().all(u8::is_ascii_whitespace) {
                    one(Location::line(&name, i + 1), line);
                }
            }
        } else {
            one(Location::file(&name), &bytes);
        }
    }
    Ok((added, refused))
}

fn rusqlite_connection(db: &std::path::Path) -> io::Result<proactive_skill::rusqlite::Connection> {
    let conn = proactive_skill::rusqlite::Connection::open(db)
        .map_err(|e| io::Error::other(format!("{}: {e}", db.display())))?;
    conn.busy_timeout(Duration::from_secs(30)).map_err(io::Error::other)?;
    Ok(conn)
}

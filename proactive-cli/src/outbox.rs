//! `worker` and `outbox`: sending what a skill put in its durable outbox.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};
use proactive_skill::outbox::{run_worker, SqliteOutbox, WorkerOptions};
use serde_json::Value;

use crate::input::{display_name, parse, read_input, Location};
use crate::net::ClientArgs;

/// `proactive worker`.
#[derive(Args)]
pub(crate) struct WorkerArgs {
    /// The SQLite database holding the outbox.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
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
    /// The worker's name in leases (default: worker-PID): unique among the workers of an outbox.
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
        /// The SQLite database holding the outbox.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
    },
    /// Add requests to the outbox (each validated first), for the workers to send.
    Add {
        /// The SQLite database holding the outbox (created if missing).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Each file holds one request per line (newline-delimited JSON).
        #[arg(long)]
        ndjson: bool,
        /// Files of request bodies; `-` reads standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

fn store_error(e: proactive_skill::StoreError) -> io::Error {
    io::Error::other(e.to_string())
}

pub(crate) fn worker(args: WorkerArgs) -> io::Result<ExitCode> {
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
    let outbox = Arc::new(SqliteOutbox::open(&args.db).map_err(store_error)?);
    let options = WorkerOptions {
        name: args.name.unwrap_or_else(|| format!("worker-{}", std::process::id())),
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
        OutboxCommand::Status { db } => {
            if !db.exists() {
                eprintln!("error: {}: no such file", db.display());
                return Ok(ExitCode::from(2));
            }
            let outbox = SqliteOutbox::open(&db).map_err(store_error)?;
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
        OutboxCommand::Add { db, ndjson, paths } => {
            let mut conn = rusqlite_connection(&db)?;
            let tx = conn.transaction().map_err(io::Error::other)?;
            let (mut added, mut refused) = (0usize, 0usize);
            for path in &paths {
                let name = display_name(path);
                let bytes = read_input(path)?;
                let mut add = |location: Location, text: &[u8]| {
                    let body: Value = match parse(location, text) {
                        Ok(b) => b,
                        Err(diagnostic) => {
                            println!("{diagnostic}");
                            refused += 1;
                            return;
                        }
                    };
                    match SqliteOutbox::enqueue(&tx, &body) {
                        Ok(_) => added += 1,
                        Err(e) => {
                            println!("{}: error: {e}", location.prefix());
                            refused += 1;
                        }
                    }
                };
                if ndjson {
                    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                        if !line.iter().all(u8::is_ascii_whitespace) {
                            add(Location::line(&name, i + 1), line);
                        }
                    }
                } else {
                    add(Location::file(&name), &bytes);
                }
            }
            tx.commit().map_err(io::Error::other)?;
            eprintln!("{added} request(s) added to the outbox, {refused} refused");
            Ok(if refused > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn rusqlite_connection(db: &std::path::Path) -> io::Result<proactive_skill::rusqlite::Connection> {
    let conn = proactive_skill::rusqlite::Connection::open(db)
        .map_err(|e| io::Error::other(format!("{}: {e}", db.display())))?;
    conn.busy_timeout(Duration::from_secs(30)).map_err(io::Error::other)?;
    Ok(conn)
}

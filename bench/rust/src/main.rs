//! `proactive-bench`: the in-process half of `bench/run.sh`.
//!
//! - `corpus`: the deterministic NDJSON corpus of mixed valid and invalid bodies (and a labels
//!   file saying what was broken in each line);
//! - `send-corpus`: valid bodies stamped now, for the send rows;
//! - `inproc`: the one-thread rows (parse + validate, parse only, the `jsonschema` crate alone);
//! - `agree`: the verdict agreement between `proactive validate` and ajv;
//! - `report`: BENCHMARKS.md from the results `bench/run.sh` collected.
//!
//! Results are printed as `key value` lines, which `bench/run.sh` appends to its results file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod agree;
mod corpus;
mod inproc;
mod report;
mod results;

#[derive(Parser)]
#[command(name = "proactive-bench", about = "The in-process half of bench/run.sh")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the mixed corpus (one body per line) and its labels (`FILE.labels`).
    Corpus {
        /// The seed: the same seed gives the same corpus, byte for byte.
        #[arg(long, default_value_t = 20261130)]
        seed: u64,
        /// How many bodies.
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        /// The NDJSON file to write; the labels go to `<out>.labels`.
        #[arg(long)]
        out: PathBuf,
    },
    /// Writes valid bodies stamped now (expiring in an hour), each with a unique referenceId.
    SendCorpus {
        #[arg(long, default_value_t = 20261130)]
        seed: u64,
        #[arg(long, default_value_t = 5_000)]
        count: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// The one-thread rows: parse + `proactive_schemas::validate`, parse only, and parse + the
    /// `jsonschema` crate with the schema files of `--schemas`; runs alternated.
    Inproc {
        #[arg(long)]
        corpus: PathBuf,
        /// The directory of `envelope.json` and the event schemas (the files ajv compiles).
        #[arg(long)]
        schemas: PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Runs only these methods (repeatable; for profiling one of them): `proactive`, `parse`,
        /// `jsonschema`, `jsonschema_is_valid`.
        #[arg(long)]
        only: Vec<String>,
    },
    /// Compares the verdicts of `proactive validate --ndjson` and the ajv script, line by line,
    /// and explains every difference; exits 1 on a difference of a kind not allowed.
    Agree {
        #[arg(long)]
        corpus: PathBuf,
        /// What `proactive validate --ndjson CORPUS` printed.
        #[arg(long)]
        proactive: PathBuf,
        /// What `node validate.js CORPUS` printed.
        #[arg(long)]
        ajv: PathBuf,
    },
    /// Writes BENCHMARKS.md from the results file.
    Report {
        #[arg(long)]
        results: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Corpus { seed, count, out } => corpus::write_mixed(seed, count, &out),
        Command::SendCorpus { seed, count, out } => corpus::write_send(seed, count, &out),
        Command::Inproc {
            corpus,
            schemas,
            runs,
            only,
        } => inproc::run(&corpus, &schemas, runs, &only),
        Command::Agree { corpus, proactive, ajv } => agree::run(&corpus, &proactive, &ajv),
        Command::Report { results, out } => report::write(&results, &out),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("proactive-bench: {e}");
            ExitCode::from(2)
        }
    }
}

//! `proactive`: validate, preview and inspect Alexa Proactive Events requests.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bodies;
mod check;
mod input;
mod journal;
mod net;
mod outbox;

/// Typed Alexa Proactive Events: validate, preview and inspect requests.
#[derive(Parser)]
#[command(name = "proactive", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate request bodies; prints one line per problem with its JSON pointer.
    ///
    /// Exit status: 0 when everything is valid, 1 when anything is invalid, 2 on usage or I/O errors.
    Validate {
        /// Each file holds one request per line (newline-delimited JSON).
        #[arg(long)]
        ndjson: bool,
        /// Do not print warnings.
        #[arg(long, short)]
        quiet: bool,
        /// Files to check; `-` reads standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Print what Alexa would say for a request body.
    Preview {
        /// The request body (`-` for standard input).
        path: PathBuf,
        /// Only this locale (default: every locale of localizedAttributes, or en-US).
        #[arg(long)]
        locale: Option<String>,
    },
    /// List the known events, their spoken templates and localizable attributes.
    Schemas,
    /// Generate Rust types from a directory of event schema files (as `proactive-codegen` does).
    Codegen {
        /// Directory of event schema files (`ACME.Example.Event.json`, ...).
        #[arg(long, value_name = "DIR")]
        schemas: PathBuf,
        /// File to write the generated Rust to.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print the skill manifest fragment for the events a skill sends: the notifications
    /// permission, `events.publications`, the subscription-change event and an endpoint placeholder.
    Manifest {
        /// Event names, e.g. AMAZON.WeatherAlert.Activated.
        #[arg(required = true, value_name = "EVENT")]
        events: Vec<String>,
    },
    /// Validate and send requests. Credentials come from ALEXA_CLIENT_ID and ALEXA_CLIENT_SECRET.
    ///
    /// Exit status: 0 when every request was accepted, 1 when any was invalid, rejected or failed, 3 when
    /// none was but some outcomes are unknown (safe to resend), 2 on usage or I/O errors.
    Send(net::SendArgs),
    /// Run a local emulator of Amazon's token and Proactive Events endpoints until interrupted.
    Emulator(net::EmulatorArgs),
    /// Send what is in a skill's durable outbox (SQLite, or PostgreSQL), with retries; any number
    /// of workers can share one outbox. Credentials come from ALEXA_CLIENT_ID and ALEXA_CLIENT_SECRET.
    Worker(outbox::WorkerArgs),
    /// Look into or add to a skill's durable outbox.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// The whole flow in one process against an embedded emulator: token, validation, sending the
    /// examples, and what Alexa would say to the subscribed users.
    Demo {
        /// Directory of example request bodies (`*.json`) to send; default: the examples built in.
        #[arg(long, value_name = "DIR")]
        examples: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { ndjson, quiet, paths } => check::validate(&paths, ndjson, quiet),
        Command::Preview { path, locale } => check::preview(&path, locale.as_deref()),
        Command::Schemas => check::schemas(),
        Command::Manifest { events } => check::manifest(&events),
        Command::Codegen { schemas, out } => {
            match proactive_codegen::generate_file(&schemas, &out, &proactive_codegen::Options::default()) {
                Ok(c) => {
                    eprintln!("generated {} event type(s) into {}", c.events.len(), out.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(errors) => {
                    eprintln!("{errors}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Send(args) => net::send(args),
        Command::Emulator(args) => net::emulator(args),
        Command::Worker(args) => outbox::worker(args),
        Command::Outbox(command) => outbox::outbox(command),
        Command::Demo { examples } => net::demo(examples.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // Broken pipe (e.g. `| head`) is not worth a message.
            if e.kind() != io::ErrorKind::BrokenPipe {
                eprintln!("error: {e}");
            }
            ExitCode::from(2)
        }
    }
}

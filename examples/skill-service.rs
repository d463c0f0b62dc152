//! An example skill web service: it verifies Alexa's requests, records
//! `ProactiveSubscriptionChanged` events in a ledger (an SQLite file, or PostgreSQL shared by
//! several instances) and sends Unicast events only to subscribed users, at their own regional
//! API host.
//!
//! ```sh
//! ALEXA_CLIENT_ID=... ALEXA_CLIENT_SECRET=... \
//!   cargo run -p proactive-skill --example skill-service -- --skill-id amzn1.ask.skill.... [--db FILE] [--port N]
//! DATABASE_URL=postgres://app:secret@db.internal/skills ALEXA_CLIENT_ID=... ALEXA_CLIENT_SECRET=... \
//!   cargo run -p proactive-skill --example skill-service -- --skill-id amzn1.ask.skill....
//! cargo run -p proactive-skill --example skill-service -- --help
//! ```
//!
//! Against the emulator, for local tests: start `proactive emulator --skill-endpoint
//! http://127.0.0.1:PORT/ --skill-id ID`, and pass `--trust-emulator URL` with the emulator's URL
//! (and its credentials, `amzn1.application-oa2-client.emulator` / `emulator-secret`).

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use proactive_client::{Client, Credentials, Stage};
use proactive_skill::verify::Verifier;
use proactive_skill::{Ledger, PostgresStore, SqliteStore, Store};

/// A skill web service: `POST /` takes Alexa's skill requests (verified: signature, certificate
/// chain, timestamp, skill id) and records subscription changes; `POST /notify/{user}` takes a
/// Proactive Events request body and sends it as a Unicast if that user is subscribed.
#[derive(Parser)]
#[command(after_help = "Credentials (environment only, never arguments):\n  \
    ALEXA_CLIENT_ID       the skill's Alexa Skill Messaging client id\n  \
    ALEXA_CLIENT_SECRET   its client secret\n\n\
    `/notify` is the skill's own back office: anyone who reaches it can notify your users. The\n\
    service listens on 127.0.0.1 by default; expose only `POST /` (through your TLS proxy).")]
struct Args {
    /// The skill's id (`amzn1.ask.skill.…`, from the developer console); requests for any other
    /// skill are refused.
    #[arg(long, env = "ALEXA_SKILL_ID", value_name = "ID")]
    skill_id: String,
    /// The SQLite file holding the subscription ledger (created if missing) [default:
    /// skill-ledger.db, unless DATABASE_URL is set].
    #[arg(long, value_name = "FILE", conflicts_with = "database_url")]
    db: Option<PathBuf>,
    /// Keep the ledger in PostgreSQL instead (`postgres://user:password@host/db`; its tables, in
    /// schema `proactive`, are created on first use), shared by every instance of the service.
    /// Without `--db`, the environment variable DATABASE_URL is used the same way; prefer it: an
    /// argument shows in the process list.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on (0 picks a free one; the URL is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Send to the live stage instead of development.
    #[arg(long)]
    live: bool,
    /// Token endpoint base URL instead of Login with Amazon's.
    #[arg(long, value_name = "URL")]
    auth_endpoint: Option<String>,
    /// Also allow Unicast sends to this API host (besides Amazon's three). Repeatable.
    #[arg(long, value_name = "URL")]
    allow_api_host: Vec<String>,
    /// LOCAL TESTS ONLY: trust the `proactive emulator` at this loopback URL: its root
    /// certificate, its certificate-chain URL and its API host. Never use it on a network.
    #[arg(long, value_name = "URL")]
    trust_emulator: Option<String>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt().with_writer(std::io::stderr).init();
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // A sentence, not a Debug dump.
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut client = Client::builder(Credentials::from_env()?);
    let mut verifier = Verifier::builder(&args.skill_id);
    if let Some(url) = &args.trust_emulator {
        let url = url.trim_end_matches('/');
        let loopback = reqwest::Url::parse(url)?
            .host_str()
            .is_some_and(|h| h == "localhost" || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()));
        if !loopback {
            return Err(format!("--trust-emulator takes a loopback URL, not `{url}`").into());
        }
        let root = reqwest::get(format!("{url}{}", proactive_emulator::ROOT_PATH))
            .await?
            .error_for_status()?
            .text()
            .await?;
        verifier = verifier.trust_emulator(&root, &format!("{url}{}", proactive_emulator::CHAIN_PATH))?;
        client = client.allow_api_host(url).auth_endpoint(url);
        tracing::warn!("trusting the emulator at {url}: for local tests only");
    }
    if let Some(url) = args.auth_endpoint {
        client = client.auth_endpoint(url);
    }
    for url in args.allow_api_host {
        client = client.allow_api_host(url);
    }
    let stage = if args.live { Stage::Live } else { Stage::Development };
    let (verifier, client) = (verifier.build(), client.build()?);
    // An explicit `--db` wins over DATABASE_URL from the environment.
    let database_url = match (&args.db, args.database_url) {
        (Some(_), _) => None,
        (None, Some(url)) => Some(url),
        (None, None) => std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()),
    };
    let db = args.db.unwrap_or_else(|| PathBuf::from("skill-ledger.db"));
    match database_url {
        Some(url) => {
            // Connecting waits for the server (and creates the tables): off the async threads.
            let store = tokio::task::spawn_blocking(move || PostgresStore::connect(&url))
                .await?
                .map_err(|e| format!("cannot open the ledger: {e}"))?;
            tracing::info!(server = store.target(), "ledger in PostgreSQL");
            serve((args.bind, args.port), store, verifier, client, stage).await
        }
        None => {
            let store = SqliteStore::open(&db).map_err(|e| format!("cannot open the ledger {}: {e}", db.display()))?;
            serve((args.bind, args.port), store, verifier, client, stage).await
        }
    }
}

async fn serve<S: Store + 'static>(
    (bind, port): (IpAddr, u16),
    store: S,
    verifier: Verifier,
    client: Client,
    stage: Stage,
) -> Result<(), Box<dyn std::error::Error>> {
    let app = proactive_skill::handler::service(Arc::new(Ledger::new(store)), verifier, client, stage);
    let listener = tokio::net::TcpListener::bind((bind, port))
        .await
        .map_err(|e| format!("cannot listen on {bind}:{port}: {e}"))?;
    println!("http://{}", listener.local_addr()?);
    proactive_http::serve(listener, app, proactive_http::Limits::default()).await?;
    Ok(())
}

//! An example skill web service: it records `ProactiveSubscriptionChanged` events in an SQLite
//! ledger and sends Unicast events only to subscribed users, at their own regional API host.
//!
//! ```sh
//! ALEXA_CLIENT_ID=... ALEXA_CLIENT_SECRET=... \
//!   cargo run -p proactive-skill --example skill-service -- [--db FILE] [--port N] [--live] \
//!     [--api-endpoint URL] [--auth-endpoint URL]
//! ```
//!
//! `POST /` takes skill events (mount it where Alexa sends them, behind request-signature
//! verification); `POST /notify/{user}` takes a request body and sends it to that user if they
//! are subscribed. Against the emulator: start `proactive emulator`, pass its URL as
//! `--api-endpoint` and `--auth-endpoint`.

use std::sync::Arc;

use proactive_client::{Client, Credentials, Stage};
use proactive_skill::{Ledger, SqliteStore};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut db = "skill-ledger.db".to_owned();
    let mut port = 0u16;
    let mut stage = Stage::Development;
    let mut api = None;
    let mut auth = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = args.next().ok_or("--db needs a file")?,
            "--port" => port = args.next().ok_or("--port needs a number")?.parse()?,
            "--live" => stage = Stage::Live,
            "--api-endpoint" => api = Some(args.next().ok_or("--api-endpoint needs a URL")?),
            "--auth-endpoint" => auth = Some(args.next().ok_or("--auth-endpoint needs a URL")?),
            other => return Err(format!("unexpected argument `{other}`").into()),
        }
    }
    let mut client = Client::builder(Credentials::from_env()?);
    if let Some(url) = api {
        client = client.api_endpoint(url);
    }
    if let Some(url) = auth {
        client = client.auth_endpoint(url);
    }
    let ledger = Arc::new(Ledger::new(SqliteStore::open(&db)?));
    let app = proactive_skill::handler::service(ledger, client.build()?, stage);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

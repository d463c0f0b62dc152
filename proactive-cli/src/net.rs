//! `send`, `emulator` and `demo`: the commands that talk HTTP.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use proactive_client::{Client, Credentials, Error, Region, Rejection, Retry, Stage};

use crate::bodies::{self, Bodies, InFlight, Ledger};
use crate::journal::Journal;
use proactive_emulator::{Config, Emulator, Faults};
use serde_json::Value;

use crate::input::{display_name, print_report};

/// Where and how to send: shared by `send` and `worker`.
#[derive(Args)]
pub(crate) struct ClientArgs {
    /// `development` (the default) or `live`.
    #[arg(long, default_value = "development", value_parser = clap::value_parser!(String))]
    stage: String,
    /// `na` (the default), `eu` or `fe`.
    #[arg(long, default_value = "na")]
    region: String,
    /// API base URL instead of the region's (e.g. an emulator's `http://127.0.0.1:PORT`).
    #[arg(long, value_name = "URL")]
    api_endpoint: Option<String>,
    /// Token endpoint base URL instead of Login with Amazon's.
    #[arg(long, value_name = "URL")]
    auth_endpoint: Option<String>,
    /// Seconds one request may take, from its first attempt to its last answer; throttling (429)
    /// is waited out until then.
    #[arg(long, value_name = "SECS", default_value_t = Retry::default().deadline.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    deadline: u64,
    /// Most attempts per request that end in a server error (5xx) or a network failure;
    /// throttled attempts (429) do not count.
    #[arg(long, value_name = "N", default_value_t = Retry::default().max_attempts,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_attempts: u32,
}

impl ClientArgs {
    /// The client, stage and region, or a usage error in words. Credentials come from
    /// `ALEXA_CLIENT_ID` and `ALEXA_CLIENT_SECRET`.
    pub(crate) fn client(&self) -> Result<(Client, Stage, Region), String> {
        let stage: Stage = self.stage.parse()?;
        let region: Region = self.region.parse()?;
        let credentials = Credentials::from_env().map_err(|e| e.to_string())?;
        let mut builder = Client::builder(credentials).retry(Retry {
            deadline: Duration::from_secs(self.deadline),
            max_attempts: self.max_attempts,
            ..Retry::default()
        });
        if let Some(url) = &self.api_endpoint {
            builder = builder.api_endpoint(url.clone());
        }
        if let Some(url) = &self.auth_endpoint {
            builder = builder.auth_endpoint(url.clone());
        }
        let client = builder.build().map_err(|e| e.to_string())?;
        Ok((client, stage, region))
    }

    /// The retry deadline.
    pub(crate) fn deadline(&self) -> Duration {
        Duration::from_secs(self.deadline)
    }
}

/// Exit status of `send` when no request was rejected but some outcomes are unknown.
const EXIT_UNKNOWN: u8 = 3;

#[derive(Args)]
#[command(
    after_help = "Exit status: 0 when every request was accepted; 1 when any was invalid, rejected or \
failed; 3 when none of those but some outcomes are unknown (an answer was lost after sending: the request \
may have been accepted, and resending it is safe, a repeat is answered 409); 2 on usage or I/O errors."
)]
pub(crate) struct SendArgs {
    #[command(flatten)]
    client: ClientArgs,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Each file holds one request per line (newline-delimited JSON).
    #[arg(long)]
    ndjson: bool,
    /// Move each request's `timestamp` to now and its `expiryTime` with it, keeping the window
    /// between them (and the reference id): for example bodies written in the past.
    #[arg(long)]
    restamp: bool,
    /// Append each accepted request's reference id to FILE (synced to disk in batches), and skip
    /// the requests FILE already lists: a send stopped at any point can be run again with the
    /// same journal, and each request is accepted once (a repeat Amazon answers `409`, which then
    /// counts as accepted by the earlier run).
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,
    /// Files of request bodies; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(Args)]
pub(crate) struct EmulatorArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// How many accepted events `GET /emulator/events` keeps (the oldest are dropped; a repeated
    /// reference id is still answered 409).
    #[arg(long, value_name = "N", default_value_t = Config::default().keep,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    keep: usize,
    /// The client id it issues tokens to (set ALEXA_CLIENT_ID to it when sending).
    #[arg(long, default_value = "amzn1.application-oa2-client.emulator")]
    client_id: String,
    /// The client secret it accepts (the emulator's own, not a real one; set ALEXA_CLIENT_SECRET
    /// to it when sending).
    #[arg(long, default_value = "emulator-secret")]
    client_secret: String,
    /// Token lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    token_lifetime: u64,
    /// At most this many event requests per second; more get 429 with Retry-After.
    #[arg(long)]
    rate_limit: Option<u32>,
    /// Retry-After seconds sent with a 429.
    #[arg(long, default_value_t = 1)]
    retry_after: u64,
    /// Share (0-1) of event requests answered with 500.
    #[arg(long, default_value_t = 0.0, value_parser = share)]
    error_rate: f64,
    /// Share (0-1) of event requests whose connection is dropped.
    #[arg(long, default_value_t = 0.0, value_parser = share)]
    drop_rate: f64,
    /// Milliseconds added to every event request.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Seed of the fault dice (0: random).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Answer the first N token requests with 503.
    #[arg(long, value_name = "N", default_value_t = 0)]
    token_failures: u32,
    /// Where a running skill receives its requests: simulated subscription changes
    /// (`POST /emulator/users/{user}/subscriptions`) are delivered there, signed as Alexa signs them.
    #[arg(long, value_name = "URL")]
    skill_endpoint: Option<String>,
    /// The skill id written into delivered events (`context.System.application.applicationId`).
    #[arg(long, value_name = "ID", default_value = "amzn1.ask.skill.emulator")]
    skill_id: String,
    /// Also write the root certificate the emulator signs with (PEM) to this file, for a skill
    /// that should trust the emulator in local tests.
    #[arg(long, value_name = "FILE")]
    root_ca_out: Option<PathBuf>,
}

/// A share from 0 to 1.
fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{text}` is not a share from 0 to 1 (e.g. 0.2)")),
    }
}

fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()
}

pub(crate) fn send(args: SendArgs) -> io::Result<ExitCode> {
    let (client, stage, region) = match args.client.client() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let inputs = bodies::open_all(&args.paths)?;
    let total_bytes: Option<u64> = inputs.iter().map(|i| i.size).sum();
    let (mut journal, done) = match &args.journal {
        Some(path) => {
            let (journal, done) = Journal::open(path)?;
            (Some(journal), Some(done))
        }
        None => (None, None),
    };
    let edit: Option<bodies::Edit> = if args.restamp {
        let now = proactive_schemas::DateTime::now();
        Some(Box::new(move |body: &mut Value| restamp_window(body, &now)))
    } else {
        None
    };
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let bodies = Bodies::new(inputs, args.ndjson, edit, done, Arc::clone(&ledger));
    // One thread drives every connection: sending is waiting on sockets, and a second thread
    // would cost more in hand-overs than it saves (and leaves a core to whatever answers).
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let bar = progress_bar(total_bytes);
    let (mut accepted, mut earlier, mut failed, mut unknown) = (0usize, 0usize, 0usize, 0usize);
    // Each result is written as it arrives; the bodies are read as senders become free.
    rt.block_on(async {
        let mut rx = client.send_all(bodies, stage, region, args.concurrency);
        let mut out = io::stdout();
        while let Some((i, result)) = rx.recv().await {
            let InFlight { location, reference_id } = Ledger::take(&ledger, i);
            let accepted_now = match result {
                Ok(_) => {
                    accepted += 1;
                    true
                }
                // A journaled run was stopped after Amazon accepted this, before it was
                // journaled: the repeat is the earlier acceptance.
                Err(Error::Rejected(e)) if journal.is_some() && e.kind == Rejection::Conflict => {
                    earlier += 1;
                    true
                }
                Err(error) if error.is_unknown() => {
                    unknown += 1;
                    bar.suspend(|| writeln!(out, "{location}: warning: {error}"))?;
                    false
                }
                Err(Error::Invalid(report)) => {
                    failed += 1;
                    bar.suspend(|| print_report(&mut out.lock(), &location, &report, true))?;
                    false
                }
                Err(other) => {
                    failed += 1;
                    bar.suspend(|| writeln!(out, "{location}: error: {other}"))?;
                    false
                }
            };
            if let (true, Some(journal), Some(id)) = (accepted_now, &mut journal, &reference_id) {
                journal.record(id)?;
            }
            if let Ok(l) = ledger.lock() {
                bar.set_position(l.read);
            }
            bar.set_message(format!("{} sent", accepted + earlier + failed + unknown));
        }
        if let Some(journal) = &mut journal {
            journal.sync()?;
        }
        Ok::<_, io::Error>(())
    })?;
    bar.finish_and_clear();
    let skipped = ledger.lock().map_or(0, |l| l.skipped);
    let (broken, read_error) = match ledger.lock() {
        Ok(mut l) => (l.broken, l.error.take()),
        Err(_) => (0, None),
    };
    let not_sent = failed + broken;
    let accepted = accepted + earlier + skipped;
    let before = if earlier + skipped > 0 {
        format!(" ({} by an earlier run)", earlier + skipped)
    } else {
        String::new()
    };
    eprintln!(
        "{} request(s): {accepted} accepted{before}, {not_sent} not accepted{}{}",
        accepted + failed + unknown + broken,
        if not_sent + unknown > 0 { " (listed above)" } else { "" },
        if unknown > 0 {
            format!(", {unknown} outcome unknown (safe to resend)")
        } else {
            String::new()
        }
    );
    if let Some(e) = read_error {
        eprintln!("error: {e}; the requests after it were not read");
        return Ok(ExitCode::from(2));
    }
    Ok(if not_sent > 0 {
        ExitCode::from(1)
    } else if unknown > 0 {
        ExitCode::from(EXIT_UNKNOWN)
    } else {
        ExitCode::SUCCESS
    })
}

/// A progress bar on standard error when it is a terminal (hidden otherwise): input read, rate
/// and time left for files; a spinner for standard input, whose size is unknown.
fn progress_bar(total_bytes: Option<u64>) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    match total_bytes {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template(
                "{bar:30} {binary_bytes}/{binary_total_bytes} read, {msg}, {binary_bytes_per_sec}, {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {binary_bytes} read, {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    }
}

pub(crate) fn emulator(args: EmulatorArgs) -> io::Result<ExitCode> {
    let config = Config {
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], args.port)),
        client_id: args.client_id,
        client_secret: args.client_secret,
        token_lifetime: Duration::from_secs(args.token_lifetime),
        faults: Faults {
            rate_limit: args.rate_limit,
            retry_after_secs: args.retry_after,
            error_rate: args.error_rate,
            drop_rate: args.drop_rate,
            latency: Duration::from_millis(args.latency_ms),
            seed: args.seed,
            token_failures: args.token_failures,
        },
        skill_endpoint: args.skill_endpoint,
        skill_id: args.skill_id,
        keep: args.keep,
        ..Config::default()
    };
    let rt = runtime()?;
    rt.block_on(async {
        let emulator = Emulator::start(config).await?;
        if let Some(path) = &args.root_ca_out {
            std::fs::write(path, emulator.root_pem())
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        }
        println!("{}", emulator.base_url());
        io::stdout().flush()?;
        eprintln!(
            "emulator listening; accepted events at {}/emulator/events; Ctrl-C stops it",
            emulator.base_url()
        );
        eprintln!(
            "skill requests are signed with a chain at {} leading to the root at {}{} (trust it in local tests only)",
            emulator.cert_chain_url(),
            emulator.base_url(),
            proactive_emulator::ROOT_PATH,
        );
        tokio::signal::ctrl_c().await?;
        emulator.shutdown();
        Ok::<_, io::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Gives an example body a current timestamp, expiry and a fresh reference id, so it can be sent.
/// Moves `timestamp` to `now` and `expiryTime` by the same amount. A body whose two times do not
/// both parse is left alone (the validator says why).
fn restamp_window(body: &mut Value, now: &proactive_schemas::DateTime) {
    let time = |key: &str| body.get(key)?.as_str()?.parse::<proactive_schemas::DateTime>().ok();
    let (Some(timestamp), Some(expiry)) = (time("timestamp"), time("expiryTime")) else {
        return;
    };
    let window = expiry.timestamp().duration_since(timestamp.timestamp());
    if let Some(expiry) = now.checked_add(window) {
        body["timestamp"] = now.as_str().into();
        body["expiryTime"] = expiry.as_str().into();
    }
}

fn restamp(body: &mut Value) {
    let now = proactive_schemas::DateTime::now();
    let expiry = now
        .checked_add(proactive_schemas::jiff::SignedDuration::from_hours(1))
        .unwrap_or_else(|| now.clone());
    body["timestamp"] = now.as_str().into();
    body["expiryTime"] = expiry.as_str().into();
    body["referenceId"] = proactive_schemas::ReferenceId::generate().as_str().into();
}

// The demo's own struct: compiled here, and shown as written in step 2.
include!("storm_warning.rs");
const STORM_WARNING_SOURCE: &str = include_str!("storm_warning.rs");

/// The example request bodies built into the binary (one per event), for `demo` without
/// `--examples`.
const BUILT_IN_EXAMPLES: [(&str, &str); 8] = [
    (
        "AMAZON.MediaContent.Available.json",
        include_str!("../requests/AMAZON.MediaContent.Available.json"),
    ),
    (
        "AMAZON.MessageAlert.Activated.json",
        include_str!("../requests/AMAZON.MessageAlert.Activated.json"),
    ),
    (
        "AMAZON.Occasion.Updated.json",
        include_str!("../requests/AMAZON.Occasion.Updated.json"),
    ),
    (
        "AMAZON.OrderStatus.Updated.json",
        include_str!("../requests/AMAZON.OrderStatus.Updated.json"),
    ),
    (
        "AMAZON.SocialGameInvite.Available.json",
        include_str!("../requests/AMAZON.SocialGameInvite.Available.json"),
    ),
    (
        "AMAZON.SportsEvent.Updated.json",
        include_str!("../requests/AMAZON.SportsEvent.Updated.json"),
    ),
    (
        "AMAZON.TrashCollectionAlert.Activated.json",
        include_str!("../requests/AMAZON.TrashCollectionAlert.Activated.json"),
    ),
    (
        "AMAZON.WeatherAlert.Activated.json",
        include_str!("../requests/AMAZON.WeatherAlert.Activated.json"),
    ),
];

/// The demo's example bodies: the `*.json` files of `dir` (an error if it is missing or holds
/// none), or the built-in ones.
fn demo_examples(dir: Option<&Path>) -> io::Result<Vec<(String, Vec<u8>)>> {
    let Some(dir) = dir else {
        return Ok(BUILT_IN_EXAMPLES
            .iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .collect());
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("--examples {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    if files.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("--examples {}: no *.json request bodies there", dir.display()),
        ));
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
            Ok((display_name(&p), bytes))
        })
        .collect()
}

pub(crate) fn demo(examples: Option<&Path>) -> io::Result<ExitCode> {
    let examples = demo_examples(examples)?;
    let rt = runtime()?;
    rt.block_on(async move {
        let mut out = io::stdout().lock();
        let config = Config::default();
        let credentials = Credentials::new(config.client_id.clone(), config.client_secret.clone());
        let emulator = Emulator::start(config).await?;
        writeln!(
            out,
            "1. An emulator of Amazon's endpoints is listening on {}.\n",
            emulator.base_url()
        )?;
        let client = Client::builder(credentials)
            .api_endpoint(emulator.base_url())
            .auth_endpoint(emulator.base_url())
            .build()
            .map_err(io::Error::other)?;

        writeln!(
            out,
            "2. A struct of ours, checked against AMAZON.WeatherAlert.Activated when it compiled:\n"
        )?;
        for line in STORM_WARNING_SOURCE.lines() {
            writeln!(out, "   {line}")?;
        }
        writeln!(out, "\n   became this request (the builder added the envelope):\n")?;
        let request = proactive_schemas::Request::builder_from(&storm_warning())
            .build()
            .map_err(io::Error::other)?;
        for line in serde_json::to_string_pretty(&request)
            .map_err(io::Error::other)?
            .lines()
        {
            writeln!(out, "   {line}")?;
        }
        writeln!(out)?;

        writeln!(out, "3. A typo is caught before anything is sent:\n")?;
        let mut typo = request.to_value();
        let alert = &mut typo["event"]["payload"]["weatherAlert"];
        alert["alertTyp"] = alert["alertType"].take();
        if let Some(map) = alert.as_object_mut() {
            map.remove("alertType");
        }
        match client.send_value(&typo, Stage::Development, Region::NorthAmerica).await {
            Err(Error::Invalid(report)) => print_report(&mut out, "   not sent", &report, true)?,
            other => writeln!(out, "   unexpected: {other:?}")?,
        }

        writeln!(out, "\n4. Sending (a token is fetched once and cached):\n")?;
        let mut bodies = vec![request.to_value()];
        for (name, bytes) in &examples {
            let mut body: Value = serde_json::from_slice(bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{name}: {e}")))?;
            restamp(&mut body);
            bodies.push(body);
        }
        let (mut sent, mut not_sent, mut failed) = (0, 0, 0);
        for body in &bodies {
            let name = body["event"]["name"].as_str().unwrap_or("?");
            match client.send_value(body, Stage::Development, Region::NorthAmerica).await {
                Ok(_) => {
                    sent += 1;
                    writeln!(out, "   {name}: 202 Accepted")?;
                }
                Err(e @ Error::Invalid(_)) => {
                    not_sent += 1;
                    writeln!(out, "   {name}: not sent: {e}")?;
                }
                Err(e) => {
                    sent += 1;
                    failed += 1;
                    writeln!(out, "   {name}: {e}")?;
                }
            }
        }
        writeln!(out, "\n   token requests: {}", emulator.token_requests())?;

        writeln!(out, "\n5. What Alexa would say to the subscribed users:\n")?;
        for accepted in emulator.accepted() {
            writeln!(
                out,
                "   {} -> {} ({})",
                accepted.event,
                accepted.recipients.join(", "),
                accepted.audience
            )?;
            for (locale, text) in &accepted.previews {
                writeln!(out, "     {locale}: {text}")?;
            }
        }
        writeln!(
            out,
            "\n{sent} sent, {} accepted, {failed} failed, {not_sent} not sent",
            emulator.accepted().len()
        )?;
        emulator.shutdown();
        Ok(if failed == 0 && not_sent == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

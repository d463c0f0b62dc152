//! `proactive`: validate, preview and inspect Alexa Proactive Events requests.

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod net;
use proactive_schemas::{Report, Severity};

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
        Command::Validate { ndjson, quiet, paths } => validate(&paths, ndjson, quiet),
        Command::Preview { path, locale } => preview(&path, locale.as_deref()),
        Command::Schemas => schemas(),
        Command::Manifest { events } => manifest(&events),
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

pub(crate) fn read_input(path: &Path) -> io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin().lock().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    }
}

pub(crate) fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

#[derive(Default)]
struct Tally {
    checked: u64,
    invalid: u64,
    warnings: u64,
    io_errors: u64,
}

fn validate(paths: &[PathBuf], ndjson: bool, quiet: bool) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut tally = Tally::default();
    for path in paths {
        let name = display_name(path);
        let bytes = match read_input(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                tally.io_errors += 1;
                continue;
            }
        };
        if ndjson {
            check_ndjson(&mut out, &name, &bytes, quiet, &mut tally)?;
        } else {
            check_one(&mut out, &Location::file(&name), &bytes, quiet, &mut tally)?;
        }
    }
    out.flush()?;
    drop(out);
    eprintln!(
        "{} request(s) checked: {} valid, {} invalid, {} warning(s){}",
        tally.checked,
        tally.checked - tally.invalid,
        tally.invalid,
        tally.warnings,
        if tally.io_errors > 0 {
            format!(", {} file(s) unreadable", tally.io_errors)
        } else {
            String::new()
        }
    );
    Ok(if tally.io_errors > 0 {
        ExitCode::from(2)
    } else if tally.invalid > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Checks every line of an NDJSON file. Lines are split into one contiguous chunk per core;
/// each chunk's output is buffered and written in order, so the output is the same as serial.
fn check_ndjson(out: &mut impl Write, name: &str, bytes: &[u8], quiet: bool, tally: &mut Tally) -> io::Result<()> {
    let lines: Vec<(usize, &[u8])> = bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = if lines.len() < 1_000 { 1 } else { threads };
    let chunk = lines.len().div_ceil(threads).max(1);
    let results: Vec<io::Result<(Vec<u8>, Tally)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut buf = Vec::new();
                    let mut t = Tally::default();
                    for (i, line) in part {
                        check_one(&mut buf, &Location::line(name, i + 1), line, quiet, &mut t)?;
                    }
                    Ok((buf, t))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("a worker panicked"))))
            .collect()
    });
    for result in results {
        let (buf, t) = result?;
        out.write_all(&buf)?;
        tally.checked += t.checked;
        tally.invalid += t.invalid;
        tally.warnings += t.warnings;
    }
    Ok(())
}

/// Where a request came from: a file, or one line of an NDJSON file.
struct Location<'a> {
    name: &'a str,
    line: Option<usize>,
}

impl<'a> Location<'a> {
    fn file(name: &'a str) -> Self {
        Location { name, line: None }
    }

    fn line(name: &'a str, line: usize) -> Self {
        Location { name, line: Some(line) }
    }

    /// `file` or `file:LINE`, before a diagnostic.
    fn prefix(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.name),
            None => self.name.to_owned(),
        }
    }

    /// `file:LINE:COLUMN` of a JSON syntax error (one line of an NDJSON file is one JSON text).
    fn of_json_error(&self, e: &serde_json::Error) -> String {
        format!("{}:{}:{}", self.name, self.line.unwrap_or(e.line()), e.column())
    }
}

/// A JSON syntax error in words: what was expected where, without serde's own position suffix.
pub(crate) fn json_error_words(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = message.rfind(" at line ").map_or(message.as_str(), |i| &message[..i]);
    let words = match message {
        "expected ident" => "expected `true`, `false` or `null`",
        "expected value" => "expected a value: a string, a number, an object, an array, `true`, `false` or `null`",
        "trailing comma" => "a comma before a closing bracket",
        "trailing characters" => "more text after the end of the JSON value",
        "key must be a string" => "expected an object key in double quotes",
        "invalid number" => "not a valid JSON number",
        "EOF while parsing a value"
        | "EOF while parsing a string"
        | "EOF while parsing an object"
        | "EOF while parsing a list" => "the text ends before the JSON value is complete",
        other => other,
    };
    format!("invalid JSON: {words}")
}

fn check_one(
    out: &mut impl Write,
    location: &Location,
    bytes: &[u8],
    quiet: bool,
    tally: &mut Tally,
) -> io::Result<()> {
    tally.checked += 1;
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            tally.invalid += 1;
            writeln!(out, "{}: error: {}", location.of_json_error(&e), json_error_words(&e))?;
            return Ok(());
        }
    };
    let report = proactive_schemas::validate(&value);
    let prefix = location.prefix();
    if !report.is_valid() {
        tally.invalid += 1;
    }
    tally.warnings += report.warning_count() as u64;
    print_report(out, &prefix, &report, quiet)?;
    // Valid, but `send` (and Amazon) would refuse it now: say so, as a warning.
    if report.is_valid()
        && proactive_schemas::validate::expiry_passed(&value, proactive_schemas::jiff::Timestamp::now())
    {
        tally.warnings += 1;
        if !quiet {
            writeln!(
                out,
                "{prefix}: warning: /expiryTime: {}; `proactive send` refuses it (`send --restamp` moves the window to now)",
                proactive_schemas::validate::EXPIRY_PASSED
            )?;
        }
    }
    Ok(())
}

/// One line per diagnostic the report keeps (errors, then warnings unless `quiet`), and after
/// each kind a line `… and N more errors` for those it only counted.
pub(crate) fn print_report(out: &mut impl Write, location: &str, report: &Report, quiet: bool) -> io::Result<()> {
    let mut kinds = vec![(Severity::Error, "error", &report.errors)];
    if !quiet {
        kinds.push((Severity::Warning, "warning", &report.warnings));
    }
    for (severity, level, kept) in kinds {
        for d in kept {
            writeln!(out, "{location}: {level}: {d}")?;
        }
        if let Some(note) = report.omitted_note(severity) {
            writeln!(out, "{location}: {level}: {note}")?;
        }
    }
    Ok(())
}

fn preview(path: &Path, locale: Option<&str>) -> io::Result<ExitCode> {
    let name = display_name(path);
    let bytes = read_input(path)?;
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{name}:{}:{}: error: {}", e.line(), e.column(), json_error_words(&e));
            return Ok(ExitCode::from(1));
        }
    };
    let report = proactive_schemas::validate(&value);
    if !report.is_valid() {
        let mut err = io::stderr().lock();
        print_report(&mut err, &name, &report, true)?;
        writeln!(err, "{name}: cannot preview an invalid request")?;
        return Ok(ExitCode::from(1));
    }
    let locales: Vec<String> = match locale {
        Some(l) => vec![l.to_owned()],
        None => {
            let present: Vec<String> = value
                .get("localizedAttributes")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|e| e.get("locale")?.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            if present.is_empty() {
                vec!["en-US".to_owned()]
            } else {
                present
            }
        }
    };
    let mut out = io::stdout().lock();
    let mut failed = false;
    for l in &locales {
        match proactive_schemas::preview(&value, l) {
            Ok(text) if locale.is_some() => writeln!(out, "{text}")?,
            Ok(text) => writeln!(out, "{l}: {text}")?,
            Err(e) => {
                eprintln!("{name}: error: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn schemas() -> io::Result<ExitCode> {
    let mut out = io::stdout().lock();
    for meta in proactive_schemas::EVENTS {
        writeln!(out, "{}", meta.name)?;
        if !meta.description.is_empty() {
            writeln!(out, "  {}", meta.description)?;
        }
        for u in meta.utterances {
            let when: Vec<String> = u.when.iter().map(|(p, v)| format!("{p} = {v}")).collect();
            if when.is_empty() {
                writeln!(out, "  says: {}", u.text)?;
            } else {
                writeln!(out, "  says ({}): {}", when.join(", "), u.text)?;
            }
        }
        let localizable: Vec<&str> = meta.localizable().collect();
        if !localizable.is_empty() {
            writeln!(out, "  localizable: {}", localizable.join(", "))?;
        }
        if let Some(locales) = meta.locales {
            writeln!(out, "  locales: {}", locales.join(", "))?;
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn manifest(events: &[String]) -> io::Result<ExitCode> {
    let mut unknown = false;
    let mut names: Vec<&str> = Vec::new();
    for name in events {
        if proactive_schemas::EVENTS.iter().any(|m| m.name == name.as_str()) {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        } else {
            eprintln!(
                "error: {}",
                proactive_schemas::EventParseError::unknown(name, proactive_schemas::EVENTS)
            );
            unknown = true;
        }
    }
    if unknown {
        return Ok(ExitCode::from(2));
    }
    let publications: Vec<serde_json::Value> = names.iter().map(|n| serde_json::json!({"eventName": n})).collect();
    let fragment = serde_json::json!({
        "manifest": {
            "permissions": [{"name": "alexa::devices:all:notifications:write"}],
            "events": {
                "publications": publications,
                "subscriptions": [{"eventName": "SKILL_PROACTIVE_SUBSCRIPTION_CHANGED"}],
                "endpoint": {"uri": "arn:aws:lambda:REGION:ACCOUNT_ID:function:FUNCTION_NAME"}
            }
        }
    });
    println!("{}", serde_json::to_string_pretty(&fragment).map_err(io::Error::other)?);
    Ok(ExitCode::SUCCESS)
}

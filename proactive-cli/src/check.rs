//! The commands that only read: `validate`, `preview`, `schemas` and `manifest`.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::input::{display_name, parse, print_report, read_input, Location};

#[derive(Default)]
struct Tally {
    checked: u64,
    invalid: u64,
    warnings: u64,
    io_errors: u64,
}

/// `proactive validate`: one line per problem, a summary on standard error.
pub(crate) fn validate(paths: &[PathBuf], ndjson: bool, quiet: bool) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut tally = Tally::default();
    for path in paths {
        let name = display_name(path);
        if ndjson {
            match open_input(path) {
                Ok(reader) => check_ndjson(&mut out, &name, reader, quiet, &mut tally)?,
                Err(e) => {
                    eprintln!("error: {e}");
                    tally.io_errors += 1;
                }
            }
            continue;
        }
        let bytes = match read_input(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                tally.io_errors += 1;
                continue;
            }
        };
        check_one(&mut out, Location::file(&name), &bytes, quiet, &mut tally)?;
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

/// A file, or standard input for `-`, read in large blocks.
fn open_input(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    const BLOCK: usize = 1 << 20;
    if path.as_os_str() == "-" {
        Ok(Box::new(io::BufReader::with_capacity(BLOCK, io::stdin())))
    } else {
        let file =
            std::fs::File::open(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        Ok(Box::new(io::BufReader::with_capacity(BLOCK, file)))
    }
}

/// Lines of an NDJSON input handed to a worker: the bytes of all of them, and each line's number
/// (from 1) and range in the bytes.
struct Batch {
    seq: u64,
    bytes: Vec<u8>,
    lines: Vec<(usize, std::ops::Range<usize>)>,
}

/// Lines per batch: large enough that handing batches over costs little, small enough that
/// memory stays bounded (a few batches per core are in flight).
const BATCH_LINES: usize = 512;

/// Checks every line of an NDJSON input, streaming: one thread reads batches of lines, one per
/// core validates them, and their output is written in input order, so the output is the same
/// as a serial run. At most a few batches per core are in memory, however large the input.
fn check_ndjson(
    out: &mut impl Write,
    name: &str,
    mut reader: Box<dyn BufRead + Send>,
    quiet: bool,
    tally: &mut Tally,
) -> io::Result<()> {
    use std::collections::BTreeMap;
    use std::sync::mpsc::sync_channel;
    use std::sync::{Arc, Mutex};

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (jobs, job_queue) = sync_channel::<Batch>(threads * 2);
    let job_queue = Arc::new(Mutex::new(job_queue));
    let (done, results) = sync_channel::<(u64, io::Result<(Vec<u8>, Tally)>)>(threads * 2);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let job_queue = Arc::clone(&job_queue);
            let done = done.clone();
            scope.spawn(move || loop {
                let batch = match job_queue.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => return,
                };
                let Ok(batch) = batch else { return };
                let mut buf = Vec::new();
                let mut t = Tally::default();
                let result = batch
                    .lines
                    .iter()
                    .try_for_each(|(n, range)| {
                        check_one(
                            &mut buf,
                            Location::line(name, *n),
                            &batch.bytes[range.clone()],
                            quiet,
                            &mut t,
                        )
                    })
                    .map(|()| (buf, t));
                if done.send((batch.seq, result)).is_err() {
                    return;
                }
            });
        }
        drop(done);
        let reading = scope.spawn(move || -> io::Result<()> {
            let mut line = Vec::new();
            let (mut number, mut seq) = (0usize, 0u64);
            let mut batch = Batch {
                seq,
                bytes: Vec::new(),
                lines: Vec::new(),
            };
            loop {
                line.clear();
                let read = reader.read_until(b'\n', &mut line)?;
                if read == 0 {
                    break;
                }
                number += 1;
                let text = line.strip_suffix(b"\n").unwrap_or(&line);
                if text.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let start = batch.bytes.len();
                batch.bytes.extend_from_slice(text);
                batch.lines.push((number, start..batch.bytes.len()));
                if batch.lines.len() == BATCH_LINES {
                    seq += 1;
                    let next = Batch {
                        seq,
                        bytes: Vec::new(),
                        lines: Vec::new(),
                    };
                    if jobs.send(std::mem::replace(&mut batch, next)).is_err() {
                        return Ok(()); // the workers stopped: their error is reported
                    }
                }
            }
            if !batch.lines.is_empty() {
                let _ = jobs.send(batch);
            }
            Ok(())
        });
        // Results arrive in any order; each is written once those before it are.
        let mut waiting: BTreeMap<u64, (Vec<u8>, Tally)> = BTreeMap::new();
        let mut next = 0u64;
        let mut failure = None;
        for (seq, result) in results {
            match result {
                Ok(r) => {
                    waiting.insert(seq, r);
                }
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
            while let Some((buf, t)) = waiting.remove(&next) {
                if let Err(e) = out.write_all(&buf) {
                    failure.get_or_insert(e);
                }
                tally.checked += t.checked;
                tally.invalid += t.invalid;
                tally.warnings += t.warnings;
                next += 1;
            }
            if failure.is_some() {
                break; // dropping `results` stops the workers, which stops the reader
            }
        }
        let read = reading
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reader panicked")));
        match failure {
            Some(e) => Err(e),
            None => read,
        }
    })
}

/// Checks one request body: its syntax, then the validator, then (a warning) its expiry.
fn check_one(out: &mut impl Write, location: Location, bytes: &[u8], quiet: bool, tally: &mut Tally) -> io::Result<()> {
    tally.checked += 1;
    // Most bodies are valid: proven so from their text, expiry included, nothing is printed.
    let now = proactive_schemas::jiff::Timestamp::now();
    if std::str::from_utf8(bytes).is_ok_and(|text| proactive_schemas::validator().proves_valid(text, Some(now))) {
        return Ok(());
    }
    let value = match parse(location, bytes) {
        Ok(v) => v,
        Err(diagnostic) => {
            tally.invalid += 1;
            writeln!(out, "{diagnostic}")?;
            return Ok(());
        }
    };
    let report = proactive_schemas::validate(&value);
    if !report.is_valid() {
        tally.invalid += 1;
    }
    tally.warnings += report.warning_count() as u64;
    if !report.errors.is_empty() || !report.warnings.is_empty() || report.omitted_errors + report.omitted_warnings > 0 {
        print_report(out, &location.prefix(), &report, quiet)?;
    }
    // Valid, but `send` (and Amazon) would refuse it now: say so, as a warning.
    if report.is_valid() && proactive_schemas::validate::expiry_passed(&value, now) {
        tally.warnings += 1;
        if !quiet {
            let prefix = location.prefix();
            writeln!(
                out,
                "{prefix}: warning: /expiryTime: {}; `proactive send` refuses it (`send --restamp` moves the window to now)",
                proactive_schemas::validate::EXPIRY_PASSED
            )?;
        }
    }
    Ok(())
}

/// `proactive preview`: what Alexa would say, per locale.
pub(crate) fn preview(path: &Path, locale: Option<&str>) -> io::Result<ExitCode> {
    let name = display_name(path);
    let bytes = read_input(path)?;
    let value = match parse(Location::file(&name), &bytes) {
        Ok(v) => v,
        Err(diagnostic) => {
            eprintln!("{diagnostic}");
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

/// `proactive schemas`: the known events.
pub(crate) fn schemas() -> io::Result<ExitCode> {
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

/// `proactive manifest`: the skill manifest fragment for these events.
pub(crate) fn manifest(events: &[String]) -> io::Result<ExitCode> {
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

//! The commands that only read: `validate`, `preview`, `schemas` and `manifest`.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::input::{display_name, ndjson_lines, parse, print_report, read_input, Location};

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
            check_one(&mut out, Location::file(&name), &bytes, quiet, &mut tally)?;
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
    let lines = ndjson_lines(bytes);
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
                    for &(n, line) in part {
                        check_one(&mut buf, Location::line(name, n), line, quiet, &mut t)?;
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

/// Checks one request body: its syntax, then the validator, then (a warning) its expiry.
fn check_one(out: &mut impl Write, location: Location, bytes: &[u8], quiet: bool, tally: &mut Tally) -> io::Result<()> {
    tally.checked += 1;
    let value = match parse(location, bytes) {
        Ok(v) => v,
        Err(diagnostic) => {
            tally.invalid += 1;
            writeln!(out, "{diagnostic}")?;
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

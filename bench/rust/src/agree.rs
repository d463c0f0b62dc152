//! Verdict agreement between `proactive validate --ndjson` and the ajv script, line by line.
//!
//! Both print `CORPUS:LINE[:COLUMN]: error: …` for each problem; a line with at least one error
//! is rejected. Where ajv accepts what proactive rejects, every error of proactive's report (the
//! library's, run here on the same line; the CLI's verdict must be the same) must be of a kind
//! JSON Schema cannot express:
//! - `expiry window`: `/expiryTime` outside 5 minutes to 24 hours after `timestamp`;
//! - `locale`: a locale tag that is not an Alexa locale, or a locale with two entries;
//! - `localized attributes`: a `localizedattribute:` reference to a key an entry does not
//!   define, an invalid key, or a reference on an attribute that is not localizable.
//!
//! Any other difference, and any body ajv rejects but proactive accepts, is a failure (exit 1).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;
use std::process::ExitCode;

use proactive_schemas::Diagnostic;
use serde_json::Value;

use crate::corpus::read_labels;

/// The lines (from 1) a tool rejected, each with its first error line.
fn rejected(output: &Path, corpus: &Path) -> io::Result<BTreeMap<usize, String>> {
    let text = std::fs::read_to_string(output)?;
    let prefix = format!("{}:", corpus.display());
    let mut lines = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(&prefix) else {
            continue;
        };
        if !line.contains(": error: ") {
            continue;
        }
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<usize>() {
            lines.entry(n).or_insert_with(|| line.to_owned());
        }
    }
    Ok(lines)
}

/// What JSON Schema cannot express, or `None` for a diagnostic a schema could give.
pub fn beyond_schema(d: &Diagnostic) -> Option<&'static str> {
    let (p, m) = (d.pointer.as_str(), d.message.as_str());
    let locale_pointer = p
        .strip_prefix("/localizedAttributes/")
        .and_then(|r| r.strip_suffix("/locale"))
        .is_some_and(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()));
    if p == "/expiryTime" && m.starts_with("expiryTime ") {
        Some("expiry window")
    } else if locale_pointer && (m.contains("is not an Alexa locale") || m.contains("already has an entry")) {
        Some("locale")
    } else if m.contains("is not localizable, so it cannot hold")
        || m.contains("names an invalid key")
        || m.contains("references the localized key")
        || m.contains("does not define the key")
    {
        Some("localized attributes")
    } else {
        None
    }
}

pub fn run(corpus: &Path, proactive_out: &Path, ajv_out: &Path) -> io::Result<ExitCode> {
    let text = std::fs::read_to_string(corpus)?;
    let labels = read_labels(corpus)?;
    let by_proactive = rejected(proactive_out, corpus)?;
    let by_ajv = rejected(ajv_out, corpus)?;

    let mut bodies = 0usize;
    let (mut both_valid, mut both_invalid) = (0usize, 0usize);
    let mut beyond: BTreeMap<String, usize> = BTreeMap::new();
    let mut unexplained: Vec<String> = Vec::new();
    let mut proactive_accepts_more: Vec<String> = Vec::new();
    let mut cli_vs_library: Vec<String> = Vec::new();
    // label -> (bodies, rejected by proactive, rejected by ajv)
    let mut by_label: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();

    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        bodies += 1;
        let report = serde_json::from_str::<Value>(line)
            .ok()
            .map(|v| proactive_schemas::validate(&v));
        let library_rejects = report.as_ref().is_none_or(|r| !r.is_valid());
        let (p, a) = (by_proactive.contains_key(&n), by_ajv.contains_key(&n));
        if p != library_rejects {
            cli_vs_library.push(format!(
                "line {n}: the CLI says {}, the library {}",
                verdict(p),
                verdict(library_rejects)
            ));
        }
        let label = match labels.get(i) {
            Some(l) if l.is_empty() => "valid".to_owned(),
            Some(l) if l.len() == 1 => l[0].clone(),
            Some(_) => "two_ways".to_owned(),
            None => "unlabelled".to_owned(),
        };
        let entry = by_label.entry(label).or_default();
        entry.0 += 1;
        entry.1 += usize::from(p);
        entry.2 += usize::from(a);
        match (p, a) {
            (false, false) => both_valid += 1,
            (true, true) => both_invalid += 1,
            (false, true) => proactive_accepts_more.push(format!("line {n}: ajv: {}", by_ajv[&n])),
            (true, false) => {
                let errors = report.map(|r| r.errors).unwrap_or_default();
                let kinds: Option<BTreeSet<&str>> = errors.iter().map(beyond_schema).collect();
                match kinds {
                    Some(kinds) if !kinds.is_empty() => {
                        let key = kinds.into_iter().collect::<Vec<_>>().join(" + ");
                        *beyond.entry(key).or_default() += 1;
                    }
                    _ => unexplained.push(format!("line {n}: proactive: {}", by_proactive[&n])),
                }
            }
        }
    }

    println!("agree.bodies {bodies}");
    println!("agree.proactive_accepts {}", bodies - by_proactive.len());
    println!("agree.ajv_accepts {}", bodies - by_ajv.len());
    println!("agree.both_valid {both_valid}");
    println!("agree.both_invalid {both_invalid}");
    for (kinds, count) in &beyond {
        println!("agree.beyond_schema.{} {count}", kinds.replace(' ', "_"));
    }
    println!("agree.unexplained {}", unexplained.len());
    println!("agree.ajv_rejects_proactive_accepts {}", proactive_accepts_more.len());
    println!("agree.cli_vs_library {}", cli_vs_library.len());
    for (label, (n, p, a)) in &by_label {
        println!("label.{label} {n} {p} {a}");
    }
    let failures = [
        (
            "ajv accepts, proactive rejects, not for a reason JSON Schema cannot express",
            &unexplained,
        ),
        ("ajv rejects, proactive accepts", &proactive_accepts_more),
        (
            "`proactive validate` and proactive_schemas::validate disagree",
            &cli_vs_library,
        ),
    ];
    let mut failed = false;
    for (what, list) in failures {
        if !list.is_empty() {
            failed = true;
            eprintln!("verdict disagreement: {what}: {} body(ies), e.g.", list.len());
            for example in list.iter().take(5) {
                eprintln!("  {example}");
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn verdict(rejects: bool) -> &'static str {
    if rejects {
        "invalid"
    } else {
        "valid"
    }
}

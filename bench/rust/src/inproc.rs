//! The one-thread rows. Every method starts from the corpus's lines in memory (the file is read
//! once, before any timing) and parses each line itself, so "validate" always means parse +
//! validate:
//!
//! - `proactive`: `serde_json::from_str::<Value>` then `proactive_schemas::validate(&value)` (the
//!   whole report: every error with its pointer and message, warnings, suggestions);
//! - `parse`: `serde_json::from_str::<Value>` only;
//! - `jsonschema`: `serde_json::from_str::<Value>`, then the `jsonschema` crate's validators of
//!   `envelope.json` and of the event's schema (on `/event/payload`, as proactive does; an unknown
//!   event name is an error, as in proactive and the ajv script), draft 2020-12 with formats
//!   checked, collecting every error (`iter_errors`, like ajv's `allErrors`);
//! - `jsonschema_is_valid`: the same with `is_valid` (a yes/no answer, no errors built), for
//!   reference.
//!
//! Runs are alternated (A B C D A B C D …) and each prints `inproc.<method>.rate <bodies/s>`.

use std::collections::HashMap;
use std::hint::black_box;
use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::Value;

/// The `jsonschema` crate alone, with the schema files ajv compiles.
struct Alone {
    envelope: jsonschema::Validator,
    events: HashMap<String, jsonschema::Validator>,
}

fn compile(path: &Path) -> io::Result<jsonschema::Validator> {
    let text = std::fs::read_to_string(path)?;
    let schema: Value = serde_json::from_str(&text).map_err(io::Error::other)?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))
}

impl Alone {
    fn new(dir: &Path) -> io::Result<Self> {
        let envelope = compile(&dir.join("envelope.json"))?;
        let mut events = HashMap::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if let Some(event) = name.strip_prefix("AMAZON.").and_then(|n| n.strip_suffix(".json")) {
                events.insert(format!("AMAZON.{event}"), compile(&path)?);
            }
        }
        Ok(Alone { envelope, events })
    }

    /// What to check the payload with, as proactive (and the ajv script) decide it: nothing when
    /// `/event/name` is not a string, an error when it names no known event, and else the event's
    /// validator when the payload is an object.
    fn payload<'v>(&self, body: &'v Value) -> Payload<'_, 'v> {
        let Some(name) = body.pointer("/event/name").and_then(Value::as_str) else {
            return Payload::Skip;
        };
        let Some(validator) = self.events.get(name) else {
            return Payload::UnknownEvent;
        };
        match body.pointer("/event/payload").filter(|p| p.is_object()) {
            Some(payload) => Payload::Check(validator, payload),
            None => Payload::Skip,
        }
    }

    fn errors(&self, body: &Value) -> usize {
        let n = self.envelope.iter_errors(body).count();
        n + match self.payload(body) {
            Payload::Skip => 0,
            Payload::UnknownEvent => 1,
            Payload::Check(validator, payload) => validator.iter_errors(payload).count(),
        }
    }

    fn is_valid(&self, body: &Value) -> bool {
        let envelope = self.envelope.is_valid(body);
        let payload = match self.payload(body) {
            Payload::Skip => true,
            Payload::UnknownEvent => false,
            Payload::Check(validator, payload) => validator.is_valid(payload),
        };
        envelope && payload
    }
}

enum Payload<'s, 'v> {
    Skip,
    UnknownEvent,
    Check(&'s jsonschema::Validator, &'v Value),
}

type Method<'a> = (&'static str, Box<dyn Fn(&str) -> bool + 'a>);

pub fn run(corpus: &Path, schemas: &Path, runs: usize, only: &[String]) -> io::Result<ExitCode> {
    let text = std::fs::read_to_string(corpus)?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let alone = Alone::new(schemas)?;
    let validator = proactive_schemas::validator();
    // The text path must say exactly what the value path says, for every body of the corpus.
    let mut proven = 0usize;
    for (i, line) in lines.iter().enumerate() {
        let by_text = validator.validate_str(line).ok();
        let by_value = serde_json::from_str::<Value>(line).ok().map(|v| validator.validate(&v));
        if by_text != by_value {
            return Err(io::Error::other(format!(
                "line {}: validate_str and validate disagree:\n{by_text:?}\n{by_value:?}",
                i + 1
            )));
        }
        proven += usize::from(validator.proves_valid(line, None));
    }
    println!("inproc.proven {proven}");
    let methods: Vec<Method> = vec![
        (
            "proactive",
            Box::new(|line| validator.validate_str(line).is_ok_and(|r| r.is_valid())),
        ),
        ("proof", Box::new(|line| validator.proves_valid(line, None))),
        (
            "proactive_value",
            Box::new(|line| match serde_json::from_str::<Value>(line) {
                Ok(v) => validator.validate(&v).is_valid(),
                Err(_) => false,
            }),
        ),
        ("parse", Box::new(|line| serde_json::from_str::<Value>(line).is_ok())),
        (
            "jsonschema",
            Box::new(|line| match serde_json::from_str::<Value>(line) {
                Ok(v) => alone.errors(&v) == 0,
                Err(_) => false,
            }),
        ),
        (
            "jsonschema_is_valid",
            Box::new(|line| match serde_json::from_str::<Value>(line) {
                Ok(v) => alone.is_valid(&v),
                Err(_) => false,
            }),
        ),
    ];
    let methods: Vec<Method> = methods
        .into_iter()
        .filter(|(name, _)| only.is_empty() || only.iter().any(|o| o == name))
        .collect();
    // Warm-up, untimed: compiles proactive's validators and touches every code path once.
    let warm = &lines[..lines.len().min(2_000)];
    for (_, f) in &methods {
        for line in warm {
            black_box(f(black_box(line)));
        }
    }
    println!("inproc.bodies {}", lines.len());
    for _ in 0..runs {
        for (name, f) in &methods {
            let start = Instant::now();
            let mut accepted = 0usize;
            for line in &lines {
                accepted += usize::from(f(black_box(line)));
            }
            let secs = start.elapsed().as_secs_f64();
            println!("inproc.{name}.rate {:.0}", lines.len() as f64 / secs);
            println!("inproc.{name}.accepted {}", black_box(accepted));
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! BENCHMARKS.md, from the results file of one run of `bench/run.sh`. Nothing here is a
//! number of its own: every figure is computed from the measurements in the results file.

use std::fmt::Write as _;
use std::io;
use std::path::Path;
use std::process::ExitCode;

use crate::corpus::{MUTATIONS, PROACTIVE_ONLY};
use crate::results::{Results, Spread};

fn rate(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2}M/s", x / 1e6)
    } else if x >= 1e4 {
        format!("{:.0}k/s", x / 1e3)
    } else if x >= 1e3 {
        format!("{:.1}k/s", x / 1e3)
    } else {
        format!("{x:.0}/s")
    }
}

fn micros(x: f64) -> String {
    format!("{:.0} µs", x * 1e6)
}

fn secs(x: f64) -> String {
    format!("{x:.2} s")
}

/// `median (min–max)`.
fn spread(s: Spread, f: fn(f64) -> String) -> String {
    if s.min == s.max {
        f(s.median)
    } else {
        format!("{} ({}–{})", f(s.median), f(s.min), f(s.max))
    }
}

fn runs(values: &[f64], f: fn(f64) -> String) -> String {
    values.iter().map(|v| f(*v)).collect::<Vec<_>>().join(", ")
}

fn thousands(n: f64) -> String {
    let s = format!("{n:.0}");
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct Report<'r> {
    r: &'r Results,
    out: String,
}

impl Report<'_> {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn cmd(&mut self, key: &str) {
        for c in self.r.all(&format!("cmd.{key}")) {
            let _ = writeln!(self.out, "    {c}");
        }
    }

    fn skipped(&self, row: &str) -> Option<String> {
        self.r
            .text(&format!("skip.{row}"))
            .map(|why| format!("not measured: {why}"))
    }

    /// Events per second of whole runs: `count` over each wall time.
    fn per_second(&self, count: f64, wall_key: &str) -> Vec<f64> {
        self.r.numbers(wall_key).iter().map(|w| count / w).collect()
    }

    /// CPU seconds per event of whole runs.
    fn cpu_per_event(&self, count: f64, cpu_key: &str) -> Vec<f64> {
        self.r.numbers(cpu_key).iter().map(|c| c / count).collect()
    }
}

pub fn write(results: &Path, out: &Path) -> io::Result<ExitCode> {
    let r = Results::read(results)?;
    let mut rep = Report {
        r: &r,
        out: String::new(),
    };
    let meta = |k: &str| r.text(&format!("meta.{k}")).unwrap_or("?").to_owned();
    let smoke = meta("mode") == "smoke";

    let bodies = r.number("corpus.bodies").unwrap_or(0.0);
    let mb = r.number("corpus.bytes").unwrap_or(0.0) / 1e6;
    let avg = r.number("corpus.bytes").unwrap_or(0.0) / bodies.max(1.0);
    let sends = r.number("send.bodies").unwrap_or(0.0);
    let concurrency = meta("concurrency");
    let structs = r.number("derive.structs").unwrap_or(0.0);

    rep.line("# Benchmarks");
    rep.line("");
    if smoke {
        rep.line("**Smoke run** (tiny sizes, one run each): it shows that every program works, not how fast.");
        rep.line("");
    }
    rep.line(&format!(
        "Measured by `bench/run.sh{}` on {} at commit `{}`{}, in {} min. Rerun with `bench/run.sh` \
         (it builds what it needs, installs the alternatives and rewrites this file); `bench/run.sh --smoke` \
         runs every program at a tiny size and writes elsewhere. [bench/README.md](bench/README.md) \
         says what each row measures.",
        if smoke { " --smoke" } else { "" },
        meta("date"),
        meta("commit"),
        match r.text("meta.dirty") {
            Some(d) if !d.is_empty() => format!(
                " with uncommitted changes to {}",
                d.split(' ').map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            ),
            _ => String::new(),
        },
        meta("minutes"),
    ));
    rep.line("");
    rep.line(&format!(
        "Each row runs both sides on the same input, alternating (A B A B …), {} run(s) each; a cell is the \
         median with the lowest and highest run in brackets, and the ratio is of the medians.",
        meta("runs")
    ));
    rep.line("");
    rep.line(&format!(
        "**Machine:** {} cores ({}), {} MiB of memory; {}; node {}; ajv {} with ajv-formats {}; ask-sdk-core {} \
         and ask-sdk-model {}; {}.",
        meta("nproc"),
        meta("cpu"),
        meta("memory_mib"),
        meta("rustc"),
        meta("node"),
        meta("ajv"),
        meta("ajv_formats"),
        meta("ask_sdk_core"),
        meta("ask_sdk_model"),
        meta("wrk"),
    ));
    rep.line("");
    rep.line(&format!("**Other load:** {}", meta("noise")));
    rep.line("");

    // The summary table.
    let p_validate = Spread::of(&rep.per_second(bodies, "validate.proactive.wall"));
    let a_validate = Spread::of(&rep.per_second(bodies, "validate.ajv.wall"));
    let p_inproc = Spread::of(&r.numbers("inproc.proactive.rate"));
    let parse = Spread::of(&r.numbers("inproc.parse.rate"));
    let alone = Spread::of(&r.numbers("inproc.jsonschema.rate"));
    let p_cpu = Spread::of(&rep.cpu_per_event(sends, "send.proactive.cpu"));
    let n_cpu = Spread::of(&rep.cpu_per_event(sends, "send.node.cpu"));
    let p_send = Spread::of(&rep.per_second(sends, "send.proactive.wall"));
    let n_send = Spread::of(&rep.per_second(sends, "send.node.wall"));
    let wrk = Spread::of(&r.numbers("send.wrk.rate"));
    let derived = Spread::of(&r.numbers("derive.derived.secs"));
    let serde = Spread::of(&r.numbers("derive.serde.secs"));
    let derived_rustc = Spread::of(&r.numbers("derive.derived.rustc_secs"));
    let serde_rustc = Spread::of(&r.numbers("derive.serde.rustc_secs"));

    let cell = |s: Option<Spread>, f: fn(f64) -> String| s.map_or_else(|| "not measured".to_owned(), |s| spread(s, f));
    let ratio = |a: Option<Spread>, b: Option<Spread>| match (a, b) {
        (Some(a), Some(b)) if b.median > 0.0 => format!("{:.2}×", a.median / b.median),
        _ => "–".to_owned(),
    };
    rep.line("| what | proactive | the alternative | ratio |");
    rep.line("|---|---|---|---|");
    rep.line(&format!(
        "| [validate {} mixed bodies ({mb:.1} MB NDJSON), whole process](#1-validate-whole-process) | {} | ajv 8 in Node, all errors: {} | {} |",
        thousands(bodies),
        cell(p_validate, rate),
        cell(a_validate, rate),
        ratio(p_validate, a_validate),
    ));
    rep.line(&format!(
        "| [validate, one thread (parse + validate)](#2-and-3-validate-one-thread) | {} | `serde_json` parse only: {} | {} |",
        cell(p_inproc, rate),
        cell(parse, rate),
        ratio(p_inproc, parse),
    ));
    rep.line(&format!(
        "| [validate, one thread (parse + validate)](#2-and-3-validate-one-thread) | {} | the `jsonschema` crate alone, same schemas, all errors: {} | {} |",
        cell(p_inproc, rate),
        cell(alone, rate),
        ratio(p_inproc, alone),
    ));
    rep.line(&format!(
        "| [send {} events to the emulator, {concurrency} in flight: CPU per event, events/s](#4-and-5-send) | {}, {} | Amazon's Node client: {}, {} | {} less CPU |",
        thousands(sends),
        cell(p_cpu, micros),
        cell(p_send, rate),
        cell(n_cpu, micros),
        cell(n_send, rate),
        ratio(n_cpu, p_cpu),
    ));
    let wrk_cell = rep
        .skipped("wrk")
        .unwrap_or_else(|| format!("`wrk` posting prebuilt bodies (2xx only): {}", cell(wrk, rate)));
    rep.line(&format!(
        "| [the same send, wall throughput](#4-and-5-send) | {} | {wrk_cell} | {} |",
        cell(p_send, rate),
        ratio(p_send, wrk),
    ));
    rep.line(&format!(
        "| [{} `#[derive(Event)]` structs vs {} `serde::Serialize` structs, full crate compile](#6-derive-compile) | {} | {} | {} |",
        structs,
        structs,
        cell(derived, secs),
        cell(serde, secs),
        ratio(derived, serde),
    ));
    rep.line(&format!(
        "| [the same, the compiler's run alone (cargo's start and checks left out)](#6-derive-compile) | {} | {} | {} |",
        cell(derived_rustc, secs),
        cell(serde_rustc, secs),
        ratio(derived_rustc, serde_rustc),
    ));
    rep.line("");

    // 1. Whole-process validation and the verdict agreement.
    rep.line("## 1. Validate, whole process");
    rep.line("");
    rep.line(&format!(
        "The corpus: {} bodies, {mb:.1} MB, {avg:.0} bytes on average, one per line, made by \
         `proactive-bench corpus --seed {}` from the eight `examples/*.json` (each with its own reference id, \
         timestamps, audience and localized texts); {} of them broken on purpose in one or two ways (the \
         table below). `proactive validate` uses every core; the ajv script ([bench/node/validate.js](bench/node/validate.js)) \
         is one Node process: `Ajv2020` with `ajv-formats`, `allErrors: true`, `strict: false`, compiling \
         `schemas/envelope.json` and each `schemas/AMAZON.*.json`, checking each body's envelope and, for a known \
         event name, its payload against that event's schema (an unknown name is an error, as in proactive). \
         Both print one line per error. Wall time of the whole process, from start to exit, file reading \
         and schema compilation included.",
        thousands(bodies),
        r.text("corpus.seed").unwrap_or("?"),
        thousands(r.number("corpus.broken").unwrap_or(0.0)),
    ));
    rep.line("");
    rep.cmd("validate");
    rep.line("");
    let pw = r.numbers("validate.proactive.wall");
    let aw = r.numbers("validate.ajv.wall");
    rep.line("| | proactive | ajv |");
    rep.line("|---|---|---|");
    rep.line(&format!(
        "| wall, each run | {} | {} |",
        runs(&pw, secs),
        runs(&aw, secs)
    ));
    rep.line(&format!(
        "| CPU (user + system), each run | {} | {} |",
        runs(&r.numbers("validate.proactive.cpu"), secs),
        runs(&r.numbers("validate.ajv.cpu"), secs)
    ));
    rep.line(&format!(
        "| bodies per second, median | {} | {} |",
        cell(p_validate, rate),
        cell(a_validate, rate)
    ));
    rep.line("");

    rep.line("### Verdict agreement");
    rep.line("");
    let n = |k: &str| r.number(&format!("agree.{k}")).unwrap_or(0.0);
    rep.line(&format!(
        "Of {} bodies, both accept {} and both reject {}. proactive rejects {} that ajv accepts, each only \
         for what JSON Schema cannot express; ajv rejects {} that proactive accepts; other disagreements: {} \
         (the run fails on any). The kinds, from proactive's errors on those bodies:",
        thousands(n("bodies")),
        thousands(n("both_valid")),
        thousands(n("both_invalid")),
        thousands(
            r.keys_with("agree.beyond_schema.")
                .iter()
                .filter_map(|k| r.number(k))
                .sum::<f64>()
        ),
        thousands(n("ajv_rejects_proactive_accepts")),
        thousands(n("unexplained") + n("cli_vs_library")),
    ));
    rep.line("");
    rep.line("| accepted by ajv, rejected by proactive for | bodies |");
    rep.line("|---|---|");
    for key in r.keys_with("agree.beyond_schema.") {
        let kind = key.trim_start_matches("agree.beyond_schema.").replace('_', " ");
        rep.line(&format!("| {kind} | {} |", thousands(r.number(key).unwrap_or(0.0))));
    }
    rep.line("");
    rep.line(&format!(
        "How the corpus was broken, and who rejected it (ajv cannot see the last {} kinds):",
        PROACTIVE_ONLY.len()
    ));
    rep.line("");
    rep.line("| broken by | bodies | rejected by proactive | rejected by ajv |");
    rep.line("|---|---|---|---|");
    let mut labels: Vec<String> = vec!["valid".to_owned()];
    labels.extend(MUTATIONS.iter().map(|m| (*m).to_owned()));
    labels.push("two_ways".to_owned());
    for label in labels {
        if let Some(v) = r.text(&format!("label.{label}")) {
            let f: Vec<&str> = v.split(' ').collect();
            if let [b, p, a] = f.as_slice() {
                let name = match label.as_str() {
                    "valid" => "nothing (valid)".to_owned(),
                    "two_ways" => "two of the ways above".to_owned(),
                    other => other.replace('_', " "),
                };
                let n = |x: &str| x.parse().map_or_else(|_| x.to_owned(), thousands);
                rep.line(&format!("| {name} | {} | {} | {} |", n(b), n(p), n(a)));
            }
        }
    }
    rep.line("");

    // 2 and 3.
    rep.line("## 2 and 3. Validate, one thread");
    rep.line("");
    rep.line(&format!(
        "`proactive-bench inproc` ([bench/rust/src/inproc.rs](bench/rust/src/inproc.rs)), in one thread, on the \
         same corpus ({} bodies) held in memory, each line as text: every method starts from the text, so \
         *validate* means parse + validate. `proactive` is `validator().validate_str(line)`, the call for bodies \
         that arrive as text, which returns the whole report: a valid body is proven so from its text without \
         building a `serde_json::Value` (`proves_valid`), a body whose only findings are its expiry window or \
         locales is reported from the proof's walk, a payload the proof walked (or an unknown event's) gets \
         no `Value` unless a finding points into it, and anything else is parsed into a `Value` and validated in \
         full (every error with its pointer, message and suggestion). `proof` is that proof alone (a yes or \
         \"don't know\"); `proactive value` is `serde_json::from_str::<Value>` then `validate(&value)`, the path \
         for bodies that are values already. `parse` is `serde_json::from_str::<Value>` only; `jsonschema` parses \
         the same way, then runs the `jsonschema` crate's validators of `schemas/envelope.json` and of the \
         event's schema on `/event/payload` (draft 2020-12, formats checked; an unknown event name is an error, \
         as in proactive and the ajv script) and collects every error (`iter_errors`, as ajv's `allErrors`); \
         `jsonschema is_valid` asks only yes or no. Before timing, the run checks that `validate_str` returns, \
         for every line, exactly the report `validate` returns for the parsed line ({} of {} were proven \
         valid from the text).",
        thousands(r.number("inproc.bodies").unwrap_or(0.0)),
        r.number("inproc.proven").map_or_else(|| "?".to_owned(), thousands),
        thousands(r.number("inproc.bodies").unwrap_or(0.0)),
    ));
    rep.line("");
    rep.cmd("inproc");
    rep.line("");
    rep.line("| method | bodies per second, median (lowest–highest) | each run | accepted |");
    rep.line("|---|---|---|---|");
    for m in [
        "proactive",
        "proof",
        "proactive_value",
        "parse",
        "jsonschema",
        "jsonschema_is_valid",
    ] {
        let v = r.numbers(&format!("inproc.{m}.rate"));
        rep.line(&format!(
            "| {} | {} | {} | {} |",
            m.replace('_', " "),
            cell(Spread::of(&v), rate),
            runs(&v, rate),
            r.number(&format!("inproc.{m}.accepted"))
                .map_or_else(|| "?".to_owned(), thousands),
        ));
    }
    rep.line("");
    rep.line(&format!(
        "(*accepted* counts the bodies each method found valid, as a check that they did the work: \
         `parse` accepts every line that is JSON, and the same bodies went through ajv in row 1, which \
         accepted {} of them, and `proactive validate`, which accepted {}.)",
        r.number("agree.ajv_accepts").map_or_else(|| "?".to_owned(), thousands),
        r.number("agree.proactive_accepts")
            .map_or_else(|| "?".to_owned(), thousands),
    ));
    rep.line("");

    // 4 and 5.
    rep.line("## 4 and 5. Send");
    rep.line("");
    rep.line(&format!(
        "{} valid bodies (`proactive-bench send-corpus`, stamped at the start of this section, expiring an hour \
         later, each with its own reference id; {:.0} bytes on average) sent to `proactive emulator` on the same \
         machine, {concurrency} in flight, to `/v1/proactiveEvents/stages/development`. A fresh emulator for every run \
         (so reference ids never repeat and it starts empty); a run counts only if the emulator then lists all \
         {} events as accepted. CPU is user + system of the whole sending process (bash's `times` for it, to the \
         millisecond), per event; throughput is events over the process's wall time. The emulator's own CPU per event during each \
         run is given for context.",
        thousands(sends),
        r.number("send.bytes").unwrap_or(0.0) / sends.max(1.0),
        thousands(sends),
    ));
    rep.line("");
    rep.cmd("send");
    rep.line("");
    let pc = rep.cpu_per_event(sends, "send.proactive.cpu");
    let nc = rep.cpu_per_event(sends, "send.node.cpu");
    let ps = rep.per_second(sends, "send.proactive.wall");
    let ns = rep.per_second(sends, "send.node.wall");
    rep.line("| | proactive send | ask-sdk-model (Node) |");
    rep.line("|---|---|---|");
    rep.line(&format!(
        "| CPU per event, each run | {} | {} |",
        runs(&pc, micros),
        runs(&nc, micros)
    ));
    rep.line(&format!(
        "| events per second, each run | {} | {} |",
        runs(&ps, rate),
        runs(&ns, rate)
    ));
    rep.line(&format!(
        "| the emulator's CPU per event, each run | {} | {} |",
        runs(&rep.cpu_per_event(sends, "send.proactive.emulator_cpu"), micros),
        runs(&rep.cpu_per_event(sends, "send.node.emulator_cpu"), micros),
    ));
    rep.line(&format!(
        "| accepted by the emulator, each run | {} | {} |",
        r.all("send.proactive.accepted").join(", "),
        r.all("send.node.accepted").join(", "),
    ));
    let loop_cpu = rep.cpu_per_event(sends, "send.node.loop_cpu");
    let loop_rate = rep.per_second(sends, "send.node.loop_wall");
    rep.line(&format!(
        "| Node: only the sending loop (`process.cpuUsage()`, no start-up), each run | | {}; {} |",
        runs(&loop_cpu, micros),
        runs(&loop_rate, rate),
    ));
    rep.line("");
    match rep.skipped("wrk") {
        Some(why) => rep.line(&format!("`wrk`: {why}.")),
        None => {
            rep.line(&format!(
                "`wrk` ([bench/wrk-post.lua](bench/wrk-post.lua)), 2 threads, {concurrency} connections, {} s per \
                 run, posts the same bodies, cycling through them, each with a fresh referenceId (the emulator \
                 answers 409 to a repeat) and `Authorization: Bearer` with a token taken from the emulator's token \
                 endpoint first. Only 2xx answers count.",
                meta("wrk_seconds"),
            ));
            rep.line("");
            rep.line("| wrk | each run |");
            rep.line("|---|---|");
            rep.line(&format!(
                "| 2xx per second | {} |",
                runs(&r.numbers("send.wrk.rate"), rate)
            ));
            rep.line(&format!("| requests | {} |", r.all("send.wrk.requests").join(", ")));
            rep.line(&format!(
                "| not 2xx, or errors | {} |",
                r.all("send.wrk.non2xx").join(", ")
            ));
            rep.line(&format!(
                "| the emulator's CPU per request | {} |",
                runs(&r.numbers("send.wrk.emulator_cpu_per_request"), micros)
            ));
        }
    }
    rep.line("");

    // 6.
    rep.line("## 6. Derive compile");
    rep.line("");
    rep.line(&format!(
        "Two crates made by [bench/derive.sh](bench/derive.sh) (with the struct generator \
         `scripts/bench-derive-compile.sh` had; that script now runs bench/derive.sh): {structs} structs with `#[derive(Event)]` (and their \
         `#[proactive(…)]` attributes), and the same {structs} structs with plain field types and \
         `#[derive(serde::Serialize)]` only. Dev profile, `CARGO_INCREMENTAL=0`, dependencies built once \
         beforehand; each timed run touches `src/lib.rs` and runs `cargo build`, which compiles that crate \
         alone, from scratch. Each run gives the wall time of that `cargo build`, which includes cargo's own \
         start and checks (a `cargo build` with nothing to do takes {}), and of the compiler's run on the \
         crate alone, timed by [bench/rustc-timer.sh](bench/rustc-timer.sh) as `RUSTC_WRAPPER`.",
        cell(Spread::of(&r.numbers("derive.noop.secs")), secs),
    ));
    rep.line("");
    rep.cmd("derive");
    rep.line("");
    rep.line("| crate | `cargo build`, each run | the compiler alone, each run |");
    rep.line("|---|---|---|");
    rep.line(&format!(
        "| {structs} × `#[derive(Event)]` | {} | {} |",
        runs(&r.numbers("derive.derived.secs"), secs),
        runs(&r.numbers("derive.derived.rustc_secs"), secs)
    ));
    rep.line(&format!(
        "| {structs} × `#[derive(Serialize)]` | {} | {} |",
        runs(&r.numbers("derive.serde.secs"), secs),
        runs(&r.numbers("derive.serde.rustc_secs"), secs)
    ));
    rep.line("");

    std::fs::write(out, rep.out)?;
    Ok(ExitCode::SUCCESS)
}

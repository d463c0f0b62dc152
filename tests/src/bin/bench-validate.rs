//! Throughput of `proactive validate --ndjson` beside plain `serde_json` parsing of the same file.
//!
//! Run on demand (not a test):
//!
//! ```sh
//! cargo build --release -p proactive-cli -p proactive-tests
//! target/release/bench-validate [EVENTS]      # default 100000
//! ```
//!
//! It writes a corpus of EVENTS requests (the examples, round-robin, each with its own reference
//! id, one in ten made invalid) to a temporary NDJSON file, then times, best of 3:
//! 1. parsing every line into a `serde_json::Value` (the floor any validator pays);
//! 2. parsing and validating every line in-process with `proactive_schemas::validate`;
//! 3. the `proactive validate --ndjson FILE` binary end to end (output to /dev/null).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn best_of<F: FnMut() -> usize>(runs: usize, mut f: F) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut result = 0;
    for _ in 0..runs {
        let start = Instant::now();
        result = f();
        best = best.min(start.elapsed());
    }
    (best, result)
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let examples = proactive_tests::examples();
    let path = std::env::temp_dir().join(format!("proactive-bench-{}.ndjson", std::process::id()));
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create corpus"));
        for i in 0..n {
            let mut body = examples[i % examples.len()].1.clone();
            body["referenceId"] = format!("bench-{i}").into();
            if i % 10 == 9 {
                body["expiryTime"] = body["timestamp"].clone();
            }
            writeln!(out, "{body}").expect("write corpus");
        }
    }
    let bytes = std::fs::read(&path).expect("read corpus");
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    println!(
        "corpus: {} events, {:.1} MiB, {}",
        lines.len(),
        bytes.len() as f64 / 1048576.0,
        path.display()
    );

    let (parse, _) = best_of(3, || {
        lines
            .iter()
            .filter(|l| serde_json::from_slice::<serde_json::Value>(l).is_ok())
            .count()
    });
    let (validate, invalid) = best_of(3, || {
        lines
            .iter()
            .filter(|l| {
                let v: serde_json::Value = serde_json::from_slice(l).expect("corpus is JSON");
                !proactive_schemas::validate(&v).is_valid()
            })
            .count()
    });
    assert_eq!(invalid, n / 10, "one in ten events is invalid");

    let exe = std::env::current_exe()
        .expect("current exe")
        .with_file_name("proactive");
    let cli = exe.exists().then(|| {
        best_of(3, || {
            let status = Command::new(&exe)
                .args(["validate", "--ndjson"])
                .arg(&path)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run proactive");
            assert_eq!(status.code(), Some(1), "the corpus holds invalid events");
            0
        })
        .0
    });
    std::fs::remove_file(&path).ok();

    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!("{:<46} {:>10} {:>14}", "what (best of 3)", "seconds", "events/s");
    println!(
        "{:<46} {:>10.3} {:>14.0}",
        "serde_json::from_slice -> Value",
        parse.as_secs_f64(),
        rate(parse)
    );
    println!(
        "{:<46} {:>10.3} {:>14.0}",
        "parse + proactive_schemas::validate",
        validate.as_secs_f64(),
        rate(validate)
    );
    match cli {
        Some(d) => println!(
            "{:<46} {:>10.3} {:>14.0}",
            "proactive validate --ndjson (process)",
            d.as_secs_f64(),
            rate(d)
        ),
        None => println!(
            "(build `proactive` in the same profile to time the binary: {})",
            exe.display()
        ),
    }
}

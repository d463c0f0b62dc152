//! The `proactive` binary: exit codes, one line per problem with file, line and pointer.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The crate's directory: `requests/` holds the example bodies, `tests/fixtures/` the fixtures
/// (links into the workspace, copied into a packaged crate).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn proactive(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_proactive"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_proactive"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit (usage error) before reading standard input: a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn example(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("requests").join(name)).unwrap()).unwrap()
}

#[test]
fn validate_examples_exits_0() {
    let files: Vec<String> = std::fs::read_dir(root().join("requests"))
        .unwrap()
        .map(|e| format!("requests/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".json"))
        .collect();
    let args: Vec<&str> = std::iter::once("validate")
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = proactive(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    // Valid, and long expired (the examples are dated 2026-11-20): each gets the one warning
    // that `send` would refuse it.
    let text = stdout(&out);
    assert_eq!(text.lines().count(), files.len(), "{text}");
    for line in text.lines() {
        assert!(
            line.ends_with(
                "warning: /expiryTime: the expiry time has already passed; `proactive send` refuses it \
                 (`send --restamp` moves the window to now)"
            ),
            "{line}"
        );
    }
}

/// Thousands of lines, streamed through every core in batches: the output lists every problem in
/// input order, with the right line numbers, exactly as line-by-line checking would.
#[test]
fn a_large_ndjson_input_is_reported_in_input_order() {
    let good = example("AMAZON.WeatherAlert.Activated.json");
    let mut input = String::new();
    let mut expected = Vec::new();
    for i in 0..5_000usize {
        if i % 7 == 3 {
            let mut bad = good.clone();
            bad["referenceId"] = format!("bad id {i}").into();
            input.push_str(&format!("{bad}\n"));
            expected.push(format!("<stdin>:{}: error: /referenceId: ", i + 1 + i / 1000));
        } else {
            input.push_str(&format!("{good}\n"));
        }
        if i % 1000 == 999 {
            input.push_str("   \n"); // a blank line still counts as a line
        }
    }
    let out = with_stdin(&["validate", "--ndjson", "--quiet", "-"], &input);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{text}");
    for (line, prefix) in lines.iter().zip(&expected) {
        assert!(line.starts_with(prefix.as_str()), "{line} should start with {prefix}");
    }
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains(&format!(
            "5000 request(s) checked: {} valid, {} invalid",
            5000 - expected.len(),
            expected.len()
        )),
        "{summary}"
    );
}

#[test]
fn ndjson_reports_line_and_pointer_and_exits_1() {
    let good = example("AMAZON.WeatherAlert.Activated.json");
    let mut bad = good.clone();
    bad["referenceId"] = "no spaces allowed".into();
    let input = format!("{good}\n\n{bad}\n{{\"truncated\": \n");
    let out = with_stdin(&["validate", "--ndjson", "-"], &input);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("<stdin>:3: error: /referenceId: "), "{text}");
    // FILE:LINE:COLUMN, and the reason in words.
    assert_eq!(
        lines[1], "<stdin>:4:14: error: invalid JSON: the text ends before the JSON value is complete",
        "{text}"
    );
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains("3 request(s) checked: 1 valid, 2 invalid"),
        "{summary}"
    );
}

#[test]
fn malformed_json_file_gives_line_and_column() {
    let dir = std::env::temp_dir().join(format!("proactive-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.json");
    std::fs::write(&file, "{\n  \"timestamp\": \"x\",\n  oops\n}\n").unwrap();
    let out = proactive(&["validate", file.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("broken.json:3:3: error: invalid JSON: expected an object key in double quotes"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn io_and_usage_errors_exit_2() {
    let out = proactive(&["validate", "does/not/exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does/not/exist.json"));
    assert_eq!(proactive(&["validate"]).status.code(), Some(2));
    assert_eq!(proactive(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn preview_prints_each_locale_or_the_chosen_one() {
    let out = proactive(&["preview", "requests/AMAZON.WeatherAlert.Activated.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "en-US: There is a tornado alert for your area. Provided by Example Weather Corp.\n\
         de-DE: [English template] There is a tornado alert for your area. Provided by Beispiel Wetterdienst.\n"
    );
    let out = proactive(&[
        "preview",
        "requests/AMAZON.WeatherAlert.Activated.json",
        "--locale",
        "de-DE",
    ]);
    assert_eq!(
        stdout(&out),
        "[English template] There is a tornado alert for your area. Provided by Beispiel Wetterdienst.\n"
    );
    let out = proactive(&[
        "preview",
        "requests/AMAZON.WeatherAlert.Activated.json",
        "--locale",
        "fr-FR",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn preview_refuses_invalid_requests() {
    let mut bad = example("AMAZON.WeatherAlert.Activated.json");
    bad["event"]["payload"]["weatherAlert"]["alertType"] = "BLIZZARD".into();
    let out = with_stdin(&["preview", "-"], &bad.to_string());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/event/payload/weatherAlert/alertType"));
}

#[test]
fn schemas_lists_every_event_with_its_templates() {
    let out = proactive(&["schemas"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for meta in proactive_schemas::EVENTS {
        assert!(text.contains(meta.name), "{}", meta.name);
    }
    assert!(
        text.contains("says: There is a {weatherAlert.alertType} alert for your area."),
        "{text}"
    );
}

#[test]
fn demo_runs() {
    let out = proactive(&["demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("unknown property `alertTyp` (did you mean `alertType`?)"),
        "{text}"
    );
    assert!(text.contains("token requests: 1"), "{text}");
    assert!(text.contains("0 failed"), "{text}");
}

/// `proactive emulator` in a child process, killed on drop.
struct EmulatorProcess {
    child: std::process::Child,
    url: String,
}

impl EmulatorProcess {
    fn start() -> Self {
        Self::start_with(&[
            "--port",
            "0",
            "--client-id",
            "cli-test-id",
            "--client-secret",
            "cli-test-secret",
        ])
    }

    fn start_with(args: &[&str]) -> Self {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_proactive"))
            .arg("emulator")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        EmulatorProcess { child, url }
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fresh(name: &str, id: &str) -> serde_json::Value {
    let mut body = example(name);
    let now = proactive_schemas::DateTime::now();
    body["timestamp"] = now.as_str().into();
    body["expiryTime"] = now
        .checked_add(proactive_schemas::jiff::SignedDuration::from_hours(2))
        .unwrap()
        .as_str()
        .into();
    body["referenceId"] = id.into();
    body
}

fn send(args: &[&str], input: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_proactive"));
    cmd.arg("send")
        .args(args)
        .current_dir(root())
        .env_remove("ALEXA_CLIENT_ID")
        .env_remove("ALEXA_CLIENT_SECRET");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit (usage error) before reading standard input: a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

#[test]
fn send_to_the_emulator_reports_each_request() {
    let emulator = EmulatorProcess::start();
    let creds = [
        ("ALEXA_CLIENT_ID", "cli-test-id"),
        ("ALEXA_CLIENT_SECRET", "cli-test-secret"),
    ];
    let endpoints = [
        "--api-endpoint",
        emulator.url.as_str(),
        "--auth-endpoint",
        emulator.url.as_str(),
    ];

    let good = fresh("AMAZON.WeatherAlert.Activated.json", "cli-1");
    let other = fresh("AMAZON.TrashCollectionAlert.Activated.json", "cli-2");
    let mut bad = fresh("AMAZON.WeatherAlert.Activated.json", "cli-3");
    bad["event"]["payload"]["weatherAlert"]["alertType"] = "BLIZZARD".into();

    let mut args: Vec<&str> = endpoints.to_vec();
    args.extend(["--ndjson", "-"]);
    let out = send(&args, &format!("{good}\n{other}\n"), &creds);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 request(s): 2 accepted, 0 not accepted"));

    // Sending the same again: 409 on the first attempt is a rejection. The invalid one is not sent.
    let out = send(&args, &format!("{good}\n{bad}\n"), &creds);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("<stdin>:1: error: rejected: HTTP 409"), "{text}");
    assert!(
        text.contains("<stdin>:2: error: /event/payload/weatherAlert/alertType"),
        "{text}"
    );

    // The emulator's own record: two accepted.
    assert_eq!(accepted_by(&emulator).len(), 2);
}

/// The reference ids the emulator accepted, in order.
fn accepted_by(emulator: &EmulatorProcess) -> Vec<String> {
    let addr = emulator.url.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /emulator/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    let events: Vec<serde_json::Value> = serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    events
        .iter()
        .map(|e| e["referenceId"].as_str().unwrap().to_owned())
        .collect()
}

/// A journaled send of 20,000 requests killed at three points and run again each time: in the
/// end the emulator accepted each request exactly once, and the last run says so.
#[test]
fn a_journaled_send_killed_and_run_again_sends_each_request_once() {
    let emulator = EmulatorProcess::start();
    let dir = std::env::temp_dir().join(format!("proactive-journal-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (input, journal) = (dir.join("requests.ndjson"), dir.join("sent.journal"));
    let names = [
        "AMAZON.WeatherAlert.Activated.json",
        "AMAZON.TrashCollectionAlert.Activated.json",
        "AMAZON.MessageAlert.Activated.json",
    ];
    let templates: Vec<serde_json::Value> = names.iter().map(|n| fresh(n, "x")).collect();
    let mut text = String::new();
    for i in 0..20_000 {
        let mut body = templates[i % templates.len()].clone();
        body["referenceId"] = format!("journal-{i}").into();
        text.push_str(&format!("{body}\n"));
    }
    std::fs::write(&input, text).unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_proactive"))
            .args(["send", "--ndjson", "--concurrency", "32", "--journal"])
            .arg(&journal)
            .args(["--api-endpoint", &emulator.url, "--auth-endpoint", &emulator.url])
            .arg(&input)
            .env("ALEXA_CLIENT_ID", "cli-test-id")
            .env("ALEXA_CLIENT_SECRET", "cli-test-secret")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let journaled = || std::fs::read_to_string(&journal).map_or(0, |t| t.lines().count());
    // Stopped (SIGKILL) once the journal holds at least this many ids: three different points.
    for point in [2_000, 9_000, 15_000] {
        let mut child = run();
        while journaled() < point && child.try_wait().unwrap().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    let out = run().wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{}{stderr}", stdout(&out));
    assert!(stderr.contains("20000 request(s): 20000 accepted ("), "{stderr}");

    let accepted = accepted_by(&emulator);
    let unique: std::collections::BTreeSet<&String> = accepted.iter().collect();
    assert_eq!(unique.len(), 20_000, "every request accepted");
    assert_eq!(accepted.len(), 20_000, "none accepted twice");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn send_usage_errors_exit_2() {
    let body = fresh("AMAZON.WeatherAlert.Activated.json", "u-1").to_string();
    let out = send(&["-"], &body, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ALEXA_CLIENT_ID"));
    let creds = [("ALEXA_CLIENT_ID", "a"), ("ALEXA_CLIENT_SECRET", "b")];
    let out = send(&["--api-endpoint", "http://192.0.2.1", "-"], &body, &creds);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing plain http://"));
    let out = send(&["--region", "mars", "-"], &body, &creds);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn manifest_lists_known_events_and_refuses_unknown_ones() {
    let out = proactive(&[
        "manifest",
        "AMAZON.WeatherAlert.Activated",
        "AMAZON.OrderStatus.Updated",
        "AMAZON.WeatherAlert.Activated",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let manifest: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        manifest["manifest"]["events"]["publications"],
        serde_json::json!([{"eventName": "AMAZON.WeatherAlert.Activated"}, {"eventName": "AMAZON.OrderStatus.Updated"}])
    );
    assert_eq!(
        manifest["manifest"]["permissions"][0]["name"],
        "alexa::devices:all:notifications:write"
    );
    assert_eq!(
        manifest["manifest"]["events"]["subscriptions"][0]["eventName"],
        "SKILL_PROACTIVE_SUBSCRIPTION_CHANGED"
    );
    assert!(manifest["manifest"]["events"]["endpoint"]["uri"].is_string());

    let out = proactive(&["manifest", "AMAZON.WeatherAlert.Activate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `AMAZON.WeatherAlert.Activated`?"));
}

#[test]
fn codegen_subcommand_reports_file_and_pointer() {
    let out = proactive(&[
        "codegen",
        "--schemas",
        "tests/fixtures/codegen/bad-enum",
        "--out",
        "/dev/null",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("AMAZON.Bad.Enum.json#/properties/thing/properties/level/enum/1"),
        "{stderr}"
    );
    let target = std::env::temp_dir().join(format!("proactive-cli-codegen-{}.rs", std::process::id()));
    let out = proactive(&[
        "codegen",
        "--schemas",
        "tests/fixtures/codegen/ok",
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let code = std::fs::read_to_string(&target).unwrap();
    std::fs::remove_file(&target).ok();
    assert!(code.contains("pub mod test_example"));
}

/// Reads one HTTP/1.1 request from a stream: its headers (lowercased names) and its body.
fn read_request(stream: &mut std::net::TcpStream) -> (Vec<(String, String)>, Vec<u8>) {
    use std::io::Read;
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "connection closed early");
        data.extend_from_slice(&buf[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "connection closed early");
        data.extend_from_slice(&buf[..n]);
    }
    (headers, data[head_end..head_end + length].to_vec())
}

#[test]
fn emulator_delivers_signed_subscription_changes_to_a_skill_endpoint() {
    use std::io::Write;
    let skill = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let skill_url = format!("http://{}/", skill.local_addr().unwrap());
    let root_file = std::env::temp_dir().join(format!("proactive-cli-root-{}.pem", std::process::id()));
    let emulator = EmulatorProcess::start_with(&[
        "--skill-endpoint",
        &skill_url,
        "--skill-id",
        "amzn1.ask.skill.cli",
        "--root-ca-out",
        root_file.to_str().unwrap(),
    ]);

    // The skill: answers one request as Alexa expects and hands it to the test.
    let received = std::thread::spawn(move || {
        let (mut stream, _) = skill.accept().unwrap();
        let request = read_request(&mut stream);
        let body = r#"{"version":"1.0","response":{}}"#;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        request
    });
    let addr = emulator.url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let update = r#"{"events": ["AMAZON.WeatherAlert.Activated"]}"#;
    write!(
        stream,
        "POST /emulator/users/amzn1.ask.account.CLI/subscriptions HTTP/1.1\r\nhost: {addr}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{update}",
        update.len()
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    assert!(answer.contains(r#""delivered":true"#), "{answer}");

    let (headers, body) = received.join().unwrap();
    let event: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        event["context"]["System"]["application"]["applicationId"],
        "amzn1.ask.skill.cli"
    );
    let mut map = http::HeaderMap::new();
    for (k, v) in &headers {
        map.append(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            http::HeaderValue::from_str(v).unwrap(),
        );
    }
    let chain_url = format!("{}/emulator/echo-api-cert.pem", emulator.url);
    assert_eq!(map["signaturecertchainurl"], chain_url.as_str());

    // Verified as a skill verifies Alexa's requests, trusting the root the emulator wrote out.
    let root = std::fs::read_to_string(&root_file).unwrap();
    let verifier = proactive_skill::verify::Verifier::builder("amzn1.ask.skill.cli")
        .trust_emulator(&root, &chain_url)
        .unwrap()
        .build();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let verified = runtime.block_on(verifier.verify(&map, &body));
    assert_eq!(verified.unwrap(), event);
    // Another skill id is refused.
    let other = proactive_skill::verify::Verifier::builder("amzn1.ask.skill.other")
        .trust_emulator(&root, &chain_url)
        .unwrap()
        .build();
    assert!(runtime.block_on(other.verify(&map, &body)).is_err());
    let _ = std::fs::remove_file(&root_file);
}

/// A server that grants tokens and drops every event request after reading it: each send's
/// answer is lost, so its outcome is unknown.
fn answer_lost_server() -> String {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (headers, _) = read_request(&mut stream);
            let form = headers
                .iter()
                .any(|(k, v)| k == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
            if form {
                let body = r#"{"access_token":"Atc|lost","expires_in":3600,"token_type":"bearer"}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
            }
        }
    });
    url
}

#[test]
fn send_reports_unknown_outcomes_as_safe_to_resend_and_exits_3() {
    let server = answer_lost_server();
    let creds = [("ALEXA_CLIENT_ID", "a"), ("ALEXA_CLIENT_SECRET", "b")];
    let body = fresh("AMAZON.WeatherAlert.Activated.json", "lost-1").to_string();
    let args = [
        "--max-attempts",
        "2",
        "--deadline",
        "5",
        "--api-endpoint",
        &server,
        "--auth-endpoint",
        &server,
        "-",
    ];
    let out = send(&args, &body, &creds);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{}{stderr}", stdout(&out));
    assert!(
        stderr.contains("1 request(s): 0 accepted, 0 not accepted (listed above), 1 outcome unknown (safe to resend)"),
        "{stderr}"
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("<stdin>: warning: outcome unknown after 2 attempt(s)"),
        "{text}"
    );

    // The flags are checked: at least one attempt, a deadline of at least a second.
    for bad in [["--max-attempts", "0"], ["--deadline", "0"], ["--deadline", "soon"]] {
        let out = send(&[bad[0], bad[1], "-"], &body, &creds);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    let help = proactive(&["send", "--help"]);
    assert!(stdout(&help).contains("3 when none of those but some outcomes are unknown"));
}

#[test]
fn the_shipped_examples_are_refused_as_expired_and_sent_with_restamp() {
    // The README's sending example, as written: the emulator's default credentials.
    let emulator = EmulatorProcess::start_with(&["--port", "0"]);
    let creds = [
        ("ALEXA_CLIENT_ID", "amzn1.application-oa2-client.emulator"),
        ("ALEXA_CLIENT_SECRET", "emulator-secret"),
    ];
    let files: Vec<String> = std::fs::read_dir(root().join("requests"))
        .unwrap()
        .map(|e| format!("requests/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".json"))
        .collect();
    let mut args = vec!["--api-endpoint", &emulator.url, "--auth-endpoint", &emulator.url];
    args.extend(files.iter().map(String::as_str));

    // Without --restamp: every example is expired (they are dated 2026-11-20), none is sent.
    let out = send(&args, "", &creds);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_eq!(
        text.matches("error: /expiryTime: the expiry time has already passed")
            .count(),
        files.len(),
        "{text}"
    );

    // With it: timestamps move to now, windows kept, all accepted.
    args.insert(0, "--restamp");
    let out = send(&args, "", &creds);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{}{summary}", stdout(&out));
    assert!(
        summary.contains(&format!("{0} request(s): {0} accepted", files.len())),
        "{summary}"
    );
}

#[test]
fn emulator_shares_must_lie_between_0_and_1() {
    for flag in ["--error-rate", "--drop-rate"] {
        for bad in ["2", "-0.1", "half"] {
            let out = proactive(&["emulator", &format!("{flag}={bad}")]);
            assert_eq!(out.status.code(), Some(2), "{flag} {bad}");
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("is not a share from 0 to 1"),
                "{flag} {bad}"
            );
        }
    }
}

#[test]
fn demo_examples_must_exist_and_hold_requests() {
    let out = proactive(&["demo", "--examples", "does/not/exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--examples does/not/exist"));
    let empty = std::env::temp_dir().join(format!("proactive-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let out = proactive(&["demo", "--examples", empty.to_str().unwrap()]);
    std::fs::remove_dir_all(&empty).ok();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no *.json request bodies there"));
}

#[test]
fn demo_counts_what_it_did_not_send_as_not_sent() {
    let dir = std::env::temp_dir().join(format!("proactive-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bad = example("AMAZON.WeatherAlert.Activated.json");
    bad["event"]["payload"]["weatherAlert"]["alertType"] = "BLIZZARD".into();
    std::fs::write(dir.join("bad.json"), bad.to_string()).unwrap();
    std::fs::write(
        dir.join("good.json"),
        example("AMAZON.TrashCollectionAlert.Activated.json").to_string(),
    )
    .unwrap();
    let out = proactive(&["demo", "--examples", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // The derived struct's request and good.json were sent; bad.json never left.
    assert!(text.contains("2 sent, 2 accepted, 0 failed, 1 not sent"), "{text}");
    // Step 2 shows the struct next to the JSON it became.
    assert!(text.contains("struct StormWarning {") && text.contains("\"alertType\": \"SNOW_STORM\""));
}

/// The outbox: 10,000 notifications added at once, three `proactive worker` processes sharing
/// them against an emulator that fails 20% of requests with 500, drops 5% of connections and
/// throttles; one worker is killed (SIGKILL) mid-batch and its lease runs out. By the emulator's
/// record every notification is accepted exactly once, and the outbox says all are accepted.
#[test]
fn outbox_workers_deliver_each_notification_once_though_one_is_killed() {
    use proactive_skill::outbox::SqliteOutbox;

    let dir = std::env::temp_dir().join(format!("proactive-outbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("skill.db");
    let place = [OsString::from("--db"), db.clone().into()];
    workers_deliver_each_notification_once(&dir, &place, || Box::new(SqliteOutbox::open(&db).unwrap()));
    std::fs::remove_dir_all(&dir).ok();
}

/// The same with the outbox in PostgreSQL (`--database-url`, a schema of the test's own): skipped
/// without `DATABASE_URL`, failed under CI without it.
#[test]
fn postgres_outbox_workers_deliver_each_notification_once_though_one_is_killed() {
    use proactive_skill::outbox::PostgresOutbox;

    let Some(schema) = PgSchema::new("postgres_outbox_workers_deliver_each_notification_once") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("proactive-pg-outbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let place = [
        OsString::from("--database-url"),
        schema.url.clone().into(),
        "--schema".into(),
        schema.name.clone().into(),
    ];
    workers_deliver_each_notification_once(&dir, &place, || {
        Box::new(
            PostgresOutbox::builder(&schema.url)
                .schema(&schema.name)
                .connect()
                .unwrap(),
        )
    });
    std::fs::remove_dir_all(&dir).ok();
    // Without --database-url, the URL comes from DATABASE_URL (the help recommends it: an argument
    // shows in the process list).
    let status = Command::new(env!("CARGO_BIN_EXE_proactive"))
        .args(["outbox", "status", "--schema", &schema.name])
        .env("DATABASE_URL", &schema.url)
        .output()
        .unwrap();
    assert_eq!(stdout(&status), "pending 0\nin flight 0\naccepted 10000\nfailed 0\n");
}

/// The scenario of the two tests above, with the outbox at `place` (the arguments naming it).
fn workers_deliver_each_notification_once(
    dir: &Path,
    place: &[OsString],
    open: impl Fn() -> Box<dyn proactive_skill::outbox::Outbox>,
) {
    let emulator = EmulatorProcess::start_with(&[
        "--port",
        "0",
        "--client-id",
        "cli-test-id",
        "--client-secret",
        "cli-test-secret",
        "--error-rate",
        "0.2",
        "--drop-rate",
        "0.05",
        "--rate-limit",
        "3000",
        "--seed",
        "7",
    ]);
    let requests = dir.join("notifications.ndjson");
    let template = fresh("AMAZON.OrderStatus.Updated.json", "x");
    let mut text = String::new();
    for i in 0..10_000 {
        let mut body = template.clone();
        body["referenceId"] = format!("outbox-{i}").into();
        text.push_str(&format!("{body}\n"));
    }
    std::fs::write(&requests, text).unwrap();
    let added = Command::new(env!("CARGO_BIN_EXE_proactive"))
        .args(["outbox", "add", "--ndjson"])
        .args(place)
        .arg(&requests)
        .output()
        .unwrap();
    assert_eq!(
        added.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let worker = |name: &str| {
        Command::new(env!("CARGO_BIN_EXE_proactive"))
            .args(["worker", "--drain", "--name", name, "--lease", "4", "--deadline", "3"])
            .args(place)
            .args(["--api-endpoint", &emulator.url, "--auth-endpoint", &emulator.url])
            .env("ALEXA_CLIENT_ID", "cli-test-id")
            .env("ALEXA_CLIENT_SECRET", "cli-test-secret")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut doomed = worker("doomed");
    let others = [worker("w2"), worker("w3")];
    // Killed while the outbox is mid-way, so it dies holding a leased batch.
    let outbox = open();
    while outbox.status().unwrap().accepted < 2_000 && doomed.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = doomed.kill();
    let _ = doomed.wait();
    for w in others {
        let out = w.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let status = outbox.status().unwrap();
    assert_eq!(
        (status.pending, status.in_flight, status.accepted, status.failed),
        (0, 0, 10_000, 0),
        "{:?}",
        outbox.failures().unwrap()
    );
    let accepted = accepted_by(&emulator);
    let unique: std::collections::BTreeSet<&String> = accepted.iter().collect();
    assert_eq!(unique.len(), 10_000, "every notification accepted");
    assert_eq!(accepted.len(), 10_000, "none accepted twice");
    let status_text = Command::new(env!("CARGO_BIN_EXE_proactive"))
        .args(["outbox", "status"])
        .args(place)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status_text.stdout),
        "pending 0\nin flight 0\naccepted 10000\nfailed 0\n"
    );
}

/// PostgreSQL for the tests, by proactive-skill's rule (its `tests/support`, which a packaged
/// crate cannot reach): the server named by `DATABASE_URL`; without it a test says it was skipped
/// and passes, but under `CI` (set and not `false`) it fails.
fn database_url(test: &str) -> Option<String> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
            assert!(
                !ci,
                "{test}: DATABASE_URL is not set, and CI is: under CI the Postgres tests must run \
                 (.ci/run starts a server with scripts/postgres.sh)"
            );
            let _ = writeln!(
                std::io::stderr().lock(),
                "{test}: PostgreSQL skipped: DATABASE_URL is not set"
            );
            None
        }
    }
}

/// A schema of the test's own (created by the outbox on first use), dropped with everything in it
/// when this is dropped.
struct PgSchema {
    url: String,
    name: String,
}

impl PgSchema {
    fn new(test: &str) -> Option<Self> {
        let url = database_url(test)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let mut name = format!("t{}_{nanos}_{test}", std::process::id());
        name.truncate(63);
        Some(PgSchema { url, name })
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let dropped = runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls).await?;
            let connection = tokio::spawn(connection);
            let result = client
                .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name))
                .await;
            drop(client);
            let _ = connection.await;
            result
        });
        if let Err(e) = dropped {
            let _ = writeln!(
                std::io::stderr().lock(),
                "cannot drop the test schema {}: {e}",
                self.name
            );
        }
    }
}

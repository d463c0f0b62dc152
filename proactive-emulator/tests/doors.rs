//! The emulator's doors under hostile input: bodies past the limit, bodies built to multiply
//! diagnostics. Each is answered (413, or 400 with a capped report) while a normal request made at
//! the same time is still served.

use std::time::{Duration, Instant};

use proactive_emulator::{Config, Emulator};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One HTTP/1.1 request on a fresh connection; the status and the body as text.
async fn request(addr: std::net::SocketAddr, head: &str, body: &[u8]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("{head}Content-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).await.unwrap();
    // The server may answer (413) and close before the whole body is written.
    let _ = stream.write_all(body).await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

async fn token(emulator: &Emulator) -> String {
    let form = "grant_type=client_credentials&client_id=amzn1.application-oa2-client.emulator\
                &client_secret=emulator-secret&scope=alexa%3A%3Aproactive_events";
    let (status, body) = request(
        emulator.addr(),
        "POST /auth/o2/token HTTP/1.1\r\nHost: e\r\nContent-Type: application/x-www-form-urlencoded\r\n",
        form.as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<Value>(&body).unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn post_event(emulator: &Emulator, token: &str, body: &[u8]) -> (u16, String) {
    let head = format!(
        "POST /v1/proactiveEvents/stages/development HTTP/1.1\r\nHost: e\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\n"
    );
    request(emulator.addr(), &head, body).await
}

fn normal(id: &str) -> Vec<u8> {
    let mut body: Value = serde_json::from_str(include_str!("../requests/AMAZON.WeatherAlert.Activated.json")).unwrap();
    let now = proactive_schemas::DateTime::now();
    body["timestamp"] = now.as_str().into();
    body["expiryTime"] = now
        .checked_add(proactive_schemas::jiff::SignedDuration::from_hours(1))
        .unwrap()
        .as_str()
        .into();
    body["referenceId"] = id.into();
    body.to_string().into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_past_the_limit_gets_413_while_others_are_served() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let token = token(&emulator).await;
    let huge = vec![b' '; 10 << 20];
    let (big, small) = tokio::join!(post_event(&emulator, &token, &huge), async {
        post_event(&emulator, &token, &normal("door-1")).await
    });
    assert_eq!(big.0, 413, "{}", big.1);
    assert_eq!(small.0, 202, "{}", small.1);
    assert_eq!(emulator.accepted().len(), 1);
}

/// 2,000 references to 2,000 keys in a localizable attribute, and 30 `localizedAttributes`
/// entries defining none of them: before the validator was bounded, each (reference, entry) pair
/// was a diagnostic.
fn multiplying() -> Vec<u8> {
    let mut body: Value = serde_json::from_slice(&normal("hostile")).unwrap();
    let keys: Vec<String> = (0..2000).map(|i| format!("localizedattribute:k{i}")).collect();
    body["event"]["payload"]["weatherAlert"]["source"] = json!(keys);
    body["localizedAttributes"] = json!(vec![json!({}); 30]);
    body.to_string().into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_built_to_multiply_diagnostics_gets_a_capped_report_while_others_are_served() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let token = token(&emulator).await;
    let hostile = multiplying();
    let plain = normal("door-2");
    let started = Instant::now();
    let ((status, report), normal) = tokio::time::timeout(
        // Only so that a regression fails instead of hanging; measured here: well under a second.
        Duration::from_secs(60),
        async {
            tokio::join!(
                post_event(&emulator, &token, &hostile),
                post_event(&emulator, &token, &plain)
            )
        },
    )
    .await
    .expect("answered");
    eprintln!(
        "{} byte hostile body answered in {:?} with {} bytes",
        hostile.len(),
        started.elapsed(),
        report.len()
    );
    assert_eq!(status, 400, "{report}");
    let message = serde_json::from_str::<Value>(&report).unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    let shown = message.split("; ").count();
    assert!(shown <= 101, "{shown} diagnostics shown");
    assert!(
        message.contains("more"),
        "the report says how many were left out: {message}"
    );
    assert!(report.len() < 64 * 1024, "{} bytes", report.len());
    assert_eq!(normal.0, 202, "{}", normal.1);
}

//! The emulator plays Alexa: a user subscribes, the skill service records it and sends a Unicast
//! the emulator accepts; the user unsubscribes, and the skill's next Unicast is skipped before
//! sending.

use std::sync::Arc;

use proactive_client::{Client, Credentials, Stage};
use proactive_emulator::{Config, Emulator};
use proactive_skill::{Ledger, SqliteStore};
use serde_json::{json, Value};

const USER: &str = "amzn1.ask.account.E2E";
const WEATHER: &str = "AMAZON.WeatherAlert.Activated";

fn weather(id: &str) -> Value {
    let mut body: Value =
        serde_json::from_str(include_str!("../../examples/AMAZON.WeatherAlert.Activated.json")).unwrap();
    let now = proactive_schemas::DateTime::now();
    body["timestamp"] = now.as_str().into();
    body["expiryTime"] = now
        .checked_add(proactive_schemas::jiff::SignedDuration::from_hours(1))
        .unwrap()
        .as_str()
        .into();
    body["referenceId"] = id.into();
    body
}

/// A tiny HTTP/1.1 client for the test, so the test does not depend on reqwest directly.
mod raw_http {
    use serde_json::Value;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    pub struct Http;

    impl Http {
        pub async fn post(&self, url: &str, body: &Value) -> (u16, Value) {
            let rest = url.strip_prefix("http://").unwrap();
            let (addr, path) = rest
                .split_once('/')
                .map(|(a, p)| (a, format!("/{p}")))
                .unwrap_or((rest, "/".into()));
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            let body = body.to_string();
            let request = format!(
                "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut response = String::new();
            stream.read_to_string(&mut response).await.unwrap();
            let status = response[9..12].parse().unwrap();
            let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
            (status, serde_json::from_str(body).unwrap_or(Value::Null))
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_send_unsubscribe_skip() {
    let dir = std::env::temp_dir().join(format!("proactive-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("ledger.db");
    let _ = std::fs::remove_file(&db);

    // The skill service first (the emulator needs its URL).
    let skill_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let skill_url = format!("http://{}", skill_listener.local_addr().unwrap());
    let config = Config {
        skill_endpoint: Some(format!("{skill_url}/")),
        ..Config::default()
    };
    let credentials = Credentials::new(config.client_id.clone(), config.client_secret.clone());
    let emulator = Emulator::start(config).await.unwrap();
    // No API endpoint configured: the skill sends to the host the user's event named (the emulator).
    let client = Client::builder(credentials)
        .auth_endpoint(emulator.base_url())
        .build()
        .unwrap();
    let ledger = Arc::new(Ledger::new(SqliteStore::open(&db).unwrap()));
    let app = proactive_skill::handler::service(ledger.clone(), client, Stage::Development);
    tokio::spawn(async move { axum::serve(skill_listener, app).await.unwrap() });

    let http = raw_http::Http;
    let subscriptions = format!("{}/emulator/users/{USER}/subscriptions", emulator.base_url());

    // 1. The user subscribes: Alexa (the emulator) tells the skill, which records it.
    let (status, answer) = http.post(&subscriptions, &json!({"events": [WEATHER]})).await;
    assert_eq!((status, &answer["delivered"]), (200, &json!(true)), "{answer}");
    let route = ledger.route(USER, WEATHER).unwrap().expect("recorded");
    assert_eq!(route.api_endpoint, emulator.base_url());

    // 2. The skill sends a Unicast: accepted by the emulator.
    let (status, answer) = http
        .post(&format!("{skill_url}/notify/{USER}"), &weather("e2e-1"))
        .await;
    assert_eq!((status, &answer), (200, &json!({"sent": true})));
    let accepted = emulator.accepted();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].recipients, [USER]);

    // 3. The user unsubscribes.
    let (status, _) = http.post(&subscriptions, &json!({"events": []})).await;
    assert_eq!(status, 200);
    assert_eq!(ledger.route(USER, WEATHER).unwrap(), None);

    // 4. The skill's next Unicast is skipped before sending.
    let requests_before = emulator.event_requests();
    let (status, answer) = http
        .post(&format!("{skill_url}/notify/{USER}"), &weather("e2e-2"))
        .await;
    assert_eq!((status, &answer), (200, &json!({"skipped": "not subscribed"})));
    assert_eq!(
        emulator.event_requests(),
        requests_before,
        "nothing reached the emulator"
    );
    assert_eq!(emulator.accepted().len(), 1);

    // The emulator itself now refuses a Unicast to that user, as Amazon would (403).
    let direct = Client::builder(Credentials::new(
        "amzn1.application-oa2-client.emulator",
        "emulator-secret",
    ))
    .api_endpoint(emulator.base_url())
    .auth_endpoint(emulator.base_url())
    .build()
    .unwrap();
    let mut body = weather("e2e-3");
    body["relevantAudience"] = json!({"type": "Unicast", "payload": {"user": USER}});
    let err = direct
        .send_value(&body, Stage::Development, proactive_client::Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
}

#[tokio::test]
async fn the_handler_answers_as_alexa_expects_and_rejects_malformed_events() {
    let ledger = Arc::new(Ledger::new(proactive_skill::MemoryStore::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, proactive_skill::handler::router(ledger))
            .await
            .unwrap()
    });
    let http = raw_http::Http;

    let event = json!({
        "version": "1.0",
        "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.1"},
                               "user": {"userId": USER}, "apiEndpoint": "https://api.amazonalexa.com"}},
        "request": {"type": "AlexaSkillEvent.ProactiveSubscriptionChanged", "requestId": "r1",
                    "timestamp": "2026-11-20T10:00:00Z"}
    });
    let (status, answer) = http.post(&url, &event).await;
    assert_eq!((status, answer), (200, json!({"version": "1.0", "response": {}})));

    let mut bad = event.clone();
    bad["request"]["body"] = json!({"subscriptions": [{"eventName": 7}]});
    let (status, answer) = http.post(&url, &bad).await;
    assert_eq!(status, 400);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .starts_with("/request/body/subscriptions/0/eventName"),
        "{answer}"
    );
}

//! The emulator plays Alexa, signing what it delivers; the skill service verifies every request
//! (signature, chain, timestamp, skill id) before it believes anything in it.
//!
//! - A user subscribes, the signed event is verified and applied, the skill's Unicast is accepted;
//!   the user unsubscribes, and the skill's next Unicast is skipped before sending.
//! - The same signed body replayed 151 s later is refused.
//! - The attack: a forged subscription change naming `https://attacker.example` is rejected and
//!   stores nothing; a signed one naming a host the client does not allow is refused at send time,
//!   with no connection attempted.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use proactive_client::{Client, Credentials, Stage};
use proactive_emulator::{Config, Emulator};
use proactive_schemas::jiff::{SignedDuration, Timestamp};
use proactive_skill::verify::Verifier;
use proactive_skill::{Ledger, MemoryStore, SqliteStore, Store, StoreError};
use serde_json::{json, Value};

const USER: &str = "amzn1.ask.account.E2E";
const SKILL_ID: &str = "amzn1.ask.skill.e2e-test";
const WEATHER: &str = "AMAZON.WeatherAlert.Activated";

fn weather(id: &str) -> Value {
    let mut body: Value = serde_json::from_str(include_str!("../requests/AMAZON.WeatherAlert.Activated.json")).unwrap();
    let now = proactive_schemas::DateTime::now();
    body["timestamp"] = now.as_str().into();
    body["expiryTime"] = now.checked_add(SignedDuration::from_hours(1)).unwrap().as_str().into();
    body["referenceId"] = id.into();
    body
}

/// A tiny HTTP/1.1 client for the test, so that headers and bytes are exactly what it says.
mod raw_http {
    use serde_json::Value;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    pub async fn post(url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Value) {
        let rest = url.strip_prefix("http://").unwrap();
        let (addr, path) = rest
            .split_once('/')
            .map(|(a, p)| (a, format!("/{p}")))
            .unwrap_or((rest, "/".into()));
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        // The server may answer (413) and close before the whole body is written.
        let _ = stream.write_all(body).await;
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response).await;
        let response = String::from_utf8_lossy(&response);
        let status = response[9..12].parse().unwrap();
        let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    pub async fn post_json(url: &str, body: &Value) -> (u16, Value) {
        post(url, &[], body.to_string().as_bytes()).await
    }
}

/// A clock the test can move: the verifier's idea of now, `offset` seconds ahead of the real one.
fn movable_clock() -> (Arc<AtomicI64>, impl Fn() -> Timestamp + Send + Sync + 'static) {
    let offset = Arc::new(AtomicI64::new(0));
    let o = offset.clone();
    let clock = move || Timestamp::now() + SignedDuration::from_secs(o.load(Ordering::SeqCst));
    (offset, clock)
}

struct Setup {
    emulator: Emulator,
    skill_url: String,
    clock_offset: Arc<AtomicI64>,
}

/// The skill service (verification on, trusting the emulator's root as a local test must) and an
/// emulator delivering to it. `allow_emulator_host`: whether the skill's client may send to the
/// emulator's API host.
async fn setup<S: Store + 'static>(ledger: Arc<Ledger<S>>, allow_emulator_host: bool) -> Setup {
    let skill_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let skill_url = format!("http://{}", skill_listener.local_addr().unwrap());
    let config = Config {
        skill_endpoint: Some(format!("{skill_url}/")),
        skill_id: SKILL_ID.into(),
        ..Config::default()
    };
    let credentials = Credentials::new(config.client_id.clone(), config.client_secret.clone());
    let emulator = Emulator::start(config).await.unwrap();
    let (clock_offset, clock) = movable_clock();
    let verifier = Verifier::builder(SKILL_ID)
        .trust_emulator(emulator.root_pem(), &emulator.cert_chain_url())
        .unwrap()
        .clock(clock)
        .build();
    // No API endpoint configured: the skill sends to the host the user's event named.
    let mut client = Client::builder(credentials).auth_endpoint(emulator.base_url());
    if allow_emulator_host {
        client = client.allow_api_host(emulator.base_url());
    }
    let app = proactive_skill::handler::service(ledger, verifier, client.build().unwrap(), Stage::Development);
    tokio::spawn(proactive_http::serve(
        skill_listener,
        app,
        proactive_http::Limits::default(),
    ));
    Setup {
        emulator,
        skill_url,
        clock_offset,
    }
}

fn signed_headers(delivery: &proactive_emulator::SkillDelivery) -> [(&'static str, &str); 2] {
    [
        ("Signature-256", delivery.signature_256.as_str()),
        ("SignatureCertChainUrl", delivery.cert_chain_url.as_str()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_send_unsubscribe_skip_with_verification_on() {
    let dir = std::env::temp_dir().join(format!("proactive-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("ledger.db");
    let _ = std::fs::remove_file(&db);
    let ledger = Arc::new(Ledger::new(SqliteStore::open(&db).unwrap()));
    let Setup {
        emulator,
        skill_url,
        clock_offset,
    } = setup(ledger.clone(), true).await;
    let subscriptions = format!("{}/emulator/users/{USER}/subscriptions", emulator.base_url());

    // 1. The user subscribes: Alexa (the emulator) tells the skill in a signed request, which the
    //    skill verifies and records.
    let (status, answer) = raw_http::post_json(&subscriptions, &json!({"events": [WEATHER]})).await;
    assert_eq!((status, &answer["delivered"]), (200, &json!(true)), "{answer}");
    let route = ledger.route(USER, WEATHER).unwrap().expect("recorded");
    assert_eq!(route.api_endpoint, emulator.base_url());
    let delivery = emulator.skill_deliveries().pop().unwrap();
    assert_eq!(delivery.status, Some(200));

    // 2. The skill sends a Unicast: accepted by the emulator.
    let (status, answer) = raw_http::post_json(&format!("{skill_url}/notify/{USER}"), &weather("e2e-1")).await;
    assert_eq!((status, &answer), (200, &json!({"sent": true})));
    let accepted = emulator.accepted();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].recipients, [USER]);

    // 3. The user unsubscribes.
    let (status, _) = raw_http::post_json(&subscriptions, &json!({"events": []})).await;
    assert_eq!(status, 200);
    assert_eq!(ledger.route(USER, WEATHER).unwrap(), None);

    // 4. The skill's next Unicast is skipped before sending.
    let requests_before = emulator.event_requests();
    let (status, answer) = raw_http::post_json(&format!("{skill_url}/notify/{USER}"), &weather("e2e-2")).await;
    assert_eq!((status, &answer), (200, &json!({"skipped": "not subscribed"})));
    assert_eq!(
        emulator.event_requests(),
        requests_before,
        "nothing reached the emulator"
    );
    assert_eq!(emulator.accepted().len(), 1);

    // 5. The first (subscribing) request, replayed 151 s later, is refused and changes nothing:
    //    without the timestamp check it would subscribe the user again.
    clock_offset.store(151, Ordering::SeqCst);
    let (status, answer) = raw_http::post(&format!("{skill_url}/"), &signed_headers(&delivery), &delivery.body).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("timestamp"), "{answer}");
    assert_eq!(ledger.route(USER, WEATHER).unwrap(), None);

    // The emulator itself refuses a Unicast to that user, as Amazon would (403).
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_subscription_change_is_rejected_and_stores_nothing() {
    let ledger = Arc::new(Ledger::new(MemoryStore::default()));
    let Setup {
        emulator, skill_url, ..
    } = setup(ledger.clone(), true).await;
    let forged = json!({
        "version": "1.0",
        "context": {"System": {"application": {"applicationId": SKILL_ID},
                               "user": {"userId": USER}, "apiEndpoint": "https://attacker.example"}},
        "request": {"type": "AlexaSkillEvent.ProactiveSubscriptionChanged", "requestId": "forged-1",
                    "timestamp": proactive_schemas::DateTime::now().as_str(),
                    "body": {"subscriptions": [{"eventName": WEATHER}]}}
    });

    // Unsigned.
    let (status, answer) = raw_http::post_json(&format!("{skill_url}/"), &forged).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("Signature-256"), "{answer}");

    // With the headers of a real signed delivery, but the attacker's body.
    raw_http::post_json(
        &format!(
            "{}/emulator/users/amzn1.ask.account.OTHER/subscriptions",
            emulator.base_url()
        ),
        &json!({"events": [WEATHER]}),
    )
    .await;
    let delivery = emulator.skill_deliveries().pop().unwrap();
    let (status, answer) = raw_http::post(
        &format!("{skill_url}/"),
        &signed_headers(&delivery),
        forged.to_string().as_bytes(),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("does not match the body"),
        "{answer}"
    );

    // The genuine delivery's own body with one byte changed: the same.
    let tampered = String::from_utf8(delivery.body.clone())
        .unwrap()
        .replace(&emulator.base_url(), "https://attacker.example");
    let (status, _) = raw_http::post(
        &format!("{skill_url}/"),
        &signed_headers(&delivery),
        tampered.as_bytes(),
    )
    .await;
    assert_eq!(status, 400);

    assert_eq!(
        ledger.store().user(USER).unwrap(),
        None,
        "nothing stored for the forged user"
    );
    let other = ledger.store().user("amzn1.ask.account.OTHER").unwrap().unwrap();
    assert_eq!(other.api_endpoint, emulator.base_url(), "the genuine event stands");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_event_naming_an_unlisted_host_is_refused_at_send_time() {
    let ledger = Arc::new(Ledger::new(MemoryStore::default()));
    // The client does not allow the emulator's API host: only Amazon's.
    let Setup {
        emulator, skill_url, ..
    } = setup(ledger.clone(), false).await;
    let (status, answer) = raw_http::post_json(
        &format!("{}/emulator/users/{USER}/subscriptions", emulator.base_url()),
        &json!({"events": [WEATHER]}),
    )
    .await;
    assert_eq!((status, &answer["delivered"]), (200, &json!(true)), "{answer}");
    assert!(ledger.route(USER, WEATHER).unwrap().is_some(), "verified and recorded");

    let (status, answer) = raw_http::post_json(&format!("{skill_url}/notify/{USER}"), &weather("e2e-host")).await;
    assert_eq!(status, 502, "{answer}");
    let message = answer["error"].as_str().unwrap();
    assert!(
        message.contains("refusing to send to") && message.contains(&emulator.base_url()),
        "{message}"
    );
    assert_eq!(emulator.token_requests(), 0, "no token was fetched");
    assert_eq!(emulator.event_requests(), 0, "no request was sent");
}

/// A subscription change as the unverified router takes it: no list (unsubscribed from all).
fn unsigned_event() -> Value {
    json!({
        "version": "1.0",
        "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.1"},
                               "user": {"userId": USER}, "apiEndpoint": "https://api.amazonalexa.com"}},
        "request": {"type": "AlexaSkillEvent.ProactiveSubscriptionChanged", "requestId": "r1",
                    "timestamp": "2026-11-20T10:00:00Z"}
    })
}

#[tokio::test]
async fn the_unverified_router_answers_as_alexa_expects_and_rejects_malformed_events() {
    let ledger = Arc::new(Ledger::new(MemoryStore::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let app = proactive_skill::handler::insecure_router_without_verification(ledger);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let event = unsigned_event();
    let (status, answer) = raw_http::post_json(&url, &event).await;
    assert_eq!((status, answer), (200, json!({"version": "1.0", "response": {}})));

    let mut bad = event.clone();
    bad["request"]["body"] = json!({"subscriptions": [{"eventName": 7}]});
    let (status, answer) = raw_http::post_json(&url, &bad).await;
    assert_eq!(status, 400);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .starts_with("/request/body/subscriptions/0/eventName"),
        "{answer}"
    );

    // A body past the limit is refused before it is read whole.
    let huge = vec![b' '; 10 << 20];
    let (status, _) = raw_http::post(&url, &[], &huge).await;
    assert_eq!(status, 413);
}

/// A store whose errors carry details no HTTP caller should see.
struct BrokenStore;

impl Store for BrokenStore {
    fn apply(&self, _: &proactive_schemas::SubscriptionChanged) -> Result<proactive_skill::Outcome, StoreError> {
        Err(StoreError(
            "connect to postgres://app:hunter2@db.internal/skills failed".into(),
        ))
    }
    fn user(&self, _: &str) -> Result<Option<proactive_skill::UserState>, StoreError> {
        Err(StoreError("hunter2".into()))
    }
    fn subscribers(&self, _: &str) -> Result<Vec<proactive_skill::UserState>, StoreError> {
        Err(StoreError("hunter2".into()))
    }
}

#[tokio::test]
async fn store_errors_reach_callers_as_a_plain_500() {
    let ledger = Arc::new(Ledger::new(BrokenStore));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let client = Client::builder(Credentials::new("id", "secret"))
        .auth_endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    let app = proactive_skill::handler::insecure_service_without_verification(ledger, client, Stage::Development);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let event = unsigned_event();
    let (status, answer) = raw_http::post_json(&format!("{url}/"), &event).await;
    assert_eq!((status, &answer), (500, &json!({"error": "internal error"})));
    let (status, answer) = raw_http::post_json(&format!("{url}/notify/{USER}"), &weather("x")).await;
    assert_eq!((status, &answer), (500, &json!({"error": "internal error"})));
}

/// What the handler logs, captured.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_rejected_request_is_logged_with_its_reason_and_without_its_body() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // A current-thread runtime: the server task runs on this thread, under this subscriber.
    let _guard = tracing::subscriber::set_default(subscriber);

    let ledger = Arc::new(Ledger::new(MemoryStore::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let app = proactive_skill::handler::router(ledger.clone(), Verifier::new(SKILL_ID));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let body = json!({"request": {"type": "AlexaSkillEvent.ProactiveSubscriptionChanged",
                                  "note": "BODY-MARKER-7f3a"}});
    let (status, answer) = raw_http::post_json(&url, &body).await;
    assert_eq!(status, 400, "{answer}");
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("rejected skill request") && text.contains("Signature-256"),
        "{text}"
    );
    assert!(!text.contains("BODY-MARKER-7f3a"), "{text}");
    assert_eq!(ledger.store().user(USER).unwrap(), None);
}

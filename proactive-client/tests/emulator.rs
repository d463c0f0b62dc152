//! The client against an in-process emulator on 127.0.0.1:0.

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use proactive_client::{Client, Credentials, Error, Region, Rejection, Retry, Stage};
use proactive_emulator::{Config, Emulator, Faults};
use serde_json::Value;

fn examples() -> Vec<Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/requests");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
        .collect()
}

/// The examples are dated; give a body a current timestamp and a fresh reference id.
fn restamp(mut body: Value, id: &str) -> Value {
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

fn weather(id: &str) -> Value {
    let body = examples()
        .into_iter()
        .find(|b| b["event"]["name"] == "AMAZON.WeatherAlert.Activated")
        .unwrap();
    restamp(body, id)
}

async fn setup(config: Config, retry: Retry) -> (Emulator, Client) {
    let credentials = Credentials::new(config.client_id.clone(), config.client_secret.clone());
    let emulator = Emulator::start(config).await.unwrap();
    let client = Client::builder(credentials)
        .api_endpoint(emulator.base_url())
        .auth_endpoint(emulator.base_url())
        .retry(retry)
        .build()
        .unwrap();
    (emulator, client)
}

/// A client with the default emulator's credentials, its API and token endpoints where given.
fn client_at(api: impl Into<String>, auth: impl Into<String>, retry: Retry) -> Client {
    let config = Config::default();
    Client::builder(Credentials::new(config.client_id, config.client_secret))
        .api_endpoint(api)
        .auth_endpoint(auth)
        .retry(retry)
        .build()
        .unwrap()
}

fn quick_retry() -> Retry {
    Retry {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(100),
        ..Retry::default()
    }
}

#[tokio::test]
async fn every_event_type_is_accepted_and_previewed() {
    let (emulator, client) = setup(Config::default(), quick_retry()).await;
    for (i, body) in examples().into_iter().enumerate() {
        let body = restamp(body, &format!("example-{i}"));
        let sent = client.send_value(&body, Stage::Development, Region::Europe).await;
        assert!(sent.is_ok(), "{}: {sent:?}", body["event"]["name"]);
    }
    let accepted = emulator.accepted();
    assert_eq!(accepted.len(), 8);
    let names: HashSet<&str> = accepted.iter().map(|a| a.event.as_str()).collect();
    assert_eq!(names.len(), 8);
    assert!(accepted
        .iter()
        .all(|a| a.stage == "development" && !a.previews.is_empty() && !a.recipients.is_empty()));
    let weather = accepted
        .iter()
        .find(|a| a.event == "AMAZON.WeatherAlert.Activated")
        .unwrap();
    assert_eq!(
        weather.previews["en-US"],
        "There is a tornado alert for your area. Provided by Example Weather Corp."
    );
    assert_eq!(client.token_fetches(), 1);
    assert_eq!(emulator.token_requests(), 1);
}

#[tokio::test]
async fn live_stage_and_typed_requests() {
    let (emulator, client) = setup(Config::default(), quick_retry()).await;
    let request: proactive_schemas::Request = serde_json::from_value(weather("typed-1")).unwrap();
    client.send(&request, Stage::Live, Region::NorthAmerica).await.unwrap();
    assert_eq!(emulator.accepted()[0].stage, "live");
}

#[tokio::test]
async fn token_is_refreshed_a_minute_before_it_expires() {
    // A 60-second token is already inside the refresh margin: every send fetches a new one.
    let config = Config {
        token_lifetime: Duration::from_secs(60),
        ..Config::default()
    };
    let (emulator, client) = setup(config, quick_retry()).await;
    for i in 0..3 {
        client
            .send_value(
                &weather(&format!("short-{i}")),
                Stage::Development,
                Region::NorthAmerica,
            )
            .await
            .unwrap();
    }
    assert_eq!(emulator.token_requests(), 3);

    // A 61-second one is still good for a second: reused.
    let config = Config {
        token_lifetime: Duration::from_secs(120),
        ..Config::default()
    };
    let (emulator, client) = setup(config, quick_retry()).await;
    for i in 0..3 {
        client
            .send_value(&weather(&format!("long-{i}")), Stage::Development, Region::NorthAmerica)
            .await
            .unwrap();
    }
    assert_eq!(emulator.token_requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_share_one_token_request() {
    let (emulator, client) = setup(Config::default(), quick_retry()).await;
    let bodies: Vec<Value> = (0..50).map(|i| weather(&format!("burst-{i}"))).collect();
    let summary =
        proactive_client::Summary::collect(client.send_all(bodies, Stage::Development, Region::NorthAmerica, 50)).await;
    assert_eq!(summary.accepted.len(), 50, "{:?}", summary.failed);
    assert_eq!(emulator.token_requests(), 1);
}

#[tokio::test]
async fn a_revoked_token_is_fetched_again_once() {
    let (emulator, client) = setup(Config::default(), quick_retry()).await;
    client
        .send_value(&weather("before"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap();
    emulator.revoke_tokens();
    client
        .send_value(&weather("after"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap();
    assert_eq!(emulator.token_requests(), 2);
    assert_eq!(emulator.accepted().len(), 2);
}

#[tokio::test]
async fn wrong_credentials_are_a_token_error_without_the_secret() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let client = Client::builder(Credentials::new(
        "amzn1.application-oa2-client.emulator",
        "hunter2-wrong",
    ))
    .api_endpoint(emulator.base_url())
    .auth_endpoint(emulator.base_url())
    .build()
    .unwrap();
    let err = client
        .send_value(&weather("x"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Token(_)), "{text}");
    assert!(text.contains("invalid_client"), "{text}");
    assert!(
        !text.contains("hunter2") && !format!("{client:?}").contains("hunter2"),
        "{text}"
    );
    assert!(format!("{client:?}").contains("<redacted>"));
}

#[tokio::test]
async fn an_invalid_request_never_reaches_the_emulator() {
    let (emulator, client) = setup(Config::default(), quick_retry()).await;
    let mut body = weather("bad");
    body["event"]["payload"]["weatherAlert"]["alertType"] = "BLIZZARD".into();
    let err = client
        .send_value(&body, Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    let Error::Invalid(report) = err else { panic!("{err}") };
    assert_eq!(report.errors[0].pointer, "/event/payload/weatherAlert/alertType");

    let mut expired = weather("old");
    expired["timestamp"] = "2020-01-01T00:00:00Z".into();
    expired["expiryTime"] = "2020-01-01T01:00:00Z".into();
    let err = client
        .send_value(&expired, Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(ref r) if r.errors[0].pointer == "/expiryTime"),
        "{err}"
    );
    assert_eq!(emulator.event_requests(), 0);
    assert_eq!(emulator.token_requests(), 0);
}

#[tokio::test]
async fn statuses_map_to_typed_errors() {
    // 409: the same reference id to the same audience, on a first attempt.
    let (_emulator, client) = setup(Config::default(), quick_retry()).await;
    client
        .send_value(&weather("dup"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap();
    let err = client
        .send_value(&weather("dup"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rejected(e) if e.kind == Rejection::Conflict && e.status == 409),
        "{err}"
    );

    // 403: Unicast to a user who is not subscribed.
    let config = Config {
        subscriptions: Some(BTreeMap::from([(
            "amzn1.ask.account.A".into(),
            HashSet::from(["AMAZON.OrderStatus.Updated".to_owned()]),
        )])),
        ..Config::default()
    };
    let (_emulator, client) = setup(config, quick_retry()).await;
    let mut unicast = weather("uni");
    unicast["relevantAudience"] = serde_json::json!({"type": "Unicast", "payload": {"user": "amzn1.ask.account.A"}});
    let err = client
        .send_value(&unicast, Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rejected(e) if e.kind == Rejection::Forbidden && e.status == 403),
        "{err}"
    );

    // 500 on every attempt: retried, then reported.
    let config = Config {
        faults: Faults {
            error_rate: 1.0,
            ..Faults::default()
        },
        ..Config::default()
    };
    let retry = Retry {
        max_attempts: 3,
        ..quick_retry()
    };
    let (emulator, client) = setup(config, retry).await;
    let err = client
        .send_value(&weather("fail"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rejected(e) if e.kind == Rejection::ServerError && e.code.as_deref() == Some("INTERNAL_SERVER_ERROR")),
        "{err}"
    );
    assert_eq!(emulator.event_requests(), 3);

    // 429 with Retry-After beyond the deadline: gives up without waiting it out.
    let config = Config {
        faults: Faults {
            rate_limit: Some(0),
            retry_after_secs: 30,
            ..Faults::default()
        },
        ..Config::default()
    };
    let retry = Retry {
        deadline: Duration::from_secs(5),
        ..quick_retry()
    };
    let (_emulator, client) = setup(config, retry).await;
    let err = client
        .send_value(&weather("busy"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Deadline { attempts: 1, .. }), "{err}");
    assert!(err.to_string().contains("429"), "{err}");
}

#[test]
fn plain_http_only_to_loopback() {
    let builder = || Client::builder(Credentials::new("id", "secret"));
    assert!(builder().api_endpoint("http://127.0.0.1:9").build().is_ok());
    assert!(builder().api_endpoint("http://localhost:9").build().is_ok());
    assert!(builder().api_endpoint("http://[::1]:9").build().is_ok());
    assert!(builder().api_endpoint("https://proxy.example").build().is_ok());
    let err = builder().api_endpoint("http://10.0.0.1").build().unwrap_err();
    assert!(err.to_string().contains("refusing plain http://"), "{err}");
    assert!(builder().auth_endpoint("http://example.com").build().is_err());
    assert!(builder().auth_endpoint("ftp://127.0.0.1").build().is_err());
}

/// 20,000 Unicast requests through 20% 500s, a rate limit answered with 429 + Retry-After,
/// dropped connections (half of them after acceptance) and a 503 from the token endpoint: every
/// one ends accepted exactly once by the emulator's own record, none failed nor unknown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_lose_nothing_and_double_nothing() {
    const N: usize = 20_000;
    let config = Config {
        faults: Faults {
            error_rate: 0.2,
            drop_rate: 0.05,
            rate_limit: Some(1500),
            retry_after_secs: 1,
            token_failures: 1,
            seed: 42,
            ..Faults::default()
        },
        ..Config::default()
    };
    // About a quarter of the attempts fail (500 or dropped): 12 errors in a row for one request
    // has odds of 0.24^12 ≈ 4e-8. The many 429s cost nothing but time.
    let retry = Retry {
        max_attempts: 12,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(200),
        timeout: Duration::from_secs(10),
        deadline: Duration::from_secs(120),
    };
    let (emulator, client) = setup(config, retry).await;
    let template = weather("t");
    let bodies: Vec<Value> = (0..N)
        .map(|i| {
            let mut b = template.clone();
            b["referenceId"] = format!("fault-{i}").into();
            b["relevantAudience"] =
                serde_json::json!({"type": "Unicast", "payload": {"user": format!("amzn1.ask.account.U{}", i % 37)}});
            b
        })
        .collect();
    let started = std::time::Instant::now();
    let summary =
        proactive_client::Summary::collect(client.send_all(bodies, Stage::Live, Region::NorthAmerica, 64)).await;
    eprintln!(
        "{N} requests in {:.1?}: the emulator saw {} event requests and {} token requests",
        started.elapsed(),
        emulator.event_requests(),
        emulator.token_requests()
    );
    assert!(
        summary.failed.is_empty(),
        "{} failed, first: {:?}",
        summary.failed.len(),
        summary.failed.first()
    );
    assert!(
        summary.unknown.is_empty(),
        "{} unknown, first: {:?}",
        summary.unknown.len(),
        summary.unknown.first()
    );
    assert_eq!(summary.accepted.len(), N);

    let accepted = emulator.accepted();
    let mut times: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &accepted {
        *times.entry(a.reference_id.as_str()).or_default() += 1;
    }
    assert!(times.values().all(|&n| n == 1), "doubled events");
    assert_eq!(times.len(), N, "lost events");
    assert!((0..N).all(|i| times.contains_key(format!("fault-{i}").as_str())));
    // The faults really happened: the 503 once, then one token for everyone.
    assert!(
        emulator.event_requests() > 22_000,
        "only {} requests",
        emulator.event_requests()
    );
    assert_eq!(emulator.token_requests(), 2);
}

/// One request throttled more often than `max_attempts` would allow if 429s counted.
#[tokio::test]
async fn throttling_is_waited_out_without_spending_attempts() {
    let config = Config {
        faults: Faults {
            rate_limit: Some(1),
            retry_after_secs: 1,
            ..Faults::default()
        },
        ..Config::default()
    };
    let retry = Retry {
        max_attempts: 2,
        ..quick_retry()
    };
    let (emulator, client) = setup(config, retry).await;
    let bodies: Vec<Value> = (0..5).map(|i| weather(&format!("storm-{i}"))).collect();
    let mut rx = client.send_all(bodies, Stage::Development, Region::NorthAmerica, 5);
    let mut most = 0;
    while let Some((i, result)) = rx.recv().await {
        let sent = result.unwrap_or_else(|e| panic!("{i}: {e}"));
        most = most.max(sent.attempts);
    }
    // One passes per second: the last waited out several 429s.
    assert!(most > 2, "at most {most} attempts");
    assert_eq!(emulator.accepted().len(), 5);
}

/// A 409 after attempts that were only throttled is a real duplicate, not our own earlier attempt.
#[tokio::test]
async fn a_conflict_after_throttling_is_a_rejection() {
    let config = Config {
        faults: Faults {
            rate_limit: Some(1),
            retry_after_secs: 1,
            ..Faults::default()
        },
        ..Config::default()
    };
    let (emulator, client) = setup(config, quick_retry()).await;
    client
        .send_value(&weather("twice"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap();
    let err = client
        .send_value(&weather("twice"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rejected(e) if e.kind == Rejection::Conflict),
        "{err}"
    );
    assert_eq!(emulator.accepted().len(), 1);
}

#[tokio::test]
async fn token_fetches_retry_server_errors_but_not_refusals() {
    // 503, 503, then a token: the send goes through.
    let config = Config {
        faults: Faults {
            token_failures: 2,
            ..Faults::default()
        },
        ..Config::default()
    };
    let (emulator, client) = setup(config, quick_retry()).await;
    client
        .send_value(&weather("after-503"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap();
    assert_eq!(emulator.token_requests(), 3);
    assert_eq!(client.token_fetches(), 3);
    assert_eq!(emulator.accepted().len(), 1);

    // More 503s than attempts: a token error, and nothing sent.
    let config = Config {
        faults: Faults {
            token_failures: 10,
            ..Faults::default()
        },
        ..Config::default()
    };
    let retry = Retry {
        max_attempts: 2,
        ..quick_retry()
    };
    let (emulator, client) = setup(config, retry).await;
    let err = client
        .send_value(&weather("x"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Token(m) if m.contains("503")), "{err}");
    assert_eq!(emulator.token_requests(), 2);
    assert_eq!(emulator.event_requests(), 0);

    // 401 (wrong secret): final at once.
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let client = Client::builder(Credentials::new("amzn1.application-oa2-client.emulator", "wrong"))
        .api_endpoint(emulator.base_url())
        .auth_endpoint(emulator.base_url())
        .retry(quick_retry())
        .build()
        .unwrap();
    let err = client
        .send_value(&weather("x"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Token(m) if m.contains("401")), "{err}");
    assert_eq!(emulator.token_requests(), 1);
}

#[tokio::test]
async fn a_token_no_header_can_carry_is_a_token_error() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let body = r#"{"access_token": "Atza|line\nbreak", "expires_in": 3600}"#;
    let reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let server = RawServer::start(move |_| Some(reply.clone()));
    let client = client_at(emulator.base_url(), &server.url, quick_retry());
    let err = client
        .send_value(&weather("x"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Token(m) if m.contains("header")), "{err}");
    assert!(!err.to_string().contains("line"), "{err}");
    assert_eq!(server.requests(), 1);
    assert_eq!(emulator.event_requests(), 0);
}

/// A tiny HTTP/1.1 server on 127.0.0.1:0, one connection at a time: it reads each request and
/// writes what `answer` returns for its head, or drops the connection for `None`.
struct RawServer {
    url: String,
    requests: Arc<AtomicUsize>,
}

impl RawServer {
    fn start(answer: impl Fn(&str) -> Option<String> + Send + 'static) -> RawServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let count = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(head) = read_request(&mut stream) else {
                    continue;
                };
                count.fetch_add(1, Ordering::SeqCst);
                if let Some(response) = answer(&head) {
                    let _ = stream.write_all(response.as_bytes());
                }
            }
        });
        RawServer { url, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and `content-length` body); returns its head.
fn read_request(stream: &mut std::net::TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        let n = stream.read(&mut buf).ok().filter(|&n| n > 0)?;
        data.extend_from_slice(&buf[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < end + length {
        let n = stream.read(&mut buf).ok().filter(|&n| n > 0)?;
        data.extend_from_slice(&buf[..n]);
    }
    Some(head)
}

const REDIRECT: &str = "HTTP/1.1 307 Temporary Redirect\r\n\
    location: https://user:pw@elsewhere.example/path?secret=1\r\n\
    content-length: 0\r\nconnection: close\r\n\r\n";

fn assert_redirect_refused(err: &Error) {
    let text = err.to_string();
    assert!(
        matches!(err, Error::Redirect { status: 307, location: Some(l), .. } if l == "https://elsewhere.example/path"),
        "{text}"
    );
    assert!(
        text.contains("307") && text.contains("https://elsewhere.example/path"),
        "{text}"
    );
    assert!(!text.contains("secret") && !text.contains("pw"), "{text}");
}

#[tokio::test]
async fn redirects_are_refused_not_followed() {
    // From the API: the bearer token is not carried on.
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let server = RawServer::start(|_| Some(REDIRECT.to_owned()));
    let client = client_at(&server.url, emulator.base_url(), quick_retry());
    let err = client
        .send_value(&weather("moved"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert_redirect_refused(&err);
    assert_eq!(server.requests(), 1);

    // From the token endpoint: the client secret is not carried on.
    let server = RawServer::start(|_| Some(REDIRECT.to_owned()));
    let client = client_at(emulator.base_url(), &server.url, quick_retry());
    let err = client
        .send_value(&weather("moved"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert_redirect_refused(&err);
    assert_eq!(server.requests(), 1);
    assert_eq!(emulator.event_requests(), 0);
}

#[tokio::test]
async fn a_lost_answer_is_unknown_a_refused_connection_is_a_failure() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let retry = Retry {
        max_attempts: 3,
        ..quick_retry()
    };

    // The request arrives, the answer never does: it may have been accepted.
    let server = RawServer::start(|_| None);
    let client = client_at(&server.url, emulator.base_url(), retry.clone());
    let err = client
        .send_value(&weather("lost"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unknown { attempts: 3, .. }), "{err}");
    assert!(err.to_string().contains("safe to resend"), "{err}");
    assert_eq!(server.requests(), 3);
    let bodies = vec![weather("lost-1"), weather("lost-2")];
    let summary =
        proactive_client::Summary::collect(client.send_all(bodies, Stage::Development, Region::NorthAmerica, 2)).await;
    assert_eq!(summary.unknown.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1]);
    assert!(summary.failed.is_empty() && summary.accepted.is_empty());

    // Nothing listens: nothing was sent, a plain failure.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = client_at(&url, emulator.base_url(), retry);
    let err = client
        .send_value(&weather("refused"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { attempts: 3, .. }), "{err}");
    let summary = proactive_client::Summary::collect(client.send_all(
        vec![weather("refused-1")],
        Stage::Development,
        Region::NorthAmerica,
        1,
    ))
    .await;
    assert_eq!(summary.failed.len(), 1);
    assert!(summary.unknown.is_empty());
}

#[test]
fn regions_and_stages_parse() {
    assert_eq!("eu".parse::<Region>().unwrap(), Region::Europe);
    assert_eq!(Region::FarEast.base_url(), "https://api.fe.amazonalexa.com");
    assert_eq!("live".parse::<Stage>().unwrap(), Stage::Live);
    assert!("prod".parse::<Stage>().is_err());
}

/// `send_all` takes any iterator (here a generator, never collected) and draws from it as
/// senders become free: every body is sent once and gets its result, and the iterator is asked
/// for exactly one more body per sender than it has.
#[tokio::test]
async fn send_all_draws_bodies_lazily_from_an_iterator() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let (emulator, client) = setup(Config::default(), quick_retry()).await;
    let taken = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&taken);
    let bodies = std::iter::from_fn(move || {
        let i = counter.fetch_add(1, Ordering::SeqCst);
        (i < 300).then(|| weather(&format!("lazy-{i}")))
    });
    let mut rx = client.send_all(bodies, Stage::Development, Region::NorthAmerica, 4);
    let mut indices = Vec::new();
    while let Some((i, result)) = rx.recv().await {
        result.unwrap_or_else(|e| panic!("{i}: {e}"));
        indices.push(i);
    }
    indices.sort_unstable();
    assert_eq!(indices, (0..300).collect::<Vec<_>>());
    assert_eq!(emulator.accepted().len(), 300);
    // 300 bodies and one `None` per sender that found the iterator empty.
    assert_eq!(taken.load(Ordering::SeqCst), 304);
}

/// The emulator keeps the newest `keep` accepted events and forgets older records, but never
/// forgets a reference id: a repeat of a dropped one is still a conflict.
#[tokio::test]
async fn the_emulator_keeps_a_bounded_record_but_remembers_every_reference_id() {
    let config = Config {
        keep: 2,
        ..Config::default()
    };
    let (emulator, client) = setup(config, quick_retry()).await;
    for id in ["kept-1", "kept-2", "kept-3"] {
        client
            .send_value(&weather(id), Stage::Development, Region::NorthAmerica)
            .await
            .unwrap();
    }
    let ids: Vec<String> = emulator.accepted().into_iter().map(|a| a.reference_id).collect();
    assert_eq!(ids, ["kept-2", "kept-3"]);
    let err = client
        .send_value(&weather("kept-1"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rejected(e) if e.kind == Rejection::Conflict),
        "{err}"
    );
}

/// Text is validated from the text and sent byte for byte; text that is no JSON, or an invalid
/// body, is not sent; values and text mix in one bulk send.
#[tokio::test]
async fn text_bodies_are_sent_as_written() {
    let (emulator, client) = setup(Config::default(), quick_retry()).await;
    // Written with extra spaces: what arrives is what was written.
    let text = serde_json::to_string_pretty(&weather("as-text")).unwrap();
    client
        .send_text(text.clone(), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap();
    let accepted = emulator.accepted();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].request, serde_json::from_str::<Value>(&text).unwrap());

    match client
        .send_text("{\"timestamp\":".to_owned(), Stage::Development, Region::NorthAmerica)
        .await
    {
        Err(Error::Invalid(report)) => assert!(report.errors[0].message.starts_with("not JSON"), "{report}"),
        other => panic!("{other:?}"),
    }
    let mut broken = weather("broken");
    broken["event"]["payload"]["weatherAlert"]["alertType"] = "TORNADOES".into();
    match client
        .send_text(broken.to_string(), Stage::Development, Region::NorthAmerica)
        .await
    {
        Err(Error::Invalid(report)) => {
            assert_eq!(
                report.errors[0].pointer, "/event/payload/weatherAlert/alertType",
                "{report}"
            )
        }
        other => panic!("{other:?}"),
    }

    let bodies: Vec<proactive_client::Body> =
        vec![weather("mixed-value").into(), weather("mixed-text").to_string().into()];
    let summary =
        proactive_client::Summary::collect(client.send_all(bodies, Stage::Development, Region::NorthAmerica, 2)).await;
    assert_eq!(summary.accepted, [0, 1]);
    assert_eq!(emulator.accepted().len(), 3);
}

/// An answer's body is read only up to a cap: a server sending megabytes with an error, or as a
/// token reply, is not given the memory, and the request still gets its answer.
#[tokio::test]
async fn huge_answer_bodies_are_not_read() {
    // Said to be huge up front, or only found to be while reading (no length: until the close).
    let huge = |status: &str, say_length: bool| {
        let body = "x".repeat(8 * 1024 * 1024);
        let length = if say_length {
            format!("content-length: {}\r\n", body.len())
        } else {
            String::new()
        };
        format!("HTTP/1.1 {status}\r\n{length}connection: close\r\n\r\n{body}")
    };
    let emulator = Emulator::start(Config::default()).await.unwrap();

    for say_length in [true, false] {
        let server = RawServer::start(move |_| Some(huge("400 Bad Request", say_length)));
        let client = client_at(&server.url, emulator.base_url(), quick_retry());
        let err = client
            .send_value(&weather("huge"), Stage::Development, Region::NorthAmerica)
            .await
            .unwrap_err();
        match &err {
            Error::Rejected(api) => {
                assert_eq!(api.status, 400);
                assert!(api.message.contains("was not read: over 64 KiB"), "{}", api.message);
            }
            other => panic!("{other}"),
        }
    }

    let server = RawServer::start(move |_| Some(huge("200 OK", true)));
    let client = client_at(emulator.base_url(), &server.url, quick_retry());
    let err = client
        .send_value(&weather("huge"), Stage::Development, Region::NorthAmerica)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Token(m) if m.contains("no access_token")),
        "{err}"
    );
}

//! How an event request goes out: one attempt, from the bytes to an [`Answer`] or a
//! [`Failure`].
//!
//! Events go straight through a `hyper` connection pool (TLS by rustls with the webpki roots,
//! HTTP/2 when the server offers it by ALPN, `TCP_NODELAY`, idle connections kept 90 s), built
//! once per client: the request is the URI parsed once per client, two headers and the body's
//! shared bytes. `reqwest`, which the token fetch uses, did more per request than the hot path
//! needs (its redirect layer re-parses every request's URI, even with redirects off).
//!
//! When the environment names a proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, upper or lower
//! case), events go through `reqwest` instead, which honours those variables (and `NO_PROXY`)
//! as it always has: behind a proxy, events and tokens take the same way out.

use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::errors::{describe, MAX_ANSWER_BODY};
use crate::retry::retry_after;
use crate::Error;

/// An events URL, parsed once per client: as `hyper` takes it, and as errors show it.
#[derive(Clone, Debug)]
pub(crate) struct EventsUrl {
    pub(crate) uri: http::Uri,
    pub(crate) url: reqwest::Url,
}

impl EventsUrl {
    /// Parses an endpoint URL; a malformed one is a configuration error (without credentials).
    pub(crate) fn parse(url: &str) -> Result<EventsUrl, Error> {
        let invalid = |e: &dyn std::fmt::Display| {
            Error::Config(format!(
                "invalid API endpoint `{}`: {e}",
                proactive_schemas::redact_url(url)
            ))
        };
        let url = reqwest::Url::parse(url).map_err(|e| invalid(&e))?;
        if !url.username().is_empty() || url.password().is_some() {
            // The request authenticates with its bearer token; user info would travel in the
            // clear in HTTP/2's `:authority`.
            return Err(invalid(&"credentials in the URL are not supported"));
        }
        let uri = url.as_str().parse::<http::Uri>().map_err(|e| invalid(&e))?;
        Ok(EventsUrl { uri, url })
    }
}

/// How a server answered one attempt.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    /// `Retry-After`, as a wait.
    pub(crate) retry_after: Option<Duration>,
    /// `Location`, as written.
    pub(crate) location: Option<HeaderValue>,
    /// The body of an answer other than `202` and `3xx`, up to [`MAX_ANSWER_BODY`] bytes; `None`
    /// when it was larger, cut off, or not read.
    pub(crate) body: Option<Vec<u8>>,
}

/// Why one attempt got no answer.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The connection could not be made: nothing was sent.
    pub(crate) connect: bool,
    /// What happened, without the URL.
    pub(crate) message: String,
}

/// The `hyper` connection pool events go out on.
type Pool = hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The way events go out (see the module's documentation).
pub(crate) enum Transport {
    /// Straight through `hyper`.
    Direct(Box<Pool>),
    /// Through the client's `reqwest` client (a proxy is configured).
    Reqwest,
}

/// Whether the environment names a proxy, as `reqwest` reads it.
pub(crate) fn proxy_configured(var: impl Fn(&str) -> Option<String>) -> bool {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .any(|name| var(name).is_some_and(|v| !v.trim().is_empty()))
}

impl Transport {
    /// The transport for this process's environment.
    pub(crate) fn from_env() -> Result<Transport, Error> {
        if proxy_configured(|name| std::env::var(name).ok()) {
            return Ok(Transport::Reqwest);
        }
        Transport::direct()
    }

    /// A `hyper` connection pool with rustls (ring, the webpki roots), HTTP/1.1 and HTTP/2.
    pub(crate) fn direct() -> Result<Transport, Error> {
        Transport::direct_trusting(rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        })
    }

    /// [`Transport::direct`] trusting these roots.
    fn direct_trusting(roots: rustls::RootCertStore) -> Result<Transport, Error> {
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config(format!("cannot set up TLS: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        // As reqwest's: a pooled connection a middlebox dropped is found before it is used.
        tcp.set_keepalive(Some(Duration::from_secs(15)));
        tcp.set_keepalive_interval(Some(Duration::from_secs(15)));
        tcp.set_keepalive_retries(Some(3));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(tcp);
        let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .timer(TokioTimer::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(connector);
        Ok(Transport::Direct(Box::new(client)))
    }

    /// One attempt: posts `body` with the token (`bearer`: `Bearer <token>`) and waits no longer
    /// than `timeout` for the answer: its head, then (an error's) body in the time left. A head
    /// that does not come in time is a failure (the request may have been sent, and processed);
    /// a body that does not is an answer whose body was not read.
    pub(crate) async fn post(
        &self,
        reqwest: &reqwest::Client,
        url: &EventsUrl,
        bearer: &HeaderValue,
        body: Bytes,
        timeout: Duration,
    ) -> Result<Answer, Failure> {
        let deadline = tokio::time::Instant::now() + timeout;
        let timed_out = || Failure {
            connect: false,
            message: format!("timed out after {timeout:?}"),
        };
        match self {
            Transport::Direct(client) => {
                let mut request = http::Request::new(Full::new(body));
                *request.method_mut() = http::Method::POST;
                *request.uri_mut() = url.uri.clone();
                let headers = request.headers_mut();
                headers.insert(AUTHORIZATION, bearer.clone());
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                match tokio::time::timeout_at(deadline, client.request(request)).await {
                    Ok(Ok(response)) => Ok(answer(response, deadline).await),
                    Ok(Err(e)) => {
                        let kind = if e.is_connect() {
                            "connection failed"
                        } else {
                            "connection dropped"
                        };
                        Err(Failure {
                            connect: e.is_connect(),
                            message: describe(kind, &e),
                        })
                    }
                    Err(_) => Err(timed_out()),
                }
            }
            Transport::Reqwest => {
                let sent = reqwest
                    .post(url.url.clone())
                    .timeout(timeout)
                    .header(AUTHORIZATION, bearer.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .body(body)
                    .send();
                match tokio::time::timeout_at(deadline, sent).await {
                    Ok(Ok(response)) => Ok(answer(http::Response::from(response), deadline).await),
                    Ok(Err(e)) => Err(Failure {
                        connect: e.is_connect(),
                        message: crate::errors::without_url(&e),
                    }),
                    Err(_) => Err(timed_out()),
                }
            }
        }
    }
}

/// The answer of a response; the body read only when it can say why a request was not taken.
async fn answer<B: hyper::body::Body<Data = Bytes>>(
    response: http::Response<B>,
    deadline: tokio::time::Instant,
) -> Answer {
    let status = response.status();
    let headers = response.headers();
    let mut answer = Answer {
        status: status.as_u16(),
        retry_after: retry_after(headers),
        location: headers.get(LOCATION).cloned(),
        body: None,
    };
    if status.as_u16() != 202 && !status.is_redirection() {
        answer.body = tokio::time::timeout_at(deadline, capped_body(response.into_body()))
            .await
            .ok()
            .flatten();
    }
    answer
}

/// A body, up to [`MAX_ANSWER_BODY`] bytes (the rest is not read); `None` when reading failed or
/// the body is larger (a body cut short is no reply worth parsing).
pub(crate) async fn capped_body<B: hyper::body::Body<Data = Bytes>>(body: B) -> Option<Vec<u8>> {
    if body.size_hint().lower() > MAX_ANSWER_BODY as u64 {
        return None;
    }
    let mut body = std::pin::pin!(body);
    let mut read = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.ok()?.into_data() else {
            continue; // trailers
        };
        if data.len() > MAX_ANSWER_BODY - read.len() {
            return None;
        }
        read.extend_from_slice(&data);
    }
    Some(read)
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;

    fn bearer(token: &str) -> HeaderValue {
        HeaderValue::try_from(format!("Bearer {token}")).unwrap()
    }

    #[test]
    fn a_proxy_is_named_by_any_of_the_variables_reqwest_reads() {
        assert!(!proxy_configured(|_| None));
        assert!(!proxy_configured(|_| Some("  ".into())));
        for name in ["HTTPS_PROXY", "http_proxy", "ALL_PROXY"] {
            assert!(
                proxy_configured(|v| (v == name).then(|| "http://proxy:3128".into())),
                "{name}"
            );
        }
        assert!(!proxy_configured(|v| (v == "NO_PROXY").then(|| "*".into())));
    }

    /// Both ways out give the same answers and failures.
    #[tokio::test]
    async fn both_transports_answer_alike() {
        let config = proactive_emulator::Config::default();
        let emulator = proactive_emulator::Emulator::start(config).await.unwrap();
        let reqwest = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let url = EventsUrl::parse(&format!(
            "{}/v1/proactiveEvents/stages/development",
            emulator.base_url()
        ))
        .unwrap();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let refused = EventsUrl::parse(&format!("http://{}/v1", closed.local_addr().unwrap())).unwrap();
        drop(closed);
        let timeout = Duration::from_secs(10);
        for transport in [Transport::direct().unwrap(), Transport::Reqwest] {
            let name = match transport {
                Transport::Direct(_) => "direct",
                Transport::Reqwest => "reqwest",
            };
            // A token the emulator never issued: its 403, with its body.
            let answer = transport
                .post(
                    &reqwest,
                    &url,
                    &bearer("not-a-token"),
                    Bytes::from_static(b"{}"),
                    timeout,
                )
                .await
                .unwrap();
            assert_eq!(answer.status, 403, "{name}");
            let body = String::from_utf8(answer.body.unwrap()).unwrap();
            assert!(body.contains("token"), "{name}: {body}");
            let failure = transport
                .post(&reqwest, &refused, &bearer("t"), Bytes::from_static(b"{}"), timeout)
                .await
                .unwrap_err();
            assert!(failure.connect, "{name}: {failure:?}");
            assert!(failure.message.starts_with("connection failed"), "{name}: {failure:?}");
            assert!(!failure.message.contains("127.0.0.1"), "{name}: {failure:?}");
        }
    }

    /// A TLS server on 127.0.0.1 with a self-signed certificate for `localhost`, answering
    /// `202` to each request it reads; counts the requests.
    fn tls_server() -> (u16, rustls::pki_types::CertificateDer<'static>, Arc<AtomicUsize>) {
        let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let cert = key.cert.der().clone();
        let private = rustls::pki_types::PrivatePkcs8KeyDer::from(key.key_pair.serialize_der());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert.clone()], private.into())
            .unwrap();
        let config = Arc::new(config);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(tcp) = stream else { return };
                let connection = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
                let mut tls = rustls::StreamOwned::new(connection, tcp);
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                // A refused handshake ends in an error here: nothing was read.
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                if head.windows(4).any(|w| w == b"\r\n\r\n") {
                    counted.fetch_add(1, Ordering::SeqCst);
                    let _ = tls.write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                    let _ = tls.flush();
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                }
            }
        });
        (port, cert, requests)
    }

    /// A server that sends an answer's head and then stalls its body: the status counts (a
    /// throttle is a throttle), the body is not read, and the attempt is over in its time.
    #[tokio::test]
    async fn a_stalled_body_leaves_the_status_standing() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = EventsUrl::parse(&format!("http://{}/v1", listener.local_addr().unwrap())).unwrap();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(
                    b"HTTP/1.1 429 Too Many Requests\r\nretry-after: 7\r\ncontent-length: 100\r\n\r\n{\"message\"",
                );
                held.push(stream); // the rest of the body never comes
            }
        });
        let reqwest = reqwest::Client::new();
        for transport in [Transport::direct().unwrap(), Transport::Reqwest] {
            let answer = transport
                .post(
                    &reqwest,
                    &url,
                    &bearer("t"),
                    Bytes::from_static(b"{}"),
                    Duration::from_millis(300),
                )
                .await
                .unwrap();
            assert_eq!(answer.status, 429);
            assert_eq!(answer.retry_after, Some(Duration::from_secs(7)));
            assert!(answer.body.is_none());
        }
    }

    #[test]
    fn credentials_in_the_events_url_are_refused_without_being_shown() {
        let Err(Error::Config(message)) = EventsUrl::parse("https://user:hunter2@api.example/v1") else {
            panic!("accepted");
        };
        assert!(
            message.contains("credentials") && !message.contains("hunter2"),
            "{message}"
        );
    }

    /// Events go over TLS checked against the roots: a server whose certificate does not chain
    /// to them never sees a request.
    #[tokio::test]
    async fn tls_is_verified_against_the_roots() {
        let (port, cert, requests) = tls_server();
        let url = EventsUrl::parse(&format!(
            "https://localhost:{port}/v1/proactiveEvents/stages/development"
        ))
        .unwrap();
        let reqwest = reqwest::Client::new();
        let timeout = Duration::from_secs(10);
        let body = || Bytes::from_static(b"{}");

        let mut trusting = rustls::RootCertStore::empty();
        trusting.add(cert).unwrap();
        let answer = Transport::direct_trusting(trusting)
            .unwrap()
            .post(&reqwest, &url, &bearer("t"), body(), timeout)
            .await
            .unwrap();
        assert_eq!(answer.status, 202);
        assert_eq!(requests.load(Ordering::SeqCst), 1);

        for transport in [Transport::direct().unwrap(), Transport::Reqwest] {
            let failure = transport
                .post(&reqwest, &url, &bearer("t"), body(), timeout)
                .await
                .unwrap_err();
            assert!(failure.connect, "{failure:?}");
            assert!(failure.message.contains("certificate"), "{failure:?}");
        }
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "no request after a refused handshake"
        );
    }
}

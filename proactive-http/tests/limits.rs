//! Each bound of `Limits`, tried with raw TCP clients that misbehave on purpose, while a
//! well-behaved client is served at the same time.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::routing::{get, post};
use axum::Router;
use proactive_http::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// Generous bound on anything the server should do "soon": never a measurement.
const SOON: Duration = Duration::from_secs(10);

/// A running server, stopped when dropped.
struct Server {
    addr: SocketAddr,
    task: JoinHandle<std::io::Result<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn router(flag: Arc<AtomicBool>) -> Router {
    Router::new()
        .route("/", get(|| async { "ok" }))
        .route("/echo", post(|body: Bytes| async move { body.len().to_string() }))
        .route(
            "/flag",
            get(move || {
                let flag = flag.load(Ordering::SeqCst);
                async move {
                    if flag {
                        "after"
                    } else {
                        "before"
                    }
                }
            }),
        )
}

/// Binds first, so clients can connect at once (the kernel queues them): no readiness wait.
async fn start(limits: Limits) -> Server {
    start_with_flag(limits, Arc::new(AtomicBool::new(false))).await
}

async fn start_with_flag(limits: Limits, flag: Arc<AtomicBool>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(proactive_http::serve(listener, router(flag), limits));
    Server { addr, task }
}

fn short() -> Limits {
    Limits {
        max_body: 256 * 1024,
        header_read_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(1),
        max_connections: 64,
    }
}

/// Reads until the server closes (EOF or reset); what was read.
async fn read_until_closed(stream: &mut (impl AsyncReadExt + Unpin)) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads one response with a `content-length` from a kept-alive connection: (head, body).
async fn read_response(stream: &mut TcpStream) -> (String, String) {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = out.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&out[..end]).into_owned();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|v| v.parse().ok())
                .expect("a content-length");
            if out.len() >= end + 4 + len {
                let body = String::from_utf8_lossy(&out[end + 4..end + 4 + len]).into_owned();
                return (head, body);
            }
        }
        let n = stream.read(&mut buf).await.expect("read");
        assert!(
            n > 0,
            "closed before a full response: {:?}",
            String::from_utf8_lossy(&out)
        );
        out.extend_from_slice(&buf[..n]);
    }
}

/// One well-behaved request on its own connection.
async fn get_ok(addr: SocketAddr) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let response = timeout(SOON, read_until_closed(&mut stream)).await.expect("answered");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");
}

#[tokio::test]
async fn a_body_over_the_limit_with_a_content_length_gets_413() {
    let server = start(short()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let total = 10 * 1024 * 1024;
    let head = format!("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: {total}\r\n\r\n");
    let (mut read, mut write) = stream.split();
    let send = async {
        let _ = write.write_all(head.as_bytes()).await;
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..total / chunk.len() {
            if write.write_all(&chunk).await.is_err() {
                break; // the server stopped listening: expected
            }
        }
    };
    let (response, (), ()) = tokio::join!(
        async { timeout(SOON, read_until_closed(&mut read)).await.expect("answered") },
        send,
        get_ok(server.addr),
    );
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("length limit exceeded"), "{response}");
}

#[tokio::test]
async fn a_chunked_body_growing_over_the_limit_gets_413() {
    let server = start(short()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut read, mut write) = stream.split();
    let send = async {
        let _ = write
            .write_all(b"POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
            .await;
        let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
        chunk.extend(std::iter::repeat_n(b'x', 64 * 1024));
        chunk.extend_from_slice(b"\r\n");
        for _ in 0..160 {
            // 10 MiB in all
            if write.write_all(&chunk).await.is_err() {
                break;
            }
        }
        let _ = write.write_all(b"0\r\n\r\n").await;
    };
    let (response, (), ()) = tokio::join!(
        async { timeout(SOON, read_until_closed(&mut read)).await.expect("answered") },
        send,
        get_ok(server.addr),
    );
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
}

#[tokio::test]
async fn a_body_within_the_limit_is_read() {
    let server = start(short()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let body = vec![b'x'; 200 * 1024];
    let head = format!(
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body).await.unwrap();
    let response = timeout(SOON, read_until_closed(&mut stream)).await.expect("answered");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with(&body.len().to_string()), "{response}");
}

#[tokio::test]
async fn a_body_sent_too_slowly_gets_408() {
    let server = start(short()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut read, mut write) = stream.split();
    // 100 bytes at one per 200 ms would take 20 s; the request timeout is 1 s.
    let drip = async {
        let _ = write
            .write_all(b"POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n")
            .await;
        for _ in 0..100 {
            if write.write_all(b"x").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let answer = async {
        let mut buf = vec![0u8; 4096];
        let n = timeout(SOON, read.read(&mut buf))
            .await
            .expect("answered")
            .expect("read");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    let response = tokio::select! {
        response = answer => response,
        () = drip => panic!("the whole body was accepted"),
    };
    // Meanwhile, a well-behaved client is served.
    get_ok(server.addr).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(response.contains("text/plain"), "{response}");
    assert!(response.contains("request timed out"), "{response}");
}

#[tokio::test]
async fn a_head_sent_too_slowly_is_disconnected() {
    let server = start(short()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut read, mut write) = stream.split();
    // A valid head, one byte per 200 ms: 30 s in all; the head timeout is 1 s.
    let head = format!("GET / HTTP/1.1\r\nHost: test\r\nX-Padding: {}\r\n\r\n", "p".repeat(100));
    let drip = async {
        for byte in head.as_bytes() {
            if write.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        std::future::pending::<()>().await;
    };
    let response = tokio::select! {
        response = timeout(SOON, read_until_closed(&mut read)) => response.expect("disconnected"),
        () = drip => unreachable!(),
    };
    get_ok(server.addr).await;
    assert!(!response.contains("200 OK"), "{response}");
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    // The head timeout is long: closing is the idle timeout's doing.
    let limits = Limits {
        header_read_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_secs(1),
        ..short()
    };
    let server = start(limits).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n").await.unwrap();
    let (head, body) = timeout(SOON, read_response(&mut stream)).await.expect("answered");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, "ok");
    // Then silence: the server closes the connection.
    let rest = timeout(SOON, read_until_closed(&mut stream))
        .await
        .expect("closed by the server");
    assert_eq!(rest, "");
}

#[tokio::test]
async fn idle_time_between_requests_is_not_counted_as_head_time() {
    // A head timeout much shorter than the idle timeout must not close a kept-alive connection
    // that merely waits between requests (hyper's own head timer would).
    let limits = Limits {
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_secs(60),
        ..short()
    };
    let server = start(limits).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    for _ in 0..2 {
        stream.write_all(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n").await.unwrap();
        let (head, body) = timeout(SOON, read_response(&mut stream)).await.expect("answered");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert_eq!(body, "ok");
        // Idle for several head timeouts (the behaviour under test, not a readiness wait).
        tokio::time::sleep(Duration::from_millis(1200)).await;
    }
}

#[tokio::test]
async fn connections_over_the_cap_wait_for_a_free_slot() {
    let flag = Arc::new(AtomicBool::new(false));
    let limits = Limits {
        max_connections: 1,
        header_read_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_secs(60),
        ..short()
    };
    let server = start_with_flag(limits, Arc::clone(&flag)).await;
    let mut first = TcpStream::connect(server.addr).await.unwrap();
    first
        .write_all(b"GET /flag HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let (head, body) = timeout(SOON, read_response(&mut first)).await.expect("answered");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, "before");

    // The second connection is queued by the kernel, but not served while the first is open.
    let mut second = TcpStream::connect(server.addr).await.unwrap();
    second
        .write_all(b"GET /flag HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut byte = [0u8; 1];
    assert!(
        timeout(Duration::from_millis(300), second.read(&mut byte))
            .await
            .is_err(),
        "served over the cap"
    );

    // Once the first closes, the second is served, and its handler sees the first gone.
    flag.store(true, Ordering::SeqCst);
    drop(first);
    let response = timeout(SOON, read_until_closed(&mut second)).await.expect("served");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("after"), "{response}");
}

#[tokio::test]
async fn harden_works_with_axum_serve() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = proactive_http::harden(router(Arc::new(AtomicBool::new(false))), &short());
    let task = tokio::spawn(async move { axum::serve(listener, router).await });
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let response = timeout(SOON, read_until_closed(&mut stream)).await.expect("answered");
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    get_ok(addr).await;
    task.abort();
}

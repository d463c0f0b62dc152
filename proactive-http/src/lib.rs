//! Serving an axum [`Router`] on the open internet with bounded work.
//!
//! `axum::serve` trusts its clients: it has no header timeout, no idle timeout and no cap on
//! connections, and axum's default body limit (2 MB) is far above what Alexa sends. This crate
//! puts a bound on each thing a hostile client could stretch, as set by [`Limits`]:
//!
//! - the **body**: a request body larger than [`Limits::max_body`] gets `413 Payload Too Large`,
//!   whether its `Content-Length` says so up front or a chunked body grows past it while a
//!   handler reads it (through `Bytes`, `String`, `Json`, …);
//! - the **request head**: a client that has not sent a complete head within
//!   [`Limits::header_read_timeout`] of connecting (or of sending the head's first byte on a
//!   kept-alive connection) is disconnected;
//! - the **request**: a request not answered within [`Limits::request_timeout`], reading its
//!   body included (a client sending one byte a second), gets `408 Request Timeout`;
//! - **idle connections**: a kept-alive connection with no request in flight and no bytes moving
//!   for [`Limits::idle_timeout`] is closed;
//! - **connections**: at most [`Limits::max_connections`] are served at once; more wait in the
//!   listener's accept queue.
//!
//! [`harden`] adds the first and third bounds to a router and works with any server (`axum::serve`
//! too); [`serve`] runs the accept loop that enforces all five.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use axum::routing::post;
//! use axum::Router;
//! use proactive_http::Limits;
//!
//! # async fn run() -> std::io::Result<()> {
//! let router = Router::new().route("/events", post(|body: axum::body::Bytes| async move { body.len().to_string() }));
//! let limits = Limits {
//!     request_timeout: Duration::from_secs(10),
//!     ..Limits::default()
//! };
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! proactive_http::serve(listener, router, limits).await
//! # }
//! ```
#![deny(missing_docs)]

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::Router;
use hyper::body::{Body as _, Incoming};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// The bounds [`serve`] and [`harden`] put on clients.
///
/// Start from [`Limits::default()`] and change what you need:
///
/// ```
/// use std::time::Duration;
///
/// let limits = proactive_http::Limits {
///     max_body: 64 * 1024,
///     idle_timeout: Duration::from_secs(20),
///     ..proactive_http::Limits::default()
/// };
/// assert_eq!(limits.max_connections, 1024);
/// ```
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest accepted request body, in bytes; larger bodies get `413`. Default 256 KiB: a
    /// Proactive Events request or a skill event is a few KB.
    pub max_body: usize,
    /// How long a client may take to send a complete request head, from connecting (or from the
    /// head's first byte on a kept-alive connection); then it is disconnected. Default 10 s.
    pub header_read_timeout: Duration,
    /// How long a request may take from its complete head to its response, reading its body
    /// included; then it gets `408`. Default 30 s.
    pub request_timeout: Duration,
    /// How long a kept-alive connection may sit with no request in flight and no bytes moving
    /// before it is closed. Default 60 s.
    pub idle_timeout: Duration,
    /// Most connections served at once (at least 1); more wait in the listener's accept queue.
    /// Default 1024.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 256 * 1024,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
        }
    }
}

/// Largest request head (request line and headers) hyper buffers; a longer one gets `431`.
/// hyper's default (~400 KB) times a thousand connections would be a lot of memory to hand out.
const MAX_HEAD: usize = 64 * 1024;

/// How long the accept loop pauses after an accept error (e.g. out of file descriptors), so it
/// does not spin while the condition lasts.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Adds the body limit (`413`) and the request timeout (`408`) of `limits` to `router`.
///
/// Works with any server; [`serve`] applies it itself. Both error responses carry a short
/// `text/plain` body. A handler that reads the body through axum's extractors (`Bytes`, `String`,
/// `Json`, `Form`) gets `413` for a body over [`Limits::max_body`], known up front from
/// `Content-Length` or found while reading a chunked body.
///
/// ```
/// use axum::routing::get;
/// use axum::Router;
///
/// let router = proactive_http::harden(Router::new().route("/", get(|| async { "hi" })), &Default::default());
/// # let _ = router;
/// ```
pub fn harden(router: Router, limits: &Limits) -> Router {
    router
        // axum's extractors enforce their own limit (2 MB unless told); make it the same.
        .layer(DefaultBodyLimit::max(limits.max_body))
        // Rejects a too-long Content-Length before the handler runs, and caps a chunked body.
        .layer(RequestBodyLimitLayer::new(limits.max_body))
        // The handler's future, which reads the body, races the clock.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(axum::middleware::map_response(plain_error_bodies))
}

/// Gives the empty-bodied `408` of the timeout layer a short plain body.
async fn plain_error_bodies(response: Response<Body>) -> Response<Body> {
    if response.status() != StatusCode::REQUEST_TIMEOUT || response.body().size_hint().exact() != Some(0) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from("request timed out\n"))
}

/// Serves `router` (with [`harden`] applied) on `listener` over HTTP/1.1, enforcing every bound
/// of `limits`.
///
/// Runs until the task running it is aborted (or the future dropped); the connections being
/// served end with it. An accept error (e.g. out of file descriptors) does not end the loop: it is
/// logged (`tracing`) and the loop pauses briefly before accepting again, so today the function
/// does not return at all.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits) -> io::Result<()> {
    let router = harden(router, &limits);
    let permits = Arc::new(Semaphore::new(limits.max_connections.clamp(1, Semaphore::MAX_PERMITS)));
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        // Wait for a free slot before accepting: meanwhile, new connections queue in the kernel.
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return Ok(()); // the semaphore is never closed
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!("accept failed: {e}; retrying shortly");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let limits = limits.clone();
        connections.spawn(async move {
            serve_connection(stream, router, &limits).await;
            drop(permit);
        });
    }
}

/// Serves one connection until the client leaves, a timeout closes it, or an error ends it.
async fn serve_connection(stream: TcpStream, router: Router, limits: &Limits) {
    let requests = Arc::new(Requests::default());
    let io = TokioIo::new(Guarded::new(stream, Arc::clone(&requests), limits));
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let in_flight = InFlight::start(&requests);
        let response = router.clone().oneshot(request.map(Body::new));
        async move {
            let response = response.await;
            drop(in_flight);
            response
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        // `Guarded` enforces the precise head and idle deadlines. hyper's own head timer starts
        // as soon as the connection waits for a head, idle time included, so set to the sum of
        // both it is a backstop that never cuts a legitimate client short.
        .header_read_timeout(limits.header_read_timeout.saturating_add(limits.idle_timeout))
        .max_buf_size(MAX_HEAD)
        .serve_connection(io, service);
    if let Err(e) = connection.await {
        tracing::debug!("connection ended: {e}");
    }
}

/// What the service tells the connection's I/O about requests: how many were started and how
/// many are in flight (from a complete head until the response head is ready).
#[derive(Default)]
struct Requests {
    started: AtomicU64,
    in_flight: AtomicUsize,
}

/// Marks one request in flight until dropped (also when hyper drops the request's future).
struct InFlight(Arc<Requests>);

impl InFlight {
    fn start(requests: &Arc<Requests>) -> Self {
        requests.in_flight.fetch_add(1, Ordering::SeqCst);
        requests.started.fetch_add(1, Ordering::SeqCst);
        InFlight(Arc::clone(requests))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Which deadline applies to a connection.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Reading a request head, since the given instant (the connection's start, or the first byte
    /// after an idle spell): the head must be complete within `header_read_timeout`.
    Head(Instant),
    /// A request is in flight: `request_timeout` bounds it, in the router.
    InFlight,
    /// Between requests, nothing moving since the given instant (writing a response counts as
    /// moving): closed after `idle_timeout`.
    Idle(Instant),
}

/// A TCP stream that fails its reads and writes with `TimedOut` once the deadline of its
/// [`Phase`] passes; hyper then drops the connection.
///
/// hyper's `header_read_timeout` alone cannot tell a slow head from an idle keep-alive connection:
/// its clock starts when it begins waiting for a head, so it would close idle connections after
/// the (short) head timeout. Here the head clock starts only with the head's first byte.
struct Guarded {
    io: TcpStream,
    requests: Arc<Requests>,
    /// `requests.started` when last looked at.
    seen: u64,
    phase: Phase,
    header_timeout: Duration,
    idle_timeout: Duration,
    sleep: Pin<Box<Sleep>>,
    armed: Option<Instant>,
}

impl Guarded {
    fn new(io: TcpStream, requests: Arc<Requests>, limits: &Limits) -> Self {
        let now = Instant::now();
        Guarded {
            io,
            requests,
            seen: 0,
            phase: Phase::Head(now),
            header_timeout: limits.header_read_timeout,
            idle_timeout: limits.idle_timeout,
            sleep: Box::pin(tokio::time::sleep_until(now)),
            armed: None,
        }
    }

    /// Catches up with requests that started or finished since the last look.
    fn update(&mut self) {
        let started = self.requests.started.load(Ordering::SeqCst);
        let in_flight = self.requests.in_flight.load(Ordering::SeqCst);
        if in_flight > 0 {
            self.phase = Phase::InFlight;
            self.seen = started;
        } else if started != self.seen || matches!(self.phase, Phase::InFlight) {
            // A request ended (perhaps one that started and ended between two looks).
            self.seen = started;
            self.phase = Phase::Idle(Instant::now());
        }
    }

    fn deadline(&self) -> Option<Instant> {
        match self.phase {
            Phase::Head(since) => Some(since + self.header_timeout),
            Phase::InFlight => None,
            Phase::Idle(since) => Some(since + self.idle_timeout),
        }
    }

    /// Called when the stream has nothing for now: has the deadline passed? If not, the clock is
    /// set to wake the connection when it does.
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(deadline) = self.deadline() else {
            return false;
        };
        if self.armed != Some(deadline) {
            self.sleep.as_mut().reset(deadline);
            self.armed = Some(deadline);
        }
        self.sleep.as_mut().poll(cx).is_ready()
    }

    /// Turns a pending operation into a timeout once the deadline has passed.
    fn pending<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        if self.expired(cx) {
            Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                match self.phase {
                    Phase::Head(_) => "request head not received in time",
                    _ => "connection idle for too long",
                },
            )))
        } else {
            Poll::Pending
        }
    }
}

impl AsyncRead for Guarded {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.update();
        let before = buf.filled().len();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    if let Phase::Idle(_) = this.phase {
                        // The first byte of the next head (or the rest of an unread body).
                        this.phase = Phase::Head(Instant::now());
                    }
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.pending(cx),
        }
    }
}

impl Guarded {
    /// After a write: progress while idle restarts the idle clock; no progress arms the deadline.
    fn wrote(&mut self, written: Poll<io::Result<usize>>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        match written {
            Poll::Ready(Ok(n)) => {
                if let Phase::Idle(_) = self.phase {
                    self.phase = Phase::Idle(Instant::now());
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => self.pending(cx),
        }
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.update();
        let written = Pin::new(&mut this.io).poll_write(cx, buf);
        this.wrote(written, cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.update();
        let written = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.wrote(written, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.update();
        match Pin::new(&mut this.io).poll_flush(cx) {
            Poll::Pending => this.pending(cx),
            ready => ready,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.update();
        match Pin::new(&mut this.io).poll_shutdown(cx) {
            Poll::Pending => this.pending(cx),
            ready => ready,
        }
    }
}

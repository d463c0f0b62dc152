//! Checking that a request really comes from Alexa (spec §7), before anything in it is believed.
//!
//! A skill's endpoint is public: anyone can POST a forged `ProactiveSubscriptionChanged` naming
//! their own `apiEndpoint`. A [`Verifier`] applies Amazon's rules for web-service skills, cheapest
//! first:
//!
//! 1. the headers `Signature-256` and `SignatureCertChainUrl` are present and readable (a request
//!    with only the deprecated SHA-1 `Signature` is rejected);
//! 2. the certificate-chain URL passes [`check_cert_chain_url`], before anything is downloaded;
//! 3. the PEM chain is downloaded (bounded in size and time, no redirects) or taken from a bounded
//!    cache, and leads to a trusted root at the verifier's clock time;
//! 4. the signing certificate names [`ECHO_API_SAN`];
//! 5. `Signature-256` is its RSA PKCS#1 v1.5 SHA-256 signature over the raw body;
//! 6. the body is JSON whose `request.timestamp` is within [`MAX_TIMESTAMP_SKEW`] of now and whose
//!    `context.System.application.applicationId` is the skill's own id.
//!
//! All cryptography (chain building, RSA) is rustls-webpki's.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use http::HeaderMap;
use proactive_schemas::jiff::Timestamp;
use proactive_schemas::DateTime;
use reqwest::Url;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use serde_json::Value;
use tokio::sync::OnceCell;

/// How far `request.timestamp` may be from the clock, either way (spec §7).
pub const MAX_TIMESTAMP_SKEW: Duration = Duration::from_secs(150);
/// The Subject Alternative Name the signing certificate must carry (spec §7).
pub const ECHO_API_SAN: &str = "echo-api.amazon.com";
/// The header carrying the base64 RSA PKCS#1 v1.5 SHA-256 signature of the raw body.
pub const SIGNATURE_256_HEADER: &str = "Signature-256";
/// The header carrying the deprecated SHA-1 signature, which is not accepted on its own.
pub const SIGNATURE_SHA1_HEADER: &str = "Signature";
/// The header carrying the URL of the PEM certificate chain.
pub const CERT_CHAIN_URL_HEADER: &str = "SignatureCertChainUrl";
/// Default bound on the whole certificate-chain download.
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Default bound on connecting to the certificate-chain host.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Default bound on the size of a downloaded certificate chain.
pub const DEFAULT_MAX_CHAIN_BYTES: usize = 64 * 1024;
/// Default number of certificate-chain URLs kept in the cache.
pub const DEFAULT_CACHE_CAPACITY: usize = 32;
/// Default longest time a downloaded chain is reused before it is downloaded again.
pub const DEFAULT_CACHE_MAX_AGE: Duration = Duration::from_secs(3600);

/// A chain of more certificates than this is not a certificate chain worth building paths through.
const MAX_CHAIN_CERTS: usize = 10;

// Header names are case-insensitive; `HeaderMap` looks them up in lowercase.
const SIGNATURE_256: &str = "signature-256";
const SIGNATURE_SHA1: &str = "signature";
const CERT_CHAIN_URL: &str = "signaturecertchainurl";

/// Why a certificate-chain URL is not one of Amazon's (spec §7).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertUrlError {
    /// Not an absolute URL.
    #[error("not an absolute URL")]
    Unparsable,
    /// It carries `user:password@`.
    #[error("it carries a user name or password")]
    UserInfo,
    /// The scheme is not `https`.
    #[error("scheme `{0}` is not `https`")]
    Scheme(String),
    /// The host is not `s3.amazonaws.com`.
    #[error("host `{0}` is not `s3.amazonaws.com`")]
    Host(String),
    /// A port other than 443.
    #[error("port {0} is not 443")]
    Port(u16),
    /// The normalised path does not start with `/echo.api/`.
    #[error("path does not start with `/echo.api/`")]
    Path,
}

/// Why a request was rejected: each check has its own variant; `Display` is a one-line reason
/// that contains neither body content nor secrets.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// A required header is absent.
    #[error("missing header `{0}`")]
    MissingHeader(&'static str),
    /// Only the deprecated SHA-1 `Signature` header was sent.
    #[error("only the deprecated SHA-1 `Signature` header was sent; `Signature-256` is required")]
    Sha1SignatureOnly,
    /// A header is empty, repeated, or not visible ASCII.
    #[error("header `{0}` is empty, repeated or not readable")]
    InvalidHeader(&'static str),
    /// `Signature-256` is not base64.
    #[error("header `Signature-256` is not valid base64")]
    SignatureNotBase64,
    /// The certificate-chain URL breaks Amazon's rules (nothing was downloaded).
    #[error("certificate chain URL rejected: {0}")]
    CertChainUrl(#[from] CertUrlError),
    /// The certificate chain could not be downloaded (connection, HTTP status, redirect).
    #[error("could not download the certificate chain: {0}")]
    CertChainFetch(String),
    /// The certificate-chain download took too long.
    #[error("downloading the certificate chain took longer than {0:?}")]
    CertChainTimeout(Duration),
    /// The certificate chain is larger than the configured bound.
    #[error("the certificate chain is larger than {0} bytes")]
    CertChainTooLarge(usize),
    /// The download is not a PEM list of certificates.
    #[error("the certificate chain is not a PEM list of certificates: {0}")]
    CertChainUnreadable(&'static str),
    /// The signing certificate, or one in its chain, is past its validity.
    #[error("the signing certificate or its chain has expired")]
    CertExpired,
    /// The signing certificate, or one in its chain, is not valid yet.
    #[error("the signing certificate or its chain is not valid yet")]
    CertNotYetValid,
    /// The chain does not lead to a trusted root.
    #[error("the certificate chain does not lead to a trusted root")]
    UntrustedChain,
    /// The chain is invalid for another reason (encoding, algorithm, constraints).
    #[error("the certificate chain is invalid: {0}")]
    InvalidChain(String),
    /// The signing certificate does not name `echo-api.amazon.com`.
    #[error("the signing certificate is not issued to `echo-api.amazon.com`")]
    WrongSan,
    /// `Signature-256` is not the signing certificate's signature of the body.
    #[error("header `Signature-256` does not match the body")]
    BadSignature,
    /// The (correctly signed) body is not JSON.
    #[error("the body is not JSON (line {line}, column {column})")]
    BodyNotJson {
        /// Line of the syntax error, from 1.
        line: usize,
        /// Column of the syntax error, from 1.
        column: usize,
    },
    /// A field the checks need is absent or not a string.
    #[error("the body has no string `{0}`")]
    MissingField(&'static str),
    /// `request.timestamp` is not an RFC 3339 date-time.
    #[error("`request.timestamp` is not an RFC 3339 date-time")]
    InvalidTimestamp,
    /// `request.timestamp` is older than [`MAX_TIMESTAMP_SKEW`].
    #[error("the request timestamp is {0:?} old, more than 150s")]
    TimestampTooOld(Duration),
    /// `request.timestamp` is further than [`MAX_TIMESTAMP_SKEW`] in the future.
    #[error("the request timestamp is {0:?} in the future, more than 150s")]
    TimestampInFuture(Duration),
    /// `context.System.application.applicationId` is not this skill's id.
    #[error("the request is for another skill (`context.System.application.applicationId` differs)")]
    WrongSkill,
}

/// A verifier configuration that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The PEM holds no certificate.
    #[error("the PEM holds no certificate")]
    NoCertificate,
    /// The PEM is malformed.
    #[error("the PEM is not readable: {0}")]
    Pem(&'static str),
    /// A certificate cannot serve as a trusted root.
    #[error("certificate {index} of the PEM cannot be a trusted root: {reason}")]
    BadRoot {
        /// Position of the certificate in the PEM, from 0.
        index: usize,
        /// What rustls-webpki objected to.
        reason: String,
    },
    /// An allowed certificate-chain URL is unusable (not a URL, has a user or password, or is
    /// neither `http` nor `https`).
    #[error("certificate chain URL not usable: {0}")]
    Url(CertUrlError),
}

/// Checks a certificate-chain URL against Amazon's rules (spec §7), before anything is downloaded:
/// after resolving `.` and `..` path segments, the scheme is `https` and the host
/// `s3.amazonaws.com` (both case-insensitive), the port, if any, is 443, the path starts with
/// `/echo.api/` (case-sensitive), and there is no `user:password@`.
///
/// ```
/// use proactive_skill::verify::{check_cert_chain_url, CertUrlError};
///
/// assert!(check_cert_chain_url("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem").is_ok());
/// assert_eq!(check_cert_chain_url("https://s3.amazonaws.com/EcHo.aPi/c.pem"), Err(CertUrlError::Path));
/// ```
pub fn check_cert_chain_url(url: &str) -> Result<(), CertUrlError> {
    check_amazon_url(&Url::parse(url).map_err(|_| CertUrlError::Unparsable)?)
}

fn check_amazon_url(url: &Url) -> Result<(), CertUrlError> {
    // `Url` has already lowercased scheme and host, resolved dot segments, and dropped `:443`
    // for https.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(CertUrlError::UserInfo);
    }
    if url.scheme() != "https" {
        return Err(CertUrlError::Scheme(clip(url.scheme())));
    }
    match url.host_str() {
        Some("s3.amazonaws.com") => {}
        other => return Err(CertUrlError::Host(clip(other.unwrap_or("")))),
    }
    if let Some(port) = url.port() {
        if port != 443 {
            return Err(CertUrlError::Port(port));
        }
    }
    if !url.path().starts_with("/echo.api/") {
        return Err(CertUrlError::Path);
    }
    Ok(())
}

/// At most 64 characters of a URL part, for messages.
fn clip(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_owned(),
    }
}

type Clock = dyn Fn() -> Timestamp + Send + Sync;

/// Verifies that requests come from Alexa (spec §7). Cheap to clone: clones share the
/// configuration and the certificate-chain cache.
///
/// ```no_run
/// use proactive_skill::verify::{Rejection, Verifier};
///
/// # async fn example(headers: http::HeaderMap, body: Vec<u8>) -> Result<(), Rejection> {
/// let verifier = Verifier::new("amzn1.ask.skill.1");
/// // `body` is the raw body exactly as received, `headers` the request's headers.
/// let request: serde_json::Value = verifier.verify(&headers, &body).await?;
/// println!("verified {}", request["request"]["type"]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    skill_id: String,
    roots: Vec<TrustAnchor<'static>>,
    allowed_urls: Vec<Url>,
    clock: Arc<Clock>,
    client: Result<reqwest::Client, String>,
    fetch_timeout: Duration,
    max_chain_bytes: usize,
    cache: Cache,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Verifier")
            .field("skill_id", &inner.skill_id)
            .field("roots", &inner.roots.len())
            .field(
                "allowed_urls",
                &inner.allowed_urls.iter().map(Url::as_str).collect::<Vec<_>>(),
            )
            .field("fetch_timeout", &inner.fetch_timeout)
            .field("max_chain_bytes", &inner.max_chain_bytes)
            .field("cache_capacity", &inner.cache.capacity)
            .field("cache_max_age", &inner.cache.max_age)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// Amazon's rules: the certificate-URL rules of spec §7, Mozilla's roots (webpki-roots),
    /// https downloads and the system clock.
    pub fn new(skill_id: impl Into<String>) -> Verifier {
        Self::builder(skill_id).build()
    }

    /// A verifier to configure, starting from [`Verifier::new`]'s settings.
    pub fn builder(skill_id: impl Into<String>) -> VerifierBuilder {
        VerifierBuilder {
            skill_id: skill_id.into(),
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            allowed_urls: Vec::new(),
            clock: Arc::new(Timestamp::now),
            fetch_timeout: DEFAULT_FETCH_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_chain_bytes: DEFAULT_MAX_CHAIN_BYTES,
            cache_capacity: DEFAULT_CACHE_CAPACITY,
            cache_max_age: DEFAULT_CACHE_MAX_AGE,
        }
    }

    /// The skill id requests must be addressed to.
    pub fn skill_id(&self) -> &str {
        &self.inner.skill_id
    }

    /// Verifies one request: its headers (`Signature-256`, `SignatureCertChainUrl`) and its raw
    /// body exactly as received. On success returns the parsed JSON body.
    pub async fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Value, Rejection> {
        let inner = &*self.inner;
        let signature = signature(headers)?;
        let url_text = header_text(headers, CERT_CHAIN_URL, CERT_CHAIN_URL_HEADER)?
            .ok_or(Rejection::MissingHeader(CERT_CHAIN_URL_HEADER))?;
        let url = inner.check_url(url_text)?;
        let now = (inner.clock)();
        let chain = inner.chain(&url, now).await?;
        chain.verify_signature(&signature, body)?;
        let request: Value = serde_json::from_slice(body).map_err(|e| Rejection::BodyNotJson {
            line: e.line(),
            column: e.column(),
        })?;
        check_timestamp(&request, now)?;
        let application_id = request
            .pointer("/context/System/application/applicationId")
            .and_then(Value::as_str)
            .ok_or(Rejection::MissingField("context.System.application.applicationId"))?;
        if application_id != inner.skill_id {
            return Err(Rejection::WrongSkill);
        }
        Ok(request)
    }
}

/// Configures a [`Verifier`]; see [`Verifier::builder`].
pub struct VerifierBuilder {
    skill_id: String,
    roots: Vec<TrustAnchor<'static>>,
    allowed_urls: Vec<Url>,
    clock: Arc<Clock>,
    fetch_timeout: Duration,
    connect_timeout: Duration,
    max_chain_bytes: usize,
    cache_capacity: usize,
    cache_max_age: Duration,
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("skill_id", &self.skill_id)
            .field("roots", &self.roots.len())
            .field(
                "allowed_urls",
                &self.allowed_urls.iter().map(Url::as_str).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl VerifierBuilder {
    /// For tests and local emulators: trust exactly the root certificate(s) in `root_pem`
    /// *instead of* Mozilla's roots, and accept exactly `cert_chain_url` (e.g.
    /// `http://127.0.0.1:PORT/emulator/echo-api-cert.pem`) besides Amazon's URLs. The signing
    /// certificate must still name `echo-api.amazon.com`.
    pub fn trust_emulator(self, root_pem: &str, cert_chain_url: &str) -> Result<Self, ConfigError> {
        self.roots_pem(root_pem)?.allow_cert_chain_url(cert_chain_url)
    }

    /// Trusts exactly the root certificates in `pem`, replacing the current roots (Mozilla's by
    /// default). Errors if the PEM holds no certificate or one that cannot be a root.
    pub fn roots_pem(mut self, pem: &str) -> Result<Self, ConfigError> {
        let mut roots = Vec::new();
        for (index, item) in CertificateDer::pem_slice_iter(pem.as_bytes()).enumerate() {
            let der = item.map_err(|e| ConfigError::Pem(pem_reason(&e)))?;
            let anchor = webpki::anchor_from_trusted_cert(&der).map_err(|e| ConfigError::BadRoot {
                index,
                reason: e.to_string(),
            })?;
            roots.push(anchor.to_owned());
        }
        if roots.is_empty() {
            return Err(ConfigError::NoCertificate);
        }
        self.roots = roots;
        Ok(self)
    }

    /// Also accepts this exact certificate-chain URL (after normalisation), whatever Amazon's
    /// rules say: for an emulator. It must be `http` or `https`, without `user:password@`.
    pub fn allow_cert_chain_url(mut self, url: &str) -> Result<Self, ConfigError> {
        let url = Url::parse(url).map_err(|_| ConfigError::Url(CertUrlError::Unparsable))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ConfigError::Url(CertUrlError::UserInfo));
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ConfigError::Url(CertUrlError::Scheme(clip(url.scheme()))));
        }
        self.allowed_urls.push(url);
        Ok(self)
    }

    /// The clock for the timestamp check *and* for certificate validity (default: the system
    /// clock).
    pub fn clock(mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Bound on the whole certificate-chain download (default [`DEFAULT_FETCH_TIMEOUT`]).
    pub fn fetch_timeout(mut self, timeout: Duration) -> Self {
        self.fetch_timeout = timeout;
        self
    }

    /// Bound on connecting to the certificate-chain host (default [`DEFAULT_CONNECT_TIMEOUT`],
    /// never more than the fetch timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Bound on the size of a certificate chain; the download is aborted past it (default
    /// [`DEFAULT_MAX_CHAIN_BYTES`]).
    pub fn max_chain_bytes(mut self, bytes: usize) -> Self {
        self.max_chain_bytes = bytes;
        self
    }

    /// How many certificate-chain URLs are cached; the oldest goes first (default
    /// [`DEFAULT_CACHE_CAPACITY`]; 0 turns caching off).
    pub fn cache_capacity(mut self, entries: usize) -> Self {
        self.cache_capacity = entries;
        self
    }

    /// How long a downloaded chain is reused at most, by the verifier's clock (default
    /// [`DEFAULT_CACHE_MAX_AGE`]). A cached chain is also re-validated on every use, so it is
    /// never used past its certificates' validity.
    pub fn cache_max_age(mut self, age: Duration) -> Self {
        self.cache_max_age = age;
        self
    }

    /// The verifier.
    pub fn build(self) -> Verifier {
        // Amazon's chain is a plain GET: no redirects (DESIGN: the client never follows them),
        // and both connecting and the whole exchange are bounded.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout.min(self.fetch_timeout))
            .timeout(self.fetch_timeout)
            .user_agent(concat!("proactive-skill/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| error_chain(&e.without_url()));
        Verifier {
            inner: Arc::new(Inner {
                skill_id: self.skill_id,
                roots: self.roots,
                allowed_urls: self.allowed_urls,
                clock: self.clock,
                client,
                fetch_timeout: self.fetch_timeout,
                max_chain_bytes: self.max_chain_bytes,
                cache: Cache {
                    capacity: self.cache_capacity,
                    max_age: self.cache_max_age,
                    entries: Mutex::new(VecDeque::new()),
                },
            }),
        }
    }
}

/// The decoded `Signature-256`, or why there is none.
fn signature(headers: &HeaderMap) -> Result<Vec<u8>, Rejection> {
    let Some(text) = header_text(headers, SIGNATURE_256, SIGNATURE_256_HEADER)? else {
        return Err(if headers.contains_key(SIGNATURE_SHA1) {
            Rejection::Sha1SignatureOnly
        } else {
            Rejection::MissingHeader(SIGNATURE_256_HEADER)
        });
    };
    // Padding is optional in what Alexa sends; the alphabet is the standard one.
    const BASE64: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    BASE64.decode(text).map_err(|_| Rejection::SignatureNotBase64)
}

/// A header's only value, trimmed; `None` if absent.
fn header_text<'h>(headers: &'h HeaderMap, name: &str, label: &'static str) -> Result<Option<&'h str>, Rejection> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(Rejection::InvalidHeader(label));
    }
    match value.to_str().map(str::trim) {
        Ok(text) if !text.is_empty() => Ok(Some(text)),
        _ => Err(Rejection::InvalidHeader(label)),
    }
}

fn check_timestamp(request: &Value, now: Timestamp) -> Result<(), Rejection> {
    let text = request
        .pointer("/request/timestamp")
        .and_then(Value::as_str)
        .ok_or(Rejection::MissingField("request.timestamp"))?;
    let sent = DateTime::parse(text)
        .map_err(|_| Rejection::InvalidTimestamp)?
        .timestamp();
    let age = now.duration_since(sent);
    let distance = age.unsigned_abs();
    if distance <= MAX_TIMESTAMP_SKEW {
        Ok(())
    } else if age.is_negative() {
        Err(Rejection::TimestampInFuture(distance))
    } else {
        Err(Rejection::TimestampTooOld(distance))
    }
}

fn unix_time(now: Timestamp) -> UnixTime {
    // Before 1970 nothing is valid anyway; webpki counts whole seconds.
    UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(now.as_second()).unwrap_or(0)))
}

impl Inner {
    fn check_url(&self, text: &str) -> Result<Url, Rejection> {
        let url = Url::parse(text).map_err(|_| CertUrlError::Unparsable)?;
        if !self.allowed_urls.contains(&url) {
            check_amazon_url(&url)?;
        }
        Ok(url)
    }

    /// The chain at `url`, cached or downloaded, validated at `now`.
    async fn chain(&self, url: &Url, now: Timestamp) -> Result<Arc<Chain>, Rejection> {
        let slot = self.cache.slot(url.as_str(), now);
        // Concurrent verifications of the same URL share one download.
        let fetched = slot.get_or_init(|| self.download(url)).await.clone();
        let checked = fetched.and_then(|chain| {
            chain.validate(&self.roots, unix_time(now))?;
            Ok(chain)
        });
        if checked.is_err() {
            // Failures are not cached: the next request downloads again (Amazon may have
            // rotated the certificate).
            self.cache.evict(&slot);
        }
        checked
    }

    async fn download(&self, url: &Url) -> Result<Arc<Chain>, Rejection> {
        tracing::debug!(url = url.as_str(), "downloading the Alexa certificate chain");
        let client = self.client.as_ref().map_err(|e| Rejection::CertChainFetch(e.clone()))?;
        let fetch_error = |e: reqwest::Error| {
            if e.is_timeout() {
                Rejection::CertChainTimeout(self.fetch_timeout)
            } else {
                Rejection::CertChainFetch(error_chain(&e.without_url()))
            }
        };
        let limit = self.max_chain_bytes;
        let body = async {
            let mut response = client.get(url.clone()).send().await.map_err(&fetch_error)?;
            let status = response.status();
            if !status.is_success() {
                return Err(Rejection::CertChainFetch(format!("HTTP status {}", status.as_u16())));
            }
            if response.content_length().is_some_and(|n| n > limit as u64) {
                return Err(Rejection::CertChainTooLarge(limit));
            }
            let mut pem = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(&fetch_error)? {
                if chunk.len() > limit - pem.len() {
                    return Err(Rejection::CertChainTooLarge(limit));
                }
                pem.extend_from_slice(&chunk);
            }
            Ok(pem)
        };
        // reqwest bounds the exchange too; this also covers time spent between chunks here.
        let pem = tokio::time::timeout(self.fetch_timeout, body)
            .await
            .map_err(|_| Rejection::CertChainTimeout(self.fetch_timeout))??;
        Chain::parse(&pem).map(Arc::new)
    }
}

/// An error and its sources, one line, bounded.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    let text = text.replace(['\r', '\n'], " ");
    match text.char_indices().nth(300) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

fn pem_reason(error: &rustls_pki_types::pem::Error) -> &'static str {
    use rustls_pki_types::pem::Error;
    // The library's own messages quote input lines; these do not.
    match error {
        Error::MissingSectionEnd { .. } => "a section has no END line",
        Error::IllegalSectionStart { .. } => "a BEGIN line is malformed",
        Error::Base64Decode(_) => "a section is not base64",
        Error::SectionTooLarge => "a section is too large",
        _ => "malformed PEM",
    }
}

/// A downloaded certificate chain: the signing certificate first, then intermediates.
struct Chain {
    certs: Vec<CertificateDer<'static>>,
}

impl Chain {
    fn parse(pem: &[u8]) -> Result<Chain, Rejection> {
        let mut certs = Vec::new();
        for item in CertificateDer::pem_slice_iter(pem) {
            certs.push(item.map_err(|e| Rejection::CertChainUnreadable(pem_reason(&e)))?);
            if certs.len() > MAX_CHAIN_CERTS {
                return Err(Rejection::CertChainUnreadable("too many certificates"));
            }
        }
        if certs.is_empty() {
            return Err(Rejection::CertChainUnreadable("no certificate"));
        }
        Ok(Chain { certs })
    }

    fn leaf(&self) -> Result<webpki::EndEntityCert<'_>, Rejection> {
        let first = self
            .certs
            .first()
            .ok_or(Rejection::CertChainUnreadable("no certificate"))?;
        webpki::EndEntityCert::try_from(first).map_err(chain_error)
    }

    /// The chain leads to one of `roots` at `time`, and the signing certificate names
    /// `echo-api.amazon.com`.
    fn validate(&self, roots: &[TrustAnchor<'static>], time: UnixTime) -> Result<(), Rejection> {
        let leaf = self.leaf()?;
        leaf.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            roots,
            self.certs.get(1..).unwrap_or_default(),
            time,
            AnyKeyPurpose,
            None,
            None,
        )
        .map_err(chain_error)?;
        let san = ServerName::try_from(ECHO_API_SAN).map_err(|_| Rejection::WrongSan)?;
        leaf.verify_is_valid_for_subject_name(&san)
            .map_err(|_| Rejection::WrongSan)
    }

    fn verify_signature(&self, signature: &[u8], body: &[u8]) -> Result<(), Rejection> {
        self.leaf()?
            .verify_signature(webpki::ring::RSA_PKCS1_2048_8192_SHA256, body, signature)
            .map_err(|_| Rejection::BadSignature)
    }
}

fn chain_error(error: webpki::Error) -> Rejection {
    match error {
        webpki::Error::CertExpired { .. } => Rejection::CertExpired,
        webpki::Error::CertNotValidYet { .. } => Rejection::CertNotYetValid,
        webpki::Error::UnknownIssuer => Rejection::UntrustedChain,
        other => Rejection::InvalidChain(clip(&other.to_string())),
    }
}

/// Spec §7 names no extended key usage for the signing certificate (nor do Amazon's SDKs check
/// one), so any is accepted; the extension must still be well-formed.
struct AnyKeyPurpose;

impl webpki::ExtendedKeyUsageValidator for AnyKeyPurpose {
    fn validate(&self, purposes: webpki::KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        for purpose in purposes {
            purpose?;
        }
        Ok(())
    }
}

type Slot = OnceCell<Result<Arc<Chain>, Rejection>>;

/// Downloaded chains by URL: bounded, oldest out first, each reused for at most `max_age`.
struct Cache {
    capacity: usize,
    max_age: Duration,
    entries: Mutex<VecDeque<Entry>>,
}

struct Entry {
    url: String,
    created: Timestamp,
    slot: Arc<Slot>,
}

impl Cache {
    /// The slot for `url`: a fresh cached one, or a new (empty) one, cached if there is room.
    fn slot(&self, url: &str, now: Timestamp) -> Arc<Slot> {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(i) = entries.iter().position(|e| e.url == url) {
            let age = now.duration_since(entries[i].created);
            if !age.is_negative() && age.unsigned_abs() <= self.max_age {
                return entries[i].slot.clone();
            }
            entries.remove(i);
        }
        let slot = Arc::new(Slot::new());
        if self.capacity > 0 {
            while entries.len() >= self.capacity {
                entries.pop_front();
            }
            entries.push_back(Entry {
                url: url.to_owned(),
                created: now,
                slot: slot.clone(),
            });
        }
        slot
    }

    fn evict(&self, slot: &Arc<Slot>) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.retain(|e| !Arc::ptr_eq(&e.slot, slot));
    }
}

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

mod chain;
mod errors;
mod url;

use chain::{error_chain, pem_reason, Cache};
pub use errors::{CertUrlError, ConfigError, Rejection};
pub use url::check_cert_chain_url;
use url::{check_amazon_url, clip};

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

//! Alexa request verification (spec §7) against certificates made here and served from loopback.
#![cfg(feature = "verify")]

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use http::{HeaderMap, HeaderValue};
use proactive_schemas::jiff::Timestamp;
use proactive_skill::verify::{
    check_cert_chain_url, CertUrlError, ConfigError, Rejection, Verifier, ECHO_API_SAN, MAX_TIMESTAMP_SKEW,
};
use rcgen::{
    date_time_ymd, BasicConstraints, Certificate, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose,
    PKCS_RSA_SHA256,
};
use serde_json::{json, Value};

const SKILL: &str = "amzn1.ask.skill.verify-test";
/// The test clock's default "now": 2030-06-01T00:00:00Z.
const NOW: i64 = 1_906_502_400;

// ---------------------------------------------------------------------------------------------
// Certificates

struct Ca {
    cert: Certificate,
    key: KeyPair,
}

struct Signer {
    key: KeyPair,
    rsa: RsaKeyPair,
}

impl Signer {
    fn new() -> Signer {
        let key = KeyPair::generate_for(&PKCS_RSA_SHA256).unwrap();
        let rsa = RsaKeyPair::from_pkcs8(&key.serialize_der()).unwrap();
        Signer { key, rsa }
    }

    fn sign(&self, body: &[u8]) -> String {
        let mut signature = vec![0; self.rsa.public_modulus_len()];
        self.rsa
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), body, &mut signature)
            .unwrap();
        base64::engine::general_purpose::STANDARD.encode(signature)
    }
}

struct Pki {
    root: Ca,
    intermediate: Ca,
    other_root: Ca,
    other_intermediate: Ca,
}

fn ca(name: &str, issuer: Option<&Ca>) -> Ca {
    let key = KeyPair::generate().unwrap(); // ECDSA P-256: quick
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = date_time_ymd(2020, 1, 1);
    params.not_after = date_time_ymd(2040, 1, 1);
    let cert = match issuer {
        Some(issuer) => params.signed_by(&key, &issuer.cert, &issuer.key).unwrap(),
        None => params.self_signed(&key).unwrap(),
    };
    Ca { cert, key }
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let root = ca("Test Root", None);
        let intermediate = ca("Test Intermediate", Some(&root));
        let other_root = ca("Other Root", None);
        let other_intermediate = ca("Other Intermediate", Some(&other_root));
        Pki {
            root,
            intermediate,
            other_root,
            other_intermediate,
        }
    })
}

/// The one RSA signing key of the test binary (RSA key generation is slow).
fn signer() -> &'static Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER.get_or_init(Signer::new)
}

/// PEM chain: a leaf for `san` valid over `[from, until]` (years, Jan 1), issued by `issuer`,
/// followed by the issuer.
fn chain(san: &str, from: (i32, u8, u8), until: (i32, u8, u8), issuer: &Ca) -> String {
    let mut params = CertificateParams::new(vec![san.to_owned()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, san);
    params.not_before = date_time_ymd(from.0, from.1, from.2);
    params.not_after = date_time_ymd(until.0, until.1, until.2);
    let leaf = params.signed_by(&signer().key, &issuer.cert, &issuer.key).unwrap();
    format!("{}{}", leaf.pem(), issuer.cert.pem())
}

fn good_chain() -> String {
    chain(ECHO_API_SAN, (2030, 1, 1), (2031, 1, 1), &pki().intermediate)
}

// ---------------------------------------------------------------------------------------------
// A loopback server for certificate chains, counting downloads

#[derive(Clone)]
enum Reply {
    Pem(String),
    Redirect(&'static str),
    NotFound,
    Hang,
}

struct Server {
    base: String,
    hits: Arc<AtomicUsize>,
}

impl Server {
    async fn start(reply: Reply) -> Server {
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let handler = move || {
            let reply = reply.clone();
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                let response: Response = match reply {
                    Reply::Pem(pem) => pem.into_response(),
                    Reply::Redirect(to) => (StatusCode::FOUND, [("location", to)]).into_response(),
                    Reply::NotFound => StatusCode::NOT_FOUND.into_response(),
                    Reply::Hang => std::future::pending().await,
                };
                response
            }
        };
        let router = axum::Router::new().route("/emulator/echo-api-cert.pem", axum::routing::get(handler));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Server { base, hits }
    }

    fn url(&self) -> String {
        format!("{}/emulator/echo-api-cert.pem", self.base)
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

// ---------------------------------------------------------------------------------------------
// A skill under test: a verifier trusting the test root, with a settable clock

struct Skill {
    verifier: Verifier,
    server: Server,
    clock: Arc<AtomicI64>,
}

impl Skill {
    async fn new(reply: Reply) -> Skill {
        Skill::with(reply, |b| b).await
    }

    async fn with(
        reply: Reply,
        configure: impl FnOnce(proactive_skill::verify::VerifierBuilder) -> proactive_skill::verify::VerifierBuilder,
    ) -> Skill {
        let server = Server::start(reply).await;
        let clock = Arc::new(AtomicI64::new(NOW));
        let now = clock.clone();
        let builder = Verifier::builder(SKILL)
            .trust_emulator(&pki().root.cert.pem(), &server.url())
            .unwrap()
            .clock(move || Timestamp::from_second(now.load(Ordering::SeqCst)).unwrap());
        Skill {
            verifier: configure(builder).build(),
            server,
            clock,
        }
    }

    fn now(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }

    fn set_now(&self, second: i64) {
        self.clock.store(second, Ordering::SeqCst);
    }

    /// A request body stamped `offset` seconds from the clock, for `skill`.
    fn body_at(&self, offset: i64, skill: &str) -> Vec<u8> {
        let timestamp = Timestamp::from_second(self.now() + offset).unwrap();
        json!({
            "version": "1.0",
            "context": { "System": { "application": { "applicationId": skill } } },
            "request": {
                "type": "AlexaSkillEvent.ProactiveSubscriptionChanged",
                "requestId": "amzn1.echo-api.request.1",
                "timestamp": timestamp.to_string(),
                "body": { "subscriptions": [] }
            }
        })
        .to_string()
        .into_bytes()
    }

    fn body(&self) -> Vec<u8> {
        self.body_at(0, SKILL)
    }

    /// Headers signing `body` with the test key and pointing at the server.
    fn headers(&self, body: &[u8]) -> HeaderMap {
        headers(&[
            ("Signature-256", &signer().sign(body)),
            ("SignatureCertChainUrl", &self.server.url()),
        ])
    }

    async fn verify(&self, body: &[u8]) -> Result<Value, Rejection> {
        self.verifier.verify(&self.headers(body), body).await
    }
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

// ---------------------------------------------------------------------------------------------
// Accepted

#[tokio::test]
async fn a_good_request_is_accepted_and_its_body_returned() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    let body = skill.body();
    let request = skill.verify(&body).await.unwrap();
    assert_eq!(request, serde_json::from_slice::<Value>(&body).unwrap());
    assert_eq!(skill.verifier.skill_id(), SKILL);
    // Debug shows configuration, and the verifier is cheap to clone.
    let debug = format!("{:?}", skill.verifier.clone());
    assert!(debug.contains(SKILL), "{debug}");
}

#[tokio::test]
async fn header_names_are_case_insensitive() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    let body = skill.body();
    let headers = headers(&[
        ("signature-256", &signer().sign(&body)),
        ("SIGNATURECERTCHAINURL", &skill.server.url()),
    ]);
    skill.verifier.verify(&headers, &body).await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Headers and signature

#[tokio::test]
async fn a_tampered_body_is_rejected() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    let body = skill.body();
    let headers = skill.headers(&body);
    let mut tampered = body.clone();
    let at = tampered.len() - 3;
    tampered[at] = b' ';
    assert_eq!(
        skill.verifier.verify(&headers, &tampered).await,
        Err(Rejection::BadSignature)
    );
}

#[tokio::test]
async fn a_signature_by_another_key_is_rejected() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    let body = skill.body();
    let other = Signer::new();
    let headers = headers(&[
        ("Signature-256", &other.sign(&body)),
        ("SignatureCertChainUrl", &skill.server.url()),
    ]);
    assert_eq!(
        skill.verifier.verify(&headers, &body).await,
        Err(Rejection::BadSignature)
    );
}

#[tokio::test]
async fn header_problems_are_rejected_before_any_download() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    let body = skill.body();
    let signature = signer().sign(&body);
    let url = skill.server.url();
    let cases: [(&[(&'static str, &str)], Rejection); 6] = [
        (
            &[("Signature", &signature), ("SignatureCertChainUrl", &url)],
            Rejection::Sha1SignatureOnly,
        ),
        (
            &[("SignatureCertChainUrl", &url)],
            Rejection::MissingHeader("Signature-256"),
        ),
        (
            &[("Signature-256", &signature)],
            Rejection::MissingHeader("SignatureCertChainUrl"),
        ),
        (
            &[("Signature-256", "not base64!"), ("SignatureCertChainUrl", &url)],
            Rejection::SignatureNotBase64,
        ),
        (
            &[
                ("Signature-256", &signature),
                ("Signature-256", &signature),
                ("SignatureCertChainUrl", &url),
            ],
            Rejection::InvalidHeader("Signature-256"),
        ),
        (
            &[
                ("Signature-256", &signature),
                ("SignatureCertChainUrl", "https://notamazon.com/echo.api/c.pem"),
            ],
            Rejection::CertChainUrl(CertUrlError::Host("notamazon.com".into())),
        ),
    ];
    for (pairs, expected) in cases {
        assert_eq!(skill.verifier.verify(&headers(pairs), &body).await, Err(expected));
    }
    assert_eq!(skill.server.hits(), 0);
}

// ---------------------------------------------------------------------------------------------
// Certificate-chain URL (spec §7's examples)

#[test]
fn certificate_urls_follow_amazons_rules() {
    for valid in [
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "HTTPS://S3.AmazonAWS.com/echo.api/echo-api-cert.pem",
    ] {
        assert_eq!(check_cert_chain_url(valid), Ok(()), "{valid}");
    }
    let invalid = [
        (
            "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            CertUrlError::Scheme("http".into()),
        ),
        (
            "https://notamazon.com/echo.api/echo-api-cert.pem",
            CertUrlError::Host("notamazon.com".into()),
        ),
        (
            "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
            CertUrlError::Path,
        ),
        (
            "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
            CertUrlError::Path,
        ),
        (
            "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
            CertUrlError::Port(563),
        ),
        (
            "https://s3.amazonaws.com/echo.api/../echo-api-cert.pem",
            CertUrlError::Path,
        ),
        (
            "https://user:pass@s3.amazonaws.com/echo.api/echo-api-cert.pem",
            CertUrlError::UserInfo,
        ),
        (
            "http://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
            CertUrlError::Scheme("http".into()),
        ),
        ("/echo.api/echo-api-cert.pem", CertUrlError::Unparsable),
    ];
    for (url, expected) in invalid {
        assert_eq!(check_cert_chain_url(url), Err(expected), "{url}");
    }
}

#[test]
fn url_messages_do_not_repeat_credentials() {
    let error = check_cert_chain_url("https://user:secret@s3.amazonaws.com/echo.api/c.pem").unwrap_err();
    let message = Rejection::from(error).to_string();
    assert!(!message.contains("secret"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// Certificate chain

#[tokio::test]
async fn an_expired_leaf_is_rejected() {
    let pem = chain(ECHO_API_SAN, (2029, 1, 1), (2030, 1, 1), &pki().intermediate);
    let skill = Skill::new(Reply::Pem(pem)).await;
    assert_eq!(skill.verify(&skill.body()).await, Err(Rejection::CertExpired));
}

#[tokio::test]
async fn a_leaf_not_yet_valid_is_rejected() {
    let pem = chain(ECHO_API_SAN, (2031, 1, 1), (2032, 1, 1), &pki().intermediate);
    let skill = Skill::new(Reply::Pem(pem)).await;
    assert_eq!(skill.verify(&skill.body()).await, Err(Rejection::CertNotYetValid));
}

#[tokio::test]
async fn a_leaf_for_another_name_is_rejected() {
    let pem = chain("echo-api.example.com", (2030, 1, 1), (2031, 1, 1), &pki().intermediate);
    let skill = Skill::new(Reply::Pem(pem)).await;
    assert_eq!(skill.verify(&skill.body()).await, Err(Rejection::WrongSan));
}

#[tokio::test]
async fn a_chain_to_an_untrusted_root_is_rejected() {
    let pem = chain(ECHO_API_SAN, (2030, 1, 1), (2031, 1, 1), &pki().other_intermediate);
    let skill = Skill::new(Reply::Pem(pem)).await;
    assert_eq!(skill.verify(&skill.body()).await, Err(Rejection::UntrustedChain));
    // The same chain is accepted by a verifier trusting its root.
    let trusting = Verifier::builder(SKILL)
        .trust_emulator(&pki().other_root.cert.pem(), &skill.server.url())
        .unwrap()
        .clock(|| Timestamp::from_second(NOW).unwrap())
        .build();
    let body = skill.body();
    trusting.verify(&skill.headers(&body), &body).await.unwrap();
}

#[tokio::test]
async fn a_chain_without_its_intermediate_is_untrusted() {
    let full = good_chain();
    let leaf_only = full[..full.find("-----END CERTIFICATE-----").unwrap() + 25].to_owned();
    let skill = Skill::new(Reply::Pem(leaf_only)).await;
    assert_eq!(skill.verify(&skill.body()).await, Err(Rejection::UntrustedChain));
}

#[tokio::test]
async fn a_download_that_is_not_pem_is_rejected() {
    let skill = Skill::new(Reply::Pem("hello".into())).await;
    assert!(matches!(
        skill.verify(&skill.body()).await,
        Err(Rejection::CertChainUnreadable(_))
    ));
}

#[tokio::test]
async fn a_chain_bigger_than_the_limit_is_rejected() {
    let pem = good_chain();
    let limit = pem.len() - 1;
    let skill = Skill::with(Reply::Pem(pem), |b| b.max_chain_bytes(limit)).await;
    assert_eq!(
        skill.verify(&skill.body()).await,
        Err(Rejection::CertChainTooLarge(limit))
    );
    // Just within the limit passes.
    let skill = Skill::with(Reply::Pem(good_chain()), |b| b.max_chain_bytes(limit + 1)).await;
    skill.verify(&skill.body()).await.unwrap();
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let skill = Skill::new(Reply::Redirect("https://s3.amazonaws.com/echo.api/echo-api-cert.pem")).await;
    let rejection = skill.verify(&skill.body()).await.unwrap_err();
    assert_eq!(rejection, Rejection::CertChainFetch("HTTP status 302".into()));
}

#[tokio::test]
async fn a_missing_chain_is_rejected_and_not_cached() {
    let skill = Skill::new(Reply::NotFound).await;
    for _ in 0..2 {
        let rejection = skill.verify(&skill.body()).await.unwrap_err();
        assert_eq!(rejection, Rejection::CertChainFetch("HTTP status 404".into()));
    }
    assert_eq!(skill.server.hits(), 2);
}

#[tokio::test]
async fn a_slow_download_times_out() {
    let skill = Skill::with(Reply::Hang, |b| b.fetch_timeout(Duration::from_millis(300))).await;
    assert_eq!(
        skill.verify(&skill.body()).await,
        Err(Rejection::CertChainTimeout(Duration::from_millis(300)))
    );
}

// ---------------------------------------------------------------------------------------------
// Cache

#[tokio::test]
async fn a_cached_chain_is_reused() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    skill.verify(&skill.body()).await.unwrap();
    skill.verify(&skill.body()).await.unwrap();
    assert_eq!(skill.server.hits(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_verifications_share_one_download() {
    let skill = Arc::new(Skill::new(Reply::Pem(good_chain())).await);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let skill = skill.clone();
            tokio::spawn(async move { skill.verify(&skill.body()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(skill.server.hits(), 1);
}

#[tokio::test]
async fn a_cached_chain_is_not_used_past_its_not_after() {
    let skill = Skill::new(Reply::Pem(good_chain())).await; // valid until 2031-01-01T00:00:00Z
    let not_after = Timestamp::from_second(1_924_992_000).unwrap();
    assert_eq!(not_after.to_string(), "2031-01-01T00:00:00Z");
    skill.set_now(not_after.as_second() - 600);
    skill.verify(&skill.body()).await.unwrap();
    // Twenty minutes later: the chain is still cached (well within its maximum age) but expired.
    skill.set_now(not_after.as_second() + 600);
    assert_eq!(skill.verify(&skill.body()).await, Err(Rejection::CertExpired));
    assert_eq!(skill.server.hits(), 1);
}

#[tokio::test]
async fn a_cached_chain_is_downloaded_again_after_its_maximum_age() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    skill.verify(&skill.body()).await.unwrap();
    skill.set_now(NOW + 3599);
    skill.verify(&skill.body()).await.unwrap();
    assert_eq!(skill.server.hits(), 1);
    skill.set_now(NOW + 3601);
    skill.verify(&skill.body()).await.unwrap();
    assert_eq!(skill.server.hits(), 2);
}

#[tokio::test]
async fn without_a_cache_every_request_downloads() {
    let skill = Skill::with(Reply::Pem(good_chain()), |b| b.cache_capacity(0)).await;
    skill.verify(&skill.body()).await.unwrap();
    skill.verify(&skill.body()).await.unwrap();
    assert_eq!(skill.server.hits(), 2);
}

// ---------------------------------------------------------------------------------------------
// Body: timestamp and skill id

#[tokio::test]
async fn timestamps_more_than_150_seconds_away_are_rejected() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    assert_eq!(MAX_TIMESTAMP_SKEW, Duration::from_secs(150));
    for offset in [-149, 149, -150, 150] {
        skill.verify(&skill.body_at(offset, SKILL)).await.unwrap();
    }
    assert_eq!(
        skill.verify(&skill.body_at(-151, SKILL)).await,
        Err(Rejection::TimestampTooOld(Duration::from_secs(151)))
    );
    assert_eq!(
        skill.verify(&skill.body_at(151, SKILL)).await,
        Err(Rejection::TimestampInFuture(Duration::from_secs(151)))
    );
}

#[tokio::test]
async fn a_request_for_another_skill_is_rejected() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    let body = skill.body_at(0, "amzn1.ask.skill.someone-else");
    let rejection = skill.verify(&body).await.unwrap_err();
    assert_eq!(rejection, Rejection::WrongSkill);
    assert!(!rejection.to_string().contains("someone-else"));
}

#[tokio::test]
async fn malformed_bodies_are_rejected_after_the_signature() {
    let skill = Skill::new(Reply::Pem(good_chain())).await;
    let not_json = b"{\"request\": ".to_vec();
    assert!(matches!(
        skill.verify(&not_json).await,
        Err(Rejection::BodyNotJson { .. })
    ));

    let mut request: Value = serde_json::from_slice(&skill.body()).unwrap();
    request["request"].as_object_mut().unwrap().remove("timestamp");
    let body = request.to_string().into_bytes();
    assert_eq!(
        skill.verify(&body).await,
        Err(Rejection::MissingField("request.timestamp"))
    );

    request["request"]["timestamp"] = "yesterday".into();
    let body = request.to_string().into_bytes();
    assert_eq!(skill.verify(&body).await, Err(Rejection::InvalidTimestamp));

    let mut request: Value = serde_json::from_slice(&skill.body()).unwrap();
    request["context"] = json!({});
    let body = request.to_string().into_bytes();
    assert_eq!(
        skill.verify(&body).await,
        Err(Rejection::MissingField("context.System.application.applicationId"))
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration

#[test]
fn trusting_an_emulator_needs_a_certificate_and_a_usable_url() {
    let url = "http://127.0.0.1:1/emulator/echo-api-cert.pem";
    assert_eq!(
        Verifier::builder(SKILL).trust_emulator("no PEM here", url).unwrap_err(),
        ConfigError::NoCertificate
    );
    let root = pki().root.cert.pem();
    assert_eq!(
        Verifier::builder(SKILL)
            .trust_emulator(&root, "http://u:p@127.0.0.1:1/c.pem")
            .unwrap_err(),
        ConfigError::Url(CertUrlError::UserInfo)
    );
    assert!(Verifier::builder(SKILL).trust_emulator(&root, url).is_ok());
}

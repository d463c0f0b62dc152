//! The emulator signs what it delivers to a skill as Alexa does (spec §7): a certificate chain of
//! its own, generated at start-up, whose signing certificate names `echo-api.amazon.com`, and a
//! `Signature-256` (RSA PKCS#1 v1.5 with SHA-256) over the exact body bytes.
//!
//! The chain leads to a root that exists only in this process; a skill trusts it only when told
//! to, for local tests.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use base64::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
    PKCS_RSA_SHA256,
};

/// The name Alexa's signing certificate carries (spec §7).
pub const ECHO_API_SAN: &str = "echo-api.amazon.com";

/// Where the emulator serves its certificate chain (signing certificate first).
pub const CHAIN_PATH: &str = "/emulator/echo-api-cert.pem";

/// Where the emulator serves its root certificate.
pub const ROOT_PATH: &str = "/emulator/root-ca.pem";

/// How long the generated certificates are valid, from the day before start-up.
const VALID_DAYS: i64 = 30;

pub(crate) struct Signer {
    key: RsaKeyPair,
    rng: SystemRandom,
    /// Signing certificate, then the intermediate, as PEM.
    chain_pem: String,
    root_pem: String,
}

impl Signer {
    /// A root CA, an intermediate and an RSA-2048 signing certificate for `echo-api.amazon.com`.
    pub(crate) fn generate() -> Result<Signer, String> {
        let fail = |what: &str, e: &dyn std::fmt::Display| format!("cannot generate the emulator's {what}: {e}");
        use proactive_schemas::jiff::{tz::TimeZone, SignedDuration, Timestamp};
        let now = Timestamp::now();
        let day = |offset: i64| {
            let t = now.checked_add(SignedDuration::from_hours(24 * offset)).unwrap_or(now);
            let d = TimeZone::UTC.to_datetime(t).date();
            rcgen::date_time_ymd(i32::from(d.year()), d.month() as u8, d.day() as u8)
        };
        let ca = |name: &str| -> Result<CertificateParams, String> {
            let mut p = CertificateParams::new(Vec::<String>::new()).map_err(|e| fail("certificates", &e))?;
            p.distinguished_name
                .push(DnType::OrganizationName, "proactive emulator");
            p.distinguished_name.push(DnType::CommonName, name);
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            p.not_before = day(-1);
            p.not_after = day(VALID_DAYS);
            Ok(p)
        };
        let root_key = KeyPair::generate().map_err(|e| fail("root key", &e))?;
        let root = ca("proactive emulator root CA (local tests only)")?
            .self_signed(&root_key)
            .map_err(|e| fail("root certificate", &e))?;
        let intermediate_key = KeyPair::generate().map_err(|e| fail("intermediate key", &e))?;
        let intermediate = ca("proactive emulator intermediate CA")?
            .signed_by(&intermediate_key, &root, &root_key)
            .map_err(|e| fail("intermediate certificate", &e))?;

        let leaf_key = KeyPair::generate_for(&PKCS_RSA_SHA256).map_err(|e| fail("signing key", &e))?;
        let mut leaf = CertificateParams::new(vec![ECHO_API_SAN.to_owned()]).map_err(|e| fail("certificates", &e))?;
        leaf.distinguished_name.push(DnType::CommonName, ECHO_API_SAN);
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        leaf.not_before = day(-1);
        leaf.not_after = day(VALID_DAYS);
        let leaf = leaf
            .signed_by(&leaf_key, &intermediate, &intermediate_key)
            .map_err(|e| fail("signing certificate", &e))?;

        let key = RsaKeyPair::from_pkcs8(&leaf_key.serialize_der()).map_err(|e| fail("signing key", &e))?;
        Ok(Signer {
            key,
            rng: SystemRandom::new(),
            chain_pem: format!("{}{}", leaf.pem(), intermediate.pem()),
            root_pem: root.pem(),
        })
    }

    /// `Signature-256`: base64 of RSA PKCS#1 v1.5 with SHA-256 over `body`.
    pub(crate) fn sign(&self, body: &[u8]) -> Result<String, String> {
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, body, &mut signature)
            .map_err(|_| "cannot sign the skill request".to_owned())?;
        Ok(base64::engine::general_purpose::STANDARD.encode(signature))
    }

    pub(crate) fn chain_pem(&self) -> &str {
        &self.chain_pem
    }

    pub(crate) fn root_pem(&self) -> &str {
        &self.root_pem
    }
}

//! Downloading, caching and validating the certificate chain a request names.

use super::url::clip;
use super::*;

impl Inner {
    pub(super) fn check_url(&self, text: &str) -> Result<Url, Rejection> {
        let url = Url::parse(text).map_err(|_| CertUrlError::Unparsable)?;
        if !self.allowed_urls.contains(&url) {
            check_amazon_url(&url)?;
        }
        Ok(url)
    }

    /// The chain at `url`, cached or downloaded, validated at `now`.
    pub(super) async fn chain(&self, url: &Url, now: Timestamp) -> Result<Arc<Chain>, Rejection> {
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
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
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

pub(super) fn pem_reason(error: &rustls_pki_types::pem::Error) -> &'static str {
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
pub(super) struct Chain {
    certs: Vec<CertificateDer<'static>>,
}

impl Chain {
    pub(super) fn parse(pem: &[u8]) -> Result<Chain, Rejection> {
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

    pub(super) fn leaf(&self) -> Result<webpki::EndEntityCert<'_>, Rejection> {
        let first = self
            .certs
            .first()
            .ok_or(Rejection::CertChainUnreadable("no certificate"))?;
        webpki::EndEntityCert::try_from(first).map_err(chain_error)
    }

    /// The chain leads to one of `roots` at `time`, and the signing certificate names
    /// `echo-api.amazon.com`.
    pub(super) fn validate(&self, roots: &[TrustAnchor<'static>], time: UnixTime) -> Result<(), Rejection> {
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

    pub(super) fn verify_signature(&self, signature: &[u8], body: &[u8]) -> Result<(), Rejection> {
        self.leaf()?
            .verify_signature(webpki::ring::RSA_PKCS1_2048_8192_SHA256, body, signature)
            .map_err(|_| Rejection::BadSignature)
    }
}

pub(super) fn chain_error(error: webpki::Error) -> Rejection {
    match error {
        webpki::Error::CertExpired { .. } => Rejection::CertExpired,
        webpki::Error::CertNotValidYet { .. } => Rejection::CertNotYetValid,
        webpki::Error::UnknownIssuer => Rejection::UntrustedChain,
        other => Rejection::InvalidChain(clip(&other.to_string())),
    }
}

/// Spec §7 names no extended key usage for the signing certificate (nor do Amazon's SDKs check
/// one), so any is accepted; the extension must still be well-formed.
pub(super) struct AnyKeyPurpose;

impl webpki::ExtendedKeyUsageValidator for AnyKeyPurpose {
    fn validate(&self, purposes: webpki::KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        for purpose in purposes {
            purpose?;
        }
        Ok(())
    }
}

pub(super) type Slot = OnceCell<Result<Arc<Chain>, Rejection>>;

/// Downloaded chains by URL: bounded, oldest out first, each reused for at most `max_age`.
pub(super) struct Cache {
    pub(super) capacity: usize,
    pub(super) max_age: Duration,
    pub(super) entries: Mutex<VecDeque<Entry>>,
}

pub(super) struct Entry {
    url: String,
    created: Timestamp,
    slot: Arc<Slot>,
}

impl Cache {
    /// The slot for `url`: a fresh cached one, or a new (empty) one, cached if there is room.
    pub(super) fn slot(&self, url: &str, now: Timestamp) -> Arc<Slot> {
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

    pub(super) fn evict(&self, slot: &Arc<Slot>) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.retain(|e| !Arc::ptr_eq(&e.slot, slot));
    }
}

//! The certificate-chain URL rules of spec §7, checked before anything is downloaded.

use reqwest::Url;

use super::CertUrlError;

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

pub(super) fn check_amazon_url(url: &Url) -> Result<(), CertUrlError> {
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
pub(super) fn clip(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_owned(),
    }
}

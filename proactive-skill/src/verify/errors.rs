//! Why a request or a configuration is refused.

use std::time::Duration;

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
    /// `request.timestamp` is older than [`MAX_TIMESTAMP_SKEW`](super::MAX_TIMESTAMP_SKEW).
    #[error("the request timestamp is {0:?} old, more than 150s")]
    TimestampTooOld(Duration),
    /// `request.timestamp` is further than [`MAX_TIMESTAMP_SKEW`](super::MAX_TIMESTAMP_SKEW) in the future.
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

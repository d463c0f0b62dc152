//! Where requests go: the stage's path, the region's host (spec §2), Amazon's hosts, and the
//! checks every configured endpoint and every Unicast destination pass.

use std::str::FromStr;

use proactive_schemas::redact_url;

use crate::Error;

/// The Proactive Events API's stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Stage {
    /// `/v1/proactiveEvents/stages/development`: reaches only the developer's own devices.
    #[default]
    Development,
    /// `/v1/proactiveEvents`: live skills.
    Live,
}

impl Stage {
    pub(crate) fn path(self) -> &'static str {
        match self {
            Stage::Development => "/v1/proactiveEvents/stages/development",
            Stage::Live => "/v1/proactiveEvents",
        }
    }
}

impl FromStr for Stage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "development" | "dev" => Ok(Stage::Development),
            "live" => Ok(Stage::Live),
            _ => Err(format!("unknown stage `{s}` (expected `development` or `live`)")),
        }
    }
}

/// Amazon's regions (spec §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Region {
    /// North America: `https://api.amazonalexa.com`.
    #[default]
    NorthAmerica,
    /// Europe: `https://api.eu.amazonalexa.com`.
    Europe,
    /// Far East: `https://api.fe.amazonalexa.com`.
    FarEast,
}

impl Region {
    /// The region's API host.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::NorthAmerica => "https://api.amazonalexa.com",
            Region::Europe => "https://api.eu.amazonalexa.com",
            Region::FarEast => "https://api.fe.amazonalexa.com",
        }
    }
}

impl FromStr for Region {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "na" => Ok(Region::NorthAmerica),
            "eu" => Ok(Region::Europe),
            "fe" => Ok(Region::FarEast),
            _ => Err(format!("unknown region `{s}` (expected `na`, `eu` or `fe`)")),
        }
    }
}

/// Login with Amazon's token endpoint.
pub const AMAZON_AUTH_ENDPOINT: &str = "https://api.amazon.com";

/// Amazon's regional API hosts (spec §7): the only places a Unicast send may go, whatever
/// `apiEndpoint` a skill event names, unless the client was told to allow more
/// ([`ClientBuilder::allow_api_host`](crate::ClientBuilder::allow_api_host)).
pub const AMAZON_API_HOSTS: [&str; 3] = [
    "https://api.amazonalexa.com",
    "https://api.eu.amazonalexa.com",
    "https://api.fe.amazonalexa.com",
];

/// `scheme://host[:port]` of an API base URL, lowercased as URLs compare; a URL with
/// credentials, a path, a query or a fragment is not an API host.
pub(crate) fn origin(url: &str) -> Result<String, &'static str> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "not a URL")?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("it carries credentials");
    }
    if !matches!(parsed.path(), "" | "/") || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("an API host has no path, query or fragment");
    }
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err("not an http(s) URL with a host");
    }
    Ok(parsed.origin().ascii_serialization())
}

/// An endpoint the client may talk to: `https://`, or plain `http://` to a loopback address.
pub(crate) fn check_endpoint(url: &str) -> Result<(), Error> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| Error::Config(format!("invalid endpoint `{}`: {e}", redact_url(url))))?;
    let url = &redact_url(url);
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let host = parsed.host_str().unwrap_or_default();
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if loopback {
                Ok(())
            } else {
                Err(Error::Config(format!(
                    "refusing plain http:// to `{url}`: only loopback addresses may skip TLS"
                )))
            }
        }
        other => Err(Error::Config(format!("unsupported scheme `{other}` in `{url}`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_messages_lose_their_credentials() {
        assert_eq!(redact_url("https://u:p@h.example/x?y=1"), "https://h.example/x?y=1");
        assert_eq!(redact_url("http://u@127.0.0.1:9/"), "http://127.0.0.1:9/");
        assert_eq!(redact_url("https://h.example/a@b"), "https://h.example/a@b");
        assert_eq!(redact_url("not a url"), "not a url");
        let e = check_endpoint("ftp://user:hunter2@h.example").unwrap_err().to_string();
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn api_hosts_compare_as_origins() {
        assert_eq!(
            origin("https://API.amazonalexa.com").unwrap(),
            "https://api.amazonalexa.com"
        );
        assert_eq!(
            origin("https://api.amazonalexa.com:443/").unwrap(),
            "https://api.amazonalexa.com"
        );
        assert!(origin("https://u:p@api.amazonalexa.com").is_err());
        assert!(origin("https://api.amazonalexa.com/v1").is_err());
        assert!(origin("https://api.amazonalexa.com?x").is_err());
        assert_eq!(
            origin("https://api.amazonalexa.com:8443").unwrap(),
            "https://api.amazonalexa.com:8443"
        );
    }
}

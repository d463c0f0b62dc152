//! The request envelope (spec §4): what is POSTed to the Proactive Events API.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::datetime::DateTime;
use crate::derive_support::ToEvent;
use crate::localizable::LocalizedAttributes;
use crate::validate::{Diagnostic, Report, Severity};
use crate::Event;

/// A Proactive Events request body.
///
/// Build one with [`Request::builder`], which fills in sensible defaults and refuses to build
/// an invalid request; or parse one from JSON (`serde_json::from_str`) and check it with
/// [`Request::validate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// When the event was created.
    pub timestamp: DateTime,
    /// Identifies this event instance.
    pub reference_id: ReferenceId,
    /// When the notification is removed: 5 minutes to 24 hours after `timestamp`.
    pub expiry_time: DateTime,
    /// The event and its payload.
    pub event: Event,
    /// One entry per locale, with the text of every localized key the payload references.
    pub localized_attributes: Vec<LocalizedAttributes>,
    /// Who receives it.
    pub relevant_audience: RelevantAudience,
}

/// The serde shape of [`Request`]; read through `object` so that, like the envelope schema,
/// only a JSON object is a request (serde's derive would also read an array of the fields).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RequestRepr {
    timestamp: DateTime,
    reference_id: ReferenceId,
    expiry_time: DateTime,
    event: Event,
    localized_attributes: Vec<LocalizedAttributes>,
    relevant_audience: RelevantAudience,
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r: RequestRepr = crate::de::object(deserializer)?;
        Ok(Request {
            timestamp: r.timestamp,
            reference_id: r.reference_id,
            expiry_time: r.expiry_time,
            event: r.event,
            localized_attributes: r.localized_attributes,
            relevant_audience: r.relevant_audience,
        })
    }
}

impl Request {
    /// Starts building a request for an event (a generated payload or an [`Event`](enum@Event)).
    ///
    /// Defaults: timestamp now, a fresh alphanumeric reference id, expiry 24 hours after the
    /// timestamp, Multicast audience, no localized attributes.
    ///
    /// ```
    /// use proactive_schemas::events::weather_alert_activated::{AlertType, WeatherAlert, WeatherAlertActivated};
    /// use proactive_schemas::{Localizable, Request};
    ///
    /// let request = Request::builder(WeatherAlertActivated {
    ///     weather_alert: WeatherAlert {
    ///         source: Localizable::key("source"),
    ///         alert_type: AlertType::Tornado,
    ///     },
    /// })
    /// .localized("en-US", [("source", "Example Weather Corp")])
    /// .unicast("amzn1.ask.account.EXAMPLE")
    /// .build()
    /// .unwrap();
    /// assert_eq!(request.event.name(), "AMAZON.WeatherAlert.Activated");
    /// assert_eq!(
    ///     request.preview("en-US").unwrap(),
    ///     "There is a tornado alert for your area. Provided by Example Weather Corp."
    /// );
    /// ```
    pub fn builder(event: impl Into<Event>) -> RequestBuilder {
        RequestBuilder::new(EventValue::Typed(event.into()))
    }

    /// Starts building a request from a type that derives [`Event`](derive@crate::Event) (see
    /// [`ToEvent`]): its payload and one `localizedAttributes` entry per declared locale. The
    /// same defaults as [`Request::builder`] apply; [`RequestBuilder::build`] reports a localized
    /// field that lacks a declared locale, and anything else invalid.
    pub fn builder_from<E: ToEvent>(source: &E) -> RequestBuilder {
        let mut builder = RequestBuilder::new(EventValue::Raw(
            serde_json::json!({"name": E::NAME, "payload": source.payload()}),
        ));
        match source.localized_attributes() {
            Ok(entries) => builder.localized = entries,
            Err(missing) => builder.problems.push(Diagnostic {
                severity: Severity::Error,
                pointer: "/localizedAttributes".into(),
                message: missing.to_string(),
                suggestion: None,
            }),
        }
        builder
    }

    /// Checks every rule of spec §4–§5 and reports all problems (see [`crate::validate()`]).
    pub fn validate(&self) -> Report {
        crate::validate::validate(&self.to_value())
    }

    /// The request as JSON.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// What Alexa would say for this request in `locale` (see [`crate::preview()`]).
    pub fn preview(&self, locale: &str) -> Result<String, crate::PreviewError> {
        crate::preview::preview(&self.to_value(), locale)
    }
}

/// A reference id: 1 to 100 characters of ASCII letters, digits, `~` and `-` (spec §4).
///
/// ```
/// use proactive_schemas::ReferenceId;
///
/// assert!("order-1234~a".parse::<ReferenceId>().is_ok());
/// assert!("has space".parse::<ReferenceId>().is_err());
/// assert_eq!(ReferenceId::generate().as_str().len(), 32);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ReferenceId(String);

/// A string that cannot be a reference id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid referenceId `{0}`: it must be 1 to 100 characters of A-Z, a-z, 0-9, `~` and `-`")]
pub struct ReferenceIdError(String);

impl ReferenceId {
    /// Checks and wraps an id.
    pub fn new(id: impl Into<String>) -> Result<Self, ReferenceIdError> {
        let id = id.into();
        if is_valid_reference_id(&id) {
            Ok(ReferenceId(id))
        } else {
            Err(ReferenceIdError(id))
        }
    }

    /// A fresh id of 32 ASCII letters and digits, unique within the process and, with
    /// overwhelming probability, across processes.
    pub fn generate() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        // RandomState is seeded from the operating system's randomness once per process.
        let state = std::collections::hash_map::RandomState::new();
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut id = String::with_capacity(32);
        let mut round = 0u64;
        while id.len() < 32 {
            let mut h = state.build_hasher();
            h.write_u64(count);
            h.write_u128(nanos);
            h.write_u64(round);
            let mut bits = h.finish();
            // 62 symbols: take 5 chars of ~5.95 bits each from 64 bits, with rejection-free modulo
            // (the bias is far below anything that matters for uniqueness).
            for _ in 0..5 {
                if id.len() == 32 {
                    break;
                }
                id.push(ALPHABET[(bits % 62) as usize] as char);
                bits /= 62;
            }
            round += 1;
        }
        ReferenceId(id)
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `id` is a valid reference id (spec §4 decision: `[A-Za-z0-9~-]{1,100}`).
pub fn is_valid_reference_id(id: &str) -> bool {
    (1..=100).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'~' || b == b'-')
}

impl FromStr for ReferenceId {
    type Err = ReferenceIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for ReferenceId {
    type Error = ReferenceIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl fmt::Display for ReferenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ReferenceId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::new(s).map_err(serde::de::Error::custom)
    }
}

/// Who receives an event.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RelevantAudience {
    /// Every user subscribed to the event.
    Multicast,
    /// One user, by user id (`amzn1.ask.account.…`).
    Unicast {
        /// The user id.
        user: String,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AudienceRepr {
    #[serde(rename = "type")]
    kind: AudienceKind,
    payload: AudiencePayload,
}

#[derive(Serialize, Deserialize)]
enum AudienceKind {
    Multicast,
    Unicast,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AudiencePayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<String>,
}

impl Serialize for RelevantAudience {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let repr = match self {
            RelevantAudience::Multicast => AudienceRepr {
                kind: AudienceKind::Multicast,
                payload: AudiencePayload { user: None },
            },
            RelevantAudience::Unicast { user } => AudienceRepr {
                kind: AudienceKind::Unicast,
                payload: AudiencePayload {
                    user: Some(user.clone()),
                },
            },
        };
        repr.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RelevantAudience {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr: AudienceRepr = crate::de::object(deserializer)?;
        match (repr.kind, repr.payload.user) {
            (AudienceKind::Multicast, None) => Ok(RelevantAudience::Multicast),
            (AudienceKind::Multicast, Some(_)) => Err(serde::de::Error::custom(
                "a Multicast audience takes an empty payload `{}`",
            )),
            (AudienceKind::Unicast, Some(user)) if !user.is_empty() => Ok(RelevantAudience::Unicast { user }),
            (AudienceKind::Unicast, _) => Err(serde::de::Error::custom("a Unicast audience needs `payload.user`")),
        }
    }
}

/// The builder's event: a typed one, or the JSON of a derived one (checked by `build`).
enum EventValue {
    Typed(Event),
    Raw(serde_json::Value),
}

enum Expiry {
    After(jiff::SignedDuration),
    At(DateTime),
}

/// Builds a [`Request`]; see [`Request::builder`].
#[must_use]
pub struct RequestBuilder {
    event: EventValue,
    problems: Vec<Diagnostic>,
    timestamp: Option<DateTime>,
    reference_id: Option<String>,
    expiry: Expiry,
    localized: Vec<LocalizedAttributes>,
    audience: RelevantAudience,
}

/// A request that the builder refused to build.
#[derive(Debug, thiserror::Error)]
#[error("invalid request:\n{report}")]
pub struct BuildError {
    /// Every problem found.
    pub report: Report,
}

impl RequestBuilder {
    fn new(event: EventValue) -> Self {
        RequestBuilder {
            event,
            problems: Vec::new(),
            timestamp: None,
            reference_id: None,
            expiry: Expiry::After(jiff::SignedDuration::from_hours(24)),
            localized: Vec::new(),
            audience: RelevantAudience::Multicast,
        }
    }

    /// Sets the creation time (default: now).
    pub fn timestamp(mut self, timestamp: impl Into<DateTime>) -> Self {
        self.timestamp = Some(timestamp.into());
        self
    }

    /// Sets the reference id (default: a fresh alphanumeric id). Checked by [`build`](Self::build).
    pub fn reference_id(mut self, id: impl Into<String>) -> Self {
        self.reference_id = Some(id.into());
        self
    }

    /// Sets the expiry to an instant.
    pub fn expiry_time(mut self, expiry: impl Into<DateTime>) -> Self {
        self.expiry = Expiry::At(expiry.into());
        self
    }

    /// Sets the expiry relative to the timestamp (default: 24 hours; allowed: 5 minutes to 24 hours).
    pub fn expires_in(mut self, duration: impl TryInto<jiff::SignedDuration>) -> Self {
        // An out-of-range duration becomes one that validation rejects with a clear message.
        self.expiry = Expiry::After(duration.try_into().unwrap_or(jiff::SignedDuration::MAX));
        self
    }

    /// Sends to every subscribed user (the default).
    pub fn multicast(mut self) -> Self {
        self.audience = RelevantAudience::Multicast;
        self
    }

    /// Sends to one user.
    pub fn unicast(mut self, user: impl Into<String>) -> Self {
        self.audience = RelevantAudience::Unicast { user: user.into() };
        self
    }

    /// Adds the text of localized keys for one locale.
    pub fn localized<K: Into<String>, V: Into<String>>(
        mut self,
        locale: impl Into<String>,
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.localized.push(LocalizedAttributes::new(locale, values));
        self
    }

    /// Adds a whole `localizedAttributes` entry.
    pub fn localized_attributes(mut self, entry: LocalizedAttributes) -> Self {
        self.localized.push(entry);
        self
    }

    /// Builds the request, or reports every problem with it.
    pub fn build(self) -> Result<Request, BuildError> {
        let timestamp = self.timestamp.unwrap_or_else(DateTime::now);
        let expiry_time = match self.expiry {
            Expiry::At(t) => t,
            Expiry::After(d) => timestamp.checked_add(d).unwrap_or_else(|| timestamp.clone()),
        };
        let reference_id = self.reference_id.unwrap_or_else(|| ReferenceId::generate().0);
        let event = match self.event {
            EventValue::Typed(event) => serde_json::to_value(event).unwrap_or_default(),
            EventValue::Raw(value) => value,
        };
        // One path for every builder: write the JSON, validate it, then read the typed request.
        let value = serde_json::json!({
            "timestamp": timestamp,
            "referenceId": reference_id,
            "expiryTime": expiry_time,
            "event": event,
            "localizedAttributes": self.localized,
            "relevantAudience": self.audience,
        });
        let mut report = crate::validate::validate(&value);
        report.errors.extend(self.problems);
        if !report.is_valid() {
            return Err(BuildError { report });
        }
        serde_json::from_value(value).map_err(|e| {
            let mut report = report;
            report.errors.push(Diagnostic {
                severity: Severity::Error,
                pointer: String::new(),
                message: format!("the request does not parse: {e}"),
                suggestion: None,
            });
            BuildError { report }
        })
    }
}

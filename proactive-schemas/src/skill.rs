//! The skill event `AlexaSkillEvent.ProactiveSubscriptionChanged` (spec §6): which events a user
//! is subscribed to now, and where (which regional API host) to reach them.

use serde_json::{json, Value};

use crate::datetime::DateTime;

/// The request type of the skill event.
pub const SUBSCRIPTION_CHANGED: &str = "AlexaSkillEvent.ProactiveSubscriptionChanged";

/// A `ProactiveSubscriptionChanged` skill request.
///
/// ```
/// use proactive_schemas::SubscriptionChanged;
///
/// let body = serde_json::json!({
///     "version": "1.0",
///     "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.1"},
///                            "user": {"userId": "amzn1.ask.account.A"},
///                            "apiEndpoint": "https://api.eu.amazonalexa.com"}},
///     "request": {"type": "AlexaSkillEvent.ProactiveSubscriptionChanged", "requestId": "r1",
///                 "timestamp": "2026-11-20T10:00:00Z", "locale": "de-DE",
///                 "body": {"subscriptions": [{"eventName": "AMAZON.WeatherAlert.Activated"}]}}
/// });
/// let event = SubscriptionChanged::from_value(&body).unwrap();
/// assert_eq!(event.subscriptions, ["AMAZON.WeatherAlert.Activated"]);
/// assert_eq!(event.api_endpoint, "https://api.eu.amazonalexa.com");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionChanged {
    /// `version`.
    pub version: String,
    /// `context.System.application.applicationId`.
    pub application_id: String,
    /// `context.System.user.userId`.
    pub user_id: String,
    /// `context.System.apiEndpoint`: the user's regional API host, for later Unicast sends.
    pub api_endpoint: String,
    /// `request.requestId`.
    pub request_id: String,
    /// `request.timestamp`: events can arrive out of order; the newest wins.
    pub timestamp: DateTime,
    /// `request.locale`, if given.
    pub locale: Option<String>,
    /// The user's FULL current list of event names (`request.body.subscriptions[].eventName`);
    /// empty when the body or the list is missing or empty: unsubscribed from everything.
    pub subscriptions: Vec<String>,
}

/// A skill request that is not a valid `ProactiveSubscriptionChanged`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct SkillEventError {
    /// RFC 6901 pointer of the offending value.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

fn err(pointer: &str, message: impl Into<String>) -> SkillEventError {
    SkillEventError {
        pointer: pointer.into(),
        message: message.into(),
    }
}

fn string(v: &Value, pointer: &str) -> Result<String, SkillEventError> {
    match v.pointer(pointer) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(err(pointer, "must not be empty")),
        Some(other) => Err(err(pointer, format!("expected a string, found {other}"))),
        None => Err(err(pointer, "missing")),
    }
}

impl SubscriptionChanged {
    /// Parses the skill request body.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, SkillEventError> {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| {
            err(
                "",
                format!("invalid JSON at line {} column {}: {e}", e.line(), e.column()),
            )
        })?;
        Self::from_value(&value)
    }

    /// Reads the skill request from JSON. Unknown members are ignored (Alexa adds some).
    pub fn from_value(v: &Value) -> Result<Self, SkillEventError> {
        if !v.is_object() {
            return Err(err("", "a skill request must be a JSON object"));
        }
        let kind = string(v, "/request/type")?;
        if kind != SUBSCRIPTION_CHANGED {
            return Err(err(
                "/request/type",
                format!("expected `{SUBSCRIPTION_CHANGED}`, found `{kind}`"),
            ));
        }
        let timestamp = string(v, "/request/timestamp")?;
        let timestamp = DateTime::parse(&timestamp).map_err(|e| err("/request/timestamp", e.to_string()))?;
        let locale = match v.pointer("/request/locale") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => return Err(err("/request/locale", format!("expected a string, found {other}"))),
        };
        let mut subscriptions = Vec::new();
        match v.pointer("/request/body") {
            None | Some(Value::Null) => {}
            Some(Value::Object(body)) => match body.get("subscriptions") {
                None | Some(Value::Null) => {}
                Some(Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let name = string(item, "/eventName").map_err(|e| SkillEventError {
                            pointer: format!("/request/body/subscriptions/{i}{}", e.pointer),
                            message: e.message,
                        })?;
                        if !subscriptions.contains(&name) {
                            subscriptions.push(name);
                        }
                    }
                }
                Some(other) => {
                    return Err(err(
                        "/request/body/subscriptions",
                        format!("expected an array, found {other}"),
                    ))
                }
            },
            Some(other) => return Err(err("/request/body", format!("expected an object, found {other}"))),
        }
        Ok(SubscriptionChanged {
            version: string(v, "/version")?,
            application_id: string(v, "/context/System/application/applicationId")?,
            user_id: string(v, "/context/System/user/userId")?,
            api_endpoint: string(v, "/context/System/apiEndpoint")?,
            request_id: string(v, "/request/requestId")?,
            timestamp,
            locale,
            subscriptions,
        })
    }

    /// The skill request as Alexa sends it.
    pub fn to_value(&self) -> Value {
        let subscriptions: Vec<Value> = self.subscriptions.iter().map(|e| json!({"eventName": e})).collect();
        let mut request = json!({
            "type": SUBSCRIPTION_CHANGED,
            "requestId": self.request_id,
            "timestamp": self.timestamp.as_str(),
            "body": {"subscriptions": subscriptions},
        });
        if let Some(locale) = &self.locale {
            request["locale"] = locale.as_str().into();
        }
        json!({
            "version": self.version,
            "context": {"System": {
                "application": {"applicationId": self.application_id},
                "user": {"userId": self.user_id},
                "apiEndpoint": self.api_endpoint,
            }},
            "request": request,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Value {
        json!({
            "version": "1.0",
            "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.1"},
                                   "user": {"userId": "amzn1.ask.account.A"},
                                   "apiEndpoint": "https://api.amazonalexa.com"}},
            "request": {"type": SUBSCRIPTION_CHANGED, "requestId": "r1", "timestamp": "2026-11-20T10:00:00Z",
                        "body": {"subscriptions": [{"eventName": "AMAZON.WeatherAlert.Activated"}]}}
        })
    }

    #[test]
    fn round_trip() {
        let e = SubscriptionChanged::from_value(&body()).unwrap();
        assert_eq!(SubscriptionChanged::from_value(&e.to_value()).unwrap(), e);
    }

    #[test]
    fn missing_body_or_list_means_unsubscribed_from_everything() {
        for body_value in [
            Value::Null,
            json!({}),
            json!({"subscriptions": []}),
            json!({"subscriptions": null}),
        ] {
            let mut b = body();
            b["request"]["body"] = body_value;
            assert!(SubscriptionChanged::from_value(&b).unwrap().subscriptions.is_empty());
        }
        let mut b = body();
        b["request"].as_object_mut().unwrap().remove("body");
        assert!(SubscriptionChanged::from_value(&b).unwrap().subscriptions.is_empty());
    }

    #[test]
    fn malformed_input_names_the_pointer() {
        let cases: [(&str, Value, &str); 5] = [
            ("/request/type", json!("LaunchRequest"), "/request/type"),
            ("/request/timestamp", json!("yesterday"), "/request/timestamp"),
            (
                "/request/body",
                json!({"subscriptions": [{"eventName": 5}]}),
                "/request/body/subscriptions/0/eventName",
            ),
            (
                "/request/body",
                json!({"subscriptions": "all"}),
                "/request/body/subscriptions",
            ),
            (
                "/context/System/apiEndpoint",
                Value::Null,
                "/context/System/apiEndpoint",
            ),
        ];
        for (at, value, expected) in cases {
            let mut b = body();
            *b.pointer_mut(at).unwrap() = value;
            assert_eq!(
                SubscriptionChanged::from_value(&b).unwrap_err().pointer,
                expected,
                "{at}"
            );
        }
        assert_eq!(SubscriptionChanged::from_slice(b"{").unwrap_err().pointer, "");
    }
}

//! The request builder: sensible defaults, and no invalid request gets built.

use proactive_schemas::events::order_status_updated::*;
use proactive_schemas::events::weather_alert_activated::{AlertType, WeatherAlert, WeatherAlertActivated};
use proactive_schemas::{DateTime, Localizable, ReferenceId, RelevantAudience, Request};

fn weather(source: Localizable<String>) -> WeatherAlertActivated {
    WeatherAlertActivated {
        weather_alert: WeatherAlert {
            source,
            alert_type: AlertType::Hurricane,
        },
    }
}

fn pointers(err: proactive_schemas::BuildError) -> Vec<String> {
    err.report.errors.into_iter().map(|d| d.pointer).collect()
}

#[test]
fn defaults_are_valid_and_sensible() {
    let request = Request::builder(weather("Example Weather Corp".into()))
        .build()
        .unwrap();
    let id = request.reference_id.as_str();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
    let gap = request
        .expiry_time
        .timestamp()
        .duration_since(request.timestamp.timestamp());
    assert_eq!(gap, jiff::SignedDuration::from_hours(24));
    let age = jiff::Timestamp::now().duration_since(request.timestamp.timestamp());
    assert!(age >= jiff::SignedDuration::ZERO && age < jiff::SignedDuration::from_mins(10));
    assert_eq!(request.relevant_audience, RelevantAudience::Multicast);
    assert!(request.localized_attributes.is_empty());
}

#[test]
fn generated_reference_ids_differ() {
    let ids: std::collections::HashSet<String> = (0..1000).map(|_| ReferenceId::generate().to_string()).collect();
    assert_eq!(ids.len(), 1000);
}

#[test]
fn explicit_values_are_kept() {
    let request = Request::builder(weather(Localizable::key("source")))
        .timestamp("2026-11-20T10:00:00Z".parse::<DateTime>().unwrap())
        .expires_in(jiff::SignedDuration::from_mins(5))
        .reference_id("storm-2026~1")
        .unicast("amzn1.ask.account.EXAMPLE")
        .localized("en-US", [("source", "Example Weather Corp")])
        .build()
        .unwrap();
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "timestamp": "2026-11-20T10:00:00Z",
            "referenceId": "storm-2026~1",
            "expiryTime": "2026-11-20T10:05:00Z",
            "event": {"name": "AMAZON.WeatherAlert.Activated",
                      "payload": {"weatherAlert": {"source": "localizedattribute:source", "alertType": "HURRICANE"}}},
            "localizedAttributes": [{"locale": "en-US", "source": "Example Weather Corp"}],
            "relevantAudience": {"type": "Unicast", "payload": {"user": "amzn1.ask.account.EXAMPLE"}}
        })
    );
}

#[test]
fn refuses_an_invalid_request_and_names_every_problem() {
    let err = Request::builder(weather(Localizable::key("source")))
        .reference_id("not valid!")
        .expires_in(jiff::SignedDuration::from_mins(1))
        .localized("en-US", [("other", "x")])
        .localized("xx-YY", [("source", "x")])
        .build()
        .unwrap_err();
    assert_eq!(
        pointers(err),
        [
            "/expiryTime",
            "/localizedAttributes/0/source",
            "/localizedAttributes/1/locale",
            "/referenceId"
        ]
    );
}

#[test]
fn refuses_a_key_without_localized_attributes_and_an_empty_unicast_user() {
    let err = Request::builder(weather(Localizable::key("source")))
        .unicast("")
        .build()
        .unwrap_err();
    assert_eq!(
        pointers(err),
        ["/event/payload/weatherAlert/source", "/relevantAudience/payload/user"]
    );
}

#[test]
fn refuses_an_expiry_before_the_timestamp() {
    let err = Request::builder(weather("x".into()))
        .timestamp("2026-11-20T10:00:00Z".parse::<DateTime>().unwrap())
        .expiry_time("2026-11-20T09:00:00Z".parse::<DateTime>().unwrap())
        .build()
        .unwrap_err();
    assert_eq!(pointers(err), ["/expiryTime"]);
}

#[test]
fn window_bounds_are_inclusive() {
    let at = |expiry: &str| {
        Request::builder(weather("x".into()))
            .timestamp("2026-11-20T10:00:00Z".parse::<DateTime>().unwrap())
            .expiry_time(expiry.parse::<DateTime>().unwrap())
            .build()
            .is_ok()
    };
    assert!(at("2026-11-20T10:05:00Z"));
    assert!(!at("2026-11-20T10:04:59Z"));
    assert!(at("2026-11-21T10:00:00Z"));
    assert!(!at("2026-11-21T10:00:01Z"));
    assert!(at("2026-11-21T11:00:00+01:00"), "offsets count");
}

#[test]
fn order_status_warns_outside_en_us_but_builds() {
    let order = OrderStatusUpdated {
        state: State {
            status: Status::OrderShipped,
            enter_timestamp: None,
            delivery_details: None,
        },
        order: Order {
            seller: Seller {
                name: Localizable::key("seller"),
            },
        },
    };
    let request = Request::builder(order)
        .localized("en-US", [("seller", "Example Shop")])
        .localized("de-DE", [("seller", "Beispiel Laden")])
        .build()
        .unwrap();
    let report = request.validate();
    assert!(report.is_valid());
    assert_eq!(report.warnings.len(), 1);
    assert_eq!(report.warnings[0].pointer, "/localizedAttributes/1/locale");
    assert_eq!(
        request.preview("en-US").unwrap(),
        "Your order from Example Shop has been shipped."
    );
}

#[test]
fn enums_parse_and_display_as_in_json() {
    assert_eq!("SNOW_STORM".parse::<AlertType>().unwrap(), AlertType::SnowStorm);
    assert_eq!(AlertType::ThunderStorm.to_string(), "THUNDER_STORM");
    let err = "TORNADOO".parse::<AlertType>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "`TORNADOO` is not a valid AlertType: expected one of TORNADO, HURRICANE, SNOW_STORM, THUNDER_STORM (did you mean `TORNADO`?)"
    );
    assert_eq!(AlertType::ALL.len(), 4);
}

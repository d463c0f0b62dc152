use proactive_schemas::events::weather_alert_activated::AlertType;
use proactive_schemas::{Event, Localized};

// With no locale there would be no `localizedAttributes` entry, and every request would fail.
#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated", locales())]
struct Storm {
    #[proactive(path = "weatherAlert.source", localized)]
    source: Localized<String>,
    #[proactive(path = "weatherAlert.alertType")]
    kind: AlertType,
}

// Without a `localized` field, `locales()` asks for nothing and is fine.
#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated", locales())]
struct Plain {
    #[proactive(path = "weatherAlert.source")]
    source: String,
    #[proactive(path = "weatherAlert.alertType")]
    kind: AlertType,
}

fn main() {}

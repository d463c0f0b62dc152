use proactive_schemas::events::weather_alert_activated::AlertType;
use proactive_schemas::{Event, Localized};

#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated", locales("en-US", "en-XX", "english", "en-us", "en-US", "en-UK", "de-AT"))]
struct Storm {
    #[proactive(path = "weatherAlert.source", localized)]
    source: Localized<String>,
    #[proactive(path = "weatherAlert.alertType")]
    kind: AlertType,
}

fn main() {}

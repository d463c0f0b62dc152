use proactive_schemas::events::weather_alert_activated::AlertType;
use proactive_schemas::Event;

#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated", evnet = "x", event = "AMAZON.WeatherAlert.Activated")]
struct Storm {
    #[proactive(path = "weatherAlert.source", pth = "x")]
    source: String,
    #[proactive(path = "weatherAlert.alertType", path = "weatherAlert.alertType", localised)]
    kind: AlertType,
}

fn main() {}

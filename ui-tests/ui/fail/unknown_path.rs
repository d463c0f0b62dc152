use proactive_schemas::events::weather_alert_activated::AlertType;
use proactive_schemas::Event;

#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated")]
struct Storm {
    #[proactive(path = "weatherAlert.sourse")]
    source: String,
    #[proactive(path = "weatherAlert.alertType")]
    kind: AlertType,
}

fn main() {}

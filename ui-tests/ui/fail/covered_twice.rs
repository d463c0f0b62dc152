use proactive_schemas::events::weather_alert_activated::{AlertType, WeatherAlert};
use proactive_schemas::Event;

#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated")]
struct Storm {
    #[proactive(path = "weatherAlert.source")]
    source: String,
    #[proactive(path = "weatherAlert.source")]
    issuer: String,
    #[proactive(path = "weatherAlert.alertType")]
    kind: AlertType,
    #[proactive(path = "weatherAlert")]
    whole: WeatherAlert,
}

fn main() {}

use proactive_schemas::events::media_content_available::{ContentType, Method};
use proactive_schemas::{DateTime, Event, Localized};

// A misspelt option is one error. The build goes on as if it were spelt as suggested, so there is
// no "missing the event name", no "`key` needs `localized`", and `Localized<String>` still fits.
#[derive(Event)]
#[proactive(evnet = "AMAZON.MediaContent.Available", locales("en-US"))]
struct Episode {
    #[proactive(path = "content.name", localised, key = "title")]
    title: Localized<String>,
    #[proactive(pth = "content.contentType")]
    kind: ContentType,
    #[proactive(path = "availability.startTime")]
    airs: DateTime,
    #[proactive(path = "availability.method")]
    method: Method,
}

// The option spelt right wins over a misspelt one before it, without "given twice".
#[derive(Event)]
#[proactive(evnet = "AMAZON.Weather", event = "AMAZON.WeatherAlert.Activated")]
struct Storm {
    #[proactive(path = "weatherAlert.source")]
    source: String,
    #[proactive(path = "weatherAlert.alertType")]
    kind: proactive_schemas::events::weather_alert_activated::AlertType,
}

fn main() {}

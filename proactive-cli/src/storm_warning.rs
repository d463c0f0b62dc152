#[derive(proactive_schemas::Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated", locales("en-US", "de-DE"))]
struct StormWarning {
    #[proactive(path = "weatherAlert.source", localized, key = "source")]
    issuer: proactive_schemas::Localized<String>,
    #[proactive(path = "weatherAlert.alertType")]
    kind: proactive_schemas::events::weather_alert_activated::AlertType,
}

fn storm_warning() -> StormWarning {
    StormWarning {
        issuer: proactive_schemas::Localized::new()
            .with("en-US", "Example Weather Corp")
            .with("de-DE", "Beispiel Wetterdienst"),
        kind: proactive_schemas::events::weather_alert_activated::AlertType::SnowStorm,
    }
}

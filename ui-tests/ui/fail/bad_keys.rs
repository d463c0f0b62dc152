use proactive_schemas::events::media_content_available::{ContentType, Method};
use proactive_schemas::{DateTime, Event, Localized};

#[derive(Event)]
#[proactive(event = "AMAZON.MediaContent.Available", locales("en-US"))]
struct Episode {
    #[proactive(path = "content.name", localized, key = "show-title")]
    title: Localized<String>,
    #[proactive(path = "content.contentType")]
    kind: ContentType,
    #[proactive(path = "availability.startTime")]
    airs: DateTime,
    #[proactive(path = "availability.method")]
    method: Method,
    #[proactive(path = "availability.provider.name", localized, key = "showtitle")]
    channel: Localized<String>,
    #[proactive(skip)]
    showtitle: Localized<String>,
}

#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated", locales("en-US"))]
struct Storm {
    #[proactive(path = "weatherAlert.source", localized, key = "x")]
    source: Localized<String>,
    #[proactive(path = "weatherAlert.alertType", key = "x")]
    kind: proactive_schemas::events::weather_alert_activated::AlertType,
}

#[derive(Event)]
#[proactive(event = "AMAZON.OrderStatus.Updated", locales("en-US"))]
struct Order {
    #[proactive(path = "state.status")]
    status: proactive_schemas::events::order_status_updated::Status,
    #[proactive(path = "order.seller.name", localized, key = "seller")]
    seller: Localized<String>,
}

#[derive(Event)]
#[proactive(event = "AMAZON.Occasion.Updated", locales("en-US"))]
struct Booking {
    #[proactive(path = "state.confirmationStatus")]
    status: proactive_schemas::events::occasion_updated::ConfirmationStatus,
    #[proactive(path = "occasion.occasionType")]
    kind: proactive_schemas::events::occasion_updated::OccasionType,
    #[proactive(path = "occasion.subject", localized, key = "name")]
    subject: Localized<String>,
    #[proactive(path = "occasion.provider.name", localized, key = "name")]
    venue: Localized<String>,
    #[proactive(path = "occasion.bookingTime")]
    at: DateTime,
}

fn main() {}

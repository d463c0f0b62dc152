use proactive_schemas::events::trash_collection_alert_activated::GarbageType;
use proactive_schemas::Event;

#[derive(Event)]
#[proactive(event = "AMAZON.TrashCollectionAlert.Activated")]
struct Collection {
    #[proactive(path = "alert.garbageTypes")]
    bins: Vec<String>,
    #[proactive(path = "alert.collectionDayOfWeek")]
    day: GarbageType,
}

#[derive(Event)]
#[proactive(event = "AMAZON.MessageAlert.Activated")]
struct Inbox {
    #[proactive(path = "state.status")]
    status: String,
    #[proactive(path = "messageGroup.creator.name")]
    from: u32,
    #[proactive(path = "messageGroup.count")]
    count: Option<i64>,
    #[proactive(path = "state.freshness")]
    freshness: Option<f64>,
}

#[derive(Event)]
#[proactive(event = "AMAZON.MediaContent.Available", locales("en-US"))]
struct Episode {
    #[proactive(path = "content.name", localized)]
    title: String,
    #[proactive(path = "content.contentType")]
    kind: proactive_schemas::events::media_content_available::ContentType,
    #[proactive(path = "availability.startTime")]
    airs: std::time::SystemTime,
    #[proactive(path = "availability.method")]
    method: proactive_schemas::events::media_content_available::Method,
}

#[derive(Event)]
#[proactive(event = "AMAZON.MessageAlert.Activated")]
struct Counted {
    #[proactive(path = "state.status")]
    status: proactive_schemas::events::message_alert_activated::Status,
    #[proactive(path = "messageGroup.creator.name")]
    from: String,
    #[proactive(path = "messageGroup.count")]
    count: &'static str,
}

// The example: an integer type for a date-time.
#[derive(Event)]
#[proactive(event = "AMAZON.MediaContent.Available")]
struct Aired {
    #[proactive(path = "content.name")]
    title: proactive_schemas::Localized<String>,
    #[proactive(path = "content.contentType")]
    kind: proactive_schemas::events::media_content_available::ContentType,
    #[proactive(path = "availability.startTime")]
    airs: u64,
    #[proactive(path = "availability.method")]
    method: proactive_schemas::events::media_content_available::Method,
}

// A whole object, and an attribute of a schema file (whose enums take any `Display` type).
#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated")]
struct Whole {
    #[proactive(path = "weatherAlert")]
    alert: String,
}

#[derive(Event)]
#[proactive(schema = "schemas/AMAZON.Test.Example.json")]
struct Parcel {
    #[proactive(path = "parcel.state")]
    state: Vec<u8>,
    #[proactive(path = "parcel.count")]
    count: u64,
    #[proactive(path = "parcel.contents")]
    contents: Vec<u8>,
}

fn main() {}

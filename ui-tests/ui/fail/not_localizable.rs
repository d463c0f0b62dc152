use proactive_schemas::events::message_alert_activated::Status;
use proactive_schemas::{Event, Localized};

#[derive(Event)]
#[proactive(event = "AMAZON.MessageAlert.Activated", locales("en-US"))]
struct Inbox {
    #[proactive(path = "state.status")]
    status: Status,
    #[proactive(path = "messageGroup.creator.name", localized)]
    from: Localized<String>,
    #[proactive(path = "messageGroup.count")]
    count: i64,
}

fn main() {}

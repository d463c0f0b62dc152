use proactive_schemas::events::media_content_available::ContentType;
use proactive_schemas::{Event, Localized};

// One build reports every problem: a bad locale, an unknown path, `localized` on an enum,
// a wrong field type, an invalid key, an unknown option and two missing attributes.
#[derive(Event)]
#[proactive(event = "AMAZON.MediaContent.Available", locales("en-US", "de-de"))]
struct Episode {
    #[proactive(path = "content.nmae", localized)]
    title: Localized<String>,
    #[proactive(path = "content.contentType", localized)]
    kind: ContentType,
    #[proactive(path = "availability.startTime")]
    airs: bool,
    #[proactive(path = "availability.provider.name", localized, key = "tv_channel", color = "red")]
    channel: Localized<String>,
}

fn main() {}

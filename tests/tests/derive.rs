//! `#[derive(Event)]` on a user struct for each of the 8 events: the request built from it
//! validates and equals the hand-written example of that event.

use proactive_schemas::events::{
    media_content_available as media, message_alert_activated as message, occasion_updated as occasion,
    order_status_updated as order, social_game_invite_available as social, sports_event_updated as sports,
    trash_collection_alert_activated as trash, weather_alert_activated as weather,
};
use proactive_schemas::{BoundedVec, DateTime, Event, Localized, Request, RequestBuilder, ToEvent};
use serde_json::Value;

fn example(name: &str) -> Value {
    proactive_tests::read_json(&proactive_tests::workspace_root().join(format!("examples/{name}.json")))
}

/// Builds the request from a derived value with the envelope of the example, and checks it
/// validates and equals the example.
fn matches_example<E: ToEvent>(value: &E) {
    let example = example(E::NAME);
    let mut builder: RequestBuilder = Request::builder_from(value)
        .timestamp(example["timestamp"].as_str().unwrap().parse::<DateTime>().unwrap())
        .expiry_time(example["expiryTime"].as_str().unwrap().parse::<DateTime>().unwrap())
        .reference_id(example["referenceId"].as_str().unwrap());
    if let Some(user) = example["relevantAudience"]["payload"]["user"].as_str() {
        builder = builder.unicast(user);
    }
    let request = builder.build().unwrap_or_else(|e| panic!("{}: {e}", E::NAME));
    assert!(request.validate().errors.is_empty());
    assert_eq!(request.to_value(), example, "{}", E::NAME);
}

fn dt(s: &str) -> DateTime {
    s.parse().unwrap()
}

#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activated", locales("en-US", "de-DE"))]
struct StormWarning {
    #[proactive(path = "weatherAlert.source", localized, key = "source")]
    issuer: Localized<String>,
    #[proactive(path = "weatherAlert.alertType")]
    kind: weather::AlertType,
}

#[derive(Event)]
#[proactive(event = "AMAZON.SportsEvent.Updated", locales("en-US", "en-GB", "de-DE"))]
struct Goal {
    update: Option<sports::Update>,
    #[proactive(path = "sportsEvent.eventLeague.name", localized)]
    league: Localized<String>,
    #[proactive(path = "sportsEvent.homeTeamStatistic")]
    home: sports::TeamStatistic,
    #[proactive(path = "sportsEvent.awayTeamStatistic")]
    away: sports::TeamStatistic,
}

#[derive(Event)]
#[proactive(event = "AMAZON.MessageAlert.Activated")]
struct Inbox {
    #[proactive(path = "state.status")]
    status: message::Status,
    #[proactive(path = "state.freshness")]
    freshness: Option<message::Freshness>,
    #[proactive(path = "messageGroup.creator.name")]
    from: String,
    #[proactive(path = "messageGroup.count")]
    count: u32,
    #[proactive(path = "messageGroup.urgency")]
    urgency: Option<message::Urgency>,
}

#[derive(Event)]
#[proactive(event = "AMAZON.OrderStatus.Updated", locales("en-US"))]
struct Shipment {
    #[proactive(path = "state.status")]
    status: order::Status,
    #[proactive(path = "state.deliveryDetails.expectedArrival")]
    arrives: Option<jiff::Timestamp>,
    #[proactive(path = "order.seller.name", localized)]
    seller: Localized<String>,
}

#[derive(Event)]
#[proactive(event = "AMAZON.Occasion.Updated", locales("en-US", "fr-FR"))]
struct Booking {
    #[proactive(path = "state.confirmationStatus")]
    status: occasion::ConfirmationStatus,
    #[proactive(path = "occasion.occasionType")]
    kind: occasion::OccasionType,
    #[proactive(path = "occasion.subject", localized)]
    subject: Localized<String>,
    #[proactive(path = "occasion.provider.name")]
    venue: &'static str,
    #[proactive(path = "occasion.bookingTime")]
    at: String,
    #[proactive(path = "occasion.broker")]
    broker: Option<occasion::Broker>,
    #[proactive(skip)]
    _internal_id: u64,
}

#[derive(Event)]
#[proactive(event = "AMAZON.TrashCollectionAlert.Activated")]
struct Collection {
    #[proactive(path = "alert.garbageTypes")]
    bins: BoundedVec<trash::GarbageType, 1, 5>,
    #[proactive(path = "alert.collectionDayOfWeek")]
    day: trash::CollectionDayOfWeek,
}

#[derive(Event)]
#[proactive(event = "AMAZON.MediaContent.Available", locales("en-US", "de-DE"))]
struct NewEpisode {
    #[proactive(path = "content.name", localized)]
    title: Localized<String>,
    #[proactive(path = "content.contentType")]
    kind: media::ContentType,
    #[proactive(path = "availability.startTime")]
    airs: DateTime,
    #[proactive(path = "availability.method")]
    method: media::Method,
    #[proactive(path = "availability.provider.name", localized, key = "channel")]
    channel: Localized<String>,
}

#[derive(Event)]
#[proactive(event = "AMAZON.SocialGameInvite.Available", locales("en-US"))]
struct Rematch {
    #[proactive(path = "invite")]
    invite: social::Invite,
    #[proactive(path = "game.offer")]
    offer: social::Offer,
    #[proactive(path = "game.name", localized)]
    game: Localized<String>,
}

#[test]
fn weather_alert() {
    matches_example(&StormWarning {
        issuer: Localized::new()
            .with("en-US", "Example Weather Corp")
            .with("de-DE", "Beispiel Wetterdienst"),
        kind: weather::AlertType::Tornado,
    });
}

#[test]
fn sports_event() {
    matches_example(&Goal {
        update: Some(sports::Update {
            score_earned: 1,
            team_name: "Example Rovers".into(),
        }),
        league: [
            ("en-US", "Example Football League"),
            ("en-GB", "Example Football League"),
            ("de-DE", "Beispiel-Fußballliga"),
        ]
        .into_iter()
        .collect(),
        home: sports::TeamStatistic {
            team: sports::Team {
                name: "Example Rovers".into(),
            },
            score: 2,
        },
        away: sports::TeamStatistic {
            team: sports::Team {
                name: "Sample United".into(),
            },
            score: 1,
        },
    });
}

#[test]
fn message_alert() {
    matches_example(&Inbox {
        status: message::Status::Unread,
        freshness: Some(message::Freshness::New),
        from: "Max Example".into(),
        count: 3,
        urgency: Some(message::Urgency::Urgent),
    });
}

#[test]
fn order_status() {
    matches_example(&Shipment {
        status: order::Status::OrderShipped,
        arrives: Some("2026-11-22T18:00:00Z".parse().unwrap()),
        seller: Localized::new().with("en-US", "Example Shop"),
    });
}

#[test]
fn occasion() {
    matches_example(&Booking {
        status: occasion::ConfirmationStatus::Confirmed,
        kind: occasion::OccasionType::Reservation,
        subject: Localized::new()
            .with("en-US", "dinner for two")
            .with("fr-FR", "un dîner pour deux"),
        venue: "Example Bistro",
        at: "2026-11-21T19:30:00Z".into(),
        broker: Some(occasion::Broker {
            name: "Example Reservations".into(),
        }),
        _internal_id: 7,
    });
}

#[test]
fn trash_collection() {
    matches_example(&Collection {
        bins: BoundedVec::new(vec![
            trash::GarbageType::RecyclablePlastics,
            trash::GarbageType::PetBottles,
            trash::GarbageType::Glass,
        ])
        .unwrap(),
        day: trash::CollectionDayOfWeek::Tuesday,
    });
}

#[test]
fn media_content() {
    matches_example(&NewEpisode {
        title: Localized::new()
            .with("en-US", "The Example Show")
            .with("de-DE", "Die Beispielshow"),
        kind: media::ContentType::Episode,
        airs: dt("2026-11-21T20:00:00Z"),
        method: media::Method::Air,
        channel: Localized::new()
            .with("en-US", "Example TV")
            .with("de-DE", "Beispiel TV"),
    });
}

#[test]
fn social_game_invite() {
    matches_example(&Rematch {
        invite: social::Invite {
            relationship_to_invitee: social::RelationshipToInvitee::Friend,
            inviter: social::Inviter { name: "Alex".into() },
            invite_type: social::InviteType::Challenge,
        },
        offer: social::Offer::Rematch,
        game: Localized::new().with("en-US", "Example Chess"),
    });
}

#[test]
fn a_missing_locale_stops_the_build_naming_field_and_locale() {
    let episode = NewEpisode {
        title: Localized::new().with("en-US", "The Example Show"),
        kind: media::ContentType::Episode,
        airs: dt("2026-11-21T20:00:00Z"),
        method: media::Method::Air,
        channel: Localized::new()
            .with("en-US", "Example TV")
            .with("de-DE", "Beispiel TV"),
    };
    assert_eq!(
        episode.localized_attributes().unwrap_err().to_string(),
        "field `title` has no value for locale `de-DE`"
    );
    let err = Request::builder_from(&episode).build().unwrap_err();
    let problems: Vec<(String, String)> = err.report.errors.into_iter().map(|d| (d.pointer, d.message)).collect();
    assert!(
        problems.contains(&(
            "/localizedAttributes".into(),
            "field `title` has no value for locale `de-DE`".into()
        )),
        "{problems:?}"
    );
}

#[test]
fn a_date_time_string_is_still_validated() {
    let booking = Booking {
        status: occasion::ConfirmationStatus::Confirmed,
        kind: occasion::OccasionType::Reservation,
        subject: Localized::new().with("en-US", "dinner").with("fr-FR", "dîner"),
        venue: "Example Bistro",
        at: "tomorrow at eight".into(),
        broker: None,
        _internal_id: 0,
    };
    let err = Request::builder_from(&booking).build().unwrap_err();
    let pointers: Vec<String> = err.report.errors.into_iter().map(|d| d.pointer).collect();
    assert_eq!(pointers, ["/event/payload/occasion/bookingTime"]);
}

#[test]
fn optional_parts_left_out_are_absent() {
    let inbox = Inbox {
        status: message::Status::Flagged,
        freshness: None,
        from: "Max".into(),
        count: 1,
        urgency: None,
    };
    assert_eq!(
        inbox.payload(),
        serde_json::json!({"state": {"status": "FLAGGED"}, "messageGroup": {"creator": {"name": "Max"}, "count": 1}})
    );
    assert!(inbox.localized_attributes().unwrap().is_empty());
    let request = Request::builder_from(&inbox)
        .unicast("amzn1.ask.account.X")
        .build()
        .unwrap();
    assert_eq!(
        request.preview("en-US").unwrap(),
        "You have 1 flagged message from Max."
    );
}

#[test]
fn literal_localized_attribute_tables() {
    let table = proactive_schemas::localized_attributes! {
        "en-US" => { channel: "Example TV", title: "The Example Show" },
        "de-DE" => { channel: "Beispiel TV", "title": format!("Die {}", "Beispielshow") },
    };
    assert_eq!(
        serde_json::to_value(&table).unwrap(),
        example("AMAZON.MediaContent.Available")["localizedAttributes"]
    );
}

/// A user schema file, relative to this crate's manifest directory.
#[derive(Event)]
#[proactive(schema = "fixtures/codegen/ok/AMAZON.Test.Example.json", locales("en-US", "de-DE"))]
struct Parcel {
    #[proactive(path = "parcel.sender.name", localized)]
    sender: Localized<String>,
    #[proactive(path = "parcel.state")]
    state: &'static str,
    #[proactive(path = "parcel.count")]
    count: u8,
    #[proactive(path = "parcel.contents")]
    contents: Vec<&'static str>,
}

#[test]
fn derive_from_a_user_schema_file() {
    let parcel = Parcel {
        sender: Localized::new()
            .with("en-US", "Example Post")
            .with("de-DE", "Beispielpost"),
        state: "ON_TIME",
        count: 1,
        contents: vec!["BOOKS"],
    };
    assert_eq!(<Parcel as ToEvent>::NAME, "AMAZON.Test.Example");
    assert_eq!(
        parcel.payload(),
        serde_json::json!({"parcel": {"sender": {"name": "localizedattribute:sender"}, "state": "ON_TIME", "count": 1, "contents": ["BOOKS"]}})
    );
    let validator = proactive_schemas::Validator::new(proactive_tests::custom::EVENTS);
    let body = serde_json::json!({
        "timestamp": "2026-11-20T10:00:00Z",
        "referenceId": "parcel-2",
        "expiryTime": "2026-11-20T12:00:00Z",
        "event": {"name": <Parcel as ToEvent>::NAME, "payload": parcel.payload()},
        "localizedAttributes": parcel.localized_attributes().unwrap(),
        "relevantAudience": {"type": "Multicast", "payload": {}}
    });
    let report = validator.validate(&body);
    assert!(report.is_valid(), "{report}");
    assert_eq!(
        validator.preview(&body, "de-DE").unwrap(),
        "[English template] 1 parcel from Beispielpost contain books."
    );
}

/// The entrance of a garage, as the user's application keeps it: any `Serialize` type fits the
/// items of a user schema's array of objects (checked when validating).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Entrance {
    address: serde_json::Value,
    height_limit: Option<f64>,
}

/// A user schema file with numbers, booleans, a nullable string, arrays of integers and objects.
#[derive(Event)]
#[proactive(schema = "fixtures/codegen/written/ACME.Garage.SpacesFree.json")]
struct GarageUpdate {
    #[proactive(path = "garage.name")]
    name: String,
    #[proactive(path = "garage.address.street")]
    street: String,
    #[proactive(path = "garage.address.postcode")]
    postcode: String,
    #[proactive(path = "garage.freeSpaces")]
    free: u16,
    #[proactive(path = "garage.occupancy")]
    occupancy: Option<f32>,
    #[proactive(path = "garage.open24h")]
    always_open: bool,
    /// Required but nullable: `None` is written as `null`.
    #[proactive(path = "garage.note")]
    note: Option<String>,
    #[proactive(path = "garage.levels")]
    levels: Vec<i8>,
    #[proactive(path = "garage.entrances")]
    entrances: Option<Vec<Entrance>>,
}

#[test]
fn derive_from_a_user_schema_file_with_numbers_booleans_null_and_lists() {
    let update = GarageUpdate {
        name: "Central".into(),
        street: "1 Main Street".into(),
        postcode: "10115".into(),
        free: 42,
        occupancy: Some(0.5),
        always_open: true,
        note: None,
        levels: vec![-1, 0],
        entrances: Some(vec![Entrance {
            address: serde_json::json!({"street": "3 Side Road", "postcode": "10117"}),
            height_limit: None,
        }]),
    };
    assert_eq!(
        update.payload(),
        serde_json::json!({"garage": {
            "name": "Central",
            "address": {"street": "1 Main Street", "postcode": "10115"},
            "freeSpaces": 42,
            "occupancy": 0.5,
            "open24h": true,
            "note": null,
            "levels": [-1, 0],
            "entrances": [{"address": {"street": "3 Side Road", "postcode": "10117"}, "heightLimit": null}]
        }})
    );
    let validator = proactive_schemas::Validator::new(proactive_tests::written::EVENTS);
    let body = |payload: Value| {
        serde_json::json!({
            "timestamp": "2026-11-20T10:00:00Z",
            "referenceId": "garage-2",
            "expiryTime": "2026-11-20T12:00:00Z",
            "event": {"name": <GarageUpdate as ToEvent>::NAME, "payload": payload},
            "localizedAttributes": [],
            "relevantAudience": {"type": "Multicast", "payload": {}}
        })
    };
    let report = validator.validate(&body(update.payload()));
    assert!(report.is_valid(), "{report}");
    // The rules of the file apply to derived values when they are validated.
    let wrong = GarageUpdate {
        postcode: "1011".into(),
        occupancy: Some(f32::NAN),
        ..update
    };
    let pointers: Vec<String> = validator
        .validate(&body(wrong.payload()))
        .errors
        .into_iter()
        .map(|d| d.pointer)
        .collect();
    assert_eq!(
        pointers,
        [
            "/event/payload/garage/address/postcode",
            "/event/payload/garage/occupancy"
        ]
    );
}

/// The JSON Schema of a derived struct is that of the payload it becomes.
#[test]
fn derived_structs_implement_json_schema() {
    use proactive_schemas::schemars::{schema_for, JsonSchema};

    fn compile(schema: &Value) -> jsonschema::Validator {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(schema)
            .unwrap()
    }
    // A catalogue event: the same schema as the generated payload type.
    let storm = serde_json::to_value(schema_for!(StormWarning)).unwrap();
    let generated = serde_json::to_value(schema_for!(weather::WeatherAlertActivated)).unwrap();
    assert_eq!(storm["properties"], generated["properties"]);
    assert_eq!(StormWarning::schema_name(), "StormWarning");
    let example = example("AMAZON.WeatherAlert.Activated");
    let storm = compile(&storm);
    assert!(storm.is_valid(&example["event"]["payload"]));
    assert!(!storm.is_valid(&serde_json::json!({"weatherAlert": {}})));

    // A user schema file: its schema, `$ref`s resolved, so it stands alone in another document.
    let garage = serde_json::to_value(schema_for!(GarageUpdate)).unwrap();
    assert!(!garage.to_string().contains("$ref"), "{garage}");
    let garage = compile(&garage);
    let update = GarageUpdate {
        name: "Central".into(),
        street: "1 Main Street".into(),
        postcode: "10115".into(),
        free: 42,
        occupancy: None,
        always_open: false,
        note: Some("Closed on Sundays".into()),
        levels: vec![0],
        entrances: None,
    };
    assert!(garage.is_valid(&update.payload()));
    let mut wrong = update.payload();
    wrong["garage"]["freeSpaces"] = serde_json::json!(-1);
    assert!(!garage.is_valid(&wrong));
}

/// An optional `localized` field: present, it is referenced in the payload and has its text in
/// every locale; absent, neither.
#[derive(Event)]
#[proactive(schema = "fixtures/derive/ACME.Parcel.Noted.json", locales("en-US", "de-DE"))]
struct Noted {
    #[proactive(path = "parcel.count")]
    count: u8,
    #[proactive(path = "parcel.note", localized)]
    note: Option<Localized<String>>,
}

#[test]
fn an_optional_localized_field() {
    let mut parcel = Noted {
        count: 2,
        note: Some(Localized::new().with("en-US", "Fragile").with("de-DE", "Zerbrechlich")),
    };
    assert_eq!(
        parcel.payload(),
        serde_json::json!({"parcel": {"count": 2, "note": "localizedattribute:note"}})
    );
    let entries = parcel.localized_attributes().unwrap();
    let texts: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e.locale.as_str(), e.values["note"].as_str()))
        .collect();
    assert_eq!(texts, [("en-US", "Fragile"), ("de-DE", "Zerbrechlich")]);

    parcel.note = Some(Localized::new().with("en-US", "Fragile"));
    assert_eq!(
        parcel.localized_attributes().unwrap_err().to_string(),
        "field `note` has no value for locale `de-DE`"
    );

    parcel.note = None;
    assert_eq!(parcel.payload(), serde_json::json!({"parcel": {"count": 2}}));
    assert!(parcel.localized_attributes().unwrap().is_empty());
}

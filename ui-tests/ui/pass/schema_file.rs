use proactive_schemas::{Event, ToEvent};

// A schema file next to the crate (`ui-tests/schemas/`): found wherever the target directory is,
// and its attributes take any `Display` type for enums and the usual types otherwise.
#[derive(Event)]
#[proactive(schema = "schemas/AMAZON.Test.Example.json")]
struct Parcel {
    #[proactive(path = "parcel.state")]
    state: &'static str,
    #[proactive(path = "parcel.count")]
    count: u8,
    #[proactive(path = "parcel.contents")]
    contents: Vec<String>,
}

fn main() {
    let parcel = Parcel {
        state: "LATE",
        count: 2,
        contents: vec!["BOOKS".into()],
    };
    assert_eq!(<Parcel as ToEvent>::NAME, "AMAZON.Test.Example");
    assert_eq!(
        parcel.payload(),
        serde_json::json!({ "parcel": { "state": "LATE", "count": 2, "contents": ["BOOKS"] } })
    );
}

use proactive_schemas::Event;

// A schema file with a number, a boolean, a nullable string and lists of integers and objects:
// each field of the wrong type is an error under its type, naming the attribute and what fits.
#[derive(Event)]
#[proactive(schema = "schemas/ACME.Garage.SpacesFree.json")]
struct Garage {
    #[proactive(path = "garage.name")]
    name: String,
    #[proactive(path = "garage.address.street")]
    street: String,
    #[proactive(path = "garage.address.postcode")]
    postcode: String,
    #[proactive(path = "garage.freeSpaces")]
    free: i64,
    #[proactive(path = "garage.occupancy")]
    occupancy: Option<String>,
    #[proactive(path = "garage.open24h")]
    always_open: &'static str,
    #[proactive(path = "garage.note")]
    note: Option<u8>,
    #[proactive(path = "garage.levels")]
    levels: Vec<f64>,
    #[proactive(path = "garage.entrances")]
    entrances: Option<Vec<std::time::Instant>>,
}

fn main() {}

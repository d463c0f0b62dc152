use proactive_schemas::Event;

// `schema` is relative to the manifest directory of the crate using the derive: `ui-tests`'s
// `schemas/`, which `tests/ui.rs` mirrors into trybuild's project. The file is found and read;
// its second enum value is a number. (`missing_schema_file.rs` is the file that is not there.)
#[derive(Event)]
#[proactive(schema = "schemas/AMAZON.Bad.Enum.json")]
struct Bad {
    level: String,
}

fn main() {}

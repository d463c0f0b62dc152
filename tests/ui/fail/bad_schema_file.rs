use proactive_schemas::Event;

// Paths are relative to the manifest directory of the crate using the derive; trybuild builds
// this file in `target/tests/trybuild/proactive-tests`, four levels below the workspace.
#[derive(Event)]
#[proactive(schema = "../../../../tests/fixtures/codegen/bad-enum/AMAZON.Bad.Enum.json")]
struct Bad {
    level: String,
}

#[derive(Event)]
#[proactive(schema = "../../../../tests/fixtures/codegen/missing/AMAZON.Not.There.json")]
struct Missing {
    level: String,
}

fn main() {}

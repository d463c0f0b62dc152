use proactive_schemas::Event;

#[derive(Event)]
#[proactive(schema = "schemas/AMAZON.Not.There.json")]
struct Missing {
    level: String,
}

fn main() {}

use proactive_schemas::Event;

#[derive(Event)]
#[proactive(event = "AMAZON.WeatherAlert.Activate")]
struct Storm {
    source: String,
}

fn main() {}

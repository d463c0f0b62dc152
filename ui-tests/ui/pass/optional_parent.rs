use proactive_schemas::events::sports_event_updated::TeamStatistic;
use proactive_schemas::{Event, Localized, ToEvent};

// `update` is optional: leaving it out entirely needs no field for its required children.
#[derive(Event)]
#[proactive(event = "AMAZON.SportsEvent.Updated", locales("en-US"))]
struct Score {
    #[proactive(path = "sportsEvent.eventLeague.name", localized)]
    league: Localized<String>,
    #[proactive(path = "sportsEvent.homeTeamStatistic")]
    home: TeamStatistic,
    #[proactive(path = "sportsEvent.awayTeamStatistic")]
    away: TeamStatistic,
}

fn main() {
    assert_eq!(<Score as ToEvent>::NAME, "AMAZON.SportsEvent.Updated");
}

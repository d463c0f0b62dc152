use proactive_schemas::events::sports_event_updated::TeamStatistic;
use proactive_schemas::Event;

// `update` is optional, but once a field covers part of it, its required `scoreEarned` is needed;
// `sportsEvent.eventLeague.name` is required and missing outright.
#[derive(Event)]
#[proactive(event = "AMAZON.SportsEvent.Updated")]
struct Goal {
    #[proactive(path = "update.teamName")]
    scorer: String,
    #[proactive(path = "sportsEvent.homeTeamStatistic")]
    home: TeamStatistic,
    #[proactive(path = "sportsEvent.awayTeamStatistic")]
    away: TeamStatistic,
}

fn main() {}

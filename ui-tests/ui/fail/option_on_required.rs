use proactive_schemas::events::message_alert_activated::Status;
use proactive_schemas::events::sports_event_updated::TeamStatistic;
use proactive_schemas::Event;

// `messageGroup.count` and all its parents are required: the help says to drop the `Option`,
// not to cover an optional parent, for there is none.
#[derive(Event)]
#[proactive(event = "AMAZON.MessageAlert.Activated")]
struct Inbox {
    #[proactive(path = "state.status")]
    status: Status,
    #[proactive(path = "messageGroup.creator.name")]
    from: String,
    #[proactive(path = "messageGroup.count")]
    count: Option<i64>,
}

// `update.scoreEarned` is required inside the optional `update`: that is what can be left out.
#[derive(Event)]
#[proactive(event = "AMAZON.SportsEvent.Updated")]
struct Goal {
    #[proactive(path = "sportsEvent.eventLeague.name")]
    league: String,
    #[proactive(path = "sportsEvent.homeTeamStatistic")]
    home: TeamStatistic,
    #[proactive(path = "sportsEvent.awayTeamStatistic")]
    away: TeamStatistic,
    #[proactive(path = "update.scoreEarned")]
    score: Option<i64>,
    #[proactive(path = "update.teamName")]
    team: String,
}

fn main() {}

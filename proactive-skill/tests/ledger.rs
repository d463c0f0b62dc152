//! The ledger under shuffled, duplicated and concurrent histories, in memory, in SQLite and in
//! PostgreSQL (when `DATABASE_URL` names a server: see `support`), across threads, across
//! processes, and with a process killed mid-apply. `tests/postgres.rs` has more Postgres tests.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use proactive_schemas::SubscriptionChanged;
use proactive_skill::{Ledger, MemoryStore, Outcome, Route, SqliteStore, Store};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

#[cfg(feature = "postgres")]
mod support;

/// The Postgres store for a test, on a schema of its own that the guard drops; `None` when the
/// Postgres tests are skipped (no `DATABASE_URL`, not under CI).
#[cfg(feature = "postgres")]
fn postgres(test: &str) -> Option<(support::TestSchema, Arc<dyn Store>)> {
    let schema = support::TestSchema::new(test)?;
    let store = Arc::new(schema.store());
    Some((schema, store))
}

/// Without the `postgres` feature (the published crate's own tests): memory and SQLite only.
#[cfg(not(feature = "postgres"))]
fn postgres(_test: &str) -> Option<((), Arc<dyn Store>)> {
    None
}

const EVENTS: &[&str] = &[
    "AMAZON.WeatherAlert.Activated",
    "AMAZON.OrderStatus.Updated",
    "AMAZON.SportsEvent.Updated",
    "AMAZON.MediaContent.Available",
];

/// Event number `n` of user `user`: its subscriptions and endpoint are a function of `n`, so any
/// stored row can be checked for consistency against its own timestamp.
fn event(user: usize, n: u32) -> SubscriptionChanged {
    let subscriptions = EVENTS
        .iter()
        .enumerate()
        .filter(|(i, _)| (n >> i) & 1 == 1)
        .map(|(_, e)| e.to_string())
        .collect();
    let timestamp = proactive_schemas::jiff::Timestamp::from_second(1_790_000_000 + i64::from(n)).unwrap();
    SubscriptionChanged {
        version: "1.0".into(),
        application_id: "amzn1.ask.skill.test".into(),
        user_id: format!("amzn1.ask.account.U{user}"),
        api_endpoint: format!("https://api.region{}.example", n % 3),
        request_id: format!("req-{user}-{n}"),
        timestamp: proactive_schemas::DateTime::from_timestamp(timestamp),
        locale: Some("en-US".into()),
        subscriptions,
    }
}

fn expected(user: usize, n: u32) -> (BTreeSet<String>, String) {
    let e = event(user, n);
    (e.subscriptions.into_iter().collect(), e.api_endpoint)
}

fn state(store: &dyn Store, user: usize) -> Option<(BTreeSet<String>, String)> {
    store
        .user(&format!("amzn1.ask.account.U{user}"))
        .unwrap()
        .map(|u| (u.events, u.api_endpoint))
}

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("proactive-skill-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ledger.db");
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn stale_replayed_and_empty() {
    let ledger = Ledger::new(MemoryStore::default());
    let weather = EVENTS[0];
    let subscribed = event(0, 1); // weather only
    assert_eq!(
        ledger.apply(&subscribed).unwrap(),
        Outcome::Changed {
            subscribed: vec![weather.into()],
            unsubscribed: vec![]
        }
    );
    assert_eq!(
        ledger.apply(&subscribed).unwrap(),
        Outcome::Duplicate,
        "a replay changes nothing"
    );
    assert_eq!(
        ledger.route("amzn1.ask.account.U0", weather).unwrap(),
        Some(Route {
            api_endpoint: "https://api.region1.example".into()
        })
    );

    let unsubscribed = event(0, 4); // an empty list is "unsubscribed from everything" (bit 2 only: sports)
    let mut empty = unsubscribed.clone();
    empty.subscriptions.clear();
    assert_eq!(
        ledger.apply(&empty).unwrap(),
        Outcome::Changed {
            subscribed: vec![],
            unsubscribed: vec![weather.into()]
        }
    );
    assert_eq!(ledger.route("amzn1.ask.account.U0", weather).unwrap(), None);
    assert_eq!(
        ledger.apply(&event(0, 3)).unwrap(),
        Outcome::Stale,
        "older than the newest applied"
    );
    assert_eq!(ledger.route("amzn1.ask.account.U0", weather).unwrap(), None);
    assert_eq!(ledger.route("amzn1.ask.account.NOBODY", weather).unwrap(), None);
}

#[test]
fn subscribers_of_an_event() {
    let pg = postgres("subscribers_of_an_event");
    let mut stores = vec![
        Arc::new(MemoryStore::default()) as Arc<dyn Store>,
        Arc::new(SqliteStore::in_memory().unwrap()),
    ];
    stores.extend(pg.as_ref().map(|(_, store)| store.clone()));
    for store in stores {
        store.apply(&event(1, 1)).unwrap();
        store.apply(&event(2, 3)).unwrap();
        store.apply(&event(3, 2)).unwrap();
        let users: Vec<String> = store
            .subscribers(EVENTS[0])
            .unwrap()
            .into_iter()
            .map(|u| u.user_id)
            .collect();
        assert_eq!(users, ["amzn1.ask.account.U1", "amzn1.ask.account.U2"]);
    }
}

/// Shuffled, duplicated histories of several users: the final state of each user is the state of
/// their event with the newest timestamp, in memory, in SQLite and in PostgreSQL.
#[test]
fn final_state_is_the_newest_event() {
    // One Postgres schema for every case: each case has users of its own (`base + user`).
    let pg = postgres("final_state_is_the_newest_event");
    let case = std::sync::atomic::AtomicUsize::new(0);
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let histories = prop::collection::vec(prop::collection::vec(0u32..16, 1..12), 1..4);
    let result = runner.run(&(histories, any::<u64>()), |(histories, seed)| {
        let base = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed) * 4;
        let mut all: Vec<(usize, u32)> = Vec::new();
        for (user, ns) in histories.iter().enumerate() {
            for (i, bits) in ns.iter().enumerate() {
                // Distinct timestamps per user: n = position * 16 + bits.
                let n = (i as u32) * 16 + bits;
                all.push((base + user, n));
                if bits % 3 == 0 {
                    all.push((base + user, n)); // a duplicate delivery
                }
            }
        }
        // Shuffle deterministically from the seed (Fisher-Yates with an LCG).
        let mut s = seed | 1;
        for i in (1..all.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            all.swap(i, (s >> 33) as usize % (i + 1));
        }
        let memory = MemoryStore::default();
        let sqlite = SqliteStore::in_memory().unwrap();
        let mut stores: Vec<&dyn Store> = vec![&memory, &sqlite];
        stores.extend(pg.as_ref().map(|(_, store)| store.as_ref()));
        for (user, n) in &all {
            let outcomes: Vec<Outcome> = stores.iter().map(|s| s.apply(&event(*user, *n)).unwrap()).collect();
            // Every store says the same about every delivery, not only about the end.
            prop_assert!(
                outcomes.windows(2).all(|w| w[0] == w[1]),
                "{:?} for {} {}",
                outcomes,
                user,
                n
            );
        }
        for (user, ns) in histories.iter().enumerate() {
            let newest = ns.iter().enumerate().map(|(i, b)| (i as u32) * 16 + b).max().unwrap();
            for store in &stores {
                prop_assert_eq!(state(*store, base + user), Some(expected(base + user, newest)));
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn shuffled(users: usize, per_user: u32, salt: u64) -> Vec<(usize, u32)> {
    let mut all: Vec<(usize, u32)> = (0..users).flat_map(|u| (0..per_user).map(move |n| (u, n))).collect();
    let mut s = salt | 1;
    for i in (1..all.len()).rev() {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        all.swap(i, (s >> 33) as usize % (i + 1));
    }
    all
}

#[test]
fn concurrent_threads_end_at_the_newest_state() {
    let path = temp_db("threads");
    let pg = postgres("concurrent_threads_end_at_the_newest_state");
    let mut stores: Vec<Arc<dyn Store>> = vec![
        Arc::new(MemoryStore::default()),
        Arc::new(SqliteStore::open(&path).unwrap()),
    ];
    stores.extend(pg.as_ref().map(|(_, store)| store.clone()));
    for store in stores {
        std::thread::scope(|scope| {
            for t in 0..4u64 {
                let store = store.clone();
                scope.spawn(move || {
                    for (user, n) in shuffled(5, 40, t + 1) {
                        store.apply(&event(user, n)).unwrap();
                    }
                });
            }
        });
        for user in 0..5 {
            assert_eq!(state(store.as_ref(), user), Some(expected(user, 39)));
        }
    }
    // A second connection to the same file sees the same.
    let reopened = SqliteStore::open(&path).unwrap();
    assert_eq!(state(&reopened, 3), Some(expected(3, 39)));
}

/// When run as a child (`LEDGER_WORKER=path:salt`), applies a shuffled history to the database,
/// printing a line after each apply.
fn worker() -> bool {
    let Ok(spec) = std::env::var("LEDGER_WORKER") else {
        return false;
    };
    let (path, salt) = spec.rsplit_once(':').unwrap();
    let store = SqliteStore::open(path).unwrap();
    let rounds: u32 = std::env::var("LEDGER_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    for round in 0..rounds {
        for (user, n) in shuffled(4, 30, salt.parse::<u64>().unwrap() + u64::from(round) * 7) {
            store.apply(&event(user, n)).unwrap();
            println!("applied {user} {n}");
        }
    }
    true
}

fn spawn_worker(test: &str, path: &Path, salt: u64, rounds: u32) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads", "1"])
        .env("LEDGER_WORKER", format!("{}:{salt}", path.display()))
        .env("LEDGER_ROUNDS", rounds.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn two_processes_on_one_file_end_at_the_newest_state() {
    if worker() {
        return;
    }
    let path = temp_db("processes");
    SqliteStore::open(&path).unwrap();
    let children: Vec<_> = (0..2)
        .map(|i| spawn_worker("two_processes_on_one_file_end_at_the_newest_state", &path, 11 + i, 1))
        .collect();
    for mut child in children {
        let out = child.wait_with_output_lines();
        assert_eq!(out, 120, "each worker applies 4 users x 30 events");
    }
    let store = SqliteStore::open(&path).unwrap();
    for user in 0..4 {
        assert_eq!(state(&store, user), Some(expected(user, 29)));
    }
}

#[test]
fn a_process_killed_mid_apply_leaves_a_consistent_database() {
    if worker() {
        return;
    }
    let path = temp_db("killed");
    SqliteStore::open(&path).unwrap();
    let mut child = spawn_worker(
        "a_process_killed_mid_apply_leaves_a_consistent_database",
        &path,
        5,
        1000,
    );
    // Kill it while it is busy: after it reported 150 applies.
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    for _ in 0..150 {
        lines.next().unwrap().unwrap();
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let conn_check = SqliteStore::open(&path).unwrap();
    // Every row is exactly the state of one event (its list and endpoint match its timestamp).
    for user in 0..4 {
        let Some(row) = conn_check.user(&format!("amzn1.ask.account.U{user}")).unwrap() else {
            continue;
        };
        let n = u32::try_from(row.order.0 - 1_790_000_000).unwrap();
        assert_eq!((row.events, row.api_endpoint), expected(user, n), "user {user}");
        assert_eq!(row.order.2, format!("req-{user}-{n}"));
    }
    // And the database file itself is intact.
    let integrity: String = rusqlite_integrity(&path);
    assert_eq!(integrity, "ok");
    // Applying goes on from there.
    conn_check.apply(&event(0, 10_000)).unwrap();
    assert_eq!(state(&conn_check, 0), Some(expected(0, 10_000)));
}

fn rusqlite_integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

trait WaitLines {
    fn wait_with_output_lines(&mut self) -> usize;
}

impl WaitLines for std::process::Child {
    fn wait_with_output_lines(&mut self) -> usize {
        let stdout = self.stdout.take().unwrap();
        let n = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter(|l| l.contains("applied "))
            .count();
        assert!(self.wait().unwrap().success());
        n
    }
}

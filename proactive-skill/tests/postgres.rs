//! `PostgresStore` on a real server (`DATABASE_URL`; see `support` for skipping): several worker
//! processes applying to one database, first use racing on the migrations, use from async code,
//! and secrets kept out of errors. The property tests over memory, SQLite and Postgres are in
//! `tests/ledger.rs`.
#![cfg(feature = "postgres")]

mod support;

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use proactive_schemas::SubscriptionChanged;
use proactive_skill::{Ledger, Outcome, PostgresStore, Store};
use support::TestSchema;

const EVENTS: &[&str] = &[
    "AMAZON.WeatherAlert.Activated",
    "AMAZON.OrderStatus.Updated",
    "AMAZON.SportsEvent.Updated",
    "AMAZON.MediaContent.Available",
];

/// Event number `n` of user `user`. Events `2k` and `2k + 1` share a timestamp, so the request id
/// (zero-padded: it orders like `n`) decides between them; the subscriptions and endpoint are a
/// function of `n`, so a stored row can be checked against its own request id.
fn event(user: usize, n: u32) -> SubscriptionChanged {
    let subscriptions = EVENTS
        .iter()
        .enumerate()
        .filter(|(i, _)| (n.wrapping_mul(7) >> i) & 1 == 1)
        .map(|(_, e)| e.to_string())
        .collect();
    let timestamp = proactive_schemas::jiff::Timestamp::from_second(1_790_000_000 + i64::from(n / 2)).unwrap();
    SubscriptionChanged {
        version: "1.0".into(),
        application_id: "amzn1.ask.skill.test".into(),
        user_id: format!("amzn1.ask.account.P{user:04}"),
        api_endpoint: format!("https://api.region{}.example", n % 3),
        request_id: format!("req-{user:04}-{n:04}"),
        timestamp: proactive_schemas::DateTime::from_timestamp(timestamp),
        locale: None,
        subscriptions,
    }
}

fn shuffle<T>(items: &mut [T], salt: u64) {
    let mut s = salt.wrapping_mul(2862933555777941757) | 1;
    for i in (1..items.len()).rev() {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        items.swap(i, (s >> 33) as usize % (i + 1));
    }
}

const USERS: usize = 60;
const PER_USER: u32 = 30;
/// Users are taken a few at a time, the same ones by every worker, so the workers contend for the
/// same rows; within a group each worker has its own order.
const GROUP: usize = 3;
const WORKERS: u64 = 4;

/// Every delivery of the shared histories, in the order of worker `salt`: each event of each user
/// once, and every fourth one twice (Alexa redelivers).
fn deliveries(salt: u64) -> Vec<(usize, u32)> {
    let mut all = Vec::new();
    for group in (0..USERS).collect::<Vec<_>>().chunks(GROUP) {
        let mut these: Vec<(usize, u32)> = group
            .iter()
            .flat_map(|&u| (0..PER_USER).flat_map(move |n| std::iter::repeat_n((u, n), if n % 4 == 0 { 2 } else { 1 })))
            .collect();
        shuffle(&mut these, salt * 1000 + group[0] as u64);
        all.extend(these);
    }
    all
}

/// As a child (`PG_LEDGER_WORKER=salt`): connects (racing the others to create the schema), says
/// `ready`, waits for `go` on stdin, applies its deliveries and prints each `changed` one.
fn worker() -> bool {
    let Ok(salt) = std::env::var("PG_LEDGER_WORKER") else {
        return false;
    };
    let salt: u64 = salt.parse().unwrap();
    let url = std::env::var("DATABASE_URL").unwrap();
    let schema = std::env::var("PG_LEDGER_SCHEMA").unwrap();
    let store = PostgresStore::builder(&url).schema(schema).connect().unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).unwrap();
    assert_eq!(go.trim(), "go");
    let mut applied = 0;
    for (user, n) in deliveries(salt) {
        if let Outcome::Changed { .. } = store.apply(&event(user, n)).unwrap() {
            writeln!(out, "changed {user} {n}").unwrap();
        }
        applied += 1;
    }
    writeln!(out, "applied {applied}").unwrap();
    true
}

#[test]
fn four_processes_converge_to_each_users_newest_event() {
    const TEST: &str = "four_processes_converge_to_each_users_newest_event";
    if worker() {
        return;
    }
    let Some(schema) = TestSchema::new(TEST) else {
        return;
    };
    // The schema does not exist yet: the four workers create it at once.
    let mut children: Vec<_> = (0..WORKERS)
        .map(|salt| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", TEST, "--nocapture", "--test-threads", "1"])
                .env("PG_LEDGER_WORKER", salt.to_string())
                .env("DATABASE_URL", &schema.url)
                .env("PG_LEDGER_SCHEMA", &schema.name)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut outputs: Vec<_> = children
        .iter_mut()
        .map(|c| BufReader::new(c.stdout.take().unwrap()).lines())
        .collect();
    for out in &mut outputs {
        // The test harness prints its own lines first (`running 1 test`, `test … ... `).
        let ready = out.map_while(Result::ok).any(|line| line.ends_with("ready"));
        assert!(ready, "a worker ended before it was ready");
    }
    // All connected: start them together, so they apply concurrently.
    let start = Instant::now();
    for child in &mut children {
        writeln!(child.stdin.take().unwrap(), "go").unwrap();
    }
    let readers: Vec<_> = outputs
        .into_iter()
        .map(|out| std::thread::spawn(move || out.map_while(Result::ok).collect::<Vec<String>>()))
        .collect();
    let mut changed: HashMap<(usize, u32), usize> = HashMap::new();
    for (child, reader) in children.iter_mut().zip(readers) {
        let lines = reader.join().unwrap();
        assert!(child.wait().unwrap().success(), "a worker failed");
        let expected = deliveries(0).len();
        assert!(lines.iter().any(|l| l == &format!("applied {expected}")), "{lines:?}");
        for line in lines {
            let Some(rest) = line.strip_prefix("changed ") else {
                continue;
            };
            let (user, n) = rest.split_once(' ').unwrap();
            *changed.entry((user.parse().unwrap(), n.parse().unwrap())).or_default() += 1;
        }
    }
    eprintln!(
        "{WORKERS} processes applied {} events in {:.2?}",
        WORKERS as usize * deliveries(0).len(),
        start.elapsed()
    );

    let store = schema.store();
    let newest = PER_USER - 1;
    // Every user ends at their newest event.
    let wrong: Vec<String> = (0..USERS)
        .filter_map(|user| {
            let e = event(user, newest);
            let state = store.user(&e.user_id).unwrap().unwrap();
            let right = state.events == e.subscriptions.iter().cloned().collect::<BTreeSet<_>>()
                && state.api_endpoint == e.api_endpoint
                && state.order == proactive_skill::order_key(&e)
                && state.timestamp == e.timestamp.as_str();
            (!right).then(|| format!("user {user} ended at {}", state.order.2))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {USERS} users did not converge: {wrong:?}",
        wrong.len()
    );
    // Each event became its user's state at most once, across all processes; the newest did.
    for user in 0..USERS {
        for n in 0..PER_USER {
            assert!(
                changed.get(&(user, n)).copied().unwrap_or(0) <= 1,
                "user {user} event {n}"
            );
        }
        assert_eq!(changed.get(&(user, newest)), Some(&1), "user {user}");
    }
    // And the event index agrees with the rows.
    for name in EVENTS {
        let got: Vec<String> = store
            .subscribers(name)
            .unwrap()
            .into_iter()
            .map(|u| u.user_id)
            .collect();
        let want: Vec<String> = (0..USERS)
            .map(|u| event(u, newest))
            .filter(|e| e.subscriptions.iter().any(|s| s == name))
            .map(|e| e.user_id)
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn a_second_store_shares_the_first_ones_state() {
    let Some(schema) = TestSchema::new("a_second_store_shares_the_first_ones_state") else {
        return;
    };
    let first = Ledger::new(schema.store());
    let second = Ledger::new(schema.store()); // the tables exist: no migration this time
    assert!(matches!(first.apply(&event(1, 5)).unwrap(), Outcome::Changed { .. }));
    assert_eq!(second.apply(&event(1, 5)).unwrap(), Outcome::Duplicate);
    assert_eq!(
        second.apply(&event(1, 4)).unwrap(),
        Outcome::Stale,
        "same second, smaller request id"
    );
    assert!(matches!(second.apply(&event(1, 7)).unwrap(), Outcome::Changed { .. }));
    assert_eq!(
        first.store().user(&event(1, 0).user_id).unwrap().unwrap().order.2,
        "req-0001-0007"
    );
    assert_eq!(first.store().user("amzn1.ask.account.NOBODY").unwrap(), None);
    let recorded: Vec<String> = {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&schema.url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            let sql = format!("SELECT name FROM \"{}\".schema_migrations ORDER BY name", schema.name);
            client
                .query(&sql, &[])
                .await
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect()
        })
    };
    assert_eq!(recorded, ["ledger-1-users"]);
}

/// Async code may call the synchronous store directly (it blocks that thread for the round trip),
/// and drop it: neither panics, on either kind of runtime.
#[test]
fn usable_and_droppable_inside_async_code() {
    let Some(schema) = TestSchema::new("usable_and_droppable_inside_async_code") else {
        return;
    };
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = current.block_on(async {
        let store = Arc::new(schema.store());
        store.apply(&event(2, 1)).unwrap();
        // The handler's way: on the blocking pool.
        let s = store.clone();
        tokio::task::spawn_blocking(move || s.apply(&event(2, 3)))
            .await
            .unwrap()
            .unwrap();
        store
    });
    let multi = tokio::runtime::Runtime::new().unwrap();
    multi.block_on(async move {
        tokio::spawn(async move {
            assert_eq!(
                store.user(&event(2, 0).user_id).unwrap().unwrap().order.2,
                "req-0002-0003"
            );
            drop(store); // the last reference, on a worker thread
        })
        .await
        .unwrap();
    });
}

/// The password is in neither `Debug` output nor any error; errors name the host and port.
#[test]
fn errors_name_the_server_never_the_password() {
    // Nothing listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://app:hunter2-s3cret@127.0.0.1:{port}/skills?password=hunter2-s3cret");
    let builder = PostgresStore::builder(&url);
    assert!(!format!("{builder:?}").contains("hunter2"), "{builder:?}");
    let e = builder.connect().unwrap_err().to_string();
    assert!(!e.contains("hunter2"), "{e}");
    assert!(e.contains(&format!("127.0.0.1:{port}")), "{e}");
    assert!(e.contains("cannot connect"), "{e}");

    let e = PostgresStore::connect("host=127.0.0.1 password=hunter2-s3cret port=notanumber")
        .unwrap_err()
        .to_string();
    assert!(!e.contains("hunter2"), "{e}");
    assert!(e.contains("invalid PostgreSQL connection string"), "{e}");

    let e = PostgresStore::builder("postgres://localhost/x")
        .schema("no; DROP TABLE x")
        .connect()
        .unwrap_err()
        .to_string();
    assert!(e.contains("invalid PostgreSQL schema name"), "{e}");

    // A real server refusing a wrong password (when DATABASE_URL has one).
    let Some(schema) = TestSchema::new("errors_name_the_server_never_the_password") else {
        return;
    };
    // TLS is not supported yet: a connection string asking for it fails, rather than going without.
    let separator = if schema.url.contains('?') { '&' } else { '?' };
    let e = PostgresStore::connect(&format!("{}{separator}sslmode=require", schema.url))
        .unwrap_err()
        .to_string();
    assert!(e.contains("TLS"), "{e}");
    let store = schema.store();
    let debug = format!("{store:?}");
    if let Some((head, tail)) = schema.url.split_once("://").and_then(|(scheme, rest)| {
        let (userinfo, host) = rest.split_once('@')?;
        let (user, password) = userinfo.split_once(':')?;
        assert!(!debug.contains(password), "{debug}");
        assert!(!store.target().contains(password), "{}", store.target());
        Some((format!("{scheme}://{user}:"), format!("@{host}")))
    }) {
        let wrong = format!("{head}wrong-hunter2{tail}");
        let e = PostgresStore::connect(&wrong).unwrap_err().to_string();
        assert!(!e.contains("hunter2"), "{e}");
        assert!(e.contains("password authentication failed"), "{e}");
    }
}

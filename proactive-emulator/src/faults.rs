//! Injected faults ([`Faults`]) and the dice that decide them, reproducible from a seed.

use std::time::{Duration, Instant};

use crate::Inner;

/// Faults injected into `POST /v1/proactiveEvents…`, and (only [`token_failures`](Self::token_failures))
/// into the token endpoint.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// The first this many token requests are answered `503` with Login with Amazon's error body
    /// (`temporarily_unavailable`), whatever they ask (default 0).
    pub token_failures: u32,
    /// At most this many requests per second; more get `429` with `Retry-After`.
    pub rate_limit: Option<u32>,
    /// The `Retry-After` seconds sent with a 429 (default 1).
    pub retry_after_secs: u64,
    /// Share (0.0–1.0) of requests answered with `500`.
    pub error_rate: f64,
    /// Share (0.0–1.0) of requests whose connection is dropped without an answer; half of them
    /// after the event was accepted (as when a response is lost on the way back).
    pub drop_rate: f64,
    /// Delay added to every request.
    pub latency: Duration,
    /// Seed of the fault dice (0: random).
    pub seed: u64,
}

/// What happens to one event request.
pub(crate) enum Fault {
    None,
    Throttle,
    Fail,
    DropBefore,
    DropAfter,
}

impl Fault {
    /// Counts the request in the rate window and rolls the dice for it.
    pub(crate) fn draw(inner: &mut Inner, faults: &Faults) -> Fault {
        let now = Instant::now();
        let throttled = match faults.rate_limit {
            Some(limit) => {
                let window = match inner.window {
                    Some((start, n)) if now.duration_since(start) < Duration::from_secs(1) => (start, n + 1),
                    _ => (now, 1),
                };
                inner.window = Some(window);
                window.1 > limit
            }
            None => false,
        };
        if throttled {
            Fault::Throttle
        } else if chance(&mut inner.dice, faults.error_rate) {
            Fault::Fail
        } else if chance(&mut inner.dice, faults.drop_rate) {
            if roll(&mut inner.dice).is_multiple_of(2) {
                Fault::DropBefore
            } else {
                Fault::DropAfter
            }
        } else {
            Fault::None
        }
    }
}

/// xorshift64*: fault dice, reproducible from the seed.
pub(crate) fn roll(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn chance(state: &mut u64, p: f64) -> bool {
    p > 0.0 && ((roll(state) >> 11) as f64 / (1u64 << 53) as f64) < p
}

/// Unwinds the connection's task, so hyper closes the socket without answering.
pub(crate) fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new("emulator: dropped connection (injected fault)"))
}

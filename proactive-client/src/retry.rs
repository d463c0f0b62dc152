//! The retry policy ([`Retry`]): what a request may spend, full-jitter exponential backoff,
//! `Retry-After`, and how a final error reads when an earlier attempt's outcome is unknown.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use crate::Error;

/// Retry policy: how long to keep trying and how many errors to tolerate, per request.
///
/// Two budgets, and a request is given up when either runs out:
///
/// - [`deadline`](Self::deadline) bounds the time, from the request's first attempt (including
///   fetching a token) to its last answer. Throttling (`429`, with or without `Retry-After`) is
///   waited out until then and costs nothing else: a busy API slows a request down but does not
///   fail it while the deadline lasts.
/// - [`max_attempts`](Self::max_attempts) bounds the attempts that end in a server error (`5xx`)
///   or a network failure (refused or dropped connection, timeout).
///
/// Other answers are final: `202` (accepted), `3xx` ([`Error::Redirect`], never followed), and
/// any other `4xx` ([`Error::Rejected`]; a stale token is refreshed once first). Token fetches
/// follow the same policy (`5xx`, `429` and network failures are retried; `400` and `401` are
/// final) within the deadline of the request that needs the token.
#[derive(Clone, Debug)]
pub struct Retry {
    /// Most attempts that end in a server error or a network failure, per request and per token
    /// fetch (default 6; at least one attempt is always made). Throttled attempts do not count.
    pub max_attempts: u32,
    /// First backoff (default 100 ms); doubles with each error (or each throttle without
    /// `Retry-After`), with full jitter. Also the most jitter added to a `Retry-After`.
    pub base_delay: Duration,
    /// Longest backoff (default 10 s).
    pub max_delay: Duration,
    /// Per-attempt timeout (default 10 s); never longer than what is left of the deadline.
    pub timeout: Duration,
    /// Overall time per request, from its first attempt to its last answer (default 120 s).
    ///
    /// It starts when the request starts, not when a bulk send ([`Client::send_all`](crate::Client::send_all)) does, so
    /// it need not cover the whole bulk send (100,000 events under a limit of 1,500 per second
    /// take over a minute); it must cover one request being throttled round after round while
    /// the others in flight compete for the same quota, and its share of errors. Amazon publishes
    /// no figures for its rate limit nor its `Retry-After` (spec §2): 120 s leaves room for the
    /// worst error budget of the defaults (6 attempts of 10 s each plus about 3 s of backoff)
    /// and still a minute of throttling, e.g. a few `Retry-After: 10` rounds; 60 s, the old
    /// default, left none once errors and throttling came together.
    pub deadline: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(120),
        }
    }
}

/// What a request (or a token fetch) has spent of its [`Retry`] budget.
#[derive(Default)]
pub(crate) struct Budget {
    /// Every attempt made.
    pub(crate) attempts: u32,
    /// Attempts that ended in a server error or a network failure: bounded by `max_attempts`.
    errors: u32,
    /// Throttled attempts: free, bounded only by the deadline.
    throttles: u32,
}

impl Budget {
    /// After an answer that was not a success: how long to wait before retrying, or `None` when
    /// the answer is final (not retryable) or the errors have run out.
    pub(crate) fn after_status(
        &mut self,
        retry: &Retry,
        status: u16,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if status == 429 {
            self.throttles += 1;
            // Jitter, so the requests throttled together do not all come back at the same instant.
            return Some(match retry_after {
                Some(after) => after.saturating_add(jitter(retry.base_delay)),
                None => backoff(retry, self.throttles),
            });
        }
        if status < 500 {
            return None;
        }
        self.errors += 1;
        if self.errors >= retry.max_attempts {
            return None;
        }
        Some(retry_after.unwrap_or_else(|| backoff(retry, self.errors)))
    }

    /// After a network failure: how long to wait, or `None` when the errors have run out.
    pub(crate) fn after_transport(&mut self, retry: &Retry) -> Option<Duration> {
        self.errors += 1;
        (self.errors < retry.max_attempts).then(|| backoff(retry, self.errors))
    }
}

/// `start + deadline`, or a far future when that does not fit in an `Instant`.
pub(crate) fn deadline_from(start: Instant, deadline: Duration) -> Instant {
    start
        .checked_add(deadline)
        .or_else(|| start.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(start)
}

/// The timeout of the next attempt: the per-attempt one, cut to what is left of the deadline;
/// `None` when nothing is left.
pub(crate) fn attempt_timeout(retry: &Retry, deadline: Instant) -> Option<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    (!left.is_zero()).then(|| retry.timeout.min(left))
}

/// A final error of a request, as the caller sees it: when an earlier attempt's outcome is
/// unknown, only a definitive rejection (a `4xx` other than `429`, which would also have met the
/// earlier attempt) is still certain; anything else leaves the outcome unknown.
pub(crate) fn settle(error: Error, attempts: u32, uncertain: bool) -> Error {
    let definitive = matches!(&error, Error::Rejected(e) if (400..500).contains(&e.status) && e.status != 429);
    if !uncertain || definitive {
        return error;
    }
    let last = match error {
        Error::Transport { message, .. } => message,
        Error::Deadline { deadline, last, .. } => format!("the deadline of {deadline:?} passed; {last}"),
        other => other.to_string(),
    };
    Error::Unknown { attempts, last }
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110 §10.2.3); a date in the past is zero.
pub(crate) fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    use proactive_schemas::jiff::{fmt::rfc2822::DateTimeParser, Timestamp};
    let at = DateTimeParser::new().parse_timestamp(value).ok()?;
    Some(Duration::try_from(at.duration_since(Timestamp::now())).unwrap_or(Duration::ZERO))
}

/// Full-jitter exponential backoff: a random wait up to `base * 2^(attempt-1)`, capped.
fn backoff(retry: &Retry, attempt: u32) -> Duration {
    let cap = retry
        .base_delay
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(retry.max_delay);
    jitter(cap)
}

/// A random duration up to `cap`.
fn jitter(cap: Duration) -> Duration {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(0);
    let unit = (h.finish() >> 11) as f64 / (1u64 << 53) as f64;
    cap.mul_f64(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::api_error;

    #[test]
    fn backoff_stays_under_its_cap() {
        let retry = Retry::default();
        for attempt in 1..20 {
            let cap = retry
                .base_delay
                .saturating_mul(1 << (attempt - 1).min(16))
                .min(retry.max_delay);
            assert!(backoff(&retry, attempt) <= cap);
        }
    }

    #[test]
    fn throttles_are_free_errors_are_counted_other_answers_are_final() {
        let retry = Retry {
            max_attempts: 2,
            ..Retry::default()
        };
        let mut budget = Budget::default();
        for _ in 0..100 {
            assert!(budget.after_status(&retry, 429, None).is_some());
        }
        let after = budget.after_status(&retry, 429, Some(Duration::from_secs(3))).unwrap();
        assert!(after >= Duration::from_secs(3) && after <= Duration::from_secs(3) + retry.base_delay);
        assert!(budget.after_status(&retry, 503, None).is_some());
        assert!(budget.after_transport(&retry).is_none(), "the second error ends it");
        for status in [400, 401, 403, 404, 409, 432] {
            assert!(
                Budget::default().after_status(&retry, status, None).is_none(),
                "{status}"
            );
        }
        // At least one attempt, whatever max_attempts says.
        let once = Retry {
            max_attempts: 0,
            ..Retry::default()
        };
        assert!(Budget::default().after_transport(&once).is_none());
    }

    #[test]
    fn after_a_lost_answer_only_a_definitive_rejection_is_certain() {
        let rejected = |status| Error::Rejected(api_error(status, ""));
        assert!(matches!(
            settle(rejected(500), 3, true),
            Error::Unknown { attempts: 3, .. }
        ));
        assert!(matches!(settle(rejected(429), 3, true), Error::Unknown { .. }));
        assert!(matches!(settle(rejected(400), 3, true), Error::Rejected(_)));
        assert!(matches!(settle(rejected(500), 3, false), Error::Rejected(_)));
        let transport = Error::Transport {
            attempts: 3,
            message: "connection dropped".into(),
        };
        let unknown = settle(transport, 3, true);
        assert!(unknown.is_unknown());
        assert!(unknown.to_string().ends_with("last: connection dropped"), "{unknown}");
        let token = Error::Token("HTTP 503".into());
        assert!(matches!(settle(token, 1, false), Error::Token(_)));
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let headers = |v: &str| {
            let mut h = reqwest::header::HeaderMap::new();
            h.insert(reqwest::header::RETRY_AFTER, v.parse().unwrap());
            h
        };
        assert_eq!(retry_after(&headers(" 7 ")), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        use proactive_schemas::jiff::{fmt::rfc2822::DateTimePrinter, SignedDuration, Timestamp};
        let soon = Timestamp::now() + SignedDuration::from_secs(90);
        let date = DateTimePrinter::new().timestamp_to_rfc9110_string(&soon).unwrap();
        let wait = retry_after(&headers(&date)).unwrap();
        assert!(
            wait > Duration::from_secs(80) && wait <= Duration::from_secs(90),
            "{date}: {wait:?}"
        );
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&reqwest::header::HeaderMap::new()), None);
    }

    #[test]
    fn huge_deadlines_do_not_overflow() {
        let now = Instant::now();
        assert!(deadline_from(now, Duration::MAX) > now + Duration::from_secs(3600));
        assert_eq!(deadline_from(now, Duration::from_secs(5)), now + Duration::from_secs(5));
    }
}

//! RFC 3339 date-times that keep the text they were parsed from.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An RFC 3339 date-time (`2026-11-20T10:00:00.00Z`, `2026-11-20T11:00:00+01:00`).
///
/// It keeps its original text, so parsing and serializing a request reproduces it exactly,
/// and gives the instant as a [`jiff::Timestamp`] for arithmetic.
///
/// ```
/// use proactive_schemas::DateTime;
///
/// let t: DateTime = "2026-11-20T11:00:00+01:00".parse().unwrap();
/// assert_eq!(t.timestamp().to_string(), "2026-11-20T10:00:00Z");
/// assert_eq!(t.as_str(), "2026-11-20T11:00:00+01:00");
/// assert!("2026-11-20 10:00".parse::<DateTime>().is_err());
/// ```
#[derive(Clone, Debug)]
pub struct DateTime {
    text: Box<str>,
    instant: jiff::Timestamp,
}

/// A string that is not an RFC 3339 date-time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not an RFC 3339 date-time (e.g. `2026-11-20T10:00:00Z`): {reason}")]
pub struct DateTimeError {
    text: String,
    reason: &'static str,
}

impl DateTimeError {
    /// Why the text is not a date-time, without the text (`"expected a time `HH:MM:SS`"`).
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl DateTime {
    /// Parses an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, optional fraction of at most 9
    /// digits, then `Z` or an offset `±HH:MM`, naming an instant no later than
    /// [`DateTime::LATEST`].
    ///
    /// This is the one definition of a date-time in the project: the validator's
    /// `format: date-time`, the typed parse, the envelope rules, the client and the emulator all
    /// use it, so none accepts what another refuses.
    ///
    /// ```
    /// use proactive_schemas::DateTime;
    ///
    /// assert!(DateTime::parse("2026-11-20T10:00:00.123456789Z").is_ok());
    /// let e = DateTime::parse("2026-11-20T10:00:00.1234567891Z").unwrap_err();
    /// assert_eq!(e.reason(), "at most 9 fractional digits (nanoseconds)");
    /// let e = DateTime::parse("9999-12-31T23:59:59Z").unwrap_err();
    /// assert!(e.reason().starts_with("after the latest instant supported"));
    /// ```
    pub fn parse(text: &str) -> Result<Self, DateTimeError> {
        let instant = Self::instant(text).map_err(|reason| DateTimeError {
            text: text.to_owned(),
            reason,
        })?;
        Ok(DateTime {
            text: text.into(),
            instant,
        })
    }

    /// The instant a date-time names, by the same rules as [`DateTime::parse`], without keeping
    /// its text (nothing allocated): for checks that only need the answer.
    pub(crate) fn instant(text: &str) -> Result<jiff::Timestamp, &'static str> {
        check_syntax(text)?;
        // The common case, computed directly; anything unusual is left to jiff.
        if let Some(instant) = plain_instant(text.as_bytes()) {
            return Ok(instant);
        }
        Self::instant_by_jiff(text)
    }

    /// [`instant`](Self::instant) by jiff alone, for text `check_syntax` accepts.
    fn instant_by_jiff(text: &str) -> Result<jiff::Timestamp, &'static str> {
        // jiff accepts a superset of RFC 3339; the syntax check above keeps it to RFC 3339.
        jiff::Timestamp::from_str(text).map_err(|_| {
            // A real calendar date and time that jiff cannot place on its time line lies past
            // the end of its range (its timestamps end a little before year 10000).
            match text.get(..19).map(jiff::civil::DateTime::from_str) {
                Some(Ok(_)) => "after the latest instant supported, 9999-12-30T22:00:00.999999999Z",
                _ => "no such date or time",
            }
        })
    }

    /// The date-time of an instant, written in UTC (`2026-11-20T10:00:00Z`, with a fraction of a
    /// second only when there is one).
    pub fn from_timestamp(instant: jiff::Timestamp) -> Self {
        DateTime {
            text: instant.to_string().into(),
            instant,
        }
    }

    /// Now, in UTC, to the second.
    pub fn now() -> Self {
        let now = jiff::Timestamp::now();
        Self::from_timestamp(jiff::Timestamp::from_second(now.as_second()).unwrap_or(now))
    }

    /// The latest instant a `DateTime` can name (jiff's `Timestamp::MAX`).
    pub const LATEST: jiff::Timestamp = jiff::Timestamp::MAX;

    /// The instant.
    pub fn timestamp(&self) -> jiff::Timestamp {
        self.instant
    }

    /// The original text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// This instant plus a duration, written in UTC (`None` on overflow).
    ///
    /// ```
    /// let t: proactive_schemas::DateTime = "2026-11-20T11:00:00.25+01:00".parse().unwrap();
    /// let later = t.checked_add(jiff::SignedDuration::from_mins(5)).unwrap();
    /// assert_eq!(later.as_str(), "2026-11-20T10:05:00.25Z");
    /// ```
    pub fn checked_add(&self, duration: jiff::SignedDuration) -> Option<Self> {
        self.instant.checked_add(duration).ok().map(Self::from_timestamp)
    }
}

/// The instant of RFC 3339 text that `check_syntax` accepted, when every field is plainly in
/// range (years 0001 to 9998, a real day of the month, hours to 23, minutes and seconds to 59,
/// an offset below 24 hours other than `-00:00`); `None` for anything else, which jiff judges.
/// Equal to jiff's answer wherever it answers (a property test holds it to that).
fn plain_instant(b: &[u8]) -> Option<jiff::Timestamp> {
    let num = |range: std::ops::Range<usize>| -> i64 { b[range].iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')) };
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let (hour, minute, second) = (num(11..13), num(14..16), num(17..19));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=9998).contains(&year) || !(1..=days_in_month).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0i64;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while b[i].is_ascii_digit() {
            i += 1;
        }
        nanos = num(start..i) * 10i64.pow(9 - (i - start) as u32);
    }
    let offset = match b[i] {
        b'Z' | b'z' => 0,
        sign => {
            let (h, m) = (num(i + 1..i + 3), num(i + 4..i + 6));
            if h > 23 || m > 59 || (sign == b'-' && h == 0 && m == 0) {
                return None;
            }
            let seconds = h * 3600 + m * 60;
            if sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
    };
    // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    jiff::Timestamp::new(seconds, i32::try_from(nanos).ok()?).ok()
}

fn check_syntax(s: &str) -> Result<(), &'static str> {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| b.get(range).is_some_and(|r| r.iter().all(u8::is_ascii_digit));
    if !(digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10)) {
        return Err("expected a date `YYYY-MM-DD`");
    }
    if !matches!(b.get(10), Some(b'T' | b't')) {
        return Err("expected `T` between date and time");
    }
    if !(digits(11..13) && b.get(13) == Some(&b':') && digits(14..16) && b.get(16) == Some(&b':') && digits(17..19)) {
        return Err("expected a time `HH:MM:SS`");
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err("expected digits after `.`");
        }
        if i - start > 9 {
            return Err("at most 9 fractional digits (nanoseconds)");
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => Ok(()),
        Some(b'+' | b'-') if b.len() == i + 6 && digits(i + 1..i + 3) && b[i + 3] == b':' && digits(i + 4..i + 6) => {
            Ok(())
        }
        _ => Err("expected `Z` or an offset `+HH:MM` at the end"),
    }
}

impl FromStr for DateTime {
    type Err = DateTimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl From<jiff::Timestamp> for DateTime {
    fn from(t: jiff::Timestamp) -> Self {
        Self::from_timestamp(t)
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for DateTime {}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        DateTime::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 20_000, ..Default::default() })]

        /// The direct computation says what jiff says, on plausible and implausible fields alike.
        #[test]
        fn the_plain_instant_is_jiffs(
            text in "(0000|0001|1969|1970|2000|2024|2026|2100|9998|9999|[0-9]{4})-(0[0-9]|1[0-3]|[0-9]{2})-(0[0-9]|[1-3][0-9])[Tt]([01][0-9]|2[0-5]):[0-6][0-9]:[0-6][0-9](\\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-5]):[0-6][0-9])"
        ) {
            proptest::prop_assume!(check_syntax(&text).is_ok());
            proptest::prop_assert_eq!(DateTime::instant(&text), DateTime::instant_by_jiff(&text), "{}", text);
        }
    }

    #[test]
    fn plain_instants_at_the_edges() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999999999+23:59",
            "0001-01-01T00:00:00+00:01",
            "9998-12-31T23:59:59-23:59",
            "2026-11-20T10:00:00.5-05:30",
        ] {
            assert!(plain_instant(text.as_bytes()).is_some(), "{text}");
            assert_eq!(DateTime::instant(text), DateTime::instant_by_jiff(text), "{text}");
        }
        for text in [
            "2023-02-29T00:00:00Z",
            "2026-11-20T24:00:00Z",
            "2026-11-20T10:00:60Z",
            "2026-11-20T10:00:00-00:00",
        ] {
            assert!(plain_instant(text.as_bytes()).is_none(), "{text}");
        }
    }

    #[test]
    fn rfc3339_only() {
        for ok in [
            "2026-11-20T10:00:00Z",
            "2026-11-20T10:00:00.00Z",
            "2026-11-20t10:00:00.123456+01:00",
            "2026-11-20T10:00:00-05:30",
        ] {
            assert!(DateTime::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-11-20",
            "2026-11-20T10:00Z",
            "2026-11-20 10:00:00Z",
            "2026-11-20T10:00:00",
            "2026-13-20T10:00:00Z",
            "2026-11-20T10:00:00.Z",
            "2026-11-20T10:00:00+0100",
            "tomorrow",
        ] {
            assert!(DateTime::parse(bad).is_err(), "{bad}");
        }
    }
}

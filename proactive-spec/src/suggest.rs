//! "Did you mean …?" for names people type: options of the derive, event names, property names,
//! enum values, locales.

/// Inputs longer than this many characters get no suggestion: names people type are short, a
/// long input is no typo, and the distance costs the product of the two lengths.
///
/// ```
/// let long = "x".repeat(proactive_spec::MAX_SUGGESTED_INPUT + 1);
/// assert_eq!(proactive_spec::suggest(&long, ["x"]), None);
/// ```
pub const MAX_SUGGESTED_INPUT: usize = 64;

/// Common ways of writing an Alexa locale that are not typos, so edit distance alone would
/// suggest the wrong one (`en-UK` is one letter from `en-US`). Compared ignoring case, with `_`
/// read as `-`.
const KNOWN_MISTAKES: &[(&str, &str)] = &[
    ("en-UK", "en-GB"), // the United Kingdom's ISO 3166 code is GB
    ("jp-JP", "ja-JP"), // Japanese is `ja`; JP is the country
    ("es-SP", "es-ES"),
];

/// What a known mistake (see [`KNOWN_MISTAKES`]) meant.
pub(crate) fn known_mistake(input: &str) -> Option<&'static str> {
    let wanted = input.replace('_', "-");
    KNOWN_MISTAKES
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(&wanted))
        .map(|(_, meant)| *meant)
}

/// Edit distance in which swapping two neighbouring letters is one edit, like a changed one
/// (`evnet` is one edit from `event`): optimal string alignment, by characters.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    if a.is_ascii() && b.is_ascii() && b.len() < STACK {
        osa_ascii(a.as_bytes(), b.as_bytes())
    } else {
        strsim::osa_distance(a, b)
    }
}

/// ASCII names up to this many bytes are lowercased and measured on the stack, without
/// allocating (most property names, enum values and locales are).
const STACK: usize = 128;

/// [`strsim::osa_distance`] for ASCII, `b` shorter than [`STACK`]: the same dynamic programme
/// over three rows on the stack (two rows back, for a transposition; the previous; the current).
fn osa_ascii(a: &[u8], b: &[u8]) -> usize {
    let n = b.len();
    let mut rows = [[0usize; STACK]; 3];
    let (mut two, mut prev, mut cur) = (0, 1, 2);
    for (j, cell) in rows[prev][..=n].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[cur][0] = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[prev][j] + 1).min(rows[cur][j - 1] + 1).min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[two][j - 2] + 1);
            }
            rows[cur][j] = d;
        }
        (two, prev, cur) = (prev, cur, two);
    }
    rows[prev][n]
}

/// The candidate closest to `input`, if it is close enough to be a likely typo.
///
/// Case is ignored (a candidate that differs only in case is the best there is), swapping two
/// neighbouring letters counts as one edit, a known mistake wins over a near miss (`en-UK` means
/// `en-GB`, not `en-US`), and a candidate equal to `input` is never suggested. A candidate is
/// close enough within one edit per three characters (at least one). Inputs longer than
/// [`MAX_SUGGESTED_INPUT`] get none.
///
/// ```
/// use proactive_spec::suggest;
///
/// assert_eq!(suggest("alertTyp", ["source", "alertType"]), Some("alertType"));
/// assert_eq!(suggest("evnet", ["event", "schema"]), Some("event"));
/// assert_eq!(suggest("en-UK", ["en-GB", "en-US"]), Some("en-GB"));
/// assert_eq!(suggest("color", ["path", "localized"]), None);
/// ```
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // `len` first: a huge input is turned away without counting its characters.
    if input.len() > 4 * MAX_SUGGESTED_INPUT || input.chars().count() > MAX_SUGGESTED_INPUT {
        return None;
    }
    let lower = input.to_lowercase();
    let lower_chars = lower.chars().count();
    let meant = known_mistake(input);
    let mut meant_listed = None;
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == input {
            continue;
        }
        if meant == Some(c) {
            meant_listed = Some(c);
        }
        // The distance is at least the difference in length: a candidate that cannot beat the
        // best so far is not measured (the result is the same, found faster).
        if let Some((bd, _)) = best {
            if c.is_ascii() && lower_chars.abs_diff(c.len()) >= bd {
                continue;
            }
        }
        let mut buf = [0u8; STACK];
        let owned;
        let c_lower: &str = if c.is_ascii() && c.len() < STACK {
            for (to, from) in buf.iter_mut().zip(c.bytes()) {
                *to = from.to_ascii_lowercase();
            }
            std::str::from_utf8(&buf[..c.len()]).unwrap_or_default()
        } else {
            owned = c.to_lowercase();
            if let Some((bd, _)) = best {
                if lower_chars.abs_diff(owned.chars().count()) >= bd {
                    continue;
                }
            }
            &owned
        };
        let d = if c_lower == lower {
            0
        } else {
            distance(&lower, c_lower)
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    if d > 0 && meant_listed.is_some() {
        return meant_listed;
    }
    let limit = (input.chars().count().max(c.chars().count()) / 3).max(1);
    (d <= limit).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The stack version measures exactly what `strsim` does (a small alphabet, so that
        /// swaps and repeats are common).
        #[test]
        fn the_ascii_distance_is_strsims(a in "[abcA-C_-]{0,20}", b in "[abcA-C_-]{0,20}") {
            proptest::prop_assert_eq!(osa_ascii(a.as_bytes(), b.as_bytes()), strsim::osa_distance(&a, &b));
        }
    }

    #[test]
    fn distance_counts_a_swap_as_one_edit() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("evnet", "event"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("ünï", "üin"), 2);
    }

    // From the derive's copy: names in attributes.
    #[test]
    fn typos_in_names_are_suggested() {
        assert_eq!(
            suggest("localised", ["path", "localized", "key", "skip"]),
            Some("localized")
        );
        assert_eq!(suggest("evnet", ["event", "locales", "schema"]), Some("event"));
        assert_eq!(suggest("color", ["path", "localized", "key", "skip"]), None);
    }

    // From the runtime's copy: property names, enum values, locales.
    #[test]
    fn case_is_ignored() {
        assert_eq!(suggest("alertTyp", ["source", "alertType"]), Some("alertType"));
        assert_eq!(suggest("ScoreEarned", ["scoreEarned", "teamName"]), Some("scoreEarned"));
        assert_eq!(suggest("en-us", ["en-US", "de-DE"]), Some("en-US"));
        assert_eq!(suggest("zzzzzz", ["source", "alertType"]), None);
    }

    #[test]
    fn known_locale_mistakes_win_over_near_misses() {
        let locales = crate::ALEXA_LOCALES.iter().copied();
        assert_eq!(suggest("en-UK", locales.clone()), Some("en-GB"));
        assert_eq!(suggest("en_uk", locales.clone()), Some("en-GB"));
        assert_eq!(suggest("jp-JP", locales.clone()), Some("ja-JP"));
        assert_eq!(suggest("es-SP", locales.clone()), Some("es-ES"));
        // Only when the meant locale is a candidate.
        assert_eq!(suggest("en-UK", ["en-US", "de-DE"]), Some("en-US"));
        // A candidate equal but for case is still the best.
        assert_eq!(suggest("en-uk", ["en-UK", "en-GB"]), Some("en-UK"));
    }

    #[test]
    fn the_input_itself_and_nothing_are_no_suggestion() {
        assert_eq!(suggest("event", ["event"]), None);
        assert_eq!(suggest("event", []), None);
        assert_eq!(suggest("", ["a"]), Some("a"));
    }

    #[test]
    fn long_inputs_get_no_suggestion() {
        let at_limit = "a".repeat(MAX_SUGGESTED_INPUT);
        let candidate = format!("{at_limit}b");
        assert_eq!(suggest(&at_limit, [candidate.as_str()]), Some(candidate.as_str()));
        let over = "a".repeat(MAX_SUGGESTED_INPUT + 1);
        assert_eq!(suggest(&over, [candidate.as_str()]), None);
        // Few characters but many bytes.
        let wide = "\u{1F600}".repeat(MAX_SUGGESTED_INPUT);
        assert_eq!(suggest(&wide, [wide.as_str(), "x"]), None);
    }
}

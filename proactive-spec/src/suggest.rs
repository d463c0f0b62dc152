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
    let same = |m: &str| {
        m.len() == input.len()
            && m.bytes()
                .zip(input.bytes())
                .all(|(m, i)| m.eq_ignore_ascii_case(&if i == b'_' { b'-' } else { i }))
    };
    KNOWN_MISTAKES.iter().find(|(m, _)| same(m)).map(|(_, meant)| *meant)
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

/// A lowercase ASCII input of 1 to 64 bytes as bit masks: for each byte, where it occurs (the
/// `Peq` table of Hyyrö's bit-parallel edit distance).
struct Pattern {
    peq: [u64; 128],
    len: usize,
}

impl Pattern {
    fn new(lower: &str) -> Option<Pattern> {
        if !lower.is_ascii() || lower.is_empty() || lower.len() > 64 {
            return None;
        }
        let mut peq = [0u64; 128];
        for (i, b) in lower.bytes().enumerate() {
            peq[usize::from(b)] |= 1 << i;
        }
        Some(Pattern { peq, len: lower.len() })
    }

    /// The optimal string alignment distance from the pattern to ASCII `text` (compared
    /// lowercased), one machine word per character of `text` (Hyyrö 2003, as in rapidfuzz).
    fn osa(&self, text: &[u8]) -> usize {
        let (mut vp, mut vn, mut d0, mut pm_old) = (!0u64, 0u64, 0u64, 0u64);
        let mask = 1u64 << (self.len - 1);
        let mut distance = self.len;
        for b in text {
            let pm = self.peq[usize::from(b.to_ascii_lowercase() & 0x7f)];
            let tr = (((!d0) & pm) << 1) & pm_old;
            d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | tr;
            let hp = vn | !(d0 | vp);
            let hn = d0 & vp;
            distance += usize::from(hp & mask != 0);
            distance -= usize::from(hn & mask != 0);
            let hp = (hp << 1) | 1;
            let hn = hn << 1;
            vp = hn | !(d0 | hp);
            vn = hp & d0;
            pm_old = pm;
        }
        distance
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
            let mut d = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
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
    // An ASCII input is measured bit-parallel: a few word operations per candidate character
    // (its table is built when the first candidate is measured).
    let mut pattern: Option<Option<Pattern>> = None;
    let mut input_counts = ascii_counts(&lower);
    let meant = known_mistake(input);
    let mut meant_listed = None;
    // The closest candidate is the one with the smallest distance, the earliest on a tie. Each
    // candidate's distance has a cheap lower bound (the difference in length, and half the
    // letters one has and the other lacks); measuring in the order of those bounds, a candidate
    // whose bound cannot beat the best found is never measured. Same answer, found faster.
    let mut bounded: Vec<(usize, usize, &'a str)> = Vec::new();
    for (index, c) in candidates.into_iter().enumerate() {
        if c == input {
            continue;
        }
        if meant == Some(c) {
            meant_listed = Some(c);
        }
        bounded.push((lower_bound(&lower, lower_chars, input_counts.as_mut(), c), index, c));
    }
    bounded.sort_unstable();
    // No candidate further than this can be suggested (the limit below, for the longest
    // candidate), so no distance is measured beyond it, nor beyond the best found so far.
    // (In bytes, at least the characters: a looser cut-off never changes the answer, as the
    // closest candidate is still checked against its own limit below.)
    let longest = bounded.iter().map(|(_, _, c)| c.len()).max().unwrap_or(0);
    let furthest = (input.chars().count().max(longest) / 3).max(1);
    let mut best: Option<(usize, usize, &'a str)> = None;
    for (bound, index, c) in bounded {
        if bound > furthest {
            break;
        }
        if let Some((bd, bi, _)) = best {
            if bound > bd || (bound == bd && index > bi) {
                break; // sorted by bound: no later candidate can win either
            }
        }
        let within = best.map_or(furthest, |(bd, _, _)| bd);
        let pattern = pattern.get_or_insert_with(|| Pattern::new(&lower));
        let d = match (&*pattern, c.is_ascii()) {
            // Zero exactly when equal but for case.
            (Some(pattern), true) => Some(pattern.osa(c.as_bytes())).filter(|d| *d <= within),
            _ => {
                let mut buf = [0u8; STACK];
                let owned;
                let c_lower: &str = if c.is_ascii() && c.len() < STACK {
                    for (to, from) in buf.iter_mut().zip(c.bytes()) {
                        *to = from.to_ascii_lowercase();
                    }
                    std::str::from_utf8(&buf[..c.len()]).unwrap_or_default()
                } else {
                    owned = c.to_lowercase();
                    &owned
                };
                if c_lower == lower {
                    Some(0)
                } else {
                    Some(distance(&lower, c_lower)).filter(|d| *d <= within)
                }
            }
        };
        if let Some(d) = d {
            if best.is_none_or(|(bd, bi, _)| (d, index) < (bd, bi)) {
                best = Some((d, index, c));
            }
        }
    }
    // Every candidate too far: a known mistake still names what was meant.
    let Some((d, _, c)) = best else {
        return meant_listed;
    };
    if d > 0 && meant_listed.is_some() {
        return meant_listed;
    }
    let limit = (input.chars().count().max(c.chars().count()) / 3).max(1);
    (d <= limit).then_some(c)
}

/// How often each ASCII byte occurs in lowercase ASCII text; `None` for other text.
fn ascii_counts(lower: &str) -> Option<[i16; 128]> {
    if !lower.is_ascii() || lower.len() >= STACK {
        return None;
    }
    let mut counts = [0i16; 128];
    for b in lower.bytes() {
        counts[usize::from(b)] += 1;
    }
    Some(counts)
}

/// A lower bound of the distance between `lower` (the lowercased input) and `c` lowercased:
/// the difference in length, and, for ASCII, half the letters that occur in one more often than
/// in the other (an insertion or deletion changes that count by one, a substitution by two, a
/// swap not at all).
///
/// `input_counts` are the input's letter counts: taken from while measuring, and given back
/// before returning (no copy per candidate).
fn lower_bound(lower: &str, lower_chars: usize, input_counts: Option<&mut [i16; 128]>, c: &str) -> usize {
    let (Some(counts), true) = (input_counts, c.is_ascii() && c.len() < STACK) else {
        return if c.is_ascii() { lower_chars.abs_diff(c.len()) } else { 0 };
    };
    let mut surplus = 0usize; // letters of `c` beyond the input's
    for b in c.bytes() {
        let slot = &mut counts[usize::from(b.to_ascii_lowercase())];
        *slot -= 1;
        surplus += usize::from(*slot < 0);
    }
    for b in c.bytes() {
        counts[usize::from(b.to_ascii_lowercase())] += 1;
    }
    let missing = lower.len() + surplus - c.len(); // letters of the input `c` lacks
    (surplus + missing).div_ceil(2).max(lower_chars.abs_diff(c.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `suggest` as it was before the lower bounds: every candidate measured, in order.
    fn suggest_by_measuring_all<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
        if input.chars().count() > MAX_SUGGESTED_INPUT {
            return None;
        }
        let lower = input.to_lowercase();
        let meant = known_mistake(input);
        let mut meant_listed = None;
        let mut best: Option<(usize, &'a str)> = None;
        for &c in candidates {
            if c == input {
                continue;
            }
            if meant == Some(c) {
                meant_listed = Some(c);
            }
            let d = strsim::osa_distance(&lower, &c.to_lowercase());
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

    proptest::proptest! {
        /// The stack version measures exactly what `strsim` does (a small alphabet, so that
        /// swaps and repeats are common).
        #[test]
        fn the_ascii_distance_is_strsims(a in "[abcA-C_-]{0,20}", b in "[abcA-C_-]{0,20}") {
            proptest::prop_assert_eq!(osa_ascii(a.as_bytes(), b.as_bytes()), strsim::osa_distance(&a, &b));
        }

        /// The bit-parallel measure is strsim's, for every pattern length up to 64.
        #[test]
        fn the_bit_parallel_distance_is_strsims(a in "[abcA-C_-]{1,64}", b in "[abcA-C_-]{0,70}") {
            let pattern = Pattern::new(&a.to_ascii_lowercase()).unwrap();
            proptest::prop_assert_eq!(
                pattern.osa(b.as_bytes()),
                strsim::osa_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase())
            );
        }

        /// Skipping candidates by their lower bounds never changes the suggestion.
        #[test]
        fn bounds_never_change_the_suggestion(
            input in "[abcdAB_é-]{0,12}",
            candidates in proptest::collection::vec("[abcdAB_é-]{0,12}", 0..8),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                suggest(&input, candidates.iter().copied()),
                suggest_by_measuring_all(&input, &candidates)
            );
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

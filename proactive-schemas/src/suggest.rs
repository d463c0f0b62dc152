//! "Did you mean …?" for names typed by people.

/// Edit distance (Levenshtein) between two strings, by characters.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Inputs longer than this (in characters) get no suggestion.
pub(crate) const MAX_SUGGESTED_INPUT: usize = 64;

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Names people type are short; a long input is no typo, and the distance is quadratic.
    if input.len() > 4 * MAX_SUGGESTED_INPUT || input.chars().count() > MAX_SUGGESTED_INPUT {
        return None;
    }
    let lower = input.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == input {
            continue;
        }
        let d = if c.to_lowercase() == lower {
            0
        } else {
            distance(&lower, &c.to_lowercase())
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (input.chars().count().max(c.chars().count()) / 3).max(1);
    (d <= limit).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(suggest("alertTyp", ["source", "alertType"]), Some("alertType"));
        assert_eq!(suggest("ScoreEarned", ["scoreEarned", "teamName"]), Some("scoreEarned"));
        assert_eq!(suggest("en-us", ["en-US", "de-DE"]), Some("en-US"));
        assert_eq!(suggest("zzzzzz", ["source", "alertType"]), None);
    }
}

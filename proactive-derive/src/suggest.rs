//! "Did you mean …?" for names in attributes.

/// Edit distance in which swapping two neighbouring letters is one edit, like a changed one
/// (`evnet` is one edit from `event`). Optimal string alignment.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: the distance between a[..i] and b[..j].
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j - 1] + cost).min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The candidate closest to `input`, if close enough to be a likely typo.
pub(crate) fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
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
    (d <= (input.chars().count().max(c.chars().count()) / 3).max(1)).then_some(c)
}

/// Common ways of writing an Alexa locale that are not typos, so edit distance alone would
/// suggest the wrong one (`en-UK` is one letter from `en-US`). Compared ignoring case.
const LOCALE_MISTAKES: &[(&str, &str)] = &[
    ("en-UK", "en-GB"), // the United Kingdom's ISO 3166 code is GB
    ("jp-JP", "ja-JP"), // Japanese is `ja`; JP is the country
    ("es-SP", "es-ES"),
];

/// The help for a locale that is not an Alexa locale: what the user most likely meant, else the
/// Alexa locales of the same language, else all of them.
pub(crate) fn locale_help(input: &str, locales: &[&'static str]) -> String {
    let wanted = input.replace('_', "-");
    if let Some(l) = locales.iter().find(|l| l.eq_ignore_ascii_case(&wanted)) {
        return format!("did you mean `{l}`?");
    }
    if let Some((_, l)) = LOCALE_MISTAKES.iter().find(|(m, _)| m.eq_ignore_ascii_case(&wanted)) {
        return format!("did you mean `{l}`?");
    }
    let (language, region) = wanted.split_once('-').unwrap_or((&wanted, ""));
    let language = language.to_ascii_lowercase();
    let same_language: Vec<&str> = locales
        .iter()
        .copied()
        .filter(|l| l.starts_with(&format!("{language}-")))
        .collect();
    match same_language.as_slice() {
        [] => match suggest(input, locales.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("Alexa locales are {}", locales.join(", ")),
        },
        [only] => format!("did you mean `{only}`? It is Alexa's only `{language}` locale"),
        several => {
            // One letter off in the region (`en-GR`), and no other locale as close.
            let region = region.to_ascii_uppercase();
            let close: Vec<&&str> = several.iter().filter(|l| distance(&l[3..], &region) == 1).collect();
            match close.as_slice() {
                [one] if !region.is_empty() => format!("did you mean `{one}`?"),
                _ => format!("Alexa's `{language}` locales are {}", several.join(", ")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCALES: &[&str] = proactive_codegen::ALEXA_LOCALES;

    #[test]
    fn near_miss_locales_suggest_what_was_meant() {
        for (input, meant) in [
            ("en-UK", "en-GB"),
            ("en-uk", "en-GB"),
            ("en_GB", "en-GB"),
            ("en-us", "en-US"),
            ("jp-JP", "ja-JP"),
            ("es-SP", "es-ES"),
            ("en-GR", "en-GB"),
        ] {
            assert_eq!(
                locale_help(input, LOCALES),
                format!("did you mean `{meant}`?"),
                "{input}"
            );
        }
    }

    #[test]
    fn a_language_with_one_alexa_locale_suggests_it() {
        assert_eq!(
            locale_help("de-AT", LOCALES),
            "did you mean `de-DE`? It is Alexa's only `de` locale"
        );
        assert_eq!(
            locale_help("ja", LOCALES),
            "did you mean `ja-JP`? It is Alexa's only `ja` locale"
        );
    }

    #[test]
    fn otherwise_the_language_or_all_locales_are_listed() {
        assert_eq!(
            locale_help("en-XX", LOCALES),
            "Alexa's `en` locales are en-AU, en-CA, en-GB, en-IN, en-US"
        );
        assert_eq!(
            locale_help("english", LOCALES),
            format!("Alexa locales are {}", LOCALES.join(", "))
        );
    }

    #[test]
    fn typos_in_names_are_suggested() {
        assert_eq!(
            suggest("localised", ["path", "localized", "key", "skip"]),
            Some("localized")
        );
        assert_eq!(suggest("evnet", ["event", "locales", "schema"]), Some("event"));
        assert_eq!(suggest("color", ["path", "localized", "key", "skip"]), None);
    }
}

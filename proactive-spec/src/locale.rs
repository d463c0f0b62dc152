//! Alexa skill locales (spec §4).

use crate::suggest::{distance, known_mistake, suggest};

/// Every locale an Alexa skill can use (spec §4), sorted.
///
/// ```
/// assert!(proactive_spec::ALEXA_LOCALES.contains(&"en-GB"));
/// ```
pub const ALEXA_LOCALES: &[&str] = &[
    "ar-SA", "de-DE", "en-AU", "en-CA", "en-GB", "en-IN", "en-US", "es-ES", "es-MX", "es-US", "fr-CA", "fr-FR",
    "hi-IN", "it-IT", "ja-JP", "nl-NL", "pt-BR",
];

/// Whether `locale` is one of [`ALEXA_LOCALES`] (exact case).
///
/// ```
/// assert!(proactive_spec::is_alexa_locale("en-US"));
/// assert!(!proactive_spec::is_alexa_locale("en-us"));
/// ```
pub fn is_alexa_locale(locale: &str) -> bool {
    ALEXA_LOCALES.binary_search(&locale).is_ok()
}

/// The message for a locale that is not one of [`ALEXA_LOCALES`], in the derive's errors and the
/// validator's alike.
///
/// ```
/// assert_eq!(proactive_spec::unknown_locale("en-UK"), "`en-UK` is not an Alexa locale");
/// ```
pub fn unknown_locale(locale: &str) -> String {
    format!("`{locale}` is not an Alexa locale")
}

/// The help for a locale that is not an Alexa locale: what the user most likely meant, else the
/// Alexa locales of the same language, else all of them.
///
/// ```
/// use proactive_spec::locale_help;
///
/// assert_eq!(locale_help("en-UK"), "did you mean `en-GB`?");
/// assert_eq!(locale_help("de-AT"), "did you mean `de-DE`? It is Alexa's only `de` locale");
/// assert_eq!(locale_help("en-XX"), "Alexa's `en` locales are en-AU, en-CA, en-GB, en-IN, en-US");
/// ```
pub fn locale_help(input: &str) -> String {
    let wanted = input.replace('_', "-");
    if let Some(l) = ALEXA_LOCALES.iter().find(|l| l.eq_ignore_ascii_case(&wanted)) {
        return format!("did you mean `{l}`?");
    }
    if let Some(l) = known_mistake(input) {
        return format!("did you mean `{l}`?");
    }
    let (language, region) = wanted.split_once('-').unwrap_or((&wanted, ""));
    let language = language.to_ascii_lowercase();
    let same_language: Vec<&str> = ALEXA_LOCALES
        .iter()
        .copied()
        .filter(|l| l.starts_with(&format!("{language}-")))
        .collect();
    match same_language.as_slice() {
        [] => match suggest(input, ALEXA_LOCALES.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("Alexa locales are {}", ALEXA_LOCALES.join(", ")),
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

    #[test]
    fn sorted() {
        let mut sorted = ALEXA_LOCALES.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, ALEXA_LOCALES);
        assert!(ALEXA_LOCALES.iter().all(|l| is_alexa_locale(l)));
        assert!(!is_alexa_locale("en-us"));
    }

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
            assert_eq!(locale_help(input), format!("did you mean `{meant}`?"), "{input}");
        }
    }

    #[test]
    fn a_language_with_one_alexa_locale_suggests_it() {
        assert_eq!(
            locale_help("de-AT"),
            "did you mean `de-DE`? It is Alexa's only `de` locale"
        );
        assert_eq!(
            locale_help("ja"),
            "did you mean `ja-JP`? It is Alexa's only `ja` locale"
        );
    }

    #[test]
    fn otherwise_the_language_or_all_locales_are_listed() {
        assert_eq!(
            locale_help("en-XX"),
            "Alexa's `en` locales are en-AU, en-CA, en-GB, en-IN, en-US"
        );
        assert_eq!(
            locale_help("english"),
            format!("Alexa locales are {}", ALEXA_LOCALES.join(", "))
        );
    }
}

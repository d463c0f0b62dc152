//! Alexa skill locales.

/// Every locale an Alexa skill can use (spec §4), sorted.
pub const ALEXA_LOCALES: &[&str] = &[
    "ar-SA", "de-DE", "en-AU", "en-CA", "en-GB", "en-IN", "en-US", "es-ES", "es-MX", "es-US", "fr-CA", "fr-FR",
    "hi-IN", "it-IT", "ja-JP", "nl-NL", "pt-BR",
];

/// Whether `locale` is one of [`ALEXA_LOCALES`] (exact case).
pub fn is_alexa_locale(locale: &str) -> bool {
    ALEXA_LOCALES.binary_search(&locale).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorted() {
        let mut sorted = super::ALEXA_LOCALES.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, super::ALEXA_LOCALES);
        assert!(super::is_alexa_locale("en-US"));
        assert!(!super::is_alexa_locale("en-us"));
    }
}

//! Localized attributes (spec §3): a string attribute may name a per-locale value instead of
//! holding the text.

/// The prefix that turns a string attribute into a reference to a localized value:
/// `"localizedattribute:<key>"`.
///
/// ```
/// let value = "localizedattribute:source";
/// assert_eq!(value.strip_prefix(proactive_spec::LOCALIZED_PREFIX), Some("source"));
/// ```
pub const LOCALIZED_PREFIX: &str = "localizedattribute:";

/// Whether `key` is a valid localized-attribute key: one or more ASCII letters and digits.
///
/// ```
/// use proactive_spec::is_valid_key;
///
/// assert!(is_valid_key("source2"));
/// assert!(!is_valid_key(""));
/// assert!(!is_valid_key("tv_channel"));
/// ```
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric())
}

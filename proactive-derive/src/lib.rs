//! `#[derive(Event)]` and `localized_attributes!` for `proactive-schemas`, which re-exports both
//! (use them from there). See `proactive_schemas::Event` for the options.

mod attr;
mod ctxt;
mod event;
mod suggest;
mod table;

use proc_macro::TokenStream;

/// Checks a struct against an Alexa Proactive Events schema at compile time and implements
/// `proactive_schemas::ToEvent` for it, so `Request::builder_from(&value)` builds the request.
///
/// ```
/// use proactive_schemas::events::media_content_available::{ContentType, Method};
/// use proactive_schemas::{DateTime, Event, Localized, Request};
///
/// #[derive(Event)]
/// #[proactive(event = "AMAZON.MediaContent.Available", locales("en-US", "de-DE"))]
/// struct NewEpisode {
///     #[proactive(path = "content.name", localized)]
///     title: Localized<String>,
///     #[proactive(path = "content.contentType")]
///     kind: ContentType,
///     #[proactive(path = "availability.startTime")]
///     airs: DateTime,
///     #[proactive(path = "availability.method")]
///     method: Method,
///     #[proactive(path = "availability.provider.name", localized, key = "channel")]
///     channel: Localized<String>,
/// }
///
/// let episode = NewEpisode {
///     title: Localized::new().with("en-US", "The Example Show").with("de-DE", "Die Beispielshow"),
///     kind: ContentType::Episode,
///     airs: "2026-11-21T20:00:00Z".parse()?,
///     method: Method::Air,
///     channel: Localized::new().with("en-US", "Example TV").with("de-DE", "Beispiel TV"),
/// };
/// let request = Request::builder_from(&episode).build()?;
/// assert_eq!(
///     request.preview("de-DE")?,
///     "Die Beispielshow will air on November 21, 2026 at 20:00 UTC on Beispiel TV."
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Options on the struct: `#[proactive(...)]`
///
/// | option | meaning |
/// |---|---|
/// | `event = "AMAZON.WeatherAlert.Activated"` | the event; an unknown name is an error with the nearest known one |
/// | `locales("en-US", "de-DE")` | the locales `localized` fields are given in; each must be an Alexa locale, listed once; one `localizedAttributes` entry is built per locale |
/// | `schema = "schemas/ACME.New.Event.json"` | check against your own schema file instead (relative to your crate's manifest directory); the crate is rebuilt when the file changes, and a malformed file is an error on this string. Enum attributes then take any `Display` type, and object attributes must be covered attribute by attribute |
///
/// # Options on a field: `#[proactive(...)]`
///
/// | option | meaning |
/// |---|---|
/// | `path = "availability.provider.name"` | the attribute the field covers (default: the field name in lowerCamelCase); a path to an object covers it whole with the generated struct (`path = "availability"` with `availability: Availability`) |
/// | `localized` | the field is a `Localized<T>` with one value per declared locale; the payload gets `"localizedattribute:<key>"`. Only on attributes the schema marks localizable |
/// | `key = "channel"` | the localized-attribute key (default: the field name in lowerCamelCase); ASCII letters and digits, unique per struct |
/// | `skip` | the field is not part of the event |
///
/// # What is checked at compile time
///
/// Every required attribute is covered (a required attribute inside an optional object only when
/// a field covers something in that object); no path is unknown or covered twice; `localized`
/// only on localizable attributes; locales and keys are valid and unique; unknown or repeated
/// options are errors; and each field's type fits its attribute (strings: `String`, `&str`,
/// `Localizable<String>`; integers: `i64` and smaller integers; date-times: `DateTime`,
/// `jiff::Timestamp` or `String`; enums and objects: their generated types; optional attributes:
/// `Option` of those). Every problem is reported in one build.
///
/// A `Localized` value that lacks a declared locale cannot reach Amazon:
/// [`RequestBuilder::build`](../proactive_schemas/struct.RequestBuilder.html#method.build) fails
/// naming the field and the locale.
#[proc_macro_derive(Event, attributes(proactive))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    event::expand(input).into()
}

/// A literal `localizedAttributes` table, checked at compile time: every locale is an Alexa
/// locale and appears once, every entry defines the same keys, and keys are ASCII letters and
/// digits. Values are any expression that converts into `String`.
///
/// ```
/// let table = proactive_schemas::localized_attributes! {
///     "en-US" => { channel: "Example TV", title: "The Example Show" },
///     "de-DE" => { channel: "Beispiel TV", title: "Die Beispielshow" },
/// };
/// assert_eq!(table[1].locale, "de-DE");
/// assert_eq!(table[1].values["channel"], "Beispiel TV");
/// ```
#[proc_macro]
pub fn localized_attributes(input: TokenStream) -> TokenStream {
    table::expand(input.into()).into()
}

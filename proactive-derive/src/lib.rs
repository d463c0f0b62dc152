//! `#[derive(Event)]` and `localized_attributes!` for `proactive-schemas`, which re-exports both
//! (use them from there). See `proactive_schemas::Event` for the options.

mod attr;
mod ctxt;
mod event;
mod suggest;
mod table;

use proc_macro::TokenStream;

/// Checks a struct against an event schema at compile time and implements
/// `proactive_schemas::ToEvent` for it. Documented on the re-export in `proactive-schemas`.
#[proc_macro_derive(Event, attributes(proactive))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    event::expand(input).into()
}

/// A literal `localizedAttributes` table, checked at compile time. Documented on the re-export
/// in `proactive-schemas`.
#[proc_macro]
pub fn localized_attributes(input: TokenStream) -> TokenStream {
    table::expand(input.into()).into()
}

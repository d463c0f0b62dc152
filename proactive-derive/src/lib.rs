//! `#[derive(Event)]` and `localized_attributes!` for `proactive-schemas`, which re-exports both
//! (use them from there). See `proactive_schemas::Event` for the options.

mod attr;
mod check;
mod ctxt;
mod emit;
mod event;
mod fits;
mod model;
mod table;

use proc_macro::TokenStream;

// The examples need `proactive_schemas`, which depends on this crate: they run as doctests of
// `ui-tests` (see its `src/lib.rs`), so here they are left out of doctest collection.
#[cfg_attr(not(doctest), doc = include_str!("../doc/event.md"))]
#[proc_macro_derive(Event, attributes(proactive))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    event::expand(input).into()
}

// Like the derive's: tested in `ui-tests`.
#[cfg_attr(not(doctest), doc = include_str!("../doc/localized_attributes.md"))]
#[proc_macro]
pub fn localized_attributes(input: TokenStream) -> TokenStream {
    table::expand(input.into()).into()
}

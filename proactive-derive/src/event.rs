//! `#[derive(Event)]`: parse -> model -> check -> emit, one module each (`attr`, `model`, `check`,
//! `emit`). Errors accumulate in one context, so a build shows every problem; the impl is emitted
//! along with them for the fields that had none, so rustc's type errors show as well.

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ctxt::Ctxt;
use crate::{attr, check, emit, model};

pub(crate) fn expand(input: DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let input = attr::parse(&mut cx, &input);
    let Some(event) = model::build(&mut cx, input) else {
        return cx.into_compile_errors().unwrap_or_default();
    };
    let covered = check::check(&mut cx, &event);
    let mut out = cx.into_compile_errors().unwrap_or_default();
    out.extend(emit::emit(&event, &covered));
    out
}

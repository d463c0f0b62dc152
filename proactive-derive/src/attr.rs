//! Parsing `#[proactive(...)]`. Never returns early: every problem goes into the context, so one
//! build shows them all.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::suggest::suggest;

/// The container options.
#[derive(Default)]
pub(crate) struct Container {
    pub event: Option<LitStr>,
    pub locales: Option<(Span, Vec<LitStr>)>,
    pub schema: Option<LitStr>,
}

/// The options of one field.
#[derive(Default)]
pub(crate) struct Field {
    pub path: Option<LitStr>,
    pub localized: Option<Ident>,
    pub key: Option<LitStr>,
    pub skip: bool,
}

const CONTAINER_OPTIONS: &[&str] = &["event", "locales", "schema"];
const FIELD_OPTIONS: &[&str] = &["path", "localized", "key", "skip"];

fn unknown(cx: &mut Ctxt, ident: &Ident, options: &[&str]) {
    let name = ident.to_string();
    let help = match suggest(&name, options.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "expected one of {}",
            options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
        ),
    };
    cx.error_help(
        ident.span(),
        format!("unknown option `{name}` in `#[proactive(...)]`"),
        help,
    );
}

fn repeated<T>(cx: &mut Ctxt, slot: &Option<T>, ident: &Ident) -> bool {
    if slot.is_some() {
        cx.error(ident.span(), format!("option `{ident}` is given twice"));
        true
    } else {
        false
    }
}

/// Skips what follows an unknown option (`= value` or `(...)`), so parsing can go on.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        input.parse::<syn::Expr>()?;
    } else if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

fn for_each_option(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    mut f: impl FnMut(&mut Ctxt, &Ident, ParseStream) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("proactive")) {
        let result = attr.parse_args_with(|input: ParseStream| {
            while !input.is_empty() {
                let ident: Ident = input.call(Ident::parse_any)?;
                f(cx, &ident, input)?;
                if input.is_empty() {
                    break;
                }
                input.parse::<Token![,]>()?;
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
}

fn string_value(input: ParseStream) -> syn::Result<LitStr> {
    input.parse::<Token![=]>()?;
    input.parse()
}

pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> Container {
    let mut c = Container::default();
    for_each_option(cx, attrs, |cx, ident, input| {
        match ident.to_string().as_str() {
            "event" => {
                let v = string_value(input)?;
                if !repeated(cx, &c.event, ident) {
                    c.event = Some(v);
                }
            }
            "schema" => {
                let v = string_value(input)?;
                if !repeated(cx, &c.schema, ident) {
                    c.schema = Some(v);
                }
            }
            "locales" => {
                let content;
                syn::parenthesized!(content in input);
                let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                if !repeated(cx, &c.locales, ident) {
                    c.locales = Some((ident.span(), list.into_iter().collect()));
                }
            }
            _ => {
                unknown(cx, ident, CONTAINER_OPTIONS);
                skip_value(input)?;
            }
        }
        Ok(())
    });
    c
}

pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> Field {
    let mut f = Field::default();
    for_each_option(cx, attrs, |cx, ident, input| {
        match ident.to_string().as_str() {
            "path" => {
                let v = string_value(input)?;
                if !repeated(cx, &f.path, ident) {
                    f.path = Some(v);
                }
            }
            "key" => {
                let v = string_value(input)?;
                if !repeated(cx, &f.key, ident) {
                    f.key = Some(v);
                }
            }
            "localized" => {
                if !repeated(cx, &f.localized, ident) {
                    f.localized = Some(ident.clone());
                }
            }
            "skip" => {
                if f.skip {
                    cx.error(ident.span(), "option `skip` is given twice");
                }
                f.skip = true;
            }
            _ => {
                unknown(cx, ident, FIELD_OPTIONS);
                skip_value(input)?;
            }
        }
        Ok(())
    });
    f
}

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

/// What follows an option's name.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// `name = "..."`
    Str,
    /// `name(...)`
    List,
    /// `name` alone
    Flag,
}

const CONTAINER_OPTIONS: &[(&str, Shape)] = &[("event", Shape::Str), ("locales", Shape::List), ("schema", Shape::Str)];
const FIELD_OPTIONS: &[(&str, Shape)] = &[
    ("path", Shape::Str),
    ("localized", Shape::Flag),
    ("key", Shape::Str),
    ("skip", Shape::Flag),
];

/// The option `ident` names, and whether it was only assumed. An unknown option is reported,
/// with a suggestion when one is close; if the suggested option would parse in its place
/// (`localised` where a flag fits), it is assumed, so the rest of the build goes on as the user
/// meant and adds no errors that only follow from the typo (such as "`key` needs `localized`").
fn option(
    cx: &mut Ctxt,
    ident: &Ident,
    options: &[(&'static str, Shape)],
    input: ParseStream,
) -> Option<(&'static str, bool)> {
    let name = ident.to_string();
    if let Some((known, _)) = options.iter().find(|(o, _)| *o == name) {
        return Some((known, false));
    }
    let suggestion = suggest(&name, options.iter().map(|(o, _)| *o));
    let help = match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "expected one of {}",
            options
                .iter()
                .map(|(o, _)| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    cx.error_help(
        ident.span(),
        format!("unknown option `{name}` in `#[proactive(...)]`"),
        help,
    );
    let (assumed, shape) = *options.iter().find(|(o, _)| Some(*o) == suggestion)?;
    let fits = match shape {
        Shape::Str => input.peek(Token![=]) && input.peek2(LitStr),
        Shape::List => input.peek(syn::token::Paren),
        Shape::Flag => input.is_empty() || input.peek(Token![,]),
    };
    fits.then_some((assumed, true))
}

/// Whether to take an option's value. Giving an option twice is an error; a value only assumed
/// from a typo never is, and gives way to the option spelled right.
fn accept(
    cx: &mut Ctxt,
    taken: bool,
    ident: &Ident,
    (name, assumed): (&'static str, bool),
    guessed: &mut Vec<&'static str>,
) -> bool {
    if assumed {
        if !taken {
            guessed.push(name);
        }
        return !taken;
    }
    if taken && !guessed.contains(&name) {
        cx.error(ident.span(), format!("option `{ident}` is given twice"));
        return false;
    }
    guessed.retain(|g| *g != name);
    true
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
    let mut guessed = Vec::new();
    for_each_option(cx, attrs, |cx, ident, input| {
        let Some(opt) = option(cx, ident, CONTAINER_OPTIONS, input) else {
            return skip_value(input);
        };
        match opt.0 {
            "event" => {
                let v = string_value(input)?;
                if accept(cx, c.event.is_some(), ident, opt, &mut guessed) {
                    c.event = Some(v);
                }
            }
            "schema" => {
                let v = string_value(input)?;
                if accept(cx, c.schema.is_some(), ident, opt, &mut guessed) {
                    c.schema = Some(v);
                }
            }
            _ => {
                // `locales`
                let content;
                syn::parenthesized!(content in input);
                let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                if accept(cx, c.locales.is_some(), ident, opt, &mut guessed) {
                    c.locales = Some((ident.span(), list.into_iter().collect()));
                }
            }
        }
        Ok(())
    });
    c
}

pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> Field {
    let mut f = Field::default();
    let mut guessed = Vec::new();
    for_each_option(cx, attrs, |cx, ident, input| {
        let Some(opt) = option(cx, ident, FIELD_OPTIONS, input) else {
            return skip_value(input);
        };
        match opt.0 {
            "path" => {
                let v = string_value(input)?;
                if accept(cx, f.path.is_some(), ident, opt, &mut guessed) {
                    f.path = Some(v);
                }
            }
            "key" => {
                let v = string_value(input)?;
                if accept(cx, f.key.is_some(), ident, opt, &mut guessed) {
                    f.key = Some(v);
                }
            }
            "localized" => {
                if accept(cx, f.localized.is_some(), ident, opt, &mut guessed) {
                    f.localized = Some(ident.clone());
                }
            }
            _ => {
                // `skip`
                if accept(cx, f.skip, ident, opt, &mut guessed) {
                    f.skip = true;
                }
            }
        }
        Ok(())
    });
    f
}

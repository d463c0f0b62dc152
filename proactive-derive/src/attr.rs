//! Parsing the derive's input: the struct's shape and its `#[proactive(...)]` options. Never
//! returns early: every problem goes into the context, so one build shows them all.

use proactive_spec::suggest;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, LitStr, Token};

use crate::ctxt::Ctxt;

/// The derive's input as written: the struct and its options.
pub(crate) struct Input<'a> {
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    pub container: Container,
    /// The named fields with their options (none when the input is not such a struct).
    pub fields: Vec<(&'a syn::Field, Field)>,
}

/// The container options.
pub(crate) struct Container {
    pub event: Option<LitStr>,
    pub locales: Option<(Span, Vec<LitStr>)>,
    pub schema: Option<LitStr>,
}

/// The options of one field.
pub(crate) struct Field {
    pub path: Option<LitStr>,
    pub localized: Option<Ident>,
    pub key: Option<LitStr>,
    pub skip: bool,
}

pub(crate) fn parse<'a>(cx: &mut Ctxt, input: &'a DeriveInput) -> Input<'a> {
    let container = container(cx, &input.attrs);
    let fields: Vec<&syn::Field> = match &input.data {
        Data::Struct(syn::DataStruct {
            fields: Fields::Named(named),
            ..
        }) => named.named.iter().collect(),
        _ => {
            cx.error(
                input.ident.span(),
                "`#[derive(Event)]` needs a struct with named fields",
            );
            Vec::new()
        }
    };
    let fields = fields.into_iter().map(|f| (f, field(cx, &f.attrs))).collect();
    Input {
        ident: &input.ident,
        generics: &input.generics,
        container,
        fields,
    }
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

/// An option as written, and the option it is taken for.
#[derive(Clone, Copy)]
struct Opt<'i> {
    ident: &'i Ident,
    name: &'static str,
    /// Only assumed from a typo of `name`: see [`option`].
    assumed: bool,
}

/// The option `ident` names, and whether it was only assumed. An unknown option is reported,
/// with a suggestion when one is close; if the suggested option would parse in its place
/// (`localised` where a flag fits), it is assumed, so the rest of the build goes on as the user
/// meant and adds no errors that only follow from the typo (such as "`key` needs `localized`").
fn option<'i>(
    cx: &mut Ctxt,
    ident: &'i Ident,
    options: &[(&'static str, Shape)],
    input: ParseStream,
) -> Option<Opt<'i>> {
    let name = ident.to_string();
    if let Some((known, _)) = options.iter().find(|(o, _)| *o == name) {
        return Some(Opt {
            ident,
            name: known,
            assumed: false,
        });
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
    fits.then_some(Opt {
        ident,
        name: assumed,
        assumed: true,
    })
}

/// One option's value while its attributes are parsed, like serde's `Attr`: it remembers where
/// the value was given, and giving the option again is an error there. A value only assumed from a
/// typo never makes a second one an error, and gives way to the option spelled right.
struct Attr<T> {
    value: Option<(Span, T)>,
    assumed: bool,
}

impl<T> Attr<T> {
    fn none() -> Self {
        Attr {
            value: None,
            assumed: false,
        }
    }

    fn set(&mut self, cx: &mut Ctxt, opt: Opt, value: T) {
        match (&self.value, opt.assumed) {
            // An assumption never replaces a value, nor is an error.
            (Some(_), true) => {}
            (Some(_), false) if !self.assumed => {
                cx.error(opt.ident.span(), format!("option `{}` is given twice", opt.ident));
            }
            _ => {
                self.value = Some((opt.ident.span(), value));
                self.assumed = opt.assumed;
            }
        }
    }

    fn get(self) -> Option<T> {
        self.value.map(|(_, v)| v)
    }

    /// The value, with the span of the option that gave it.
    fn get_with_span(self) -> Option<(Span, T)> {
        self.value
    }
}

/// A flag option (`skip`): given or not.
struct BoolAttr(Attr<()>);

impl BoolAttr {
    fn none() -> Self {
        BoolAttr(Attr::none())
    }

    fn set_true(&mut self, cx: &mut Ctxt, opt: Opt) {
        self.0.set(cx, opt, ());
    }

    fn get(self) -> bool {
        self.0.get().is_some()
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

fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> Container {
    let mut event = Attr::none();
    let mut schema = Attr::none();
    let mut locales = Attr::none();
    for_each_option(cx, attrs, |cx, ident, input| {
        let Some(opt) = option(cx, ident, CONTAINER_OPTIONS, input) else {
            return skip_value(input);
        };
        match opt.name {
            "event" => event.set(cx, opt, string_value(input)?),
            "schema" => schema.set(cx, opt, string_value(input)?),
            _ => {
                // `locales`
                let content;
                syn::parenthesized!(content in input);
                let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                locales.set(cx, opt, list.into_iter().collect());
            }
        }
        Ok(())
    });
    Container {
        event: event.get(),
        locales: locales.get_with_span(),
        schema: schema.get(),
    }
}

fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> Field {
    let mut path = Attr::none();
    let mut localized = Attr::none();
    let mut key = Attr::none();
    let mut skip = BoolAttr::none();
    for_each_option(cx, attrs, |cx, ident, input| {
        let Some(opt) = option(cx, ident, FIELD_OPTIONS, input) else {
            return skip_value(input);
        };
        match opt.name {
            "path" => path.set(cx, opt, string_value(input)?),
            "key" => key.set(cx, opt, string_value(input)?),
            "localized" => localized.set(cx, opt, ident.clone()),
            _ => skip.set_true(cx, opt), // `skip`
        }
        Ok(())
    });
    Field {
        path: path.get(),
        localized: localized.get(),
        key: key.get(),
        skip: skip.get(),
    }
}

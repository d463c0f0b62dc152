//! The model of `#[derive(Event)]`: the user's struct in the schema's terms. Which schema the
//! event has, the locales it is given in, and what each field says it covers. Building it reports
//! what stops the derive from knowing the event (no or an unknown event name, an unreadable schema
//! file) and the locales Alexa does not know; the rules between fields and schema are `check`'s.

use std::sync::OnceLock;

use proactive_codegen::ir::EventSchema;
use proactive_spec::{is_alexa_locale, locale_help, suggest};
use proc_macro2::Span;
use syn::{Generics, Ident, LitStr};

use crate::attr;
use crate::ctxt::Ctxt;

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// The built-in catalogue, parsed once per compiler process.
fn catalogue() -> &'static [EventSchema] {
    static CATALOGUE: OnceLock<Vec<EventSchema>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        SCHEMAS
            .iter()
            .filter_map(|(file, text)| {
                proactive_codegen::ir::load_str(std::path::Path::new(file), text)
                    .ok()
                    .flatten()
            })
            .collect()
    })
}

/// The event a struct describes.
pub(crate) struct Event<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a Generics,
    pub(crate) source: Source,
    pub(crate) locales: Locales,
    /// The fields not `skip`ped, in the struct's order.
    pub(crate) fields: Vec<Field<'a>>,
}

/// Where an event's schema comes from: the catalogue (generated types exist in
/// `proactive_schemas::events`) or a user's file (no generated types).
pub(crate) struct Source {
    pub(crate) schema: EventSchema,
    pub(crate) builtin: bool,
    /// The user's schema file, which the generated code includes so that editing it rebuilds.
    pub(crate) file: Option<String>,
}

/// `locales(...)`.
pub(crate) struct Locales {
    /// Where it is given, and whether its list is empty; `None` when it is not given.
    pub(crate) given: Option<(Span, bool)>,
    /// The Alexa locales it lists, each once: `ToEvent::LOCALES`.
    pub(crate) valid: Vec<String>,
}

/// A field, and the attribute it says it covers.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    /// As written (`Option<T>` for an optional field): type errors sit under it.
    pub(crate) ty: &'a syn::Type,
    /// `T`, when the type is `Option<T>`.
    pub(crate) optional: Option<&'a syn::Type>,
    /// `path = "..."`, else the field's name in camelCase.
    pub(crate) path: String,
    pub(crate) path_span: Span,
    /// `localized`, with its key.
    pub(crate) localized: Option<Localized>,
    /// `key = "..."` without `localized`.
    pub(crate) stray_key: Option<Span>,
}

pub(crate) struct Localized {
    /// The `localized` option.
    pub(crate) span: Span,
    /// `key = "..."`, else the field's name in camelCase.
    pub(crate) key: String,
    pub(crate) key_span: Span,
}

/// The model, or `None` when the event's schema is unknown: then nothing more can be said.
pub(crate) fn build<'a>(cx: &mut Ctxt, input: attr::Input<'a>) -> Option<Event<'a>> {
    let locales = locales(cx, &input.container);
    let source = source(cx, input.ident, &input.container)?;
    let fields = input
        .fields
        .iter()
        .filter(|(_, opts)| !opts.skip)
        .filter_map(|(f, opts)| field(f, opts))
        .collect();
    Some(Event {
        ident: input.ident,
        generics: input.generics,
        source,
        locales,
        fields,
    })
}

fn field<'a>(field: &'a syn::Field, opts: &attr::Field) -> Option<Field<'a>> {
    let ident = field.ident.as_ref()?;
    let (path, path_span) = match &opts.path {
        Some(lit) => (lit.value(), lit.span()),
        None => (camel_case(&ident.to_string()), ident.span()),
    };
    let localized = opts.localized.as_ref().map(|l| {
        let (key, key_span) = match &opts.key {
            Some(k) => (k.value(), k.span()),
            None => (camel_case(&ident.to_string()), ident.span()),
        };
        Localized {
            span: l.span(),
            key,
            key_span,
        }
    });
    let stray_key = match (&opts.localized, &opts.key) {
        (None, Some(k)) => Some(k.span()),
        _ => None,
    };
    Some(Field {
        ident,
        ty: &field.ty,
        optional: option_inner(&field.ty),
        path,
        path_span,
        localized,
        stray_key,
    })
}

/// `provider_name` -> `providerName`.
pub(crate) fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.trim_start_matches("r#").chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `Option<T>` -> `T`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}

fn locales(cx: &mut Ctxt, container: &attr::Container) -> Locales {
    let Some((span, list)) = &container.locales else {
        return Locales {
            given: None,
            valid: Vec::new(),
        };
    };
    let mut seen: Vec<String> = Vec::new();
    for lit in list {
        let locale = lit.value();
        let b = locale.as_bytes();
        let well_formed = b.len() == 5
            && b[..2].iter().all(u8::is_ascii_lowercase)
            && b[2] == b'-'
            && b[3..].iter().all(u8::is_ascii_uppercase);
        if !is_alexa_locale(&locale) {
            let message = if well_formed {
                proactive_spec::unknown_locale(&locale)
            } else {
                format!("malformed locale `{locale}`")
            };
            cx.error_help(lit.span(), message, locale_help(&locale));
        } else if seen.contains(&locale) {
            cx.error(lit.span(), format!("locale `{locale}` is listed twice"));
        } else {
            seen.push(locale);
        }
    }
    Locales {
        given: Some((*span, list.is_empty())),
        valid: seen,
    }
}

fn source(cx: &mut Ctxt, ident: &Ident, container: &attr::Container) -> Option<Source> {
    if let Some(lit) = &container.schema {
        let schema = load_user_schema(cx, lit)?;
        if let Some(event) = &container.event {
            if event.value() != schema.0.name {
                cx.error(
                    event.span(),
                    format!("the schema file describes `{}`, not `{}`", schema.0.name, event.value()),
                );
            }
        }
        return Some(Source {
            schema: schema.0,
            builtin: false,
            file: Some(schema.1),
        });
    }
    let Some(lit) = &container.event else {
        cx.error_help(
            ident.span(),
            "missing the event name",
            "add `#[proactive(event = \"AMAZON.WeatherAlert.Activated\")]` (or `schema = \"path/to/Event.json\"`)",
        );
        return None;
    };
    let name = lit.value();
    match catalogue().iter().find(|e| e.name == name) {
        Some(e) => Some(Source {
            schema: e.clone(),
            builtin: true,
            file: None,
        }),
        None => {
            let names = catalogue().iter().map(|e| e.name.as_str());
            match suggest(&name, names) {
                Some(s) => cx.error_help(
                    lit.span(),
                    format!("unknown event `{name}`"),
                    format!("did you mean `{s}`?"),
                ),
                None => cx.error_help(
                    lit.span(),
                    format!("unknown event `{name}`"),
                    format!(
                        "the events are {}",
                        catalogue()
                            .iter()
                            .map(|e| e.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            }
            None
        }
    }
}

/// Loads `schema = "..."`, relative to the user crate's manifest directory.
fn load_user_schema(cx: &mut Ctxt, lit: &LitStr) -> Option<(EventSchema, String)> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    let path = dir.join(lit.value());
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            cx.error(
                lit.span(),
                format!(
                    "cannot read schema file `{}` (relative to the crate's manifest directory): {e}",
                    lit.value()
                ),
            );
            return None;
        }
    };
    // Errors name the file as written in the attribute.
    match proactive_codegen::ir::load_str(std::path::Path::new(&lit.value()), &text) {
        Ok(Some(schema)) => Some((schema, path.display().to_string())),
        Ok(None) => {
            cx.error(lit.span(), "this is an envelope schema, not an event schema");
            None
        }
        Err(errors) => {
            for e in errors {
                cx.error(lit.span(), format!("invalid schema file: {e}"));
            }
            None
        }
    }
}

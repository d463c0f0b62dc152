//! `#[derive(Event)]`: parse -> model -> check -> emit.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use proactive_codegen::ir::{EventSchema, Type};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

use crate::attr;
use crate::ctxt::Ctxt;
use crate::fits::Field;
use crate::suggest::{locale_help, suggest};

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

/// Where an event's schema comes from: the catalogue (generated types exist in
/// `proactive_schemas::events`) or a user's file (no generated types).
pub(crate) struct Source {
    pub(crate) schema: EventSchema,
    pub(crate) builtin: bool,
    file: Option<String>,
}

/// One field of the user's struct that covers an attribute.
struct Covered<'a> {
    field: &'a syn::Field,
    ident: &'a syn::Ident,
    path: String,
    localized: Option<String>,
    optional: Option<&'a syn::Type>,
    /// The field's options had an error: it still counts as covering its attribute, but no code
    /// is emitted for it, so one mistake gives one error.
    broken: bool,
}

pub(crate) fn expand(input: DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let container = attr::container(&mut cx, &input.attrs);

    let fields: Vec<&syn::Field> = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => named.named.iter().collect(),
            _ => {
                cx.error(
                    input.ident.span(),
                    "`#[derive(Event)]` needs a struct with named fields",
                );
                Vec::new()
            }
        },
        _ => {
            cx.error(
                input.ident.span(),
                "`#[derive(Event)]` needs a struct with named fields",
            );
            Vec::new()
        }
    };
    let field_attrs: Vec<attr::Field> = fields.iter().map(|f| attr::field(&mut cx, &f.attrs)).collect();

    let locales = check_locales(&mut cx, &container);
    let source = resolve_event(&mut cx, &input, &container);

    let Some(source) = source else {
        return cx.into_compile_errors().unwrap_or_default();
    };
    let event = &source.schema;

    // Model: which attribute each field covers.
    let mut covered: Vec<Covered> = Vec::new();
    let mut keys: BTreeMap<String, Span> = BTreeMap::new();
    // Paths suggested for a misspelt one: not reported missing as well.
    let mut assumed: Vec<String> = Vec::new();
    for (field, opts) in fields.iter().zip(&field_attrs) {
        if opts.skip {
            continue;
        }
        let Some(ident) = field.ident.as_ref() else { continue };
        let (path, path_span) = match &opts.path {
            Some(lit) => (lit.value(), lit.span()),
            None => (camel_case(&ident.to_string()), ident.span()),
        };
        let Some(attribute) = event.attribute(&path) else {
            let all: Vec<String> = event.attributes().into_iter().map(|a| a.path).collect();
            let message = format!("`{}` has no attribute `{path}`", event.name);
            match suggest(&path, all.iter().map(String::as_str)) {
                Some(s) => {
                    cx.error_help(path_span, message, format!("did you mean `{s}`?"));
                    assumed.push(s.to_owned());
                }
                None => cx.error_help(path_span, message, format!("its attributes are {}", all.join(", "))),
            }
            continue;
        };
        if let Some(other) = covered.iter().find(|c| overlaps(&c.path, &path)) {
            let message = if other.path == path {
                format!("attribute `{path}` is covered twice (also by field `{}`)", other.ident)
            } else {
                format!(
                    "attribute `{path}` overlaps `{}`, covered by field `{}`",
                    other.path, other.ident
                )
            };
            cx.error(path_span, message);
            continue;
        }
        let errors_before = cx.count();
        let localizable = matches!(attribute.ty, Type::String { localizable: true });
        let localized = match (&opts.localized, &opts.key) {
            (Some(l), _) if !localizable => {
                let localizable: Vec<String> = event
                    .attributes()
                    .into_iter()
                    .filter(|a| matches!(a.property.ty, Type::String { localizable: true }))
                    .map(|a| a.path)
                    .collect();
                let help = if localizable.is_empty() {
                    format!("`{}` has no localizable attributes", event.name)
                } else {
                    format!(
                        "the localizable attributes of `{}` are {}",
                        event.name,
                        localizable.join(", ")
                    )
                };
                cx.error_help(l.span(), format!("attribute `{path}` is not localizable"), help);
                None
            }
            (Some(_), key) => {
                let (key, span) = match key {
                    Some(k) => (k.value(), k.span()),
                    None => (camel_case(&ident.to_string()), ident.span()),
                };
                if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    let fixed: String = camel_case(&key).chars().filter(char::is_ascii_alphanumeric).collect();
                    let help = if fixed.is_empty() {
                        "use ASCII letters and digits only".to_owned()
                    } else {
                        format!("use ASCII letters and digits only, e.g. `key = \"{fixed}\"`")
                    };
                    cx.error_help(span, format!("invalid localized attribute key `{key}`"), help);
                } else if keys.contains_key(&key) {
                    cx.error_help(
                        span,
                        format!("localized attribute key `{key}` is used by two fields"),
                        "give one of them another `key = \"...\"`",
                    );
                } else {
                    keys.insert(key.clone(), span);
                }
                Some(key)
            }
            (None, Some(k)) => {
                cx.error(k.span(), "`key` needs `localized`");
                None
            }
            (None, None) => None,
        };
        let optional = option_inner(&field.ty);
        if optional.is_some() && attribute.required {
            cx.error_help(
                field.ty.span(),
                format!("attribute `{path}` is required, so its field cannot be an `Option`"),
                option_help(&source, &path),
            );
        }
        if !source.builtin && matches!(attribute.ty, Type::Object(_)) {
            cx.error_help(
                path_span,
                format!("attribute `{path}` is an object of a schema file, for which no type is generated"),
                "cover its attributes one by one",
            );
        }
        covered.push(Covered {
            field,
            ident,
            path,
            localized,
            optional,
            broken: cx.count() > errors_before,
        });
    }
    if let Some(first) = covered.iter().find(|c| c.localized.is_some()) {
        match &container.locales {
            None => cx.error_help(
                input.ident.span(),
                "localized fields need the locales they are given in",
                "add `locales(\"en-US\", ...)` to `#[proactive(...)]`",
            ),
            // No locale means no `localizedAttributes` entry, so every value would fail to send.
            Some((span, list)) if list.is_empty() => cx.error_help(
                *span,
                format!("`locales()` is empty, but field `{}` is `localized`", first.ident),
                "list the locales the localized fields are given in, e.g. `locales(\"en-US\")`",
            ),
            Some(_) => {}
        }
    }
    check_required(&mut cx, &input.ident, event, &covered, &assumed);

    let mut out = cx.into_compile_errors().unwrap_or_default();
    out.extend(emit(&input, &source, &locales, &covered));
    out
}

/// `a.b` and `a.b.c` overlap; `a.b` and `a.bc` do not.
fn overlaps(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long == short || long.strip_prefix(short).is_some_and(|rest| rest.starts_with('.'))
}

/// `provider_name` -> `providerName`.
fn camel_case(name: &str) -> String {
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

/// The help for an `Option` field on a required attribute: the nearest optional ancestor can be
/// left out, or nothing can be when every ancestor is required.
fn option_help(source: &Source, path: &str) -> String {
    let event = &source.schema;
    let mut parent = path;
    while let Some((p, _)) = parent.rsplit_once('.') {
        parent = p;
        let Some(property) = event.attribute(parent) else { break };
        if property.required {
            continue;
        }
        return match &property.ty {
            Type::Object(o) if source.builtin => format!(
                "to leave `{path}` out, leave out its optional parent: cover `{parent}` whole with a field of type \
                 `Option<{}>`",
                o.rust_name
            ),
            _ => format!("to leave `{path}` out, leave out its optional parent `{parent}`: cover nothing inside it"),
        };
    }
    format!("every `{}` event has `{path}`: remove the `Option`", event.name)
}

fn check_locales(cx: &mut Ctxt, container: &attr::Container) -> Vec<String> {
    let Some((_, list)) = &container.locales else {
        return Vec::new();
    };
    let mut seen: Vec<String> = Vec::new();
    for lit in list {
        let locale = lit.value();
        let b = locale.as_bytes();
        let well_formed = b.len() == 5
            && b[..2].iter().all(u8::is_ascii_lowercase)
            && b[2] == b'-'
            && b[3..].iter().all(u8::is_ascii_uppercase);
        if !proactive_codegen::ALEXA_LOCALES.contains(&locale.as_str()) {
            let what = if well_formed {
                "unknown Alexa locale"
            } else {
                "malformed locale"
            };
            cx.error_help(
                lit.span(),
                format!("{what} `{locale}`"),
                locale_help(&locale, proactive_codegen::ALEXA_LOCALES),
            );
        } else if seen.contains(&locale) {
            cx.error(lit.span(), format!("locale `{locale}` is listed twice"));
        } else {
            seen.push(locale);
        }
    }
    seen
}

fn resolve_event(cx: &mut Ctxt, input: &DeriveInput, container: &attr::Container) -> Option<Source> {
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
            input.ident.span(),
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

/// Check 2: every required attribute under a present parent is covered. The payload root is
/// present; an optional object is present when some field covers something inside it.
fn check_required(cx: &mut Ctxt, ident: &syn::Ident, event: &EventSchema, covered: &[Covered], assumed: &[String]) {
    let paths: Vec<&str> = covered
        .iter()
        .map(|c| c.path.as_str())
        .chain(assumed.iter().map(String::as_str))
        .collect();
    let is_covered = |path: &str| paths.iter().any(|c| *c == path || path.starts_with(&format!("{c}.")));
    let has_inside = |path: &str| paths.iter().any(|c| c.starts_with(&format!("{path}.")));
    let mut missing = Vec::new();
    for attr in event.attributes() {
        let parent = attr.path.rsplit_once('.').map_or("", |(p, _)| p);
        let parent_present = parent.is_empty() || is_present(event, parent, &is_covered, &has_inside);
        if !attr.property.required || !parent_present || is_covered(&attr.path) {
            continue;
        }
        if matches!(attr.property.ty, Type::Object(_)) {
            continue; // its required children are reported one by one
        }
        missing.push(attr.path);
    }
    for path in missing {
        cx.error_help(
            ident.span(),
            format!("missing required attribute `{path}` of `{}`", event.name),
            format!("add a field with `#[proactive(path = \"{path}\")]`"),
        );
    }
}

fn is_present(
    event: &EventSchema,
    path: &str,
    is_covered: &dyn Fn(&str) -> bool,
    has_inside: &dyn Fn(&str) -> bool,
) -> bool {
    if is_covered(path) {
        return false; // a generated struct covers it whole: nothing inside needs a field
    }
    if has_inside(path) {
        return true;
    }
    let required = event.attribute(path).is_some_and(|p| p.required);
    let parent = path.rsplit_once('.').map_or("", |(p, _)| p);
    required && (parent.is_empty() || is_present(event, parent, is_covered, has_inside))
}

/// The `kind::…` marker for an attribute type (`kind::Any` when no generated type exists).
pub(crate) fn kind(source: &Source, ty: &Type, span: Span) -> TokenStream {
    // The module may be a raw identifier (`r#type`), which `Ident::new` does not take.
    let module: syn::Ident =
        syn::parse_str(&source.schema.module).unwrap_or_else(|_| syn::Ident::new("invalid_module", Span::call_site()));
    let generated = |name: &str| {
        let name = syn::Ident::new(name, Span::call_site());
        quote!(::proactive_schemas::events::#module::#name)
    };
    match ty {
        Type::String { .. } => quote_spanned!(span=> ::proactive_schemas::kind::Text),
        Type::Integer => quote_spanned!(span=> ::proactive_schemas::kind::Integer),
        Type::DateTime => quote_spanned!(span=> ::proactive_schemas::kind::DateTime),
        Type::Enum(e) if source.builtin => {
            let t = generated(&e.rust_name);
            quote_spanned!(span=> ::proactive_schemas::kind::Enum<#t>)
        }
        Type::Object(o) if source.builtin => {
            let t = generated(&o.rust_name);
            quote_spanned!(span=> ::proactive_schemas::kind::Object<#t>)
        }
        Type::Array { items, .. } => match items.as_ref() {
            Type::Enum(e) if source.builtin => {
                let t = generated(&e.rust_name);
                quote_spanned!(span=> ::proactive_schemas::kind::EnumArray<#t>)
            }
            _ => quote_spanned!(span=> ::proactive_schemas::kind::TextArray),
        },
        _ => quote_spanned!(span=> ::proactive_schemas::kind::Any),
    }
}

fn emit(input: &DeriveInput, source: &Source, locales: &[String], covered: &[Covered]) -> TokenStream {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let event_name = &source.schema.name;
    let mut sets = Vec::new();
    let mut entries = Vec::new();
    for c in covered.iter().filter(|c| !c.broken) {
        let Some(attribute) = source.schema.attribute(&c.path) else {
            continue;
        };
        let ident = c.ident;
        let segments: Vec<&str> = c.path.split('.').collect();
        // Type checks look inside the `Option` of an optional field.
        let field = Field {
            strukt: name,
            ident,
            path: &c.path,
            ty: c.optional.unwrap_or(&c.field.ty),
        };
        match &c.localized {
            Some(key) => {
                let reference = format!("localizedattribute:{key}");
                let text = crate::fits::localized(&field);
                if c.optional.is_some() {
                    sets.push(quote! {
                        if self.#ident.is_some() {
                            ::proactive_schemas::__private::set(&mut payload, &[#(#segments),*], ::proactive_schemas::__private::serde_json::Value::String(#reference.into()));
                        }
                    });
                    entries.push(quote! {
                        if let ::std::option::Option::Some(value) = &self.#ident {
                            entry.values.insert(#key.into(), #text);
                        }
                    });
                } else {
                    sets.push(quote! {
                        ::proactive_schemas::__private::set(&mut payload, &[#(#segments),*], ::proactive_schemas::__private::serde_json::Value::String(#reference.into()));
                    });
                    entries.push(quote! {
                        {
                            let value = &self.#ident;
                            entry.values.insert(#key.into(), #text);
                        }
                    });
                }
            }
            None => {
                let value = crate::fits::attribute(source, &field, &attribute.ty, attribute.required);
                if c.optional.is_some() {
                    sets.push(quote! {
                        if let ::std::option::Option::Some(value) = &self.#ident {
                            ::proactive_schemas::__private::set(&mut payload, &[#(#segments),*], #value);
                        }
                    });
                } else {
                    sets.push(quote! {
                        {
                            let value = &self.#ident;
                            ::proactive_schemas::__private::set(&mut payload, &[#(#segments),*], #value);
                        }
                    });
                }
            }
        }
    }
    let rebuild = source.file.as_ref().map(|f| {
        quote!(
            const _: &[u8] = ::std::include_bytes!(#f);
        )
    });
    quote! {
        const _: () = {
            #rebuild

            #[automatically_derived]
            impl #impl_generics ::proactive_schemas::ToEvent for #name #ty_generics #where_clause {
                const NAME: &'static str = #event_name;
                const LOCALES: &'static [&'static str] = &[#(#locales),*];

                fn payload(&self) -> ::proactive_schemas::__private::serde_json::Value {
                    let mut payload = ::proactive_schemas::__private::serde_json::Map::new();
                    #(#sets)*
                    ::proactive_schemas::__private::serde_json::Value::Object(payload)
                }

                fn localized_attributes(
                    &self,
                ) -> ::std::result::Result<::std::vec::Vec<::proactive_schemas::LocalizedAttributes>, ::proactive_schemas::MissingLocale> {
                    let mut entries = ::std::vec::Vec::new();
                    for locale in Self::LOCALES {
                        let locale: &'static str = locale;
                        let mut entry = ::proactive_schemas::LocalizedAttributes::new(locale, ::std::iter::empty::<(&str, &str)>());
                        #(#entries)*
                        if entry.values.is_empty() {
                            break;
                        }
                        entries.push(entry);
                    }
                    ::std::result::Result::Ok(entries)
                }
            }
        };
    }
}

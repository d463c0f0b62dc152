//! Checking the model against the schema. Check 1: each field names an attribute, covers it alone,
//! is `localized` only where the schema allows it and with a valid key, and is an `Option` only
//! where the attribute may be left out; localized fields have locales. Check 2: every required
//! attribute is covered. Check 3, that each field's type fits its attribute, is rustc's: see
//! `fits.rs`.

use std::collections::BTreeSet;

use proactive_codegen::ir::{EventSchema, Property, Type};
use proactive_spec::{is_valid_key, suggest};
use syn::spanned::Spanned;

use crate::ctxt::Ctxt;
use crate::model::{camel_case, Event, Field, Source};

/// A field that covers an attribute without an error: code is emitted for it.
pub(crate) struct Covered<'a> {
    pub(crate) field: &'a Field<'a>,
    pub(crate) attribute: &'a Property,
    /// The localized attribute key, for a `localized` field.
    pub(crate) localized: Option<&'a str>,
}

/// A field that covers an attribute. One whose options had an error still counts as covering it
/// (it is `broken`), but no code is emitted for it, so one mistake gives one error.
struct Checked<'a> {
    covered: Covered<'a>,
    broken: bool,
}

/// Reports every problem, and returns the fields to emit code for.
pub(crate) fn check<'a>(cx: &mut Ctxt, event: &'a Event<'a>) -> Vec<Covered<'a>> {
    let schema = &event.source.schema;
    let mut checked: Vec<Checked> = Vec::new();
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    // Paths suggested for a misspelt one: not reported missing as well.
    let mut assumed: Vec<String> = Vec::new();
    for field in &event.fields {
        let path = &field.path;
        let Some(attribute) = schema.attribute(path) else {
            let all: Vec<String> = schema.attributes().into_iter().map(|a| a.path).collect();
            let message = format!("`{}` has no attribute `{path}`", schema.name);
            match suggest(path, all.iter().map(String::as_str)) {
                Some(s) => {
                    cx.error_help(field.path_span, message, format!("did you mean `{s}`?"));
                    assumed.push(s.to_owned());
                }
                None => cx.error_help(
                    field.path_span,
                    message,
                    format!("its attributes are {}", all.join(", ")),
                ),
            }
            continue;
        };
        if let Some(other) = checked
            .iter()
            .map(|c| c.covered.field)
            .find(|o| overlaps(&o.path, path))
        {
            let message = if other.path == *path {
                format!("attribute `{path}` is covered twice (also by field `{}`)", other.ident)
            } else {
                format!(
                    "attribute `{path}` overlaps `{}`, covered by field `{}`",
                    other.path, other.ident
                )
            };
            cx.error(field.path_span, message);
            continue;
        }
        let errors_before = cx.count();
        let localized = localized(cx, schema, field, attribute, &mut keys);
        // A required nullable attribute takes an `Option`: `None` is written as `null`.
        if field.optional.is_some() && attribute.required && !matches!(attribute.ty, Type::Nullable(_)) {
            cx.error_help(
                field.ty.span(),
                format!("attribute `{path}` is required, so its field cannot be an `Option`"),
                option_help(&event.source, path),
            );
        }
        if !event.source.builtin && matches!(attribute.ty, Type::Object(_)) {
            cx.error_help(
                field.path_span,
                format!("attribute `{path}` is an object of a schema file, for which no type is generated"),
                "cover its attributes one by one",
            );
        }
        checked.push(Checked {
            covered: Covered {
                field,
                attribute,
                localized,
            },
            broken: cx.count() > errors_before,
        });
    }
    if let Some(first) = checked.iter().find(|c| c.covered.localized.is_some()) {
        match event.locales.given {
            None => cx.error_help(
                event.ident.span(),
                "localized fields need the locales they are given in",
                "add `locales(\"en-US\", ...)` to `#[proactive(...)]`",
            ),
            // No locale means no `localizedAttributes` entry, so every value would fail to send.
            Some((span, true)) => cx.error_help(
                span,
                format!(
                    "`locales()` is empty, but field `{}` is `localized`",
                    first.covered.field.ident
                ),
                "list the locales the localized fields are given in, e.g. `locales(\"en-US\")`",
            ),
            Some((_, false)) => {}
        }
    }
    let paths: Vec<&str> = checked
        .iter()
        .map(|c| c.covered.field.path.as_str())
        .chain(assumed.iter().map(String::as_str))
        .collect();
    check_required(cx, event.ident, schema, &paths);
    checked.into_iter().filter(|c| !c.broken).map(|c| c.covered).collect()
}

/// The key of a `localized` field, if it is one on a localizable attribute (the key may still be
/// reported invalid or taken).
fn localized<'a>(
    cx: &mut Ctxt,
    schema: &EventSchema,
    field: &'a Field,
    attribute: &Property,
    keys: &mut BTreeSet<&'a str>,
) -> Option<&'a str> {
    let path = &field.path;
    if let Some(span) = field.stray_key {
        cx.error(span, "`key` needs `localized`");
    }
    let l = field.localized.as_ref()?;
    if !matches!(attribute.ty, Type::String { localizable: true, .. }) {
        let localizable: Vec<String> = schema
            .attributes()
            .into_iter()
            .filter(|a| matches!(a.property.ty, Type::String { localizable: true, .. }))
            .map(|a| a.path)
            .collect();
        let help = if localizable.is_empty() {
            format!("`{}` has no localizable attributes", schema.name)
        } else {
            format!(
                "the localizable attributes of `{}` are {}",
                schema.name,
                localizable.join(", ")
            )
        };
        cx.error_help(l.span, format!("attribute `{path}` is not localizable"), help);
        return None;
    }
    let key = l.key.as_str();
    if !is_valid_key(key) {
        let fixed: String = camel_case(key).chars().filter(char::is_ascii_alphanumeric).collect();
        let help = if fixed.is_empty() {
            "use ASCII letters and digits only".to_owned()
        } else {
            format!("use ASCII letters and digits only, e.g. `key = \"{fixed}\"`")
        };
        cx.error_help(l.key_span, format!("invalid localized attribute key `{key}`"), help);
    } else if !keys.insert(key) {
        cx.error_help(
            l.key_span,
            format!("localized attribute key `{key}` is used by two fields"),
            "give one of them another `key = \"...\"`",
        );
    }
    Some(key)
}

/// `a.b` and `a.b.c` overlap; `a.b` and `a.bc` do not.
fn overlaps(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long == short || long.strip_prefix(short).is_some_and(|rest| rest.starts_with('.'))
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

/// Check 2: every required attribute under a present parent is covered (by one of `paths`). The
/// payload root is present; an optional object is present when some field covers something inside
/// it.
fn check_required(cx: &mut Ctxt, ident: &syn::Ident, event: &EventSchema, paths: &[&str]) {
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

//! Check 3: each field's type fits its attribute. rustc does the checking (garde style): the
//! generated code needs `FieldType: Fits<Kind>` (from `proactive_schemas`). To word the error for
//! the one attribute at hand ("`u64` cannot hold `availability.startTime`, a date-time; use …"),
//! each field gets a block-local trait that carries that message in `#[diagnostic::on_unimplemented]`
//! and is implemented for exactly the types that implement `Fits<Kind>`
//! (`#[diagnostic::do_not_recommend]` keeps rustc on the local trait instead of the
//! `Fits` bound behind it). The words here must name the types `proactive_schemas`'s `Fits` impls
//! accept, kind by kind.

use proactive_codegen::ir::Type;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::Source;

/// How an attribute is described in the message, and what fits it.
struct Words {
    /// What the attribute is, after its path: "a date-time".
    what: String,
    /// The types that fit: "`DateTime`, `jiff::Timestamp` or `String`".
    fits: String,
    /// The label under the field's type: "expected a date-time type".
    label: String,
    notes: Vec<String>,
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn ticked(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| format!("`{i}`")).collect()
}

/// "1 to 6", "at least 1", "at most 6", or nothing.
fn bounds(min: Option<u64>, max: Option<u64>) -> Option<String> {
    match (min, max) {
        (Some(lo), Some(hi)) if lo == hi => Some(format!("exactly {lo}")),
        (Some(lo), Some(hi)) => Some(format!("{lo} to {hi}")),
        (Some(lo), None) => Some(format!("at least {lo}")),
        (None, Some(hi)) => Some(format!("at most {hi}")),
        (None, None) => None,
    }
}

fn words(source: &Source, path: &str, ty: &Type, required: bool) -> Words {
    let module = source.schema.module.trim_start_matches("r#");
    let generated = |name: &str| format!("`{name}` is `proactive_schemas::events::{module}::{name}`");
    let mut w = match ty {
        Type::String { localizable: false, .. } => Words {
            what: "a string".into(),
            fits: or_list(&ticked(&["String", "&str"])),
            label: "expected a string type".into(),
            notes: Vec::new(),
        },
        Type::String { localizable: true, .. } => Words {
            what: "a localizable string".into(),
            fits: or_list(&ticked(&["String", "&str", "Localizable<String>"])),
            label: "expected a string type".into(),
            notes: vec!["or mark the field `localized` and make it a `Localized<String>`, one value per locale".into()],
        },
        Type::Integer(_) => Words {
            what: "an integer".into(),
            fits: or_list(&ticked(&["i64", "i32", "i16", "i8", "u32", "u16", "u8"])),
            label: "expected an integer type".into(),
            notes: Vec::new(),
        },
        Type::Number(_) => Words {
            what: "a number".into(),
            fits: or_list(&ticked(&["f64", "f32", "i64", "i32", "u32"])),
            label: "expected a number type".into(),
            notes: Vec::new(),
        },
        Type::Boolean => Words {
            what: "a boolean".into(),
            fits: "`bool`".into(),
            label: "expected `bool`".into(),
            notes: Vec::new(),
        },
        Type::Nullable(inner) => {
            let mut w = words(source, path, inner, true);
            w.notes.push(format!(
                "`{path}` may be null: an `Option` of these fits too, and `None` is written as `null`"
            ));
            w
        }
        Type::DateTime => Words {
            what: "a date-time".into(),
            fits: or_list(&ticked(&["DateTime", "jiff::Timestamp", "String"])),
            label: "expected a date-time type".into(),
            notes: Vec::new(),
        },
        Type::Enum(e) if source.builtin => Words {
            what: format!("one of the values of `{}`", e.rust_name),
            fits: format!("`{}`", e.rust_name),
            label: format!("expected `{}`", e.rust_name),
            notes: vec![generated(&e.rust_name)],
        },
        Type::Enum(e) => Words {
            what: format!(
                "one of {}",
                or_list(&e.variants.iter().map(|(v, _)| format!("`{v}`")).collect::<Vec<_>>())
            ),
            fits: "a type that implements `Display`, such as `String` or `&str`".into(),
            label: "expected a type that implements `Display`".into(),
            notes: vec!["the value is checked against the schema file when the request is validated".into()],
        },
        Type::Object(o) => Words {
            what: "an object".into(),
            fits: format!("`{}`, or cover its attributes one by one", o.rust_name),
            label: format!("expected `{}`", o.rust_name),
            notes: vec![generated(&o.rust_name)],
        },
        Type::Array {
            items,
            min_items,
            max_items,
        } => {
            let count = bounds(*min_items, *max_items).map_or(String::new(), |b| format!("{b} "));
            match items.as_ref() {
                Type::Enum(e) if source.builtin => {
                    let name = &e.rust_name;
                    let lo = min_items.unwrap_or(0);
                    let hi = max_items.map_or("{ usize::MAX }".to_owned(), |m| m.to_string());
                    Words {
                        what: format!("a list of {count}`{name}` values"),
                        fits: format!("`Vec<{name}>` or `BoundedVec<{name}, {lo}, {hi}>`"),
                        label: format!("expected a list of `{name}`"),
                        notes: vec![generated(name)],
                    }
                }
                Type::Object(o) if source.builtin => {
                    let name = &o.rust_name;
                    Words {
                        what: format!("a list of {count}`{name}` objects"),
                        fits: format!("`Vec<{name}>` or a `BoundedVec` of `{name}`"),
                        label: format!("expected a list of `{name}`"),
                        notes: vec![generated(name)],
                    }
                }
                Type::Object(_) => Words {
                    what: format!("a list of {count}objects"),
                    fits: "a `Vec` of a type that implements `serde::Serialize`".into(),
                    label: "expected a list of serializable values".into(),
                    notes: vec!["the items are checked against the schema file when the request is validated".into()],
                },
                item @ (Type::Integer(_) | Type::Number(_) | Type::Boolean) => {
                    let of = match item {
                        Type::Integer(_) => "integers",
                        Type::Number(_) => "numbers",
                        _ => "booleans",
                    };
                    let inner = words(source, path, item, true);
                    Words {
                        what: format!("a list of {count}{of}"),
                        fits: format!("a `Vec` of {}", inner.fits),
                        label: format!("expected a list of {of}"),
                        notes: Vec::new(),
                    }
                }
                items => {
                    let of = match items {
                        Type::DateTime => "date-times",
                        Type::Enum(_) => "strings (enum values)",
                        _ => "strings",
                    };
                    Words {
                        what: format!("a list of {count}{of}"),
                        fits: "`Vec<String>`, `Vec<&str>` or another `Vec` of an `AsRef<str>` type".into(),
                        label: "expected a list of strings".into(),
                        notes: Vec::new(),
                    }
                }
            }
        }
    };
    if !required {
        w.notes
            .push(format!("`{path}` is optional: `Option` of these fits too"));
    }
    w
}

/// `{` and `}` are format braces in `on_unimplemented` strings.
fn escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// The field whose type is checked.
pub(crate) struct Field<'a> {
    pub(crate) strukt: &'a syn::Ident,
    pub(crate) ident: &'a syn::Ident,
    /// The attribute it covers.
    pub(crate) path: &'a str,
    /// Its type (inside `Option`, for an optional field).
    pub(crate) ty: &'a syn::Type,
}

impl Field<'_> {
    /// The block-local trait's name, which rustc shows ("the trait `Episode_airs` is not
    /// implemented for `u64`"): the struct and field, so it points at the field and is unique in
    /// the crate (rustc prints a longer path for names that are not). If an identifier in the
    /// field's type has that name, `_`s are added so the type still means what the user wrote.
    fn trait_ident(&self) -> syn::Ident {
        fn mentions(tokens: TokenStream, name: &str) -> bool {
            tokens.into_iter().any(|t| match t {
                TokenTree::Ident(i) => i == name,
                TokenTree::Group(g) => mentions(g.stream(), name),
                _ => false,
            })
        }
        let ty = self.ty;
        let mut name = format!("{}_{}", self.strukt, self.ident.to_string().trim_start_matches("r#"));
        while mentions(quote!(#ty), &name) {
            name.push('_');
        }
        syn::Ident::new(&name, Span::call_site())
    }
}

/// The last segment of a type path without a qualified self (`std::string::String` -> `String`),
/// and its generic arguments.
fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        syn::Type::Group(g) => last_segment(&g.elem),
        syn::Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

/// The single type argument of `Vec<T>` or the first of `BoundedVec<T, MIN, MAX>`.
fn item_type(ty: &syn::Type) -> Option<&syn::Type> {
    let segment = last_segment(ty)?;
    if segment.ident != "Vec" && segment.ident != "BoundedVec" {
        return None;
    }
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// Whether a field's type is written as one of the types `Fits` is implemented for, for this
/// attribute (`String` for a string, `AlertType` for the enum `AlertType`, …). Such a field needs
/// no field-specific error message: rustc still checks it, through `Fits` itself.
fn written_as_fitting(source: &Source, ty: &syn::Type, attribute: &Type) -> bool {
    let plain =
        |names: &[&str]| last_segment(ty).is_some_and(|s| s.arguments.is_none() && names.iter().any(|n| s.ident == n));
    let is_str = matches!(ty, syn::Type::Reference(r) if r.mutability.is_none()
        && matches!(&*r.elem, syn::Type::Path(p) if p.path.is_ident("str")));
    const INTEGERS: &[&str] = &["i64", "i32", "i16", "i8", "u32", "u16", "u8"];
    match attribute {
        Type::String { localizable: false, .. } => plain(&["String"]) || is_str,
        Type::Integer(_) => plain(INTEGERS),
        Type::Number(_) => plain(&["f64", "f32"]) || plain(INTEGERS),
        Type::Boolean => plain(&["bool"]),
        Type::DateTime => plain(&["DateTime", "Timestamp", "String"]),
        Type::Enum(e) if source.builtin => plain(&[e.rust_name.as_str()]),
        Type::Object(o) if source.builtin => plain(&[o.rust_name.as_str()]),
        Type::Array { items, .. } => match (items.as_ref(), item_type(ty)) {
            (Type::Enum(e), Some(item)) if source.builtin => {
                last_segment(item).is_some_and(|s| s.arguments.is_none() && s.ident == e.rust_name)
            }
            (Type::String { .. } | Type::DateTime, Some(item))
                if last_segment(ty).is_some_and(|s| s.ident == "Vec") =>
            {
                last_segment(item).is_some_and(|s| s.arguments.is_none() && s.ident == "String")
                    || matches!(item, syn::Type::Reference(r) if matches!(&*r.elem, syn::Type::Path(p) if p.path.is_ident("str")))
            }
            _ => false,
        },
        _ => false,
    }
}

/// The JSON of a field that covers an attribute: `value` is a `&ty`. Type errors sit under `ty`
/// and name the attribute and the types that fit it.
pub(crate) fn attribute(source: &Source, field: &Field, attribute: &Type, required: bool) -> TokenStream {
    let ty = field.ty;
    let span = ty.span();
    let kind = crate::emit::kind(source, attribute, span);
    if written_as_fitting(source, ty, attribute) {
        // Less code to compile: the generic check alone.
        return quote_spanned!(span=> ::proactive_schemas::__private::attribute::<#kind, #ty>(value));
    }
    let w = words(source, field.path, attribute, required);
    let message = format!(
        "`{{Self}}` cannot hold `{}`, {}; use {}",
        escape(field.path),
        escape(&w.what),
        escape(&w.fits)
    );
    let label = escape(&w.label);
    let notes = w.notes.iter().map(|n| escape(n));
    let tr = field.trait_ident();
    let value = quote!(::proactive_schemas::__private::serde_json::Value);
    let call = quote_spanned!(span=> <#ty as #tr>::to_attribute(value));
    quote! {{
        #[allow(non_camel_case_types)]
        #[diagnostic::on_unimplemented(message = #message, label = #label, #(note = #notes),*)]
        trait #tr {
            fn to_attribute(&self) -> #value;
        }
        #[diagnostic::do_not_recommend]
        impl<T: ::proactive_schemas::Fits<#kind> + ?::std::marker::Sized> #tr for T {
            fn to_attribute(&self) -> #value {
                ::proactive_schemas::Fits::<#kind>::to_attribute(self)
            }
        }
        #call
    }}
}

/// Whether a `localized` field is written as `Localized<_>`, the type that fits (then a generic
/// runtime function checks it, with less code to compile).
pub(crate) fn written_as_localized(field: &Field) -> bool {
    last_segment(field.ty).is_some_and(|s| s.ident == "Localized")
}

/// The text of a `localized` field in `locale`, or the `MissingLocale` error: `value` is a
/// `&ty`, which must be a `Localized<_>`.
pub(crate) fn localized(field: &Field) -> TokenStream {
    let ty = field.ty;
    let span = ty.span();
    if written_as_localized(field) {
        // Written as the type that fits: the generic function checks it, with less code.
        let name = field.ident.to_string();
        return quote_spanned!(span=> ::proactive_schemas::__private::localized::<_>(value, #name, locale)?);
    }
    let message = format!(
        "`{{Self}}` cannot hold the localized attribute `{}`; use `Localized<String>`",
        escape(field.path)
    );
    let note = "`localized` takes one value per locale; without it, one `String` is used for every locale";
    let tr = field.trait_ident();
    let name = field.ident.to_string();
    let call = quote_spanned!(span=> <#ty as #tr>::text(value, #name, locale)?);
    quote! {{
        #[allow(non_camel_case_types)]
        #[diagnostic::on_unimplemented(message = #message, label = "expected `Localized<_>`", note = #note)]
        trait #tr {
            fn text(
                &self,
                field: &'static str,
                locale: &'static str,
            ) -> ::std::result::Result<::std::string::String, ::proactive_schemas::MissingLocale>;
        }
        #[diagnostic::do_not_recommend]
        impl<T: ::std::fmt::Display> #tr for ::proactive_schemas::Localized<T> {
            fn text(
                &self,
                field: &'static str,
                locale: &'static str,
            ) -> ::std::result::Result<::std::string::String, ::proactive_schemas::MissingLocale> {
                ::proactive_schemas::__private::localized(self, field, locale)
            }
        }
        #call
    }}
}

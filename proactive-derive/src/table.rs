//! `localized_attributes! { "en-US" => { key: "text", … }, … }`: a literal `localizedAttributes`
//! table, checked at compile time (Alexa locales, each once, the same keys in every locale).

use proactive_spec::{is_alexa_locale, is_valid_key, locale_help};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{braced, Expr, Ident, LitStr, Token};

use crate::ctxt::Ctxt;

struct Table {
    entries: Punctuated<Entry, Token![,]>,
}

struct Entry {
    locale: LitStr,
    values: Punctuated<Value, Token![,]>,
    brace: Span,
}

struct Value {
    key: Key,
    expr: Expr,
}

enum Key {
    Ident(Ident),
    Str(LitStr),
}

impl Key {
    fn text(&self) -> String {
        match self {
            Key::Ident(i) => i.to_string(),
            Key::Str(s) => s.value(),
        }
    }

    fn span(&self) -> Span {
        match self {
            Key::Ident(i) => i.span(),
            Key::Str(s) => s.span(),
        }
    }
}

impl Parse for Table {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(Table {
            entries: Punctuated::parse_terminated(input)?,
        })
    }
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let locale = input.parse()?;
        input.parse::<Token![=>]>()?;
        let content;
        let brace = braced!(content in input);
        Ok(Entry {
            locale,
            values: Punctuated::parse_terminated(&content)?,
            brace: brace.span.join(),
        })
    }
}

impl Parse for Value {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = if input.peek(LitStr) {
            Key::Str(input.parse()?)
        } else {
            Key::Ident(input.parse()?)
        };
        input.parse::<Token![:]>()?;
        Ok(Value {
            key,
            expr: input.parse()?,
        })
    }
}

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let table: Table = match syn::parse2(input) {
        Ok(t) => t,
        Err(e) => return e.to_compile_error(),
    };
    let mut cx = Ctxt::default();
    let mut locales: Vec<String> = Vec::new();
    for entry in &table.entries {
        let locale = entry.locale.value();
        if !is_alexa_locale(&locale) {
            cx.error_help(
                entry.locale.span(),
                proactive_spec::unknown_locale(&locale),
                locale_help(&locale),
            );
        } else if locales.contains(&locale) {
            cx.error(entry.locale.span(), format!("locale `{locale}` appears twice"));
        }
        locales.push(locale);
        let mut keys: Vec<String> = Vec::new();
        for v in &entry.values {
            let key = v.key.text();
            if !is_valid_key(&key) {
                cx.error_help(
                    v.key.span(),
                    format!("invalid localized attribute key `{key}`"),
                    "use ASCII letters and digits only",
                );
            } else if key == "locale" {
                cx.error(v.key.span(), "`locale` is not a key: it is the entry's locale");
            } else if keys.contains(&key) {
                cx.error(
                    v.key.span(),
                    format!("key `{key}` appears twice in `{}`", entry.locale.value()),
                );
            }
            keys.push(key);
        }
    }
    // Every locale defines the same keys: the first entry sets them.
    if let Some(first) = table.entries.first() {
        let first_keys: Vec<String> = first.values.iter().map(|v| v.key.text()).collect();
        for entry in table.entries.iter().skip(1) {
            let keys: Vec<String> = entry.values.iter().map(|v| v.key.text()).collect();
            for k in first_keys.iter().filter(|k| !keys.contains(k)) {
                cx.error(
                    entry.brace,
                    format!(
                        "`{}` does not define `{k}`, which `{}` does",
                        entry.locale.value(),
                        first.locale.value()
                    ),
                );
            }
            for v in entry.values.iter().filter(|v| !first_keys.contains(&v.key.text())) {
                cx.error(
                    v.key.span(),
                    format!(
                        "`{}` is not defined by `{}`: every locale needs the same keys",
                        v.key.text(),
                        first.locale.value()
                    ),
                );
            }
        }
    }
    if let Some(errors) = cx.into_compile_errors() {
        // A block, so several `compile_error!`s still form one expression.
        return quote!({ #errors ::std::vec::Vec::<::proactive_schemas::LocalizedAttributes>::new() });
    }
    let entries = table.entries.iter().map(|e| {
        let locale = &e.locale;
        let pairs = e.values.iter().map(|v| {
            let key = v.key.text();
            let expr = &v.expr;
            quote!((#key, ::std::string::String::from(#expr)))
        });
        quote!(::proactive_schemas::LocalizedAttributes::new(#locale, [#(#pairs),*]))
    });
    quote!(::std::vec![#(#entries),*])
}

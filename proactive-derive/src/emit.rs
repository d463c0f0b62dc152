//! Emitting `#[derive(Event)]`'s impl of `ToEvent` for the fields that passed `check`. Each
//! field's type is checked by rustc against its attribute there: see `fits.rs`.

use proactive_codegen::ir::Type;
use proactive_spec::LOCALIZED_PREFIX;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::check::Covered;
use crate::fits::Field;
use crate::model::{Event, Source};

/// The impl, wrapped in `const _: () = { … };` so nothing leaks into the user's namespace.
pub(crate) fn emit(event: &Event, covered: &[Covered]) -> TokenStream {
    let name = event.ident;
    let source = &event.source;
    let (impl_generics, ty_generics, where_clause) = event.generics.split_for_impl();
    let event_name = &source.schema.name;
    let locales = &event.locales.valid;
    let mut sets = Vec::new();
    let mut entries = Vec::new();
    // `(key, field, texts)` per localized field, when every one is written as `Localized<_>`.
    let mut texts = Some(Vec::new());
    for c in covered {
        let (attribute, optional) = (c.attribute, c.field.optional);
        let ident = c.field.ident;
        let segments: Vec<&str> = c.field.path.split('.').collect();
        let path = quote!(&[#(#segments),*]);
        // Type checks look inside the `Option` of an optional field.
        let field = Field {
            strukt: name,
            ident,
            path: &c.field.path,
            ty: optional.unwrap_or(c.field.ty),
        };
        match c.localized {
            Some(key) => {
                let reference = format!("{LOCALIZED_PREFIX}{key}");
                let present = if optional.is_some() {
                    quote!(self.#ident.is_some())
                } else {
                    quote!(true)
                };
                sets.push(quote!((#path, ::proactive_schemas::__private::reference(#present, #reference))));
                if crate::fits::written_as_localized(&field) {
                    let span = field.ty.span();
                    let field_name = ident.to_string();
                    let get = if optional.is_some() {
                        quote_spanned!(span=> ::proactive_schemas::__private::optional_texts(&self.#ident))
                    } else {
                        quote_spanned!(span=> ::proactive_schemas::__private::texts(&self.#ident))
                    };
                    if let Some(texts) = texts.as_mut() {
                        texts.push(quote!((#key, #field_name, #get)));
                    }
                } else {
                    texts = None; // the checks with their messages, below
                }
                let text = crate::fits::localized(&field);
                if optional.is_some() {
                    entries.push(quote! {
                        if let ::std::option::Option::Some(value) = &self.#ident {
                            entry.values.insert(#key.into(), #text);
                        }
                    });
                } else {
                    entries.push(quote! {
                        {
                            let value = &self.#ident;
                            entry.values.insert(#key.into(), #text);
                        }
                    });
                }
            }
            None => {
                let value = crate::fits::attribute(source, &field, attribute.ty.non_null(), attribute.required);
                let some = quote!(::std::option::Option::Some);
                let none = quote!(::std::option::Option::None);
                if optional.is_some() && attribute.required {
                    // A required nullable attribute: `None` is `null`.
                    sets.push(quote! {
                        (#path, #some(match &self.#ident {
                            #some(value) => #value,
                            #none => ::proactive_schemas::__private::serde_json::Value::Null,
                        }))
                    });
                } else if optional.is_some() {
                    sets.push(quote! {
                        (#path, match &self.#ident {
                            #some(value) => #some(#value),
                            #none => #none,
                        })
                    });
                } else {
                    sets.push(quote! {
                        (#path, #some({
                            let value = &self.#ident;
                            #value
                        }))
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
    // Without a localized field there is nothing per locale; with fields written as
    // `Localized<_>`, one call of a runtime function does it; otherwise the loop below carries
    // each field's own type check and message.
    let localized_body = match texts {
        _ if entries.is_empty() => quote!(::std::result::Result::Ok(::std::vec::Vec::new())),
        Some(texts) => quote! {
            ::proactive_schemas::__private::localized_entries(Self::LOCALES, &[#(#texts),*])
        },
        None => quote! {
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
        },
    };
    // `schemars::JsonSchema` (when `proactive_schemas` has its `schemars` feature): the schema of
    // the payload the struct becomes, which is the event's payload schema.
    let struct_name = name.to_string();
    let schema = if source.builtin {
        let module: syn::Ident = syn::parse_str(&source.schema.module)
            .unwrap_or_else(|_| syn::Ident::new("invalid_module", Span::call_site()));
        let payload = syn::Ident::new(&source.schema.root.rust_name, Span::call_site());
        quote!(same_as: ::proactive_schemas::events::#module::#payload)
    } else {
        let text = source.schema.standalone("").to_string();
        quote!(schema_text: #text)
    };
    let json_schema = quote! {
        ::proactive_schemas::__json_schema! {
            impl [#impl_generics] for [#name #ty_generics] where [#where_clause] {
                name: #struct_name,
                id: ::std::concat!(::std::module_path!(), "::", #struct_name),
                #schema,
            }
        }
    };
    quote! {
        const _: () = {
            #rebuild

            #json_schema

            #[automatically_derived]
            impl #impl_generics ::proactive_schemas::ToEvent for #name #ty_generics #where_clause {
                const NAME: &'static str = #event_name;
                const LOCALES: &'static [&'static str] = &[#(#locales),*];

                // `#[inline]`: compiled where it is called, like serde's generic `Serialize`,
                // not once more in every crate that only defines the struct.
                #[inline]
                fn payload(&self) -> ::proactive_schemas::__private::serde_json::Value {
                    ::proactive_schemas::__private::payload(&mut [#(#sets),*])
                }

                #[inline]
                fn localized_attributes(
                    &self,
                ) -> ::std::result::Result<::std::vec::Vec<::proactive_schemas::LocalizedAttributes>, ::proactive_schemas::MissingLocale> {
                    #localized_body
                }
            }
        };
    }
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
        Type::Integer(_) => quote_spanned!(span=> ::proactive_schemas::kind::Integer),
        Type::Number(_) => quote_spanned!(span=> ::proactive_schemas::kind::Number),
        Type::Boolean => quote_spanned!(span=> ::proactive_schemas::kind::Boolean),
        Type::Nullable(inner) => kind(source, inner, span),
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
            Type::Object(o) if source.builtin => {
                let t = generated(&o.rust_name);
                quote_spanned!(span=> ::proactive_schemas::kind::List<::proactive_schemas::kind::Object<#t>>)
            }
            Type::Object(_) => quote_spanned!(span=> ::proactive_schemas::kind::List<::proactive_schemas::kind::Json>),
            Type::Integer(_) | Type::Number(_) | Type::Boolean => {
                let item = kind(source, items, span);
                quote_spanned!(span=> ::proactive_schemas::kind::List<#item>)
            }
            _ => quote_spanned!(span=> ::proactive_schemas::kind::TextArray),
        },
        _ => quote_spanned!(span=> ::proactive_schemas::kind::Any),
    }
}

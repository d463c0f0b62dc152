//! What the generated code's doc comments say, so that it reads like hand-written code: a type's
//! doc is the schema's `description` of it, a field's the property's, and nothing only repeats a
//! name that is already in the code. A type that several schemas share (identical shapes under
//! one name) keeps a description only where all of them agree: a doc taken from one use would
//! speak of that use only ("the home team") on a type that serves others too.

use std::collections::BTreeMap;

use crate::ir::{EnumType, EventSchema, ObjectType, Property, Type};

/// Every use of each named type of one event's module.
pub(crate) struct TypeDocs<'a> {
    objects: BTreeMap<&'a str, Vec<&'a ObjectType>>,
    enums: BTreeMap<&'a str, Vec<&'a EnumType>>,
}

impl<'a> TypeDocs<'a> {
    /// Collects the uses of the types of one event.
    pub(crate) fn of(event: &'a EventSchema) -> Self {
        let mut docs = TypeDocs {
            objects: BTreeMap::new(),
            enums: BTreeMap::new(),
        };
        docs.object_uses(&event.root);
        docs
    }

    fn object_uses(&mut self, obj: &'a ObjectType) {
        self.objects.entry(&obj.rust_name).or_default().push(obj);
        for p in &obj.properties {
            self.uses(&p.ty);
        }
    }

    fn uses(&mut self, ty: &'a Type) {
        match ty {
            Type::Object(o) => self.object_uses(o),
            Type::Enum(e) => self.enums.entry(&e.rust_name).or_default().push(e),
            Type::Array { items, .. } => self.uses(items),
            Type::Nullable(inner) => self.uses(inner),
            Type::String { .. } | Type::DateTime | Type::Integer(_) | Type::Number(_) | Type::Boolean => {}
        }
    }

    fn objects_like(&self, obj: &'a ObjectType) -> Vec<&'a ObjectType> {
        self.objects
            .get(obj.rust_name.as_str())
            .cloned()
            .unwrap_or_else(|| vec![obj])
    }

    /// A nested struct: its description, else the properties it is the value of.
    pub(crate) fn object(&self, obj: &'a ObjectType) -> String {
        let uses = self.objects_like(obj);
        if let Some(d) = agreed(uses.iter().map(|o| o.description.as_deref())) {
            return d.to_owned();
        }
        let mut names: Vec<String> = Vec::new();
        for o in &uses {
            let name = last_token(&o.pointer);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        // An object that is the items of an array: "An item of `entrances`."
        let items: Vec<String> = uses
            .iter()
            .filter_map(|o| o.pointer.strip_suffix("/items").map(last_token))
            .collect();
        if !items.is_empty() && items.len() == uses.len() {
            let mut arrays: Vec<String> = Vec::new();
            for a in items {
                if !arrays.contains(&a) {
                    arrays.push(a);
                }
            }
            return format!("An item of {}.", list(&arrays, "or"));
        }
        match names.as_slice() {
            [one] => format!("The `{one}` object."),
            _ => format!("The {} objects.", list(&names, "and")),
        }
    }

    /// A field of a struct: the property's description, else its JSON name.
    pub(crate) fn field(&self, obj: &'a ObjectType, prop: &Property) -> String {
        let uses = self.objects_like(obj);
        let description = agreed(uses.iter().map(|o| {
            o.properties
                .iter()
                .find(|q| q.name == prop.name)
                .and_then(|q| q.description.as_deref())
        }));
        let mut text = match description {
            Some(d) => d.to_owned(),
            None => format!("`{}`.", prop.name),
        };
        let example = agreed_owned(uses.iter().map(|o| {
            o.properties
                .iter()
                .find(|q| q.name == prop.name)
                .and_then(|q| examples(&q.examples))
        }));
        if let Some(example) = example {
            text.push_str(&format!("\n\n{example}"));
        }
        if matches!(prop.ty, Type::String { localizable: true, .. }) {
            text.push_str("\n\nLocalizable: a literal, or a key into `localizedAttributes`.");
        }
        if let Some(rules) = rules(&prop.ty) {
            text.push_str(&format!("\n\n{rules}"));
        }
        text
    }

    /// A string enum: its description, then its values as they appear in JSON.
    pub(crate) fn enumeration(&self, e: &'a EnumType) -> String {
        let uses = self.enums.get(e.rust_name.as_str()).cloned().unwrap_or_else(|| vec![e]);
        let values: Vec<String> = e.variants.iter().map(|(v, _)| v.clone()).collect();
        let values = format!("One of {}.", list(&values, "or"));
        match agreed(uses.iter().map(|u| u.description.as_deref())) {
            Some(d) => format!("{d}\n\n{values}"),
            None => values,
        }
    }
}

/// What the validator and the typed parse check beyond the type, in words: "At least 0, at most
/// 5000.", "Matches `^[0-9]{5}$`.", "May be `null` (`None`).".
fn rules(ty: &Type) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let (ty, nullable) = match ty {
        Type::Nullable(inner) => (inner.as_ref(), true),
        ty => (ty, false),
    };
    let (ty, each) = match ty {
        Type::Array { items, .. } => (items.as_ref(), "Each item: "),
        ty => (ty, ""),
    };
    match ty {
        Type::Integer(b) | Type::Number(b) => match (&b.minimum, &b.maximum) {
            (Some(lo), Some(hi)) => parts.push(format!("from {lo} to {hi}")),
            (Some(lo), None) => parts.push(format!("at least {lo}")),
            (None, Some(hi)) => parts.push(format!("at most {hi}")),
            (None, None) => {}
        },
        Type::String { rules, .. } => {
            if let Some(f) = &rules.format {
                let what = match f.as_str() {
                    "date" => "a date (`2026-11-20`)",
                    "uri" => "an absolute URI",
                    "email" => "an email address",
                    other => other,
                };
                parts.push(what.to_owned());
            }
            match (rules.min_length, rules.max_length) {
                (Some(lo), Some(hi)) => parts.push(format!("{lo} to {hi} characters")),
                (Some(lo), None) => parts.push(format!("at least {lo} character(s)")),
                (None, Some(hi)) => parts.push(format!("at most {hi} characters")),
                (None, None) => {}
            }
            if let Some(p) = &rules.pattern {
                parts.push(format!("matches `{p}`"));
            }
        }
        _ => {}
    }
    let mut text = String::new();
    if !parts.is_empty() {
        let joined = parts.join(", ");
        let mut chars = joined.chars();
        let first = chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>())
            .unwrap_or_default();
        text = if each.is_empty() {
            format!("{first}{}.", chars.as_str())
        } else {
            format!("{each}{joined}.")
        };
    }
    if nullable {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str("May be `null` (`None`).");
    }
    (!text.is_empty()).then_some(text)
}

/// A variant of a string enum: how previews speak it, when the schema says (`x-spoken`). Its JSON
/// value alone is no doc: the enum's doc lists the values.
pub(crate) fn variant(e: &EnumType, value: &str) -> Option<String> {
    e.spoken
        .iter()
        .find(|(v, _)| v == value)
        .map(|(_, word)| format!("Previews speak it as \"{word}\"."))
}

/// The payload struct of an event: the event, its description and what Alexa says.
pub(crate) fn payload(event: &EventSchema) -> String {
    let mut text = format!("The payload of `{}`.", event.name);
    for paragraph in [
        event.title.clone(),
        event.description.clone(),
        examples(&event.examples),
    ]
    .into_iter()
    .flatten()
    {
        text.push_str(&format!("\n\n{paragraph}"));
    }
    if !event.utterances.is_empty() {
        text.push_str("\n\nWhat Alexa says:");
        for u in &event.utterances {
            let cond: Vec<String> = u.when.iter().map(|(p, v)| format!("`{p}` is `{v}`")).collect();
            if cond.is_empty() {
                text.push_str(&format!("\n- \"{}\"", u.text));
            } else {
                text.push_str(&format!("\n- when {}: \"{}\"", cond.join(" and "), u.text));
            }
        }
    }
    text
}

/// A variant of the `Event` enum: the event's description, else its (prose) title, else its name.
pub(crate) fn event_variant(event: &EventSchema) -> String {
    match (&event.description, &event.title) {
        (Some(d), _) => d.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => format!("The `{}` event.", event.name),
    }
}

/// A schema's `examples` as one short line: "Example: `…`" or "Examples: `…`, `…`".
fn examples(examples: &[String]) -> Option<String> {
    let spans: Vec<String> = examples.iter().map(|e| code_span(e)).collect();
    match spans.as_slice() {
        [] => None,
        [one] => Some(format!("Example: {one}.")),
        many => Some(format!("Examples: {}.", many.join(", "))),
    }
}

/// Markdown inline code for any text: a backtick fence longer than any run of backticks inside,
/// padded when the text starts or ends with one.
fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// [`agreed`] for computed texts.
fn agreed_owned(mut texts: impl Iterator<Item = Option<String>>) -> Option<String> {
    let first = texts.next()??;
    texts.all(|t| t.as_ref() == Some(&first)).then_some(first)
}

/// The description every use gives, if they all give the same one.
fn agreed<'d>(mut descriptions: impl Iterator<Item = Option<&'d str>>) -> Option<&'d str> {
    let first = descriptions.next()??;
    descriptions.all(|d| d == Some(first)).then_some(first)
}

/// The unescaped last reference token of a JSON pointer: the property a schema is the value of.
fn last_token(pointer: &str) -> String {
    proactive_spec::unescape_pointer_token(pointer.rsplit('/').next().unwrap_or_default())
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`" (or "or").
fn list(items: &[String], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {conjunction} {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::tests::{load, object};

    fn docs_of(text: &str, check: impl FnOnce(&TypeDocs<'_>, &EventSchema)) {
        let event = load("ACME.Doc.Test.json", text).unwrap().unwrap();
        check(&TypeDocs::of(&event), &event);
    }

    fn nested<'e>(event: &'e EventSchema, property: &str) -> &'e Type {
        &event.root.properties.iter().find(|p| p.name == property).unwrap().ty
    }

    #[test]
    fn a_nested_type_is_documented_by_its_property() {
        let text = object(&format!(
            r#""availability": {}, "provider": {}, "method": {{"description": "How.", "enum": ["STREAM", "AIR"], "x-spoken": {{"AIR": "on air"}}}}"#,
            r#"{"description": "When and how.", "type": "object", "properties": {}, "additionalProperties": false}"#,
            object(""),
        ));
        docs_of(&text, |docs, event| {
            let Type::Object(availability) = nested(event, "availability") else {
                unreachable!()
            };
            assert_eq!(docs.object(availability), "When and how.");
            let Type::Object(provider) = nested(event, "provider") else {
                unreachable!()
            };
            assert_eq!(docs.object(provider), "The `provider` object.");
            let Type::Enum(method) = nested(event, "method") else {
                unreachable!()
            };
            assert_eq!(docs.enumeration(method), "How.\n\nOne of `STREAM` or `AIR`.");
            assert_eq!(variant(method, "STREAM"), None);
            assert_eq!(
                variant(method, "AIR").as_deref(),
                Some("Previews speak it as \"on air\".")
            );
        });
    }

    #[test]
    fn a_shared_type_keeps_only_the_descriptions_its_uses_agree_on() {
        let stat = |side: &str| {
            format!(
                r#"{{"type": "object", "title": "TeamStatistic", "description": "The {side} team.",
                    "properties": {{"score": {{"type": "integer", "description": "The {side} score."}},
                                    "name": {{"type": "string", "description": "The name."}}}},
                    "additionalProperties": false}}"#
            )
        };
        let text = object(&format!(r#""home": {}, "away": {}"#, stat("home"), stat("away")));
        docs_of(&text, |docs, event| {
            let Type::Object(stat) = nested(event, "away") else {
                unreachable!()
            };
            assert_eq!(docs.object(stat), "The `home` and `away` objects.");
            assert_eq!(docs.field(stat, &stat.properties[0]), "`score`.");
            assert_eq!(docs.field(stat, &stat.properties[1]), "The name.");
        });
        // One use alone keeps its description.
        let text = object(&format!(r#""home": {}"#, stat("home")));
        docs_of(&text, |docs, event| {
            let Type::Object(stat) = nested(event, "home") else {
                unreachable!()
            };
            assert_eq!(docs.object(stat), "The home team.");
            assert_eq!(docs.field(stat, &stat.properties[0]), "The home score.");
        });
    }

    #[test]
    fn descriptions_count_only_when_every_use_agrees() {
        assert_eq!(agreed([Some("a"), Some("a")].into_iter()), Some("a"));
        assert_eq!(agreed([Some("a"), Some("b")].into_iter()), None);
        assert_eq!(agreed([Some("a"), None].into_iter()), None);
        assert_eq!(agreed([None, Some("a")].into_iter()), None);
        assert_eq!(agreed(std::iter::empty()), None);
    }

    #[test]
    fn examples_are_one_short_line_of_inline_code() {
        assert_eq!(examples(&[]), None);
        assert_eq!(examples(&[r#""A12""#.into()]).as_deref(), Some(r#"Example: `"A12"`."#));
        assert_eq!(
            examples(&["1".into(), "2".into()]).as_deref(),
            Some("Examples: `1`, `2`.")
        );
        assert_eq!(code_span(r#""a`b""#), r#"``"a`b"``"#);
        assert_eq!(code_span("`x`"), "`` `x` ``");
    }

    #[test]
    fn a_prose_title_and_examples_document_the_payload() {
        let text = object("").replacen(
            '{',
            r#"{"title": "Something happened", "description": "Details.", "examples": [{}], "#,
            1,
        );
        docs_of(&text, |_, event| {
            assert_eq!(
                payload(event),
                "The payload of `ACME.Doc.Test`.\n\nSomething happened\n\nDetails.\n\nExample: `{}`."
            );
            assert_eq!(event_variant(event), "Details.");
        });
    }

    #[test]
    fn lists_read_as_prose() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&names(&["a"]), "and"), "`a`");
        assert_eq!(list(&names(&["a", "b"]), "and"), "`a` and `b`");
        assert_eq!(list(&names(&["a", "b", "c"]), "or"), "`a`, `b` or `c`");
        assert_eq!(last_token("/properties/a~1b~0c"), "a/b~c");
    }
}

//! One schema node: its keywords checked against what its type supports, its type built, and
//! the names of nested objects and enums claimed in the event's module.

use proactive_spec::escape_pointer_token;

use super::{get, shape, Context, Names};
use crate::ir::{EnumType, ObjectType, Property, Type};
use crate::json::Json;
use crate::names;

const COMMON: &[&str] = &["type"];
/// Annotations: accepted on every schema node, never change the generated types (`title` on a
/// nested object or enum names its Rust type; `description` and `examples` become docs).
pub(super) const ANNOTATIONS: &[&str] = &[
    "$id",
    "$comment",
    "title",
    "description",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
];
const ROOT_ONLY: &[&str] = &["$schema", "x-utterance", "x-locales", "x-event"];
const OBJECT: &[&str] = &["properties", "required", "additionalProperties"];
const STRING: &[&str] = &["enum", "format", "x-localizable", "x-spoken"];
const ARRAY: &[&str] = &["items", "minItems", "maxItems"];

/// Whether a keyword is ignored by the generator: an annotation, or an `x-` extension it does not
/// know (its own extensions are checked where they apply).
fn is_annotation(key: &str) -> bool {
    ANNOTATIONS.contains(&key) || (key.starts_with("x-") && ![ROOT_ONLY, STRING].iter().any(|set| set.contains(&key)))
}

/// Why a keyword the generator does not support is refused: the keyword is named first, the
/// reason says what to write instead.
pub(super) fn refusal(key: &str) -> String {
    match key {
        "$ref" | "$dynamicRef" => {
            format!("`{key}` is not supported yet: write the referenced schema inline")
        }
        "$defs" | "definitions" | "$anchor" | "$dynamicAnchor" => {
            format!("`{key}` is not supported yet (nothing can refer to it without `$ref`): write the schema inline")
        }
        "oneOf" | "anyOf" | "allOf" | "not" | "if" | "then" | "else" | "dependentSchemas" => {
            format!("`{key}` is not supported: the generator needs one fixed shape per schema, given by `type`")
        }
        "patternProperties" | "propertyNames" | "unevaluatedProperties" | "dependentRequired" | "minProperties"
        | "maxProperties" => format!(
            "`{key}` is not supported: objects list their properties in `properties`, with `\"additionalProperties\": false`"
        ),
        _ => format!(
            "unsupported keyword `{key}` (the generator supports: type, properties, required, additionalProperties: false, enum of strings, format: date-time, items, minItems, maxItems, x-localizable, x-spoken, x-utterance, x-locales, x-event, and the annotations {})",
            ANNOTATIONS.join(", ")
        ),
    }
}

/// A node's `examples` as compact JSON texts, when it is an array (anything else is reported by
/// [`Context::schema`]).
pub(super) fn examples(members: &[(String, Json)]) -> Vec<String> {
    match get(members, "examples") {
        Some(Json::Array(items)) => items.iter().map(Json::to_compact).collect(),
        _ => Vec::new(),
    }
}

/// A node's `description` when it is a string (anything else is reported by [`Context::schema`]).
fn description(members: &[(String, Json)]) -> Option<String> {
    match get(members, "description") {
        Some(Json::String(d)) => Some(d.clone()),
        _ => None,
    }
}

impl Context {
    pub(super) fn opt_string(&mut self, members: &[(String, Json)], pointer: &str, key: &str) -> Option<String> {
        match get(members, key)? {
            Json::String(s) => Some(s.clone()),
            other => {
                self.error(
                    &format!("{pointer}/{key}"),
                    format!("`{key}` must be a string, found {}", other.type_name()),
                );
                None
            }
        }
    }

    fn opt_uint(&mut self, members: &[(String, Json)], pointer: &str, key: &str) -> Option<u64> {
        match get(members, key)? {
            Json::Number(n) if n.as_u64().is_some() => n.as_u64(),
            other => {
                self.error(
                    &format!("{pointer}/{key}"),
                    format!("`{key}` must be a non-negative integer, found {}", other.type_name()),
                );
                None
            }
        }
    }

    /// Checks that every keyword is one this kind of schema supports.
    fn keywords(&mut self, members: &[(String, Json)], pointer: &str, root: bool, ty: &str, allowed: &[&str]) {
        for (key, _) in members {
            let k = key.as_str();
            if COMMON.contains(&k) || allowed.contains(&k) || (root && ROOT_ONLY.contains(&k)) || is_annotation(k) {
                continue;
            }
            let reason = if ROOT_ONLY.contains(&k) {
                format!("`{k}` is only allowed at the top level of an event schema")
            } else if [OBJECT, STRING, ARRAY].iter().any(|set| set.contains(&k)) {
                format!("keyword `{k}` does not apply to type `{ty}`")
            } else {
                refusal(k)
            };
            self.error(&format!("{pointer}/{}", escape_pointer_token(k)), reason);
        }
    }

    /// Checks the annotations' own shapes (JSON Schema gives each one; a validator built from the
    /// schema would refuse a malformed one). `title` and `description` are checked by the caller.
    fn annotations(&mut self, members: &[(String, Json)], pointer: &str) {
        for (key, value) in members {
            let expected = match key.as_str() {
                "$id" | "$comment" => "a string",
                "examples" => "an array",
                "deprecated" | "readOnly" | "writeOnly" => "a boolean",
                _ => continue,
            };
            if value.type_name() != expected {
                self.error(
                    &format!("{pointer}/{}", escape_pointer_token(key)),
                    format!("`{key}` must be {expected}, found {}", value.type_name()),
                );
            }
        }
    }

    /// A schema without `type`: the unsupported keywords that stand in for one (a `$ref`, a
    /// `oneOf`, …) are the problem to report; only without any, the missing `type` is.
    fn untyped(&mut self, members: &[(String, Json)], pointer: &str, root: bool) {
        let before = self.errors.len();
        for (key, _) in members {
            let k = key.as_str();
            let known = [COMMON, OBJECT, STRING, ARRAY].iter().any(|set| set.contains(&k))
                || ROOT_ONLY.contains(&k)
                || is_annotation(k);
            if !known {
                self.error(&format!("{pointer}/{}", escape_pointer_token(k)), refusal(k));
            } else if ROOT_ONLY.contains(&k) && !root {
                self.error(
                    &format!("{pointer}/{}", escape_pointer_token(k)),
                    format!("`{k}` is only allowed at the top level of an event schema"),
                );
            }
        }
        if self.errors.len() == before {
            self.error(
                pointer,
                "missing `type` (one of \"object\", \"string\", \"integer\", \"array\")",
            );
        }
    }

    /// Parses one schema node. `name` is the Rust type name it gets if it is an object or enum.
    pub(super) fn schema(
        &mut self,
        pointer: &str,
        members: &[(String, Json)],
        root: bool,
        name: &str,
        names: &mut Names,
    ) -> Option<Type> {
        let ty = match get(members, "type") {
            Some(Json::String(t)) => t.as_str(),
            Some(Json::Array(_)) => {
                self.error(
                    &format!("{pointer}/type"),
                    "a list of types is not supported: give exactly one type",
                );
                return None;
            }
            Some(other) => {
                self.error(
                    &format!("{pointer}/type"),
                    format!("`type` must be a string, found {}", other.type_name()),
                );
                return None;
            }
            None if get(members, "enum").is_some() => "string",
            None => {
                self.untyped(members, pointer, root);
                return None;
            }
        };
        self.annotations(members, pointer);
        let name = match get(members, "title") {
            Some(Json::String(title)) if !root => names::pascal_case(title),
            Some(Json::String(_)) => name.to_owned(),
            Some(other) => {
                self.error(
                    &format!("{pointer}/title"),
                    format!("`title` must be a string, found {}", other.type_name()),
                );
                name.to_owned()
            }
            None => name.to_owned(),
        };
        if let Some(d) = get(members, "description") {
            if !matches!(d, Json::String(_)) {
                self.error(
                    &format!("{pointer}/description"),
                    format!("`description` must be a string, found {}", d.type_name()),
                );
            }
        }
        match ty {
            "object" => {
                self.keywords(members, pointer, root, ty, OBJECT);
                self.object(pointer, members, &name, names).map(Type::Object)
            }
            "string" => {
                self.keywords(members, pointer, root, ty, STRING);
                self.string(pointer, members, &name, names)
            }
            "integer" => {
                self.keywords(members, pointer, root, ty, &[]);
                Some(Type::Integer)
            }
            "array" => {
                self.keywords(members, pointer, root, ty, ARRAY);
                let min_items = self.opt_uint(members, pointer, "minItems");
                let max_items = self.opt_uint(members, pointer, "maxItems");
                if let (Some(lo), Some(hi)) = (min_items, max_items) {
                    if lo > hi {
                        self.error(
                            &format!("{pointer}/minItems"),
                            format!("`minItems` ({lo}) is greater than `maxItems` ({hi})"),
                        );
                    }
                }
                let items_pointer = format!("{pointer}/items");
                let items = match get(members, "items") {
                    Some(Json::Object(m)) => {
                        let item_name = names::pascal_case(&names::singular(&name));
                        let item = self.schema(&items_pointer, m, false, &item_name, names)?;
                        // The typed parse of these would not agree with the JSON Schema on every
                        // input (serde reads an object from an array, an i64 rejects 3.0), and the
                        // catalogue needs neither: refuse them rather than generate a lenient type.
                        if matches!(item, Type::Object(_) | Type::Integer | Type::Array { .. }) {
                            self.error(&items_pointer, "array items must be strings, enums or date-times");
                            return None;
                        }
                        item
                    }
                    Some(other) => {
                        self.error(
                            &items_pointer,
                            format!("`items` must be a schema object, found {}", other.type_name()),
                        );
                        return None;
                    }
                    None => {
                        self.error(pointer, "an array needs `items`");
                        return None;
                    }
                };
                Some(Type::Array {
                    items: Box::new(items),
                    min_items,
                    max_items,
                })
            }
            other => {
                self.error(
                    &format!("{pointer}/type"),
                    format!("unsupported type `{other}` (supported: object, string, integer, array)"),
                );
                None
            }
        }
    }

    fn object(
        &mut self,
        pointer: &str,
        members: &[(String, Json)],
        name: &str,
        names: &mut Names,
    ) -> Option<ObjectType> {
        match get(members, "additionalProperties") {
            Some(Json::Bool(false)) => {}
            Some(_) => self.error(
                &format!("{pointer}/additionalProperties"),
                "only `\"additionalProperties\": false` is supported (unknown properties must be errors)",
            ),
            None => self.error(
                pointer,
                "objects must set `\"additionalProperties\": false` (unknown properties must be errors)",
            ),
        }
        let props_pointer = format!("{pointer}/properties");
        let props: &[(String, Json)] = match get(members, "properties") {
            Some(Json::Object(m)) => m,
            Some(other) => {
                self.error(
                    &props_pointer,
                    format!("`properties` must be an object, found {}", other.type_name()),
                );
                &[]
            }
            None => &[],
        };
        let mut required: Vec<&str> = Vec::new();
        match get(members, "required") {
            Some(Json::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{pointer}/required/{i}");
                    match item {
                        Json::String(s) if props.iter().any(|(k, _)| k == s) => {
                            if required.contains(&s.as_str()) {
                                self.error(&p, format!("`{s}` is listed twice"));
                            }
                            required.push(s);
                        }
                        Json::String(s) => {
                            self.error(&p, format!("required property `{s}` is not defined in `properties`"))
                        }
                        other => self.error(
                            &p,
                            format!("`required` entries must be strings, found {}", other.type_name()),
                        ),
                    }
                }
            }
            Some(other) => self.error(
                &format!("{pointer}/required"),
                format!("`required` must be an array, found {}", other.type_name()),
            ),
            None => {}
        }
        let mut properties: Vec<Property> = Vec::new();
        for (prop_name, schema) in props {
            let p = format!("{props_pointer}/{}", escape_pointer_token(prop_name));
            let field = match names::ident_text(&names::snake_case(prop_name)) {
                Ok(f) => f,
                Err(e) => {
                    self.error(&p, format!("property `{prop_name}` {e}"));
                    continue;
                }
            };
            if let Some(other) = properties.iter().find(|q| q.rust_field == field) {
                self.error(
                    &p,
                    format!(
                        "properties `{}` and `{prop_name}` both become the Rust field `{field}`",
                        other.name
                    ),
                );
                continue;
            }
            let Json::Object(m) = schema else {
                self.error(
                    &p,
                    format!("a property schema must be an object, found {}", schema.type_name()),
                );
                continue;
            };
            let description = self.opt_string(m, &p, "description");
            let Some(ty) = self.schema(&p, m, false, &names::pascal_case(prop_name), names) else {
                continue;
            };
            properties.push(Property {
                name: prop_name.clone(),
                rust_field: field,
                required: required.contains(&prop_name.as_str()),
                description,
                examples: examples(m),
                pointer: p,
                ty,
            });
        }
        let object = ObjectType {
            rust_name: name.to_owned(),
            pointer: pointer.to_owned(),
            description: description(members),
            properties,
        };
        let fingerprint = shape(&Type::Object(object.clone()));
        // The root's name is reserved by the caller after the walk.
        if !pointer.is_empty() && !self.claim(name, pointer, fingerprint, names) {
            return None;
        }
        Some(object)
    }

    fn string(&mut self, pointer: &str, members: &[(String, Json)], name: &str, names: &mut Names) -> Option<Type> {
        let localizable = match get(members, "x-localizable") {
            Some(Json::Bool(b)) => *b,
            Some(other) => {
                self.error(
                    &format!("{pointer}/x-localizable"),
                    format!("`x-localizable` must be a boolean, found {}", other.type_name()),
                );
                false
            }
            None => false,
        };
        let format = match get(members, "format") {
            Some(Json::String(f)) if f == "date-time" => true,
            Some(Json::String(f)) => {
                self.error(
                    &format!("{pointer}/format"),
                    format!("unsupported format `{f}` (only `date-time` is supported)"),
                );
                return None;
            }
            Some(other) => {
                self.error(
                    &format!("{pointer}/format"),
                    format!("`format` must be a string, found {}", other.type_name()),
                );
                return None;
            }
            None => false,
        };
        if let Some(values) = get(members, "enum") {
            if localizable {
                self.error(&format!("{pointer}/x-localizable"), "an enum cannot be localizable");
            }
            if format {
                self.error(&format!("{pointer}/format"), "an enum cannot have a `format`");
            }
            let Json::Array(values) = values else {
                self.error(
                    &format!("{pointer}/enum"),
                    format!("`enum` must be an array, found {}", values.type_name()),
                );
                return None;
            };
            if values.is_empty() {
                self.error(&format!("{pointer}/enum"), "`enum` must list at least one value");
                return None;
            }
            let mut variants: Vec<(String, String)> = Vec::new();
            let before = self.errors.len();
            for (i, v) in values.iter().enumerate() {
                let p = format!("{pointer}/enum/{i}");
                let Json::String(value) = v else {
                    self.error(&p, format!("enum values must be strings, found {}", v.type_name()));
                    continue;
                };
                let variant = match names::ident_text(&names::pascal_case(value)) {
                    Ok(v) => v,
                    Err(e) => {
                        self.error(&p, format!("enum value `{value}` {e}"));
                        continue;
                    }
                };
                if let Some((other, _)) = variants.iter().find(|(_, var)| *var == variant) {
                    let reason = if other == value {
                        format!("enum value `{value}` is listed twice")
                    } else {
                        format!("enum values `{other}` and `{value}` both become the Rust variant `{variant}`")
                    };
                    self.error(&p, reason);
                    continue;
                }
                variants.push((value.clone(), variant));
            }
            let mut spoken = Vec::new();
            match get(members, "x-spoken") {
                Some(Json::Object(words)) => {
                    for (value, word) in words {
                        let p = format!("{pointer}/x-spoken/{}", escape_pointer_token(value));
                        match word {
                            Json::String(w) if variants.iter().any(|(v, _)| v == value) => {
                                spoken.push((value.clone(), w.clone()))
                            }
                            Json::String(_) => self.error(&p, format!("`{value}` is not one of the enum's values")),
                            other => {
                                self.error(&p, format!("spoken forms must be strings, found {}", other.type_name()))
                            }
                        }
                    }
                }
                Some(other) => self.error(
                    &format!("{pointer}/x-spoken"),
                    format!("`x-spoken` must be an object, found {}", other.type_name()),
                ),
                None => {}
            }
            if self.errors.len() > before {
                return None;
            }
            let e = EnumType {
                rust_name: name.to_owned(),
                pointer: pointer.to_owned(),
                description: description(members),
                variants,
                spoken,
            };
            let fingerprint = shape(&Type::Enum(e.clone()));
            if !self.claim(name, pointer, fingerprint, names) {
                return None;
            }
            return Some(Type::Enum(e));
        }
        if get(members, "x-spoken").is_some() {
            self.error(&format!("{pointer}/x-spoken"), "`x-spoken` applies to enums only");
        }
        if format {
            if localizable {
                self.error(&format!("{pointer}/x-localizable"), "a date-time cannot be localizable");
            }
            return Some(Type::DateTime);
        }
        Some(Type::String { localizable })
    }
}

#[cfg(test)]
mod tests {
    use crate::load::tests::{errors, load, object};

    #[test]
    fn keywords_become_raw_identifiers() {
        let text = object(r#""type": {"type": "string"}, "self": {"type": "string"}"#);
        let event = load("ACME.Key.Words.json", &text).unwrap().unwrap();
        let fields: Vec<&str> = event.root.properties.iter().map(|p| p.rust_field.as_str()).collect();
        assert_eq!(fields, ["r#type", "self_"]);
    }

    #[test]
    fn every_problem_is_reported() {
        let text = r#"{"type": "object", "properties": {
            "a": {"type": "string", "pattern": "x"},
            "b": {"type": "number"},
            "c": {"type": "object", "properties": {}},
            "d": {"enum": ["X", "x"]},
            "e": {"type": "string", "format": "email"},
            "f": {"type": "array"}
        }, "required": ["z"], "additionalProperties": false}"#;
        let pointers: Vec<String> = errors("ACME.Many.Problems.json", text)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            pointers,
            [
                "/required/0",
                "/properties/a/pattern",
                "/properties/b/type",
                "/properties/c",
                "/properties/d/enum/1",
                "/properties/e/format",
                "/properties/f",
            ]
        );
    }
}

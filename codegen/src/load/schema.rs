//! One schema node: its keywords checked against what its type supports, its type built, and
//! the names of nested objects and enums claimed in the event's module.

use proactive_spec::escape_pointer_token;

use super::{get, shape, Context, Names};
use crate::ir::{Bounds, EnumType, ObjectType, Property, StringRules, Type};
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
const ROOT_ONLY: &[&str] = &["$schema", "$defs", "x-utterance", "x-locales", "x-event"];
const OBJECT: &[&str] = &["properties", "required", "additionalProperties"];
const STRING: &[&str] = &[
    "enum",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "x-localizable",
    "x-spoken",
];
const NUMBER: &[&str] = &["minimum", "maximum"];
const ARRAY: &[&str] = &["items", "minItems", "maxItems"];
/// The formats a string may have: each is checked by the validator and the typed parse.
const FORMATS: &[&str] = &["date-time", "date", "uri", "email"];

/// Whether a keyword is ignored by the generator: an annotation, or an `x-` extension it does not
/// know (its own extensions are checked where they apply).
fn is_annotation(key: &str) -> bool {
    ANNOTATIONS.contains(&key) || (key.starts_with("x-") && ![ROOT_ONLY, STRING].iter().any(|set| set.contains(&key)))
}

/// Why a keyword the generator does not support is refused: the keyword is named first, the
/// reason says what to write instead.
pub(super) fn refusal(key: &str) -> String {
    match key {
        "$dynamicRef" | "$anchor" | "$dynamicAnchor" => {
            format!("`{key}` is not supported: refer to a definition with `\"$ref\": \"#/$defs/<name>\"`")
        }
        "definitions" => {
            "`definitions` is not supported: draft 2020-12 keeps definitions in `$defs` at the top level of the file".to_owned()
        }
        "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            format!("`{key}` is not supported: bound numbers with `minimum` and `maximum` (both inclusive)")
        }
        "oneOf" | "anyOf" | "allOf" | "not" | "if" | "then" | "else" | "dependentSchemas" => {
            format!("`{key}` is not supported: the generator needs one fixed shape per schema, given by `type`")
        }
        "patternProperties" | "propertyNames" | "unevaluatedProperties" | "dependentRequired" | "minProperties"
        | "maxProperties" => format!(
            "`{key}` is not supported: objects list their properties in `properties`, with `\"additionalProperties\": false`"
        ),
        _ => format!(
            "unsupported keyword `{key}` (the generator supports: type, properties, required, additionalProperties: false, $ref to #/$defs, enum of strings, format, pattern, minLength, maxLength, minimum, maximum, items, minItems, maxItems, x-localizable, x-spoken, x-utterance, x-locales, x-event, and the annotations {})",
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
            } else if k == "$ref" {
                "`$ref` cannot stand beside `type` and other keywords: put them in the definition".to_owned()
            } else if [OBJECT, STRING, NUMBER, ARRAY].iter().any(|set| set.contains(&k)) {
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
            let known = [COMMON, OBJECT, STRING, NUMBER, ARRAY]
                .iter()
                .any(|set| set.contains(&k))
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
                "missing `type` (one of \"object\", \"string\", \"integer\", \"number\", \"boolean\", \"array\") or `$ref`",
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
        if let Some(target) = get(members, "$ref") {
            if root {
                self.error(
                    "/$ref",
                    "the top level of an event schema must describe the payload object itself, not `$ref` it",
                );
                return None;
            }
            return self.reference(pointer, members, target, names);
        }
        let (ty, nullable) = match get(members, "type") {
            Some(Json::String(t)) => (t.as_str(), false),
            Some(Json::Array(types)) => match types.as_slice() {
                [Json::String(a), Json::String(b)] if b == "null" && a != "null" => (a.as_str(), true),
                [Json::String(a), Json::String(b)] if a == "null" && b != "null" => (b.as_str(), true),
                _ => {
                    self.error(
                        &format!("{pointer}/type"),
                        "a list of types is only supported as one type and \"null\" (e.g. [\"string\", \"null\"])",
                    );
                    return None;
                }
            },
            Some(other) => {
                self.error(
                    &format!("{pointer}/type"),
                    format!("`type` must be a string, found {}", other.type_name()),
                );
                return None;
            }
            None if get(members, "enum").is_some() => ("string", false),
            None => {
                self.untyped(members, pointer, root);
                return None;
            }
        };
        if nullable {
            let why = match ty {
                _ if root => Some("an event payload cannot be null"),
                "object" | "array" => Some("only strings, numbers, integers and booleans can be nullable"),
                "string" if get(members, "enum").is_some() => Some("an enum cannot be nullable"),
                "string" if get(members, "x-localizable") == Some(&Json::Bool(true)) => {
                    Some("a localizable string cannot be nullable")
                }
                _ => None,
            };
            if let Some(why) = why {
                self.error(&format!("{pointer}/type"), why);
                return None;
            }
        }
        let inner = self.typed(pointer, members, root, ty, name, names)?;
        Some(if nullable {
            Type::Nullable(Box::new(inner))
        } else {
            inner
        })
    }

    /// A node with one `type`.
    fn typed(
        &mut self,
        pointer: &str,
        members: &[(String, Json)],
        root: bool,
        ty: &str,
        name: &str,
        names: &mut Names,
    ) -> Option<Type> {
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
                self.keywords(members, pointer, root, ty, NUMBER);
                Some(Type::Integer(self.bounds(members, pointer)?))
            }
            "number" => {
                self.keywords(members, pointer, root, ty, NUMBER);
                Some(Type::Number(self.bounds(members, pointer)?))
            }
            "boolean" => {
                self.keywords(members, pointer, root, ty, &[]);
                Some(Type::Boolean)
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
                        match item {
                            Type::Array { .. } => {
                                self.error(&items_pointer, "arrays of arrays are not supported");
                                return None;
                            }
                            Type::Nullable(_) => {
                                self.error(
                                    &format!("{items_pointer}/type"),
                                    "array items cannot be nullable (leave the item out instead)",
                                );
                                return None;
                            }
                            item => item,
                        }
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
                    format!("unsupported type `{other}` (supported: object, string, integer, number, boolean, array)"),
                );
                None
            }
        }
    }

    /// `minimum` and `maximum`, each a number, the first not above the second.
    fn bounds(&mut self, members: &[(String, Json)], pointer: &str) -> Option<Bounds> {
        let mut bound = |key: &str| match get(members, key) {
            Some(Json::Number(n)) => Ok(Some(n.clone())),
            Some(other) => {
                self.error(
                    &format!("{pointer}/{key}"),
                    format!("`{key}` must be a number, found {}", other.type_name()),
                );
                Err(())
            }
            None => Ok(None),
        };
        let (minimum, maximum) = (bound("minimum"), bound("maximum"));
        let (Ok(minimum), Ok(maximum)) = (minimum, maximum) else {
            return None;
        };
        if let (Some(lo), Some(hi)) = (&minimum, &maximum) {
            if lo.as_f64() > hi.as_f64() {
                self.error(
                    &format!("{pointer}/minimum"),
                    format!("`minimum` ({lo}) is greater than `maximum` ({hi})"),
                );
                return None;
            }
        }
        Some(Bounds {
            minimum: minimum.map(|n| n.to_string()),
            maximum: maximum.map(|n| n.to_string()),
        })
    }

    /// A `$ref` to a definition of this file's `$defs`; annotations may stand beside it.
    fn reference(
        &mut self,
        pointer: &str,
        members: &[(String, Json)],
        target: &Json,
        names: &mut Names,
    ) -> Option<Type> {
        let at = format!("{pointer}/$ref");
        for (key, _) in members {
            if key != "$ref" && !is_annotation(key) {
                self.error(
                    &format!("{pointer}/{}", escape_pointer_token(key)),
                    format!("`{key}` cannot stand beside `$ref` (only annotations can): put it in the definition"),
                );
            }
        }
        self.annotations(members, pointer);
        let Json::String(target) = target else {
            self.error(&at, format!("`$ref` must be a string, found {}", target.type_name()));
            return None;
        };
        let Some(def) = target
            .strip_prefix("#/$defs/")
            .filter(|d| !d.contains('/'))
            .map(|d| d.replace("~1", "/").replace("~0", "~"))
        else {
            self.error(
                &at,
                format!("`$ref` is not supported for `{target}`: only `#/$defs/<name>`, a definition at the top level of the same file, can be referred to"),
            );
            return None;
        };
        if !self.defs.iter().any(|(k, _)| *k == def) {
            let known: Vec<String> = self.defs.iter().map(|(k, _)| format!("`{k}`")).collect();
            let known = if known.is_empty() {
                "the file has no `$defs`".to_owned()
            } else {
                format!("the file defines {}", known.join(", "))
            };
            self.error(&at, format!("`$ref` names `{target}`, which is not defined: {known}"));
            return None;
        }
        if self.resolving.contains(&def) {
            let mut chain: Vec<&str> = self.resolving.iter().map(String::as_str).collect();
            chain.push(&def);
            self.error(
                &at,
                format!(
                    "`$ref` is not supported for a recursive schema: `{target}` refers to itself ({})",
                    chain.join(" -> ")
                ),
            );
            return None;
        }
        self.definition(&def, names)
    }

    /// The type of the definition `$defs/<def>`, built once and shared by every `$ref` to it.
    pub(super) fn definition(&mut self, def: &str, names: &mut Names) -> Option<Type> {
        if let Some(ty) = self.resolved.get(def) {
            return ty.clone();
        }
        let pointer = format!("/$defs/{}", escape_pointer_token(def));
        let schema = self.defs.iter().find(|(k, _)| k == def).map(|(_, v)| v.clone())?;
        let ty = match &schema {
            Json::Object(m) => {
                self.resolving.push(def.to_owned());
                let ty = self.schema(&pointer, m, false, &names::pascal_case(def), names);
                self.resolving.pop();
                ty
            }
            other => {
                self.error(
                    &pointer,
                    format!("a definition must be a schema object, found {}", other.type_name()),
                );
                None
            }
        };
        self.resolved.insert(def.to_owned(), ty.clone());
        ty
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
            Some(Json::String(f)) if FORMATS.contains(&f.as_str()) => Some(f.clone()),
            Some(Json::String(f)) => {
                self.error(
                    &format!("{pointer}/format"),
                    format!(
                        "unsupported format `{f}` (supported: {})",
                        FORMATS.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                    ),
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
            None => None,
        };
        let pattern = self.opt_string(members, pointer, "pattern");
        if let Some(p) = &pattern {
            if !jsonschema_regex::is_valid_ecma_regex(p) {
                self.error(
                    &format!("{pointer}/pattern"),
                    format!("`pattern` `{p}` is not a valid ECMA-262 regular expression"),
                );
            }
        }
        let min_length = self.opt_uint(members, pointer, "minLength");
        let max_length = self.opt_uint(members, pointer, "maxLength");
        if let (Some(lo), Some(hi)) = (min_length, max_length) {
            if lo > hi {
                self.error(
                    &format!("{pointer}/minLength"),
                    format!("`minLength` ({lo}) is greater than `maxLength` ({hi})"),
                );
            }
        }
        let date_time = format.as_deref() == Some("date-time");
        let rules = StringRules {
            format: format.filter(|f| f != "date-time"),
            pattern,
            min_length,
            max_length,
        };
        if let Some(values) = get(members, "enum") {
            if localizable {
                self.error(&format!("{pointer}/x-localizable"), "an enum cannot be localizable");
            }
            for key in ["format", "pattern", "minLength", "maxLength"] {
                if get(members, key).is_some() {
                    self.error(
                        &format!("{pointer}/{key}"),
                        format!("an enum cannot have `{key}`: its values are the only ones allowed"),
                    );
                }
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
        if date_time {
            if localizable {
                self.error(&format!("{pointer}/x-localizable"), "a date-time cannot be localizable");
            }
            for key in ["pattern", "minLength", "maxLength"] {
                if get(members, key).is_some() {
                    self.error(
                        &format!("{pointer}/{key}"),
                        format!("a date-time cannot have `{key}`: its format says what it holds"),
                    );
                }
            }
            return Some(Type::DateTime);
        }
        if localizable && !rules.is_empty() {
            // A localizable string holds `localizedattribute:<key>` as often as text: a pattern
            // or length would judge the reference, not what is spoken.
            self.error(
                &format!("{pointer}/x-localizable"),
                "a localizable string cannot have `format`, `pattern`, `minLength` or `maxLength`",
            );
        }
        Some(Type::String { localizable, rules })
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
            "a": {"type": "string", "pattern": 1},
            "a2": {"type": "string", "pattern": "([a-z]"},
            "b": {"type": "number", "minimum": "0"},
            "c": {"type": "object", "properties": {}},
            "d": {"enum": ["X", "x"]},
            "e": {"type": "string", "format": "hostname"},
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
                "/properties/a2/pattern",
                "/properties/b/minimum",
                "/properties/c",
                "/properties/d/enum/1",
                "/properties/e/format",
                "/properties/f",
            ]
        );
    }
}

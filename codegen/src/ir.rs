//! The intermediate representation: the small subset of JSON Schema the event catalogue uses,
//! with Rust names already decided. Loading checks everything the emitter relies on, so emission
//! never produces code that fails to compile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::json::Json;
use crate::names;

/// The JSON Schema dialect the files must declare (when they declare one).
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// All event schemas of one directory, sorted by event name.
#[derive(Clone, Debug)]
pub struct Catalogue {
    /// The events, sorted by name.
    pub events: Vec<EventSchema>,
}

impl Catalogue {
    /// Finds an event by its exact name.
    pub fn get(&self, name: &str) -> Option<&EventSchema> {
        self.events.iter().find(|e| e.name == name)
    }
}

/// One event type: the schema of its payload.
#[derive(Clone, Debug)]
pub struct EventSchema {
    /// The event name, e.g. `AMAZON.WeatherAlert.Activated` (the file's stem).
    pub name: String,
    /// The file it was loaded from.
    pub file: PathBuf,
    /// The top-level `description`.
    pub description: Option<String>,
    /// The Rust module generated for the event, e.g. `weather_alert_activated`.
    pub module: String,
    /// The payload: always an object.
    pub root: ObjectType,
    /// Spoken templates (`x-utterance`), in order of preference.
    pub utterances: Vec<Utterance>,
    /// Locales Amazon supports for this event (`x-locales`); `None` means all.
    pub locales: Option<Vec<String>>,
    /// The schema as a JSON value, for runtime validators.
    pub schema: serde_json::Value,
}

impl EventSchema {
    /// Every attribute (objects included) in depth-first order, with its dotted path.
    pub fn attributes(&self) -> Vec<Attribute<'_>> {
        fn walk<'a>(obj: &'a ObjectType, prefix: &str, out: &mut Vec<Attribute<'a>>) {
            for p in &obj.properties {
                let path = if prefix.is_empty() {
                    p.name.clone()
                } else {
                    format!("{prefix}.{}", p.name)
                };
                out.push(Attribute {
                    path: path.clone(),
                    property: p,
                });
                if let Type::Object(child) = &p.ty {
                    walk(child, &path, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, "", &mut out);
        out
    }

    /// The attribute at a dotted path, if any.
    pub fn attribute(&self, path: &str) -> Option<&Property> {
        let mut obj = &self.root;
        let mut segments = path.split('.').peekable();
        while let Some(seg) = segments.next() {
            let prop = obj.properties.iter().find(|p| p.name == seg)?;
            if segments.peek().is_none() {
                return Some(prop);
            }
            match &prop.ty {
                Type::Object(child) => obj = child,
                _ => return None,
            }
        }
        None
    }
}

/// An attribute of an event, as listed by [`EventSchema::attributes`].
#[derive(Clone, Debug)]
pub struct Attribute<'a> {
    /// Dotted path from the payload root, e.g. `weatherAlert.source`.
    pub path: String,
    /// The property itself.
    pub property: &'a Property,
}

/// A spoken template (`x-utterance` entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utterance {
    /// Conditions: the enum attribute at the dotted path must hold the value.
    pub when: Vec<(String, String)>,
    /// The text with `{dotted.path}` and `{dotted.path?}` placeholders.
    pub text: String,
}

impl Utterance {
    /// The placeholders of the text: (dotted path, optional?).
    pub fn placeholders(&self) -> Vec<(&str, bool)> {
        placeholders(&self.text)
    }
}

/// Parses `{path}` / `{path?}` placeholders; text outside braces is literal.
pub fn placeholders(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let inner = &after[..end];
        match inner.strip_suffix('?') {
            Some(path) => out.push((path, true)),
            None => out.push((inner, false)),
        }
        rest = &after[end + 1..];
    }
    out
}

/// An object with fixed properties (`additionalProperties: false`).
#[derive(Clone, Debug)]
pub struct ObjectType {
    /// The Rust struct name.
    pub rust_name: String,
    /// JSON pointer of this schema inside its file.
    pub pointer: String,
    /// Properties in file order.
    pub properties: Vec<Property>,
}

/// One property of an object.
#[derive(Clone, Debug)]
pub struct Property {
    /// The JSON name, e.g. `alertType`.
    pub name: String,
    /// The Rust field name, e.g. `alert_type` (possibly `r#type`).
    pub rust_field: String,
    /// Whether the property is in the object's `required` list.
    pub required: bool,
    /// The `description`, if any.
    pub description: Option<String>,
    /// JSON pointer of the property's schema inside its file.
    pub pointer: String,
    /// The property's type.
    pub ty: Type,
}

/// The types the catalogue uses.
#[derive(Clone, Debug)]
pub enum Type {
    /// A nested object.
    Object(ObjectType),
    /// A plain string; `localizable` when `x-localizable: true`.
    String {
        /// Accepts `"localizedattribute:<key>"`.
        localizable: bool,
    },
    /// A string with `format: date-time`.
    DateTime,
    /// A string enum.
    Enum(EnumType),
    /// An integer (`i64`).
    Integer,
    /// An array.
    Array {
        /// The item type.
        items: Box<Type>,
        /// `minItems`, if any.
        min_items: Option<u64>,
        /// `maxItems`, if any.
        max_items: Option<u64>,
    },
}

/// A string enum.
#[derive(Clone, Debug)]
pub struct EnumType {
    /// The Rust enum name.
    pub rust_name: String,
    /// JSON pointer of this schema inside its file.
    pub pointer: String,
    /// The values, in file order, with their Rust variant names.
    pub variants: Vec<(String, String)>,
    /// How previews speak some values (`x-spoken`); others are spoken lowercased, `_` as spaces.
    pub spoken: Vec<(String, String)>,
}

impl Type {
    /// A structural fingerprint, used to merge identical types that get the same name.
    fn shape(&self) -> String {
        match self {
            Type::Object(o) => {
                let props: Vec<String> = o
                    .properties
                    .iter()
                    .map(|p| format!("{}{}:{}", p.name, if p.required { "!" } else { "?" }, p.ty.shape()))
                    .collect();
                format!("{{{}}}", props.join(","))
            }
            Type::String { localizable } => format!("string{}", if *localizable { "L" } else { "" }),
            Type::DateTime => "date-time".into(),
            Type::Enum(e) => {
                let values: Vec<&str> = e.variants.iter().map(|(v, _)| v.as_str()).collect();
                format!("enum({}){:?}", values.join("|"), e.spoken)
            }
            Type::Integer => "integer".into(),
            Type::Array {
                items,
                min_items,
                max_items,
            } => format!("[{};{min_items:?},{max_items:?}]", items.shape()),
        }
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Loads every `*.json` event schema of a directory (files marked `"x-envelope": true` are
/// skipped) and reports every problem found, in every file.
pub fn load_dir(dir: &Path) -> Result<Catalogue, crate::Errors> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        action: "cannot read directory",
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            action: "cannot read directory",
            source,
        })?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    load_files(&files)
}

/// Loads the given event schema files, reporting every problem found.
pub fn load_files(files: &[PathBuf]) -> Result<Catalogue, crate::Errors> {
    let mut errors = Vec::new();
    let mut events: Vec<EventSchema> = Vec::new();
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(source) => {
                errors.push(Error::Io {
                    path: file.clone(),
                    action: "cannot read",
                    source,
                });
                continue;
            }
        };
        match load_str(file, &text) {
            Ok(Some(event)) => events.push(event),
            Ok(None) => {}
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    events.sort_by(|a, b| a.name.cmp(&b.name));
    // Two events whose Rust names coincide (e.g. `A.Foo.Bar` and `B.Foo.Bar`) cannot share a crate.
    let mut modules: BTreeMap<&str, &EventSchema> = BTreeMap::new();
    for event in &events {
        if let Some(first) = modules.insert(&event.module, event) {
            errors.push(Error::schema(
                &event.file,
                "",
                format!(
                    "event `{}` becomes the Rust module `{}`, which event `{}` ({}) already uses",
                    event.name,
                    event.module,
                    first.name,
                    first.file.display()
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Catalogue { events })
    } else {
        Err(crate::Errors(errors))
    }
}

/// Loads one event schema from text. `Ok(None)` for an envelope file (`"x-envelope": true`).
pub fn load_str(file: &Path, text: &str) -> Result<Option<EventSchema>, Vec<Error>> {
    let json: Json = serde_json::from_str(text).map_err(|e| {
        vec![Error::Json {
            file: file.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        }]
    })?;
    let mut cx = Context {
        file: file.to_path_buf(),
        errors: Vec::new(),
    };
    let members = match &json {
        Json::Object(m) => m,
        other => {
            cx.error(
                "",
                format!("a schema file must hold an object, found {}", other.type_name()),
            );
            return Err(cx.errors);
        }
    };
    if get(members, "x-envelope") == Some(&Json::Bool(true)) {
        return Ok(None);
    }
    let stem = file
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".json"))
        .unwrap_or_default()
        .to_owned();
    if !names::is_event_name(&stem) {
        cx.error(
            "",
            format!(
                "the file name must be the event name followed by `.json` (e.g. `AMAZON.WeatherAlert.Activated.json`), found `{stem}`"
            ),
        );
        return Err(cx.errors);
    }
    let event = cx.event(&stem, members, &json);
    if cx.errors.is_empty() {
        Ok(event)
    } else {
        Err(cx.errors)
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn get<'a>(members: &'a [(String, Json)], key: &str) -> Option<&'a Json> {
    members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

const COMMON: &[&str] = &["description", "title", "$comment", "type"];
const ROOT_ONLY: &[&str] = &["$schema", "x-utterance", "x-locales"];
const OBJECT: &[&str] = &["properties", "required", "additionalProperties"];
const STRING: &[&str] = &["enum", "format", "x-localizable", "x-spoken"];
const ARRAY: &[&str] = &["items", "minItems", "maxItems"];

struct Context {
    file: PathBuf,
    errors: Vec<Error>,
}

/// Names handed out inside one event's module: name -> (pointer, shape).
type Names = BTreeMap<String, (String, String)>;

impl Context {
    fn error(&mut self, pointer: &str, reason: impl Into<String>) {
        self.errors.push(Error::schema(&self.file, pointer, reason));
    }

    fn event(&mut self, name: &str, members: &[(String, Json)], json: &Json) -> Option<EventSchema> {
        if let Some(schema) = get(members, "$schema") {
            if schema != &Json::String(DRAFT_2020_12.into()) {
                self.error(
                    "/$schema",
                    format!("only JSON Schema draft 2020-12 (`{DRAFT_2020_12}`) is supported"),
                );
            }
        }
        if let Some(title) = get(members, "title") {
            if title != &Json::String(name.into()) {
                self.error(
                    "/title",
                    format!("the top-level `title` must be the event name `{name}`"),
                );
            }
        }
        let mut names = Names::new();
        // The event name gives the module and the payload type: both must be identifiers.
        let (module, rust_name) = match (
            names::ident_text(&names::event_module(name)),
            names::ident_text(&names::event_type(name)),
        ) {
            (Ok(m), Ok(t)) => (m, t),
            (Err(e), _) | (_, Err(e)) => {
                self.error("", format!("the event name `{name}` {e}; rename the file"));
                return None;
            }
        };
        // Reserve the payload's own name before naming anything nested.
        names.insert(rust_name.clone(), (String::new(), "root".into()));
        let root = self.schema("", members, true, &rust_name, &mut names)?;
        let Type::Object(root) = root else {
            self.error("/type", "an event payload must have `\"type\": \"object\"`");
            return None;
        };
        let description = self.opt_string(members, "", "description");
        let mut event = EventSchema {
            name: name.to_owned(),
            file: self.file.clone(),
            description,
            module,
            root,
            utterances: Vec::new(),
            locales: None,
            schema: json.to_value(),
        };
        if let Some(u) = get(members, "x-utterance") {
            event.utterances = self.utterances(u, &event);
        }
        if let Some(l) = get(members, "x-locales") {
            event.locales = self.locales(l);
        }
        Some(event)
    }

    fn opt_string(&mut self, members: &[(String, Json)], pointer: &str, key: &str) -> Option<String> {
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
            if COMMON.contains(&k) || allowed.contains(&k) || (root && ROOT_ONLY.contains(&k)) {
                continue;
            }
            let reason = if ROOT_ONLY.contains(&k) {
                format!("`{k}` is only allowed at the top level of an event schema")
            } else if [OBJECT, STRING, ARRAY].iter().any(|set| set.contains(&k)) {
                format!("keyword `{k}` does not apply to type `{ty}`")
            } else {
                format!(
                    "unsupported keyword `{k}` (the generator supports: type, properties, required, additionalProperties: false, enum of strings, format: date-time, items, minItems, maxItems, description, title, x-localizable, x-spoken, x-utterance, x-locales)"
                )
            };
            self.error(&format!("{pointer}/{}", escape_pointer_token(k)), reason);
        }
    }

    /// Parses one schema node. `name` is the Rust type name it gets if it is an object or enum.
    fn schema(
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
                self.error(
                    pointer,
                    "missing `type` (one of \"object\", \"string\", \"integer\", \"array\")",
                );
                return None;
            }
        };
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

    /// Hands out a type name in the event's module, merging identical shapes.
    fn claim(&mut self, name: &str, pointer: &str, shape: String, names: &mut Names) -> bool {
        match names::ident_text(name) {
            Ok(ident) if ident == name => {}
            Ok(_) => {
                self.error(pointer, format!("the Rust type name `{name}` is reserved; set `title`"));
                return false;
            }
            Err(e) => {
                self.error(pointer, format!("the Rust type name {e}; set `title`"));
                return false;
            }
        }
        match names.get(name) {
            Some((_, existing)) if *existing == shape => true,
            Some((other, _)) => {
                let other = if other.is_empty() {
                    "the event payload itself".to_owned()
                } else {
                    format!("`{other}`")
                };
                self.error(
                    pointer,
                    format!("the Rust type name `{name}` is already used by {other}, which has a different shape; set `title` to give this one another name"),
                );
                false
            }
            None => {
                names.insert(name.to_owned(), (pointer.to_owned(), shape));
                true
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
                pointer: p,
                ty,
            });
        }
        let object = ObjectType {
            rust_name: name.to_owned(),
            pointer: pointer.to_owned(),
            properties,
        };
        let shape = Type::Object(object.clone()).shape();
        // The root's name is reserved by the caller after the walk.
        if !pointer.is_empty() && !self.claim(name, pointer, shape, names) {
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
                variants,
                spoken,
            };
            let shape = Type::Enum(e.clone()).shape();
            if !self.claim(name, pointer, shape, names) {
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

    fn utterances(&mut self, value: &Json, event: &EventSchema) -> Vec<Utterance> {
        let Json::Array(items) = value else {
            self.error(
                "/x-utterance",
                format!(
                    "`x-utterance` must be an array of templates, found {}",
                    value.type_name()
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let p = format!("/x-utterance/{i}");
            let Json::Object(m) = item else {
                self.error(&p, "a template must be an object `{\"text\": …, \"when\": {…}}`");
                continue;
            };
            for (k, _) in m {
                if k != "text" && k != "when" {
                    self.error(
                        &format!("{p}/{}", escape_pointer_token(k)),
                        format!("unknown template key `{k}` (expected `text` and optional `when`)"),
                    );
                }
            }
            let text = match get(m, "text") {
                Some(Json::String(t)) => t.clone(),
                _ => {
                    self.error(&format!("{p}/text"), "a template needs a string `text`");
                    continue;
                }
            };
            for (path, _) in placeholders(&text) {
                match event.attribute(path) {
                    Some(prop) if !matches!(prop.ty, Type::Object(_)) => {}
                    Some(_) => self.error(
                        &format!("{p}/text"),
                        format!("placeholder `{{{path}}}` names an object, not a value"),
                    ),
                    None => self.error(
                        &format!("{p}/text"),
                        format!("placeholder `{{{path}}}` names no attribute of the payload"),
                    ),
                }
            }
            let mut when = Vec::new();
            match get(m, "when") {
                Some(Json::Object(conds)) => {
                    for (path, v) in conds {
                        let cp = format!("{p}/when/{}", escape_pointer_token(path));
                        let ok = match (event.attribute(path).map(|a| &a.ty), v) {
                            (Some(Type::Enum(e)), Json::String(val)) => e.variants.iter().any(|(x, _)| x == val),
                            _ => false,
                        };
                        if ok {
                            if let Json::String(val) = v {
                                when.push((path.clone(), val.clone()));
                            }
                        } else {
                            self.error(
                                &cp,
                                format!("`when` must map an enum attribute to one of its values (`{path}`)"),
                            );
                        }
                    }
                }
                Some(_) => self.error(&format!("{p}/when"), "`when` must be an object"),
                None => {}
            }
            out.push(Utterance { when, text });
        }
        out
    }

    fn locales(&mut self, value: &Json) -> Option<Vec<String>> {
        let Json::Array(items) = value else {
            self.error("/x-locales", "`x-locales` must be an array of locale strings");
            return None;
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item {
                Json::String(s) => out.push(s.clone()),
                other => self.error(
                    &format!("/x-locales/{i}"),
                    format!("locales must be strings, found {}", other.type_name()),
                ),
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str, text: &str) -> Result<Option<EventSchema>, Vec<Error>> {
        load_str(Path::new(name), text)
    }

    fn errors(name: &str, text: &str) -> Vec<(String, String)> {
        match load(name, text) {
            Ok(_) => panic!("{name} should not load"),
            Err(errs) => errs
                .into_iter()
                .map(|e| match e {
                    Error::Schema { pointer, reason, .. } => (pointer, reason),
                    other => (String::from("?"), other.to_string()),
                })
                .collect(),
        }
    }

    fn object(props: &str) -> String {
        format!(r#"{{"type": "object", "properties": {{{props}}}, "additionalProperties": false}}"#)
    }

    #[test]
    fn identical_shapes_share_a_name_different_ones_collide() {
        let team = object(r#""name": {"type": "string"}"#);
        let same = object(&format!(
            r#""home": {}, "away": {}"#,
            object(&format!(r#""team": {team}"#)),
            object(&format!(r#""team": {team}"#))
        ));
        let event = load("ACME.Same.Shape.json", &same).unwrap().unwrap();
        assert_eq!(event.attributes().len(), 6);

        let other = object(r#""name": {"type": "integer"}"#);
        let different = object(&format!(
            r#""home": {}, "away": {}"#,
            object(&format!(r#""team": {team}"#)),
            object(&format!(r#""team": {other}"#))
        ));
        let errs = errors("ACME.Different.Shape.json", &different);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].0, "/properties/away/properties/team");
        assert!(
            errs[0]
                .1
                .contains("`Team` is already used by `/properties/home/properties/team`"),
            "{}",
            errs[0].1
        );
    }

    #[test]
    fn a_nested_type_cannot_take_the_payload_name() {
        let text = object(&format!(r#""shapeClash": {}"#, object("")));
        let errs = errors("ACME.Shape.Clash.json", &text);
        assert_eq!(errs[0].0, "/properties/shapeClash");
        assert!(errs[0].1.contains("the event payload itself"), "{}", errs[0].1);
    }

    #[test]
    fn titles_rename_types() {
        let other = r#"{"type": "object", "title": "AwayTeam", "properties": {"n": {"type": "integer"}}, "additionalProperties": false}"#;
        let text = object(&format!(
            r#""home": {}, "away": {other}"#,
            object(r#""n": {"type": "string"}"#)
        ));
        let event = load("ACME.Titled.Types.json", &text).unwrap().unwrap();
        let names: Vec<String> = event
            .root
            .properties
            .iter()
            .map(|p| match &p.ty {
                Type::Object(o) => o.rust_name.clone(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(names, ["Home", "AwayTeam"]);
    }

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

    #[test]
    fn utterance_placeholders_must_name_attributes() {
        let text = r#"{"type": "object", "x-utterance": [{"text": "{a} and {b}"}, {"when": {"a": "X"}, "text": "{a}"}],
            "properties": {"a": {"type": "string"}}, "additionalProperties": false}"#;
        let errs = errors("ACME.Bad.Utterance.json", text);
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].0, "/x-utterance/0/text");
        assert!(errs[0].1.contains("`{b}` names no attribute"));
        assert_eq!(errs[1].0, "/x-utterance/1/when/a");
    }

    #[test]
    fn file_names_must_be_event_names() {
        let errs = errors("not-an-event.json", &object(""));
        assert!(errs[0].1.contains("the file name must be the event name"), "{errs:?}");
    }

    #[test]
    fn event_names_must_give_identifiers() {
        let errs = errors("ACME.2Fast.Event.json", &object(""));
        assert_eq!(errs[0].0, "");
        assert!(errs[0].1.contains("the event name `ACME.2Fast.Event`"), "{errs:?}");
        let event = load("ACME.Type.json", &object("")).unwrap().unwrap();
        assert_eq!(event.module, "r#type");
    }

    #[test]
    fn envelope_files_are_skipped() {
        assert!(load("envelope.json", r#"{"x-envelope": true, "type": "object"}"#)
            .unwrap()
            .is_none());
    }

    #[test]
    fn duplicate_keys_are_invalid_json() {
        let errs = load("ACME.Dup.Key.json", r#"{"type": "object", "type": "object"}"#).unwrap_err();
        assert!(matches!(&errs[0], Error::Json { line: 1, .. }), "{errs:?}");
        assert!(errs[0].to_string().contains("duplicate key `type`"));
    }
}

//! The loader and checker: schema files -> [`ir`](crate::ir). It reads the files, checks every
//! keyword against the subset the generator supports, decides the Rust names (merging identical
//! shapes that get the same name) and reports every problem as `file#pointer: reason`, so the
//! emitter only ever sees a model it can turn into code that compiles.
//!
//! This file holds the entry points, the event level (`$schema`, the event name from the file
//! name and the `title`/`x-event` that must agree with it, `x-utterance`, `x-locales`) and the
//! naming rules; [`schema`] walks the schema nodes themselves.

mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proactive_spec::{escape_pointer_token, placeholders};

use crate::error::Error;
use crate::ir::{Catalogue, EventSchema, Type, Utterance};
use crate::json::Json;
use crate::names;

/// The JSON Schema dialect the files must declare (when they declare one).
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

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
        defs: Vec::new(),
        resolved: BTreeMap::new(),
        resolving: Vec::new(),
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

struct Context {
    file: PathBuf,
    errors: Vec<Error>,
    /// The file's top-level `$defs`, in file order.
    defs: Vec<(String, Json)>,
    /// Definitions already turned into types (`None`: the definition has errors, reported once).
    resolved: BTreeMap<String, Option<Type>>,
    /// Definitions being resolved, outermost first: a `$ref` to one of them is a cycle.
    resolving: Vec<String>,
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
        // The file name is the event name; a `title` or `x-event` that names an event must agree
        // with it. A `title` that is prose documents the payload type instead.
        let mut title = None;
        match get(members, "title") {
            Some(Json::String(t)) if t == name => {}
            Some(Json::String(t)) if names::is_event_name(t) => {
                self.disagreement("/title", "the top-level `title`", t, name)
            }
            Some(Json::String(t)) => title = Some(t.clone()),
            _ => {} // not a string: reported with the other keywords
        }
        match get(members, "x-event") {
            Some(Json::String(e)) if e == name => {}
            Some(Json::String(e)) => self.disagreement("/x-event", "`x-event`", e, name),
            Some(other) => self.error(
                "/x-event",
                format!(
                    "`x-event` must be the event name as a string, found {}",
                    other.type_name()
                ),
            ),
            None => {}
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
        match get(members, "$defs") {
            Some(Json::Object(defs)) => {
                self.defs = defs.clone();
                // Every definition is checked, used or not, in file order.
                for (def, _) in defs {
                    self.definition(def, &mut names);
                }
            }
            Some(other) => self.error(
                "/$defs",
                format!("`$defs` must be an object of schemas, found {}", other.type_name()),
            ),
            None => {}
        }
        let root = self.schema("", members, true, &rust_name, &mut names)?;
        let Type::Object(root) = root else {
            self.error("/type", "an event payload must have `\"type\": \"object\"`");
            return None;
        };
        let description = self.opt_string(members, "", "description");
        let mut event = EventSchema {
            name: name.to_owned(),
            file: self.file.clone(),
            title,
            description,
            examples: schema::examples(members),
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

    /// A `title` or `x-event` naming another event than the file name does.
    fn disagreement(&mut self, pointer: &str, what: &str, named: &str, name: &str) {
        let file = self
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.error(
            pointer,
            format!(
                "{what} names the event `{named}`, but the file `{file}` is named for `{name}` (the file name gives the event name): rename the file or correct {what}"
            ),
        );
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

    fn utterances(&mut self, value: &Json, event: &EventSchema) -> Vec<Utterance> {
        let items = match value {
            Json::Array(items) => items,
            // One string is one template: `"x-utterance": "…"` is `[{"text": "…"}]`.
            Json::String(text) => {
                self.placeholders("/x-utterance", text, event);
                return vec![Utterance {
                    when: Vec::new(),
                    text: text.clone(),
                }];
            }
            other => {
                self.error(
                    "/x-utterance",
                    format!(
                        "`x-utterance` must be a template string or an array of templates, found {}",
                        other.type_name()
                    ),
                );
                return Vec::new();
            }
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
            self.placeholders(&format!("{p}/text"), &text, event);
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

    /// Every placeholder of a template must name a value attribute of the payload.
    fn placeholders(&mut self, pointer: &str, text: &str, event: &EventSchema) {
        for (path, _) in placeholders(text) {
            match event.attribute(path) {
                Some(prop) if matches!(&prop.ty, Type::Array { items, .. } if matches!(**items, Type::Object(_))) => {
                    self.error(
                        pointer,
                        format!("placeholder `{{{path}}}` names a list of objects, which cannot be spoken"),
                    )
                }
                Some(prop) if !matches!(prop.ty, Type::Object(_)) => {}
                Some(_) => self.error(
                    pointer,
                    format!("placeholder `{{{path}}}` names an object, not a value"),
                ),
                None => self.error(
                    pointer,
                    format!("placeholder `{{{path}}}` names no attribute of the payload"),
                ),
            }
        }
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

/// A structural fingerprint: identical shapes that get the same name merge into one type.
/// Descriptions are not part of it, so schemas that differ only in their prose still share a type.
fn shape(ty: &Type) -> String {
    match ty {
        Type::Object(o) => {
            let props: Vec<String> = o
                .properties
                .iter()
                .map(|p| format!("{}{}:{}", p.name, if p.required { "!" } else { "?" }, shape(&p.ty)))
                .collect();
            format!("{{{}}}", props.join(","))
        }
        Type::String { localizable, rules } => format!("string{}{rules:?}", if *localizable { "L" } else { "" }),
        Type::DateTime => "date-time".into(),
        Type::Enum(e) => {
            let values: Vec<&str> = e.variants.iter().map(|(v, _)| v.as_str()).collect();
            format!("enum({}){:?}", values.join("|"), e.spoken)
        }
        Type::Integer(b) => format!("integer{b:?}"),
        Type::Number(b) => format!("number{b:?}"),
        Type::Boolean => "boolean".into(),
        Type::Nullable(inner) => format!("{}|null", shape(inner)),
        Type::Array {
            items,
            min_items,
            max_items,
        } => format!("[{};{min_items:?},{max_items:?}]", shape(items)),
    }
}

#[cfg(test)]
pub(crate) mod tests;

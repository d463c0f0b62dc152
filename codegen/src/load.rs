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
        } => format!("[{};{min_items:?},{max_items:?}]", shape(items)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn load(name: &str, text: &str) -> Result<Option<EventSchema>, Vec<Error>> {
        load_str(Path::new(name), text)
    }

    pub(crate) fn errors(name: &str, text: &str) -> Vec<(String, String)> {
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

    pub(crate) fn object(props: &str) -> String {
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
    fn identical_shapes_with_one_title_are_one_type_whatever_their_descriptions() {
        let stat = |side: &str| {
            format!(
                r#"{{"type": "object", "title": "TeamStatistic", "description": "The {side} team.",
                    "properties": {{"score": {{"type": "integer", "description": "The {side} score."}}}},
                    "additionalProperties": false}}"#
            )
        };
        let text = object(&format!(r#""home": {}, "away": {}"#, stat("home"), stat("away")));
        let event = load("ACME.Shared.Title.json", &text).unwrap().unwrap();
        let names: Vec<&str> = event
            .root
            .properties
            .iter()
            .map(|p| match &p.ty {
                Type::Object(o) => o.rust_name.as_str(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(names, ["TeamStatistic", "TeamStatistic"]);
        // The attributes keep their own paths: only the Rust type is shared.
        assert!(event.attribute("away.score").is_some());
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
    fn a_string_utterance_is_one_template_checked_like_the_others() {
        let text = r#"{"type": "object", "x-utterance": "{a} is here",
            "properties": {"a": {"type": "string"}}, "additionalProperties": false}"#;
        let event = load("ACME.One.Template.json", text).unwrap().unwrap();
        assert_eq!(
            event.utterances,
            [Utterance {
                when: Vec::new(),
                text: "{a} is here".into()
            }]
        );
        let text = r#"{"type": "object", "x-utterance": "{b} and {o}",
            "properties": {"o": {"type": "object", "properties": {}, "additionalProperties": false}},
            "additionalProperties": false}"#;
        let errs = errors("ACME.Bad.Template.json", text);
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].0, "/x-utterance");
        assert!(errs[0].1.contains("`{b}` names no attribute"), "{}", errs[0].1);
        assert!(errs[1].1.contains("`{o}` names an object"), "{}", errs[1].1);
        let errs = errors(
            "ACME.Number.Template.json",
            &object("").replacen('{', r#"{"x-utterance": 3, "#, 1),
        );
        assert_eq!(errs[0].0, "/x-utterance");
        assert!(
            errs[0].1.contains("a template string or an array of templates"),
            "{}",
            errs[0].1
        );
    }

    #[test]
    fn annotations_are_accepted_everywhere_and_checked_for_shape() {
        let annotations = r#""$id": "https://example.com/x", "$comment": "c", "description": "d",
            "examples": ["x"], "default": "x", "deprecated": true, "readOnly": false, "writeOnly": false,
            "x-anything": {"any": ["thing"]}"#;
        let text = format!(
            r#"{{{annotations}, "title": "T", "type": "object", "additionalProperties": false, "properties": {{
                "s": {{{annotations}, "title": "Ts", "type": "string"}},
                "n": {{{annotations}, "title": "Tn", "type": "integer"}},
                "e": {{{annotations}, "title": "Te", "enum": ["X"]}},
                "l": {{{annotations}, "title": "Tl", "type": "array", "items": {{{annotations}, "title": "Ti", "type": "string"}}}},
                "o": {{{annotations}, "title": "To", "type": "object", "properties": {{}}, "additionalProperties": false}}
            }}}}"#
        );
        let event = load("ACME.Annotated.Everywhere.json", &text).unwrap().unwrap();
        assert_eq!(event.title.as_deref(), Some("T"));
        assert_eq!(event.examples, [r#""x""#]);
        assert_eq!(event.root.properties[0].examples, [r#""x""#]);

        let text = object(r#""s": {"type": "string", "examples": "x", "deprecated": "yes", "$id": 1}"#);
        let errs = errors("ACME.Bad.Annotations.json", &text);
        let pointers: Vec<&str> = errs.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/properties/s/examples",
                "/properties/s/deprecated",
                "/properties/s/$id"
            ],
            "{errs:?}"
        );
        assert_eq!(errs[0].1, "`examples` must be an array, found a string");
    }

    #[test]
    fn examples_keep_their_written_order() {
        let text = object(
            r#""o": {"type": "object", "properties": {"b": {"type": "integer"}, "a": {"type": "integer"}},
            "additionalProperties": false, "examples": [{"b": 1, "a": "`x`"}]}"#,
        );
        let event = load("ACME.Example.Order.json", &text).unwrap().unwrap();
        assert_eq!(event.root.properties[0].examples, [r#"{"b":1,"a":"`x`"}"#]);
    }

    #[test]
    fn the_event_name_is_the_file_name() {
        // A title or `x-event` naming the event is fine; prose is a doc; another event is an error.
        let with = |extra: &str| object("").replacen('{', &format!("{{{extra}, "), 1);
        let event = load(
            "ACME.Named.Event.json",
            &with(r#""title": "ACME.Named.Event", "x-event": "ACME.Named.Event""#),
        )
        .unwrap()
        .unwrap();
        assert_eq!(event.title, None);
        let event = load("ACME.Named.Event.json", &with(r#""title": "Something happened""#))
            .unwrap()
            .unwrap();
        assert_eq!(event.title.as_deref(), Some("Something happened"));
        let errs = errors("ACME.Named.Event.json", &with(r#""title": "ACME.Other.Event""#));
        assert_eq!(errs[0].0, "/title");
        assert!(errs[0].1.contains("`ACME.Named.Event.json`"), "{}", errs[0].1);
        let errs = errors("ACME.Named.Event.json", &with(r#""x-event": 1"#));
        assert_eq!(errs[0].0, "/x-event");
        // `x-event` belongs to the top level only.
        let errs = errors(
            "ACME.Named.Event.json",
            &object(r#""s": {"type": "string", "x-event": "ACME.Named.Event"}"#),
        );
        assert_eq!(errs[0].0, "/properties/s/x-event");
    }

    #[test]
    fn a_schema_without_type_or_stand_in_is_missing_its_type() {
        let errs = errors(
            "ACME.No.Type.json",
            &object(r#""o": {"properties": {}, "description": "d"}"#),
        );
        assert_eq!(
            errs,
            [(
                "/properties/o".to_owned(),
                "missing `type` (one of \"object\", \"string\", \"integer\", \"array\")".to_owned()
            )]
        );
        let errs = errors("ACME.No.Type.json", &object(r#""o": {"const": 3}"#));
        assert_eq!(errs[0].0, "/properties/o/const");
        assert!(errs[0].1.starts_with("unsupported keyword `const`"), "{}", errs[0].1);
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

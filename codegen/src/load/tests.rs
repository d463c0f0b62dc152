//! Unit tests of the loader (kept apart so that `load.rs` reads as the loader alone).

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
            "missing `type` (one of \"object\", \"string\", \"integer\", \"number\", \"boolean\", \"array\") or `$ref`"
                .to_owned()
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

/// Found by the `codegen_schema` fuzz target: a bare carriage return in a description or an enum
/// value loaded fine, then ended inside a `///` comment, which does not compile.
#[test]
fn a_bare_carriage_return_never_reaches_a_doc_comment() {
    for schema in [
        r#"{"description":"a\rb","type":"object","properties":{},"additionalProperties":false}"#,
        r#"{"type":"object","properties":{"d":{"type":"string","enum":["A\rB"]}},"additionalProperties":false}"#,
        r#"{"description":"a\r\nb\r","type":"object","properties":{},"additionalProperties":false}"#,
    ] {
        let event = load("AMAZON.Fuzz.Cr.json", schema).expect("loads").expect("an event");
        let text = crate::generate(&crate::Catalogue { events: vec![event] }, &crate::Options::default());
        assert!(syn::parse_file(&text).is_ok(), "{schema}");
        assert!(!text.contains('\r'), "{schema}");
    }
}

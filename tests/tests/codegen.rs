//! The generator on fixture schema files: malformed files name file, pointer and reason; the
//! catalogue's generated code matches the checked-in snapshot, which compiles here.

use std::path::{Path, PathBuf};

use proactive_codegen::Error;

fn fixture(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/codegen").join(dir)
}

fn single_error(dir: &str) -> Error {
    let errors = proactive_codegen::load_dir(&fixture(dir)).expect_err(dir);
    let mut errors = errors.0;
    assert_eq!(errors.len(), 1, "{dir}: {errors:?}");
    errors.remove(0)
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}

#[test]
fn invalid_json_names_file_line_and_column() {
    match single_error("bad-json") {
        Error::Json {
            file,
            line,
            column,
            message,
        } => {
            assert_eq!(file_name(&file), "AMAZON.Bad.Json.json");
            assert!(line > 1 && column > 0, "{line}:{column}");
            assert!(!message.is_empty());
        }
        other => panic!("expected a JSON error, got {other}"),
    }
}

#[test]
fn unsupported_keyword_names_the_pointer() {
    match single_error("bad-keyword") {
        Error::Schema { file, pointer, reason } => {
            assert_eq!(file_name(&file), "AMAZON.Bad.Keyword.json");
            assert_eq!(pointer, "/properties/thing/properties/code/pattern");
            assert!(reason.starts_with("unsupported keyword `pattern`"), "{reason}");
        }
        other => panic!("expected a schema error, got {other}"),
    }
}

#[test]
fn non_string_enum_value_names_the_pointer() {
    match single_error("bad-enum") {
        Error::Schema { file, pointer, reason } => {
            assert_eq!(file_name(&file), "AMAZON.Bad.Enum.json");
            assert_eq!(pointer, "/properties/thing/properties/level/enum/1");
            assert_eq!(reason, "enum values must be strings, found a number");
        }
        other => panic!("expected a schema error, got {other}"),
    }
}

#[test]
fn colliding_field_names_name_the_pointer() {
    match single_error("bad-collision") {
        Error::Schema { file, pointer, reason } => {
            assert_eq!(file_name(&file), "AMAZON.Bad.Collision.json");
            assert!(pointer.starts_with("/properties/thing/properties/"), "{pointer}");
            assert!(reason.contains("both become the Rust field `foo_bar`"), "{reason}");
        }
        other => panic!("expected a schema error, got {other}"),
    }
}

#[test]
fn two_events_with_the_same_module_name_collide() {
    let dir = std::env::temp_dir().join(format!("proactive-collide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema = r#"{"type": "object", "properties": {}, "additionalProperties": false}"#;
    std::fs::write(dir.join("ACME.Foo.Bar.json"), schema).unwrap();
    std::fs::write(dir.join("OTHER.Foo.Bar.json"), schema).unwrap();
    let errors = proactive_codegen::load_dir(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(errors.0.len(), 1);
    let text = errors.to_string();
    assert!(
        text.contains("OTHER.Foo.Bar.json#: event `OTHER.Foo.Bar` becomes the Rust module `foo_bar`"),
        "{text}"
    );
}

/// The generated code of the catalogue, checked in. `UPDATE_SNAPSHOTS=1 cargo test` rewrites it; if
/// the old snapshot no longer compiles, regenerate it with
/// `cargo run -p proactive-codegen -- --schemas schemas --out tests/snapshots/events.rs`.
#[allow(dead_code)] // only part of the generated API is exercised here
mod snapshot {
    include!("../snapshots/events.rs");
}

#[test]
fn generated_code_matches_the_snapshot() {
    let catalogue = proactive_codegen::load_dir(&proactive_tests::workspace_root().join("schemas")).unwrap();
    let code = proactive_codegen::generate(&catalogue, &Default::default());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/events.rs");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &code).unwrap();
    }
    let snapshot = std::fs::read_to_string(&path).unwrap();
    assert!(
        snapshot == code,
        "generated code differs from {}; rerun with UPDATE_SNAPSHOTS=1 and review the diff",
        path.display()
    );
}

#[test]
fn the_compiled_snapshot_parses_every_example() {
    for (file, body) in proactive_tests::examples() {
        let event: snapshot::Event =
            serde_json::from_value(body["event"].clone()).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(event.payload_value(), body["event"]["payload"]);
        assert_eq!(snapshot::EVENTS.len(), proactive_schemas::EVENTS.len());
    }
}

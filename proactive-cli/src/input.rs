//! What `validate`, `preview` and `send` share: reading a file or standard input, splitting
//! NDJSON into lines, parsing each text with one format for its syntax errors, and printing a
//! validation report.

use std::io::{self, Read, Write};
use std::path::Path;

use proactive_schemas::{Report, Severity};
use serde_json::Value;

/// The bytes of a file, or of standard input for `-`.
pub(crate) fn read_input(path: &Path) -> io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin().lock().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    }
}

/// How a path is named in diagnostics: `<stdin>` for `-`.
pub(crate) fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// Where a request came from: a file, or one line of an NDJSON file.
#[derive(Clone, Copy)]
pub(crate) struct Location<'a> {
    name: &'a str,
    line: Option<usize>,
}

impl<'a> Location<'a> {
    pub(crate) fn file(name: &'a str) -> Self {
        Location { name, line: None }
    }

    pub(crate) fn line(name: &'a str, line: usize) -> Self {
        Location { name, line: Some(line) }
    }

    /// `file` or `file:LINE`, before a diagnostic.
    pub(crate) fn prefix(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.name),
            None => self.name.to_owned(),
        }
    }
}

/// Parses one JSON text. A syntax error comes back as its diagnostic line,
/// `FILE:LINE:COLUMN: error: invalid JSON: <words>`, where LINE is the NDJSON line for a line of
/// an NDJSON file (one line is one JSON text).
pub(crate) fn parse(location: Location, bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "{}:{}:{}: error: {}",
            location.name,
            location.line.unwrap_or(e.line()),
            e.column(),
            json_error_words(&e)
        )
    })
}

/// A JSON syntax error in words: what was expected where, without serde's own position suffix.
fn json_error_words(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = message.rfind(" at line ").map_or(message.as_str(), |i| &message[..i]);
    let words = match message {
        "expected ident" => "expected `true`, `false` or `null`",
        "expected value" => "expected a value: a string, a number, an object, an array, `true`, `false` or `null`",
        "trailing comma" => "a comma before a closing bracket",
        "trailing characters" => "more text after the end of the JSON value",
        "key must be a string" => "expected an object key in double quotes",
        "invalid number" => "not a valid JSON number",
        "EOF while parsing a value"
        | "EOF while parsing a string"
        | "EOF while parsing an object"
        | "EOF while parsing a list" => "the text ends before the JSON value is complete",
        other => other,
    };
    format!("invalid JSON: {words}")
}

/// One line per diagnostic the report keeps (errors, then warnings unless `quiet`), and after
/// each kind a line `… and N more errors` for those it only counted.
pub(crate) fn print_report(out: &mut impl Write, location: &str, report: &Report, quiet: bool) -> io::Result<()> {
    let mut kinds = vec![(Severity::Error, "error", &report.errors)];
    if !quiet {
        kinds.push((Severity::Warning, "warning", &report.warnings));
    }
    for (severity, level, kept) in kinds {
        for d in kept {
            writeln!(out, "{location}: {level}: {d}")?;
        }
        if let Some(note) = report.omitted_note(severity) {
            writeln!(out, "{location}: {level}: {note}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_have_one_format_with_the_ndjson_line() {
        let e = parse(Location::file("a.json"), b"{\n  \"x\": 1,\n}").unwrap_err();
        assert_eq!(e, "a.json:3:1: error: invalid JSON: a comma before a closing bracket");
        let e = parse(Location::line("b.ndjson", 4), b"{,}").unwrap_err();
        assert_eq!(
            e,
            "b.ndjson:4:2: error: invalid JSON: expected an object key in double quotes"
        );
    }
}

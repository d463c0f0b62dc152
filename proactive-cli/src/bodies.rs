//! The request bodies `send` reads: lazily, one at a time as a sender becomes free, so memory
//! does not grow with the input. Syntax errors are printed as they are met; where each body
//! came from is kept only while it is in flight.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::input::{display_name, parse, Location};

/// What the reading side shares with the side that reports results.
#[derive(Default)]
pub(crate) struct Ledger {
    /// Where each body handed out and not yet reported came from, by its index.
    pub(crate) locations: HashMap<usize, String>,
    /// Bodies that did not parse (already printed).
    pub(crate) broken: usize,
    /// A read error that ended the input early.
    pub(crate) error: Option<io::Error>,
}

impl Ledger {
    /// The location of a reported body, forgotten once reported.
    pub(crate) fn take(ledger: &Mutex<Ledger>, index: usize) -> String {
        ledger
            .lock()
            .ok()
            .and_then(|mut l| l.locations.remove(&index))
            .unwrap_or_else(|| format!("request {index}"))
    }
}

/// A change made to each body before it is handed out (`--restamp`).
pub(crate) type Edit = Box<dyn FnMut(&mut Value) + Send>;

/// An open input: a file or standard input.
pub(crate) struct Input {
    name: String,
    reader: Box<dyn BufRead + Send>,
}

/// Opens every input before anything is sent: an unreadable file stops the command up front.
pub(crate) fn open_all(paths: &[PathBuf]) -> io::Result<Vec<Input>> {
    paths
        .iter()
        .map(|path| {
            let reader: Box<dyn BufRead + Send> = if path.as_os_str() == "-" {
                Box::new(io::BufReader::with_capacity(1 << 16, io::stdin()))
            } else {
                let file = std::fs::File::open(path)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
                Box::new(io::BufReader::with_capacity(1 << 16, file))
            };
            Ok(Input {
                name: display_name(path),
                reader,
            })
        })
        .collect()
}

/// The bodies of the inputs, in order; see the module docs.
pub(crate) struct Bodies {
    inputs: std::vec::IntoIter<Input>,
    current: Option<(Input, usize)>,
    ndjson: bool,
    /// Applied to each body before it is handed out (`--restamp`).
    edit: Option<Edit>,
    ledger: Arc<Mutex<Ledger>>,
    next_index: usize,
    line: Vec<u8>,
}

impl Bodies {
    pub(crate) fn new(inputs: Vec<Input>, ndjson: bool, edit: Option<Edit>, ledger: Arc<Mutex<Ledger>>) -> Self {
        Bodies {
            inputs: inputs.into_iter(),
            current: None,
            ndjson,
            edit,
            ledger,
            next_index: 0,
            line: Vec::new(),
        }
    }

    /// The next text, its input's name and line (NDJSON), or `None` at the end of every input.
    fn next_text(&mut self) -> Option<(String, Option<usize>, Vec<u8>)> {
        loop {
            let (input, line_number) = match &mut self.current {
                Some(current) => current,
                None => {
                    let input = self.inputs.next()?;
                    self.current.insert((input, 0))
                }
            };
            if !self.ndjson {
                let mut bytes = Vec::new();
                let result = input.reader.read_to_end(&mut bytes);
                let name = input.name.clone();
                self.current = None;
                match result {
                    Ok(_) => return Some((name, None, bytes)),
                    Err(e) => {
                        self.fail(e, &name);
                        return None;
                    }
                }
            }
            self.line.clear();
            match input.reader.read_until(b'\n', &mut self.line) {
                Ok(0) => self.current = None,
                Ok(_) => {
                    *line_number += 1;
                    let text = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
                    if !text.iter().all(u8::is_ascii_whitespace) {
                        return Some((input.name.clone(), Some(*line_number), text.to_vec()));
                    }
                }
                Err(e) => {
                    let location = Location::line(&input.name, *line_number + 1).prefix();
                    self.fail(e, &location);
                    return None;
                }
            }
        }
    }

    fn fail(&mut self, error: io::Error, location: &str) {
        self.inputs = Vec::new().into_iter();
        if let Ok(mut ledger) = self.ledger.lock() {
            ledger.error = Some(io::Error::new(error.kind(), format!("{location}: {error}")));
        }
    }
}

impl Iterator for Bodies {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        loop {
            let (name, line, text) = self.next_text()?;
            let ledger = &self.ledger;
            let location = match line {
                Some(n) => Location::line(&name, n),
                None => Location::file(&name),
            };
            match parse(location, &text) {
                Ok(mut body) => {
                    if let Some(edit) = &mut self.edit {
                        edit(&mut body);
                    }
                    let index = self.next_index;
                    self.next_index += 1;
                    if let Ok(mut l) = ledger.lock() {
                        l.locations.insert(index, location.prefix());
                    }
                    return Some(body);
                }
                Err(diagnostic) => {
                    let _ = writeln!(io::stdout().lock(), "{diagnostic}");
                    if let Ok(mut l) = ledger.lock() {
                        l.broken += 1;
                    }
                }
            }
        }
    }
}

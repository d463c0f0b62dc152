//! The request bodies `send` reads: lazily, one at a time as a sender becomes free, so memory
//! does not grow with the input. Syntax errors are printed as they are met; where each body
//! came from is kept only while it is in flight.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::input::{display_name, parse, Location};

/// A body handed out and not yet reported: where it came from, and its reference id.
pub(crate) struct InFlight {
    pub(crate) location: String,
    pub(crate) reference_id: Option<String>,
}

/// What the reading side shares with the side that reports results.
#[derive(Default)]
pub(crate) struct Ledger {
    /// The bodies handed out and not yet reported, by index.
    pub(crate) in_flight: HashMap<usize, InFlight>,
    /// Bodies that did not parse (already printed).
    pub(crate) broken: usize,
    /// Bodies skipped because the journal lists their reference id.
    pub(crate) skipped: usize,
    /// Bytes of input read so far (for the progress bar).
    pub(crate) read: u64,
    /// A read error that ended the input early.
    pub(crate) error: Option<io::Error>,
}

impl Ledger {
    /// A reported body, forgotten once reported.
    pub(crate) fn take(ledger: &Mutex<Ledger>, index: usize) -> InFlight {
        ledger
            .lock()
            .ok()
            .and_then(|mut l| l.in_flight.remove(&index))
            .unwrap_or_else(|| InFlight {
                location: format!("request {index}"),
                reference_id: None,
            })
    }
}

/// A change made to each body before it is handed out (`--restamp`).
pub(crate) type Edit = Box<dyn FnMut(&mut Value) + Send>;

/// An open input: a file or standard input.
pub(crate) struct Input {
    name: String,
    reader: Box<dyn BufRead + Send>,
    /// The size of a file; `None` for standard input.
    pub(crate) size: Option<u64>,
}

/// Opens every input before anything is sent: an unreadable file stops the command up front.
pub(crate) fn open_all(paths: &[PathBuf]) -> io::Result<Vec<Input>> {
    paths
        .iter()
        .map(|path| {
            let (reader, size): (Box<dyn BufRead + Send>, _) = if path.as_os_str() == "-" {
                (Box::new(io::BufReader::with_capacity(1 << 16, io::stdin())), None)
            } else {
                let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
                let file = std::fs::File::open(path).map_err(named)?;
                let size = file.metadata().map_err(named)?.len();
                (Box::new(io::BufReader::with_capacity(1 << 16, file)), Some(size))
            };
            Ok(Input {
                name: display_name(path),
                reader,
                size,
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
    /// Reference ids to skip: those a journal lists.
    skip: Option<crate::journal::Done>,
    ledger: Arc<Mutex<Ledger>>,
    next_index: usize,
    line: Vec<u8>,
}

impl Bodies {
    pub(crate) fn new(
        inputs: Vec<Input>,
        ndjson: bool,
        edit: Option<Edit>,
        skip: Option<crate::journal::Done>,
        ledger: Arc<Mutex<Ledger>>,
    ) -> Self {
        Bodies {
            inputs: inputs.into_iter(),
            current: None,
            ndjson,
            edit,
            skip,
            ledger,
            next_index: 0,
            line: Vec::new(),
        }
    }

    /// The next text, its input's name and line (NDJSON), or `None` at the end of every input.
    fn next_text(&mut self) -> Option<(String, Option<usize>, Vec<u8>)> {
        loop {
            let (input, _) = match &mut self.current {
                Some(current) => current,
                None => {
                    let input = self.inputs.next()?;
                    self.current.insert((input, 0))
                }
            };
            if !self.ndjson {
                let mut bytes = Vec::new();
                let result = input.reader.read_to_end(&mut bytes);
                if let Ok(mut l) = self.ledger.lock() {
                    l.read += bytes.len() as u64;
                }
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
            let read = input.reader.read_until(b'\n', &mut self.line);
            if let Ok(n) = read {
                if let Ok(mut l) = self.ledger.lock() {
                    l.read += n as u64;
                }
            }
            let Some((input, line_number)) = &mut self.current else {
                continue;
            };
            match read {
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

/// The one member of a body `send` needs to read: its reference id (for the journal, and to name
/// the body in what is printed).
#[derive(serde::Deserialize)]
struct ReferenceId<'a> {
    #[serde(rename = "referenceId", borrow)]
    reference_id: Option<Cow<'a, str>>,
}

impl Bodies {
    /// Marks a body handed out; its index.
    fn hand_out(&mut self, location: Location, reference_id: Option<String>) -> usize {
        let index = self.next_index;
        self.next_index += 1;
        if let Ok(mut l) = self.ledger.lock() {
            let location = location.prefix();
            l.in_flight.insert(index, InFlight { location, reference_id });
        }
        index
    }

    /// Whether the journal lists this reference id (then the body is counted as skipped).
    fn skips(&self, reference_id: Option<&str>) -> bool {
        let skip = matches!((&self.skip, reference_id), (Some(done), Some(id)) if done.contains(id));
        if skip {
            if let Ok(mut l) = self.ledger.lock() {
                l.skipped += 1;
            }
        }
        skip
    }
}

impl Iterator for Bodies {
    type Item = proactive_client::Body;

    fn next(&mut self) -> Option<proactive_client::Body> {
        loop {
            let (name, line, text) = self.next_text()?;
            let location = match line {
                Some(n) => Location::line(&name, n),
                None => Location::file(&name),
            };
            // Unedited text is sent as it is: only its reference id is read here, and the client
            // validates the text itself. Anything else (an edit to make, text that is no JSON
            // object with a string id) goes through a value.
            let text = match (&self.edit, String::from_utf8(text)) {
                (None, Ok(text)) => {
                    let id = serde_json::from_str::<ReferenceId>(&text).map(|r| r.reference_id.map(Cow::into_owned));
                    if let Ok(reference_id) = id {
                        if self.skips(reference_id.as_deref()) {
                            continue;
                        }
                        self.hand_out(location, reference_id);
                        return Some(proactive_client::Body::Text(text));
                    }
                    text.into_bytes()
                }
                (_, Ok(text)) => text.into_bytes(),
                (_, Err(e)) => e.into_bytes(),
            };
            let ledger = &self.ledger;
            match parse(location, &text) {
                Ok(mut body) => {
                    let reference_id = body.get("referenceId").and_then(Value::as_str).map(str::to_owned);
                    if self.skips(reference_id.as_deref()) {
                        continue;
                    }
                    if let Some(edit) = &mut self.edit {
                        edit(&mut body);
                    }
                    self.hand_out(location, reference_id);
                    return Some(proactive_client::Body::Value(body));
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

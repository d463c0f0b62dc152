//! Diagnostics and the capped report that collects them.

use std::collections::BTreeMap;
use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Amazon rejects the request (or silently drops it).
    Error,
    /// Amazon accepts it, but it probably does not do what was meant.
    Warning,
}

/// One problem, located by an RFC 6901 JSON pointer into the request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where: e.g. `/event/payload/weatherAlert/alertType` (`""` is the whole body).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// A likely intended value or name, when there is one.
    pub suggestion: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

/// How many errors, and how many warnings, a [`Report`] keeps: the first by JSON pointer. A body
/// built to multiply problems still yields a report of bounded size; the rest are only counted.
pub const MAX_DIAGNOSTICS: usize = 100;

/// The outcome of validating one request.
///
/// At most [`MAX_DIAGNOSTICS`] errors and as many warnings are kept, those with the first JSON
/// pointers; how many more were found is in [`omitted_errors`](Self::omitted_errors) and
/// [`omitted_warnings`](Self::omitted_warnings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems that make Amazon reject the request, sorted by pointer.
    pub errors: Vec<Diagnostic>,
    /// Problems Amazon lets through, sorted by pointer.
    pub warnings: Vec<Diagnostic>,
    /// Errors found beyond those kept in `errors` (counted, not described).
    pub omitted_errors: usize,
    /// Warnings found beyond those kept in `warnings` (counted, not described).
    pub omitted_warnings: usize,
}

impl Report {
    /// No errors (warnings may remain), omitted ones included.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty() && self.omitted_errors == 0
    }

    /// Every error found: those kept plus those omitted.
    pub fn error_count(&self) -> usize {
        self.errors.len().saturating_add(self.omitted_errors)
    }

    /// Every warning found: those kept plus those omitted.
    pub fn warning_count(&self) -> usize {
        self.warnings.len().saturating_add(self.omitted_warnings)
    }

    /// `"… and 3 more errors"`: what stands for the omitted diagnostics of a severity, if any.
    ///
    /// ```
    /// use proactive_schemas::{Report, Severity};
    ///
    /// let report = Report { omitted_errors: 3, ..Report::default() };
    /// assert_eq!(report.omitted_note(Severity::Error).as_deref(), Some("… and 3 more errors"));
    /// assert_eq!(report.omitted_note(Severity::Warning), None);
    /// ```
    pub fn omitted_note(&self, severity: Severity) -> Option<String> {
        let (n, one, many) = match severity {
            Severity::Error => (self.omitted_errors, "error", "errors"),
            Severity::Warning => (self.omitted_warnings, "warning", "warnings"),
        };
        (n > 0).then(|| format!("… and {n} more {}", if n == 1 { one } else { many }))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.errors {
            writeln!(f, "error: {d}")?;
        }
        if let Some(note) = self.omitted_note(Severity::Error) {
            writeln!(f, "error: {note}")?;
        }
        for d in &self.warnings {
            writeln!(f, "warning: {d}")?;
        }
        if let Some(note) = self.omitted_note(Severity::Warning) {
            writeln!(f, "warning: {note}")?;
        }
        Ok(())
    }
}

/// Diagnostics of one severity as they are found: the [`MAX_DIAGNOSTICS`] first by pointer are
/// kept (in the order found among equal pointers, without exact repeats), the rest counted.
///
/// A diagnostic's message and suggestion are built only if it is kept, so a body with a million
/// problems costs a million pointer comparisons, not a million messages. (The count of omitted
/// ones is exact, except that an exact repeat of a problem past the cap is counted again; no rule
/// of the catalogue repeats one.)
pub(super) struct Capped {
    pub(super) severity: Severity,
    /// The kept diagnostics by pointer, each pointer's in the order found: `(message, suggestion)`.
    kept: BTreeMap<String, Vec<(String, Option<String>)>>,
    /// How many diagnostics `kept` holds.
    count: usize,
    pub(super) omitted: usize,
}

impl Capped {
    pub(super) fn new(severity: Severity) -> Self {
        Capped {
            severity,
            kept: BTreeMap::new(),
            count: 0,
            omitted: 0,
        }
    }

    /// Whether a diagnostic at `pointer` could be kept (it may still be a repeat).
    pub(super) fn admits(&self, pointer: &str) -> bool {
        self.count < MAX_DIAGNOSTICS
            || self
                .kept
                .last_key_value()
                .is_some_and(|(last, _)| pointer <= last.as_str())
    }

    pub(super) fn push(
        &mut self,
        pointer: String,
        message: impl FnOnce() -> String,
        suggestion: impl FnOnce() -> Option<String>,
    ) {
        if !self.admits(&pointer) {
            self.omitted = self.omitted.saturating_add(1);
            return;
        }
        let (message, suggestion) = (message(), suggestion());
        let at = self.kept.entry(pointer).or_default();
        if at.iter().any(|d| d.0 == message && d.1 == suggestion) {
            return; // the same problem found twice (e.g. by two schema keywords)
        }
        at.push((message, suggestion));
        self.count += 1;
        if self.count > MAX_DIAGNOSTICS {
            // The last by pointer (the last found there) goes.
            if let Some(mut last) = self.kept.last_entry() {
                last.get_mut().pop();
                if last.get().is_empty() {
                    last.remove();
                }
            }
            self.count -= 1;
            self.omitted = self.omitted.saturating_add(1);
        }
    }

    pub(super) fn omit(&mut self, n: usize) {
        self.omitted = self.omitted.saturating_add(n);
    }

    pub(super) fn finish(self) -> (Vec<Diagnostic>, usize) {
        let severity = self.severity;
        let mut kept = Vec::with_capacity(self.count);
        for (pointer, found) in self.kept {
            let n = found.len();
            for (i, (message, suggestion)) in found.into_iter().enumerate() {
                kept.push(Diagnostic {
                    severity,
                    // The last one there takes the pointer; the others a copy.
                    pointer: if i + 1 == n { String::new() } else { pointer.clone() },
                    message,
                    suggestion,
                });
            }
            if let Some(last) = kept.last_mut() {
                last.pointer = pointer;
            }
        }
        (kept, self.omitted)
    }
}

/// What the rules report to while a request is checked.
pub(super) struct Found {
    pub(super) errors: Capped,
    pub(super) warnings: Capped,
}

impl Found {
    pub(super) fn new() -> Self {
        Found {
            errors: Capped::new(Severity::Error),
            warnings: Capped::new(Severity::Warning),
        }
    }

    /// An error whose message (and suggestion) is built only if it is kept.
    pub(super) fn error_with(
        &mut self,
        pointer: impl Into<String>,
        message: impl FnOnce() -> String,
        suggestion: impl FnOnce() -> Option<String>,
    ) {
        self.errors.push(pointer.into(), message, suggestion);
    }

    pub(super) fn error(&mut self, pointer: impl Into<String>, message: impl FnOnce() -> String) {
        self.errors.push(pointer.into(), message, || None);
    }

    pub(super) fn warning(&mut self, pointer: impl Into<String>, message: impl FnOnce() -> String) {
        self.warnings.push(pointer.into(), message, || None);
    }

    pub(super) fn into_report(self) -> Report {
        let (errors, omitted_errors) = self.errors.finish();
        let (warnings, omitted_warnings) = self.warnings.finish();
        Report {
            errors,
            warnings,
            omitted_errors,
            omitted_warnings,
        }
    }
}

/// [`proactive_spec::suggest`], owned for a [`Diagnostic`]: a long string gets none (and costs
/// nothing).
pub(super) fn suggestion<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    proactive_spec::suggest(input, candidates).map(str::to_owned)
}

/// Values quoted in messages are cut after this many bytes: a message stays short however large
/// the value (the pointer says where the whole value is).
pub(super) const QUOTED: usize = 200;

/// `value`, displayed, cut after [`QUOTED`] bytes with `…`; formatting stops there too.
pub(super) fn shown(value: &(impl fmt::Display + ?Sized)) -> String {
    struct Cut {
        out: String,
        cut: bool,
    }
    impl fmt::Write for Cut {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let room = QUOTED - self.out.len();
            if s.len() <= room {
                self.out.push_str(s);
                return Ok(());
            }
            let mut end = room;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.out.push_str(&s[..end]);
            self.cut = true;
            Err(fmt::Error) // stops the formatting of the rest
        }
    }
    let mut cut = Cut {
        out: String::new(),
        cut: false,
    };
    let _ = fmt::write(&mut cut, format_args!("{value}"));
    if cut.cut {
        cut.out.push('…');
    }
    cut.out
}

//! Errors of the generator: each names the schema file, and where it can the JSON pointer.

use std::fmt;
use std::path::PathBuf;

/// One problem found while loading schema files or generating code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done (`cannot read`, `cannot write`, …).
        action: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid JSON.
    #[error("{}:{line}:{column}: invalid JSON: {message}", file.display())]
    Json {
        /// The schema file.
        file: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the JSON parser reported.
        message: String,
    },
    /// The file is JSON but not a schema the generator supports.
    #[error("{}#{pointer}: {reason}", file.display())]
    Schema {
        /// The schema file.
        file: PathBuf,
        /// RFC 6901 JSON pointer of the offending value inside the file (`""` for the root).
        pointer: String,
        /// Why it is rejected.
        reason: String,
    },
}

impl Error {
    pub(crate) fn schema(file: impl Into<PathBuf>, pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Schema {
            file: file.into(),
            pointer: pointer.into(),
            reason: reason.into(),
        }
    }

    /// The JSON pointer inside the schema file, for schema errors.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Error::Schema { pointer, .. } => Some(pointer),
            _ => None,
        }
    }
}

/// Every problem found in one run: the generator reports them all, not just the first.
#[derive(Debug)]
pub struct Errors(pub Vec<Error>);

impl Errors {
    /// The individual errors.
    pub fn iter(&self) -> std::slice::Iter<'_, Error> {
        self.0.iter()
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Error> for Errors {
    fn from(e: Error) -> Self {
        Errors(vec![e])
    }
}

impl<'a> IntoIterator for &'a Errors {
    type Item = &'a Error;
    type IntoIter = std::slice::Iter<'a, Error>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

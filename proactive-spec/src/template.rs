//! Spoken templates (`x-utterance`): literal text with `{dotted.path}` and optional
//! `{dotted.path?}` placeholders. A `{` without a closing `}` is literal text.

/// A piece of a spoken template: literal text or a placeholder.
///
/// ```
/// use proactive_spec::{segments, Segment};
///
/// let parts: Vec<Segment> = segments("Hi {name}!").collect();
/// assert_eq!(parts[1], Segment::Placeholder { path: "name", optional: false });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text spoken as it is (never empty).
    Text(&'a str),
    /// A `{path}` or `{path?}` placeholder.
    Placeholder {
        /// The dotted path of the attribute, e.g. `weatherAlert.source`.
        path: &'a str,
        /// Written `{path?}`: the template still applies when the attribute is absent.
        optional: bool,
    },
}

/// The segments of a template, in order: see [`segments`].
///
/// ```
/// let mut parts: proactive_spec::Segments = proactive_spec::segments("{a}");
/// assert!(parts.next().is_some());
/// assert!(parts.next().is_none());
/// ```
#[derive(Clone, Debug)]
pub struct Segments<'a> {
    rest: &'a str,
}

/// Splits a template into literal text and placeholders.
///
/// ```
/// use proactive_spec::{segments, Segment};
///
/// let parts: Vec<Segment> = segments("{count} new {kind?} message(s) {unclosed").collect();
/// assert_eq!(
///     parts,
///     [
///         Segment::Placeholder { path: "count", optional: false },
///         Segment::Text(" new "),
///         Segment::Placeholder { path: "kind", optional: true },
///         Segment::Text(" message(s) {unclosed"),
///     ]
/// );
/// ```
pub fn segments(text: &str) -> Segments<'_> {
    Segments { rest: text }
}

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let brace = self
            .rest
            .find('{')
            .and_then(|start| Some((start, self.rest[start..].find('}')?)));
        let (segment, rest) = match brace {
            // `len` counts from the `{` to its `}`.
            Some((0, len)) => {
                let inner = &self.rest[1..len];
                let segment = match inner.strip_suffix('?') {
                    Some(path) => Segment::Placeholder { path, optional: true },
                    None => Segment::Placeholder {
                        path: inner,
                        optional: false,
                    },
                };
                (segment, &self.rest[len + 1..])
            }
            Some((start, _)) => (Segment::Text(&self.rest[..start]), &self.rest[start..]),
            None => (Segment::Text(self.rest), ""),
        };
        self.rest = rest;
        Some(segment)
    }
}

/// The placeholders of a template: `(dotted path, optional?)` for each `{path}` / `{path?}`.
///
/// ```
/// let found: Vec<_> = proactive_spec::placeholders("{a.b} and {c?}, {d").collect();
/// assert_eq!(found, [("a.b", false), ("c", true)]);
/// ```
pub fn placeholders(text: &str) -> impl Iterator<Item = (&str, bool)> {
    segments(text).filter_map(|s| match s {
        Segment::Placeholder { path, optional } => Some((path, optional)),
        Segment::Text(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<Segment<'_>> {
        segments(text).collect()
    }

    fn p(path: &str) -> Segment<'_> {
        Segment::Placeholder { path, optional: false }
    }

    #[test]
    fn text_between_and_around_placeholders() {
        assert_eq!(all(""), []);
        assert_eq!(all("plain"), [Segment::Text("plain")]);
        assert_eq!(
            all("{a}{b?}"),
            [
                Segment::Placeholder {
                    path: "a",
                    optional: false
                },
                Segment::Placeholder {
                    path: "b",
                    optional: true
                },
            ]
        );
        // What is between the braces is the path, braces and all.
        assert_eq!(placeholders("a}b{c{d}e").collect::<Vec<_>>(), [("c{d", false)]);
        assert_eq!(placeholders("{}{?}").collect::<Vec<_>>(), [("", false), ("", true)]);
        // Nothing after an unclosed `{` is a placeholder.
        assert_eq!(all("x {a} {b"), [Segment::Text("x "), p("a"), Segment::Text(" {b")]);
        assert_eq!(placeholders("{a} {b").collect::<Vec<_>>(), [("a", false)]);
    }
}

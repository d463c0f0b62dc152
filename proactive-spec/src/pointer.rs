//! JSON pointers (RFC 6901): every diagnostic names the offending value by one.

/// Escapes one reference token of a JSON pointer: `~` becomes `~0`, `/` becomes `~1`.
///
/// ```
/// assert_eq!(proactive_spec::escape_pointer_token("a/b~c"), "a~1b~0c");
/// ```
pub fn escape_pointer_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

/// Appends `/` and the escaped `token` to a JSON pointer, without an intermediate string.
///
/// ```
/// let mut pointer = String::from("/localizedAttributes/0");
/// proactive_spec::push_pointer_token(&mut pointer, "a/b");
/// assert_eq!(pointer, "/localizedAttributes/0/a~1b");
/// ```
pub fn push_pointer_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    push_escaped(pointer, token);
}

/// The reference token an escaped one stands for: `~1` becomes `/`, then `~0` becomes `~`.
///
/// ```
/// assert_eq!(proactive_spec::unescape_pointer_token("a~1b~0c"), "a/b~c");
/// // `~01` is an escaped `~` followed by `1`, not a slash.
/// assert_eq!(proactive_spec::unescape_pointer_token("~01"), "~1");
/// ```
pub fn unescape_pointer_token(token: &str) -> String {
    // In this order (RFC 6901 §4), so that `~01` becomes `~1` and not `/`.
    token.replace("~1", "/").replace("~0", "~")
}

fn push_escaped(out: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        for token in ["", "plain", "a/b", "~", "~1", "/~/", "ünï/cödé"] {
            assert_eq!(unescape_pointer_token(&escape_pointer_token(token)), token);
        }
        assert_eq!(escape_pointer_token("~/"), "~0~1");
        let mut pointer = String::new();
        push_pointer_token(&mut pointer, "");
        assert_eq!(pointer, "/");
    }
}

//! Showing text that came from a server: control characters escaped, on one line, capped.
//! A hostile server must not be able to clear a terminal, set its title or forge a line of
//! output through an error message or an id.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as is: C0/C1 controls (ESC, BEL, CR, LF, NUL, …),
/// DEL, and the Unicode bidirectional controls (which reorder the text around them).
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The bidirectional formatting characters: U+202A–U+202E and U+2066–U+2069 (and the
/// marks U+200E, U+200F, U+061C).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `text` with every control character (and bidi control) written as a Unicode escape
/// (`\u{1b}`, `\u{a}`, …), so that it prints as one inert line. (Not `\t`-style short
/// escapes: a tab before `ok…` would print as `\tok…`.)
#[must_use]
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` on one line (runs of whitespace become one space), control characters escaped,
/// at most `max` characters, with `…` when cut.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let safe = escape_controls(&joined);
    let mut out: String = safe.chars().take(max).collect();
    if safe.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_controls("plain 홍길동"), "plain 홍길동");
        assert_eq!(escape_controls("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            escape_controls("x\r\nerror: forged"),
            "x\\u{d}\\u{a}error: forged"
        );
        assert_eq!(escape_controls("\tok"), "\\u{9}ok");
        assert_eq!(escape_controls("\u{7}\0"), "\\u{7}\\u{0}");
        assert_eq!(escape_controls("abc\u{202E}def"), "abc\\u{202e}def");
    }

    #[test]
    fn one_line_cuts_and_escapes() {
        assert_eq!(one_line("a\n  b\tc", 10), "a b c");
        assert_eq!(one_line("abcdef", 3), "abc…");
        assert_eq!(one_line("abc", 3), "abc");
        assert_eq!(one_line("a\u{1b}b", 10), "a\\u{1b}b");
    }
}

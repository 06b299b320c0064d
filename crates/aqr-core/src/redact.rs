//! Removing the developer token from text that came from elsewhere (a server that echoes
//! it, a transport's error message). The one place that decides what counts as the token
//! in a text; everything that scrubs calls [`scrub`].

use std::borrow::Cow;

/// What the token is replaced with.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// Characters that continue a token-like word: an occurrence of the token followed or
/// preceded by one of these is part of a longer word, not the token.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Shortest token prefix at the end of a body that [`scrub_body`] treats as a cut token:
/// shorter ones reveal next to nothing and are too often an ordinary word.
const MIN_CUT_PREFIX: usize = 4;

/// Tokens at least this long are scrubbed wherever they occur, even glued to other
/// letters (a hostile server that received the token can echo it inside a word). A
/// shorter one — not a real token, but accepted, as the reference sets no length — is
/// scrubbed only as a whole word, so that it cannot garble unrelated text (`t` in
/// `temporary`).
const MIN_ANYWHERE: usize = 8;

/// `text` with the token replaced by `[REDACTED]`: every occurrence of a token of at
/// least eight characters, or every whole-word occurrence of a shorter one (surrounded by
/// quotes, spaces, `=`, `:` … rather than by letters, digits, `_` or `-`).
pub(crate) fn scrub<'a>(text: &'a str, secret: &str) -> Cow<'a, str> {
    scrub_with(text, secret, false)
}

/// Like [`scrub`], and a body that ends in the middle of the token (a prefix of at least
/// four characters starting a word) has that prefix replaced too.
pub(crate) fn scrub_body<'a>(text: &'a str, secret: &str) -> Cow<'a, str> {
    scrub_with(text, secret, true)
}

fn scrub_with<'a>(text: &'a str, secret: &str, cut_prefix: bool) -> Cow<'a, str> {
    if secret.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find(secret) {
        let start = from + found;
        let end = start + secret.len();
        let anywhere = secret.len() >= MIN_ANYWHERE;
        let before_ok = anywhere
            || text[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !is_word_char(c));
        let after_ok = anywhere || text[end..].chars().next().is_none_or(|c| !is_word_char(c));
        if before_ok && after_ok {
            let buffer = out.get_or_insert_with(|| String::with_capacity(text.len()));
            buffer.push_str(&text[copied..start]);
            buffer.push_str(REDACTED);
            copied = end;
            from = end;
        } else {
            from = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    let tail = cut_prefix
        .then(|| trailing_prefix_start(&text[copied..], secret))
        .flatten()
        .map(|at| copied + at);
    match (out, tail) {
        (None, None) => Cow::Borrowed(text),
        (out, tail) => {
            let mut buffer = out.unwrap_or_default();
            let stop = tail.unwrap_or(text.len());
            buffer.push_str(&text[copied..stop]);
            if tail.is_some() {
                buffer.push_str(REDACTED);
            }
            Cow::Owned(buffer)
        }
    }
}

/// Where `text` ends with a proper prefix of `secret` of at least four characters (that
/// starts a word, for a short token).
fn trailing_prefix_start(text: &str, secret: &str) -> Option<usize> {
    let anywhere = secret.len() >= MIN_ANYWHERE;
    (MIN_CUT_PREFIX..secret.len().min(text.len() + 1))
        .rev()
        .filter(|&len| secret.is_char_boundary(len))
        .map(|len| (len, text.len() - len))
        .find(|&(len, at)| {
            text.is_char_boundary(at)
                && text[at..] == secret[..len]
                && (anywhere
                    || text[..at]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !is_word_char(c)))
        })
        .map(|(_, at)| at)
}

/// Whether [`scrub_body`] would change `text`.
pub(crate) fn body_contains(text: &str, secret: &str) -> bool {
    matches!(scrub_body(text, secret), Cow::Owned(_))
}

/// A quick test on a body's raw bytes: `false` only when [`body_contains`] is false for
/// the body's lossy UTF-8 text, so that the bodies without the token — nearly all — are
/// neither decoded nor searched word by word.
///
/// Lossy decoding only replaces invalid bytes with U+FFFD. A token without that character
/// therefore occurs in the text only where its bytes occur in the body, and a text that
/// ends with a prefix of it comes from a body that ends with the same bytes; a token with
/// that character is left to the full test.
pub(crate) fn body_may_contain(body: &[u8], secret: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    if secret.contains(char::REPLACEMENT_CHARACTER) {
        return true;
    }
    let secret = secret.as_bytes();
    // Bodies are short: checking where the token's first byte occurs is cheaper than
    // building a substring searcher for each response.
    let Some((&first, rest)) = secret.split_first() else {
        return false;
    };
    let starts_token = |at: usize| {
        body.get(at + 1..)
            .is_some_and(|tail| tail.starts_with(rest))
    };
    if memchr::memchr_iter(first, body).any(starts_token) {
        return true;
    }
    let Some(&last) = body.last() else {
        return false;
    };
    (MIN_CUT_PREFIX..secret.len()).any(|len| {
        secret
            .get(..len)
            .is_some_and(|prefix| prefix.last() == Some(&last) && body.ends_with(prefix))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        assert_eq!(
            scrub(r#"{"t":"tok_A1"}"#, "tok_A1"),
            r#"{"t":"[REDACTED]"}"#
        );
        assert_eq!(
            scrub("key tok_A1 and tok_A1", "tok_A1"),
            "key [REDACTED] and [REDACTED]"
        );
        assert_eq!(scrub("tok_A1", "tok_A1"), "[REDACTED]");
        // A short token does not garble other words.
        assert_eq!(scrub("temporary failure", "t"), "temporary failure");
        assert_eq!(scrub("tok_A12 is another", "tok_A1"), "tok_A12 is another");
        assert_eq!(scrub("nothing here", ""), "nothing here");
    }

    #[test]
    fn a_real_length_token_is_scrubbed_even_inside_a_word() {
        let secret = "tok_LONG_SECRET_1";
        assert_eq!(scrub("xytok_LONG_SECRET_1z", secret), "xy[REDACTED]z");
        assert_eq!(
            scrub_body("abc tok_LONG_SECRET_1", secret),
            "abc [REDACTED]"
        );
        assert_eq!(scrub_body("glued:ytok_LONG", secret), "glued:y[REDACTED]");
    }

    #[test]
    fn a_token_cut_at_the_end_is_removed() {
        let secret = "tok_SECRET";
        assert_eq!(
            scrub_body(r#"{"echo":"tok_SEC"#, secret),
            r#"{"echo":"[REDACTED]"#
        );
        assert_eq!(
            scrub_body("a tok_SECRET then tok_S", secret),
            "a [REDACTED] then [REDACTED]"
        );
        // A real-length token's cut prefix goes even glued to a word; a short one's only
        // at a word start; fewer than four characters are kept.
        assert_eq!(scrub_body("the stok_", secret), "the s[REDACTED]");
        assert_eq!(scrub_body("the stok_", "tok_AB"), "the stok_");
        assert_eq!(scrub_body("send it to", secret), "send it to");
        // Plain `scrub` (messages, not bodies) never cuts.
        assert_eq!(scrub(r#"{"echo":"tok_SEC"#, secret), r#"{"echo":"tok_SEC"#);
    }

    #[test]
    fn multibyte_text_is_safe() {
        assert_eq!(scrub("홍길동 tok_A1 홍", "tok_A1"), "홍길동 [REDACTED] 홍");
        assert_eq!(scrub("홍길동", "tok"), "홍길동");
        assert!(body_contains("x tok_A1", "tok_A1"));
        assert!(!body_contains("x", "tok_A1"));
    }

    #[test]
    fn the_quick_byte_test_finds_a_token_and_a_cut_prefix() {
        let secret = "tok_SECRET";
        assert!(body_may_contain(b"a tok_SECRET b", secret));
        assert!(body_may_contain(b"{\"echo\":\"tok_SEC", secret));
        assert!(!body_may_contain(b"{\"echo\":\"tok", secret)); // 3 bytes: kept
        assert!(!body_may_contain(br#"{"result":"success"}"#, secret));
        assert!(!body_may_contain(b"", secret));
        assert!(!body_may_contain(b"anything", ""));
        assert!(body_may_contain(b"x", "tok\u{FFFD}"));
    }

    proptest::proptest! {
        /// The quick test never says "no" where the full one says "yes": over arbitrary
        /// bytes (invalid UTF-8 included) around pieces of the token.
        #[test]
        fn the_quick_byte_test_never_misses(
            secret in "[a-zA-Z0-9_\\-]{1,12}|\\PC{1,6}",
            before in proptest::collection::vec(proptest::num::u8::ANY, 0..12),
            cut in 0usize..16,
            after in proptest::collection::vec(proptest::num::u8::ANY, 0..6),
            end_with_prefix in proptest::bool::ANY,
        ) {
            let mut body = before;
            let piece = secret.as_bytes();
            body.extend_from_slice(piece.get(..cut.min(piece.len())).unwrap_or(piece));
            if !end_with_prefix {
                body.extend_from_slice(&after);
            }
            let text = String::from_utf8_lossy(&body);
            if body_contains(&text, &secret) {
                proptest::prop_assert!(body_may_contain(&body, &secret));
            }
        }
    }
}

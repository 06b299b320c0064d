//! Strict `application/x-www-form-urlencoded` decoding.
//!
//! Unlike the lenient decoders of most libraries, this one refuses what a client should
//! never send: a broken percent-escape or bytes that are not UTF-8 once decoded.

use std::fmt;

/// Why a body is not a valid form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FormError {
    /// `%` not followed by two hex digits.
    BadEscape,
    /// A name or value is not UTF-8 once decoded.
    NotUtf8,
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FormError::BadEscape => {
                "the body is not valid application/x-www-form-urlencoded: '%' must be followed by two hex digits"
            }
            FormError::NotUtf8 => {
                "the body is not valid application/x-www-form-urlencoded: a field is not UTF-8 once decoded"
            }
        })
    }
}

/// Decodes `name=value&…` pairs in order (`+` is a space; empty pieces are skipped).
pub(crate) fn parse(body: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    let mut fields = Vec::with_capacity(8);
    for piece in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let mut halves = piece.splitn(2, |&b| b == b'=');
        let name = halves.next().unwrap_or_default();
        let value = halves.next().unwrap_or_default();
        fields.push((decode(name)?, decode(value)?));
    }
    Ok(fields)
}

/// The value of the last field called `name`.
pub(crate) fn last<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn decode(raw: &[u8]) -> Result<String, FormError> {
    if !raw.iter().any(|&b| b == b'%' || b == b'+') {
        return std::str::from_utf8(raw)
            .map(str::to_owned)
            .map_err(|_| FormError::NotUtf8);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.next().and_then(|&h| hex(h));
                let lo = bytes.next().and_then(|&l| hex(l));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => return Err(FormError::BadEscape),
                }
            }
            other => out.push(other),
        }
    }
    String::from_utf8(out).map_err(|_| FormError::NotUtf8)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_plus_and_raw_utf8() {
        let fields = parse("a=%ED%99%8D%EA%B8%B8%EB%8F%99&b=x+y&c&&d=홍".as_bytes()).unwrap();
        assert_eq!(
            fields,
            [
                ("a".into(), "홍길동".into()),
                ("b".into(), "x y".into()),
                ("c".into(), String::new()),
                ("d".into(), "홍".into())
            ]
        );
        assert_eq!(last(&fields, "b"), Some("x y"));
        assert_eq!(last(&parse(b"k=1&k=2").unwrap(), "k"), Some("2"));
    }

    #[test]
    fn refuses_bad_escapes_and_non_utf8() {
        assert_eq!(parse(b"a=%zz"), Err(FormError::BadEscape));
        assert_eq!(parse(b"a=%4"), Err(FormError::BadEscape));
        assert_eq!(parse(b"a=%FF"), Err(FormError::NotUtf8));
        assert_eq!(parse(b"a=\xff"), Err(FormError::NotUtf8));
    }
}

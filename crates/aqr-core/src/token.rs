//! The developer token, kept in a secret type.

use std::borrow::Cow;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::validate::{self, Field, ValidationError};

/// The `AQR-DEVELOPER-TOKEN` credential.
///
/// Its `Debug` output is redacted, it has no `Display`, it is zeroized on drop, and it is
/// checked to be printable ASCII so that it can only ever travel in its own header.
#[derive(Clone)]
pub struct DeveloperToken(SecretString);

impl DeveloperToken {
    /// Longest token accepted (tokens are opaque; this only guards against garbage).
    pub const MAX_LEN: usize = 1024;

    /// Validates and wraps a token; surrounding whitespace (e.g. a trailing newline from a
    /// file) is trimmed.
    ///
    /// # Errors
    /// A [`ValidationError`] for [`Field::DeveloperToken`] when the token is empty, too long
    /// or not printable ASCII. The error never contains the token.
    pub fn new(token: &str) -> Result<Self, ValidationError> {
        let token = validate::printable_ascii(Field::DeveloperToken, token, Self::MAX_LEN)?;
        Ok(DeveloperToken(SecretString::from(token)))
    }

    /// The token itself. Only request building needs it; never log or print it.
    #[must_use]
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// `text` with every occurrence of this token (as a whole word) replaced by
    /// `[REDACTED]`: for printing text that came from elsewhere, such as a transport's
    /// message. Errors of this SDK are already redacted.
    #[must_use]
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        crate::redact::scrub(text, self.expose_secret())
    }
}

impl fmt::Debug for DeveloperToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeveloperToken([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Rule;

    #[test]
    fn debug_is_redacted() {
        let token = DeveloperToken::new("tok_SECRET_123").unwrap();
        assert_eq!(format!("{token:?}"), "DeveloperToken([REDACTED])");
        assert_eq!(token.expose_secret(), "tok_SECRET_123");
        assert_eq!(token.redact("got tok_SECRET_123."), "got [REDACTED].");
    }

    #[test]
    fn rejects_non_printable_without_echoing() {
        let err = DeveloperToken::new("tok\u{7f}SECRET").unwrap_err();
        assert_eq!(err.rule(), Rule::NotPrintableAscii);
        assert!(!err.to_string().contains("SECRET"));
        assert_eq!(
            DeveloperToken::new("토큰").unwrap_err().rule(),
            Rule::NotPrintableAscii
        );
        assert_eq!(
            DeveloperToken::new(" \n").unwrap_err().rule(),
            Rule::Required
        );
        assert_eq!(
            DeveloperToken::new("tok en").unwrap_err().rule(),
            Rule::NotPrintableAscii
        );
    }
}

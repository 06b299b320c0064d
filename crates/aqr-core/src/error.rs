//! The error model: one [`Error`] with a variant per kind of failure.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::config::ConfigError;
use crate::operation::OperationKind;
use crate::validate::ValidationError;

/// Largest number of body bytes kept in an error.
pub const MAX_BODY_SNIPPET: usize = 4096;

/// Everything that can go wrong calling the AQR API.
///
/// Each error says whether the request may have reached the server and been processed
/// ([`Error::may_have_been_processed`]); for a `create` that is the difference between
/// "nothing happened" and "an entry may exist" ([`Error::is_outcome_unknown`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is incomplete or invalid; nothing was sent.
    #[error("configuration error: {0}")]
    Config(#[from] ConfigError),
    /// An input field broke a rule; nothing was sent.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The server (or a proxy in front of it) reported a failure: a non-2xx status, or a
    /// JSON body whose `result` is not `"success"`.
    /// (Boxed: it is the largest variant, and `Result<_, Error>` stays small.)
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The server answered, but not with something this SDK can interpret (an empty,
    /// truncated, non-JSON or wrongly shaped success body, a redirect, …).
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// No complete response was received (connect, TLS, timeout, I/O).
    #[error(transparent)]
    Transport(#[from] TransportError),
}

impl Error {
    /// The HTTP status of the response, when there was one.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Response(e) => Some(e.status),
            _ => None,
        }
    }

    /// Whether the server may have acted on the request. `false` means it certainly did
    /// not (validation, configuration, connect failures, a definite refusal).
    #[must_use]
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Error::Config(_) | Error::Invalid(_) => false,
            Error::Api(e) => e.may_have_been_processed(),
            Error::Response(e) => e.may_have_been_processed(),
            Error::Transport(e) => e.may_have_been_sent(),
        }
    }

    /// The operation that failed (`None` for configuration and validation errors).
    #[must_use]
    pub fn operation(&self) -> Option<OperationKind> {
        match self {
            Error::Api(e) => Some(e.operation),
            Error::Response(e) => Some(e.operation),
            Error::Transport(e) => Some(e.operation),
            _ => None,
        }
    }

    /// `true` for a failed `create` whose entry may nevertheless exist: it was not retried
    /// (no idempotency key exists) and the caller must check before creating again.
    #[must_use]
    pub fn is_outcome_unknown(&self) -> bool {
        self.operation() == Some(OperationKind::Create) && self.may_have_been_processed()
    }

    /// `true` when the error is a timeout.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.kind() == TransportErrorKind::Timeout)
    }

    /// `true` when no connection could be made.
    #[must_use]
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(e) if e.kind() == TransportErrorKind::Connect)
    }

    /// How many attempts were made (1 when there was no retry, 0 before any I/O).
    #[must_use]
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(e) => e.attempts,
            Error::Response(e) => e.attempts,
            Error::Transport(e) => e.attempts,
            _ => 0,
        }
    }

    /// Turns a `Retry-After` date into the wait from `now` (a date in the past means
    /// "now").
    pub(crate) fn resolve_retry_at(&mut self, now: SystemTime) {
        if let Error::Api(e) = self {
            if let (None, Some(at)) = (e.retry_after, e.retry_at) {
                e.retry_after = Some(at.duration_since(now).unwrap_or(Duration::ZERO));
            }
        }
    }

    /// Marks that an earlier attempt of this call may have been processed.
    pub(crate) fn set_after_ambiguous_attempt(&mut self) {
        if let Error::Api(e) = self {
            e.after_ambiguous_attempt = true;
        }
    }

    /// Records the number of attempts (set by the client loop).
    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        match self {
            Error::Api(e) => e.attempts = attempts,
            Error::Response(e) => e.attempts = attempts,
            Error::Transport(e) => e.attempts = attempts,
            _ => {}
        }
    }

    /// Replaces every occurrence of `secret` in the texts this error carries (a server
    /// that echoes the token back must not make it appear in logs).
    pub(crate) fn scrub(&mut self, secret: &str) {
        let clean = |s: &mut String| {
            if !secret.is_empty() && s.contains(secret) {
                *s = s.replace(secret, "[REDACTED]");
            }
        };
        match self {
            Error::Api(e) => {
                [&mut e.body]
                    .into_iter()
                    .chain(e.message.as_mut())
                    .chain(e.code.as_mut())
                    .chain(e.result.as_mut())
                    .for_each(clean);
            }
            Error::Response(e) => {
                clean(&mut e.body);
                if let Some(d) = e.detail.as_mut() {
                    clean(d);
                }
            }
            Error::Transport(e) => clean(&mut e.message),
            _ => {}
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

/// The server reported a failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The operation that failed.
    pub operation: OperationKind,
    /// HTTP status code.
    pub status: u16,
    /// The `result` field, when the body was a JSON object that had one.
    pub result: Option<String>,
    /// `code` / `error_code` from the body, if any.
    pub code: Option<String>,
    /// The server's message (`message`, `msg`, `error`, `error_message`, `reason` or
    /// `detail`), if any.
    pub message: Option<String>,
    /// The first [`MAX_BODY_SNIPPET`] bytes of the body (lossy UTF-8).
    pub body: String,
    /// The `Retry-After` the server asked for, if any (as a delay; a date is in
    /// `retry_at`, and the client loop fills this in from it when it decides).
    pub retry_after: Option<Duration>,
    /// The `Retry-After` given as an HTTP date, if it was one.
    pub retry_at: Option<SystemTime>,
    /// Attempts made before giving up.
    pub attempts: u32,
    /// An earlier attempt of the same call failed in a way that may have been processed
    /// (a timeout, a dropped connection, a 5xx): a `404` on a retried delete then most
    /// likely means the first attempt already deleted the entry.
    pub after_ambiguous_attempt: bool,
}

impl ApiError {
    /// Whether the server may have acted before failing: 5xx other than 503.
    #[must_use]
    pub fn may_have_been_processed(&self) -> bool {
        self.status >= 500 && self.status != 503
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AQR {} failed: HTTP {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " [{code}]")?;
        }
        match (&self.message, &self.result) {
            (Some(message), _) => write!(f, ": {message}")?,
            (None, Some(result)) => write!(f, ": result \"{result}\"")?,
            (None, None) if !self.body.is_empty() => {
                write!(f, ": {}", one_line(&self.body, 160))?;
            }
            (None, None) => f.write_str(" with an empty body")?,
        }
        if self.may_have_been_processed() && self.operation == OperationKind::Create {
            f.write_str(" (the entry may have been created)")?;
        }
        if self.after_ambiguous_attempt {
            write!(
                f,
                " (after {} attempts; an earlier one may have been processed",
                self.attempts
            )?;
            if self.operation == OperationKind::Delete {
                f.write_str(": the entry may already be deleted")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// What was wrong with a response the SDK could not interpret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseErrorKind {
    /// The body was empty.
    Empty,
    /// The body ended in the middle of a JSON value.
    Truncated,
    /// The body was not JSON (an HTML page, plain text, …).
    NotJson,
    /// The body was JSON but not the expected object shape.
    WrongShape,
    /// A success body lacked a required field (e.g. `account_id`).
    MissingField,
    /// A redirect (never followed: it would forward the token).
    Redirect,
    /// A status that is neither success nor failure (1xx).
    UnexpectedStatus,
    /// A QR image download returned something that is not an image.
    NotImage,
}

impl ResponseErrorKind {
    /// A stable machine-readable name (`empty`, `truncated`, `not_json`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            ResponseErrorKind::Empty => "empty",
            ResponseErrorKind::Truncated => "truncated",
            ResponseErrorKind::NotJson => "not_json",
            ResponseErrorKind::WrongShape => "wrong_shape",
            ResponseErrorKind::MissingField => "missing_field",
            ResponseErrorKind::Redirect => "redirect",
            ResponseErrorKind::UnexpectedStatus => "unexpected_status",
            ResponseErrorKind::NotImage => "not_image",
        }
    }
}

/// The server answered with something the SDK cannot interpret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseError {
    /// The operation.
    pub operation: OperationKind,
    /// What was wrong.
    pub kind: ResponseErrorKind,
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// More detail (the JSON error, the missing field's name, the redirect target).
    pub detail: Option<String>,
    /// The first [`MAX_BODY_SNIPPET`] bytes of the body (lossy UTF-8).
    pub body: String,
    /// Attempts made before giving up.
    pub attempts: u32,
}

impl ResponseError {
    /// Whether the server may have acted: any 1xx/2xx answer (it said "OK", we could not
    /// read the rest). Redirects are not processing.
    #[must_use]
    pub fn may_have_been_processed(&self) -> bool {
        !(300..400).contains(&self.status)
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ResponseErrorKind::Empty => "empty body",
            ResponseErrorKind::Truncated => "truncated JSON body",
            ResponseErrorKind::NotJson => "body is not JSON",
            ResponseErrorKind::WrongShape => "JSON body has an unexpected shape",
            ResponseErrorKind::MissingField => "success body lacks a required field",
            ResponseErrorKind::Redirect => "redirect (not followed)",
            ResponseErrorKind::UnexpectedStatus => "unexpected status",
            ResponseErrorKind::NotImage => "not an image",
        };
        write!(
            f,
            "unexpected response to AQR {}: HTTP {}",
            self.operation, self.status
        )?;
        if let Some(ct) = &self.content_type {
            write!(f, " ({ct})")?;
        }
        write!(f, ", {what}")?;
        if let Some(detail) = &self.detail {
            write!(f, ": {}", one_line(detail, 160))?;
        } else if !self.body.is_empty() {
            write!(f, ": {}", one_line(&self.body, 120))?;
        }
        if self.may_have_been_processed() && self.operation == OperationKind::Create {
            f.write_str(" (the entry may have been created)")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResponseError {}

/// Kinds of transport failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// DNS resolution or TCP connect failed: nothing was sent.
    Connect,
    /// A timeout (see [`TransportError::may_have_been_sent`] for which phase).
    Timeout,
    /// TLS failed (handshake or certificate); never retried.
    Tls,
    /// An I/O error on an established connection.
    Io,
    /// The response body exceeded the size cap.
    BodyTooLarge,
    /// Anything else the transport reported.
    Other,
}

impl TransportErrorKind {
    /// A stable machine-readable name (`connect`, `timeout`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Tls => "tls",
            TransportErrorKind::Io => "io",
            TransportErrorKind::BodyTooLarge => "body_too_large",
            TransportErrorKind::Other => "other",
        }
    }
}

/// A failure to exchange bytes with the server, recording whether the request may have
/// been sent. Transports build it with the constructors below.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    sent: bool,
    message: String,
    operation: OperationKind,
    attempts: u32,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A failure of `kind`; `may_have_been_sent` is `false` only when the transport knows
    /// no byte of the request left (DNS, connect, TLS handshake).
    #[must_use]
    pub fn new(
        kind: TransportErrorKind,
        may_have_been_sent: bool,
        message: impl Into<String>,
    ) -> Self {
        TransportError {
            kind,
            sent: may_have_been_sent,
            message: message.into(),
            operation: OperationKind::Create,
            attempts: 1,
            source: None,
        }
    }

    /// DNS or connect failure (not sent).
    #[must_use]
    pub fn connect(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Connect, false, message)
    }

    /// Timeout; `may_have_been_sent` is `false` only for connect-phase timeouts.
    #[must_use]
    pub fn timeout(may_have_been_sent: bool, message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Timeout, may_have_been_sent, message)
    }

    /// TLS failure (not sent; never retried).
    #[must_use]
    pub fn tls(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Tls, false, message)
    }

    /// I/O failure on a connection.
    #[must_use]
    pub fn io(may_have_been_sent: bool, message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Io, may_have_been_sent, message)
    }

    /// The response body was larger than `limit` bytes (the request was sent).
    #[must_use]
    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            TransportErrorKind::BodyTooLarge,
            true,
            format!("response body exceeds {limit} bytes"),
        )
    }

    /// Attaches the underlying error.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What failed.
    #[must_use]
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether any part of the request may have reached the server.
    #[must_use]
    pub fn may_have_been_sent(&self) -> bool {
        self.sent
    }

    /// The transport's description of the failure.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn set_operation(&mut self, operation: OperationKind) {
        self.operation = operation;
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Tls => "TLS failure",
            TransportErrorKind::Io => "connection error",
            TransportErrorKind::BodyTooLarge => "response too large",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "AQR {} {what}: {}", self.operation, self.message)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        if self.sent && self.operation == OperationKind::Create {
            f.write_str(" (the request may have been processed: the entry may exist)")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The first [`MAX_BODY_SNIPPET`] bytes of `body` as lossy UTF-8, cut at a character
/// boundary.
#[must_use]
pub fn body_snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(MAX_BODY_SNIPPET)];
    let text = String::from_utf8_lossy(cut);
    // A cut in the middle of a character leaves one replacement char at the end; drop it.
    if cut.len() < body.len() {
        text.trim_end_matches('\u{FFFD}').to_owned()
    } else {
        text.into_owned()
    }
}

/// `text` on one line, at most `max` characters, with `…` when cut.
fn one_line(text: &str, max: usize) -> String {
    let mut out: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max + 1)
        .collect();
    if out.chars().count() > max {
        out = out.chars().take(max).collect();
        out.push('…');
    }
    out
}

//! The error model: one [`Error`] with a variant per kind of failure.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::redact;
use crate::status;
use crate::text::one_line;
use crate::validate::ValidationError;
use crate::vocabulary::{HttpResponse, OperationKind};

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
    /// An input field or a setting broke a rule (a missing token included); nothing was
    /// sent.
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
            Error::Invalid(_) => false,
            Error::Api(e) => e.may_have_been_processed(),
            Error::Response(e) => e.may_have_been_processed(),
            Error::Transport(e) => e.may_have_been_sent(),
        }
    }

    /// The operation that failed (`None` for validation errors).
    #[must_use]
    pub fn operation(&self) -> Option<OperationKind> {
        match self {
            Error::Api(e) => Some(e.operation),
            Error::Response(e) => Some(e.operation),
            Error::Transport(e) => e.operation,
            Error::Invalid(_) => None,
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

    /// `true` when no connection could be made (a connect timeout included: it is both
    /// a connect failure and a timeout).
    #[must_use]
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_connect())
    }

    /// The message and every underlying cause on one line, without repeating a cause
    /// whose text is already there: what a log line or a terminal should show.
    #[must_use]
    pub fn report(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        // A transparent variant's first source is the variant's own error: skip it.
        if let Some(first) = source
            && first.to_string() == text
        {
            source = first.source();
        }
        while let Some(cause) = source {
            let cause_text = cause.to_string();
            if !cause_text.is_empty() && !text.contains(&cause_text) {
                text.push_str(": ");
                text.push_str(&cause_text);
            }
            source = cause.source();
        }
        text
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
        if let Error::Api(e) = self
            && let (None, Some(at)) = (e.retry_after, e.retry_at)
        {
            e.retry_after = Some(at.duration_since(now).unwrap_or(Duration::ZERO));
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

    /// Records which time limit a timeout hit.
    pub(crate) fn set_timeout_limit(&mut self, limit: TimeoutLimit) {
        if let Error::Transport(e) = self
            && e.kind == TransportErrorKind::Timeout
        {
            e.limit = Some(limit);
        }
    }

    /// Replaces the token in the texts this error carries (a server that echoes the token
    /// back must not make it appear in logs); see [`crate::redact`].
    pub(crate) fn scrub(&mut self, secret: &str) {
        let clean = |s: &mut String| {
            if let std::borrow::Cow::Owned(clean) = redact::scrub_body(s, secret) {
                *s = clean;
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
#[non_exhaustive]
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
    /// A bare error for `status` (no body, no `Retry-After`), for tests of the policy.
    #[cfg(test)]
    pub(crate) fn for_status(operation: OperationKind, status: u16) -> Self {
        ApiError {
            operation,
            status,
            result: None,
            code: None,
            message: None,
            body: String::new(),
            retry_after: None,
            retry_at: None,
            attempts: 1,
            after_ambiguous_attempt: false,
        }
    }

    /// Whether the server may have acted before failing: 5xx other than 503 (see the
    /// status table in the crate's `status` module).
    #[must_use]
    pub fn may_have_been_processed(&self) -> bool {
        status::may_have_been_processed(self.status, status::Answer::Failure)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AQR {} failed: HTTP {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " [{}]", one_line(code, 80))?;
        }
        match (&self.message, &self.result) {
            (Some(message), _) => write!(f, ": {}", one_line(message, 400))?,
            (None, Some(result)) => write!(f, ": result \"{}\"", one_line(result, 80))?,
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
    /// A field of a success body broke the rule the SDK applies to it (an `account_id`
    /// that `delete` could not send back, …).
    InvalidField,
    /// The response carried the developer token (a server must never echo it); the
    /// response is not trusted, and the token is redacted from what is kept.
    EchoedToken,
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
            ResponseErrorKind::InvalidField => "invalid_field",
            ResponseErrorKind::EchoedToken => "echoed_token",
        }
    }
}

/// The server answered with something the SDK cannot interpret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
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
    /// An error of `kind` about `response`: its status, content type and body snippet.
    pub(crate) fn for_response(
        operation: OperationKind,
        kind: ResponseErrorKind,
        response: &HttpResponse,
        detail: Option<String>,
    ) -> Self {
        ResponseError {
            operation,
            kind,
            status: response.status().as_u16(),
            content_type: response
                .headers()
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            detail,
            body: body_snippet(response.body()),
            attempts: 1,
        }
    }

    /// Whether the server may have acted: it answered, so yes unless the status says
    /// otherwise (the status table in the crate's `status` module: a `303 See Other` to a
    /// create means it was processed).
    #[must_use]
    pub fn may_have_been_processed(&self) -> bool {
        status::may_have_been_processed(self.status, status::Answer::Unreadable)
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
            ResponseErrorKind::InvalidField => "success body has an invalid field",
            ResponseErrorKind::EchoedToken => "the response echoed the developer token",
        };
        write!(
            f,
            "unexpected response to AQR {}: HTTP {}",
            self.operation, self.status
        )?;
        if let Some(ct) = &self.content_type {
            write!(f, " ({})", one_line(ct, 80))?;
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
    /// No connection could be made (the name did not resolve, the connection was refused,
    /// the proxy failed): nothing was sent.
    Connect,
    /// A timeout; [`TransportError::timeout_limit`] says which limit, and
    /// [`TransportError::may_have_been_sent`] whether the request was written.
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

/// Which time limit a timeout hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// Establishing the connection ([`crate::Timeouts::connect`]).
    Connect,
    /// One attempt ([`crate::Timeouts::attempt`]).
    Attempt,
    /// The whole call, retries included ([`crate::Timeouts::total`]).
    Total,
}

impl Limit {
    /// `"connect"`, `"attempt"` or `"total"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Limit::Connect => "connect",
            Limit::Attempt => "attempt",
            Limit::Total => "total",
        }
    }
}

/// A timeout's limit and its configured value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeoutLimit {
    /// Which limit.
    pub limit: Limit,
    /// Its configured value.
    pub after: Duration,
}

/// A failure to exchange bytes with the server, recording whether the request may have
/// been sent. Transports build it with the constructors below; the client loop adds the
/// operation, the attempt count and, for timeouts, which limit was hit.
///
/// Its message is the transport's own summary; the underlying error (an `io::Error`, the
/// HTTP library's error) is its [`std::error::Error::source`], not repeated in the message.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    sent: bool,
    message: String,
    operation: Option<OperationKind>,
    attempts: u32,
    limit: Option<TimeoutLimit>,
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
            operation: None,
            attempts: 1,
            limit: None,
            source: None,
        }
    }

    /// No connection could be made: DNS, TCP connect, the proxy (not sent).
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

    /// Names the operation (the client loop does this for every error it sees; for
    /// errors built elsewhere, such as in tests of code that handles them).
    #[must_use]
    pub fn with_operation(mut self, operation: OperationKind) -> Self {
        self.operation = Some(operation);
        self
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

    /// Whether no connection could be made: a connect failure, or a timeout before the
    /// request was written (a connect timeout is both).
    #[must_use]
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
            || (self.kind == TransportErrorKind::Timeout && !self.sent)
    }

    /// The transport's description of the failure.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The operation, once the client loop has seen the error.
    #[must_use]
    pub fn operation(&self) -> Option<OperationKind> {
        self.operation
    }

    /// For a timeout, which limit elapsed and its configured value (set by the client
    /// loop, which knows the limits).
    #[must_use]
    pub fn timeout_limit(&self) -> Option<TimeoutLimit> {
        self.limit
    }

    pub(crate) fn set_operation(&mut self, operation: OperationKind) {
        self.operation = Some(operation);
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
        match self.operation {
            Some(operation) => write!(f, "AQR {operation} {what}")?,
            None => write!(f, "AQR request {what}")?,
        }
        if let Some(TimeoutLimit { limit, after }) = self.limit {
            write!(f, " (the {} limit of {})", limit.name(), seconds(after))?;
        }
        write!(f, ": {}", one_line(&self.message, 400))?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        if self.sent && self.operation == Some(OperationKind::Create) {
            f.write_str(" (the request may have been processed: the entry may exist)")?;
        }
        Ok(())
    }
}

/// `30 s`, `0.5 s`, `1.25 s`.
fn seconds(duration: Duration) -> String {
    let text = format!("{:.3}", duration.as_secs_f64());
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} s")
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
pub(crate) fn body_snippet(body: &[u8]) -> String {
    let cut = body.get(..MAX_BODY_SNIPPET).unwrap_or(body);
    let text = String::from_utf8_lossy(cut);
    // A cut in the middle of a character leaves one replacement char at the end; drop it.
    if cut.len() < body.len() {
        text.trim_end_matches('\u{FFFD}').to_owned()
    } else {
        text.into_owned()
    }
}

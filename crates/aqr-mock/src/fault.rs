//! Injected faults: the public, serialisable types, their builders and their rules.
//!
//! Turning a fault into an answer is the `inject` module's job; keeping the waiting faults
//! is the `fault_queue` module's.

use crate::types::MockAction;
use hyper::StatusCode;
use hyper::header::{CONTENT_LENGTH, HeaderName, HeaderValue, TRANSFER_ENCODING};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// The largest body a [`FaultBody::Huge`] produces.
pub const MAX_HUGE_BODY: usize = 256 << 20;

/// An injected fault: which requests it applies to and what happens to them.
///
/// Build one with the constructors and chain the modifiers:
///
/// ```
/// use aqr_mock::{Fault, FaultBody, MockAction};
/// use std::time::Duration;
///
/// let busy = Fault::respond(503, FaultBody::json_fail("busy").with_code("E_BUSY"))
///     .with_retry_after("2")
///     .with_header("X-Request-Id", "abc")
///     .for_action(MockAction::Create)
///     .times(1);
/// let slow = Fault::slow_body(Duration::from_secs(2)).times(1);
/// # assert!(busy.validate().is_ok() && slow.validate().is_ok());
/// ```
///
/// JSON form (as `POST /__mock/faults` takes it):
/// `{"action": "create", "times": 2, "response": {"kind": "respond", "status": 503,
/// "body": {"type": "json_fail", "message": "busy"}, "retry_after": "1"}}`.
///
/// Faults are tried in the order they were pushed; the first one that matches a request
/// applies to it (and counts down its `times`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// The requests it applies to; `None` = any request (including `GET /res` and `/f/`).
    #[serde(default)]
    pub action: Option<MockAction>,
    /// `None` = until cleared; `Some(n)` = the next `n` matching requests (`n` ≥ 1).
    #[serde(default)]
    pub times: Option<u32>,
    /// What happens instead of (or around) the normal answer.
    pub response: FaultResponse,
}

impl Fault {
    /// A fault for every request (until cleared).
    #[must_use]
    pub fn new(response: FaultResponse) -> Self {
        Fault {
            action: None,
            times: None,
            response,
        }
    }

    /// Answer `status` with `body` instead of handling the request (nothing is processed).
    #[must_use]
    pub fn respond(status: u16, body: FaultBody) -> Self {
        Fault::new(FaultResponse::Respond {
            status,
            body,
            retry_after: None,
            headers: Vec::new(),
            delay_ms: 0,
        })
    }

    /// Wait `delay`, then handle the request normally (it is processed even if the client
    /// gave up meanwhile).
    #[must_use]
    pub fn delay(delay: Duration) -> Self {
        Fault::new(FaultResponse::Delay {
            delay_ms: millis(delay),
        })
    }

    /// Close the connection without answering; nothing is processed.
    #[must_use]
    pub fn drop_before_read() -> Self {
        Fault::new(FaultResponse::DropBeforeRead)
    }

    /// Process the request (a create creates), then close the connection unanswered.
    #[must_use]
    pub fn drop_after_read() -> Self {
        Fault::new(FaultResponse::DropAfterRead)
    }

    /// Handle the request normally, send half of the body, stall `stall`, send the rest.
    #[must_use]
    pub fn slow_body(stall: Duration) -> Self {
        Fault::new(FaultResponse::SlowBody {
            delay_ms: millis(stall),
        })
    }

    /// Answer a 3xx `status` with `Location: location` (nothing is processed).
    #[must_use]
    pub fn redirect(status: u16, location: impl Into<String>) -> Self {
        Fault::new(FaultResponse::Redirect {
            status,
            location: location.into(),
        })
    }

    /// Adds a `Retry-After` header (`"2"` or an HTTP date) to a [`Fault::respond`] fault.
    /// Other kinds send no headers of their own: on them this is a mistake that
    /// [`Fault::validate`] (and so every push) reports as [`InvalidFault::RespondOnly`].
    #[must_use]
    pub fn with_retry_after(mut self, value: impl Into<String>) -> Self {
        match &mut self.response {
            FaultResponse::Respond { retry_after, .. } => *retry_after = Some(value.into()),
            _ => self.misuse("retry_after"),
        }
        self
    }

    /// Adds a header to a [`Fault::respond`] fault (see [`Fault::with_retry_after`] for
    /// other kinds). `Content-Length` and `Transfer-Encoding` are refused on push: they
    /// would break the answer's framing.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        match &mut self.response {
            FaultResponse::Respond { headers, .. } => headers.push((name.into(), value.into())),
            _ => self.misuse("headers"),
        }
        self
    }

    /// Makes a [`Fault::respond`] fault wait `delay` before answering (see
    /// [`Fault::with_retry_after`] for other kinds).
    #[must_use]
    pub fn with_delay(mut self, delay: Duration) -> Self {
        match &mut self.response {
            FaultResponse::Respond { delay_ms, .. } => *delay_ms = millis(delay),
            _ => self.misuse("delay_ms"),
        }
        self
    }

    /// Limits the fault to requests with this action.
    #[must_use]
    pub fn for_action(mut self, action: MockAction) -> Self {
        self.action = Some(action);
        self
    }

    /// Applies the fault to the next `n` matching requests only (`n` must be at least 1).
    #[must_use]
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Records that a respond-only modifier was applied to another kind, so that
    /// [`Fault::validate`] reports it.
    fn misuse(&mut self, field: &'static str) {
        if !matches!(self.response, FaultResponse::Misused { .. }) {
            let original = std::mem::replace(&mut self.response, FaultResponse::DropBeforeRead);
            self.response = FaultResponse::Misused {
                field: field.to_owned(),
                original: Box::new(original),
            };
        }
    }

    /// Checks the fault against the rules every push applies.
    ///
    /// # Errors
    /// [`InvalidFault`] naming the field and the rule it breaks.
    pub fn validate(&self) -> Result<(), InvalidFault> {
        if self.times == Some(0) {
            return Err(InvalidFault::TimesZero);
        }
        self.response.validate()
    }
}

/// Milliseconds of `duration`, saturating.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// What an injected fault does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FaultResponse {
    /// Answer with this status and body instead of handling the request (nothing is
    /// processed).
    Respond {
        /// The HTTP status: a final status, 200–999.
        status: u16,
        /// The body and its content type.
        body: FaultBody,
        /// A `Retry-After` header value (`"2"` or an HTTP date).
        #[serde(default)]
        retry_after: Option<String>,
        /// Extra headers (not `Content-Length` nor `Transfer-Encoding`).
        #[serde(default)]
        headers: Vec<(String, String)>,
        /// Wait this long before answering.
        #[serde(default)]
        delay_ms: u64,
    },
    /// Wait, then handle the request normally.
    Delay {
        /// How long to wait before handling the request.
        delay_ms: u64,
    },
    /// Close the connection without answering; nothing is processed. (The mock reads the
    /// small, size-capped body to learn the request's action, but acts on nothing.)
    DropBeforeRead,
    /// Read and process the request (a create really creates), then close the connection
    /// without answering: the client cannot know the outcome.
    DropAfterRead,
    /// Handle the request normally and send the status line, the headers (with the full
    /// `Content-Length`) and the first half of the body, then stall for `delay_ms` before
    /// the rest.
    SlowBody {
        /// How long the body stalls in the middle.
        delay_ms: u64,
    },
    /// Answer with a redirect to `location` (nothing is processed).
    Redirect {
        /// A 3xx status.
        status: u16,
        /// The `Location` header.
        location: String,
    },
    /// Not a fault: what a respond-only modifier ([`Fault::with_header`], …) turns another
    /// kind into, so that pushing it fails with [`InvalidFault::RespondOnly`]. Never sent
    /// nor accepted as JSON.
    #[doc(hidden)]
    #[serde(skip)]
    Misused {
        /// The respond-only field the modifier sets.
        field: String,
        /// The fault the modifier was applied to.
        original: Box<FaultResponse>,
    },
}

impl FaultResponse {
    /// The snake-case kind, as in the JSON form and [`crate::RecordedRequest::fault`].
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            FaultResponse::Respond { .. } => "respond",
            FaultResponse::Delay { .. } => "delay",
            FaultResponse::DropBeforeRead => "drop_before_read",
            FaultResponse::DropAfterRead => "drop_after_read",
            FaultResponse::SlowBody { .. } => "slow_body",
            FaultResponse::Redirect { .. } => "redirect",
            FaultResponse::Misused { original, .. } => original.kind(),
        }
    }

    fn validate(&self) -> Result<(), InvalidFault> {
        match self {
            FaultResponse::Respond {
                status,
                body,
                retry_after,
                headers,
                ..
            } => {
                if !(200..=999).contains(status) {
                    return Err(InvalidFault::Status(*status));
                }
                if retry_after
                    .as_deref()
                    .is_some_and(|v| HeaderValue::from_str(v).is_err())
                {
                    return Err(InvalidFault::RetryAfter);
                }
                for (name, value) in headers {
                    let Ok(parsed) = HeaderName::from_bytes(name.as_bytes()) else {
                        return Err(InvalidFault::HeaderName(name.clone()));
                    };
                    if parsed == CONTENT_LENGTH || parsed == TRANSFER_ENCODING {
                        return Err(InvalidFault::FramingHeader(name.clone()));
                    }
                    if HeaderValue::from_str(value).is_err() {
                        return Err(InvalidFault::HeaderValue(name.clone()));
                    }
                }
                match body {
                    FaultBody::Huge { bytes } if *bytes > MAX_HUGE_BODY => {
                        Err(InvalidFault::HugeBody(*bytes))
                    }
                    _ => Ok(()),
                }
            }
            FaultResponse::Redirect { status, location } => {
                if !StatusCode::from_u16(*status).is_ok_and(|s| s.is_redirection()) {
                    return Err(InvalidFault::RedirectStatus(*status));
                }
                if HeaderValue::from_str(location).is_err() {
                    return Err(InvalidFault::Location);
                }
                Ok(())
            }
            FaultResponse::Misused { field, original } => Err(InvalidFault::RespondOnly {
                kind: original.kind(),
                field: field.clone(),
            }),
            FaultResponse::Delay { .. }
            | FaultResponse::DropBeforeRead
            | FaultResponse::DropAfterRead
            | FaultResponse::SlowBody { .. } => Ok(()),
        }
    }
}

/// The body of a [`FaultResponse::Respond`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultBody {
    /// `{"result":"fail", <key>: <message>, "code": <code>}` (application/json). `key` is
    /// one of `message`, `msg`, `error`, `error_message`, `reason`, `detail` — or any
    /// other name, to test a client's fallback (default `message`); `code` is left out
    /// when `None`.
    JsonFail {
        /// The name of the message field (default `message`).
        #[serde(default)]
        key: Option<String>,
        /// The error message.
        message: String,
        /// The error code, if any.
        #[serde(default)]
        code: Option<String>,
    },
    /// Any JSON value (application/json).
    Json {
        /// The value served.
        value: serde_json::Value,
    },
    /// A proxy's HTML error page for the status (text/html).
    Html,
    /// Plain text (text/plain).
    Text {
        /// The text served.
        text: String,
    },
    /// No body.
    Empty,
    /// A create success body cut in the middle (application/json).
    TruncatedJson,
    /// `bytes` bytes of JSON-looking padding (application/json), at most
    /// [`MAX_HUGE_BODY`]; streamed, never held in memory whole.
    Huge {
        /// The body's length in bytes.
        bytes: usize,
    },
}

impl FaultBody {
    /// `{"result":"fail","message":<message>}`; see [`FaultBody::with_code`] and
    /// [`FaultBody::with_key`].
    #[must_use]
    pub fn json_fail(message: impl Into<String>) -> Self {
        FaultBody::JsonFail {
            key: None,
            message: message.into(),
            code: None,
        }
    }

    /// Adds `"code": <code>` to a [`FaultBody::json_fail`] body (other bodies have no
    /// code and are returned unchanged).
    #[must_use]
    pub fn with_code(self, code: impl Into<String>) -> Self {
        match self {
            FaultBody::JsonFail { key, message, .. } => FaultBody::JsonFail {
                key,
                message,
                code: Some(code.into()),
            },
            other => other,
        }
    }

    /// Puts the message of a [`FaultBody::json_fail`] body under `key` instead of
    /// `message` (other bodies are returned unchanged).
    #[must_use]
    pub fn with_key(self, key: impl Into<String>) -> Self {
        match self {
            FaultBody::JsonFail { message, code, .. } => FaultBody::JsonFail {
                key: Some(key.into()),
                message,
                code,
            },
            other => other,
        }
    }

    /// Any JSON value.
    #[must_use]
    pub fn json(value: serde_json::Value) -> Self {
        FaultBody::Json { value }
    }

    /// Plain text.
    #[must_use]
    pub fn text(text: impl Into<String>) -> Self {
        FaultBody::Text { text: text.into() }
    }

    /// `bytes` bytes of JSON-looking padding (at most [`MAX_HUGE_BODY`]).
    #[must_use]
    pub fn huge(bytes: usize) -> Self {
        FaultBody::Huge { bytes }
    }
}

/// Why a fault is refused: by [`crate::MockServer::push_fault`], and with HTTP 400
/// `invalid_fault` by `POST /__mock/faults`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidFault {
    /// `times` is 0: the fault could never apply.
    TimesZero,
    /// A `respond` status outside 200–999 (1xx cannot be a final answer).
    Status(u16),
    /// A `redirect` status that is not 3xx.
    RedirectStatus(u16),
    /// `retry_after` is not a valid header value.
    RetryAfter,
    /// A header name that is not a valid HTTP header name.
    HeaderName(String),
    /// A header value that is not a valid HTTP header value (named by its header).
    HeaderValue(String),
    /// `Content-Length` or `Transfer-Encoding`: the mock frames its answers itself.
    FramingHeader(String),
    /// A `huge` body larger than [`MAX_HUGE_BODY`].
    HugeBody(usize),
    /// `location` is not a valid header value.
    Location,
    /// A respond-only modifier ([`Fault::with_header`], [`Fault::with_retry_after`],
    /// [`Fault::with_delay`]) applied to another kind of fault.
    RespondOnly {
        /// The kind of the fault.
        kind: &'static str,
        /// The field the modifier sets.
        field: String,
    },
}

impl fmt::Display for InvalidFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidFault::TimesZero => f.write_str("times: must be at least 1 (0 never applies)"),
            InvalidFault::Status(status) => write!(
                f,
                "status: {status} is not a final HTTP status (200-999; 1xx cannot end an answer)"
            ),
            InvalidFault::RedirectStatus(status) => {
                write!(f, "status: a redirect needs a 3xx status, not {status}")
            }
            InvalidFault::RetryAfter => f.write_str("retry_after: not a valid header value"),
            InvalidFault::HeaderName(name) => {
                write!(f, "headers: {name:?} is not a valid header name")
            }
            InvalidFault::HeaderValue(name) => {
                write!(
                    f,
                    "headers: the value of {name:?} is not a valid header value"
                )
            }
            InvalidFault::FramingHeader(name) => write!(
                f,
                "headers: {name:?} would break the answer's framing (the mock sets Content-Length itself)"
            ),
            InvalidFault::HugeBody(bytes) => write!(
                f,
                "body.bytes: {bytes} is over the limit of {MAX_HUGE_BODY} bytes for a huge body"
            ),
            InvalidFault::Location => f.write_str("location: not a valid header value"),
            InvalidFault::RespondOnly { kind, field } => write!(
                f,
                "{field}: only a respond fault has it, not a {kind} fault"
            ),
        }
    }
}

impl std::error::Error for InvalidFault {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_make_the_documented_json() {
        let fault = Fault::respond(503, FaultBody::json_fail("busy").with_key("msg"))
            .with_retry_after("2")
            .with_delay(Duration::from_millis(5))
            .for_action(MockAction::Create)
            .times(1);
        let json = serde_json::to_value(&fault).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"action": "create", "times": 1, "response": {
                "kind": "respond", "status": 503, "retry_after": "2", "headers": [],
                "delay_ms": 5, "body": {"type": "json_fail", "key": "msg", "message": "busy", "code": null}}})
        );
        assert_eq!(serde_json::from_value::<Fault>(json).unwrap(), fault);
    }

    #[test]
    fn rules_name_the_field() {
        let cases = [
            (Fault::respond(500, FaultBody::Empty).times(0), "times"),
            (Fault::respond(100, FaultBody::Empty), "status"),
            (Fault::respond(42, FaultBody::Empty), "status"),
            (
                Fault::respond(500, FaultBody::Empty).with_header("Content-Length", "3"),
                "headers",
            ),
            (
                Fault::respond(500, FaultBody::Empty).with_header("transfer-encoding", "x"),
                "headers",
            ),
            (
                Fault::respond(500, FaultBody::huge(MAX_HUGE_BODY + 1)),
                "body.bytes",
            ),
            (Fault::redirect(200, "/"), "status"),
            (Fault::drop_after_read().with_header("a", "b"), "headers"),
            (
                Fault::slow_body(Duration::ZERO).with_retry_after("1"),
                "retry_after",
            ),
        ];
        for (fault, field) in cases {
            let err = fault.validate().unwrap_err();
            assert!(err.to_string().starts_with(field), "{err}");
        }
        assert!(Fault::respond(204, FaultBody::Empty).validate().is_ok());
    }
}

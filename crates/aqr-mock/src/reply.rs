//! What the mock answers: a status, a content type, headers and a body that can stall.

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::{Response, StatusCode};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

pub(crate) const JSON: &str = "application/json";
pub(crate) const HTML: &str = "text/html; charset=utf-8";
pub(crate) const TEXT: &str = "text/plain; charset=utf-8";
pub(crate) const PNG: &str = "image/png";

/// The mock's own failure codes, each with its HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    InvalidToken,
    EmailMismatch,
    UnsupportedContentType,
    InvalidAction,
    MissingField,
    InvalidField,
    MalformedBody,
    NotFound,
    MethodNotAllowed,
    BodyTooLarge,
    InvalidFault,
}

impl Failure {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Failure::InvalidToken => "invalid_token",
            Failure::EmailMismatch => "email_mismatch",
            Failure::UnsupportedContentType => "unsupported_content_type",
            Failure::InvalidAction => "invalid_action",
            Failure::MissingField => "missing_field",
            Failure::InvalidField => "invalid_field",
            Failure::MalformedBody => "malformed_body",
            Failure::NotFound => "not_found",
            Failure::MethodNotAllowed => "method_not_allowed",
            Failure::BodyTooLarge => "body_too_large",
            Failure::InvalidFault => "invalid_fault",
        }
    }

    pub(crate) fn status(self) -> StatusCode {
        match self {
            Failure::InvalidToken => StatusCode::UNAUTHORIZED,
            Failure::EmailMismatch => StatusCode::FORBIDDEN,
            Failure::UnsupportedContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Failure::InvalidAction
            | Failure::MissingField
            | Failure::InvalidField
            | Failure::MalformedBody
            | Failure::InvalidFault => StatusCode::BAD_REQUEST,
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Failure::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }
}

/// A complete answer, before it becomes an HTTP response.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Bytes,
}

impl Reply {
    /// A body with a content type.
    pub(crate) fn new(
        status: StatusCode,
        content_type: &'static str,
        body: impl Into<Bytes>,
    ) -> Self {
        Reply {
            status,
            content_type: Some(content_type),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// No body, no content type.
    pub(crate) fn empty(status: StatusCode) -> Self {
        Reply {
            status,
            content_type: None,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// `{"result":"fail","code":…,"message":…}` with the failure's status, or 200 when
    /// `as_200`.
    pub(crate) fn fail(failure: Failure, message: &str, as_200: bool) -> Self {
        // In the documented key order; codes are plain ASCII, the message is escaped.
        let message = serde_json::Value::from(message);
        let body = format!(
            r#"{{"result":"fail","code":"{}","message":{message}}}"#,
            failure.code()
        );
        let status = if as_200 {
            StatusCode::OK
        } else {
            failure.status()
        };
        let mut reply = Reply::new(status, JSON, body);
        if failure == Failure::MethodNotAllowed {
            reply
                .headers
                .push((hyper::header::ALLOW, HeaderValue::from_static("POST")));
        }
        reply
    }

    /// Sets the `Allow` header (for 405 answers outside `/api/`).
    pub(crate) fn allow(mut self, methods: &'static str) -> Self {
        self.headers
            .retain(|(name, _)| name != hyper::header::ALLOW);
        self.headers
            .push((hyper::header::ALLOW, HeaderValue::from_static(methods)));
        self
    }

    /// A header to add.
    pub(crate) fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The HTTP response; with `stall`, the body pauses that long after its first half.
    pub(crate) fn into_response(self, stall: Option<Duration>) -> Response<MockBody> {
        let body = match stall {
            Some(delay) => MockBody::stalled(self.body, delay),
            None => MockBody::full(self.body),
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        if let Some(content_type) = self.content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        response
    }
}

/// A body sent whole, or in two halves with a pause between them.
pub(crate) struct MockBody {
    first: Option<Bytes>,
    stall: Option<Pin<Box<Sleep>>>,
    rest: Option<Bytes>,
    len: u64,
}

impl MockBody {
    fn full(body: Bytes) -> Self {
        let len = body.len() as u64;
        MockBody {
            first: Some(body).filter(|b| !b.is_empty()),
            stall: None,
            rest: None,
            len,
        }
    }

    fn stalled(mut body: Bytes, delay: Duration) -> Self {
        let len = body.len() as u64;
        let rest = body.split_off(body.len() / 2);
        MockBody {
            first: Some(body).filter(|b| !b.is_empty()),
            stall: Some(Box::pin(tokio::time::sleep(delay))),
            rest: Some(rest).filter(|b| !b.is_empty()),
            len,
        }
    }
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if let Some(first) = this.first.take() {
            return Poll::Ready(Some(Ok(Frame::data(first))));
        }
        if this.rest.is_some()
            && let Some(stall) = this.stall.as_mut()
        {
            if stall.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.stall = None;
        }
        Poll::Ready(this.rest.take().map(|rest| Ok(Frame::data(rest))))
    }

    fn is_end_stream(&self) -> bool {
        self.first.is_none() && self.rest.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len)
    }
}

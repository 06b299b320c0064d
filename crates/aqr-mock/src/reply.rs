//! What the mock answers: a status, a content type, headers and a body.

use crate::body::MockBody;
use bytes::Bytes;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::{Response, StatusCode};
use std::time::Duration;

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
    RequestTimeout,
    ForbiddenHost,
    ForbiddenOrigin,
    TooManyConnections,
    StateNotSaved,
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
            Failure::RequestTimeout => "request_timeout",
            Failure::ForbiddenHost => "forbidden_host",
            Failure::ForbiddenOrigin => "forbidden_origin",
            Failure::TooManyConnections => "too_many_connections",
            Failure::StateNotSaved => "state_not_saved",
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
            Failure::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Failure::ForbiddenHost | Failure::ForbiddenOrigin => StatusCode::FORBIDDEN,
            Failure::TooManyConnections => StatusCode::SERVICE_UNAVAILABLE,
            Failure::StateNotSaved => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Whether a request refused this way keeps only a short record in the log: it was
    /// refused before authentication, so it may come from anyone.
    pub(crate) fn keeps_short_record(self) -> bool {
        matches!(
            self,
            Failure::InvalidToken
                | Failure::BodyTooLarge
                | Failure::RequestTimeout
                | Failure::ForbiddenHost
                | Failure::ForbiddenOrigin
        )
    }
}

/// A complete answer, before it becomes an HTTP response.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: ReplyBody,
    /// The mock's own failure this answer reports, if any.
    pub(crate) failure: Option<Failure>,
}

/// What the body of a [`Reply`] is made of.
pub(crate) enum ReplyBody {
    /// These bytes.
    Bytes(Bytes),
    /// This many bytes of JSON-looking padding, generated while sending.
    Padding(usize),
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
            body: ReplyBody::Bytes(body.into()),
            failure: None,
        }
    }

    /// `bytes` bytes of padding that starts like a JSON object, streamed.
    pub(crate) fn padding(status: StatusCode, content_type: &'static str, bytes: usize) -> Self {
        Reply {
            body: ReplyBody::Padding(bytes),
            ..Reply::empty(status)
        }
        .content_type(content_type)
    }

    fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = Some(content_type);
        self
    }

    /// No body, no content type.
    pub(crate) fn empty(status: StatusCode) -> Self {
        Reply {
            status,
            content_type: None,
            headers: Vec::new(),
            body: ReplyBody::Bytes(Bytes::new()),
            failure: None,
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
        reply.failure = Some(failure);
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
        let body = match (self.body, stall) {
            (ReplyBody::Bytes(bytes), Some(delay)) => MockBody::stalled(bytes, delay),
            (ReplyBody::Bytes(bytes), None) => MockBody::full(bytes),
            (ReplyBody::Padding(len), _) => MockBody::padding(len),
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

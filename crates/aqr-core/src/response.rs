//! Lenient response parsing: every shape a failure can take becomes a typed error.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use serde_json::Value;

use crate::HttpResponse;
use crate::error::{ApiError, Error, ResponseError, ResponseErrorKind, body_snippet};
use crate::operation::{CreatedAccount, OperationKind};

/// Keys under which servers put a failure message, in order of preference.
pub const MESSAGE_KEYS: [&str; 6] = [
    "message",
    "msg",
    "error",
    "error_message",
    "reason",
    "detail",
];

/// The JSON envelope of every AQR response. Unknown fields are ignored.
#[derive(Deserialize, Default)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    result: Option<Cow<'a, str>>,
    #[serde(default)]
    account_id: Option<Value>,
    #[serde(borrow, default)]
    qr_image: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    short_url: Option<Cow<'a, str>>,
    #[serde(default)]
    message: Option<Value>,
    #[serde(default)]
    msg: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    error_message: Option<Value>,
    #[serde(default)]
    reason: Option<Value>,
    #[serde(default)]
    detail: Option<Value>,
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    error_code: Option<Value>,
}

impl Envelope<'_> {
    fn is_success(&self) -> bool {
        self.result
            .as_deref()
            .is_some_and(|r| r.trim().eq_ignore_ascii_case("success"))
    }

    fn message(&self) -> Option<String> {
        [
            &self.message,
            &self.msg,
            &self.error,
            &self.error_message,
            &self.reason,
            &self.detail,
        ]
        .into_iter()
        .find_map(|v| v.as_ref().and_then(message_text))
    }

    fn code(&self) -> Option<String> {
        [&self.code, &self.error_code]
            .into_iter()
            .find_map(|v| v.as_ref().and_then(scalar_text))
    }
}

/// A message from a string, or from an object's own `message`/`msg`/… key.
fn message_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Object(map) => MESSAGE_KEYS
            .iter()
            .find_map(|k| map.get(*k).and_then(message_text)),
        _ => None,
    }
}

/// A string or number as text (ids and codes may come as either).
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `Retry-After` as delta-seconds (decimals allowed) or `retry-after-ms`. The HTTP-date
/// form is [`retry_at`]; the client turns it into a wait when it decides.
#[must_use]
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let parse = |name: &str, scale: f64| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
            .and_then(|v| Duration::try_from_secs_f64(v / scale).ok())
    };
    parse("retry-after-ms", 1000.0).or_else(|| parse("retry-after", 1.0))
}

/// `Retry-After` given as an HTTP-date (IMF-fixdate), if it is one.
#[must_use]
pub fn retry_at(headers: &HeaderMap) -> Option<SystemTime> {
    headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(crate::http_date::parse_imf_fixdate)
}

fn response_error(
    operation: OperationKind,
    kind: ResponseErrorKind,
    response: &HttpResponse,
    detail: Option<String>,
) -> Error {
    Error::Response(ResponseError {
        operation,
        kind,
        status: response.status().as_u16(),
        content_type: content_type(response.headers()),
        detail,
        body: body_snippet(response.body()),
        attempts: 1,
    })
}

fn api_error(
    operation: OperationKind,
    response: &HttpResponse,
    envelope: Option<&Envelope<'_>>,
) -> Error {
    Error::from(ApiError {
        operation,
        status: response.status().as_u16(),
        result: envelope.and_then(|e| e.result.as_deref().map(str::to_owned)),
        code: envelope.and_then(Envelope::code),
        message: envelope.and_then(Envelope::message),
        body: body_snippet(response.body()),
        retry_after: retry_after(response.headers()),
        retry_at: retry_at(response.headers()),
        attempts: 1,
        after_ambiguous_attempt: false,
    })
}

/// Status checks shared by every operation: redirects and 1xx are unexpected responses,
/// 4xx/5xx are API errors (their body parsed when it is JSON).
fn check_status(operation: OperationKind, response: &HttpResponse) -> Result<(), Error> {
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    if status.is_redirection() {
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(|l| format!("to {l}"));
        return Err(response_error(
            operation,
            ResponseErrorKind::Redirect,
            response,
            location,
        ));
    }
    if status.is_informational() {
        return Err(response_error(
            operation,
            ResponseErrorKind::UnexpectedStatus,
            response,
            None,
        ));
    }
    let envelope = serde_json::from_slice::<Envelope<'_>>(response.body()).ok();
    Err(api_error(operation, response, envelope.as_ref()))
}

/// Decodes a 2xx JSON body into the envelope, or says what was wrong with it.
fn decode(operation: OperationKind, response: &HttpResponse) -> Result<Envelope<'_>, Error> {
    let body = response.body();
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(response_error(
            operation,
            ResponseErrorKind::Empty,
            response,
            None,
        ));
    }
    match serde_json::from_slice::<Envelope<'_>>(body) {
        Ok(envelope) => Ok(envelope),
        Err(e) if e.is_eof() => Err(response_error(
            operation,
            ResponseErrorKind::Truncated,
            response,
            Some(e.to_string()),
        )),
        Err(e) if e.is_data() => Err(response_error(
            operation,
            ResponseErrorKind::WrongShape,
            response,
            Some(e.to_string()),
        )),
        Err(e) => Err(response_error(
            operation,
            ResponseErrorKind::NotJson,
            response,
            Some(e.to_string()),
        )),
    }
}

fn parse_envelope(
    operation: OperationKind,
    response: &HttpResponse,
) -> Result<Envelope<'_>, Error> {
    check_status(operation, response)?;
    let envelope = decode(operation, response)?;
    if envelope.result.is_none() {
        return Err(response_error(
            operation,
            ResponseErrorKind::WrongShape,
            response,
            Some("no `result` field".to_owned()),
        ));
    }
    if !envelope.is_success() {
        return Err(api_error(operation, response, Some(&envelope)));
    }
    Ok(envelope)
}

/// Checks that `response` reports success (`{"result": "success", …}` with a 2xx status).
///
/// # Errors
/// [`Error::Api`] or [`Error::Response`], as described on [`Error`].
pub fn parse_success(operation: OperationKind, response: &HttpResponse) -> Result<(), Error> {
    parse_envelope(operation, response).map(drop)
}

/// Parses a create response into the entry it created.
///
/// # Errors
/// As [`parse_success`], plus [`ResponseErrorKind::MissingField`] when `account_id`,
/// `qr_image` or `short_url` is absent.
pub fn parse_created(
    operation: OperationKind,
    response: &HttpResponse,
) -> Result<CreatedAccount, Error> {
    let envelope = parse_envelope(operation, response)?;
    let missing = |field: &str| {
        response_error(
            operation,
            ResponseErrorKind::MissingField,
            response,
            Some(format!("`{field}` is missing")),
        )
    };
    let account_id = envelope
        .account_id
        .as_ref()
        .and_then(scalar_text)
        .ok_or_else(|| missing("account_id"))?;
    let text = |value: &Option<Cow<'_, str>>, field: &str| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| missing(field))
    };
    Ok(CreatedAccount {
        account_id,
        qr_image: text(&envelope.qr_image, "qr_image")?,
        short_url: text(&envelope.short_url, "short_url")?,
    })
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Accepts a 2xx response whose content type is `image/*` (or, with no content type, whose
/// body is a PNG) and returns the image bytes.
///
/// # Errors
/// As [`parse_success`] for the status; [`ResponseErrorKind::NotImage`] or
/// [`ResponseErrorKind::Empty`] for a body that is not an image.
pub fn parse_image(operation: OperationKind, response: &HttpResponse) -> Result<Vec<u8>, Error> {
    check_status(operation, response)?;
    if response.body().is_empty() {
        return Err(response_error(
            operation,
            ResponseErrorKind::Empty,
            response,
            None,
        ));
    }
    let declared = content_type(response.headers());
    let is_image = match declared.as_deref() {
        Some(ct) => ct.trim().to_ascii_lowercase().starts_with("image/"),
        None => response.body().starts_with(PNG_MAGIC),
    };
    if is_image {
        Ok(response.body().clone())
    } else {
        Err(response_error(
            operation,
            ResponseErrorKind::NotImage,
            response,
            None,
        ))
    }
}

/// Whether a status is one a server sends before doing any work (408, 429, 503).
#[must_use]
pub fn is_refusal(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 503)
}

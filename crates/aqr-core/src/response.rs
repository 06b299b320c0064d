//! Lenient response parsing: every shape a failure can take becomes a typed error.
//! Private to the crate: users reach it through the operations' `parse_response`.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, header};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{ApiError, Error, ResponseError, ResponseErrorKind, body_snippet};
use crate::validate;
use crate::vocabulary::{CreatedAccount, HttpResponse, OperationKind};

/// Keys under which servers put a failure message, in order of preference.
const MESSAGE_KEYS: [&str; 6] = [
    "message",
    "msg",
    "error",
    "error_message",
    "reason",
    "detail",
];

/// Keys under which servers put a failure code, in order of preference.
const CODE_KEYS: [&str; 2] = ["code", "error_code"];

/// The JSON envelope of a success response. Unknown fields are ignored; failure details
/// are read from the whole object by [`FailureDetails`].
#[derive(Deserialize, Default)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    result: Option<Cow<'a, str>>,
    /// Kept as written: a numeric id must stay exact (`12345678901234567890123` is not an
    /// `f64`).
    #[serde(borrow, default)]
    account_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    qr_image: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    short_url: Option<Cow<'a, str>>,
}

impl Envelope<'_> {
    fn is_success(&self) -> bool {
        self.result
            .as_deref()
            .is_some_and(|r| r.trim().eq_ignore_ascii_case("success"))
    }
}

/// The message and code of a failure body, when it is a JSON object.
#[derive(Default)]
struct FailureDetails {
    result: Option<String>,
    message: Option<String>,
    code: Option<String>,
}

impl FailureDetails {
    fn of(body: &[u8]) -> Self {
        let Ok(object) = serde_json::from_slice::<Map<String, Value>>(body) else {
            return FailureDetails::default();
        };
        FailureDetails {
            result: object
                .get("result")
                .and_then(Value::as_str)
                .map(str::to_owned),
            message: message_in(&object),
            code: CODE_KEYS
                .iter()
                .find_map(|k| object.get(*k).and_then(scalar_text)),
        }
    }
}

/// The first message under one of [`MESSAGE_KEYS`].
fn message_in(object: &Map<String, Value>) -> Option<String> {
    MESSAGE_KEYS
        .iter()
        .find_map(|k| object.get(*k).and_then(message_text))
}

/// A message from a string, or from an object's own `message`/`msg`/… key.
fn message_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Object(map) => message_in(map),
        _ => None,
    }
}

/// A string or number as text (codes may come as either).
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An id as the server wrote it: a string's contents, or a number's exact digits.
fn raw_id(raw: &RawValue) -> Option<String> {
    let text = raw.get().trim();
    if text.starts_with('"') {
        serde_json::from_str::<String>(text)
            .ok()
            .map(|s| s.trim().to_owned())
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Some(text.to_owned())
    } else {
        None
    }
}

/// `Retry-After` as delta-seconds (decimals allowed) or `retry-after-ms`. The HTTP-date
/// form is [`retry_at`]; the client turns it into a wait when it decides. A value too
/// large to represent is [`Duration::MAX`]: longer than any policy honours.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let parse = |name: &str, scale: f64| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| !v.is_nan() && *v >= 0.0)
            .map(|v| Duration::try_from_secs_f64(v / scale).unwrap_or(Duration::MAX))
    };
    parse("retry-after-ms", 1000.0).or_else(|| parse("retry-after", 1.0))
}

/// `Retry-After` given as an HTTP-date (IMF-fixdate), if it is one.
fn retry_at(headers: &HeaderMap) -> Option<SystemTime> {
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
    Error::Response(ResponseError::for_response(
        operation, kind, response, detail,
    ))
}

fn api_error(operation: OperationKind, response: &HttpResponse) -> Error {
    let details = FailureDetails::of(response.body());
    Error::from(ApiError {
        operation,
        status: response.status().as_u16(),
        result: details.result,
        code: details.code,
        message: details.message,
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
    Err(api_error(operation, response))
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
        return Err(api_error(operation, response));
    }
    Ok(envelope)
}

/// Checks that `response` reports success (`{"result": "success", …}` with a 2xx status).
pub(crate) fn parse_success(
    operation: OperationKind,
    response: &HttpResponse,
) -> Result<(), Error> {
    parse_envelope(operation, response).map(drop)
}

/// Parses a create response into the entry it created: [`ResponseErrorKind::MissingField`]
/// when `account_id`, `qr_image` or `short_url` is absent, [`ResponseErrorKind::InvalidField`]
/// when the `account_id` is one that `delete` would refuse.
pub(crate) fn parse_created(
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
        .and_then(raw_id)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| missing("account_id"))?;
    let account_id = validate::account_id(&account_id).map_err(|rule| {
        response_error(
            operation,
            ResponseErrorKind::InvalidField,
            response,
            Some(format!("`account_id` {}", rule.rule())),
        )
    })?;
    let text = |value: &Option<Cow<'_, str>>, field: &str| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| missing(field))
    };
    Ok(CreatedAccount::new(
        account_id,
        text(&envelope.qr_image, "qr_image")?,
        text(&envelope.short_url, "short_url")?,
    ))
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Accepts a 2xx response whose content type is `image/*` (or, with no content type, whose
/// body is a PNG) and returns the image bytes; [`ResponseErrorKind::NotImage`] or
/// [`ResponseErrorKind::Empty`] for a body that is not an image.
pub(crate) fn parse_image(
    operation: OperationKind,
    response: &HttpResponse,
) -> Result<Vec<u8>, Error> {
    check_status(operation, response)?;
    if response.body().is_empty() {
        return Err(response_error(
            operation,
            ResponseErrorKind::Empty,
            response,
            None,
        ));
    }
    let declared = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let is_image = match declared {
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

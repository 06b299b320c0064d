//! Maps [`aqr_core::Error`] to the exception classes defined in `aqr/_errors.py`.
//!
//! The classes live in Python (so that they can also derive from `ValueError`,
//! `ConnectionError` and `TimeoutError`); they are imported once per interpreter and
//! instantiated with keyword arguments carrying the error's details. Messages are the
//! core's report (its message and causes), which never contains the developer token and
//! escapes control characters of server text; validation messages name the Python
//! argument (`bank`, `token`). An `io::Error` under a transport failure becomes the
//! exception's `__cause__` as the matching `OSError` (`ConnectionRefusedError`, …) and
//! gives it `errno` / `strerror`; without one, the HTTP library's own words become the
//! cause (`TimeoutError`, `ConnectionError` or `OSError`). The message of a transport
//! failure is the SDK's own summary, worded the same by both clients.

use std::io;

use aqr_core::{Error, Field, Rule, TransportErrorKind, ValidationError};
use pyo3::exceptions::{PyConnectionError, PyOSError, PyRuntimeError, PyTimeoutError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

/// The Python module defining the exception classes.
const ERRORS_MODULE: &str = "aqr._errors";

/// One exception class, imported on first use.
struct ErrorClass {
    name: &'static str,
    cell: PyOnceLock<Py<PyType>>,
}

impl ErrorClass {
    const fn new(name: &'static str) -> Self {
        ErrorClass {
            name,
            cell: PyOnceLock::new(),
        }
    }

    fn get<'py>(&self, py: Python<'py>) -> PyResult<&Bound<'py, PyType>> {
        self.cell.import(py, ERRORS_MODULE, self.name)
    }
}

static AQR: ErrorClass = ErrorClass::new("AqrError");
static INVALID_REQUEST: ErrorClass = ErrorClass::new("InvalidRequestError");
static API: ErrorClass = ErrorClass::new("ApiError");
static RESPONSE: ErrorClass = ErrorClass::new("ResponseError");
static TRANSPORT: ErrorClass = ErrorClass::new("TransportError");
static CONNECT: ErrorClass = ErrorClass::new("ConnectError");
static TIMEOUT: ErrorClass = ErrorClass::new("RequestTimeoutError");
static CONNECT_TIMEOUT: ErrorClass = ErrorClass::new("ConnectTimeoutError");
static TLS: ErrorClass = ErrorClass::new("TLSError");

/// Converts a core error into the matching Python exception.
pub fn to_py_err(py: Python<'_>, error: &Error) -> PyErr {
    build(py, error).unwrap_or_else(|failure| failure)
}

/// Converts a validation error (raised before any I/O) into `InvalidRequestError`.
pub fn invalid_to_py_err(py: Python<'_>, error: &ValidationError) -> PyErr {
    to_py_err(py, &Error::Invalid(error.clone()))
}

/// An `InvalidRequestError` for a rule only the binding knows (`timeout=None`, a connect
/// limit given to one call), with its message.
pub fn invalid_argument(py: Python<'_>, field: &str, rule: &str, message: &str) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("field", field)?;
        kwargs.set_item("rule", rule)?;
        let instance = INVALID_REQUEST.get(py)?.call((message,), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    make().unwrap_or_else(|failure| failure)
}

/// A plain `AqrError` of a `create_many` row that was not sent (`outcome_unknown`: an
/// earlier run's create of it may have happened).
pub fn plain_error(py: Python<'_>, message: &str, outcome_unknown: bool) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("may_have_been_processed", outcome_unknown)?;
        kwargs.set_item("outcome_unknown", outcome_unknown)?;
        kwargs.set_item("operation", "create")?;
        let instance = AQR.get(py)?.call((message,), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    make().unwrap_or_else(|failure| failure)
}

fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("may_have_been_processed", error.may_have_been_processed())?;
    kwargs.set_item("outcome_unknown", error.is_outcome_unknown())?;
    kwargs.set_item("attempts", error.attempts())?;
    kwargs.set_item(
        "operation",
        error.operation().map(aqr_core::OperationKind::name),
    )?;
    let mut message = error.report();
    let mut cause = None;
    let class = match error {
        Error::Invalid(invalid) => {
            message = invalid_message(invalid);
            kwargs.set_item("field", invalid.field().name())?;
            kwargs.set_item("rule", invalid.rule().code())?;
            INVALID_REQUEST.get(py)?
        }
        Error::Api(api) => {
            kwargs.set_item("status", api.status)?;
            kwargs.set_item("code", api.code.as_deref())?;
            kwargs.set_item("server_message", api.message.as_deref())?;
            kwargs.set_item("result", api.result.as_deref())?;
            kwargs.set_item("body", api.body.as_str())?;
            kwargs.set_item("retry_after", api.retry_after.map(|d| d.as_secs_f64()))?;
            kwargs.set_item("after_ambiguous_attempt", api.after_ambiguous_attempt)?;
            API.get(py)?
        }
        Error::Response(response) => {
            kwargs.set_item("status", response.status)?;
            kwargs.set_item("kind", response.kind.code())?;
            kwargs.set_item("content_type", response.content_type.as_deref())?;
            kwargs.set_item("detail", response.detail.as_deref())?;
            kwargs.set_item("body", response.body.as_str())?;
            RESPONSE.get(py)?
        }
        Error::Transport(transport) => {
            kwargs.set_item("kind", transport.kind().code())?;
            if let Some(limit) = transport.timeout_limit() {
                kwargs.set_item("timeout_limit", limit.limit.name())?;
                kwargs.set_item("timeout_seconds", limit.after.as_secs_f64())?;
            }
            // The message is the SDK's own, worded the same by both clients; what the
            // HTTP library said (each words it its own way) is the cause.
            message = error.to_string();
            cause = match io_cause(transport) {
                Some(io) => Some(os_error(py, io)),
                None => library_cause(error, &message),
            };
            match (error.is_connect(), error.is_timeout(), transport.kind()) {
                (true, true, _) => CONNECT_TIMEOUT.get(py)?,
                (true, false, _) => CONNECT.get(py)?,
                (false, true, _) => TIMEOUT.get(py)?,
                (_, _, TransportErrorKind::Tls) => TLS.get(py)?,
                _ => TRANSPORT.get(py)?,
            }
        }
        // `Error` is non-exhaustive: a future kind still surfaces, as a plain RuntimeError.
        _ => return Ok(PyRuntimeError::new_err(message)),
    };
    let instance = class.call((message,), Some(&kwargs))?;
    if let Some(cause) = cause {
        let cause = cause.value(py);
        if let (Ok(errno), Ok(strerror)) = (cause.getattr("errno"), cause.getattr("strerror")) {
            instance.setattr("errno", errno)?;
            instance.setattr("strerror", strerror)?;
        }
        instance.setattr("__cause__", cause)?;
    }
    Ok(PyErr::from_value(instance))
}

/// The message of a validation error, naming the Python argument.
fn invalid_message(invalid: &ValidationError) -> String {
    let argument = python_argument(invalid.field());
    match (invalid.field(), invalid.rule()) {
        (_, Rule::NotSet { env }) => {
            format!("{argument} is required: pass {argument}=... or set {env}")
        }
        (Field::AccountName, Rule::Required) => format!(
            "invalid {argument}: must not be empty (it is optional: leave it out or pass None)"
        ),
        (_, rule) => format!("invalid {argument}: {rule}"),
    }
}

/// The keyword argument that carries a field (`developer_token` is `token=`, `bank_id`
/// is `bank=`).
pub fn python_argument(field: Field) -> &'static str {
    match field {
        Field::DeveloperToken => "token",
        Field::EmailAddress => "email",
        Field::BankId => "bank",
        Field::QrImageUrl => "url_or_created_account",
        other => other.name(),
    }
}

/// The HTTP library's own words for a failure without an OS error, as a builtin
/// exception: `TimeoutError` for a timeout, `ConnectionError` for a connect failure,
/// `OSError` else.
fn library_cause(error: &Error, message: &str) -> Option<PyErr> {
    let report = error.report();
    let text = report.strip_prefix(message)?.trim_start_matches(": ");
    if text.is_empty() {
        return None;
    }
    let text = text.to_owned();
    Some(if error.is_timeout() {
        PyTimeoutError::new_err(text)
    } else if error.is_connect() {
        PyConnectionError::new_err(text)
    } else {
        PyOSError::new_err(text)
    })
}

/// The first `io::Error` among the causes of a transport failure (ureq's error holds
/// one without exposing it as its `source`).
fn io_cause(transport: &aqr_core::TransportError) -> Option<&io::Error> {
    let mut source = std::error::Error::source(transport);
    while let Some(error) = source {
        if let Some(io) = error.downcast_ref::<io::Error>() {
            return Some(io);
        }
        if let Some(aqr_ureq::ureq::Error::Io(io)) = error.downcast_ref::<aqr_ureq::ureq::Error>() {
            return Some(io);
        }
        source = error.source();
    }
    None
}

/// The `OSError` Python raises for `io` (`ConnectionRefusedError` for `ECONNREFUSED`, …):
/// from its OS error number, or from its kind when it has none.
fn os_error(py: Python<'_>, io: &io::Error) -> PyErr {
    let text = io
        .get_ref()
        .map_or_else(|| kind_text(io), ToString::to_string);
    let errno = io.raw_os_error().map(i64::from).or_else(|| {
        let name = errno_name(io.kind())?;
        py.import("errno").ok()?.getattr(name).ok()?.extract().ok()
    });
    match errno {
        Some(errno) => PyOSError::new_err((errno, strerror(py, errno).unwrap_or(text))),
        None => PyOSError::new_err(text),
    }
}

fn kind_text(io: &io::Error) -> String {
    let text = io.to_string();
    // `Connection refused (os error 111)`: the number is in `errno` already.
    match text.find(" (os error ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// `os.strerror(errno)`.
fn strerror(py: Python<'_>, errno: i64) -> Option<String> {
    py.import("os")
        .ok()?
        .call_method1("strerror", (errno,))
        .ok()?
        .extract()
        .ok()
}

/// The `errno` name of an I/O error kind that has one.
fn errno_name(kind: io::ErrorKind) -> Option<&'static str> {
    Some(match kind {
        io::ErrorKind::ConnectionRefused => "ECONNREFUSED",
        io::ErrorKind::ConnectionReset => "ECONNRESET",
        io::ErrorKind::ConnectionAborted => "ECONNABORTED",
        io::ErrorKind::TimedOut => "ETIMEDOUT",
        io::ErrorKind::BrokenPipe => "EPIPE",
        io::ErrorKind::NotConnected => "ENOTCONN",
        io::ErrorKind::AddrNotAvailable => "EADDRNOTAVAIL",
        io::ErrorKind::HostUnreachable => "EHOSTUNREACH",
        io::ErrorKind::NetworkUnreachable => "ENETUNREACH",
        _ => return None,
    })
}

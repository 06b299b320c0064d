//! Maps [`aqr_core::Error`] to the exception classes defined in `aqr/_errors.py`.
//!
//! The classes live in Python (so that they can also derive from `ValueError`,
//! `ConnectionError` and `TimeoutError`); they are imported once per interpreter and
//! instantiated with keyword arguments carrying the error's details. Messages are the
//! core's `Display`, which never contains the developer token.

use aqr_core::{Error, Field, Rule, ValidationError};
use pyo3::exceptions::PyRuntimeError;
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

static INVALID_REQUEST: ErrorClass = ErrorClass::new("InvalidRequestError");
static API: ErrorClass = ErrorClass::new("ApiError");
static RESPONSE: ErrorClass = ErrorClass::new("ResponseError");
static TRANSPORT: ErrorClass = ErrorClass::new("TransportError");
static CONNECT: ErrorClass = ErrorClass::new("ConnectError");
static TIMEOUT: ErrorClass = ErrorClass::new("RequestTimeoutError");

/// Converts a core error into the matching Python exception.
pub fn to_py_err(py: Python<'_>, error: &Error) -> PyErr {
    build(py, error).unwrap_or_else(|failure| failure)
}

/// Converts a validation error (raised before any I/O) into `InvalidRequestError`.
pub fn invalid_to_py_err(py: Python<'_>, error: &ValidationError) -> PyErr {
    to_py_err(py, &Error::Invalid(error.clone()))
}

fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("may_have_reached_server", error.may_have_been_processed())?;
    kwargs.set_item("outcome_unknown", error.is_outcome_unknown())?;
    kwargs.set_item("attempts", error.attempts())?;
    kwargs.set_item("operation", error.operation().map(|op| op.name()))?;
    let mut message = error.report();
    if let Error::Invalid(invalid) = error
        && let Rule::NotSet { env } = invalid.rule()
    {
        let argument = python_argument(invalid.field());
        message = format!("{argument} is required: pass {argument}=... or set {env}");
    }
    let class = match error {
        Error::Invalid(invalid) => {
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
            if error.is_connect() {
                CONNECT.get(py)?
            } else if error.is_timeout() {
                TIMEOUT.get(py)?
            } else {
                TRANSPORT.get(py)?
            }
        }
        // `Error` is non-exhaustive: a future kind still surfaces, as a plain RuntimeError.
        _ => return Ok(PyRuntimeError::new_err(message)),
    };
    let instance = class.call((message,), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// The keyword argument that carries a setting (`developer_token` is `token=`).
fn python_argument(field: Field) -> &'static str {
    match field {
        Field::DeveloperToken => "token",
        Field::EmailAddress => "email",
        other => other.name(),
    }
}

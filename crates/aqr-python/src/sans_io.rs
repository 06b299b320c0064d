//! Sans-I/O functions for users who bring their own HTTP library: build a request
//! (method, URL, headers, body) and parse a response (status, headers, body). All the
//! logic is aqr-core's.

use aqr_core::{
    CreateRequest, DeleteRequest, HttpRequest, HttpResponse, Operation, QrImageRequest,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::account::CreatedAccount;
use crate::errors::{invalid_to_py_err, to_py_err};
use crate::new_account::new_account;
use crate::options::GivenOptions;

/// An HTTP request ready to send: `method`, `url`, `headers` and `body`.
///
/// `repr` shows the method and URL only; the headers carry the developer token.
#[pyclass(frozen, module = "aqr", name = "PreparedRequest")]
pub struct PreparedRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

#[pymethods]
impl PreparedRequest {
    /// `"POST"`.
    #[getter]
    fn method(&self) -> &str {
        &self.method
    }

    /// The endpoint URL.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// The headers to send (a new dict on each access).
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in &self.headers {
            dict.set_item(name, value)?;
        }
        Ok(dict)
    }

    /// The form-urlencoded body.
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.body)
    }

    fn __repr__(&self) -> String {
        format!(
            "PreparedRequest(method={:?}, url={:?})",
            self.method, self.url
        )
    }
}

impl PreparedRequest {
    fn from_http(request: &HttpRequest) -> Self {
        PreparedRequest {
            method: request.method().as_str().to_owned(),
            url: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: request.body().clone(),
        }
    }
}

/// Builds the request that creates an entry.
///
/// # Errors
/// `InvalidRequestError` naming the field, before anything is built.
#[pyfunction]
#[pyo3(signature = (*, account_number, bank, account_owner, phone_number, account_name=None,
                    token=None, email=None, base_url=None, dialect=None))]
#[allow(clippy::too_many_arguments)]
pub fn build_create_request(
    py: Python<'_>,
    account_number: &Bound<'_, PyAny>,
    bank: &Bound<'_, PyAny>,
    account_owner: &Bound<'_, PyAny>,
    phone_number: &Bound<'_, PyAny>,
    account_name: Option<&Bound<'_, PyAny>>,
    token: Option<String>,
    email: Option<String>,
    base_url: Option<String>,
    dialect: Option<String>,
) -> PyResult<PreparedRequest> {
    let config = GivenOptions::credentials(token, email, base_url, dialect)
        .settings(py)?
        .config;
    let account = new_account(
        account_number,
        bank,
        account_owner,
        phone_number,
        account_name,
    )?;
    let operation: CreateRequest = account.validate().map_err(|e| invalid_to_py_err(py, &e))?;
    let request = operation.to_http(&config).map_err(|e| to_py_err(py, &e))?;
    Ok(PreparedRequest::from_http(&request))
}

/// Builds the request that deletes an entry.
///
/// # Errors
/// `InvalidRequestError` naming the field, before anything is built.
#[pyfunction]
#[pyo3(signature = (account_id, *, token=None, email=None, base_url=None, dialect=None))]
pub fn build_delete_request(
    py: Python<'_>,
    account_id: &str,
    token: Option<String>,
    email: Option<String>,
    base_url: Option<String>,
    dialect: Option<String>,
) -> PyResult<PreparedRequest> {
    let config = GivenOptions::credentials(token, email, base_url, dialect)
        .settings(py)?
        .config;
    let operation = DeleteRequest::new(account_id).map_err(|e| invalid_to_py_err(py, &e))?;
    let request = operation.to_http(&config).map_err(|e| to_py_err(py, &e))?;
    Ok(PreparedRequest::from_http(&request))
}

/// Interprets the response to a create request.
///
/// # Errors
/// `ApiError` when the server reported a failure, `ResponseError` when the response
/// cannot be interpreted, `ValueError` for an impossible status or header.
#[pyfunction]
#[pyo3(signature = (status, headers, body))]
pub fn parse_create_response(
    py: Python<'_>,
    status: u16,
    headers: &Bound<'_, PyAny>,
    body: Vec<u8>,
) -> PyResult<CreatedAccount> {
    let response = to_http_response(status, headers, body)?;
    py.detach(|| CreateRequest::parse_response(&response))
        .map(CreatedAccount::from)
        .map_err(|e| to_py_err(py, &e))
}

/// Interprets the response to a delete request; returns `None` on success.
///
/// # Errors
/// As [`parse_create_response`].
#[pyfunction]
#[pyo3(signature = (status, headers, body))]
pub fn parse_delete_response(
    py: Python<'_>,
    status: u16,
    headers: &Bound<'_, PyAny>,
    body: Vec<u8>,
) -> PyResult<()> {
    let response = to_http_response(status, headers, body)?;
    py.detach(|| DeleteRequest::parse_response(&response))
        .map_err(|e| to_py_err(py, &e))
}

/// Interprets the response to a QR image download; returns the image bytes.
///
/// # Errors
/// As [`parse_create_response`] (`ResponseError` with kind `not_image` for a non-image).
#[pyfunction]
#[pyo3(signature = (status, headers, body))]
pub fn parse_qr_image_response<'py>(
    py: Python<'py>,
    status: u16,
    headers: &Bound<'py, PyAny>,
    body: Vec<u8>,
) -> PyResult<Bound<'py, PyBytes>> {
    let response = to_http_response(status, headers, body)?;
    py.detach(|| QrImageRequest::parse_response(&response))
        .map(|image| PyBytes::new(py, &image))
        .map_err(|e| to_py_err(py, &e))
}

/// A response from a status, a mapping (or iterable of pairs) of headers and a body.
fn to_http_response(
    status: u16,
    headers: &Bound<'_, PyAny>,
    body: Vec<u8>,
) -> PyResult<HttpResponse> {
    let mut builder = http::Response::builder().status(
        http::StatusCode::from_u16(status)
            .map_err(|_| PyValueError::new_err(format!("invalid HTTP status {status}")))?,
    );
    let pairs = if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    for pair in pairs.try_iter()? {
        let (name, value): (Bound<'_, PyString>, Bound<'_, PyString>) = pair?.extract()?;
        let name = http::HeaderName::try_from(name.to_str()?)
            .map_err(|_| PyValueError::new_err("invalid header name"))?;
        let value = http::HeaderValue::try_from(value.to_str()?)
            .map_err(|_| PyValueError::new_err(format!("invalid value for header {name}")))?;
        builder = builder.header(name, value);
    }
    builder
        .body(body)
        .map_err(|e| PyValueError::new_err(format!("invalid response: {e}")))
}

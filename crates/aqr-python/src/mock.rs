//! The native half of `aqr.testing.MockServer`: the Rust mock (`aqr_mock`) served on a
//! free loopback port by its own thread and runtime. Records and faults cross the
//! boundary as JSON (the contract's serde form); `aqr/testing.py` decodes them.

use std::sync::Mutex;

use aqr_mock::{Credential, Fault, MockOptions, TlsCertificate};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyString};

/// A running mock server; use `aqr.testing.MockServer`.
#[pyclass(frozen, module = "aqr._aqr", name = "MockServer")]
pub struct MockServer {
    server: Mutex<Option<aqr_mock::MockServer>>,
    url: String,
    port: u16,
    token: String,
    email: String,
    /// The CA to trust (PEM) and its file, when serving HTTPS with a generated CA.
    ca: Option<(String, String)>,
}

#[pymethods]
impl MockServer {
    #[new]
    #[pyo3(signature = (*, token=None, email=None, failures_as_200=false, tls=None))]
    fn py_new(
        py: Python<'_>,
        token: Option<String>,
        email: Option<String>,
        failures_as_200: bool,
        tls: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut options = MockOptions {
            failures_as_200,
            tls: tls_setting(tls)?,
            ..MockOptions::default()
        };
        if token.is_some() || email.is_some() {
            options.credentials = vec![Credential {
                token: token.unwrap_or_else(|| aqr_mock::DEFAULT_TOKEN.to_owned()),
                email: email.unwrap_or_else(|| aqr_mock::DEFAULT_EMAIL.to_owned()),
            }];
        }
        let server = py
            .detach(|| aqr_mock::MockServer::start(options))
            .map_err(|e| PyOSError::new_err(format!("could not start the AQR mock: {e}")))?;
        let ca = server
            .ca_pem()
            .zip(server.ca_file())
            .map(|(pem, file)| (pem.to_owned(), file.display().to_string()));
        Ok(MockServer {
            ca,
            url: server.url(),
            port: server.port(),
            token: server.token().to_owned(),
            email: server.email().to_owned(),
            server: Mutex::new(Some(server)),
        })
    }

    /// The CA certificate (PEM) to trust, when serving HTTPS with a generated CA.
    #[getter]
    fn ca_pem(&self) -> Option<&str> {
        self.ca.as_ref().map(|(pem, _)| pem.as_str())
    }

    /// A file holding `ca_pem` (removed when the server stops).
    #[getter]
    fn ca_file(&self) -> Option<&str> {
        self.ca.as_ref().map(|(_, file)| file.as_str())
    }

    /// `http://127.0.0.1:PORT` (`https://` with `tls`).
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// The port.
    #[getter]
    fn port(&self) -> u16 {
        self.port
    }

    /// The accepted developer token.
    #[getter]
    fn token(&self) -> &str {
        &self.token
    }

    /// The accepted e-mail address.
    #[getter]
    fn email(&self) -> &str {
        &self.email
    }

    /// The request log as a JSON array.
    fn requests_json(&self) -> PyResult<String> {
        self.with(|server| serde_json::to_string(&server.requests()))?
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Empties the request log.
    fn clear_requests(&self) -> PyResult<()> {
        self.with(aqr_mock::MockServer::clear_requests)
    }

    /// Injects one fault given as JSON.
    fn push_fault_json(&self, fault: &str) -> PyResult<()> {
        let fault: Fault = serde_json::from_str(fault)
            .map_err(|e| PyValueError::new_err(format!("not a valid mock fault: {e}")))?;
        self.with(|server| server.push_fault(fault))?
            .map_err(|e| PyValueError::new_err(format!("not a valid mock fault: {e}")))
    }

    /// Removes every fault.
    fn clear_faults(&self) -> PyResult<()> {
        self.with(aqr_mock::MockServer::clear_faults)
    }

    /// The live entries as a JSON array.
    fn entries_json(&self) -> PyResult<String> {
        self.with(|server| serde_json::to_string(&server.entries()))?
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Stops the server (idempotent).
    fn close(&self, py: Python<'_>) {
        let server = self.server.lock().ok().and_then(|mut slot| slot.take());
        if let Some(server) = server {
            py.detach(|| server.shutdown());
        }
    }
}

/// The `tls=` argument: `True` (a certificate signed by a generated CA), `"expired"` or
/// `"wrong_host"` (hostile certificates, to test how a client fails), or `None`/`False`.
fn tls_setting(tls: Option<&Bound<'_, PyAny>>) -> PyResult<Option<TlsCertificate>> {
    let Some(tls) = tls.filter(|t| !t.is_none()) else {
        return Ok(None);
    };
    if let Ok(flag) = tls.cast::<PyBool>() {
        return Ok(flag.is_true().then_some(TlsCertificate::Generated));
    }
    if let Ok(kind) = tls.cast::<PyString>() {
        return match kind.to_str()? {
            "expired" => Ok(Some(TlsCertificate::Expired)),
            "wrong_host" => Ok(Some(TlsCertificate::WrongHost)),
            other => Err(PyValueError::new_err(format!(
                "tls must be True, False, \"expired\" or \"wrong_host\", not {other:?}"
            ))),
        };
    }
    Err(crate::arguments::wrong_type(tls, "tls", "a bool or a str"))
}

impl MockServer {
    fn with<T>(&self, f: impl FnOnce(&aqr_mock::MockServer) -> T) -> PyResult<T> {
        let slot = self
            .server
            .lock()
            .map_err(|_| PyRuntimeError::new_err("the AQR mock is unusable"))?;
        slot.as_ref()
            .map(f)
            .ok_or_else(|| PyRuntimeError::new_err("the AQR mock is closed"))
    }
}

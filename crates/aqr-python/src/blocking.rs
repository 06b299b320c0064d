//! `aqr.Client`: the blocking client on the ureq path.
//!
//! Arguments are copied into owned Rust values, then the whole call — validation,
//! encoding, I/O, retries and parsing — runs inside `py.detach`, so other Python threads
//! run meanwhile. One client may be shared by many threads (ureq pools connections).

use std::sync::Arc;

use aqr_core::{Error, NewAccount};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

use crate::account::CreatedAccount;
use crate::bank::BankArg;
use crate::errors::to_py_err;
use crate::options::ClientArgs;
use crate::slot::ClientSlot;
use crate::target::QrTarget;

/// The blocking AQR client: `create`, `delete`, `qr_image`.
#[pyclass(frozen, module = "aqr", name = "Client")]
pub struct Client {
    slot: ClientSlot<aqr_ureq::Client>,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (*, token=None, email=None, base_url=None, timeout=None,
                        connect_timeout=None, deadline=None, max_retries=None,
                        retry_backoff=None, dialect=None, proxy=None, ca_bundle=None))]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        py: Python<'_>,
        token: Option<String>,
        email: Option<String>,
        base_url: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        retry_backoff: Option<f64>,
        dialect: Option<String>,
        proxy: Option<String>,
        ca_bundle: Option<String>,
    ) -> PyResult<Self> {
        let args = ClientArgs {
            token,
            email,
            base_url,
            dialect,
            timeout,
            connect_timeout,
            deadline,
            max_retries,
            retry_backoff,
            proxy,
            ca_bundle,
        };
        Ok(Client {
            slot: ClientSlot::new(py, args.settings(py)?)?,
        })
    }

    /// Creates an entry and returns it.
    #[pyo3(signature = (*, account_number, bank, account_owner, phone_number, account_name=None))]
    fn create(
        &self,
        py: Python<'_>,
        account_number: String,
        bank: &Bound<'_, PyAny>,
        account_owner: String,
        phone_number: String,
        account_name: Option<String>,
    ) -> PyResult<CreatedAccount> {
        let bank = BankArg::extract(bank)?;
        let client = self.client()?;
        let result: Result<aqr_core::CreatedAccount, Error> = py.detach(move || {
            let mut account =
                NewAccount::new(account_number, bank.resolve()?, account_owner, phone_number);
            account.account_name = account_name;
            client.create(&account)
        });
        result
            .map(CreatedAccount::from)
            .map_err(|e| to_py_err(py, &e))
    }

    /// Deletes an entry.
    fn delete(&self, py: Python<'_>, account_id: String) -> PyResult<()> {
        let client = self.client()?;
        py.detach(move || client.delete(&account_id))
            .map_err(|e| to_py_err(py, &e))
    }

    /// Downloads the PNG QR image of a created entry (or of a `qr_image` URL).
    fn qr_image<'py>(
        &self,
        py: Python<'py>,
        url_or_created_account: QrTarget,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let client = self.client()?;
        let url = url_or_created_account.into_url();
        py.detach(move || client.qr_image(&url))
            .map(|image| PyBytes::new(py, &image))
            .map_err(|e| to_py_err(py, &e))
    }

    /// Releases the connection pool; later calls raise `RuntimeError`.
    fn close(&self) {
        self.slot.close();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc_info))]
    fn __exit__(&self, _exc_info: &Bound<'_, PyTuple>) {
        self.close();
    }

    /// The developer's e-mail address.
    #[getter]
    fn email(&self) -> &str {
        self.slot.email()
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> &str {
        self.slot.base_url()
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.slot.closed()
    }

    fn __repr__(&self) -> String {
        format!(
            "aqr.Client(email={:?}, base_url={:?})",
            self.slot.email(),
            self.slot.base_url()
        )
    }
}

impl Client {
    fn client(&self) -> PyResult<Arc<aqr_ureq::Client>> {
        self.slot.get("aqr.Client")
    }
}

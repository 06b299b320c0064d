//! The native half of `aqr.Client`: the blocking client on the ureq path.
//!
//! Arguments are copied into owned Rust values, then the whole call — validation,
//! encoding, I/O, retries and parsing — runs with the GIL released, so other Python
//! threads run meanwhile; on the main thread Ctrl-C interrupts it ([`crate::interrupt`]).
//! One client may be shared by many threads (ureq pools connections).

use std::sync::Arc;

use aqr_core::{Operation, OperationKind};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::account::CreatedAccount;
use crate::arguments::text;
use crate::bulk;
use crate::errors::{invalid_to_py_err, to_py_err};
use crate::interrupt;
use crate::ledger::Ledger;
use crate::new_account::new_account;
use crate::options::{GivenOptions, Scope};
use crate::qr_url::QrImageUrl;
use crate::slot::{ClientSettings, ClientSlot};

/// The class name in errors.
const CLASS: &str = "aqr.Client";

/// The native blocking client; use `aqr.Client`, which wraps it.
#[pyclass(frozen, module = "aqr._aqr", name = "Client")]
pub struct Client {
    slot: ClientSlot<aqr_ureq::Client>,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (**options))]
    fn py_new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let given = GivenOptions::extract(options, Scope::Client, "aqr.Client()")?;
        Ok(Client {
            slot: ClientSlot::new(py, given)?,
        })
    }

    /// A copy with other options; it shares the connection pool unless a connection
    /// option (credentials, endpoint, connect limit, proxy, roots) changes.
    #[pyo3(signature = (**options))]
    fn with_options(&self, py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let overrides = GivenOptions::extract(options, Scope::Client, "with_options()")?;
        Ok(Client {
            slot: self.slot.with_options(py, &overrides)?,
        })
    }

    /// Creates an entry and returns it.
    #[pyo3(signature = (account_number, bank, account_owner, phone_number, account_name=None, options=None))]
    #[allow(clippy::too_many_arguments)]
    fn create(
        &self,
        py: Python<'_>,
        account_number: &Bound<'_, PyAny>,
        bank: &Bound<'_, PyAny>,
        account_owner: &Bound<'_, PyAny>,
        phone_number: &Bound<'_, PyAny>,
        account_name: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<CreatedAccount> {
        let account = new_account(
            account_number,
            bank,
            account_owner,
            phone_number,
            account_name,
        )?;
        let operation = account.validate().map_err(|e| invalid_to_py_err(py, &e))?;
        self.run(py, options, operation).map(CreatedAccount::from)
    }

    /// Deletes an entry.
    #[pyo3(signature = (account_id, options=None))]
    fn delete(
        &self,
        py: Python<'_>,
        account_id: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let account_id = text(account_id, "account_id")?;
        let operation =
            aqr_core::DeleteRequest::new(&account_id).map_err(|e| to_py_err(py, &e.into()))?;
        self.run(py, options, operation)
    }

    /// Downloads the PNG QR image of a created entry (or of a `qr_image` URL).
    #[pyo3(signature = (url_or_created_account, options=None))]
    fn qr_image<'py>(
        &self,
        py: Python<'py>,
        url_or_created_account: QrImageUrl,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let url = url_or_created_account.into_string();
        let operation =
            aqr_core::QrImageRequest::new(&url).map_err(|e| to_py_err(py, &e.into()))?;
        self.run(py, options, operation)
            .map(|image| PyBytes::new(py, &image))
    }

    /// Creates one entry per row (see `aqr.Client.create_many`).
    #[pyo3(signature = (rows, concurrency, ledger, resend_unknown, options=None))]
    fn create_many<'py>(
        &self,
        py: Python<'py>,
        rows: &Bound<'py, PyAny>,
        concurrency: Option<usize>,
        ledger: Option<&Bound<'py, PyAny>>,
        resend_unknown: bool,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let workers = bulk::concurrency(py, concurrency)?;
        let client = self.for_call(py, options)?;
        let ledger = Ledger::argument(ledger)?;
        let file = bulk::read_rows(rows)?;
        let run = Arc::new(bulk::start(
            py,
            file,
            self.slot.email(),
            self.slot.base_url(),
            resend_unknown,
            ledger,
        )?);
        let send: Arc<bulk::SendCreate> = Arc::new(move |account| client.create(account));
        bulk::drive_threads(py, &run, workers, &send)?;
        bulk::results(py, bulk::finished(run)?)
    }

    /// Releases the connection pool (of every copy sharing it); later calls raise
    /// `RuntimeError`.
    fn close(&self) {
        self.slot.close();
    }

    /// The e-mail address, base URL, time limits and retry policy of this client.
    #[getter]
    fn settings(&self) -> ClientSettings {
        self.slot.settings()
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.slot.closed()
    }
}

impl Client {
    /// The transport client for one call with its overrides.
    ///
    /// # Errors
    /// `RuntimeError` once closed; `InvalidRequestError` for a bad override.
    pub fn for_call(
        &self,
        py: Python<'_>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Arc<aqr_ureq::Client>> {
        let overrides = GivenOptions::extract(options, Scope::Call, "the call")?;
        self.slot.for_call(py, CLASS, Some(&overrides))
    }

    /// Runs `operation` with Ctrl-C honoured on the main thread.
    fn run<O>(
        &self,
        py: Python<'_>,
        options: Option<&Bound<'_, PyDict>>,
        operation: O,
    ) -> PyResult<O::Output>
    where
        O: Operation + Send,
        O::Output: Send,
    {
        let client = self.for_call(py, options)?;
        let kind: OperationKind = operation.kind();
        interrupt::run(py, kind, move || client.execute(&operation))?.map_err(|e| to_py_err(py, &e))
    }
}

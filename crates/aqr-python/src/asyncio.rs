//! The native half of `aqr.AsyncClient`: the reqwest path on pyo3-async-runtimes' shared
//! tokio runtime.
//!
//! Each method takes the running loop's [`LoopQueue`] and returns an asyncio future
//! ([`crate::bridge`]); the pure-Python wrapper awaits it inside an `async def`, so users
//! get real coroutines. Cancelling the Python task cancels the future, which aborts the
//! tokio task: the Rust future is dropped and with it the request. The client is not
//! bound to an event loop, so it works across several `asyncio.run` calls.
//! A tokio runtime does not survive `fork()`: the process that first used it is
//! recorded, and a forked child gets a clear `RuntimeError` instead of a hang.

use std::sync::{Arc, OnceLock};

use aqr_core::Error;
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::account::CreatedAccount;
use crate::arguments::text;
use crate::bridge::{self, Deliver, LoopQueue};
use crate::bulk;
use crate::errors::to_py_err;
use crate::ledger::Ledger;
use crate::new_account::new_account;
use crate::options::{GivenOptions, Scope};
use crate::qr_url::QrImageUrl;
use crate::slot::{ClientSettings, ClientSlot};

/// The process that first used the shared tokio runtime.
static RUNTIME_PID: OnceLock<u32> = OnceLock::new();

/// Fails in a process forked after the runtime started (its worker threads are gone).
fn check_not_forked() -> PyResult<()> {
    let pid = std::process::id();
    if *RUNTIME_PID.get_or_init(|| pid) == pid {
        Ok(())
    } else {
        Err(PyRuntimeError::new_err(
            "aqr.AsyncClient cannot run in a process forked after its tokio runtime started \
             (runtimes do not survive fork); use it in the parent only, or start workers with \
             the 'spawn' or 'forkserver' multiprocessing start method",
        ))
    }
}

/// A call's result, converted to Python (or raised) on the event loop.
fn deliver<T>(result: Result<T, Error>) -> Deliver
where
    T: for<'py> IntoPyObject<'py> + Send + 'static,
{
    Box::new(move |py| match result {
        Ok(value) => value.into_py_any(py),
        Err(error) => Err(to_py_err(py, &error)),
    })
}

type Inner = aqr_reqwest::Client;

/// The class name in errors.
const CLASS: &str = "aqr.AsyncClient";

/// The native asyncio client; use `aqr.AsyncClient`, which wraps it in coroutines.
#[pyclass(frozen, module = "aqr._aqr", name = "AsyncClient")]
pub struct AsyncClient {
    slot: ClientSlot<Inner>,
}

#[pymethods]
impl AsyncClient {
    #[new]
    #[pyo3(signature = (**options))]
    fn py_new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let given = GivenOptions::extract(options, Scope::Client, "aqr.AsyncClient()")?;
        Ok(AsyncClient {
            slot: ClientSlot::new(py, given)?,
        })
    }

    /// A copy with other options (see `Client.with_options`).
    #[pyo3(signature = (**options))]
    fn with_options(&self, py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let overrides = GivenOptions::extract(options, Scope::Client, "with_options()")?;
        Ok(AsyncClient {
            slot: self.slot.with_options(py, &overrides)?,
        })
    }

    /// Creates an entry; returns an asyncio future of a `CreatedAccount`.
    #[pyo3(signature = (queue, account_number, bank, account_owner, phone_number, account_name=None, options=None))]
    #[allow(clippy::too_many_arguments)]
    fn create<'py>(
        &self,
        queue: &Bound<'py, LoopQueue>,
        account_number: &Bound<'py, PyAny>,
        bank: &Bound<'py, PyAny>,
        account_owner: &Bound<'py, PyAny>,
        phone_number: &Bound<'py, PyAny>,
        account_name: Option<&Bound<'py, PyAny>>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let account = new_account(
            account_number,
            bank,
            account_owner,
            phone_number,
            account_name,
        )?;
        let client = self.for_call(queue.py(), options)?;
        bridge::spawn(queue, async move {
            deliver(client.create(&account).await.map(CreatedAccount::from))
        })
    }

    /// Deletes an entry; returns an asyncio future of `None`.
    #[pyo3(signature = (queue, account_id, options=None))]
    fn delete<'py>(
        &self,
        queue: &Bound<'py, LoopQueue>,
        account_id: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let account_id = text(account_id, "account_id")?;
        let client = self.for_call(queue.py(), options)?;
        bridge::spawn(
            queue,
            async move { deliver(client.delete(&account_id).await) },
        )
    }

    /// Downloads a QR image; returns an asyncio future of `bytes`.
    #[pyo3(signature = (queue, url_or_created_account, options=None))]
    fn qr_image<'py>(
        &self,
        queue: &Bound<'py, LoopQueue>,
        url_or_created_account: QrImageUrl,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.for_call(queue.py(), options)?;
        let url = url_or_created_account.into_string();
        bridge::spawn(queue, async move {
            deliver(client.qr_image(&url).await.map(Bytes))
        })
    }

    /// Creates one entry per row; returns an asyncio future of the results (see
    /// `aqr.AsyncClient.create_many`).
    #[pyo3(signature = (queue, rows, concurrency, ledger, resend_unknown, options=None))]
    #[allow(clippy::too_many_arguments)]
    fn create_many<'py>(
        &self,
        queue: &Bound<'py, LoopQueue>,
        rows: &Bound<'py, PyAny>,
        concurrency: Option<usize>,
        ledger: Option<&Bound<'py, PyAny>>,
        resend_unknown: bool,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = queue.py();
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
        bridge::spawn(queue, async move {
            bulk::drive_tasks(Arc::clone(&run), workers, client).await;
            let results = bulk::finished(run);
            Box::new(move |py: Python<'_>| {
                bulk::results(py, results?).map(|list| list.into_any().unbind())
            }) as Deliver
        })
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

impl AsyncClient {
    /// The transport client for one call with its overrides.
    ///
    /// # Errors
    /// `RuntimeError` once closed or after a fork; `InvalidRequestError` for a bad
    /// override.
    pub fn for_call(
        &self,
        py: Python<'_>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Arc<Inner>> {
        check_not_forked()?;
        let overrides = GivenOptions::extract(options, Scope::Call, "the call")?;
        self.slot.for_call(py, CLASS, Some(&overrides))
    }
}

/// Image bytes, converted to Python `bytes`.
struct Bytes(Vec<u8>);

impl<'py> IntoPyObject<'py> for Bytes {
    type Target = pyo3::types::PyBytes;
    type Output = Bound<'py, pyo3::types::PyBytes>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        Ok(pyo3::types::PyBytes::new(py, &self.0))
    }
}

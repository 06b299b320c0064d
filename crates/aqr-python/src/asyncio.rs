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

use aqr_core::{Error, NewAccount};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::account::CreatedAccount;
use crate::bank::BankArg;
use crate::bridge::{self, Deliver, LoopQueue};
use crate::errors::to_py_err;
use crate::options::ClientArgs;
use crate::slot::ClientSlot;
use crate::target::QrTarget;

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

/// The native asyncio client; use `aqr.AsyncClient`, which wraps it in coroutines.
#[pyclass(frozen, module = "aqr._aqr", name = "AsyncClient")]
pub struct AsyncClient {
    slot: ClientSlot<Inner>,
}

#[pymethods]
impl AsyncClient {
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
        Ok(AsyncClient {
            slot: ClientSlot::new(py, args.settings(py)?)?,
        })
    }

    /// Creates an entry; returns an asyncio future of a `CreatedAccount`.
    #[pyo3(signature = (queue, *, account_number, bank, account_owner, phone_number, account_name=None))]
    #[allow(clippy::too_many_arguments)]
    fn create<'py>(
        &self,
        queue: &Bound<'py, LoopQueue>,
        account_number: String,
        bank: &Bound<'py, PyAny>,
        account_owner: String,
        phone_number: String,
        account_name: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bank = BankArg::extract(bank)?;
        let client = self.client()?;
        bridge::spawn(queue, async move {
            let result = async {
                let mut account =
                    NewAccount::new(account_number, bank.resolve()?, account_owner, phone_number);
                account.account_name = account_name;
                client.create(&account).await.map(CreatedAccount::from)
            }
            .await;
            deliver(result)
        })
    }

    /// Deletes an entry; returns an asyncio future of `None`.
    fn delete<'py>(
        &self,
        queue: &Bound<'py, LoopQueue>,
        account_id: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.client()?;
        bridge::spawn(
            queue,
            async move { deliver(client.delete(&account_id).await) },
        )
    }

    /// Downloads a QR image; returns an asyncio future of `bytes`.
    fn qr_image<'py>(
        &self,
        queue: &Bound<'py, LoopQueue>,
        url_or_created_account: QrTarget,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.client()?;
        let url = url_or_created_account.into_url();
        bridge::spawn(queue, async move {
            deliver(client.qr_image(&url).await.map(Bytes))
        })
    }

    /// Releases the connection pool; later calls raise `RuntimeError`.
    fn close(&self) {
        self.slot.close();
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
}

impl AsyncClient {
    fn client(&self) -> PyResult<Arc<Inner>> {
        check_not_forked()?;
        self.slot.get("aqr.AsyncClient")
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

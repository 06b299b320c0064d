//! `aqr.Ledger` and `aqr.LedgerEntry`: the local ledger of aqr-ledger, read from Python
//! and handed to `create_many`.

use std::path::PathBuf;
use std::sync::Arc;

use aqr_ledger::{Entry, EntryFilter, Status};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::arguments::{optional_text, path_or_text};

/// The ledger file (SQLite, mode 0600): every create made through `create_many` with it
/// is recorded before it is sent and its outcome after. It stores no token, and account
/// and phone numbers masked but for their last four digits.
#[pyclass(frozen, module = "aqr", name = "Ledger")]
pub struct Ledger {
    inner: Arc<aqr_ledger::Ledger>,
}

#[pymethods]
impl Ledger {
    /// Opens (or creates) the ledger at `path`; without one, at `AQR_LEDGER`, else in the
    /// platform's data directory (the same file the `aqr` command uses).
    #[new]
    #[pyo3(signature = (path=None))]
    fn py_new(py: Python<'_>, path: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let path = path
            .filter(|p| !p.is_none())
            .map(|p| path_or_text(p, "path"))
            .transpose()?
            .map(PathBuf::from);
        py.detach(|| aqr_ledger::Ledger::open_default(path.as_deref()))
            .map(|ledger| Ledger {
                inner: Arc::new(ledger),
            })
            .map_err(|e| ledger_error(&e))
    }

    /// The ledger file.
    #[getter]
    fn path(&self) -> String {
        self.inner.path().display().to_string()
    }

    /// The entries, oldest first; each filter given must match (`status`: `pending`,
    /// `created`, `failed`, `unknown` or `deleted`).
    #[pyo3(signature = (*, status=None, base_url=None, email=None))]
    fn entries(
        &self,
        py: Python<'_>,
        status: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        email: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<LedgerEntry>> {
        let status = optional_text(status, "status")?
            .map(|s| s.parse::<Status>())
            .transpose()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let filter = EntryFilter {
            status,
            base_url: optional_text(base_url, "base_url")?,
            email: optional_text(email, "email")?,
            ..EntryFilter::default()
        };
        let ledger = Arc::clone(&self.inner);
        py.detach(move || ledger.entries(&filter))
            .map(|entries| entries.into_iter().map(LedgerEntry).collect())
            .map_err(|e| ledger_error(&e))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let path = PyString::new(py, &self.path()).repr()?;
        Ok(format!("aqr.Ledger({path})"))
    }
}

impl Ledger {
    /// The ledger itself.
    #[must_use]
    pub fn shared(&self) -> Arc<aqr_ledger::Ledger> {
        Arc::clone(&self.inner)
    }

    /// A `ledger=` argument: an `aqr.Ledger`, a path, or `None`.
    ///
    /// # Errors
    /// `TypeError` for another type; `OSError` when the file cannot be opened.
    pub fn argument(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Arc<aqr_ledger::Ledger>>> {
        let Some(value) = value.filter(|v| !v.is_none()) else {
            return Ok(None);
        };
        if let Ok(ledger) = value.cast::<Ledger>() {
            return Ok(Some(ledger.get().shared()));
        }
        let path = PathBuf::from(path_or_text(value, "ledger")?);
        value
            .py()
            .detach(|| aqr_ledger::Ledger::open(&path))
            .map(|ledger| Some(Arc::new(ledger)))
            .map_err(|e| ledger_error(&e))
    }
}

/// A ledger failure as `OSError` (the file is a local resource).
pub fn ledger_error(error: &aqr_ledger::LedgerError) -> PyErr {
    PyOSError::new_err(format!("aqr ledger: {error}"))
}

/// One entry of the ledger (read-only; account and phone numbers masked).
#[pyclass(frozen, module = "aqr", name = "LedgerEntry")]
pub struct LedgerEntry(Entry);

#[pymethods]
impl LedgerEntry {
    /// The ledger's id for the entry.
    #[getter]
    fn id(&self) -> i64 {
        self.0.id
    }

    /// `pending`, `created`, `failed`, `unknown` or `deleted`.
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.as_str()
    }

    /// The service's id for the entry, once created.
    #[getter]
    fn account_id(&self) -> Option<&str> {
        self.0.account_id.as_deref()
    }

    /// The entry's public short URL, once created.
    #[getter]
    fn short_url(&self) -> Option<&str> {
        self.0.short_url.as_deref()
    }

    /// Where the entry's QR image can be downloaded, once created.
    #[getter]
    fn qr_image(&self) -> Option<&str> {
        self.0.qr_image.as_deref()
    }

    /// The `bank_id`.
    #[getter]
    fn bank_id(&self) -> u8 {
        self.0.bank_id
    }

    /// The account number, masked but for its last four digits.
    #[getter]
    fn account_number(&self) -> &str {
        &self.0.account_number
    }

    /// The account holder's name.
    #[getter]
    fn account_owner(&self) -> &str {
        &self.0.account_owner
    }

    /// The phone number, masked but for its last four digits.
    #[getter]
    fn phone_number(&self) -> &str {
        &self.0.phone_number
    }

    /// The entry's label, if any.
    #[getter]
    fn account_name(&self) -> Option<&str> {
        self.0.account_name.as_deref()
    }

    /// Why the entry is `failed` or `unknown`.
    #[getter]
    fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// The developer's e-mail address the entry was created with.
    #[getter]
    fn email(&self) -> &str {
        &self.0.email
    }

    /// The service the entry was sent to.
    #[getter]
    fn base_url(&self) -> &str {
        &self.0.base_url
    }

    /// When the entry was first recorded (seconds since the Unix epoch).
    #[getter]
    fn recorded_at(&self) -> i64 {
        self.0.recorded_at
    }

    /// When the entry last changed (seconds since the Unix epoch).
    #[getter]
    fn updated_at(&self) -> i64 {
        self.0.updated_at
    }

    /// The fields as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let e = &self.0;
        let dict = PyDict::new(py);
        dict.set_item("id", e.id)?;
        dict.set_item("status", e.status.as_str())?;
        dict.set_item("account_id", e.account_id.as_deref())?;
        dict.set_item("short_url", e.short_url.as_deref())?;
        dict.set_item("qr_image", e.qr_image.as_deref())?;
        dict.set_item("bank_id", e.bank_id)?;
        dict.set_item("account_number", &e.account_number)?;
        dict.set_item("account_owner", &e.account_owner)?;
        dict.set_item("phone_number", &e.phone_number)?;
        dict.set_item("account_name", e.account_name.as_deref())?;
        dict.set_item("error", e.error.as_deref())?;
        dict.set_item("email", &e.email)?;
        dict.set_item("base_url", &e.base_url)?;
        dict.set_item("recorded_at", e.recorded_at)?;
        dict.set_item("updated_at", e.updated_at)?;
        Ok(dict)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let account_id = match &self.0.account_id {
            Some(id) => PyString::new(py, id).repr()?.to_string(),
            None => "None".to_owned(),
        };
        Ok(format!(
            "aqr.LedgerEntry(id={}, status='{}', account_id={account_id})",
            self.0.id,
            self.0.status.as_str()
        ))
    }
}

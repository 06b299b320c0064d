//! `aqr.CreatedAccount`: the frozen value a successful `create` returns.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

/// An entry the service created: its id, QR image URL and short URL.
#[pyclass(frozen, eq, hash, module = "aqr", name = "CreatedAccount")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CreatedAccount {
    /// The entry's id, needed to delete it.
    #[pyo3(get)]
    pub account_id: String,
    /// Where the QR image can be downloaded.
    #[pyo3(get)]
    pub qr_image: String,
    /// The entry's public short URL (what the QR code encodes).
    #[pyo3(get)]
    pub short_url: String,
}

#[pymethods]
impl CreatedAccount {
    #[new]
    #[pyo3(signature = (account_id, qr_image, short_url))]
    fn py_new(account_id: String, qr_image: String, short_url: String) -> Self {
        CreatedAccount {
            account_id,
            qr_image,
            short_url,
        }
    }

    /// The fields as a dict (`json.dumps(created.to_dict())`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("account_id", &self.account_id)?;
        dict.set_item("qr_image", &self.qr_image)?;
        dict.set_item("short_url", &self.short_url)?;
        Ok(dict)
    }

    /// `aqr.CreatedAccount(account_id='…', qr_image='…', short_url='…')`, evaluable.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let quoted = |text: &str| -> PyResult<String> {
            Ok(PyString::new(py, text).repr()?.to_str()?.to_owned())
        };
        Ok(format!(
            "aqr.CreatedAccount(account_id={}, qr_image={}, short_url={})",
            quoted(&self.account_id)?,
            quoted(&self.qr_image)?,
            quoted(&self.short_url)?
        ))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let this = slf.get();
        let args = PyTuple::new(
            slf.py(),
            [&this.account_id, &this.qr_image, &this.short_url],
        )?;
        Ok((slf.get_type().into_any(), args))
    }
}

impl From<aqr_core::CreatedAccount> for CreatedAccount {
    fn from(created: aqr_core::CreatedAccount) -> Self {
        CreatedAccount {
            account_id: created.account_id,
            qr_image: created.qr_image,
            short_url: created.short_url,
        }
    }
}

//! The argument of `qr_image`: a `CreatedAccount` or its `qr_image` URL.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::account::CreatedAccount;

/// What to download.
pub struct QrTarget(String);

impl QrTarget {
    /// The URL to fetch.
    pub fn into_url(self) -> String {
        self.0
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for QrTarget {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(created) = value.cast::<CreatedAccount>() {
            return Ok(QrTarget(created.get().qr_image.clone()));
        }
        if let Ok(url) = value.cast::<PyString>() {
            return Ok(QrTarget(url.to_str()?.to_owned()));
        }
        Err(PyTypeError::new_err(
            "qr_image expects an aqr.CreatedAccount or a qr_image URL (str)",
        ))
    }
}

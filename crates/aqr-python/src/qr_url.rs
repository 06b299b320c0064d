//! The argument of `qr_image`: a `CreatedAccount` or its `qr_image` URL.

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::account::CreatedAccount;
use crate::arguments::wrong_type;

/// The URL of the QR image to download.
pub struct QrImageUrl(String);

impl QrImageUrl {
    /// The URL.
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for QrImageUrl {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(created) = value.cast::<CreatedAccount>() {
            return Ok(QrImageUrl(created.get().qr_image.clone()));
        }
        if let Ok(url) = value.cast::<PyString>() {
            return Ok(QrImageUrl(url.to_str()?.to_owned()));
        }
        Err(wrong_type(
            &value,
            "url_or_created_account",
            "an aqr.CreatedAccount or a qr_image URL (str)",
        ))
    }
}

//! The bank table, exported once so that `aqr.Bank` is built from aqr-core's table, and
//! the conversion of a Python `bank=` argument (an `aqr.Bank`, an int or a str).

use aqr_core::{Bank, Field, Rule, ValidationError};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};

use crate::errors::invalid_to_py_err;

/// A `bank=` argument as given, resolved to a [`Bank`] without the GIL.
#[derive(Clone, Debug)]
pub enum BankArg {
    /// An `aqr.Bank` member or a plain int: the `bank_id`.
    Id(i64),
    /// An id, KFTC code, Korean or English name, or identifier.
    Text(String),
}

impl BankArg {
    /// Reads the argument.
    ///
    /// # Errors
    /// `TypeError` for anything but an int or a str (a `bool` is refused).
    pub fn extract(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        if value.is_instance_of::<PyBool>() {
            return Err(PyTypeError::new_err(
                "bank must be an aqr.Bank, an int or a str, not bool",
            ));
        }
        if value.is_instance_of::<PyInt>() {
            // An int too large for i64 is out of range all the same.
            return Ok(BankArg::Id(value.extract::<i64>().unwrap_or(i64::MAX)));
        }
        if let Ok(text) = value.cast::<PyString>() {
            return Ok(BankArg::Text(text.to_str()?.to_owned()));
        }
        Err(PyTypeError::new_err(format!(
            "bank must be an aqr.Bank, an int or a str, not {}",
            value.get_type().name()?
        )))
    }

    /// The bank, as aqr-core resolves it. An int is only ever an id (never a KFTC code);
    /// one outside 0–59 breaks `out_of_range`, as a numeric string does.
    ///
    /// # Errors
    /// A [`ValidationError`] for `bank_id` when no bank matches.
    pub fn resolve(&self) -> Result<Bank, ValidationError> {
        match self {
            BankArg::Id(id) => u8::try_from(*id)
                .map_err(|_| ValidationError::new(Field::BankId, Rule::OutOfRange))
                .and_then(Bank::try_from),
            BankArg::Text(text) => Bank::lookup(text),
        }
    }
}

/// The bank table: `(ident, id, korean_name, english_name, kftc_code)` for every bank, in
/// id order.
#[pyfunction]
pub fn bank_table() -> Vec<(&'static str, u8, &'static str, &'static str, &'static str)> {
    Bank::ALL
        .iter()
        .map(|b| {
            (
                b.ident(),
                b.id(),
                b.korean_name(),
                b.english_name(),
                b.kftc_code(),
            )
        })
        .collect()
}

/// The `bank_id` of a bank given as an id, a KFTC code or a name.
///
/// # Errors
/// `InvalidRequestError` (field `bank_id`) when nothing matches; `TypeError` for other
/// types.
#[pyfunction]
pub fn lookup_bank(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<u8> {
    BankArg::extract(value)?
        .resolve()
        .map(Bank::id)
        .map_err(|e| invalid_to_py_err(py, &e))
}

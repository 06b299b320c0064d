//! Reading positional and keyword arguments with errors that name the argument:
//! `account_number must be a str, not int` (pyo3's own message names only the types).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// A `str` argument.
///
/// # Errors
/// `TypeError` naming `name` and the type given.
pub fn text(value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(text) => Ok(text.to_str()?.to_owned()),
        Err(_) => Err(wrong_type(value, name, "a str")),
    }
}

/// An optional `str` argument (`None` = not given).
///
/// # Errors
/// As [`text`].
pub fn optional_text(value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<String>> {
    match value {
        Some(value) if !value.is_none() => text(value, name).map(Some),
        _ => Ok(None),
    }
}

/// A `str` or an `os.PathLike` (a file path given as `pathlib.Path`).
///
/// # Errors
/// As [`text`].
pub fn path_or_text(value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_str()?.to_owned());
    }
    if value.hasattr("__fspath__")? {
        let path = value.call_method0("__fspath__")?;
        if let Ok(text) = path.cast::<PyString>() {
            return Ok(text.to_str()?.to_owned());
        }
    }
    Err(wrong_type(value, name, "a str or a path"))
}

/// `TypeError: {name} must be {expected}, not {type}`.
pub fn wrong_type(value: &Bound<'_, PyAny>, name: &str, expected: &str) -> PyErr {
    let type_name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    PyTypeError::new_err(format!("{name} must be {expected}, not {type_name}"))
}

//! The bank table, exported once so that `aqr.Bank` is built from aqr-core's table, and
//! the `bank=` argument (an `aqr.Bank`, an int or a str), whose error suggests the banks
//! a near miss may have meant.

use aqr_core::{Bank, Field, Rule, ValidationError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};

use crate::arguments::wrong_type;
use crate::errors::{invalid_argument, invalid_to_py_err};

/// The most banks a suggestion names.
const MAX_SUGGESTIONS: usize = 4;

/// Reads a `bank=` argument: an `aqr.Bank` member or an int is a `bank_id` (never a KFTC
/// code); a str is an id, a KFTC code, a Korean or English name or an identifier.
///
/// # Errors
/// `TypeError` for another type (a `bool` included); `InvalidRequestError` (field
/// `bank_id`) naming the argument `bank`, with suggestions for a near miss.
pub fn bank_argument(value: &Bound<'_, PyAny>) -> PyResult<Bank> {
    let py = value.py();
    if value.is_instance_of::<PyBool>() {
        return Err(wrong_type(value, "bank", "an aqr.Bank, an int or a str"));
    }
    if value.is_instance_of::<PyInt>() {
        // An int too large for i64 is out of range all the same.
        let id = value.extract::<i64>().unwrap_or(i64::MAX);
        return u8::try_from(id)
            .map_err(|_| ValidationError::new(Field::BankId, Rule::OutOfRange))
            .and_then(Bank::try_from)
            .map_err(|e| invalid_to_py_err(py, &e));
    }
    let Ok(text) = value.cast::<PyString>() else {
        return Err(wrong_type(value, "bank", "an aqr.Bank, an int or a str"));
    };
    let text = text.to_str()?;
    Bank::lookup(text).map_err(|e| match e.rule() {
        Rule::UnknownBank => unknown_bank(py, text),
        _ => invalid_to_py_err(py, &e),
    })
}

/// `invalid bank: no bank is called "Toss"; did you mean Bank.TOSS_BANK (토스뱅크) or …`.
fn unknown_bank(py: Python<'_>, text: &str) -> PyErr {
    let shown = aqr_core::escape_controls(text);
    let suggestions: Vec<String> = suggest(text)
        .iter()
        .map(|b| format!("Bank.{} ({})", b.ident(), b.korean_name()))
        .collect();
    let hint = match suggestions.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
    };
    invalid_argument(
        py,
        Field::BankId.name(),
        Rule::UnknownBank.code(),
        &format!(
            "invalid bank: no bank has the id, KFTC code or name \"{shown}\"{hint} \
             (aqr.Bank lists every bank)"
        ),
    )
}

/// The banks a name that matches none may have meant: for a short ASCII text (`NH`,
/// `KB`), those with a word of their English name or identifier starting with it; else
/// those whose folded name or identifier contains it (`Toss`, `신한`, `Kakao`).
fn suggest(text: &str) -> Vec<Bank> {
    let query = fold(text);
    if query.is_empty() {
        return Vec::new();
    }
    let short = query.len() <= 3 && query.is_ascii();
    Bank::ALL
        .iter()
        .copied()
        .filter(|bank| {
            if short {
                bank.english_name()
                    .split_whitespace()
                    .chain(bank.ident().split('_'))
                    .any(|word| fold(word).starts_with(&query))
            } else {
                [bank.english_name(), bank.korean_name(), bank.ident()]
                    .iter()
                    .any(|name| fold(name).contains(&query))
            }
        })
        .take(MAX_SUGGESTIONS)
        .collect()
}

/// Lower case, without spaces, `_` and `-`.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
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
pub fn lookup_bank(value: &Bound<'_, PyAny>) -> PyResult<u8> {
    bank_argument(value).map(Bank::id)
}

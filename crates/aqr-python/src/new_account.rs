//! The arguments of `create` (and of each row of `create_many`), read into a
//! [`NewAccount`] with errors that name the argument.

use aqr_core::NewAccount;
use pyo3::prelude::*;

use crate::arguments::{optional_text, text};
use crate::bank::bank_argument;

/// `account_number`, `bank`, `account_owner`, `phone_number` and `account_name` as given
/// (the rules are checked when the request is built).
///
/// # Errors
/// `TypeError` naming an argument of the wrong type; `InvalidRequestError` for an unknown
/// bank.
pub fn new_account(
    account_number: &Bound<'_, PyAny>,
    bank: &Bound<'_, PyAny>,
    account_owner: &Bound<'_, PyAny>,
    phone_number: &Bound<'_, PyAny>,
    account_name: Option<&Bound<'_, PyAny>>,
) -> PyResult<NewAccount> {
    let mut account = NewAccount::new(
        text(account_number, "account_number")?,
        bank_argument(bank)?,
        text(account_owner, "account_owner")?,
        text(phone_number, "phone_number")?,
    );
    account.account_name = optional_text(account_name, "account_name")?;
    Ok(account)
}

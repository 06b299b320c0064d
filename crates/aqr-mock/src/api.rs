//! `POST /api/`: the two AQR operations, checked as strictly as the real service
//! plausibly checks them.

use crate::form::{self, FormError};
use crate::options::Credential;
use crate::reply::{Failure, JSON, Reply};
use crate::shared::Shared;
use crate::store::NewEntry;
use aqr_core::validate::{self, limits};
use aqr_core::{Bank, Field, Rule, TOKEN_HEADER, ValidationError};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap};
use hyper::{Method, StatusCode};

/// The only content type the API accepts (parameters such as `charset` are allowed).
const FORM_TYPE: &str = "application/x-www-form-urlencoded";

/// Which API call a form makes, from its `action` field (both spellings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiCall {
    Create,
    Delete,
}

impl ApiCall {
    /// The call named by an `action` value.
    pub(crate) fn of(action: &str) -> Option<ApiCall> {
        match action {
            "aqr_create" | "create" => Some(ApiCall::Create),
            "aqr_delete" | "delete" => Some(ApiCall::Delete),
            _ => None,
        }
    }
}

/// Answers one API request whose body was already read and decoded. A create or delete
/// answered with success is in the state file (when there is one) before this returns.
pub(crate) async fn answer(
    shared: &Shared,
    method: &Method,
    headers: &HeaderMap,
    form: Option<&Result<Vec<(String, String)>, FormError>>,
) -> Reply {
    let call = match checked(shared, method, headers, form) {
        Ok(call) => call,
        Err(reply) => return reply,
    };
    let as_200 = shared.failures_as_200;
    let (reply, saved) = match call {
        Checked::Create(new) => {
            let (entry, saved) = shared.store.create(new);
            // Ids are base62 and the base URL is `scheme://IP:PORT`: nothing needs JSON
            // escaping.
            let body = format!(
                r#"{{"result":"success","qr_image":"{}","short_url":"{}","account_id":"{}"}}"#,
                entry.qr_image, entry.short_url, entry.account_id
            );
            (Reply::new(StatusCode::OK, JSON, body), saved)
        }
        Checked::Delete { email, account_id } => match shared.store.delete(&email, &account_id) {
            Some(saved) => (
                Reply::new(StatusCode::OK, JSON, r#"{"result":"success"}"#),
                saved,
            ),
            None => {
                return Reply::fail(
                    Failure::NotFound,
                    "no account entry with this account_id for this developer",
                    as_200,
                );
            }
        },
    };
    match shared.store.settle(saved).await {
        Ok(()) => reply,
        Err(err) => Reply::fail(
            Failure::StateNotSaved,
            &format!("the change could not be written to the state file, so it was undone: {err}"),
            false,
        ),
    }
}

/// A request that passed every check.
enum Checked {
    Create(NewEntry),
    Delete { email: String, account_id: String },
}

fn checked(
    shared: &Shared,
    method: &Method,
    headers: &HeaderMap,
    form: Option<&Result<Vec<(String, String)>, FormError>>,
) -> Result<Checked, Reply> {
    let as_200 = shared.failures_as_200;
    let fail = |failure: Failure, message: &str| Reply::fail(failure, message, as_200);
    if method != Method::POST {
        return Err(fail(
            Failure::MethodNotAllowed,
            "the API takes POST requests only",
        ));
    }
    let credential =
        authenticate(shared, headers).map_err(|message| fail(Failure::InvalidToken, message))?;
    check_content_type(headers)
        .map_err(|message| fail(Failure::UnsupportedContentType, message))?;
    let fields = match form {
        Some(Ok(fields)) => fields,
        Some(Err(err)) => return Err(fail(Failure::MalformedBody, &err.to_string())),
        None => return Err(fail(Failure::MalformedBody, "the body is not a form")),
    };
    let action = form::last(fields, "action")
        .ok_or_else(|| fail(Failure::MissingField, "missing field: action"))?;
    let call = ApiCall::of(action.trim()).ok_or_else(|| {
        fail(
            Failure::InvalidAction,
            "unknown action: use aqr_create, create, aqr_delete or delete",
        )
    })?;
    let raw_email = required(fields, "email_address", as_200)?;
    let email = validate::email_address(raw_email).map_err(|err| invalid(&err, as_200))?;
    if !email.eq_ignore_ascii_case(credential.email.trim()) {
        return Err(fail(
            Failure::EmailMismatch,
            "email_address is not the e-mail address of this developer token",
        ));
    }
    match call {
        ApiCall::Create => new_entry(fields, email, as_200).map(Checked::Create),
        ApiCall::Delete => {
            let account_id = validate::account_id(required(fields, "account_id", as_200)?)
                .map_err(|err| invalid(&err, as_200))?;
            Ok(Checked::Delete { email, account_id })
        }
    }
}

/// The credential whose token the request carries.
fn authenticate<'a>(
    shared: &'a Shared,
    headers: &HeaderMap,
) -> Result<&'a Credential, &'static str> {
    match headers.get(TOKEN_HEADER) {
        Some(value) => shared
            .credentials
            .iter()
            .find(|c| c.token.as_bytes() == value.as_bytes())
            .ok_or("the developer token is not valid"),
        None if headers.contains_key(AUTHORIZATION) => {
            Err("send the developer token in the AQR-DEVELOPER-TOKEN header, not in Authorization")
        }
        None => Err("missing AQR-DEVELOPER-TOKEN header"),
    }
}

fn check_content_type(headers: &HeaderMap) -> Result<(), &'static str> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return Err("missing Content-Type: send application/x-www-form-urlencoded");
    };
    let essence = value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim();
    if essence.eq_ignore_ascii_case(FORM_TYPE) {
        Ok(())
    } else if essence.to_ascii_lowercase().starts_with("multipart/") {
        Err("multipart bodies are not accepted: send application/x-www-form-urlencoded")
    } else {
        Err("unsupported Content-Type: send application/x-www-form-urlencoded")
    }
}

/// The entry a create asks for, every field checked.
fn new_entry(fields: &[(String, String)], email: String, as_200: bool) -> Result<NewEntry, Reply> {
    let bad = |err: ValidationError| invalid(&err, as_200);
    let account_number =
        validate::account_number(required(fields, "account_number", as_200)?).map_err(bad)?;
    let bank_id = bank_id(required(fields, "bank_id", as_200)?).map_err(bad)?;
    let account_owner = validate::text(
        Field::AccountOwner,
        required(fields, "account_owner", as_200)?,
        limits::ACCOUNT_OWNER,
    )
    .map_err(bad)?;
    let phone_number =
        validate::phone_number(required(fields, "phone_number", as_200)?).map_err(bad)?;
    let account_name = match form::last(fields, "account_name") {
        Some(name) if !name.trim().is_empty() => {
            Some(validate::text(Field::AccountName, name, limits::ACCOUNT_NAME).map_err(bad)?)
        }
        _ => None,
    };
    Ok(NewEntry {
        email,
        account_number,
        bank_id,
        account_owner,
        phone_number,
        account_name,
    })
}

/// A `bank_id`: a whole number naming a bank of the table (0–59).
fn bank_id(raw: &str) -> Result<u8, ValidationError> {
    if raw.trim().is_empty() {
        return Err(ValidationError::new(Field::BankId, Rule::Required));
    }
    raw.trim()
        .parse::<u8>()
        .ok()
        .and_then(Bank::from_id)
        .map(Bank::id)
        .ok_or_else(|| ValidationError::new(Field::BankId, Rule::OutOfRange))
}

/// The field's value, or a `missing_field` failure.
fn required<'a>(
    fields: &'a [(String, String)],
    name: &str,
    as_200: bool,
) -> Result<&'a str, Reply> {
    form::last(fields, name).ok_or_else(|| {
        Reply::fail(
            Failure::MissingField,
            &format!("missing field: {name}"),
            as_200,
        )
    })
}

/// `missing_field` for an empty value, `invalid_field` for any other broken rule. The
/// message names the field and the rule, never the value.
fn invalid(err: &ValidationError, as_200: bool) -> Reply {
    let failure = if err.rule() == Rule::Required {
        Failure::MissingField
    } else {
        Failure::InvalidField
    };
    Reply::fail(failure, &err.to_string(), as_200)
}

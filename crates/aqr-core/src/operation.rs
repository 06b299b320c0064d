//! The operations of the API as pure request builders and response parsers.

use std::fmt;

use http::{Method, Request, header};

use crate::bank::Bank;
use crate::config::Config;
use crate::error::Error;
use crate::form::Form;
use crate::response;
use crate::validate::{self, Field, ValidationError, limits};
use crate::vocabulary::{
    CreatedAccount, HttpRequest, HttpResponse, OperationKind, ResponseLimit, TOKEN_HEADER,
};

/// One API operation: a pure request builder and a pure response parser.
pub trait Operation {
    /// What a successful response yields.
    type Output;

    /// Which operation this is.
    fn kind(&self) -> OperationKind;

    /// Builds the HTTP request.
    ///
    /// # Errors
    /// [`Error::Invalid`] when a setting cannot be encoded (inputs are already validated).
    fn to_http(&self, config: &Config) -> Result<HttpRequest, Error>;

    /// Interprets the HTTP response (the operation's `parse_response`).
    ///
    /// # Errors
    /// [`Error::Api`] when the server reported a failure, [`Error::Response`] when the
    /// response cannot be interpreted.
    // `from_http` pairs with `to_http`; it needs `self` to know the operation.
    #[allow(clippy::wrong_self_convention)]
    fn from_http(&self, response: &HttpResponse) -> Result<Self::Output, Error>;
}

/// The fields of an entry to create, as the caller gives them. Nothing is checked until
/// [`NewAccount::validate`] (which every client runs before any I/O).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewAccount {
    /// Bank account number; digits, `-` and spaces.
    pub account_number: String,
    /// The bank.
    pub bank: Bank,
    /// Account holder's name (예금주).
    pub account_owner: String,
    /// Account holder's phone number.
    pub phone_number: String,
    /// Optional label for the entry.
    pub account_name: Option<String>,
}

impl NewAccount {
    /// The required fields; add a label with [`NewAccount::account_name`].
    #[must_use]
    pub fn new(
        account_number: impl Into<String>,
        bank: Bank,
        account_owner: impl Into<String>,
        phone_number: impl Into<String>,
    ) -> Self {
        NewAccount {
            account_number: account_number.into(),
            bank,
            account_owner: account_owner.into(),
            phone_number: phone_number.into(),
            account_name: None,
        }
    }

    /// Sets the entry's label (`account_name`).
    #[must_use]
    pub fn account_name(mut self, account_name: impl Into<String>) -> Self {
        self.account_name = Some(account_name.into());
        self
    }

    /// Checks every field and returns the normalised operation.
    ///
    /// # Errors
    /// The first [`ValidationError`], naming the field and the rule.
    pub fn validate(&self) -> Result<CreateRequest, ValidationError> {
        Ok(CreateRequest {
            account_number: validate::account_number(&self.account_number)?,
            bank: self.bank,
            account_owner: validate::text(
                Field::AccountOwner,
                &self.account_owner,
                limits::ACCOUNT_OWNER,
            )?,
            phone_number: validate::phone_number(&self.phone_number)?,
            account_name: self
                .account_name
                .as_deref()
                .map(|name| validate::text(Field::AccountName, name, limits::ACCOUNT_NAME))
                .transpose()?,
        })
    }
}

/// Personal data is masked: only the last four digits of the account number show.
impl fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewAccount")
            .field("account_number", &mask(&self.account_number))
            .field("bank", &self.bank)
            .field("account_owner", &self.account_owner)
            .field("phone_number", &mask(&self.phone_number))
            .field("account_name", &self.account_name)
            .finish()
    }
}

/// A validated create request (`aqr_create`). Build it with [`NewAccount::validate`].
#[derive(Clone, PartialEq, Eq)]
pub struct CreateRequest {
    account_number: String,
    bank: Bank,
    account_owner: String,
    phone_number: String,
    account_name: Option<String>,
}

impl CreateRequest {
    /// The account number as sent (digits only).
    #[must_use]
    pub fn account_number(&self) -> &str {
        &self.account_number
    }

    /// The bank.
    #[must_use]
    pub fn bank(&self) -> Bank {
        self.bank
    }

    /// The owner as sent (trimmed).
    #[must_use]
    pub fn account_owner(&self) -> &str {
        &self.account_owner
    }

    /// The phone number as sent (`01012341234`, or `+…` for foreign numbers).
    #[must_use]
    pub fn phone_number(&self) -> &str {
        &self.phone_number
    }

    /// The label as sent, if any.
    #[must_use]
    pub fn account_name(&self) -> Option<&str> {
        self.account_name.as_deref()
    }
}

impl fmt::Debug for CreateRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateRequest")
            .field("account_number", &mask(&self.account_number))
            .field("bank", &self.bank)
            .field("account_owner", &self.account_owner)
            .field("phone_number", &mask(&self.phone_number))
            .field("account_name", &self.account_name)
            .finish()
    }
}

impl Operation for CreateRequest {
    type Output = CreatedAccount;

    fn kind(&self) -> OperationKind {
        OperationKind::Create
    }

    fn to_http(&self, config: &Config) -> Result<HttpRequest, Error> {
        let bank_id = self.bank.id().to_string();
        // In the order of the reference's curl example.
        let form = Form::new()
            .pair("email_address", config.email())
            .pair("account_number", &self.account_number)
            .pair("bank_id", &bank_id)
            .pair("account_owner", &self.account_owner)
            .pair("phone_number", &self.phone_number)
            .optional_pair("account_name", self.account_name.as_deref())
            .pair("action", config.dialect().create_action());
        Ok(post_form(config, form))
    }

    fn from_http(&self, response: &HttpResponse) -> Result<CreatedAccount, Error> {
        Self::parse_response(response)
    }
}

impl CreateRequest {
    /// Interprets the response to a create request: the entry it created.
    ///
    /// # Errors
    /// [`Error::Api`] when the server reported a failure; [`Error::Response`] when the
    /// answer cannot be interpreted (an empty, truncated or non-JSON body, a redirect, a
    /// missing or invalid `account_id`, …).
    pub fn parse_response(response: &HttpResponse) -> Result<CreatedAccount, Error> {
        response::parse_created(OperationKind::Create, response)
    }
}

/// A validated delete request (`aqr_delete`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteRequest {
    account_id: String,
}

impl DeleteRequest {
    /// Deletes the entry with this id.
    ///
    /// # Errors
    /// A [`ValidationError`] for `account_id` when it is empty, too long or not printable
    /// ASCII.
    pub fn new(account_id: &str) -> Result<Self, ValidationError> {
        Ok(DeleteRequest {
            account_id: validate::account_id(account_id)?,
        })
    }

    /// The id to delete.
    #[must_use]
    pub fn account_id(&self) -> &str {
        &self.account_id
    }
}

impl Operation for DeleteRequest {
    type Output = ();

    fn kind(&self) -> OperationKind {
        OperationKind::Delete
    }

    fn to_http(&self, config: &Config) -> Result<HttpRequest, Error> {
        let form = Form::new()
            .pair("email_address", config.email())
            .pair("account_id", &self.account_id)
            .pair("action", config.dialect().delete_action());
        Ok(post_form(config, form))
    }

    fn from_http(&self, response: &HttpResponse) -> Result<(), Error> {
        Self::parse_response(response)
    }
}

impl DeleteRequest {
    /// Interprets the response to a delete request.
    ///
    /// # Errors
    /// [`Error::Api`] when the server reported a failure (a `404` for an unknown id);
    /// [`Error::Response`] when the answer cannot be interpreted.
    pub fn parse_response(response: &HttpResponse) -> Result<(), Error> {
        response::parse_success(OperationKind::Delete, response)
    }
}

/// Download of an entry's QR image: a GET of its `qr_image` URL, without the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrImageRequest {
    url: http::Uri,
}

impl QrImageRequest {
    /// Downloads the image at `qr_image_url` (`https://`, or `http://` on loopback).
    ///
    /// # Errors
    /// A [`ValidationError`] for `qr_image` when the URL is not fetchable.
    pub fn new(qr_image_url: &str) -> Result<Self, ValidationError> {
        Ok(QrImageRequest {
            url: validate::fetchable_url(Field::QrImageUrl, qr_image_url)?,
        })
    }

    /// The URL fetched.
    #[must_use]
    pub fn url(&self) -> &http::Uri {
        &self.url
    }
}

impl Operation for QrImageRequest {
    type Output = Vec<u8>;

    fn kind(&self) -> OperationKind {
        OperationKind::QrImage
    }

    /// # Errors
    /// [`crate::Rule::UntrustedHost`] for `qr_image` when the URL is not on a host the
    /// configuration trusts for images ([`Config::allows_image_url`]).
    fn to_http(&self, config: &Config) -> Result<HttpRequest, Error> {
        if !config.allows_image_url(&self.url) {
            return Err(
                ValidationError::new(Field::QrImageUrl, validate::Rule::UntrustedHost).into(),
            );
        }
        let mut request = Request::new(Vec::new());
        *request.method_mut() = Method::GET;
        *request.uri_mut() = self.url.clone();
        let headers = request.headers_mut();
        headers.insert(
            header::ACCEPT,
            http::HeaderValue::from_static("image/png, image/*;q=0.9"),
        );
        headers.insert(header::USER_AGENT, config.user_agent().clone());
        request.extensions_mut().insert(ResponseLimit::IMAGE);
        Ok(request)
    }

    fn from_http(&self, response: &HttpResponse) -> Result<Vec<u8>, Error> {
        Self::parse_response(response)
    }
}

impl QrImageRequest {
    /// Interprets the response to a QR image download: the image bytes.
    ///
    /// # Errors
    /// [`Error::Api`] for a failure status; [`Error::Response`] when the body is not an
    /// image.
    pub fn parse_response(response: &HttpResponse) -> Result<Vec<u8>, Error> {
        response::parse_image(OperationKind::QrImage, response)
    }
}

fn post_form(config: &Config, form: Form) -> HttpRequest {
    let mut request = Request::new(form.into_bytes());
    *request.method_mut() = Method::POST;
    *request.uri_mut() = config.endpoint().clone();
    let headers = request.headers_mut();
    headers.insert(TOKEN_HEADER, config.token_header().clone());
    headers.insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    headers.insert(
        header::ACCEPT,
        http::HeaderValue::from_static("application/json"),
    );
    headers.insert(header::USER_AGENT, config.user_agent().clone());
    // No `ResponseLimit` extension: `ResponseLimit::API` is what `ResponseLimit::of` reads
    // from a request without one (an extension costs allocations on every call).
    request
}

/// `****1234`: all but the last four characters masked.
fn mask(value: &str) -> String {
    let count = value.chars().count();
    let keep = count.saturating_sub(4);
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i < keep { '*' } else { c })
        .collect()
}

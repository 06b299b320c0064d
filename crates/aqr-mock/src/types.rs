//! The plain data types of the public API: options, credentials, log records, entries.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// The developer token the mock accepts when no credential is configured.
pub const DEFAULT_TOKEN: &str = "mock-developer-token";
/// The e-mail address paired with [`DEFAULT_TOKEN`].
pub const DEFAULT_EMAIL: &str = "dev@example.com";
/// The default capacity of the request log ([`MockOptions::request_log_capacity`]).
pub const DEFAULT_REQUEST_LOG_CAPACITY: usize = 10_000;
/// Request bodies larger than this are refused with `413 body_too_large`.
pub const MAX_REQUEST_BODY: usize = 64 * 1024;

/// A developer token and the e-mail address it belongs to.
///
/// `Debug` does not show the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    /// The value of the `AQR-DEVELOPER-TOKEN` header.
    pub token: String,
    /// The `email_address` that must accompany the token.
    pub email: String,
}

impl Credential {
    /// A credential from a token and an e-mail address.
    #[must_use]
    pub fn new(token: impl Into<String>, email: impl Into<String>) -> Self {
        Credential {
            token: token.into(),
            email: email.into(),
        }
    }
}

impl Default for Credential {
    /// [`DEFAULT_TOKEN`] and [`DEFAULT_EMAIL`].
    fn default() -> Self {
        Credential::new(DEFAULT_TOKEN, DEFAULT_EMAIL)
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("token", &"[REDACTED]")
            .field("email", &self.email)
            .finish()
    }
}

/// How to start a mock server. Start from [`MockOptions::default`] and change fields.
#[derive(Clone, Debug)]
pub struct MockOptions {
    /// The port to bind on 127.0.0.1; 0 picks a free port.
    pub port: u16,
    /// The accepted token/e-mail pairs (at least one). Default: one pair,
    /// [`DEFAULT_TOKEN`] / [`DEFAULT_EMAIL`].
    pub credentials: Vec<Credential>,
    /// Answer the API's failures with HTTP 200 (same JSON body), as some real services do.
    pub failures_as_200: bool,
    /// Keep entries in this JSON file: loaded on start, written atomically (temporary file
    /// + rename) shortly after every change and on shutdown.
    pub state_file: Option<PathBuf>,
    /// How many recent requests the request log keeps (0 turns it off).
    pub request_log_capacity: usize,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            port: 0,
            credentials: vec![Credential::default()],
            failures_as_200: false,
            state_file: None,
            request_log_capacity: DEFAULT_REQUEST_LOG_CAPACITY,
        }
    }
}

/// What a request asked for, as the mock classified it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MockAction {
    /// `POST /api/` with `action` = `aqr_create` or `create`.
    Create,
    /// `POST /api/` with `action` = `aqr_delete` or `delete`.
    Delete,
    /// `GET /res?keyword=ID`.
    QrImage,
    /// `GET /f/ID`.
    Page,
    /// Anything else (an unknown action or path, a wrong method, …).
    Other,
}

/// One request the mock received (control routes under `/__mock/` are not recorded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, e.g. `/api/`.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Headers in arrival order, names lower-case. The values of `aqr-developer-token` and
    /// `authorization`, and any value containing a configured token, are `[REDACTED]`.
    pub headers: Vec<(String, String)>,
    /// The decoded form fields of `POST /api/` (empty when the body is not a valid form).
    /// A value containing a configured token is `[REDACTED]`.
    pub form: Vec<(String, String)>,
    /// What the request asked for; both action spellings map to the same value.
    pub action: MockAction,
    /// The status the mock answered with (0 = the connection was dropped).
    pub status: u16,
    /// The kind of the injected fault that applied (`respond`, `drop_after_read`, …).
    pub fault: Option<String>,
}

/// An account entry the mock holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The entry's id (`account_id`).
    pub account_id: String,
    /// The e-mail address of the developer who created it.
    pub email: String,
    /// The account number as validated (digits only).
    pub account_number: String,
    /// The `bank_id` (0–59).
    pub bank_id: u8,
    /// The owner's name.
    pub account_owner: String,
    /// The phone number as validated.
    pub phone_number: String,
    /// The entry's label, if one was sent.
    pub account_name: Option<String>,
    /// `<base>/f/ID`.
    pub short_url: String,
    /// `<base>/res?keyword=ID`.
    pub qr_image: String,
}

//! The plain data types the mock reports: request actions, log records, entries.

use serde::{Deserialize, Serialize};

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
///
/// `headers` and `form` are kept only for authenticated requests, up to a cap (see
/// `truncated`).
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
    /// Whether the mock kept only part of the request: headers or form fields past the
    /// per-record cap were left out, or — for a request refused before authentication
    /// (`401`, `403`, `408`, `413`) — only the method, path, action and status were kept.
    #[serde(default)]
    pub truncated: bool,
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

//! A ledger entry as read back, and the filter that selects entries.

use serde::Serialize;

use crate::status::Status;

/// The ledger's id for an entry (not the service's `account_id`).
pub type EntryId = i64;

/// One create request and what became of it. Account and phone numbers are masked
/// (`*********4321`); the token is never recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The ledger's id for the entry.
    pub id: EntryId,
    /// Where the entry stands.
    pub status: Status,
    /// SHA-256 of the normalised request (see [`crate::CreateRecord::fingerprint`]).
    pub fingerprint: String,
    /// Which copy of an identical request this is (0 for the first).
    pub slot: u32,
    /// The developer's e-mail address the entry was created with.
    pub email: String,
    /// The service the entry was sent to.
    pub base_url: String,
    /// The `bank_id`.
    pub bank_id: u8,
    /// The account number, masked but for its last four digits.
    pub account_number: String,
    /// The account holder's name.
    pub account_owner: String,
    /// The phone number, masked but for its last four digits.
    pub phone_number: String,
    /// The entry's label, if any.
    pub account_name: Option<String>,
    /// The service's id for the entry, once created.
    pub account_id: Option<String>,
    /// The entry's public short URL, once created.
    pub short_url: Option<String>,
    /// Where the entry's QR image can be downloaded, once created.
    pub qr_image: Option<String>,
    /// Why the entry is `failed` or `unknown`.
    pub error: Option<String>,
    /// The import file the entry came from (an absolute path), if any.
    pub import_file: Option<String>,
    /// The line of the import file (1-based; the header is line 1 of a CSV file).
    pub import_line: Option<u64>,
    /// When the entry was first recorded (seconds since the Unix epoch).
    pub recorded_at: i64,
    /// When the entry last changed (seconds since the Unix epoch).
    pub updated_at: i64,
}

/// Which entries [`crate::Ledger::entries`] returns; every field set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryFilter {
    /// Only entries with this status.
    pub status: Option<Status>,
    /// Only entries sent to this service (compared without a trailing `/`).
    pub base_url: Option<String>,
    /// Only entries created with this e-mail address.
    pub email: Option<String>,
    /// Only entries from this import file (an absolute path, as recorded).
    pub import_file: Option<String>,
}

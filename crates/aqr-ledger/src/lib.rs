//! A local ledger of AQR entries, and the bookkeeping of bulk imports and deletes.
//!
//! The AQR API has no list, no lookup and no idempotency key: an `account_id` a program
//! loses can never be deleted through the API, and a create whose outcome is unknown
//! cannot be checked. The [`Ledger`] (a SQLite file in WAL mode, created with mode 0600)
//! records every create *before* it is sent — `pending`, with a fingerprint of the
//! normalised request — and its outcome after: `created` (with `account_id`, `short_url`,
//! `qr_image`), `failed` (provably not processed) or `unknown` (it may have been).
//! Deletes mark entries `deleted`. It never stores the developer token, and stores
//! account and phone numbers masked but for their last four digits.
//!
//! Bulk runs share one engine whatever drives them (the CLI's thread pool, an async
//! runtime, Python): [`import::read_file`] validates every row up front; [`ImportRun`]
//! decides per row — skip as already created, send, or hold as unknown (see
//! [`BulkCreate`], the sans-I/O state machine) — records each send, and returns one
//! [`RowResult`] per input row. [`DeleteRun`] does the same for deletes.
//!
//! ```
//! use aqr_core::{Bank, CreatedAccount, NewAccount};
//! use aqr_ledger::{Claim, CreateRecord, Ledger, Status};
//!
//! # let dir = std::env::temp_dir().join(format!("aqr-ledger-doc-{}", std::process::id()));
//! let ledger = Ledger::open(dir.join("ledger.sqlite3"))?;
//! let request = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "010-1234-5678")
//!     .validate()?;
//! let record = CreateRecord::new("dev@example.com", "https://aplx.link", &request);
//! let id = ledger.record_pending(&record, Claim::NextFree)?;   // before sending
//! let outcome: Result<CreatedAccount, aqr_core::Error> = Ok(CreatedAccount::new(
//!     "abcde",
//!     "https://aplx.link/res?keyword=abcde",
//!     "https://aq.gy/f/abcde",
//! ));
//! assert_eq!(ledger.record_outcome(id, &request, &outcome)?, Status::Created);
//! let entry = ledger.entry(id)?.unwrap();
//! assert_eq!(entry.account_number, "*********4321");
//! # std::fs::remove_dir_all(dir).ok();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod bulk_create;
mod bulk_run;
mod claim;
mod clock;
mod delete_run;
mod entry;
mod error;
mod group_commit;
pub mod import;
mod import_run;
mod ledger;
mod location;
mod outcome;
mod record;
mod schema;
mod status;

pub use bulk_create::{BulkCreate, BulkOptions, HELD_UNKNOWN, INTERRUPTED, Job, STOPPED};
pub use bulk_run::BulkRun;
pub use claim::Claim;
pub use delete_run::{DeleteRun, DeleteTicket};
pub use entry::{Entry, EntryFilter, EntryId};
pub use error::LedgerError;
pub use import_run::{ImportRun, Ticket};
pub use ledger::Ledger;
pub use location::{DEFAULT_FILE, ENV_LEDGER, resolve as resolve_path};
pub use outcome::{Problem, Progress, RowResult, RowStatus};
pub use record::{CreateRecord, VISIBLE_DIGITS, mask};
pub use status::{Status, UnknownStatus};

/// The schema version this build writes (see the `schema_version` table).
#[must_use]
pub fn schema_version() -> i64 {
    schema::latest()
}

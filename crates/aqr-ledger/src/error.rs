//! What can go wrong opening or writing the ledger.

use std::path::PathBuf;

/// A ledger operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// No ledger path was given, `AQR_LEDGER` is not set and the platform has no data
    /// directory (no home directory).
    #[error(
        "no ledger location: set AQR_LEDGER or pass a path (the platform has no data directory)"
    )]
    NoLocation,
    /// The ledger file or its directory could not be created or opened.
    #[error("cannot open the ledger {}: {source}", path.display())]
    Open {
        /// The ledger file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file was written by a newer version of this software.
    #[error("the ledger {} has schema version {found}; this version reads up to {supported}: upgrade aqr", path.display())]
    TooNew {
        /// The ledger file.
        path: PathBuf,
        /// The version found in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// Another run has already recorded an entry for this row (two imports of the same
    /// rows at once): nothing was sent for it.
    #[error("another run recorded this entry at the same time (entry {0}); nothing was sent")]
    Conflict(i64),
    /// The shared commit of several `pending` records failed (the disk is full, …): none of
    /// them is recorded, and none may be sent.
    #[error("the ledger could not record the pending entries: {0}")]
    Batch(String),
    /// SQLite reported an error (the file is not a ledger, the disk is full, …).
    #[error("ledger database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

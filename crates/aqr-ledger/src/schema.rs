//! The ledger's tables and their migrations.
//!
//! `schema_version` holds one row per migration applied. Opening a ledger applies the
//! missing migrations in one transaction; a file newer than this build is refused rather
//! than misread. A new migration is appended to [`MIGRATIONS`] and never edits an old one.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::LedgerError;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    // Version 1.
    "CREATE TABLE entries (
        id             INTEGER PRIMARY KEY,
        status         TEXT    NOT NULL
                       CHECK (status IN ('pending', 'created', 'failed', 'unknown', 'deleted')),
        fingerprint    TEXT    NOT NULL,
        slot           INTEGER NOT NULL,
        email          TEXT    NOT NULL,
        base_url       TEXT    NOT NULL,
        bank_id        INTEGER NOT NULL,
        account_number TEXT    NOT NULL,
        account_owner  TEXT    NOT NULL,
        phone_number   TEXT    NOT NULL,
        account_name   TEXT,
        account_id     TEXT,
        short_url      TEXT,
        qr_image       TEXT,
        error          TEXT,
        import_file    TEXT,
        import_line    INTEGER,
        recorded_at    INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL
    );
    -- One live entry per (request, copy): two runs can never both create copy N.
    CREATE UNIQUE INDEX entries_live_slot ON entries (fingerprint, slot)
        WHERE status <> 'deleted';
    CREATE INDEX entries_account_id ON entries (account_id);
    CREATE INDEX entries_import_file ON entries (import_file);",
];

/// The schema version this build writes.
#[must_use]
pub(crate) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the schema of `connection` (the ledger at `path`) up to date.
///
/// # Errors
/// [`LedgerError::TooNew`] for a file from a newer build; SQLite errors.
pub(crate) fn migrate(connection: &mut Connection, path: &Path) -> Result<(), LedgerError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    transaction.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
        )",
    )?;
    let found: i64 = transaction.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_version",
        [],
        |row| row.get(0),
    )?;
    if found > latest() {
        return Err(LedgerError::TooNew {
            path: path.to_owned(),
            found,
            supported: latest(),
        });
    }
    let applied = usize::try_from(found).unwrap_or(0);
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        transaction.execute_batch(sql)?;
        transaction.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
            (index as i64 + 1, crate::clock::now()),
        )?;
    }
    transaction.commit()?;
    Ok(())
}

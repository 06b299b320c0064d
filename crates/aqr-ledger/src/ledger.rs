//! The ledger file: open it, record creates before they are sent and their outcomes
//! after, mark deletes, list entries.

use std::fs::{DirBuilder, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use aqr_core::{CreateRequest, CreatedAccount};
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, params_from_iter, types::Value};

use crate::claim::Claim;
use crate::clock::now;
use crate::entry::{Entry, EntryFilter, EntryId};
use crate::error::LedgerError;
use crate::group_commit::{GroupCommit, Request};
use crate::record::{CreateRecord, mask};
use crate::status::Status;
use crate::{location, schema};

/// How long a write waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest error text recorded, in characters.
const MAX_ERROR_CHARS: usize = 500;

/// Fingerprints per `IN (…)` query.
const LOOKUP_CHUNK: usize = 500;

/// A ledger of AQR entries in a SQLite file (WAL mode, created with mode 0600).
///
/// Every method takes `&self`: one `Ledger` can be shared by the threads or tasks of a
/// bulk run (writes are serialised on one connection; other processes wait up to 10 s
/// for each other's writes).
pub struct Ledger {
    connection: Mutex<Connection>,
    pending: GroupCommit,
    path: PathBuf,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger").field("path", &self.path).finish()
    }
}

impl Ledger {
    /// Opens the ledger at `path`, creating it (mode 0600, its directory 0700) and
    /// bringing its schema up to date as needed.
    ///
    /// # Errors
    /// [`LedgerError::Open`] when the file or directory cannot be created,
    /// [`LedgerError::TooNew`] for a ledger from a newer build, SQLite errors (e.g. the
    /// file is not a SQLite database).
    pub fn open(path: impl AsRef<Path>) -> Result<Ledger, LedgerError> {
        let path = path.as_ref().to_owned();
        create_private_file(&path).map_err(|source| LedgerError::Open {
            path: path.clone(),
            source,
        })?;
        let mut connection = Connection::open(&path)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(LedgerError::Sqlite(rusqlite::Error::InvalidQuery));
        }
        // Outcomes are written with `NORMAL` (safe from a process crash; a power loss can
        // undo the last ones, leaving their entries `pending`, which a rerun treats as
        // unknown: never a duplicate). `pending` records are written with `FULL` (on disk
        // before the create is sent), which also flushes every earlier commit.
        connection.execute_batch("PRAGMA synchronous = NORMAL")?;
        schema::migrate(&mut connection, &path)?;
        Ok(Ledger {
            connection: Mutex::new(connection),
            pending: GroupCommit::default(),
            path,
        })
    }

    /// Opens the ledger at [`location::resolve`]'s place: `explicit` when given, else
    /// `AQR_LEDGER`, else the platform's data directory.
    ///
    /// # Errors
    /// [`LedgerError::NoLocation`], or as [`Ledger::open`].
    pub fn open_default(explicit: Option<&Path>) -> Result<Ledger, LedgerError> {
        Ledger::open(location::resolve(explicit)?)
    }

    /// The ledger file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records `record` as `pending` in the slot `claim` names, on disk before it returns;
    /// call it before sending the create, and [`Ledger::record_outcome`] after. Callers on
    /// several threads share one disk sync (group commit).
    ///
    /// # Errors
    /// [`LedgerError::Conflict`] when another run holds the slot or changed the entry
    /// (then do not send); SQLite errors.
    pub fn record_pending(
        &self,
        record: &CreateRecord,
        claim: Claim,
    ) -> Result<EntryId, LedgerError> {
        let request = Request {
            record: record.clone(),
            claim,
        };
        self.pending
            .submit(request, |batch| self.commit_pending(batch))
    }

    /// Writes every pending record of `batch` in one transaction, synced to disk, each in
    /// its own savepoint (a conflict fails that record only).
    fn commit_pending(&self, batch: &[Request]) -> Vec<Result<EntryId, LedgerError>> {
        let mut connection = self.lock();
        let mut results = Vec::with_capacity(batch.len());
        let outcome = (|| -> Result<(), LedgerError> {
            connection.execute_batch("PRAGMA synchronous = FULL")?;
            let mut transaction =
                connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let now = now();
            for request in batch {
                let savepoint = transaction.savepoint()?;
                let claimed = claim_slot(&savepoint, &request.record, request.claim, now);
                if claimed.is_ok() {
                    savepoint.commit()?;
                }
                results.push(claimed);
            }
            transaction.commit()?;
            Ok(())
        })();
        let restored = connection.execute_batch("PRAGMA synchronous = NORMAL");
        match outcome.and(restored.map_err(LedgerError::from)) {
            Ok(()) => results,
            // The commit itself failed: nothing of the batch is on disk.
            Err(error) => {
                let text = error.to_string();
                batch
                    .iter()
                    .map(|_| Err(LedgerError::Batch(text.clone())))
                    .collect()
            }
        }
    }

    /// Records what became of the create recorded as `id`: `created` on success, `failed`
    /// when the error proves nothing was processed, `unknown` when the entry may exist.
    /// `request` is the create that was sent: its account and phone numbers are masked
    /// in the recorded error text (a server may echo them). Returns the status recorded.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn record_outcome(
        &self,
        id: EntryId,
        request: &CreateRequest,
        outcome: &Result<CreatedAccount, aqr_core::Error>,
    ) -> Result<Status, LedgerError> {
        match outcome {
            Ok(created) => {
                self.mark_created(id, created)?;
                Ok(Status::Created)
            }
            Err(error) => {
                let status = if error.may_have_been_processed() {
                    Status::Unknown
                } else {
                    Status::Failed
                };
                self.set_status(id, status, Some(&error_text(&error.to_string(), request)))?;
                Ok(status)
            }
        }
    }

    /// Marks the entry `id` `created` with what the service returned.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn mark_created(&self, id: EntryId, created: &CreatedAccount) -> Result<(), LedgerError> {
        self.lock().execute(
            "UPDATE entries SET status = 'created', account_id = ?1, short_url = ?2,
                    qr_image = ?3, error = NULL, updated_at = ?4
              WHERE id = ?5",
            (
                &created.account_id,
                &created.short_url,
                &created.qr_image,
                now(),
                id,
            ),
        )?;
        Ok(())
    }

    /// Marks the entry `id` `unknown` with `reason` (e.g. a `pending` entry left by a run
    /// that stopped while its request may have been on its way).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn mark_unknown(&self, id: EntryId, reason: &str) -> Result<(), LedgerError> {
        self.set_status(id, Status::Unknown, Some(reason))
    }

    /// Marks the entry with `account_id` on `base_url` `deleted`; `false` when the ledger
    /// has no such created entry.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn mark_deleted(&self, base_url: &str, account_id: &str) -> Result<bool, LedgerError> {
        let changed = self.lock().execute(
            "UPDATE entries SET status = 'deleted', error = NULL, updated_at = ?1
              WHERE base_url = ?2 AND account_id = ?3 AND status = 'created'",
            (now(), base_url.trim_end_matches('/'), account_id),
        )?;
        Ok(changed > 0)
    }

    /// The entries that match `filter`, oldest first.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn entries(&self, filter: &EntryFilter) -> Result<Vec<Entry>, LedgerError> {
        let mut conditions = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut condition = |sql: &str, value: String| {
            values.push(Value::Text(value));
            conditions.push(format!("{sql} = ?{}", values.len()));
        };
        if let Some(status) = filter.status {
            condition("status", status.as_str().to_owned());
        }
        if let Some(base_url) = &filter.base_url {
            condition("base_url", base_url.trim_end_matches('/').to_owned());
        }
        if let Some(email) = &filter.email {
            condition("email", email.clone());
        }
        if let Some(file) = &filter.import_file {
            condition("import_file", file.clone());
        }
        let mut sql = format!("SELECT {COLUMNS} FROM entries");
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY id");
        let connection = self.lock();
        let mut statement = connection.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), entry_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The entry with the ledger id `id`.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn entry(&self, id: EntryId) -> Result<Option<Entry>, LedgerError> {
        let connection = self.lock();
        Ok(connection
            .query_row(
                &format!("SELECT {COLUMNS} FROM entries WHERE id = ?1"),
                [id],
                entry_from_row,
            )
            .optional()?)
    }

    /// Every entry that is not `deleted` and has one of these fingerprints: what a bulk
    /// run needs to know before it plans (see [`crate::BulkCreate::plan`]).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn live_entries<'a>(
        &self,
        fingerprints: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<Entry>, LedgerError> {
        let mut wanted: Vec<&str> = fingerprints.into_iter().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let connection = self.lock();
        let mut found = Vec::new();
        for chunk in wanted.chunks(LOOKUP_CHUNK) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut statement = connection.prepare(&format!(
                "SELECT {COLUMNS} FROM entries
                  WHERE status <> 'deleted' AND fingerprint IN ({marks})"
            ))?;
            let rows = statement.query_map(params_from_iter(chunk), entry_from_row)?;
            for row in rows {
                found.push(row?);
            }
        }
        found.sort_by_key(|entry| entry.id);
        Ok(found)
    }

    fn set_status(
        &self,
        id: EntryId,
        status: Status,
        error: Option<&str>,
    ) -> Result<(), LedgerError> {
        self.lock().execute(
            "UPDATE entries SET status = ?1, error = ?2, updated_at = ?3 WHERE id = ?4",
            (status.as_str(), error, now(), id),
        )?;
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave the connection half-written: every
        // change is one statement or one transaction.
        self.connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

const COLUMNS: &str = "id, status, fingerprint, slot, email, base_url, bank_id, account_number,
    account_owner, phone_number, account_name, account_id, short_url, qr_image, error,
    import_file, import_line, recorded_at, updated_at";

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let status: String = row.get(1)?;
    let status = status.parse::<Status>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Entry {
        id: row.get(0)?,
        status,
        fingerprint: row.get(2)?,
        slot: row.get(3)?,
        email: row.get(4)?,
        base_url: row.get(5)?,
        bank_id: row.get(6)?,
        account_number: row.get(7)?,
        account_owner: row.get(8)?,
        phone_number: row.get(9)?,
        account_name: row.get(10)?,
        account_id: row.get(11)?,
        short_url: row.get(12)?,
        qr_image: row.get(13)?,
        error: row.get(14)?,
        import_file: row.get(15)?,
        import_line: row.get(16)?,
        recorded_at: row.get(17)?,
        updated_at: row.get(18)?,
    })
}

/// Claims the slot `claim` names for `record` inside `transaction`.
fn claim_slot(
    transaction: &Connection,
    record: &CreateRecord,
    claim: Claim,
    now: i64,
) -> Result<EntryId, LedgerError> {
    let id = match claim {
        Claim::Resend { id, seen } => {
            let changed = transaction.execute(
                "UPDATE entries SET status = 'pending', error = NULL, import_file = ?1,
                            import_line = ?2, updated_at = ?3
                      WHERE id = ?4 AND status = ?5 AND fingerprint = ?6",
                (
                    &record.import_file,
                    record.import_line,
                    now,
                    id,
                    seen.as_str(),
                    &record.fingerprint,
                ),
            )?;
            if changed != 1 {
                return Err(LedgerError::Conflict(id));
            }
            id
        }
        Claim::Copy(slot) => insert_pending(transaction, record, slot, now)?,
        Claim::NextFree => {
            let slot = lowest_free_slot(transaction, &record.fingerprint)?;
            insert_pending(transaction, record, slot, now)?
        }
    };
    Ok(id)
}

fn insert_pending(
    transaction: &Connection,
    record: &CreateRecord,
    slot: u32,
    now: i64,
) -> Result<EntryId, LedgerError> {
    let inserted = transaction.execute(
        "INSERT INTO entries (status, fingerprint, slot, email, base_url, bank_id, account_number,
                              account_owner, phone_number, account_name, import_file, import_line,
                              recorded_at, updated_at)
         VALUES ('pending', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        (
            &record.fingerprint,
            slot,
            &record.email,
            &record.base_url,
            record.bank.id(),
            &record.account_number,
            &record.account_owner,
            &record.phone_number,
            &record.account_name,
            &record.import_file,
            record.import_line,
            now,
        ),
    );
    match inserted {
        Ok(_) => Ok(transaction.last_insert_rowid()),
        Err(rusqlite::Error::SqliteFailure(error, _))
            if error.code == ErrorCode::ConstraintViolation =>
        {
            let holder: EntryId = transaction.query_row(
                "SELECT id FROM entries WHERE fingerprint = ?1 AND slot = ?2 AND status <> 'deleted'",
                (&record.fingerprint, slot),
                |row| row.get(0),
            )?;
            Err(LedgerError::Conflict(holder))
        }
        Err(error) => Err(error.into()),
    }
}

fn lowest_free_slot(transaction: &Connection, fingerprint: &str) -> Result<u32, LedgerError> {
    let mut statement = transaction.prepare(
        "SELECT slot FROM entries WHERE fingerprint = ?1 AND status <> 'deleted' ORDER BY slot",
    )?;
    let taken = statement.query_map([fingerprint], |row| row.get::<_, u32>(0))?;
    let mut free = 0;
    for slot in taken {
        if slot? != free {
            break;
        }
        free += 1;
    }
    Ok(free)
}

/// The error as recorded: the request's account and phone numbers masked, at most
/// [`MAX_ERROR_CHARS`] characters.
fn error_text(message: &str, request: &CreateRequest) -> String {
    let mut text = message.to_owned();
    for secret in [request.account_number(), request.phone_number()] {
        if !secret.is_empty() {
            text = text.replace(secret, &mask(secret));
        }
    }
    match text.char_indices().nth(MAX_ERROR_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// Creates `path` (and its directory) readable and writable by the owner only, unless it
/// exists. SQLite gives its `-wal` and `-shm` files the same permissions.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

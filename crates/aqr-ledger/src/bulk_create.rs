//! The bookkeeping of a bulk create, without I/O: which rows to skip, send or hold given
//! the ledger, what to claim before each send, and what each row ended as.
//!
//! A row is matched to the ledger by its fingerprint and its copy number (the second
//! identical row of a file is copy 1): copy `n` of a request is the live entry in slot
//! `n`. Given that entry, a row is
//!
//! | ledger entry | plan |
//! |---|---|
//! | none | send, claiming the slot |
//! | `created` | skip, reporting the recorded ids (`already_created`) |
//! | `failed` | send again (provably never processed) |
//! | `unknown` | hold as `unknown`; send again only with `resend_unknown` |
//! | `pending` | left by a run that stopped mid-request: as `unknown` |
//!
//! [`crate::ImportRun`] drives it against a [`crate::Ledger`]; a driver without a ledger
//! plans with no entries and sends every row.

use std::collections::{HashMap, VecDeque};

use aqr_core::{CreateRequest, CreatedAccount, NewAccount};

use crate::claim::Claim;
use crate::entry::{Entry, EntryId};
use crate::import::{ImportFile, RowError};
use crate::outcome::{Problem, Progress, RowResult, RowStatus};
use crate::record::CreateRecord;
use crate::status::Status;

/// Why a held `unknown` row is not sent.
pub const HELD_UNKNOWN: &str = "not sent again: an earlier create of this row may have \
    happened (outcome unknown); check the AQR management site, then rerun with \
    --resend-unknown if the entry does not exist";

/// Why a `pending` entry found at the start of a run is `unknown`.
pub const INTERRUPTED: &str = "interrupted: the run stopped while this create may have \
    been on its way to the service";

/// Why queued rows are not sent after [`BulkCreate::stop`].
pub const STOPPED: &str = "interrupted before it was sent; a rerun sends it";

/// Options of a bulk create.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BulkOptions {
    /// Send rows whose earlier create has an unknown outcome (after the user checked that
    /// the entry does not exist).
    pub resend_unknown: bool,
}

/// What to do with a row.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Plan {
    /// Already created: report the entry.
    Skip(Entry),
    /// Send, claiming this slot.
    Send(Claim),
    /// Outcome unknown: report, do not send.
    Hold(Entry),
}

struct Row {
    line: u64,
    valid: Option<Valid>,
    invalid: Option<RowError>,
    result: Option<RowResult>,
}

struct Valid {
    account: NewAccount,
    request: CreateRequest,
    record: CreateRecord,
    copy: u32,
    plan: Option<Plan>,
}

/// A create to send: record it pending with [`Job::claim`], send [`Job::account`], then
/// report the outcome with [`BulkCreate::finish`].
#[derive(Clone, Debug)]
pub struct Job {
    /// The row's index in the run (pass it back to [`BulkCreate::finish`]).
    pub index: usize,
    /// The row's line in the input.
    pub line: u64,
    /// The fields to send.
    pub account: NewAccount,
    /// The validated request (for the ledger).
    pub request: CreateRequest,
    /// What the ledger records.
    pub record: CreateRecord,
    /// The slot to claim in the ledger.
    pub claim: Claim,
}

/// The rows of a bulk create and what became of each.
pub struct BulkCreate {
    rows: Vec<Row>,
    queue: VecDeque<usize>,
    options: BulkOptions,
    progress: Progress,
}

impl BulkCreate {
    /// The rows of `file` (valid and invalid, in line order), to be sent by `email` to
    /// `base_url`; `import_file` (an absolute path) is recorded with each entry.
    #[must_use]
    pub fn new(
        file: ImportFile,
        email: &str,
        base_url: &str,
        import_file: Option<&str>,
        options: BulkOptions,
    ) -> Self {
        let mut copies: HashMap<String, u32> = HashMap::new();
        let mut rows: Vec<Row> = file
            .rows
            .into_iter()
            .map(|row| {
                let mut record = CreateRecord::new(email, base_url, &row.request);
                if let Some(path) = import_file {
                    record = record.from_import(path, row.line);
                }
                let copy = copies.entry(record.fingerprint.clone()).or_insert(0);
                let valid = Valid {
                    account: row.account,
                    request: row.request,
                    record,
                    copy: *copy,
                    plan: None,
                };
                *copy += 1;
                Row {
                    line: row.line,
                    valid: Some(valid),
                    invalid: None,
                    result: None,
                }
            })
            .collect();
        rows.extend(file.invalid.into_iter().map(|error| Row {
            line: error.line,
            valid: None,
            invalid: Some(error),
            result: None,
        }));
        rows.sort_by_key(|row| row.line);
        let progress = Progress::new(rows.len());
        BulkCreate {
            rows,
            queue: VecDeque::new(),
            options,
            progress,
        }
    }

    /// The fingerprints of the valid rows: look up their live entries with
    /// [`crate::Ledger::live_entries`] and pass them to [`BulkCreate::plan`].
    pub fn fingerprints(&self) -> impl Iterator<Item = &str> {
        self.rows
            .iter()
            .filter_map(|row| row.valid.as_ref())
            .map(|valid| valid.record.fingerprint())
    }

    /// Decides every row given the ledger's live entries for its fingerprints (none
    /// without a ledger) and queues the rows to send. Returns the `pending` entries left
    /// by an interrupted run: mark them `unknown` ([`INTERRUPTED`]) unless they are sent
    /// again.
    pub fn plan(&mut self, known: &[Entry]) -> Vec<EntryId> {
        let slots: HashMap<(&str, u32), &Entry> = known
            .iter()
            .filter(|entry| entry.status != Status::Deleted)
            .map(|entry| ((entry.fingerprint.as_str(), entry.slot), entry))
            .collect();
        let mut interrupted = Vec::new();
        for (index, row) in self.rows.iter_mut().enumerate() {
            if let Some(error) = row.invalid.take() {
                let result = RowResult::new(row.line, RowStatus::Invalid)
                    .with_problem(Problem::Invalid(error));
                finish_row(&mut self.progress, row, result);
                continue;
            }
            let Some(valid) = row.valid.as_mut() else {
                continue;
            };
            let entry = slots
                .get(&(valid.record.fingerprint(), valid.copy))
                .copied();
            let plan = decide(entry, valid.copy, self.options);
            match &plan {
                Plan::Send(_) => self.queue.push_back(index),
                Plan::Skip(entry) => {
                    let result = entry_result(row.line, RowStatus::AlreadyCreated, entry);
                    finish_row(&mut self.progress, row, result);
                }
                Plan::Hold(entry) => {
                    let reason = if entry.status == Status::Pending {
                        interrupted.push(entry.id);
                        INTERRUPTED
                    } else {
                        HELD_UNKNOWN
                    };
                    let earlier = entry
                        .error
                        .as_deref()
                        .map(|error| format!("; earlier: {error}"))
                        .unwrap_or_default();
                    let result = entry_result(row.line, RowStatus::Unknown, entry).with_problem(
                        Problem::NotSent(format!("{reason} (ledger entry {}{earlier})", entry.id)),
                    );
                    finish_row(&mut self.progress, row, result);
                }
            }
            if let Some(valid) = row.valid.as_mut() {
                valid.plan = Some(plan);
            }
        }
        interrupted
    }

    /// The next row to send, or `None` when every row is dispatched (or the run stopped).
    pub fn next_job(&mut self) -> Option<Job> {
        let index = self.queue.pop_front()?;
        let row = self.rows.get(index)?;
        let valid = row.valid.as_ref()?;
        let Some(Plan::Send(claim)) = valid.plan.clone() else {
            return None;
        };
        Some(Job {
            index,
            line: row.line,
            account: valid.account.clone(),
            request: valid.request.clone(),
            record: valid.record.clone(),
            claim,
        })
    }

    /// Records what the create of row `index` returned (`entry`: its ledger entry, if
    /// any). Returns the row's status: `created`, `failed` or `unknown`.
    pub fn finish(
        &mut self,
        index: usize,
        entry: Option<EntryId>,
        outcome: Result<CreatedAccount, aqr_core::Error>,
    ) -> RowStatus {
        let Some(row) = self.rows.get_mut(index) else {
            return RowStatus::NotSent;
        };
        let mut result = match outcome {
            Ok(created) => RowResult::new(row.line, RowStatus::Created).with_created(&created),
            Err(error) => {
                let status = if error.may_have_been_processed() {
                    RowStatus::Unknown
                } else {
                    RowStatus::Failed
                };
                RowResult::new(row.line, status).with_problem(Problem::Sdk(error))
            }
        };
        result.entry = entry;
        let status = result.status;
        finish_row(&mut self.progress, row, result);
        status
    }

    /// Records that row `index` was not sent, for `reason` (another run held its slot,
    /// the ledger could not record it).
    pub fn not_sent(&mut self, index: usize, reason: String) {
        if let Some(row) = self.rows.get_mut(index) {
            let result =
                RowResult::new(row.line, RowStatus::NotSent).with_problem(Problem::NotSent(reason));
            finish_row(&mut self.progress, row, result);
        }
    }

    /// Stops dispatching: every row still queued is `not_sent`. Rows already handed out
    /// are still finished by their driver.
    pub fn stop(&mut self) {
        while let Some(index) = self.queue.pop_front() {
            self.not_sent(index, STOPPED.to_owned());
        }
    }

    /// Rows done so far, by status.
    #[must_use]
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// One result per row, in line order (a row never finished — its driver vanished —
    /// is `not_sent`).
    #[must_use]
    pub fn into_results(self) -> Vec<RowResult> {
        self.rows
            .into_iter()
            .map(|row| {
                row.result.unwrap_or_else(|| {
                    RowResult::new(row.line, RowStatus::NotSent)
                        .with_problem(Problem::NotSent(STOPPED.to_owned()))
                })
            })
            .collect()
    }
}

fn decide(entry: Option<&Entry>, copy: u32, options: BulkOptions) -> Plan {
    let Some(entry) = entry else {
        return Plan::Send(Claim::Copy(copy));
    };
    let resend = Plan::Send(Claim::Resend {
        id: entry.id,
        seen: entry.status,
    });
    match entry.status {
        Status::Created => Plan::Skip(entry.clone()),
        Status::Failed => resend,
        Status::Unknown | Status::Pending if options.resend_unknown => resend,
        // `Deleted` entries are not live; they never reach here.
        Status::Unknown | Status::Pending | Status::Deleted => Plan::Hold(entry.clone()),
    }
}

fn entry_result(line: u64, status: RowStatus, entry: &Entry) -> RowResult {
    let mut result = RowResult::new(line, status);
    result.entry = Some(entry.id);
    result.account_id.clone_from(&entry.account_id);
    result.short_url.clone_from(&entry.short_url);
    result.qr_image.clone_from(&entry.qr_image);
    result
}

fn finish_row(progress: &mut Progress, row: &mut Row, result: RowResult) {
    if row.result.is_none() {
        progress.add(result.status);
    }
    row.result = Some(result);
}

//! What became of one row of a bulk run: the line of the results file.

use std::fmt;

use aqr_core::CreatedAccount;
use serde::Serialize;

use crate::entry::EntryId;
use crate::import::RowError;

/// The status of a row in a bulk run's results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// The entry was created by this run.
    Created,
    /// The ledger already had the entry created by an earlier run: not sent again.
    AlreadyCreated,
    /// The entry was deleted by this run.
    Deleted,
    /// The request provably did not take effect; a rerun sends it again.
    Failed,
    /// The create may have happened (now, or in an earlier run whose outcome is
    /// unknown): not sent again unless the user asks (`--resend-unknown`).
    Unknown,
    /// The row broke a rule; nothing was sent.
    Invalid,
    /// The run stopped (Ctrl-C, a ledger error) or another run held the row before it
    /// was sent; a rerun picks it up.
    NotSent,
}

impl RowStatus {
    /// Every status, in the order of the summary.
    pub const ALL: [RowStatus; 7] = [
        RowStatus::Created,
        RowStatus::AlreadyCreated,
        RowStatus::Deleted,
        RowStatus::Failed,
        RowStatus::Unknown,
        RowStatus::Invalid,
        RowStatus::NotSent,
    ];

    /// The snake-case name written in results files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Created => "created",
            RowStatus::AlreadyCreated => "already_created",
            RowStatus::Deleted => "deleted",
            RowStatus::Failed => "failed",
            RowStatus::Unknown => "unknown",
            RowStatus::Invalid => "invalid",
            RowStatus::NotSent => "not_sent",
        }
    }
}

impl fmt::Display for RowStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a row is not `created` / `deleted`.
#[derive(Debug)]
pub enum Problem {
    /// The call failed, or its outcome is unknown: the SDK's error.
    Sdk(aqr_core::Error),
    /// The row broke a rule.
    Invalid(RowError),
    /// The row was not sent, for this reason.
    NotSent(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Sdk(error) => error.fmt(f),
            Problem::Invalid(error) => write!(f, "{} {}", error.field, error.message),
            Problem::NotSent(reason) => f.write_str(reason),
        }
    }
}

/// One row of a bulk run's results.
#[derive(Debug)]
pub struct RowResult {
    /// The row's line in the input (1-based).
    pub line: u64,
    /// What became of it.
    pub status: RowStatus,
    /// The ledger entry, when the row has one.
    pub entry: Option<EntryId>,
    /// The entry's id at the service (for creates, once created; for deletes, the id
    /// deleted).
    pub account_id: Option<String>,
    /// The entry's public short URL (creates).
    pub short_url: Option<String>,
    /// The entry's QR image URL (creates).
    pub qr_image: Option<String>,
    /// Why the row is not done, if it is not.
    pub problem: Option<Problem>,
}

impl RowResult {
    pub(crate) fn new(line: u64, status: RowStatus) -> Self {
        RowResult {
            line,
            status,
            entry: None,
            account_id: None,
            short_url: None,
            qr_image: None,
            problem: None,
        }
    }

    pub(crate) fn with_created(mut self, created: &CreatedAccount) -> Self {
        self.account_id = Some(created.account_id.clone());
        self.short_url = Some(created.short_url.clone());
        self.qr_image = Some(created.qr_image.clone());
        self
    }

    pub(crate) fn with_problem(mut self, problem: Problem) -> Self {
        self.problem = Some(problem);
        self
    }

    /// The created entry, when the row has one (`created` or `already_created`).
    #[must_use]
    pub fn created(&self) -> Option<CreatedAccount> {
        Some(CreatedAccount::new(
            self.account_id.clone()?,
            self.qr_image.clone()?,
            self.short_url.clone()?,
        ))
    }
}

/// How far a bulk run is: rows done, by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows in the run.
    pub total: usize,
    counts: [usize; RowStatus::ALL.len()],
}

impl Progress {
    /// No row done yet out of `total`.
    #[must_use]
    pub fn new(total: usize) -> Self {
        Progress {
            total,
            counts: [0; RowStatus::ALL.len()],
        }
    }

    /// Counts one more row with `status`.
    pub fn add(&mut self, status: RowStatus) {
        if let Some(count) = self.counts.get_mut(status as usize) {
            *count += 1;
        }
    }

    /// Rows with this status so far.
    #[must_use]
    pub fn count(&self, status: RowStatus) -> usize {
        self.counts.get(status as usize).copied().unwrap_or(0)
    }

    /// Rows finished so far.
    #[must_use]
    pub fn done(&self) -> usize {
        self.counts.iter().sum()
    }
}

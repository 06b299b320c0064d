//! A bulk create against a ledger: the I/O around [`BulkCreate`] that every driver
//! shares, so that a thread pool, an async runtime or a Python loop only sends.
//!
//! ```text
//! let run = ImportRun::start(file, email, base_url, origin, options, Some(ledger))?;
//! // in each worker (thread or task), until `next` returns None:
//! while let Some(ticket) = run.next() {
//!     let outcome = client.create(ticket.account());   // or `.await`
//!     run.finish(ticket, outcome);
//! }
//! let results = run.into_results();                    // one per input row
//! ```

use std::sync::{Arc, Mutex, MutexGuard};

use aqr_core::{CreatedAccount, NewAccount};

use crate::bulk_create::{BulkCreate, BulkOptions, INTERRUPTED, Job};
use crate::entry::EntryId;
use crate::error::LedgerError;
use crate::import::ImportFile;
use crate::ledger::Ledger;
use crate::outcome::{Progress, RowResult, RowStatus};

/// A create to send, recorded `pending` in the ledger (when there is one).
#[derive(Debug)]
pub struct Ticket {
    job: Job,
    entry: Option<EntryId>,
}

impl Ticket {
    /// The fields to send.
    #[must_use]
    pub fn account(&self) -> &NewAccount {
        &self.job.account
    }

    /// The row's line in the input.
    #[must_use]
    pub fn line(&self) -> u64 {
        self.job.line
    }

    /// The ledger entry recorded for it.
    #[must_use]
    pub fn entry(&self) -> Option<EntryId> {
        self.entry
    }
}

/// A bulk create in progress; share it (`&ImportRun` or `Arc<ImportRun>`) between
/// workers.
pub struct ImportRun {
    ledger: Option<Arc<Ledger>>,
    state: Mutex<State>,
}

struct State {
    bulk: BulkCreate,
    /// The first ledger failure: nothing more is sent after it.
    ledger_error: Option<String>,
}

impl ImportRun {
    /// Plans the rows of `file` against `ledger` (or sends every row without one) and
    /// marks the `pending` entries an interrupted run left as `unknown`.
    ///
    /// # Errors
    /// Ledger errors while reading it or marking entries; nothing was sent.
    pub fn start(
        file: ImportFile,
        email: &str,
        base_url: &str,
        import_file: Option<&str>,
        options: BulkOptions,
        ledger: Option<Arc<Ledger>>,
    ) -> Result<ImportRun, LedgerError> {
        let mut bulk = BulkCreate::new(file, email, base_url, import_file, options);
        if let Some(ledger) = &ledger {
            let known = ledger.live_entries(bulk.fingerprints())?;
            for id in bulk.plan(&known) {
                ledger.mark_unknown(id, INTERRUPTED)?;
            }
        } else {
            bulk.plan(&[]);
        }
        Ok(ImportRun {
            ledger,
            state: Mutex::new(State {
                bulk,
                ledger_error: None,
            }),
        })
    }

    /// The next create to send, already recorded `pending`; `None` when there is none
    /// left, after [`ImportRun::stop`], or after a ledger failure (the rest is then
    /// `not_sent`).
    pub fn next(&self) -> Option<Ticket> {
        loop {
            let job = self.lock().bulk.next_job()?;
            let Some(ledger) = &self.ledger else {
                return Some(Ticket { job, entry: None });
            };
            match ledger.record_pending(&job.record, job.claim) {
                Ok(id) => {
                    return Some(Ticket {
                        job,
                        entry: Some(id),
                    });
                }
                // Another run holds this row: leave it to that run.
                Err(LedgerError::Conflict(holder)) => self.lock().bulk.not_sent(
                    job.index,
                    format!("another run is sending this row (ledger entry {holder})"),
                ),
                Err(error) => {
                    let reason = format!("not sent: the ledger cannot record it: {error}");
                    let mut state = self.lock();
                    state.bulk.not_sent(job.index, reason.clone());
                    state.bulk.stop();
                    state.ledger_error.get_or_insert(reason);
                    return None;
                }
            }
        }
    }

    /// Records what the create of `ticket` returned, in the ledger and in the results;
    /// returns the row's status.
    // The ticket is taken by value so that a row cannot be finished twice.
    #[allow(clippy::needless_pass_by_value)]
    pub fn finish(
        &self,
        ticket: Ticket,
        outcome: Result<CreatedAccount, aqr_core::Error>,
    ) -> RowStatus {
        let recorded = match (&self.ledger, ticket.entry) {
            (Some(ledger), Some(id)) => ledger
                .record_outcome(id, &ticket.job.request, &outcome)
                .map(drop),
            _ => Ok(()),
        };
        let mut state = self.lock();
        let status = state.bulk.finish(ticket.job.index, ticket.entry, outcome);
        if let Err(error) = recorded {
            state.bulk.stop();
            state.ledger_error.get_or_insert(format!(
                "the ledger cannot record the outcome of line {} ({status}): {error}",
                ticket.job.line
            ));
        }
        status
    }

    /// Stops dispatching: rows not yet handed out become `not_sent`; tickets already out
    /// should still be finished.
    pub fn stop(&self) {
        self.lock().bulk.stop();
    }

    /// Rows done so far, by status.
    #[must_use]
    pub fn progress(&self) -> Progress {
        self.lock().bulk.progress()
    }

    /// The first ledger failure, if one stopped the run.
    #[must_use]
    pub fn ledger_error(&self) -> Option<String> {
        self.lock().ledger_error.clone()
    }

    /// One result per input row, in line order.
    #[must_use]
    pub fn into_results(self) -> Vec<RowResult> {
        let state = self
            .state
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.bulk.into_results()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl crate::bulk_run::BulkRun for ImportRun {
    type Ticket = Ticket;
    type Output = CreatedAccount;

    fn next(&self) -> Option<Ticket> {
        Self::next(self)
    }

    fn finish(
        &self,
        ticket: Ticket,
        outcome: Result<CreatedAccount, aqr_core::Error>,
    ) -> RowStatus {
        Self::finish(self, ticket, outcome)
    }

    fn stop(&self) {
        Self::stop(self);
    }

    fn progress(&self) -> Progress {
        Self::progress(self)
    }
}

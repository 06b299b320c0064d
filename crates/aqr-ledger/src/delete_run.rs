//! A bulk delete: ids from a file or from the ledger, sent by any number of workers, each
//! deletion marked in the ledger.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use aqr_core::Error;

use crate::bulk_create::STOPPED;
use crate::error::LedgerError;
use crate::import::IdFile;
use crate::ledger::Ledger;
use crate::outcome::{Problem, Progress, RowResult, RowStatus};

/// An id to delete.
#[derive(Clone, Debug)]
pub struct DeleteTicket {
    index: usize,
    account_id: String,
}

impl DeleteTicket {
    /// The entry's id at the service.
    #[must_use]
    pub fn account_id(&self) -> &str {
        &self.account_id
    }
}

/// A bulk delete in progress; share it between workers like [`crate::ImportRun`].
pub struct DeleteRun {
    ledger: Option<Arc<Ledger>>,
    base_url: String,
    state: Mutex<State>,
}

struct State {
    rows: Vec<(u64, String, Option<RowResult>)>,
    queue: VecDeque<usize>,
    progress: Progress,
    ledger_error: Option<String>,
}

impl State {
    fn finish(&mut self, index: usize, result: RowResult) {
        if let Some((_, _, slot)) = self.rows.get_mut(index) {
            if slot.is_none() {
                self.progress.add(result.status);
            }
            *slot = Some(result);
        }
    }

    fn stop(&mut self) {
        while let Some(index) = self.queue.pop_front() {
            let Some(line) = self.rows.get(index).map(|row| row.0) else {
                continue;
            };
            let result = RowResult::new(line, RowStatus::NotSent)
                .with_problem(Problem::NotSent(STOPPED.to_owned()));
            self.finish(index, result);
        }
    }
}

impl DeleteRun {
    /// A run deleting the ids of `file` from `base_url` (invalid lines are reported, not
    /// sent), marking each deletion in `ledger` when there is one.
    #[must_use]
    pub fn new(file: IdFile, base_url: &str, ledger: Option<Arc<Ledger>>) -> DeleteRun {
        let mut rows: Vec<(u64, String, Option<RowResult>)> = file
            .ids
            .into_iter()
            .map(|(line, id)| (line, id, None))
            .collect();
        let queue = (0..rows.len()).collect();
        rows.extend(file.invalid.into_iter().map(|error| {
            let result = RowResult::new(error.line, RowStatus::Invalid)
                .with_problem(Problem::Invalid(error));
            (result.line, String::new(), Some(result))
        }));
        let mut progress = Progress::new(rows.len());
        for (_, _, result) in &rows {
            if let Some(result) = result {
                progress.add(result.status);
            }
        }
        DeleteRun {
            ledger,
            base_url: base_url.to_owned(),
            state: Mutex::new(State {
                rows,
                queue,
                progress,
                ledger_error: None,
            }),
        }
    }

    /// The next id to delete; `None` when none is left or after [`DeleteRun::stop`].
    pub fn next(&self) -> Option<DeleteTicket> {
        let mut state = self.lock();
        let index = state.queue.pop_front()?;
        let account_id = state.rows.get(index)?.1.clone();
        Some(DeleteTicket { index, account_id })
    }

    /// Records what the delete of `ticket` returned. A `404` for a delete that was
    /// retried after an attempt that may have been processed counts as deleted (the first
    /// attempt most likely deleted it).
    pub fn finish(&self, ticket: DeleteTicket, outcome: Result<(), Error>) -> RowStatus {
        let deleted = match &outcome {
            Ok(()) => true,
            Err(Error::Api(api)) => api.status == 404 && api.after_ambiguous_attempt,
            Err(_) => false,
        };
        let recorded = match (&self.ledger, deleted) {
            (Some(ledger), true) => ledger
                .mark_deleted(&self.base_url, &ticket.account_id)
                .map(drop),
            _ => Ok::<(), LedgerError>(()),
        };
        let mut state = self.lock();
        // Tickets are only made by `next` from `rows`, so the index is always in range.
        #[allow(clippy::indexing_slicing)]
        let line = state.rows[ticket.index].0;
        let mut result = match outcome {
            _ if deleted => RowResult::new(line, RowStatus::Deleted),
            Ok(()) => RowResult::new(line, RowStatus::Deleted),
            Err(error) => RowResult::new(line, RowStatus::Failed).with_problem(Problem::Sdk(error)),
        };
        result.account_id = Some(ticket.account_id);
        let status = result.status;
        state.finish(ticket.index, result);
        if let Err(error) = recorded {
            state.stop();
            state.ledger_error.get_or_insert(format!(
                "the ledger cannot record the deletion on line {line}: {error}"
            ));
        }
        status
    }

    /// Stops dispatching: ids not yet handed out become `not_sent`.
    pub fn stop(&self) {
        self.lock().stop();
    }

    /// Rows done so far, by status.
    #[must_use]
    pub fn progress(&self) -> Progress {
        self.lock().progress
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
        let mut results: Vec<RowResult> = state
            .rows
            .into_iter()
            .map(|(line, id, result)| {
                result.unwrap_or_else(|| {
                    let mut result = RowResult::new(line, RowStatus::NotSent)
                        .with_problem(Problem::NotSent(STOPPED.to_owned()));
                    result.account_id = Some(id);
                    result
                })
            })
            .collect();
        results.sort_by_key(|result| result.line);
        results
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl crate::bulk_run::BulkRun for DeleteRun {
    type Ticket = DeleteTicket;
    type Output = ();

    fn next(&self) -> Option<DeleteTicket> {
        Self::next(self)
    }

    fn finish(&self, ticket: DeleteTicket, outcome: Result<(), Error>) -> RowStatus {
        Self::finish(self, ticket, outcome)
    }

    fn stop(&self) {
        Self::stop(self);
    }

    fn progress(&self) -> Progress {
        Self::progress(self)
    }
}

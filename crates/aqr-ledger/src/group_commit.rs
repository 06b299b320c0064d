//! Group commit for `pending` records: every caller that asks while another commit is
//! being made waits, and the next leader writes all of them in one transaction with one
//! disk sync. A bulk run with `N` workers pays about one sync per `N` rows instead of one
//! per row; each caller still returns only once its own record is on disk.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::claim::Claim;
use crate::entry::EntryId;
use crate::error::LedgerError;
use crate::record::CreateRecord;

/// What one waiting caller asked for.
pub(crate) struct Request {
    pub(crate) record: CreateRecord,
    pub(crate) claim: Claim,
}

#[derive(Default)]
struct State {
    waiting: Vec<(u64, Request)>,
    finished: HashMap<u64, Result<EntryId, LedgerError>>,
    leading: bool,
    next_ticket: u64,
}

/// The queue of `pending` records waiting for their commit.
#[derive(Default)]
pub(crate) struct GroupCommit {
    state: Mutex<State>,
    changed: Condvar,
}

impl GroupCommit {
    /// Records `request` through `commit`, which receives every request waiting at that
    /// moment (this one included) and must return one result per request, in order.
    pub(crate) fn submit(
        &self,
        request: Request,
        commit: impl Fn(&[Request]) -> Vec<Result<EntryId, LedgerError>>,
    ) -> Result<EntryId, LedgerError> {
        let mut state = self.lock();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.waiting.push((ticket, request));
        loop {
            if let Some(result) = state.finished.remove(&ticket) {
                return result;
            }
            if state.leading {
                state = self
                    .changed
                    .wait(state)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                continue;
            }
            // Lead: take everything waiting, commit it without holding the queue.
            state.leading = true;
            let batch = std::mem::take(&mut state.waiting);
            drop(state);
            let (tickets, requests): (Vec<u64>, Vec<Request>) = batch.into_iter().unzip();
            let results = commit(&requests);
            state = self.lock();
            for (ticket, result) in tickets.into_iter().zip(results) {
                state.finished.insert(ticket, result);
            }
            state.leading = false;
            self.changed.notify_all();
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

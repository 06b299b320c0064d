//! What every bulk run offers its drivers: hand out work, take back outcomes, stop.

use crate::outcome::{Progress, RowStatus};

/// A bulk run ([`crate::ImportRun`], [`crate::DeleteRun`]) as a driver sees it: any
/// number of workers — threads, async tasks — loop on [`BulkRun::next`], send, and report
/// with [`BulkRun::finish`]. Every method is short and synchronous (a ledger write at
/// most), so an async driver may call them between awaits.
pub trait BulkRun: Sync {
    /// A unit of work handed to one worker.
    type Ticket: Send;
    /// What a successful call returns (`CreatedAccount` for creates, `()` for deletes).
    type Output;

    /// The next unit, or `None` when none is left or after [`BulkRun::stop`].
    fn next(&self) -> Option<Self::Ticket>;

    /// Records what the call for `ticket` returned; returns the row's status.
    fn finish(
        &self,
        ticket: Self::Ticket,
        outcome: Result<Self::Output, aqr_core::Error>,
    ) -> RowStatus;

    /// Stops dispatching; tickets already handed out should still be finished.
    fn stop(&self);

    /// Rows done so far, by status.
    fn progress(&self) -> Progress;
}

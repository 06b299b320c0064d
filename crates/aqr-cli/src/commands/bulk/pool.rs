//! The bounded pool of threads that drives a bulk run: `jobs` workers share one
//! blocking client and take rows until none is left or Ctrl-C stops dispatching.

use std::sync::mpsc;
use std::time::Duration;

use aqr_ledger::{BulkRun, Progress};

use super::progress::Reporter;
use crate::interrupt::Interrupt;

/// How often the main thread refreshes the progress and looks for Ctrl-C.
const TICK: Duration = Duration::from_millis(100);

/// A bulk run as the pool sees it.
pub(crate) trait Work: Sync {
    /// A unit of work handed to one worker.
    type Ticket: Send;
    /// The next unit, or `None` when there is none left (or after [`Work::stop`]).
    fn next(&self) -> Option<Self::Ticket>;
    /// Does it (sends the request, records the outcome).
    fn process(&self, ticket: Self::Ticket);
    /// Stops dispatching; units already handed out still finish.
    fn stop(&self);
    /// Rows done so far.
    fn progress(&self) -> Progress;
}

/// Runs `work` on `jobs` threads, reporting progress; returns whether Ctrl-C stopped it.
pub(crate) fn run<W: Work>(
    work: &W,
    jobs: usize,
    interrupt: &Interrupt,
    reporter: &mut Reporter,
) -> bool {
    let (alive, finished) = mpsc::channel::<()>();
    let mut stopped = false;
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            let alive = alive.clone();
            scope.spawn(move || {
                while !interrupt.is_set() {
                    let Some(ticket) = work.next() else { break };
                    work.process(ticket);
                }
                drop(alive);
            });
        }
        drop(alive);
        // Every worker holds a sender: the channel disconnects when the last one ends.
        while let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(TICK) {
            if interrupt.is_set() && !stopped {
                stopped = true;
                work.stop();
            }
            reporter.update(&work.progress());
        }
    });
    if interrupt.is_set() && !stopped {
        stopped = true;
        work.stop();
    }
    reporter.finish(&work.progress());
    stopped
}

/// A [`BulkRun`] and the call that sends one of its tickets, as pool work.
pub(crate) struct Driven<'a, R, F> {
    /// The run.
    pub run: &'a R,
    /// Sends a ticket's request.
    pub send: F,
}

impl<R, F> Work for Driven<'_, R, F>
where
    R: BulkRun,
    F: Fn(&R::Ticket) -> Result<R::Output, aqr::Error> + Sync,
{
    type Ticket = R::Ticket;

    fn next(&self) -> Option<R::Ticket> {
        self.run.next()
    }

    fn process(&self, ticket: R::Ticket) {
        let outcome = (self.send)(&ticket);
        self.run.finish(ticket, outcome);
    }

    fn stop(&self) {
        self.run.stop();
    }

    fn progress(&self) -> Progress {
        self.run.progress()
    }
}

//! Stopping a blocking call from the thread that makes it.
//!
//! A front end that must be able to stop a call while it waits — the Python binding on
//! Python's main thread, where Ctrl-C runs its handler only when native code asks — wraps
//! the call in [`with_check`]. While a check is installed on the calling thread, every wait
//! of the call is cut into slices of [`POLL`] and the check is asked between slices:
//!
//! - waiting for the response (head and body) on an open connection: in place, on the
//!   calling thread;
//! - resolving a host name and opening a connection (TCP, a proxy's tunnel, the TLS
//!   handshake): on a helper thread, which the call abandons when it is stopped (that
//!   thread ends within the connect limit and drops what it opened);
//! - the waits between retries ([`crate::ThreadTimer`]).
//!
//! Once the check has answered `true` the call is stopped: the wait in progress ends with
//! an error that says so (an open connection is dropped, never reused), no further attempt
//! is sent, and a wait between retries ends at once. Writing the request is not sliced:
//! an AQR request is a few hundred bytes, which the kernel takes at once.
//!
//! Without a check — the default, and every thread but the one that installed it — nothing
//! changes: no slices, no helper threads.
//!
//! The slicing lives in the connector the SDK builds its agent with. A client on an agent
//! of your own ([`crate::Client::with_agent`]) keeps that agent's connector: a check then
//! stops the call between attempts and between retries, not while it waits on the network.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io;
use std::rc::Rc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How often a stoppable call asks its check while it waits.
pub const POLL: Duration = Duration::from_millis(50);

/// The check installed on this thread, and what became of the call so far.
pub(crate) struct Watch {
    check: Box<dyn Fn() -> bool>,
    stopped: Cell<bool>,
    sent: Cell<bool>,
}

impl Watch {
    /// Whether the call should stop: asks the check, unless it already said so (the
    /// answer sticks).
    pub(crate) fn should_stop(&self) -> bool {
        if !self.stopped.get() && (self.check)() {
            self.stopped.set(true);
        }
        self.stopped.get()
    }
}

thread_local! {
    static WATCH: RefCell<Option<Rc<Watch>>> = const { RefCell::new(None) };
}

/// The check installed on this thread, if any (cloned out: the check may run Python code
/// that makes a call of its own, which installs its own).
pub(crate) fn current() -> Option<Rc<Watch>> {
    WATCH.with(|watch| watch.borrow().clone())
}

/// Puts the previous watch back when the call ends, also by unwinding.
struct Restore(Option<Rc<Watch>>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        WATCH.with(|watch| *watch.borrow_mut() = previous);
    }
}

/// What became of a call made under [`with_check`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stop {
    /// Whether the check said stop (the call's error then says it was stopped).
    pub stopped: bool,
    /// Whether a request was sent before the call ended: then a stopped create's entry
    /// may exist, and a stopped delete may have been done.
    pub sent: bool,
}

/// Runs `call` on this thread so that `check` can stop it (see the module docs); returns
/// its result and whether it was stopped.
///
/// `check` is asked every [`POLL`] while the call waits, on this thread, and never again
/// once it has answered `true`. It should be cheap and must not block for long.
///
/// ```no_run
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicBool, Ordering};
/// let client = aqr_ureq::Client::from_env()?; // AQR_DEVELOPER_TOKEN, AQR_EMAIL, …
/// let cancelled = Arc::new(AtomicBool::new(false)); // set by a Ctrl-C handler, a UI, …
/// let flag = Arc::clone(&cancelled);
/// let (result, stop) = aqr_ureq::interrupt::with_check(
///     move || flag.load(Ordering::Relaxed),
///     || client.delete("abc123"),
/// );
/// if stop.stopped && stop.sent {
///     // The delete may have been done: check before trying again.
/// }
/// # drop(result);
/// # Ok::<(), aqr_core::Error>(())
/// ```
pub fn with_check<T>(check: impl Fn() -> bool + 'static, call: impl FnOnce() -> T) -> (T, Stop) {
    let watch = Rc::new(Watch {
        check: Box::new(check),
        stopped: Cell::new(false),
        sent: Cell::new(false),
    });
    let restore = Restore(WATCH.with(|slot| slot.borrow_mut().replace(Rc::clone(&watch))));
    let result = call();
    drop(restore);
    let stop = Stop {
        stopped: watch.stopped.get(),
        sent: watch.sent.get(),
    };
    (result, stop)
}

/// Before an attempt: `false` if the call on this thread is stopped (nothing more may be
/// sent).
pub(crate) fn may_send() -> bool {
    WATCH.with(|slot| {
        slot.borrow()
            .as_ref()
            .is_none_or(|watch| !watch.stopped.get())
    })
}

/// Records that request bytes were handed to the network.
pub(crate) fn note_sent() {
    WATCH.with(|slot| {
        if let Some(watch) = &*slot.borrow() {
            watch.sent.set(true);
        }
    });
}

/// Whether a check is installed on this thread.
pub(crate) fn is_watched() -> bool {
    current().is_some()
}

/// Sleeps for `duration`, or less if the call on this thread is stopped meanwhile.
pub(crate) fn sleep(duration: Duration) {
    let Some(watch) = current() else {
        std::thread::sleep(duration);
        return;
    };
    let started = Instant::now();
    while !watch.should_stop() {
        let left = duration.saturating_sub(started.elapsed());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(POLL));
    }
}

/// Runs `job` on a helper thread and waits for it in slices of [`POLL`], asking the check
/// between slices; without a check on this thread, runs it here.
///
/// # Errors
/// [`stopped`]`(false)` once the call is stopped (the helper runs on and its result is
/// dropped).
pub(crate) fn aside<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, io::Error> {
    let Some(watch) = current() else {
        return Ok(job());
    };
    if watch.should_stop() {
        return Err(stopped(false));
    }
    let (done, result) = mpsc::sync_channel(1);
    // Shared so that the job can still run here if no thread can be started.
    let job = Arc::new(Mutex::new(Some(job)));
    let for_helper = Arc::clone(&job);
    let spawned = std::thread::Builder::new()
        .name("aqr-connect".to_owned())
        .spawn(move || {
            let job = for_helper
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(job) = job {
                drop(done.send(job()));
            }
        });
    if spawned.is_err() {
        // No thread to be had: wait here, unstoppable, rather than fail the call.
        let job = job.lock().unwrap_or_else(PoisonError::into_inner).take();
        return job.map(|job| job()).ok_or_else(|| stopped(false));
    }
    loop {
        match result.recv_timeout(POLL) {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => {
                if watch.should_stop() {
                    return Err(stopped(false));
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(io::Error::other(
                    "the connecting thread ended without a result",
                ));
            }
        }
    }
}

/// Why a stopped call's wait ended.
#[derive(Debug)]
pub(crate) struct Stopped {
    /// Whether the attempt's request had been written (it may have been processed).
    pub(crate) sent: bool,
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sent {
            f.write_str("the call was stopped while it waited for the response")
        } else {
            f.write_str("the call was stopped before its request was sent")
        }
    }
}

impl std::error::Error for Stopped {}

/// The error a stopped wait ends with.
pub(crate) fn stopped(sent: bool) -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, Stopped { sent })
}

/// Whether `error` ended a stopped wait, and if so whether its request had been sent.
pub(crate) fn stopped_in(error: &io::Error) -> Option<bool> {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Stopped>())
        .map(|stopped| stopped.sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn without_a_check_nothing_is_sliced_or_moved() {
        assert!(!is_watched());
        let here = std::thread::current().id();
        assert!(aside(move || std::thread::current().id() == here).unwrap());
        assert!(current().is_none());
        let started = Instant::now();
        sleep(Duration::from_millis(20));
        assert!(started.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn a_check_that_says_stop_ends_every_kind_of_wait() {
        let asked = Rc::new(Cell::new(0));
        let counter = Rc::clone(&asked);
        let ((), stop) = with_check(
            move || {
                counter.set(counter.get() + 1);
                counter.get() >= 3
            },
            || {
                assert!(is_watched());
                let watcher = current().unwrap();
                assert!(!watcher.should_stop());
                assert!(may_send());
                note_sent();
                assert!(!watcher.should_stop());
                assert!(watcher.should_stop());
                assert!(!may_send());
                // Sticky: later waits end at once, the check is not asked again.
                let started = Instant::now();
                sleep(Duration::from_secs(30));
                assert!(started.elapsed() < POLL);
                assert_eq!(stopped_in(&aside(|| ()).unwrap_err()), Some(false));
            },
        );
        assert_eq!(asked.get(), 3);
        assert_eq!(
            stop,
            Stop {
                stopped: true,
                sent: true
            }
        );
        assert!(!is_watched(), "the check is removed when the call ends");
    }

    #[test]
    fn a_helper_thread_runs_the_job_and_is_abandoned_when_stopped() {
        let (ran_elsewhere, stop) = with_check(
            || false,
            || {
                let here = std::thread::current().id();
                aside(move || std::thread::current().id() != here).unwrap()
            },
        );
        assert!(ran_elsewhere);
        assert_eq!(stop, Stop::default());
        let stop_at = Instant::now() + Duration::from_millis(120);
        let started = Instant::now();
        let (result, stop) = with_check(
            move || Instant::now() >= stop_at,
            || aside(|| std::thread::sleep(Duration::from_secs(3))),
        );
        assert!(stop.stopped && !stop.sent);
        assert_eq!(stopped_in(&result.unwrap_err()), Some(false));
        let took = started.elapsed();
        assert!(took < Duration::from_secs(1), "{took:?}");
    }

    #[test]
    fn a_sleep_ends_within_a_slice_of_the_stop() {
        let stop_at = Instant::now() + Duration::from_millis(120);
        let started = Instant::now();
        with_check(
            move || Instant::now() >= stop_at,
            || sleep(Duration::from_secs(5)),
        );
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(100) && took < Duration::from_secs(1),
            "{took:?}"
        );
        // Without a stop the whole time is slept.
        let started = Instant::now();
        with_check(|| false, || sleep(Duration::from_millis(130)));
        assert!(started.elapsed() >= Duration::from_millis(130));
    }
}

//! Ctrl-C during a blocking call.
//!
//! Python runs signal handlers only on the main thread, and only while that thread runs
//! Python code. A call made there therefore runs on a worker thread while the main thread
//! waits in slices of [`POLL`], running the signal handlers between slices
//! (`PyErr_CheckSignals`) with the GIL released the rest of the time. When a handler
//! raises (`KeyboardInterrupt`), the call is cancelled: no further attempt is sent and a
//! wait between retries ends at once; an attempt already in flight cannot be taken back
//! and ends in the background within its time limit. The exception gets a note saying
//! whether a request was sent (for a create: the entry may exist).
//!
//! Calls from other threads run inline (no handler can run there anyway). Workers are
//! kept and reused, so a call pays one hand-off, not a thread start.

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use aqr_core::{
    BlockingSender, BlockingTimer, HttpRequest, HttpResponse, OperationKind, TransportError,
};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// How often the waiting main thread runs the signal handlers.
pub const POLL: Duration = Duration::from_millis(50);

/// The cancellation of one call, shared by its sender, its timer and the waiting thread.
#[derive(Default)]
pub struct Cancel {
    cancelled: Mutex<bool>,
    wake: Condvar,
    sent: AtomicU32,
}

impl Cancel {
    fn cancel(&self) {
        *self
            .cancelled
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_all();
    }

    fn is_cancelled(&self) -> bool {
        *self
            .cancelled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// A sender that refuses to send once its call is cancelled.
pub struct CancellableSender<S> {
    inner: S,
    cancel: Arc<Cancel>,
}

impl<S> CancellableSender<S> {
    /// `inner`, stopped by `cancel`.
    pub fn new(inner: S, cancel: Arc<Cancel>) -> Self {
        CancellableSender { inner, cancel }
    }
}

impl<S: BlockingSender> BlockingSender for CancellableSender<S> {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.cancel.is_cancelled() {
            return Err(TransportError::connect(
                "the call was interrupted: no further attempt is sent",
            ));
        }
        self.cancel.sent.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request)
    }
}

/// A timer whose waits end when its call is cancelled.
pub struct CancellableTimer(pub Arc<Cancel>);

impl BlockingTimer for CancellableTimer {
    fn sleep(&self, duration: Duration) {
        let cancel = &self.0;
        let guard = cancel
            .cancelled
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        drop(
            cancel
                .wake
                .wait_timeout_while(guard, duration, |cancelled| !*cancelled),
        );
    }
}

/// Runs `call` so that Ctrl-C interrupts it (see the module docs).
///
/// # Errors
/// The exception a signal handler raised (with a note), or `RuntimeError` if the worker
/// ended without a result.
pub fn run<T: Send + 'static>(
    py: Python<'_>,
    operation: OperationKind,
    cancel: &Arc<Cancel>,
    call: impl FnOnce() -> T + Send + 'static,
) -> PyResult<T> {
    if !on_main_thread(py)? {
        return Ok(py.detach(call));
    }
    let (result_tx, result_rx) = mpsc::sync_channel(1);
    submit(Box::new(move || {
        let result = call();
        Box::new(move || drop(result_tx.send(result)))
    }));
    let mut receiver = result_rx;
    loop {
        let (received, back) = py.detach(move || (receiver.recv_timeout(POLL), receiver));
        receiver = back;
        match received {
            Ok(result) => return Ok(result),
            Err(RecvTimeoutError::Timeout) => {
                if let Err(interrupt) = py.check_signals() {
                    cancel.cancel();
                    note(
                        py,
                        &interrupt,
                        operation,
                        cancel.sent.load(Ordering::SeqCst) > 0,
                    );
                    return Err(interrupt);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "aqr: the call's worker thread ended without a result",
                ));
            }
        }
    }
}

/// Adds a note on what the interrupted call may have done.
fn note(py: Python<'_>, interrupt: &PyErr, operation: OperationKind, sent: bool) {
    let text = match (sent, operation) {
        (false, _) => format!("aqr: the {operation} was interrupted before anything was sent"),
        (true, OperationKind::Create) => format!(
            "aqr: the {operation} was interrupted after its request was sent: its outcome is \
             unknown (the entry may exist; check before creating it again)"
        ),
        (true, _) => format!(
            "aqr: the {operation} was interrupted after its request was sent: it may have \
             been processed"
        ),
    };
    let value = interrupt.value(py);
    // `add_note` exists from Python 3.11; before, `__notes__` is set by hand.
    if value.call_method1("add_note", (&text,)).is_err() {
        drop(value.setattr("__notes__", vec![text]));
    }
}

/// Whether the current thread is Python's main thread (the one signal handlers run on);
/// asked of Python once per thread.
fn on_main_thread(py: Python<'_>) -> PyResult<bool> {
    thread_local! {
        static IS_MAIN: Cell<Option<bool>> = const { Cell::new(None) };
    }
    if let Some(known) = IS_MAIN.with(Cell::get) {
        return Ok(known);
    }
    let threading = py.import("threading")?;
    let main: u64 = threading
        .call_method0("main_thread")?
        .getattr("ident")?
        .extract()?;
    let current: u64 = threading.call_method0("get_ident")?.extract()?;
    let is_main = current == main;
    IS_MAIN.with(|cell| cell.set(Some(is_main)));
    Ok(is_main)
}

/// A job for a worker: runs the call, then returns what delivers its result (run after
/// the worker is idle again, so the next call finds it).
type Job = Box<dyn FnOnce() -> Box<dyn FnOnce() + Send> + Send>;

/// Workers waiting for a job.
static IDLE: Mutex<Vec<Sender<Job>>> = Mutex::new(Vec::new());

/// The process the idle workers belong to (threads do not survive `fork()`).
static WORKERS_PID: AtomicU32 = AtomicU32::new(0);

/// Hands `job` to an idle worker, starting one if none is idle.
fn submit(job: Job) {
    let idle = {
        let mut idle = IDLE.lock().unwrap_or_else(PoisonError::into_inner);
        let pid = std::process::id();
        if WORKERS_PID.swap(pid, Ordering::SeqCst) != pid {
            // A forked child: the workers listed are the parent's, gone here.
            idle.clear();
        }
        idle.pop()
    };
    let job = match idle {
        Some(worker) => match worker.send(job) {
            Ok(()) => return,
            Err(mpsc::SendError(job)) => job,
        },
        None => job,
    };
    let (tx, rx) = mpsc::channel::<Job>();
    // The channel is unbounded: the job waits in it until the worker starts.
    drop(tx.send(job));
    let spawned = std::thread::Builder::new()
        .name("aqr-call".to_owned())
        .spawn(move || {
            for job in rx {
                let deliver = job();
                IDLE.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(tx.clone());
                deliver();
            }
        });
    // If no thread can be started, the job is dropped with the channel and the caller
    // sees its result channel disconnected (a RuntimeError).
    drop(spawned);
}

//! Ctrl-C during a blocking call.
//!
//! Python runs signal handlers only on the main thread, and only while that thread runs
//! Python code or native code asks (`PyErr_CheckSignals`). A call made there therefore runs
//! in place with a check installed ([`aqr_ureq::interrupt::with_check`]): whenever the call
//! waits — for a response, a connection, a name lookup, or between retries — it takes the
//! GIL every [`POLL`] to run the signal handlers. When a handler raises
//! (`KeyboardInterrupt`), the call stops: the wait in progress ends (an open connection is
//! dropped), no further attempt is sent, and the exception gets a note saying whether a
//! request was sent (for a create: the entry may exist).
//!
//! Calls from other threads run without a check (no handler can run there anyway).

use std::cell::Cell;
use std::sync::{Arc, Mutex, PoisonError};

use aqr_core::OperationKind;
use aqr_ureq::interrupt::with_check;
use pyo3::prelude::*;

pub use aqr_ureq::interrupt::POLL;

/// Runs `call` so that Ctrl-C interrupts it (see the module docs).
///
/// # Errors
/// The exception a signal handler raised while the call waited (with a note).
pub fn run<T: Send>(
    py: Python<'_>,
    operation: OperationKind,
    call: impl FnOnce() -> T + Send,
) -> PyResult<T> {
    if !on_main_thread(py)? {
        return Ok(py.detach(call));
    }
    let raised: Arc<Mutex<Option<PyErr>>> = Arc::default();
    let slot = Arc::clone(&raised);
    let check = move || {
        Python::attach(|py| match py.check_signals() {
            Ok(()) => false,
            Err(error) => {
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(error);
                true
            }
        })
    };
    let (result, stop) = py.detach(move || with_check(check, call));
    // Set only where the check said stop.
    match raised.lock().unwrap_or_else(PoisonError::into_inner).take() {
        Some(interrupt) => {
            note(py, &interrupt, operation, stop.sent);
            Err(interrupt)
        }
        None => Ok(result),
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

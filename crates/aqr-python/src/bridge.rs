//! Running Rust futures for asyncio: tasks on pyo3-async-runtimes' shared tokio runtime,
//! results handed to the event loop in batches.
//!
//! `pyo3_async_runtimes::tokio::future_into_py` takes the GIL on a tokio blocking thread
//! and calls `loop.call_soon_threadsafe` once per completed future; with many calls in
//! flight the event-loop thread spends most of its time handing the GIL back and forth,
//! and a thread still inside that call when the interpreter shuts down aborts the
//! process. Here a finished task only pushes its result onto its loop's [`LoopQueue`] —
//! no GIL — and the first result of a batch wakes the loop by writing one byte to a
//! socket the loop watches (`add_reader`; on platforms without it, one
//! `call_soon_threadsafe` per batch). The loop then converts and delivers every pending
//! result while it holds the GIL anyway.
//!
//! Cancelling the asyncio future aborts the tokio task, which drops the Rust future and
//! with it the request. A task that ends without a result (a panic) fails its future
//! with `RuntimeError` instead of leaving it pending forever.

use std::future::Future;
#[cfg(unix)]
use std::io::{Read, Write};
#[cfg(unix)]
use std::os::fd::AsRawFd;
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyWeakrefReference;

/// Converts a task's output into the future's result (or exception) under the GIL.
pub type Deliver = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

struct Pending {
    future: Py<PyAny>,
    deliver: Deliver,
}

struct Shared {
    /// A weak reference: the Python layer keys the queues by loop in a
    /// `WeakKeyDictionary`, so the queue must not keep its loop alive.
    event_loop: Py<PyWeakrefReference>,
    pending: Mutex<Vec<Pending>>,
    drain_scheduled: AtomicBool,
    /// A socket pair whose read end the loop watches (`add_reader`): waking the loop is
    /// a one-byte write, with no GIL and no Python call on the tokio side — so nothing
    /// can race the interpreter's shutdown.
    #[cfg(unix)]
    wake: (UnixStream, UnixStream),
}

/// The results waiting for one event loop (create one per loop; the Python layer keeps
/// them in a `WeakKeyDictionary`).
#[pyclass(frozen, module = "aqr._aqr", name = "LoopQueue")]
pub struct LoopQueue {
    shared: Arc<Shared>,
}

#[pymethods]
impl LoopQueue {
    #[new]
    fn py_new(event_loop: &Bound<'_, PyAny>) -> PyResult<Self> {
        #[cfg(unix)]
        let wake = {
            let (reader, writer) = UnixStream::pair()?;
            reader.set_nonblocking(true)?;
            writer.set_nonblocking(true)?;
            (reader, writer)
        };
        let shared = Arc::new(Shared {
            event_loop: PyWeakrefReference::new(event_loop)?.unbind(),
            pending: Mutex::new(Vec::new()),
            drain_scheduled: AtomicBool::new(false),
            #[cfg(unix)]
            wake,
        });
        #[cfg(unix)]
        event_loop.call_method1(
            "add_reader",
            (
                shared.wake.0.as_raw_fd(),
                Drain {
                    shared: Arc::clone(&shared),
                },
            ),
        )?;
        Ok(LoopQueue { shared })
    }
}

/// Delivers every pending result of a queue; scheduled on its loop once per batch (it
/// holds the queue's state, not the queue object nor the loop).
#[pyclass(frozen, module = "aqr._aqr")]
struct Drain {
    shared: Arc<Shared>,
}

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        drain(py, &self.shared);
    }
}

/// Runs on the event loop: hands every pending result to its future.
fn drain(py: Python<'_>, shared: &Arc<Shared>) {
    #[cfg(unix)]
    {
        let mut buffer = [0u8; 256];
        while matches!((&shared.wake.0).read(&mut buffer), Ok(n) if n > 0) {}
    }
    let batch = match shared.pending.lock() {
        Ok(mut pending) => std::mem::take(&mut *pending),
        Err(_) => return,
    };
    for Pending { future, deliver } in batch {
        let future = future.bind(py);
        // A cancelled future needs no result.
        if future
            .call_method0(pyo3::intern!(py, "done"))
            .and_then(|done| done.is_truthy())
            .unwrap_or(true)
        {
            continue;
        }
        let outcome = match deliver(py) {
            Ok(value) => future.call_method1(pyo3::intern!(py, "set_result"), (value,)),
            Err(error) => {
                future.call_method1(pyo3::intern!(py, "set_exception"), (error.into_value(py),))
            }
        };
        if let Err(error) = outcome {
            error.write_unraisable(py, Some(future));
        }
    }
    // The flag changes only under the lock, so a result pushed meanwhile is either seen
    // here (and drained next, scheduled from this thread) or schedules its own drain.
    let more = match shared.pending.lock() {
        Ok(pending) => {
            let more = !pending.is_empty();
            if !more {
                shared.drain_scheduled.store(false, Ordering::SeqCst);
            }
            more
        }
        Err(_) => false,
    };
    if more {
        wake(shared);
    }
}

/// Drops the results nobody can receive any more (the loop is closed or gone).
#[cfg(not(unix))]
fn forget_pending(shared: &Shared) {
    let stale = shared.pending.lock().map(|mut pending| {
        shared.drain_scheduled.store(false, Ordering::SeqCst);
        std::mem::take(&mut *pending)
    });
    drop(stale);
}

/// Aborts the tokio task when its asyncio future is cancelled (a done-callback).
#[pyclass(frozen, module = "aqr._aqr")]
struct AbortOnCancel {
    handle: tokio::task::AbortHandle,
}

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("cancelled")?.is_truthy()? {
            self.handle.abort();
        }
        Ok(())
    }
}

/// Delivers a task's result exactly once; if the task panics, the drop delivers a
/// `RuntimeError` instead.
struct Completion {
    target: Option<(Arc<Shared>, Py<PyAny>)>,
}

impl Completion {
    fn complete(mut self, deliver: Deliver) {
        if let Some((shared, future)) = self.target.take() {
            push(&shared, future, deliver);
        }
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        // Ending without a result is a panic or an abort. After an abort the future was
        // cancelled already and needs nothing (pyo3 releases it once the GIL is next
        // held); after a panic it must fail rather than stay pending.
        if let Some((shared, future)) = self.target.take()
            && std::thread::panicking()
        {
            push(
                &shared,
                future,
                Box::new(|_| Err(PyRuntimeError::new_err("aqr: the request task failed"))),
            );
        }
    }
}

fn push(shared: &Arc<Shared>, future: Py<PyAny>, deliver: Deliver) {
    let schedule = match shared.pending.lock() {
        Ok(mut pending) => {
            pending.push(Pending { future, deliver });
            !shared.drain_scheduled.swap(true, Ordering::SeqCst)
        }
        Err(_) => false,
    };
    if schedule {
        wake(shared);
    }
}

/// Makes the loop run a drain soon.
#[cfg(unix)]
fn wake(shared: &Arc<Shared>) {
    // A full socket buffer means a wake-up is pending already.
    let _ = (&shared.wake.1).write(&[1]);
}

/// Makes the loop run a drain soon (without `add_reader`, e.g. the Windows proactor).
#[cfg(not(unix))]
fn wake(shared: &Arc<Shared>) {
    let shared = Arc::clone(shared);
    // The GIL is taken on a blocking thread, once per batch, never on a worker; not at
    // all once the interpreter is shutting down.
    drop(tokio::task::spawn_blocking(move || {
        Python::try_attach(|py| {
            let scheduled = shared.event_loop.bind(py).upgrade().map(|event_loop| {
                let drain = Drain {
                    shared: Arc::clone(&shared),
                };
                event_loop.call_method1(pyo3::intern!(py, "call_soon_threadsafe"), (drain,))
            });
            if !matches!(scheduled, Some(Ok(_))) {
                // The loop is closed or gone: nobody awaits these results any more.
                forget_pending(&shared);
            }
        });
    }));
}

/// Runs `task` on the shared runtime and returns an asyncio future of its result.
///
/// # Errors
/// When the future cannot be created on the loop.
pub fn spawn<'py, F>(queue: &Bound<'py, LoopQueue>, task: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Deliver> + Send + 'static,
{
    let py = queue.py();
    let shared = Arc::clone(&queue.get().shared);
    let event_loop = shared
        .event_loop
        .bind(py)
        .upgrade()
        .ok_or_else(|| PyRuntimeError::new_err("the event loop is gone"))?;
    let future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
    let completion = Completion {
        target: Some((shared, future.clone().unbind())),
    };
    let runtime = pyo3_async_runtimes::tokio::get_runtime();
    let handle = runtime.spawn(async move {
        let deliver = task.await;
        completion.complete(deliver);
    });
    let abort = AbortOnCancel {
        handle: handle.abort_handle(),
    };
    future.call_method1(pyo3::intern!(py, "add_done_callback"), (abort,))?;
    Ok(future)
}

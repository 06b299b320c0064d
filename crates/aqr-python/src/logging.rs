//! Rust log records in Python's `logging`: the core's per-attempt and per-retry records
//! (logger `aqr`) and those of the HTTP libraries (`ureq`, `rustls`, …) go through
//! `pyo3-log` to the logger of the same name.
//!
//! Never forwarded: the target `ureq_proto`, where ureq writes the raw bytes of each
//! request at TRACE — the developer token and the form included.
//!
//! Levels are cached on the Rust side (so that a disabled record costs no GIL); the
//! cache is emptied each time a client is made, so a client follows the logging
//! configuration of the moment it was created.
//!
//! For the same reason `log`'s global maximum level is set, each time, to the most
//! verbose level any Python logger lets through: a record no logger would take is then
//! never made. Without it every record reached the forwarding logger first — some fifty
//! per call from the HTTP libraries at DEBUG and TRACE, each a cache look-up of about
//! 2,000 instructions even when dropped: 40 % of a keep-alive create's instructions.

use std::sync::OnceLock;

use log::LevelFilter;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_log::{Caching, Logger, ResetHandle};

/// The log target whose records are never forwarded (raw request bytes).
pub const DROPPED_TARGET: &str = "ureq_proto";

/// The Python level `pyo3-log` gives each Rust level, most verbose first.
const PYTHON_LEVELS: [(LevelFilter, i64); 5] = [
    (LevelFilter::Trace, 5),
    (LevelFilter::Debug, 10),
    (LevelFilter::Info, 20),
    (LevelFilter::Warn, 30),
    (LevelFilter::Error, 40),
];

/// The installed logger's cache, when this module installed one.
static INSTALLED: OnceLock<Option<ResetHandle>> = OnceLock::new();

/// Installs the forwarding logger on first use, empties its level cache and sets `log`'s
/// maximum level from the Python levels of the moment.
pub fn refresh(py: Python<'_>) {
    let handle = INSTALLED.get_or_init(|| {
        let logger = Logger::new(py, Caching::LoggersAndLevels).ok()?;
        logger
            .filter(LevelFilter::Trace)
            .filter_target(DROPPED_TARGET.to_owned(), LevelFilter::Off)
            .install()
            // Another `log` logger is installed already (an embedding program's): keep it.
            .ok()
    });
    if let Some(handle) = handle {
        handle.reset();
        // Unreadable levels: let everything through, as before.
        log::set_max_level(most_verbose_level(py).unwrap_or(LevelFilter::Trace));
    }
}

/// The most verbose Rust level that the root logger or any logger made so far takes.
fn most_verbose_level(py: Python<'_>) -> PyResult<LevelFilter> {
    let logging = py.import("logging")?;
    let effective = |logger: &Bound<'_, PyAny>| -> PyResult<i64> {
        logger.call_method0("getEffectiveLevel")?.extract()
    };
    let root = logging.getattr("root")?;
    let mut lowest = effective(&root)?;
    let logger_class = logging.getattr("Logger")?;
    let loggers = root.getattr("manager")?.getattr("loggerDict")?;
    for logger in loggers.cast::<PyDict>()?.values() {
        // The dict also holds placeholders for names that only have children.
        if logger.is_instance(&logger_class)? {
            lowest = lowest.min(effective(&logger)?);
        }
    }
    Ok(PYTHON_LEVELS
        .iter()
        .find(|(_, python)| *python >= lowest)
        .map_or(LevelFilter::Off, |(rust, _)| *rust))
}

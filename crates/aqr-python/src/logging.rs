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

use std::sync::OnceLock;

use log::LevelFilter;
use pyo3::prelude::*;
use pyo3_log::{Caching, Logger, ResetHandle};

/// The log target whose records are never forwarded (raw request bytes).
pub const DROPPED_TARGET: &str = "ureq_proto";

/// The installed logger's cache, when this module installed one.
static INSTALLED: OnceLock<Option<ResetHandle>> = OnceLock::new();

/// Installs the forwarding logger on first use, and empties its level cache.
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
    }
}

//! Python bindings of the AQR SDK: the native module `aqr._aqr`.
//!
//! The pure-Python package `aqr` (in `python/aqr`) re-exports what is here and adds the
//! exception classes, `aqr.Bank` and the coroutine wrappers of the async client. Every
//! class is frozen and thread-safe, so the module declares that it does not need the GIL.
//!
//! - [`blocking`]: `Client`, the ureq path; each call runs with the GIL released.
//! - [`asyncio`]: `AsyncClient`, the reqwest path on one shared tokio runtime, with
//!   results handed to the event loop in batches by [`bridge`].
//! - [`sans_io`]: request builders and response parsers for any HTTP library.
//! - [`errors`]: `aqr_core::Error` → the exception classes of `aqr/_errors.py`;
//!   [`options`]: the keyword arguments of the clients; [`slot`]: the closable client
//!   both classes hold.
//! - [`bank`]: the bank table; [`account`]: `CreatedAccount`; [`qr_url`]: the argument
//!   of `qr_image`; [`new_account`] and [`arguments`]: arguments read with errors that
//!   name them; [`mock`]: the mock server; [`cli`]: the `aqr` command.
//! - [`interrupt`]: Ctrl-C during a blocking call; [`logging`]: Rust log records in
//!   Python's `logging`.
//! - [`bulk`]: `create_many` on aqr-ledger's bulk run; [`ledger`]: `aqr.Ledger`.
#![warn(missing_docs)]

pub mod account;
pub mod arguments;
pub mod asyncio;
pub mod bank;
pub mod blocking;
pub mod bridge;
pub mod bulk;
pub mod cli;
pub mod errors;
pub mod interrupt;
pub mod ledger;
pub mod logging;
pub mod mock;
pub mod new_account;
pub mod options;
pub mod qr_url;
pub mod sans_io;
pub mod slot;

/// The native module `aqr._aqr`.
#[pyo3::pymodule(gil_used = false)]
pub mod _aqr {
    #[pymodule_export]
    use crate::account::CreatedAccount;
    #[pymodule_export]
    use crate::asyncio::AsyncClient;
    #[pymodule_export]
    use crate::bank::{bank_table, lookup_bank};
    #[pymodule_export]
    use crate::blocking::Client;
    #[pymodule_export]
    use crate::bridge::LoopQueue;
    #[pymodule_export]
    use crate::cli::run_cli;
    #[pymodule_export]
    use crate::ledger::{Ledger, LedgerEntry};
    #[pymodule_export]
    use crate::mock::MockServer;
    #[pymodule_export]
    use crate::options::Timeout;
    #[pymodule_export]
    use crate::sans_io::{
        PreparedRequest, build_create_request, build_delete_request, parse_create_response,
        parse_delete_response, parse_qr_image_response,
    };

    use pyo3::prelude::*;

    /// Forwards Rust log records to `logging` (installed on first use) and re-reads the
    /// logging levels; clients call it when they are made.
    #[pyfunction]
    fn refresh_logging(py: Python<'_>) {
        crate::logging::refresh(py);
    }

    /// Adds `__version__`.
    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        module.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}

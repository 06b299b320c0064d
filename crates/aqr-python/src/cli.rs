//! The `aqr` command for Python users: the Rust command-line tool, run in this process.

use std::ffi::OsString;
use std::io::Write;

use pyo3::prelude::*;

/// Runs the `aqr` command line with `args` (the first is the program name) and returns its
/// exit code, exactly as the `aqr` binary would exit. The GIL is released while it runs;
/// it writes to the process's standard output and error, flushed before returning.
#[pyfunction]
pub fn run_cli(py: Python<'_>, args: Vec<OsString>) -> u8 {
    let code = py.detach(|| aqr_cli::run_code(args));
    // A binary's `main` flushes at exit; a library call must do it itself.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    code.value()
}

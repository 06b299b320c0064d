//! The `aqr` command-line tool: create and delete AQR entries, list banks, render QR
//! codes, run the mock server, and `aqr demo` — the whole flow against an embedded mock.
//!
//! The binary is a thin `main` over [`run`]; everything else is private modules with one
//! job each: [`args`] (the command line), `client` (the blocking client and its
//! `--verbose` trace), `output` (human and `--json` printing), [`exit`] (the exit codes)
//! and `commands/*` (one module per subcommand).
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod args;
mod client;
mod commands;
mod error;
pub mod exit;
mod interrupt;
mod output;
mod render;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::args::Cli;
use crate::output::Output;

/// Runs `aqr` with these arguments (the first is the program name) and returns the
/// process exit code (see [`exit::Code`]). Never panics on any input or server response.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_code(args).into()
}

/// [`run`] for a host that exits by itself (the Python package's `aqr` command): the same
/// run, returning the [`exit::Code`] instead of an [`ExitCode`].
pub fn run_code<I, T>(args: I) -> exit::Code
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let json = args.iter().any(|a| a == "--json");
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(err) => return output::clap_error(&err, json),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return output::clap_error(&err, json),
    };
    let out = Output::new(cli.global.json, cli.global.verbose);
    match commands::dispatch(&cli, &matches, &out) {
        Ok(()) => exit::Code::Ok,
        Err(err) => {
            out.error(&err);
            err.code()
        }
    }
}

//! One module per subcommand; [`dispatch`] picks the one the command line asks for.

mod banks;
mod bulk;
mod completions;
pub(crate) mod create;
mod delete;
mod demo;
mod entries;
mod import;
mod ledger;
mod mock;
mod qr;

use clap::ArgMatches;

use crate::args::{Cli, Command};
use crate::error::CliError;
use crate::output::Output;

/// Runs the subcommand.
///
/// # Errors
/// Whatever the subcommand reports; [`CliError::code`] gives the exit code.
pub(crate) fn dispatch(cli: &Cli, matches: &ArgMatches, out: &Output) -> Result<(), CliError> {
    match &cli.command {
        Command::Demo(args) => demo::run(args, &cli.global, out),
        Command::Create(args) => create::run(args, &cli.global, out),
        Command::Delete(args) => delete::run(args, &cli.global, out),
        Command::Import(args) => import::run(args, &cli.global, out),
        Command::Entries(args) => entries::run(args, out),
        Command::Banks => {
            banks::run(out);
            Ok(())
        }
        Command::Qr(args) => qr::run(args, out),
        Command::Mock(args) => mock::run(args, &cli.global, matches, out),
        Command::Completions(args) => {
            completions::run(args);
            Ok(())
        }
    }
}

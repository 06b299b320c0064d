//! `aqr completions SHELL`: a completion script on stdout.

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs};

/// Writes the completion script for the chosen shell to stdout.
pub(super) fn run(args: &CompletionsArgs) {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "aqr", &mut std::io::stdout());
}

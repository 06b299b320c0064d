//! The `aqr` binary: parses the command line, runs the command, exits with its code.

fn main() -> std::process::ExitCode {
    aqr_cli::run(std::env::args_os())
}

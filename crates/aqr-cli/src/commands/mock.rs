//! `aqr mock`: serve the mock AQR server on 127.0.0.1 until interrupted.

use aqr_mock::{Credential, MockOptions, MockServer, StopSignal, TlsCertificate};
use clap::ArgMatches;
use clap::parser::ValueSource;

use crate::args::{GlobalArgs, MockArgs};
use crate::error::CliError;
use crate::output::Output;

/// Runs the server until Ctrl-C or SIGTERM, then writes the state file and returns.
///
/// # Errors
/// [`CliError::Usage`] for `--token` without `--email` (or the reverse);
/// [`CliError::Io`] when the port cannot be bound, the state file or the certificate
/// files are unusable, or the final state cannot be written.
pub(super) fn run(
    args: &MockArgs,
    global: &GlobalArgs,
    matches: &ArgMatches,
    out: &Output,
) -> Result<(), CliError> {
    let mut options = MockOptions {
        port: args.port,
        failures_as_200: args.failures_as_200,
        state_file: args.state.clone(),
        tls: TlsCertificate::from_flags(args.tls, args.cert.clone(), args.key.clone()),
        allowed_hosts: args.allow_host.clone(),
        ..MockOptions::default()
    };
    if let Some(credential) = credential(global, matches)? {
        options.credentials = vec![credential];
    }
    let address = format!("127.0.0.1:{}", args.port);
    let io = |what: &str, e| CliError::io(what, address.as_ref(), e);
    // Caught before the first line: a supervisor may stop us right after reading it.
    let stop = StopSignal::install().map_err(|e| io("catch Ctrl-C and SIGTERM", e))?;
    let server = MockServer::start(options).map_err(|e| io("start the mock", e))?;
    announce(&server, out);
    stop.wait().map_err(|e| io("wait for Ctrl-C", e))?;
    server.close().map_err(|e| io("write the state file", e))
}

/// The mock's credential from `--token` and `--email` given on the command line.
///
/// The environment is ignored on purpose: `AQR_DEVELOPER_TOKEN` usually holds a real
/// token, which must not silently become a credential of a local test server.
fn credential(global: &GlobalArgs, matches: &ArgMatches) -> Result<Option<Credential>, CliError> {
    let from_command_line =
        |id: &str| matches!(matches.value_source(id), Some(ValueSource::CommandLine));
    let token = global.token.clone().filter(|_| from_command_line("token"));
    let email = global.email.clone().filter(|_| from_command_line("email"));
    match (token, email) {
        (Some(token), Some(email)) => Ok(Some(Credential { token, email })),
        (None, None) => Ok(None),
        _ => Err(CliError::Usage(
            "aqr mock: give both --token and --email (or neither, for the defaults)".to_owned(),
        )),
    }
}

/// The first line is what the `aqr-mock` binary prints (then, with a generated
/// certificate, the CA file to trust); then how to use the server.
///
/// The default mock token is a public constant and is shown; a token given with
/// `--token` is not echoed (its owner knows it, and logs should not).
fn announce(server: &MockServer, out: &Output) {
    let url = server.url();
    let email = server.email();
    let token = if server.token() == aqr_mock::DEFAULT_TOKEN {
        aqr_mock::DEFAULT_TOKEN
    } else {
        "<the --token you gave>"
    };
    let ca_file = server.ca_file().map(|path| path.display().to_string());
    out.json_line(&serde_json::json!({
        "url": url, "port": server.port(), "email": email, "ca_file": ca_file,
    }));
    let ca_line = ca_file
        .map(|path| format!("\n  CA certificate: {path}"))
        .unwrap_or_default();
    out.text(&format!(
        "AQR mock listening on {url}{ca_line}\n  email: {email}\n  e.g. AQR_BASE_URL={url} AQR_DEVELOPER_TOKEN={token} AQR_EMAIL={email}\n  Ctrl-C stops it."
    ));
}

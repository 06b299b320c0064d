//! `aqr mock`: serve the mock AQR server on 127.0.0.1 until interrupted.

use aqr_mock::{Credential, MockOptions};
use clap::ArgMatches;
use clap::parser::ValueSource;
use tokio::net::TcpListener;

use crate::args::{GlobalArgs, MockArgs};
use crate::error::CliError;
use crate::output::Output;

/// Runs the server until Ctrl-C (or SIGTERM).
///
/// # Errors
/// [`CliError::Usage`] for `--token` without `--email` (or the reverse);
/// [`CliError::Io`] when the port cannot be bound or the server fails.
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
        ..MockOptions::default()
    };
    if let Some(credential) = credential(global, matches)? {
        options.credentials = vec![credential];
    }
    let address = format!("127.0.0.1:{}", args.port);
    let io = |what: &str, e| CliError::io(what, address.as_ref(), e);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| io("start the async runtime", e))?;
    runtime.block_on(async {
        let listener = TcpListener::bind(("127.0.0.1", args.port))
            .await
            .map_err(|e| io("listen", e))?;
        let port = listener
            .local_addr()
            .map_err(|e| io("read the bound address", e))?
            .port();
        announce(&options, port, out);
        aqr_mock::serve(listener, options, shutdown_signal())
            .await
            .map_err(|e| io("serve", e))
    })
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

/// The first line is what the `aqr-mock` binary prints; then how to use the server.
///
/// The default mock token is a public constant and is shown; a token given with
/// `--token` is not echoed (its owner knows it, and logs should not).
fn announce(options: &MockOptions, port: u16, out: &Output) {
    let url = format!("http://127.0.0.1:{port}");
    let credential = options.credentials.first().cloned().unwrap_or_default();
    let token = if credential.token == aqr_mock::DEFAULT_TOKEN {
        aqr_mock::DEFAULT_TOKEN
    } else {
        "<the --token you gave>"
    };
    out.json_line(&serde_json::json!({ "url": url, "port": port, "email": credential.email }));
    out.text(&format!(
        "AQR mock listening on {url}\n  email: {}\n  e.g. AQR_BASE_URL={url} AQR_DEVELOPER_TOKEN={token} AQR_EMAIL={}\n  Ctrl-C stops it.",
        credential.email, credential.email
    ));
}

/// Completes on Ctrl-C, or on SIGTERM on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

//! `aqr-mock`: run the AQR mock server from a terminal.

use aqr_mock::{Credential, DEFAULT_EMAIL, DEFAULT_TOKEN, MockOptions, MockServer};
use clap::Parser;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// A faithful local AQR server for demos and tests.
///
/// Prints `AQR mock listening on http://127.0.0.1:PORT` as its first line, then the
/// developer tokens and e-mail addresses it accepts. Stops on Ctrl-C.
#[derive(Parser, Debug)]
#[command(name = "aqr-mock", version)]
struct Args {
    /// Port on 127.0.0.1 (0 = a free port).
    #[arg(long, default_value_t = 0, env = "AQR_MOCK_PORT")]
    port: u16,
    /// A developer token to accept; repeat it with --email for several pairs.
    #[arg(long)]
    token: Vec<String>,
    /// The e-mail address of the matching --token.
    #[arg(long)]
    email: Vec<String>,
    /// Answer failures with HTTP 200 (the JSON body still says "fail").
    #[arg(long)]
    failures_as_200: bool,
    /// Keep entries in this JSON file across restarts.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// How many recent requests GET /__mock/requests keeps.
    #[arg(long, default_value_t = aqr_mock::DEFAULT_REQUEST_LOG_CAPACITY)]
    request_log_capacity: usize,
}

fn credentials(tokens: Vec<String>, emails: Vec<String>) -> Result<Vec<Credential>, String> {
    match (tokens.len(), emails.len()) {
        (0, 0) => Ok(vec![Credential::default()]),
        (_, 0) => Ok(tokens
            .into_iter()
            .map(|t| Credential::new(t, DEFAULT_EMAIL))
            .collect()),
        (0, _) => Ok(emails
            .into_iter()
            .map(|e| Credential::new(DEFAULT_TOKEN, e))
            .collect()),
        (t, e) if t == e => Ok(tokens
            .into_iter()
            .zip(emails)
            .map(|(t, e)| Credential::new(t, e))
            .collect()),
        (t, e) => Err(format!(
            "give --token and --email the same number of times (got {t} tokens and {e} e-mail addresses)"
        )),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let credentials = match credentials(args.token, args.email) {
        Ok(credentials) => credentials,
        Err(message) => {
            eprintln!("aqr-mock: {message}");
            return ExitCode::from(2);
        }
    };
    let options = MockOptions {
        port: args.port,
        credentials: credentials.clone(),
        failures_as_200: args.failures_as_200,
        state_file: args.state,
        request_log_capacity: args.request_log_capacity,
    };
    let server = match MockServer::start(options) {
        Ok(server) => server,
        Err(err) => {
            eprintln!("aqr-mock: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    // A mock token: printing it is the point, so that clients can be configured.
    let _ = writeln!(out, "AQR mock listening on {}", server.url());
    for credential in &credentials {
        let _ = writeln!(
            out,
            "  token: {}  email: {}",
            credential.token, credential.email
        );
    }
    let _ = writeln!(
        out,
        "  e.g. AQR_BASE_URL={} AQR_DEVELOPER_TOKEN={} AQR_EMAIL={}",
        server.url(),
        server.token(),
        server.email()
    );
    let _ = writeln!(out, "  Ctrl-C stops it.");
    let _ = out.flush();
    drop(out);

    let waited = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(|runtime| runtime.block_on(tokio::signal::ctrl_c()));
    if let Ok(Err(err)) | Err(err) = waited {
        eprintln!("aqr-mock: cannot wait for Ctrl-C: {err}");
    }
    server.shutdown();
    ExitCode::SUCCESS
}

//! `aqr-mock`: run the AQR mock server from a terminal.

use aqr_mock::{
    Credential, DEFAULT_EMAIL, DEFAULT_TOKEN, MockOptions, MockServer, StopSignal, TlsCertificate,
};
use clap::Parser;
use std::fmt;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

/// A faithful local AQR server for demos and tests.
///
/// Prints `AQR mock listening on http://127.0.0.1:PORT` (or `https://…`) as its first
/// line; with --tls, the path of the CA file to trust next; then the developer tokens
/// and e-mail addresses it accepts. Stops on Ctrl-C or SIGTERM (exit status 0, state
/// file written).
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
    /// How many bytes the request log may hold (the oldest records go first).
    #[arg(long, value_name = "BYTES", default_value_t = aqr_mock::DEFAULT_REQUEST_LOG_BYTES)]
    request_log_bytes: usize,
    /// Seconds a client has to send a request's headers (TLS handshake included).
    #[arg(long, value_name = "SECONDS", default_value_t = Seconds(aqr_mock::DEFAULT_HEADER_TIMEOUT))]
    header_timeout: Seconds,
    /// Seconds a client has to send a request's body.
    #[arg(long, value_name = "SECONDS", default_value_t = Seconds(aqr_mock::DEFAULT_BODY_TIMEOUT))]
    body_timeout: Seconds,
    /// Seconds a keep-alive connection may wait for its next request.
    #[arg(long, value_name = "SECONDS", default_value_t = Seconds(aqr_mock::DEFAULT_IDLE_TIMEOUT))]
    idle_timeout: Seconds,
    /// Seconds an answer may wait for a client that does not read it.
    #[arg(long, value_name = "SECONDS", default_value_t = Seconds(aqr_mock::DEFAULT_WRITE_TIMEOUT))]
    write_timeout: Seconds,
    /// Connections served at once; more get 503 too_many_connections.
    #[arg(long, value_name = "N", default_value_t = aqr_mock::DEFAULT_MAX_CONNECTIONS)]
    max_connections: usize,
    /// Serve HTTPS with a CA and certificate generated at start (the CA file's path is
    /// printed on the second line).
    #[arg(long, conflicts_with = "cert")]
    tls: bool,
    /// Serve HTTPS with this PEM certificate chain (with --key).
    #[arg(long, value_name = "FILE", requires = "key")]
    cert: Option<PathBuf>,
    /// The PEM private key of --cert.
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,
    /// Also accept this host name in Host and Origin (repeatable), e.g. a name a test
    /// proxy maps to 127.0.0.1; other names are refused (DNS rebinding).
    #[arg(long, value_name = "NAME")]
    allow_host: Vec<String>,
}

/// A duration given in (possibly fractional) seconds on the command line.
#[derive(Clone, Copy, Debug)]
struct Seconds(Duration);

impl FromStr for Seconds {
    type Err = String;

    /// Any representable duration; the allowed range is checked by the mock itself.
    fn from_str(text: &str) -> Result<Self, String> {
        text.trim()
            .parse::<f64>()
            .ok()
            .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
            .map(Seconds)
            .ok_or_else(|| format!("{text:?} is not a number of seconds"))
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.as_secs_f64())
    }
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
    let tls = TlsCertificate::from_flags(args.tls, args.cert, args.key);
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
        request_log_bytes: args.request_log_bytes,
        header_timeout: args.header_timeout.0,
        body_timeout: args.body_timeout.0,
        idle_timeout: args.idle_timeout.0,
        write_timeout: args.write_timeout.0,
        max_connections: args.max_connections,
        tls,
        allowed_hosts: args.allow_host,
    };
    // Caught before the first line is printed: a supervisor may stop us right after it.
    let stop = match StopSignal::install() {
        Ok(stop) => stop,
        Err(err) => {
            eprintln!("aqr-mock: cannot catch Ctrl-C and SIGTERM: {err}");
            return ExitCode::FAILURE;
        }
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
    if let Some(ca) = server.ca_file() {
        let _ = writeln!(out, "  CA certificate: {}", ca.display());
    }
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

    if let Err(err) = stop.wait() {
        eprintln!("aqr-mock: cannot wait for Ctrl-C: {err}");
    }
    match server.close() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("aqr-mock: cannot write the state file: {err}");
            ExitCode::FAILURE
        }
    }
}

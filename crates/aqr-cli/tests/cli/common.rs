//! Helpers: the binary with a clean environment, mock servers, faults, temp dirs.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use aqr_mock::{Credential, Fault, FaultBody, MockAction, MockOptions, MockServer, TlsCertificate};
use assert_cmd::Command;
use serde_json::Value;

/// A token distinctive enough that finding it anywhere in output is a leak.
pub(crate) const SECRET_TOKEN: &str = "tok_SUPERSECRET_5f2a9c";
pub(crate) const EMAIL: &str = "dev@example.com";

/// The `aqr` binary with no AQR_* variables inherited and no colours.
pub(crate) fn aqr() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("aqr");
    for var in ["AQR_DEVELOPER_TOKEN", "AQR_EMAIL", "AQR_BASE_URL"] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Options for a mock that accepts [`SECRET_TOKEN`] / [`EMAIL`].
fn mock_options() -> MockOptions {
    MockOptions {
        credentials: vec![Credential {
            token: SECRET_TOKEN.to_owned(),
            email: EMAIL.to_owned(),
        }],
        ..MockOptions::default()
    }
}

/// A mock that accepts [`SECRET_TOKEN`] / [`EMAIL`].
pub(crate) fn mock() -> MockServer {
    MockServer::start(mock_options()).unwrap()
}

/// The same over HTTPS, with a CA generated at start ([`MockServer::ca_file`]).
pub(crate) fn tls_mock() -> MockServer {
    MockServer::start(MockOptions {
        tls: Some(TlsCertificate::Generated),
        ..mock_options()
    })
    .unwrap()
}

/// `aqr` configured for `server` through the environment, with no retries (fast faults).
pub(crate) fn aqr_for(server: &MockServer) -> Command {
    let mut cmd = aqr();
    cmd.env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
        .env("AQR_EMAIL", EMAIL)
        .env("AQR_BASE_URL", server.url())
        .args(["--retries", "0", "--timeout", "5"]);
    cmd
}

/// The usual create arguments (a valid sample account).
pub(crate) const CREATE: [&str; 11] = [
    "create",
    "--account-number",
    "1234567894321",
    "--bank",
    "토스뱅크",
    "--owner",
    "홍길동",
    "--phone",
    "010-1234-1234",
    "--name",
    "월세",
];

/// Answer every matching request with `status` and `body`.
pub(crate) fn respond(action: Option<MockAction>, status: u16, body: FaultBody) -> Fault {
    let mut fault = Fault::respond(status, body);
    fault.action = action;
    fault
}

/// A port on which nothing listens (bound, then released).
pub(crate) fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A fresh directory under the target's temp dir. The name does not carry the process id,
/// so the next run replaces it (what a failed test left stays until then) instead of
/// adding one more per run.
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "aqr-cli-{name}-{}",
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub(crate) fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// stdout parsed as JSON.
pub(crate) fn json_stdout(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(output)))
}

/// stderr parsed as JSON (the `--json` error object).
pub(crate) fn json_stderr(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stderr)
        .unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {}", stderr(output)))
}

/// Asserts that the token appears in neither stream.
pub(crate) fn assert_no_token(output: &std::process::Output) {
    for (name, text) in [("stdout", stdout(output)), ("stderr", stderr(output))] {
        assert!(
            !text.contains(SECRET_TOKEN),
            "token leaked on {name}: {text}"
        );
        assert!(
            !text.contains("SUPERSECRET"),
            "token leaked on {name}: {text}"
        );
    }
}

//! Ctrl-C during a single `aqr create` (over HTTP and HTTPS) or `aqr delete`: the call
//! stops at once (not when the server answers), the exit code is 130, the message says
//! whether the request may have been processed, and a create's ledger entry records that
//! its outcome is unknown.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use aqr_mock::{Fault, FaultBody, FaultResponse, MockAction, MockServer};

use crate::common::*;

/// How long the mock holds each answer: far longer than the test may take.
const HELD: Duration = Duration::from_secs(30);

/// Every request of `action` is recorded at once and answered only after [`HELD`].
fn hold_answers_to(server: &MockServer, action: MockAction) {
    server
        .push_fault(Fault {
            action: Some(action),
            times: None,
            response: FaultResponse::Respond {
                status: 200,
                body: FaultBody::Json {
                    value: serde_json::json!({"result": "success"}),
                },
                retry_after: None,
                headers: Vec::new(),
                delay_ms: u64::try_from(HELD.as_millis()).unwrap(),
            },
        })
        .unwrap();
}

/// `aqr` for `server` (trusting its CA when it serves HTTPS).
fn spawn_aqr(server: &MockServer, ledger: &Path, args: &[&str]) -> Child {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("aqr"));
    if let Some(ca) = server.ca_file() {
        command.env("AQR_CA_BUNDLE", ca);
    }
    command
        .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
        .env("AQR_EMAIL", EMAIL)
        .env("AQR_BASE_URL", server.url())
        .env("AQR_LEDGER", ledger)
        .env("NO_COLOR", "1")
        .args(["--retries", "0", "--timeout", "60"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until the mock holds a request of `action`, sends SIGINT, and returns the
/// process's output and how long it took to end after the signal.
fn interrupt_when_held(
    server: &MockServer,
    action: MockAction,
    child: Child,
) -> (Output, Duration) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.request_count(Some(action)) < 1 {
        assert!(Instant::now() < deadline, "no request arrived");
        std::thread::sleep(Duration::from_millis(10));
    }
    let signalled = Instant::now();
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    (output, signalled.elapsed())
}

#[test]
fn ctrl_c_stops_a_create_in_flight_and_the_ledger_says_unknown() {
    create_stopped_in_flight(&mock(), "ctrl-c-create");
}

#[test]
fn ctrl_c_stops_a_create_in_flight_over_https() {
    let server = tls_mock();
    assert!(server.url().starts_with("https://"));
    create_stopped_in_flight(&server, "ctrl-c-create-tls");
}

fn create_stopped_in_flight(server: &MockServer, name: &str) {
    let dir = temp_dir(name);
    let ledger = dir.join("ledger.sqlite3");
    hold_answers_to(server, MockAction::Create);
    let child = spawn_aqr(server, &ledger, &CREATE);
    let (output, took) = interrupt_when_held(server, MockAction::Create, child);

    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert!(took < Duration::from_secs(3), "ended {took:?} after Ctrl-C");
    assert!(err.contains("create interrupted (Ctrl-C)"), "{err}");
    assert!(
        err.contains("stopped while it waited for the response"),
        "{err}"
    );
    assert!(err.contains("the entry may exist"), "{err}");
    assert!(err.contains("check before retrying"), "{err}");
    assert_no_token(&output);
    assert_eq!(server.request_count(Some(MockAction::Create)), 1);

    let listed = aqr()
        .env("AQR_LEDGER", &ledger)
        .args(["entries", "--json", "--status", "unknown"])
        .output()
        .unwrap();
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    let entries = json_stdout(&listed);
    assert_eq!(entries.as_array().unwrap().len(), 1, "{entries}");
}

#[test]
fn ctrl_c_stops_a_delete_in_flight_with_a_json_error() {
    let server = mock();
    let dir = temp_dir("ctrl-c-delete");
    let created = aqr_for(&server)
        .env("AQR_LEDGER", dir.join("ledger.sqlite3"))
        .args(CREATE)
        .args(["--json"])
        .output()
        .unwrap();
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    let id = json_stdout(&created)["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    hold_answers_to(&server, MockAction::Delete);
    let child = spawn_aqr(
        &server,
        &dir.join("ledger.sqlite3"),
        &["--json", "delete", &id],
    );
    let (output, took) = interrupt_when_held(&server, MockAction::Delete, child);

    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert!(took < Duration::from_secs(3), "ended {took:?} after Ctrl-C");
    let error = serde_json::from_str::<serde_json::Value>(
        stderr(&output)
            .lines()
            .find(|line| line.starts_with('{'))
            .unwrap_or_else(|| panic!("no JSON error: {}", stderr(&output))),
    )
    .unwrap();
    assert_eq!(error["error"]["type"], "interrupted", "{error}");
    assert_eq!(error["error"]["exit_code"], 130, "{error}");
    assert_eq!(error["error"]["operation"], "delete", "{error}");
    assert_eq!(error["error"]["may_have_been_processed"], true, "{error}");
    assert_no_token(&output);
}

//! `aqr mock`: a server process that other `aqr` commands can use.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::common::*;

/// A running `aqr mock` process, killed on drop.
pub(crate) struct MockProcess {
    child: Child,
    /// Its base URL.
    pub url: String,
    first_line: String,
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `aqr mock ARGS` with `env` and reads its URL from the first line.
pub(crate) fn spawn_mock(args: &[&str], env: &[(&str, &str)]) -> MockProcess {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("aqr"))
        .env_remove("AQR_DEVELOPER_TOKEN")
        .env_remove("AQR_EMAIL")
        .envs(env.iter().copied())
        .arg("mock")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let url = first_line
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in the first line: {first_line:?}"))
        .trim_end_matches(['.', ',', ')'])
        .to_owned();
    MockProcess {
        child,
        url,
        first_line,
    }
}

#[test]
fn mock_serves_create_and_delete_with_its_credential() {
    let mock = spawn_mock(
        &["--port", "0", "--token", SECRET_TOKEN, "--email", EMAIL],
        &[],
    );
    assert!(
        !mock.first_line.contains(SECRET_TOKEN),
        "{}",
        mock.first_line
    );
    let run = |args: &[&str]| {
        aqr()
            .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
            .env("AQR_EMAIL", EMAIL)
            .env("AQR_BASE_URL", &mock.url)
            .args(["--retries", "0", "--json"])
            .args(args)
            .output()
            .unwrap()
    };
    let output = run(&CREATE);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let id = json_stdout(&output)["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        json_stdout(&output)["short_url"]
            .as_str()
            .unwrap()
            .starts_with(&mock.url)
    );
    let output = run(&["delete", &id]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = run(&["delete", &id]);
    assert_eq!(output.status.code(), Some(3));
}

#[test]
fn mock_ignores_the_token_from_the_environment() {
    let mock = spawn_mock(
        &["--port", "0"],
        &[("AQR_DEVELOPER_TOKEN", SECRET_TOKEN), ("AQR_EMAIL", EMAIL)],
    );
    // The environment's token is not a credential of this mock; the default one is.
    let output = aqr_for_url(&mock.url, SECRET_TOKEN)
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let output = aqr_for_url(&mock.url, aqr_mock::DEFAULT_TOKEN)
        .env("AQR_EMAIL", aqr_mock::DEFAULT_EMAIL)
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

fn aqr_for_url(url: &str, token: &str) -> assert_cmd::Command {
    let mut cmd = aqr();
    cmd.env("AQR_DEVELOPER_TOKEN", token)
        .env("AQR_EMAIL", EMAIL)
        .env("AQR_BASE_URL", url)
        .args(["--retries", "0"]);
    cmd
}

#[test]
fn mock_needs_both_token_and_email() {
    let output = aqr().args(["mock", "--token", "t"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--email"), "{}", stderr(&output));
}

#[test]
fn mock_on_a_busy_port_fails_locally() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let output = aqr().args(["mock", "--port", &port]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[test]
fn mock_failures_as_200_keep_the_failure_body() {
    let mock = spawn_mock(&["--failures-as-200"], &[]);
    let output = aqr_for_url(&mock.url, aqr_mock::DEFAULT_TOKEN)
        .env("AQR_EMAIL", aqr_mock::DEFAULT_EMAIL)
        .args(["--json", "delete", "nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["status"], 200);
    assert_eq!(error["code"], "not_found");
}

#[test]
fn mock_json_first_line_is_an_object() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("aqr"))
        .args(["mock", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let value: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert!(
        value["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert_eq!(value["email"], aqr_mock::DEFAULT_EMAIL);
}

/// SIGTERM stops the server cleanly (exit 0) and the state file survives a restart.
#[cfg(unix)]
#[test]
fn mock_state_survives_a_restart_after_sigterm() {
    let state = temp_dir("mock-state").join("state.json");
    let state_arg = state.display().to_string();
    let mut first = spawn_mock(&["--state", &state_arg], &[]);
    let create = aqr_for_url(&first.url, aqr_mock::DEFAULT_TOKEN)
        .env("AQR_EMAIL", aqr_mock::DEFAULT_EMAIL)
        .arg("--json")
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(create.status.code(), Some(0), "{}", stderr(&create));
    let id = json_stdout(&create)["account_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let pid = first.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = first.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a clean shutdown on SIGTERM");
    assert!(std::fs::read_to_string(&state).unwrap().contains(&id));

    let second = spawn_mock(&["--state", &state_arg], &[]);
    let delete = aqr_for_url(&second.url, aqr_mock::DEFAULT_TOKEN)
        .env("AQR_EMAIL", aqr_mock::DEFAULT_EMAIL)
        .args(["delete", &id])
        .output()
        .unwrap();
    assert_eq!(delete.status.code(), Some(0), "{}", stderr(&delete));
}

/// `--tls` serves HTTPS with a generated CA whose file is printed after the first line
/// (checked with curl trusting only that CA).
#[cfg(unix)]
#[test]
fn mock_tls_prints_its_ca_file_and_serves_https() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("aqr"))
        .args(["mock", "--tls"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("AQR mock listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let second = lines.next().unwrap().unwrap();
    let ca_file = second
        .strip_prefix("  CA certificate: ")
        .unwrap_or_else(|| panic!("{second}"))
        .to_owned();
    let health = Command::new("curl")
        .args(["-sS", "--cacert", &ca_file, &format!("{url}/__mock/health")])
        .output()
        .expect("curl is needed for this test");
    assert!(
        String::from_utf8_lossy(&health.stdout).contains("\"ok\""),
        "{}",
        String::from_utf8_lossy(&health.stderr)
    );
    let untrusted = Command::new("curl")
        .args(["-sS", &format!("{url}/__mock/health")])
        .output()
        .unwrap();
    assert!(!untrusted.status.success());
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(!std::path::Path::new(&ca_file).exists());
}

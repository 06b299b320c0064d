//! The `aqr-mock` binary: its first lines, its credentials, signals, durability under
//! `kill -9`, and its limits under `prlimit`.

mod common;

use common::TempDir;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const CREATE: &str = "email_address=bin%40example.com&account_number=1234567894321&bank_id=1&account_owner=x&phone_number=01012341234&action=create";

/// A running `aqr-mock` binary and the lines it printed before the credentials.
struct Running {
    child: Child,
    url: String,
    ca_file: Option<PathBuf>,
}

impl Running {
    /// Starts the binary (optionally under `prlimit` with these limits) and reads its
    /// first lines.
    fn start(limits: &[&str], args: &[&str]) -> Running {
        let mut command = if limits.is_empty() {
            Command::new(env!("CARGO_BIN_EXE_aqr-mock"))
        } else {
            let mut command = Command::new("prlimit");
            command.args(limits).arg(env!("CARGO_BIN_EXE_aqr-mock"));
            command
        };
        let mut child = command
            .args([
                "--port",
                "0",
                "--token",
                "bin-token",
                "--email",
                "bin@example.com",
            ])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let url = first
            .strip_prefix("AQR mock listening on ")
            .unwrap_or_else(|| panic!("first line: {first}"))
            .to_owned();
        let mut next = lines.next().unwrap().unwrap();
        let ca_file = next.strip_prefix("  CA certificate: ").map(PathBuf::from);
        if ca_file.is_some() {
            next = lines.next().unwrap().unwrap();
        }
        assert!(
            next.contains("bin-token") && next.contains("bin@example.com"),
            "{next}"
        );
        // Keep reading stdout so that the child never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Running {
            child,
            url,
            ca_file,
        }
    }

    fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }

    fn signal(&mut self, name: &str) -> ExitStatus {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.child.wait().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// A create; `Some(id)` only when it was answered 200 with a complete success body.
fn create(agent: &ureq::Agent, url: &str) -> Option<String> {
    let mut response = agent
        .post(&format!("{url}/api/"))
        .header("AQR-DEVELOPER-TOKEN", "bin-token")
        .content_type("application/x-www-form-urlencoded")
        .send(CREATE)
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    let text = response.body_mut().read_to_string().ok()?;
    let body: serde_json::Value = serde_json::from_str(&text).ok()?;
    body["account_id"].as_str().map(str::to_owned)
}

fn state_ids(state: &Path) -> HashSet<String> {
    let text = std::fs::read_to_string(state).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["account_id"].as_str().unwrap().to_owned())
        .collect()
}

#[cfg(unix)]
#[test]
fn sigint_and_sigterm_save_the_state_and_exit_0() {
    for signal in ["INT", "TERM"] {
        let dir = TempDir::new(&format!("bin-signal-{signal}"));
        let state = dir.0.join("state.json");
        let mut mock = Running::start(&[], &["--state", state.to_str().unwrap()]);
        assert!(mock.url.starts_with("http://127.0.0.1:"), "{}", mock.url);
        let client = agent(Duration::from_secs(10));
        let ids: HashSet<String> = (0..20).filter_map(|_| create(&client, &mock.url)).collect();
        assert_eq!(ids.len(), 20);
        let exit = mock.signal(signal);
        assert_eq!(exit.code(), Some(0), "{signal}: {exit:?}");
        // The state file is complete; no journal and no temporary file are left.
        assert_eq!(state_ids(&state), ids);
        assert_eq!(dir.names(), ["state.json"]);
    }
}

#[cfg(unix)]
#[test]
fn kill_9_during_a_create_burst_loses_no_acknowledged_create() {
    const TRIALS: u64 = 10;
    const THREADS: usize = 8;
    let dir = TempDir::new("bin-kill9");
    let state = dir.0.join("state.json");
    let mut acknowledged_total = 0;
    for trial in 0..TRIALS {
        let mut mock = Running::start(&[], &["--state", state.to_str().unwrap()]);
        let url = mock.url.clone();
        let acknowledged: Vec<String> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..THREADS)
                .map(|_| {
                    let url = url.clone();
                    scope.spawn(move || {
                        let client = agent(Duration::from_secs(5));
                        let mut ids = Vec::new();
                        while let Some(id) = create(&client, &url) {
                            ids.push(id);
                        }
                        ids
                    })
                })
                .collect();
            // A different moment in each trial, 40–310 ms into the burst.
            std::thread::sleep(Duration::from_millis(40 + (trial * 97) % 271));
            mock.child.kill().unwrap();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect()
        });
        let _ = mock.child.wait();
        assert!(
            !acknowledged.is_empty(),
            "trial {trial}: no create got through"
        );
        acknowledged_total += acknowledged.len();
        // The next run starts from what the killed one left.
        let next = Running::start(&[], &["--state", state.to_str().unwrap()]);
        let text = agent(Duration::from_secs(10))
            .get(&format!("{}/__mock/entries", next.url))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        let entries: serde_json::Value = serde_json::from_str(&text).unwrap();
        let kept: HashSet<&str> = entries
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["account_id"].as_str().unwrap())
            .collect();
        let lost: Vec<_> = acknowledged
            .iter()
            .filter(|id| !kept.contains(id.as_str()))
            .collect();
        assert!(
            lost.is_empty(),
            "trial {trial}: lost {} acknowledged creates",
            lost.len()
        );
        drop(next);
    }
    println!("kill -9: {TRIALS} trials, {acknowledged_total} acknowledged creates, 0 lost");
}

#[test]
fn an_unusable_state_path_fails_at_start_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_aqr-mock"))
        .args(["--state", "/nonexistent-dir/aqr/state.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot start"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn tls_prints_the_ca_file_and_serves_https() {
    let mut mock = Running::start(&[], &["--tls"]);
    assert!(mock.url.starts_with("https://127.0.0.1:"), "{}", mock.url);
    let ca_file = mock.ca_file.clone().expect("the CA line");
    let pem = std::fs::read(&ca_file).unwrap();
    let ca = ureq::tls::Certificate::from_pem(&pem).unwrap();
    let client: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&[ca]))
                .build(),
        )
        .build()
        .into();
    let id = create(&client, &mock.url).expect("a create over HTTPS");
    assert_eq!(id.len(), 6);
    #[cfg(unix)]
    {
        assert_eq!(mock.signal("TERM").code(), Some(0));
        assert!(!ca_file.exists(), "the CA file outlived the mock");
    }
}

/// Raises this process's open-file limit so that the test itself can hold many sockets.
fn ensure_open_files(wanted: u64) {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let soft: u64 = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if soft >= wanted {
        return;
    }
    let pid = std::process::id().to_string();
    let raised = Command::new("prlimit")
        .args(["--pid", &pid, &format!("--nofile={wanted}:{wanted}")])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        raised,
        "this test needs {wanted} open files (soft limit {soft}) and could not raise it"
    );
}

fn raw_request(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn raw_create() -> Vec<u8> {
    format!(
        "POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAQR-DEVELOPER-TOKEN: bin-token\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{CREATE}",
        CREATE.len()
    )
    .into_bytes()
}

#[cfg(target_os = "linux")]
#[test]
fn eleven_hundred_silent_sockets_under_a_1024_file_limit() {
    ensure_open_files(4096);
    let mock = Running::start(&["--nofile=1024:1024"], &["--header-timeout", "1"]);
    let port = mock.port();
    let silent: Vec<TcpStream> = (0..1_100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    // At once: a clear answer (served, or shed with a retryable 503), never a hang.
    let answer = raw_request(port, &raw_create());
    assert!(
        answer.starts_with("HTTP/1.1 200") || answer.contains("too_many_connections"),
        "{answer}"
    );
    // Once the silent ones have timed out, clients are served.
    std::thread::sleep(Duration::from_millis(1_500));
    let started = Instant::now();
    let answer = raw_request(port, &raw_create());
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    println!(
        "1,100 silent sockets under nofile=1024: served again in {:?}",
        started.elapsed()
    );
    drop(silent);
}

#[cfg(target_os = "linux")]
#[test]
fn a_wrong_token_flood_under_a_1_gib_address_space_limit() {
    // Before the log was bounded, 1,111 such requests took ~2.8 GB and aborted a mock
    // limited to 3 GB.
    let mock = Running::start(&["--as=1073741824"], &[]);
    let port = mock.port();
    let mut body = String::from("action=aqr_create");
    while body.len() < 64 * 1024 - 3 {
        body.push_str("&a=");
    }
    let request = format!(
        "POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAQR-DEVELOPER-TOKEN: wrong-token\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for i in 0..1_500 {
        stream.write_all(request.as_bytes()).unwrap();
        // Read one answer (its headers and its small body).
        let mut length = 0;
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(
            status.starts_with("HTTP/1.1 401"),
            "request {i}: {status:?}"
        );
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut answer = vec![0u8; length];
        reader.read_exact(&mut answer).unwrap();
    }
    let rss = std::fs::read_to_string(format!("/proc/{}/status", mock.child.id()))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .map(str::to_owned)
        .unwrap_or_default();
    println!("after 1,500 unauthenticated 64 KiB bodies under --as=1 GiB: {rss}");
    let answer = raw_request(port, &raw_create());
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn refuses_unpaired_credentials() {
    let output = Command::new(env!("CARGO_BIN_EXE_aqr-mock"))
        .args([
            "--token",
            "a",
            "--token",
            "b",
            "--email",
            "x@example.com",
            "--email",
            "y@example.com",
            "--email",
            "z@example.com",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("same number of times"));
    assert!(output.stdout.is_empty());
}

#[test]
fn refuses_timeouts_that_are_not_timeouts() {
    // Not a duration: a usage error (2); out of range: refused at start (1).
    for (bad, code) in [("-1", 2), ("nan", 2), ("soon", 2), ("0", 1), ("1e9", 1)] {
        let output = Command::new(env!("CARGO_BIN_EXE_aqr-mock"))
            .arg(format!("--header-timeout={bad}"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(code), "{bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("--header-timeout") || stderr.contains("header_timeout: must be"),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
    }
}

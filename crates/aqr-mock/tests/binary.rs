//! The `aqr-mock` binary: its first line, its credentials, Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn prints_its_url_first_and_serves_until_interrupted() {
    let dir = std::env::temp_dir().join(format!("aqr-mock-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_aqr-mock"))
        .args([
            "--port",
            "0",
            "--token",
            "bin-token",
            "--email",
            "bin@example.com",
        ])
        .arg("--state")
        .arg(&state)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("AQR mock listening on ")
        .unwrap_or_else(|| panic!("first line: {first}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    let second = lines.next().unwrap().unwrap();
    assert!(
        second.contains("bin-token") && second.contains("bin@example.com"),
        "{second}"
    );

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .post(&format!("{url}/api/"))
        .header("AQR-DEVELOPER-TOKEN", "bin-token")
        .content_type("application/x-www-form-urlencoded")
        .send("email_address=bin%40example.com&account_number=1234567894321&bank_id=1&account_owner=x&phone_number=01012341234&action=create")
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.body_mut().read_to_string().unwrap();
    assert!(body.contains("\"result\":\"success\""), "{body}");

    #[cfg(unix)]
    {
        let status = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        assert!(exit.success(), "{exit:?}");
        // The state was written on the way out.
        let text = std::fs::read_to_string(&state).unwrap();
        assert!(text.contains("bin@example.com"), "{text}");
    }
    #[cfg(not(unix))]
    {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
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

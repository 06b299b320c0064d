//! The reference's own curl example, byte for byte, pointed at the mock.

mod common;

use aqr_mock::MockServer;
use std::process::Command;

fn curl_available() -> bool {
    Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_reference_curl_example_succeeds() {
    if !curl_available() {
        // In CI curl must be there: failing beats silently skipping.
        assert!(std::env::var_os("CI").is_none(), "curl is required in CI");
        eprintln!("SKIPPED the_reference_curl_example_succeeds: curl is not installed");
        return;
    }
    let server = MockServer::start_default().unwrap();
    // The AQR reference's curl example with <TOKEN>, <EMAIL>, <OWNER>, <NAME> filled in and the URL
    // pointed at the mock; everything else as published.
    let output = Command::new("curl")
        .args([
            "-s",
            "-H",
            &format!("AQR-DEVELOPER-TOKEN: {}", server.token()),
            "-H",
            "Content-type: application/x-www-form-urlencoded",
            "-X",
            "POST",
            "-d",
            &format!(
                "email_address={}&account_number=1234567894321&bank_id=1&account_owner=%ED%99%8D%EA%B8%B8%EB%8F%99&phone_number=01012341234&account_name=test&action=aqr_create",
                server.email()
            ),
            &format!("{}/api/", server.url()),
            "-w",
            "\n%{http_code}",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let (body, status) = stdout.rsplit_once('\n').unwrap();
    assert_eq!(status, "200", "{body}");
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    let id = json["account_id"].as_str().unwrap();
    assert_eq!(json["result"], "success");
    assert_eq!(json["short_url"], format!("{}/f/{id}", server.url()));
    assert_eq!(
        json["qr_image"],
        format!("{}/res?keyword={id}", server.url())
    );
    let entry = &server.entries()[0];
    assert_eq!(entry.account_owner, "홍길동");
    assert_eq!(entry.account_name.as_deref(), Some("test"));
}

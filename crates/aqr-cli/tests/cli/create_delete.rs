//! `aqr create` and `aqr delete` against the mock.

use crate::common::*;

#[test]
fn create_prints_the_entry_and_the_mock_has_it() {
    let server = mock();
    let output = aqr_for(&server).args(CREATE).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let entries = server.entries();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert!(text.contains(&entry.account_id), "{text}");
    assert!(text.contains(&entry.short_url), "{text}");
    assert!(text.contains(&entry.qr_image), "{text}");
    assert_eq!(entry.bank_id, 1);
    assert_eq!(entry.account_owner, "홍길동");
    assert_eq!(entry.account_name.as_deref(), Some("월세"));
    assert_eq!(entry.email, EMAIL);
}

#[test]
fn create_json_is_the_entry() {
    let server = mock();
    let output = aqr_for(&server)
        .arg("--json")
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value = json_stdout(&output);
    let entry = &server.entries()[0];
    assert_eq!(value["account_id"], entry.account_id.as_str());
    assert_eq!(value["short_url"], entry.short_url.as_str());
    assert_eq!(value["qr_image"], entry.qr_image.as_str());
    assert!(value.get("qr").is_none());
}

#[test]
fn bank_by_english_name_kftc_code_and_id() {
    let server = mock();
    for (bank, id) in [("KakaoBank", 0), ("088", 6), ("11", 11), ("SC제일은행", 14)] {
        let mut args = CREATE;
        args[4] = bank;
        let output = aqr_for(&server).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{bank}: {}", stderr(&output));
        let entries = server.entries();
        assert_eq!(entries.last().unwrap().bank_id, id, "{bank}");
    }
}

#[test]
fn unknown_bank_is_a_validation_error_naming_bank_id() {
    let server = mock();
    let mut args = CREATE;
    args[4] = "Bank of Atlantis";
    let output = aqr_for(&server).arg("--json").args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["field"], "bank_id");
    assert_eq!(error["rule"], "unknown_bank");
    assert_eq!(server.request_count(None), 0, "nothing may be sent");
}

#[test]
fn create_with_qr_svg_and_png_files() {
    let server = mock();
    let dir = temp_dir("create-qr");
    let svg = dir.join("entry.svg");
    let output = aqr_for(&server)
        .arg("--json")
        .args(CREATE)
        .arg("--qr")
        .arg(format!("svg:{}", svg.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value = json_stdout(&output);
    assert_eq!(value["qr"]["format"], "svg");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("</svg>"));

    let png = dir.join("entry.png");
    let output = aqr_for(&server)
        .args(CREATE)
        .arg("--qr")
        .arg(format!("png:{}", png.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let short_url = server.entries().last().unwrap().short_url.clone();
    let decoded = aqr_qr::decode_png(&std::fs::read(&png).unwrap());
    assert_eq!(decoded.as_deref(), Some(short_url.as_str()));
}

#[test]
fn create_with_terminal_qr_prints_blocks() {
    let server = mock();
    let output = aqr_for(&server)
        .args(CREATE)
        .args(["--qr", "terminal"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains('█') || stdout(&output).contains('▀'));
}

#[test]
fn terminal_qr_with_json_is_a_usage_error() {
    let server = mock();
    let output = aqr_for(&server)
        .arg("--json")
        .args(CREATE)
        .args(["--qr", "terminal"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json_stderr(&output)["error"]["type"], "usage");
    assert_eq!(server.request_count(None), 0);
}

#[test]
fn unwritable_qr_file_reports_that_the_entry_exists() {
    let server = mock();
    let missing = temp_dir("unwritable").join("no-such-dir").join("qr.png");
    let output = aqr_for(&server)
        .args(CREATE)
        .arg("--qr")
        .arg(format!("png:{}", missing.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let id = server.entries()[0].account_id.clone();
    let err = stderr(&output);
    assert!(err.contains(&format!("entry {id} was created")), "{err}");
    assert!(stdout(&output).contains(&id), "the entry is still printed");
}

#[test]
fn delete_removes_the_entry_and_a_second_delete_is_an_api_error() {
    let server = mock();
    let created = json_stdout(
        &aqr_for(&server)
            .arg("--json")
            .args(CREATE)
            .output()
            .unwrap(),
    );
    let id = created["account_id"].as_str().unwrap().to_owned();

    let output = aqr_for(&server)
        .args(["--json", "delete", &id])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value = json_stdout(&output);
    assert_eq!(value["deleted"], true);
    assert_eq!(value["account_id"], id.as_str());
    assert!(server.entries().is_empty());

    let output = aqr_for(&server).args(["delete", &id]).output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    let err = stderr(&output);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("404"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

#[test]
fn delete_human_output() {
    let server = mock();
    let created = json_stdout(
        &aqr_for(&server)
            .arg("--json")
            .args(CREATE)
            .output()
            .unwrap(),
    );
    let id = created["account_id"].as_str().unwrap();
    let output = aqr_for(&server).args(["delete", id]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output).trim(), format!("deleted entry {id}"));
}

#[test]
fn revised_dialect_sends_the_short_action_names() {
    let server = mock();
    let output = aqr_for(&server)
        .args(["--dialect", "revised", "--json"])
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let id = json_stdout(&output)["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let output = aqr_for(&server)
        .args(["--dialect", "revised", "delete", &id])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let actions: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| {
            r.form
                .iter()
                .find(|(k, _)| k == "action")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(actions, ["create", "delete"]);
}

#[test]
fn flags_override_nothing_missing_from_the_environment() {
    let server = mock();
    let output = aqr()
        .args(["--token", SECRET_TOKEN, "--email", EMAIL, "--base-url"])
        .arg(server.url())
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.entries().len(), 1);
}

#[test]
fn missing_token_is_a_configuration_error() {
    let server = mock();
    let output = aqr()
        .env("AQR_EMAIL", EMAIL)
        .env("AQR_BASE_URL", server.url())
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("AQR_DEVELOPER_TOKEN"),
        "{}",
        stderr(&output)
    );
    assert_eq!(server.request_count(None), 0);
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_sending() {
    let output = aqr()
        .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
        .env("AQR_EMAIL", EMAIL)
        .args(["--json", "--base-url", "http://example.com"])
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["field"], "base_url");
    assert_eq!(error["rule"], "insecure_url");
    assert_no_token(&output);
}

//! `aqr demo`: the README's first command.

use crate::common::*;

#[test]
fn demo_runs_the_whole_flow_and_saves_a_png_of_the_short_url() {
    let dir = temp_dir("demo");
    let output = aqr().current_dir(&dir).arg("demo").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);

    let short_url = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("short URL"))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no short URL in:\n{text}"))
        .to_owned();
    assert!(short_url.starts_with("http://127.0.0.1:"), "{short_url}");

    let png = std::fs::read(dir.join("aqr-demo.png")).unwrap();
    assert_eq!(
        aqr_qr::decode_png(&png).as_deref(),
        Some(short_url.as_str())
    );

    for expected in [
        "홍길동",
        "account id",
        "QR image",
        "POST /api/",
        "aqr-developer-token: [REDACTED]",
        "account_owner = 홍길동",
        "action = aqr_create",
        "Deleted entry",
        "404",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(
        !text.contains(aqr_mock::DEFAULT_TOKEN),
        "the mock token is masked too"
    );
}

#[test]
fn demo_json_and_out_path() {
    let dir = temp_dir("demo-json");
    let out = dir.join("qr.png");
    let output = aqr()
        .args(["demo", "--json", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value = json_stdout(&output);
    let short_url = value["entry"]["short_url"].as_str().unwrap();
    let png = std::fs::read(&out).unwrap();
    assert_eq!(aqr_qr::decode_png(&png).as_deref(), Some(short_url));
    assert_eq!(value["qr_image_file"]["bytes"], png.len());
    assert_eq!(value["request"]["method"], "POST");
    assert_eq!(value["request"]["form"]["account_owner"], "홍길동");
    assert_eq!(
        value["request"]["headers"]["aqr-developer-token"],
        "[REDACTED]"
    );
    assert_eq!(value["deleted"], value["entry"]["account_id"]);
    assert_eq!(value["second_delete"]["type"], "api");
    assert_eq!(value["second_delete"]["status"], 404);
    assert_eq!(value["second_delete"]["exit_code"], 3);
}

#[test]
fn demo_ignores_real_credentials_and_base_url() {
    let dir = temp_dir("demo-env");
    let output = aqr()
        .current_dir(&dir)
        .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
        .env("AQR_EMAIL", "someone@example.org")
        .env(
            "AQR_BASE_URL",
            format!("http://127.0.0.1:{}", refused_port()),
        )
        .args(["demo", "--verbose"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_no_token(&output);
    assert!(stderr(&output).contains("attempt 1"));
}

#[test]
fn demo_reports_an_unwritable_output_file() {
    let missing = temp_dir("demo-bad").join("missing").join("qr.png");
    let output = aqr()
        .args(["demo", "--out"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("qr.png"), "{}", stderr(&output));
}

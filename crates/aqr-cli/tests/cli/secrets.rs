//! The developer token never appears in any output: not on success, not with
//! `--verbose`, not on errors, not in `--help`.

use aqr_mock::{FaultBody, MockAction};

use crate::common::*;

#[test]
fn verbose_traces_requests_without_the_token() {
    let server = mock();
    let output = aqr_for(&server)
        .args(["--verbose", "--json"])
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_no_token(&output);
    let trace = stderr(&output);
    assert!(
        trace.contains(&format!("POST {}/api/", server.url())),
        "{trace}"
    );
    assert!(trace.contains("HTTP 200"), "{trace}");
    assert!(trace.contains("attempt 1"), "{trace}");
    json_stdout(&output);

    let id = server.entries()[0].account_id.clone();
    let output = aqr_for(&server)
        .args(["-v", "delete", &id])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_no_token(&output);
}

#[test]
fn verbose_errors_do_not_print_the_token() {
    let server = mock();
    // The server echoes the token in its error message: the CLI must still not print it.
    server
        .push_fault(respond(
            Some(MockAction::Create),
            401,
            FaultBody::JsonFail {
                key: None,
                message: format!("token {SECRET_TOKEN} is not valid"),
                code: Some("invalid_token".into()),
            },
        ))
        .unwrap();
    for json in [false, true] {
        let mut cmd = aqr_for(&server);
        cmd.arg("--verbose").args(CREATE);
        if json {
            cmd.arg("--json");
        }
        let output = cmd.output().unwrap();
        assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
        assert_no_token(&output);
    }
}

#[test]
fn verbose_transport_and_retries_do_not_print_the_token() {
    let server = mock();
    server
        .push_fault(respond(
            Some(MockAction::Delete),
            500,
            FaultBody::Text {
                text: format!("upstream saw {SECRET_TOKEN}"),
            },
        ))
        .unwrap();
    let output = aqr_for(&server)
        .args(["--verbose", "--retries", "1", "delete", "abc"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_no_token(&output);
    let trace = stderr(&output);
    assert!(
        trace.contains("attempt 2"),
        "delete is retried on 500: {trace}"
    );
    assert!(trace.contains("retrying in"), "{trace}");

    let port = refused_port();
    let output = aqr()
        .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
        .env("AQR_EMAIL", EMAIL)
        .args(["--verbose", "--retries", "0", "--base-url"])
        .arg(format!("http://127.0.0.1:{port}"))
        .args(["delete", "abc"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5));
    assert_no_token(&output);
}

#[test]
fn help_never_shows_the_token_from_the_environment() {
    for args in [&["--help"][..], &["create", "--help"], &["mock", "--help"]] {
        let output = aqr()
            .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        assert_no_token(&output);
        assert!(stdout(&output).contains("AQR_DEVELOPER_TOKEN"));
    }
}

#[test]
fn invalid_token_characters_are_rejected_without_echo() {
    let server = mock();
    let output = aqr_for(&server)
        .env("AQR_DEVELOPER_TOKEN", "tok SUPERSECRET")
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("developer_token"),
        "{}",
        stderr(&output)
    );
    assert_no_token(&output);
    assert_eq!(server.request_count(None), 0);
}

//! Every exit code, produced by the mock's faults, with the `--json` error checked.

use aqr_mock::{FaultBody, MockAction};

use crate::common::*;

#[test]
fn bad_phone_is_a_validation_error_naming_the_field() {
    let server = mock();
    let mut args = CREATE;
    args[8] = "12345";
    let output = aqr_for(&server).args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("phone_number"), "{err}");
    assert!(err.contains("nothing was sent"), "{err}");
    assert!(!err.contains("12345"), "the value is not echoed: {err}");

    let output = aqr_for(&server).arg("--json").args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["type"], "invalid");
    assert_eq!(error["field"], "phone_number");
    assert_eq!(error["rule"], "phone_format");
    assert_eq!(error["exit_code"], 2);
    assert_eq!(server.request_count(None), 0, "nothing may be sent");
}

#[test]
fn usage_errors_exit_2_also_with_json() {
    let output = aqr().args(["create", "--bank", "1"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = aqr().args(["--json", "frobnicate"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["type"], "usage");
    assert!(error["message"].as_str().unwrap().contains("frobnicate"));
    let output = aqr().args(["--timeout", "-3", "banks"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn wrong_token_is_an_api_error() {
    let server = mock();
    let output = aqr_for(&server)
        .env("AQR_DEVELOPER_TOKEN", "tok_wrong")
        .arg("--json")
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["type"], "api");
    assert_eq!(error["status"], 401);
    assert_eq!(error["code"], "invalid_token");
    assert_eq!(error["operation"], "create");
    assert_eq!(error["outcome_unknown"], false);
    assert!(server.entries().is_empty());

    let output = aqr_for(&server)
        .env("AQR_DEVELOPER_TOKEN", "tok_wrong")
        .args(CREATE)
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(
        err.contains("401") && err.contains("no entry was created"),
        "{err}"
    );
}

#[test]
fn server_error_on_create_is_outcome_unknown() {
    let server = mock();
    server
        .push_fault(respond(
            Some(MockAction::Create),
            500,
            FaultBody::JsonFail {
                key: None,
                message: "internal error".into(),
                code: Some("internal".into()),
            },
        ))
        .unwrap();
    let output = aqr_for(&server)
        .arg("--json")
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["outcome_unknown"], true);
    assert_eq!(error["status"], 500);
    assert_eq!(error["server_message"], "internal error");
    assert_eq!(
        server.request_count(Some(MockAction::Create)),
        1,
        "a create that may have happened is never retried"
    );

    let output = aqr_for(&server)
        .args(["--retries", "3"])
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6));
    let err = stderr(&output);
    assert!(err.contains("may have been created"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert_eq!(server.request_count(Some(MockAction::Create)), 2);
}

#[test]
fn html_page_is_an_unexpected_response() {
    let server = mock();
    let created = json_stdout(
        &aqr_for(&server)
            .arg("--json")
            .args(CREATE)
            .output()
            .unwrap(),
    );
    let id = created["account_id"].as_str().unwrap();
    server
        .push_fault(respond(Some(MockAction::Delete), 200, FaultBody::Html))
        .unwrap();
    let output = aqr_for(&server)
        .args(["--json", "delete", id])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["type"], "response");
    assert_eq!(error["kind"], "not_json");
    assert_eq!(error["status"], 200);
    assert_eq!(error["operation"], "delete");
}

#[test]
fn html_page_on_create_is_outcome_unknown() {
    let server = mock();
    server
        .push_fault(respond(Some(MockAction::Create), 200, FaultBody::Html))
        .unwrap();
    let output = aqr_for(&server)
        .arg("--json")
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6));
    assert_eq!(json_stderr(&output)["error"]["type"], "response");
}

#[test]
fn refused_connection_is_a_transport_error() {
    let port = refused_port();
    let output = aqr()
        .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
        .env("AQR_EMAIL", EMAIL)
        .args(["--json", "--retries", "0", "--base-url"])
        .arg(format!("http://127.0.0.1:{port}"))
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["type"], "transport");
    assert_eq!(error["kind"], "connect");
    assert_eq!(error["outcome_unknown"], false);
    assert_no_token(&output);
}

#[test]
fn help_documents_the_exit_codes() {
    let output = aqr().arg("--help").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for line in [
        "0  success",
        "2  usage",
        "3  API error",
        "4  unexpected response",
        "5  transport error",
        "6  outcome unknown",
    ] {
        assert!(text.contains(line), "{line} missing from --help:\n{text}");
    }
}

#[test]
fn a_timeout_after_sending_a_create_is_outcome_unknown_and_on_delete_a_transport_error() {
    let server = mock();
    server
        .push_fault(aqr_mock::Fault::new(aqr_mock::FaultResponse::Delay {
            delay_ms: 1500,
        }))
        .unwrap();
    let output = aqr_for(&server)
        .args(["--json", "--timeout", "0.3"])
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["type"], "transport");
    assert_eq!(error["kind"], "timeout");
    assert_eq!(error["outcome_unknown"], true);

    let output = aqr_for(&server)
        .args(["--json", "--timeout", "0.3", "delete", "abc"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["kind"], "timeout");
    assert_eq!(error["outcome_unknown"], false);
}

#[test]
fn refusals_are_retried_with_the_chosen_backoff() {
    let server = mock();
    server
        .push_fault(respond(Some(MockAction::Create), 503, FaultBody::Empty))
        .unwrap();
    let output = aqr_for(&server)
        .args(["--json", "--retries", "2", "--retry-backoff", "0"])
        .args(CREATE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let error = &json_stderr(&output)["error"];
    assert_eq!(error["status"], 503);
    assert_eq!(error["attempts"], 3);
    assert_eq!(server.request_count(Some(MockAction::Create)), 3);

    for bad in ["-1", "soon"] {
        let output = aqr()
            .args(["--retry-backoff", bad, "banks"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "--retry-backoff {bad}");
    }
}

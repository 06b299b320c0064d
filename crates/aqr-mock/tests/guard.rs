//! Web pages cannot reach the mock: a loopback `Host`, no foreign `Origin`, and JSON on
//! control `POST`s, on every route.

mod common;

use aqr_mock::MockServer;
use common::{CREATE, api, raw};

/// A raw request to `path` with these extra header lines.
fn request(server: &MockServer, method: &str, path: &str, headers: &str, body: &str) -> String {
    let text = format!(
        "{method} {path} HTTP/1.1\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    String::from_utf8_lossy(&raw(server, text.as_bytes()).unwrap_or_default()).into_owned()
}

fn api_headers(server: &MockServer) -> String {
    format!(
        "AQR-DEVELOPER-TOKEN: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n",
        server.token()
    )
}

#[test]
fn a_foreign_host_is_refused_on_every_route() {
    let server = MockServer::start_default().unwrap();
    let id = common::create(&server, "create")["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = api_headers(&server);
    // A DNS-rebinding page: its requests name the attacker's host.
    let rebinding = format!("Host: attacker.example:{}\r\n", server.port());
    for (method, path, extra, body) in [
        ("GET", "/__mock/entries".to_owned(), String::new(), ""),
        ("GET", "/__mock/requests".to_owned(), String::new(), ""),
        ("POST", "/api/".to_owned(), token.clone(), CREATE),
        ("GET", format!("/res?keyword={id}"), String::new(), ""),
        ("GET", format!("/f/{id}"), String::new(), ""),
    ] {
        let answer = request(&server, method, &path, &format!("{rebinding}{extra}"), body);
        assert!(answer.starts_with("HTTP/1.1 403"), "{path}: {answer}");
        assert!(answer.contains("forbidden_host"), "{path}: {answer}");
        assert!(!answer.contains("1234567894321"), "{answer}");
    }
    assert_eq!(server.entries().len(), 1);
    // Loopback names pass.
    for host in ["127.0.0.1", "localhost", "[::1]"] {
        let answer = request(
            &server,
            "GET",
            "/__mock/health",
            &format!("Host: {host}:{}\r\n", server.port()),
            "",
        );
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
    }
}

#[test]
fn a_foreign_origin_is_refused_and_the_own_origin_is_not() {
    let server = MockServer::start_default().unwrap();
    let host = format!("Host: 127.0.0.1:{}\r\n", server.port());
    let fault = r#"{"response":{"kind":"respond","status":500,"body":{"type":"empty"}}}"#;
    for origin in ["https://evil.example", "null", "http://localhost:1"] {
        let headers = format!("{host}Origin: {origin}\r\nContent-Type: application/json\r\n");
        let answer = request(&server, "POST", "/__mock/faults", &headers, fault);
        assert!(answer.starts_with("HTTP/1.1 403"), "{origin}: {answer}");
        assert!(answer.contains("forbidden_origin"), "{answer}");
        let headers = format!("{host}Origin: {origin}\r\n{}", api_headers(&server));
        let answer = request(&server, "POST", "/api/", &headers, CREATE);
        assert!(answer.contains("forbidden_origin"), "{answer}");
    }
    assert!(server.faults().is_empty() && server.entries().is_empty());
    let own = format!("{host}Origin: {}\r\n{}", server.url(), api_headers(&server));
    let answer = request(&server, "POST", "/api/", &own, CREATE);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Refused requests leave a short record only.
    let refused = &server.requests()[0];
    assert_eq!(refused.status, 403);
    assert!(refused.truncated && refused.headers.is_empty() && refused.form.is_empty());
}

#[test]
fn control_posts_must_be_json() {
    let server = MockServer::start_default().unwrap();
    let url = format!("{}/__mock/faults", server.url());
    let fault = br#"{"response":{"kind":"respond","status":500,"body":{"type":"empty"}}}"#;
    // What a cross-site form or a CORS "simple request" can send.
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let headers: Vec<(&str, &str)> = content_type
            .map(|ct| vec![("Content-Type", ct)])
            .unwrap_or_default();
        common::send("POST", &url, &headers, Some(fault))
            .assert_fail(415, "unsupported_content_type");
    }
    assert!(server.faults().is_empty());
    let answer = common::send(
        "POST",
        &url,
        &[("Content-Type", "application/json; charset=utf-8")],
        Some(fault),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(server.faults().len(), 1);
    assert_eq!(api(&server, CREATE).status, 500);
}

#[test]
fn an_allowed_host_name_is_accepted_and_no_other() {
    let server = MockServer::start(aqr_mock::MockOptions {
        allowed_hosts: vec!["aqr.test".to_owned()],
        ..aqr_mock::MockOptions::default()
    })
    .unwrap();
    let headers = format!(
        "Host: aqr.test:{}\r\n{}",
        server.port(),
        api_headers(&server)
    );
    let answer = request(&server, "POST", "/api/", &headers, CREATE);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let headers = format!(
        "Host: other.test:{}\r\n{}",
        server.port(),
        api_headers(&server)
    );
    let answer = request(&server, "POST", "/api/", &headers, CREATE);
    assert!(answer.contains("forbidden_host"), "{answer}");
    // Only bare host names are taken.
    for bad in ["", "aqr.test:80", "user@aqr.test", "a b"] {
        let err = MockServer::start(aqr_mock::MockOptions {
            allowed_hosts: vec![bad.to_owned()],
            ..aqr_mock::MockOptions::default()
        })
        .unwrap_err();
        assert!(err.to_string().starts_with("allowed_hosts"), "{bad}: {err}");
    }
}

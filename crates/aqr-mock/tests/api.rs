//! `POST /api/` over real HTTP: both operations in both spellings, every failure.

mod common;

use aqr_mock::{Credential, MockAction, MockOptions, MockServer};
use common::{CREATE, api, create, delete_form, send};

fn with_field(field: &str, value: &str) -> String {
    CREATE
        .split('&')
        .map(|pair| {
            if pair.split('=').next() == Some(field) {
                format!("{field}={value}")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn without_field(field: &str) -> String {
    CREATE
        .split('&')
        .filter(|pair| pair.split('=').next() != Some(field))
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn create_then_delete_in_both_spellings() {
    let server = MockServer::start_default().unwrap();
    for (create_action, delete_action) in [("aqr_create", "aqr_delete"), ("create", "delete")] {
        let created = create(&server, create_action);
        let id = created["account_id"].as_str().unwrap().to_owned();
        assert_eq!(created["result"], "success");
        assert_eq!(
            created["qr_image"],
            format!("{}/res?keyword={id}", server.url())
        );
        assert_eq!(created["short_url"], format!("{}/f/{id}", server.url()));

        let entry = server
            .entries()
            .into_iter()
            .find(|e| e.account_id == id)
            .unwrap();
        assert_eq!(entry.account_owner, "홍길동");
        assert_eq!(entry.account_name.as_deref(), Some("월세"));
        assert_eq!(entry.bank_id, 1);
        assert_eq!(entry.email, "dev@example.com");

        let deleted = api(&server, &delete_form(&id, delete_action));
        assert_eq!(deleted.status, 200, "{}", deleted.text());
        assert_eq!(deleted.json(), serde_json::json!({"result": "success"}));
        assert!(server.entries().iter().all(|e| e.account_id != id));
    }
    assert_eq!(server.request_count(Some(MockAction::Create)), 2);
    assert_eq!(server.request_count(Some(MockAction::Delete)), 2);
    assert_eq!(server.request_count(None), 4);
}

#[test]
fn unknown_and_already_deleted_ids_are_not_found() {
    let server = MockServer::start_default().unwrap();
    api(&server, &delete_form("nosuch", "aqr_delete")).assert_fail(404, "not_found");
    let id = create(&server, "aqr_create")["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(api(&server, &delete_form(&id, "aqr_delete")).status, 200);
    api(&server, &delete_form(&id, "aqr_delete")).assert_fail(404, "not_found");
    api(&server, &delete_form(&id, "delete")).assert_fail(404, "not_found");
}

#[test]
fn another_developers_entry_is_not_found() {
    let options = MockOptions {
        credentials: vec![
            Credential::new("token-one", "one@example.com"),
            Credential::new("token-two", "two@example.com"),
        ],
        ..MockOptions::default()
    };
    let server = MockServer::start(options).unwrap();
    let url = format!("{}/api/", server.url());
    let post = |token: &str, form: &str| {
        send(
            "POST",
            &url,
            &[
                ("AQR-DEVELOPER-TOKEN", token),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            Some(form.as_bytes()),
        )
    };
    let form = CREATE.replace("dev@example.com", "one@example.com");
    let created = post("token-one", &form);
    assert_eq!(created.status, 200, "{}", created.text());
    let id = created.json()["account_id"].as_str().unwrap().to_owned();
    // The second developer may not delete it, nor use the first one's e-mail address.
    let theirs = format!("email_address=two@example.com&account_id={id}&action=delete");
    post("token-two", &theirs).assert_fail(404, "not_found");
    post("token-two", &form).assert_fail(403, "email_mismatch");
    let mine = format!("email_address=ONE@example.com&account_id={id}&action=delete");
    assert_eq!(post("token-one", &mine).status, 200);
}

#[test]
fn token_header_is_matched_case_insensitively_and_required() {
    let server = MockServer::start_default().unwrap();
    let url = format!("{}/api/", server.url());
    let form = Some(CREATE.as_bytes());
    let ct = ("content-type", "application/x-www-form-urlencoded");
    for name in [
        "aqr-developer-token",
        "Aqr-Developer-Token",
        "AQR-DEVELOPER-TOKEN",
    ] {
        let answer = send("POST", &url, &[(name, server.token()), ct], form);
        assert_eq!(answer.status, 200, "{name}: {}", answer.text());
    }
    send("POST", &url, &[ct], form).assert_fail(401, "invalid_token");
    send("POST", &url, &[("AQR-DEVELOPER-TOKEN", "wrong"), ct], form)
        .assert_fail(401, "invalid_token");
    // The C# example's mistake: the token in Authorization.
    let authorization = format!("AQR-DEVELOPER-TOKEN {}", server.token());
    send("POST", &url, &[("Authorization", &authorization), ct], form)
        .assert_fail(401, "invalid_token");
}

#[test]
fn email_must_belong_to_the_token() {
    let server = MockServer::start_default().unwrap();
    api(
        &server,
        &CREATE.replace("dev@example.com", "other@example.com"),
    )
    .assert_fail(403, "email_mismatch");
    // Case does not matter.
    let answer = api(
        &server,
        &CREATE.replace("dev@example.com", "Dev@Example.COM"),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
}

#[test]
fn content_type_is_checked() {
    let server = MockServer::start_default().unwrap();
    let url = format!("{}/api/", server.url());
    let token = ("AQR-DEVELOPER-TOKEN", server.token());
    let form = Some(CREATE.as_bytes());
    for ok in [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
        "Application/X-WWW-Form-Urlencoded;charset=utf-8",
    ] {
        let answer = send("POST", &url, &[token, ("Content-Type", ok)], form);
        assert_eq!(answer.status, 200, "{ok}: {}", answer.text());
    }
    for bad in [
        "application/json",
        "multipart/form-data; boundary=xyz",
        "text/plain",
    ] {
        send("POST", &url, &[token, ("Content-Type", bad)], form)
            .assert_fail(415, "unsupported_content_type");
    }
    send("POST", &url, &[token], form).assert_fail(415, "unsupported_content_type");
}

#[test]
fn every_field_rule_is_enforced() {
    let server = MockServer::start_default().unwrap();
    for field in [
        "email_address",
        "account_number",
        "bank_id",
        "account_owner",
        "phone_number",
    ] {
        api(&server, &without_field(field)).assert_fail(400, "missing_field");
        api(&server, &with_field(field, "")).assert_fail(400, "missing_field");
    }
    api(&server, &without_field("action")).assert_fail(400, "missing_field");
    let long = "가".repeat(51);
    let cases: &[(&str, &str)] = &[
        ("email_address", "not-an-email"),
        ("email_address", &format!("{}@example.com", "a".repeat(100))),
        ("account_number", "12345"),
        ("account_number", "123456789012345678901"),
        ("account_number", "1234abcd5678"),
        ("account_number", "1234567890123456789012345678901"),
        ("bank_id", "60"),
        ("bank_id", "-1"),
        ("bank_id", "one"),
        ("account_owner", &long),
        ("account_owner", "a%0Ab"),
        ("phone_number", "12345"),
        ("phone_number", "010-1234-12345678"),
        ("account_name", &"a".repeat(101)),
        ("account_name", "a%00b"),
    ];
    for (field, value) in cases {
        let answer = api(&server, &with_field(field, value));
        answer.assert_fail(400, "invalid_field");
        let message = answer.json()["message"].as_str().unwrap().to_owned();
        assert!(message.contains(field), "{field}: {message}");
    }
    api(&server, &with_field("action", "aqr_update")).assert_fail(400, "invalid_action");
    // Delete: account_id rules.
    api(&server, "email_address=dev@example.com&action=delete").assert_fail(400, "missing_field");
    api(
        &server,
        "email_address=dev@example.com&action=delete&account_id=a%20b",
    )
    .assert_fail(400, "invalid_field");
    // The normalised forms the SDK accepts are accepted (and stored normalised).
    let answer = api(
        &server,
        &with_field("account_number", "123-456-789012")
            .replace("01012341234", "%2B82%2010-1234-1234"),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    let entry = server.entries().pop().unwrap();
    assert_eq!(entry.account_number, "123456789012");
    assert_eq!(entry.phone_number, "01012341234");
    // account_name is optional; bank 59 is the last one.
    let answer = api(
        &server,
        &with_field("bank_id", "59").replace("&account_name=%EC%9B%94%EC%84%B8", ""),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(server.entries().pop().unwrap().account_name, None);
    assert_eq!(
        server.entries().len(),
        2,
        "no failed request created anything"
    );
}

#[test]
fn malformed_bodies_get_a_clear_400() {
    let server = MockServer::start_default().unwrap();
    let url = format!("{}/api/", server.url());
    let headers = [
        ("AQR-DEVELOPER-TOKEN", server.token()),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let bad_escape = format!("{CREATE}&x=%zz");
    send("POST", &url, &headers, Some(bad_escape.as_bytes())).assert_fail(400, "malformed_body");
    let mut not_utf8 = CREATE.as_bytes().to_vec();
    not_utf8.extend_from_slice(b"&x=\xff\xfe");
    send("POST", &url, &headers, Some(&not_utf8)).assert_fail(400, "malformed_body");
    let encoded_not_utf8 = format!("{CREATE}&x=%C3%28");
    send("POST", &url, &headers, Some(encoded_not_utf8.as_bytes()))
        .assert_fail(400, "malformed_body");
    // Raw UTF-8 (the Python example's mistake) is accepted.
    let raw_hangul = CREATE.replace("%ED%99%8D%EA%B8%B8%EB%8F%99", "홍길동");
    assert_eq!(
        send("POST", &url, &headers, Some(raw_hangul.as_bytes())).status,
        200
    );
    send("POST", &url, &headers, Some(b"")).assert_fail(400, "missing_field");
}

#[test]
fn oversized_bodies_get_413() {
    let server = MockServer::start_default().unwrap();
    let url = format!("{}/api/", server.url());
    let headers = [
        ("AQR-DEVELOPER-TOKEN", server.token()),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let big = format!("{CREATE}&pad={}", "x".repeat(70 * 1024));
    send("POST", &url, &headers, Some(big.as_bytes())).assert_fail(413, "body_too_large");
    // Chunked, without a Content-Length: cut off while reading.
    let chunk = "y".repeat(16 * 1024);
    let mut request = format!(
        "POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAQR-DEVELOPER-TOKEN: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        server.token()
    );
    for _ in 0..5 {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    request.push_str("0\r\n\r\n");
    let answer = common::raw(&server, request.as_bytes()).unwrap_or_default();
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("body_too_large"), "{text}");
    // The server is still fine.
    assert_eq!(api(&server, CREATE).status, 200);
}

#[test]
fn garbage_requests_get_4xx_and_the_server_survives() {
    let server = MockServer::start_default().unwrap();
    for garbage in [
        &b"NOT HTTP AT ALL\r\n\r\n"[..],
        b"GET /\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
    ] {
        let answer = common::raw(&server, garbage).unwrap_or_default();
        let text = String::from_utf8_lossy(&answer);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 4"),
            "{garbage:?}: {text}"
        );
    }
    assert_eq!(api(&server, CREATE).status, 200);
}

#[test]
fn wrong_methods_and_routes() {
    let server = MockServer::start_default().unwrap();
    let answer = send("GET", &format!("{}/api/", server.url()), &[], None);
    answer.assert_fail(405, "method_not_allowed");
    assert_eq!(answer.header("allow"), Some("POST"));
    send("GET", &format!("{}/nope", server.url()), &[], None).assert_fail(404, "not_found");
    send(
        "POST",
        &format!("{}/res?keyword=x", server.url()),
        &[],
        Some(b"x"),
    )
    .assert_fail(405, "method_not_allowed");
    // `/api` without the slash works too.
    let answer = send(
        "POST",
        &format!("{}/api", server.url()),
        &[
            ("AQR-DEVELOPER-TOKEN", server.token()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(CREATE.as_bytes()),
    );
    assert_eq!(answer.status, 200);
}

#[test]
fn failures_as_200_keeps_the_body() {
    let server = MockServer::start(MockOptions {
        failures_as_200: true,
        ..MockOptions::default()
    })
    .unwrap();
    let answer = api(&server, &delete_form("nosuch", "aqr_delete"));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["result"], "fail");
    assert_eq!(answer.json()["code"], "not_found");
    let answer = api(&server, &with_field("bank_id", "99"));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["code"], "invalid_field");
    assert_eq!(create(&server, "create")["result"], "success");
}

#[test]
fn the_token_never_appears_in_the_request_log() {
    let server = MockServer::start_default().unwrap();
    let token = server.token().to_owned();
    create(&server, "aqr_create");
    let url = format!("{}/api/", server.url());
    let authorization = format!("Bearer {token}");
    send(
        "POST",
        &url,
        &[
            ("Authorization", authorization.as_str()),
            ("X-Echo", token.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(format!("{CREATE}&leak={token}").as_bytes()),
    );
    send(
        "GET",
        &format!("{}/res?keyword={token}", server.url()),
        &[],
        None,
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let logged = serde_json::to_string(&requests).unwrap();
    assert!(!logged.contains(&token), "{logged}");
    assert!(logged.contains("[REDACTED]"));
    let over_http = common::get(&format!("{}/__mock/requests", server.url())).text();
    assert!(!over_http.contains(&token));
    // The redacted header is still there, by its lower-case name.
    assert!(
        requests[0]
            .headers
            .iter()
            .any(|(n, v)| n == "aqr-developer-token" && v == "[REDACTED]")
    );
    assert_eq!(requests[0].form.len(), 7);
    assert_eq!(requests[0].status, 200);
    assert_eq!(requests[1].status, 401);
    // Debug output of the options does not show it either.
    let options = MockOptions::default();
    assert!(!format!("{options:?}").contains(aqr_mock::DEFAULT_TOKEN));
}

#[test]
fn bad_options_are_refused() {
    for credentials in [
        vec![],
        vec![Credential::new("", "dev@example.com")],
        vec![Credential::new("has space", "dev@example.com")],
        vec![Credential::new("token", "not-an-email")],
    ] {
        let err = MockServer::start(MockOptions {
            credentials,
            ..MockOptions::default()
        })
        .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    }
}

#[test]
fn random_bodies_always_get_a_4xx_json_failure() {
    let server = MockServer::start_default().unwrap();
    let url = format!("{}/api/", server.url());
    // A small deterministic generator: the same bytes on every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"=&%+abcdefg_0123456789\xff\xc3\x28 action=create email_address=";
    for _ in 0..200 {
        let len = (next() % 300) as usize;
        let body: Vec<u8> = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let answer = send(
            "POST",
            &url,
            &[
                ("AQR-DEVELOPER-TOKEN", server.token()),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            Some(&body),
        );
        assert!(
            (400..500).contains(&answer.status),
            "{:?} -> {}",
            String::from_utf8_lossy(&body),
            answer.text()
        );
        assert_eq!(answer.json()["result"], "fail");
    }
    assert!(server.entries().is_empty());
}

//! Every fault kind, `times`, per-action matching, and the control routes.

mod common;

use aqr_mock::{Fault, FaultBody, MockAction, MockServer};
use common::{CREATE, agent, api, create, delete_form, get, raw, raw_create, send, try_send};
use std::time::Duration;

fn try_create(server: &MockServer, timeout: Duration) -> Result<common::Answer, ureq::Error> {
    try_send(
        &agent(timeout),
        "POST",
        &format!("{}/api/", server.url()),
        &[
            ("AQR-DEVELOPER-TOKEN", server.token()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(CREATE.as_bytes()),
    )
}

#[test]
fn respond_with_every_body_shape() {
    let server = MockServer::start_default().unwrap();
    for key in [
        "message",
        "msg",
        "error",
        "error_message",
        "reason",
        "detail",
    ] {
        server
            .push_fault(
                Fault::respond(
                    500,
                    FaultBody::json_fail("boom").with_key(key).with_code("E42"),
                )
                .times(1),
            )
            .unwrap();
        let answer = api(&server, CREATE);
        assert_eq!(answer.status, 500);
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(
            answer.json(),
            serde_json::json!({"result": "fail", key: "boom", "code": "E42"})
        );
    }
    let cases = [
        (FaultBody::json_fail("m"), "application/json"),
        (
            FaultBody::json(serde_json::json!({"result": "error", "n": 1})),
            "application/json",
        ),
        (FaultBody::Html, "text/html; charset=utf-8"),
        (
            FaultBody::text("upstream timed out"),
            "text/plain; charset=utf-8",
        ),
        (FaultBody::Empty, ""),
        (FaultBody::TruncatedJson, "application/json"),
        (FaultBody::huge(2 << 20), "application/json"),
    ];
    for (body, content_type) in cases {
        server
            .push_fault(Fault::respond(502, body.clone()).times(1))
            .unwrap();
        let answer = api(&server, CREATE);
        assert_eq!(answer.status, 502, "{body:?}");
        assert_eq!(answer.header("content-type").unwrap_or(""), content_type);
        match body {
            FaultBody::JsonFail { .. } => {
                assert_eq!(
                    answer.json(),
                    serde_json::json!({"result": "fail", "message": "m"})
                );
            }
            FaultBody::Json { value } => assert_eq!(answer.json(), value),
            FaultBody::Html => assert!(answer.text().contains("<h1>502 Bad Gateway</h1>")),
            FaultBody::Text { text } => assert_eq!(answer.text(), text),
            FaultBody::Empty => assert!(answer.body.is_empty()),
            FaultBody::TruncatedJson => {
                assert!(answer.text().starts_with("{\"result\":\"success\""));
                assert!(serde_json::from_slice::<serde_json::Value>(&answer.body).is_err());
            }
            FaultBody::Huge { bytes } => {
                assert_eq!(answer.body.len(), bytes);
                assert!(answer.body.starts_with(b"{"));
            }
        }
    }
    // Nothing was processed.
    assert!(server.entries().is_empty());
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.fault.as_deref() == Some("respond"))
    );
    assert_eq!(requests.last().unwrap().status, 502);
}

#[test]
fn respond_with_retry_after_headers_and_delay() {
    let server = MockServer::start_default().unwrap();
    server
        .push_fault(
            Fault::respond(429, FaultBody::Empty)
                .with_retry_after("3")
                .with_header("X-Request-Id", "abc")
                .times(1),
        )
        .unwrap();
    let answer = api(&server, CREATE);
    assert_eq!(answer.status, 429);
    assert_eq!(answer.header("retry-after"), Some("3"));
    assert_eq!(answer.header("x-request-id"), Some("abc"));

    // A delayed answer runs past a short client timeout …
    server
        .push_fault(
            Fault::respond(503, FaultBody::Empty)
                .with_delay(Duration::from_millis(400))
                .times(2),
        )
        .unwrap();
    assert!(try_create(&server, Duration::from_millis(100)).is_err());
    // … and arrives with a patient one.
    assert_eq!(
        try_create(&server, Duration::from_secs(10)).unwrap().status,
        503
    );
    assert!(server.entries().is_empty());
}

#[test]
fn delay_then_handle_normally() {
    let server = MockServer::start_default().unwrap();
    server
        .push_fault(Fault::delay(Duration::from_millis(300)).times(2))
        .unwrap();
    // A client that gives up still causes the create, as with a real server.
    assert!(try_create(&server, Duration::from_millis(100)).is_err());
    let answer = try_create(&server, Duration::from_secs(10)).unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["result"], "success");
    wait_for(|| server.entries().len() == 2);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.fault.as_deref() == Some("delay") && r.status == 200)
    );
}

/// Polls until `done` (the server finishes a request after the client gave up).
fn wait_for(done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("condition not reached in 2 s");
}

#[test]
fn drop_before_read_processes_nothing() {
    let server = MockServer::start_default().unwrap();
    server
        .push_fault(Fault::drop_before_read().times(1))
        .unwrap();
    let answer = raw(&server, &raw_create(&server));
    // Closed (or reset) without a single byte of answer.
    assert!(answer.map_or(true, |bytes| bytes.is_empty()));
    assert!(server.entries().is_empty());
    assert!(try_create(&server, Duration::from_secs(5)).is_ok());
    assert_eq!(server.entries().len(), 1);
    let requests = server.requests();
    assert_eq!(requests[0].status, 0);
    assert_eq!(requests[0].fault.as_deref(), Some("drop_before_read"));
}

#[test]
fn drop_after_read_processes_the_request() {
    let server = MockServer::start_default().unwrap();
    server
        .push_fault(
            Fault::drop_after_read()
                .for_action(MockAction::Create)
                .times(1),
        )
        .unwrap();
    let answer = raw(&server, &raw_create(&server));
    assert!(answer.map_or(true, |bytes| bytes.is_empty()));
    // The create happened although the client never heard of it.
    assert_eq!(server.entries().len(), 1);
    assert_eq!(
        try_create(&server, Duration::from_secs(5)).unwrap().status,
        200
    );
    assert_eq!(server.entries().len(), 2);
    assert_eq!(
        server.requests()[0].fault.as_deref(),
        Some("drop_after_read")
    );
    assert_eq!(server.requests()[0].status, 0);
}

#[test]
fn slow_body_sends_half_then_stalls() {
    let server = MockServer::start_default().unwrap();
    server
        .push_fault(Fault::slow_body(Duration::from_millis(400)).times(2))
        .unwrap();
    // A client whose timeout is shorter than the stall fails …
    assert!(try_create(&server, Duration::from_millis(150)).is_err());
    // … but the create happened, and a patient client gets the whole body.
    let answer = try_create(&server, Duration::from_secs(10)).unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["result"], "success");
    assert_eq!(server.entries().len(), 2);

    // At the byte level: headers with the full length, then half the body first.
    server
        .push_fault(Fault::slow_body(Duration::from_millis(300)).times(1))
        .unwrap();
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    stream.write_all(&raw_create(&server)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut first = vec![0u8; 4096];
    let n = stream.read(&mut first).unwrap();
    let head = String::from_utf8_lossy(&first[..n]).into_owned();
    let (headers, partial) = head.split_once("\r\n\r\n").unwrap();
    let length: usize = headers
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(partial.len() < length, "{head}");
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    assert_eq!(partial.len() + rest.len(), length);
}

#[test]
fn redirect_answers_3xx_with_location() {
    let server = MockServer::start_default().unwrap();
    server
        .push_fault(Fault::redirect(307, "https://elsewhere.example/api/").times(1))
        .unwrap();
    let answer = api(&server, CREATE);
    assert_eq!(answer.status, 307);
    assert_eq!(
        answer.header("location"),
        Some("https://elsewhere.example/api/")
    );
    assert!(server.entries().is_empty());
}

#[test]
fn times_counts_down_and_none_lasts_until_cleared() {
    let server = MockServer::start_default().unwrap();
    server
        .push_fault(Fault::respond(503, FaultBody::Empty).times(2))
        .unwrap();
    assert_eq!(api(&server, CREATE).status, 503);
    assert_eq!(server.faults()[0].times, Some(1));
    assert_eq!(api(&server, CREATE).status, 503);
    assert!(server.faults().is_empty());
    assert_eq!(api(&server, CREATE).status, 200);

    server
        .push_fault(Fault::respond(500, FaultBody::Empty))
        .unwrap();
    for _ in 0..5 {
        assert_eq!(api(&server, CREATE).status, 500);
    }
    server.clear_faults();
    assert_eq!(api(&server, CREATE).status, 200);

    // times: 0 could never apply: refused, with the field named.
    let err = server
        .push_fault(Fault::respond(500, FaultBody::Empty).times(0))
        .unwrap_err();
    assert!(err.to_string().starts_with("times"), "{err}");
    assert!(server.faults().is_empty());
    assert_eq!(api(&server, CREATE).status, 200);
}

#[test]
fn faults_match_their_action_in_push_order() {
    let server = MockServer::start_default().unwrap();
    server
        .push_fault(
            Fault::respond(501, FaultBody::Empty)
                .for_action(MockAction::Delete)
                .times(1),
        )
        .unwrap();
    server
        .push_fault(
            Fault::respond(502, FaultBody::Empty)
                .for_action(MockAction::Create)
                .times(1),
        )
        .unwrap();
    server
        .push_fault(Fault::respond(503, FaultBody::Empty).times(1))
        .unwrap();
    // The create skips the delete fault and takes its own.
    assert_eq!(api(&server, CREATE).status, 502);
    // The next create takes the any-action fault.
    assert_eq!(api(&server, CREATE).status, 503);
    let id = create(&server, "create")["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The delete fault waited for a delete; both spellings count.
    assert_eq!(api(&server, &delete_form(&id, "delete")).status, 501);
    assert_eq!(api(&server, &delete_form(&id, "aqr_delete")).status, 200);
    // Faults for the page, and an any-action fault that a GET /res takes.
    let created = create(&server, "aqr_create");
    server
        .push_fault(
            Fault::respond(504, FaultBody::Html)
                .for_action(MockAction::Page)
                .times(1),
        )
        .unwrap();
    server
        .push_fault(Fault::respond(404, FaultBody::Empty).times(1))
        .unwrap();
    let qr_image = created["qr_image"].as_str().unwrap();
    assert_eq!(get(qr_image).status, 404);
    assert_eq!(get(created["short_url"].as_str().unwrap()).status, 504);
    assert_eq!(get(qr_image).status, 200);
    assert_eq!(get(created["short_url"].as_str().unwrap()).status, 200);
}

#[test]
fn faults_over_http() {
    let server = MockServer::start_default().unwrap();
    let faults_url = format!("{}/__mock/faults", server.url());
    let json = ("Content-Type", "application/json");
    let one = r#"{"action":"create","times":1,"response":{"kind":"respond","status":503,"retry_after":"2","body":{"type":"json_fail","key":"msg","message":"busy","code":"E1"}}}"#;
    let answer = send("POST", &faults_url, &[json], Some(one.as_bytes()));
    assert_eq!(answer.status, 200, "{}", answer.text());
    let many = r#"[{"response":{"kind":"delay","delay_ms":1}},{"action":"delete","response":{"kind":"drop_before_read"}},
                  {"response":{"kind":"drop_after_read"}},{"response":{"kind":"slow_body","delay_ms":1}},
                  {"response":{"kind":"redirect","status":302,"location":"/x"}},
                  {"response":{"kind":"respond","status":500,"body":{"type":"huge","bytes":10}}}]"#;
    let answer = send("POST", &faults_url, &[json], Some(many.as_bytes()));
    assert_eq!(answer.json()["added"], 6);
    let listed = get(&faults_url).json();
    assert_eq!(listed.as_array().unwrap().len(), 7);
    assert_eq!(listed[0]["response"]["kind"], "respond");
    assert_eq!(server.faults().len(), 7);
    // Control routes are not affected by faults nor recorded.
    assert_eq!(
        get(&format!("{}/__mock/health", server.url())).json()["status"],
        "ok"
    );
    let answer = api(&server, CREATE);
    assert_eq!(answer.status, 503);
    assert_eq!(answer.header("retry-after"), Some("2"));
    assert_eq!(answer.json()["msg"], "busy");
    assert_eq!(send("DELETE", &faults_url, &[], None).status, 200);
    assert!(server.faults().is_empty());
    // Invalid faults are refused as a whole.
    for bad in [
        "not json",
        r#"{"response":{"kind":"explode"}}"#,
        r#"{"response":{"kind":"respond","status":42,"body":{"type":"empty"}}}"#,
        r#"{"response":{"kind":"redirect","status":200,"location":"/"}}"#,
        r#"[{"response":{"kind":"delay","delay_ms":1}},{"response":{"kind":"respond","status":500,"body":{"type":"html"},"headers":[["bad name","v"]]}}]"#,
    ] {
        send("POST", &faults_url, &[json], Some(bad.as_bytes())).assert_fail(400, "invalid_fault");
    }
    assert!(server.faults().is_empty());
    // The log and entries over HTTP.
    let requests = get(&format!("{}/__mock/requests", server.url())).json();
    assert_eq!(requests.as_array().unwrap().len(), 1);
    assert_eq!(requests[0]["action"], "create");
    assert_eq!(requests[0]["status"], 503);
    assert_eq!(requests[0]["fault"], "respond");
    create(&server, "create");
    let entries = get(&format!("{}/__mock/entries", server.url())).json();
    assert_eq!(entries.as_array().unwrap().len(), 1);
    assert_eq!(entries[0]["account_owner"], "홍길동");
    assert_eq!(
        send(
            "DELETE",
            &format!("{}/__mock/requests", server.url()),
            &[],
            None
        )
        .status,
        200
    );
    assert!(server.requests().is_empty());
    send(
        "PUT",
        &format!("{}/__mock/requests", server.url()),
        &[],
        None,
    )
    .assert_fail(405, "method_not_allowed");
    get(&format!("{}/__mock/nope", server.url())).assert_fail(404, "not_found");
}

#[test]
fn odd_statuses_do_not_hurt_the_server() {
    let server = MockServer::start_default().unwrap();
    for status in [204, 304, 418, 599, 999] {
        server
            .push_fault(Fault::respond(status, FaultBody::text("odd")).times(1))
            .unwrap();
        // Whatever the client makes of it, the server survives.
        let _ = try_create(&server, Duration::from_secs(5));
        assert_eq!(api(&server, CREATE).status, 200, "after {status}");
    }
    // What cannot be a final answer is refused when pushed, from Rust and over HTTP.
    for status in [42, 100, 101, 199] {
        let err = server
            .push_fault(Fault::respond(status, FaultBody::Empty))
            .unwrap_err();
        assert_eq!(err, aqr_mock::InvalidFault::Status(status));
    }
    assert!(server.faults().is_empty());
}

#[test]
fn faults_that_would_break_framing_are_refused() {
    let server = MockServer::start_default().unwrap();
    let faults_url = format!("{}/__mock/faults", server.url());
    let json = ("Content-Type", "application/json");
    for (bad, field) in [
        (
            r#"{"response":{"kind":"respond","status":100,"body":{"type":"empty"}}}"#,
            "status",
        ),
        (
            r#"{"times":0,"response":{"kind":"drop_after_read"}}"#,
            "times",
        ),
        (
            r#"{"response":{"kind":"respond","status":200,"body":{"type":"empty"},"headers":[["Content-Length","5"]]}}"#,
            "headers",
        ),
        (
            r#"{"response":{"kind":"respond","status":200,"body":{"type":"empty"},"headers":[["transfer-encoding","chunked"]]}}"#,
            "headers",
        ),
        (
            r#"{"response":{"kind":"respond","status":200,"body":{"type":"huge","bytes":1000000000}}}"#,
            "body.bytes",
        ),
    ] {
        let answer = send("POST", &faults_url, &[json], Some(bad.as_bytes()));
        answer.assert_fail(400, "invalid_fault");
        let message = answer.json()["message"].as_str().unwrap().to_owned();
        assert!(message.contains(field), "{bad}: {message}");
    }
    for header in ["Content-Length", "Transfer-Encoding"] {
        let err = server
            .push_fault(Fault::respond(200, FaultBody::Empty).with_header(header, "1"))
            .unwrap_err();
        assert_eq!(err, aqr_mock::InvalidFault::FramingHeader(header.into()));
    }
    assert!(server.faults().is_empty());
}

#[test]
fn huge_bodies_are_streamed_not_allocated() {
    // Six concurrent 200 MiB answers: allocated per request they would take 1.2 GB.
    let server = MockServer::start_default().unwrap();
    let bytes = 200 << 20;
    server
        .push_fault(Fault::respond(500, FaultBody::huge(bytes)).times(6))
        .unwrap();
    let before = resident_kib();
    let lengths: Vec<usize> = std::thread::scope(|scope| {
        let readers: Vec<_> = (0..6)
            .map(|_| {
                let server = &server;
                scope.spawn(move || {
                    use std::io::{Read, Write};
                    let mut stream =
                        std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
                    stream.write_all(&raw_create(server)).unwrap();
                    let mut total = 0;
                    let mut buffer = vec![0u8; 1 << 16];
                    loop {
                        match stream.read(&mut buffer) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => total += n,
                        }
                    }
                    total
                })
            })
            .collect();
        readers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    for length in lengths {
        assert!(length > bytes, "{length}");
    }
    let grown = resident_kib().saturating_sub(before);
    // The test process holds the mock and the readers: far less than one body.
    assert!(grown < 100 * 1024, "grew by {grown} KiB");
}

/// This process's resident memory in KiB (Linux), 0 elsewhere.
fn resident_kib() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

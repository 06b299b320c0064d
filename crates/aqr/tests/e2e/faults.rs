//! What each kind of failure becomes: typed errors, time limits, TLS, redirects.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aqr::{Config, Error, OperationKind, ResponseErrorKind, RetryPolicy, TransportErrorKind};
use aqr_mock::{Fault, FaultBody, FaultResponse, MockAction, MockServer};

use crate::clients::*;

/// Each failure shape the mock can inject, on a `create` with retries off, and what the
/// client must report.
pub(crate) fn fault_shapes_map_to_typed_errors(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = make(config_for(&mock), short_body(), RetryPolicy::none());
    type Check = fn(&Error) -> bool;
    let cases: Vec<(&str, FaultResponse, Check)> = vec![
        (
            "400 JSON failure",
            respond(400, json_fail("account is odd")),
            |e| matches!(e, Error::Api(a) if a.status == 400 && a.message.as_deref() == Some("account is odd") && a.code.as_deref() == Some("injected")),
        ),
        (
            "200 with result fail",
            respond(200, json_fail("declined")),
            |e| matches!(e, Error::Api(a) if a.status == 200 && a.message.as_deref() == Some("declined")),
        ),
        (
            "fail message under `msg`",
            respond(
                400,
                FaultBody::JsonFail {
                    key: Some("msg".to_owned()),
                    message: "under msg".to_owned(),
                    code: None,
                },
            ),
            |e| matches!(e, Error::Api(a) if a.message.as_deref() == Some("under msg")),
        ),
        ("502 proxy HTML page", respond(502, FaultBody::Html), |e| {
            matches!(e, Error::Api(a) if a.status == 502 && a.body.contains('<'))
                && e.is_outcome_unknown()
        }),
        (
            "200 HTML page",
            respond(200, FaultBody::Html),
            |e| matches!(e, Error::Response(r) if r.kind == ResponseErrorKind::NotJson && r.status == 200),
        ),
        (
            "200 plain text",
            respond(
                200,
                FaultBody::Text {
                    text: "OK".to_owned(),
                },
            ),
            |e| matches!(e, Error::Response(r) if r.kind == ResponseErrorKind::NotJson && r.body == "OK"),
        ),
        (
            "200 empty body",
            respond(200, FaultBody::Empty),
            |e| matches!(e, Error::Response(r) if r.kind == ResponseErrorKind::Empty),
        ),
        (
            "200 truncated JSON",
            respond(200, FaultBody::TruncatedJson),
            |e| matches!(e, Error::Response(r) if r.kind == ResponseErrorKind::Truncated),
        ),
        (
            "success without account_id",
            respond(
                200,
                FaultBody::Json {
                    value: serde_json::json!({"result": "success", "short_url": "https://aq.gy/f/x"}),
                },
            ),
            |e| matches!(e, Error::Response(r) if r.kind == ResponseErrorKind::MissingField),
        ),
        (
            "JSON array",
            respond(
                200,
                FaultBody::Json {
                    value: serde_json::json!([1, 2]),
                },
            ),
            |e| matches!(e, Error::Response(r) if r.kind == ResponseErrorKind::WrongShape),
        ),
        (
            "body over the cap",
            respond(200, FaultBody::Huge { bytes: 3 << 20 }),
            |e| matches!(e, Error::Transport(t) if t.kind() == TransportErrorKind::BodyTooLarge),
        ),
        (
            "connection dropped before reading",
            FaultResponse::DropBeforeRead,
            |e| matches!(e, Error::Transport(t) if t.kind() == TransportErrorKind::Io),
        ),
        (
            "connection dropped after processing",
            FaultResponse::DropAfterRead,
            |e| {
                matches!(e, Error::Transport(t) if t.kind() == TransportErrorKind::Io)
                    && e.is_outcome_unknown()
            },
        ),
        (
            "body stalls past the attempt timeout",
            FaultResponse::SlowBody { delay_ms: 2_000 },
            |e| e.is_timeout() && e.is_outcome_unknown(),
        ),
        (
            "redirect",
            FaultResponse::Redirect {
                status: 302,
                location: "https://example.com/elsewhere".to_owned(),
            },
            |e| {
                matches!(e, Error::Response(r) if r.kind == ResponseErrorKind::Redirect && r.status == 302)
                    && e.is_outcome_unknown()
            },
        ),
    ];
    for (name, response, check) in cases {
        mock.clear_requests();
        mock.push_fault(once_on(MockAction::Create, response))
            .unwrap();
        let error = client.create(&account()).unwrap_err();
        assert!(check(&error), "{name}: unexpected {error:?}");
        assert_eq!(error.operation(), Some(OperationKind::Create), "{name}");
        assert_eq!(error.attempts(), 1, "{name}");
        assert_eq!(creates(&mock), 1, "{name}: {:?}", mock.requests());
    }
}

pub(crate) fn hung_server_times_out(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = make(config_for(&mock), short(), fast_retries());
    mock.push_fault(Fault::new(FaultResponse::Delay { delay_ms: 1_500 }))
        .unwrap();

    // create: timed out after sending, so not retried, outcome unknown.
    let error = client.create(&account()).unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_outcome_unknown());
    assert_eq!(error.attempts(), 1);

    // delete: idempotent, so retried, then reported as a timeout.
    let error = client.delete("abcde").unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.attempts(), 3);
}

pub(crate) fn hung_listener_times_out(make: Make) {
    // Accepts connections (the kernel does) but never reads or answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = Config::new("tok-hung", "dev@example.com")
        .unwrap()
        .with_base_url(&format!("http://127.0.0.1:{port}"))
        .unwrap();
    let client = make(config, short(), RetryPolicy::none());
    let error = client.create(&account()).unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    drop(listener);
}

pub(crate) fn a_tls_failure_is_reported_and_not_retried(make: Make) {
    // A server that answers a TLS handshake with plain HTTP.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut hello = [0u8; 512];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
        }
    });
    let config = Config::new("tok-tls", "dev@example.com")
        .unwrap()
        .with_base_url(&format!("https://127.0.0.1:{port}"))
        .unwrap();
    let error = make(config, normal(), fast_retries())
        .create(&account())
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport(t) if t.kind() == TransportErrorKind::Tls),
        "{error:?}"
    );
    assert!(!error.may_have_been_processed());
    assert_eq!(error.attempts(), 1);
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

pub(crate) fn redirect_is_not_followed(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let target = TcpListener::bind("127.0.0.1:0").unwrap();
    target.set_nonblocking(true).unwrap();
    let location = format!("http://{}/api/", target.local_addr().unwrap());
    let client = client_for(make, &mock, fast_retries());

    for status in [301, 302, 303, 307, 308] {
        mock.push_fault(once_on(
            MockAction::Create,
            FaultResponse::Redirect {
                status,
                location: location.clone(),
            },
        ))
        .unwrap();
        let error = client.create(&account()).unwrap_err();
        let Error::Response(response) = &error else {
            panic!("{status}: {error:?}");
        };
        assert_eq!(response.kind, ResponseErrorKind::Redirect);
        assert_eq!(response.status, status);
        assert!(error.to_string().contains(&location), "{error}");
        // An answer, even a redirect, may mean the create was processed (303 See Other).
        assert!(error.is_outcome_unknown(), "{status}: {error}");
    }
    // The call is over and nothing ever connected to the target: the token went nowhere.
    match target.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the redirect target was contacted: {other:?}"),
    }
    // Exactly one create per redirect reached the mock: no retries either.
    assert_eq!(creates(&mock), 5);
}

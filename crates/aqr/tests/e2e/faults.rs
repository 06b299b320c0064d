//! What each kind of failure becomes: typed errors, time limits, TLS, redirects.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use std::time::Duration;

use aqr::{
    Config, Error, OperationKind, ResponseErrorKind, RetryPolicy, Timeouts, TransportErrorKind,
};
use aqr_mock::{Credential, Fault, MockAction, MockOptions, MockServer};
use serde_json::Value;

use crate::clients::*;

/// The shared fault table (`tests/vectors/faults.json`, also read by the Python suites):
/// each fault, for create and for delete, with two retries — the error's type and kind,
/// its status, whether it may have been processed, and the number of requests the mock
/// saw (exactly what the retry policy allows: never a second create after a possible send).
pub(crate) fn fault_table_holds(make: Make) {
    let table: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/vectors/faults.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let retries = u32::try_from(table["retries"].as_u64().unwrap()).unwrap();
    let timeout = Duration::from_secs_f64(table["timeout"].as_f64().unwrap());
    let token = table["token"].as_str().unwrap();
    let mock = MockServer::start(MockOptions {
        credentials: vec![Credential::new(token, "dev@example.com")],
        ..MockOptions::default()
    })
    .unwrap();
    let limits = Timeouts::DEFAULT
        .with_attempt(timeout)
        .unwrap()
        .with_connect(timeout)
        .unwrap();
    let retry = fast_retries().with_max_retries(retries).unwrap();
    for fault in table["faults"].as_array().unwrap() {
        let name = fault["name"].as_str().unwrap();
        for (op, action) in [
            ("create", MockAction::Create),
            ("delete", MockAction::Delete),
        ] {
            let expect = &fault["expect"][op];
            mock.clear_faults();
            mock.clear_requests();
            let base_url = match &fault["fault"] {
                Value::Null => format!("http://127.0.0.1:{}", closed_port()),
                response => {
                    let spec = serde_json::json!({"action": op, "response": response});
                    mock.push_fault(serde_json::from_value::<Fault>(spec).unwrap())
                        .unwrap();
                    mock.url()
                }
            };
            let config = config_for(&mock).with_base_url(&base_url).unwrap();
            let client = make(config, limits, retry.clone());
            let result = match op {
                "create" => client.create(&account()).map(drop),
                _ => client.delete("abcde").map(drop),
            };
            let label = format!("{name} / {op}");
            if expect.get("ok").is_some() {
                assert!(result.is_ok(), "{label}: {result:?}");
                continue;
            }
            let error = result.expect_err(&label);
            let (error_type, kind) = match &error {
                Error::Api(_) => ("api", None),
                Error::Response(r) => ("response", Some(r.kind.code())),
                Error::Transport(t) => ("transport", Some(t.kind().code())),
                other => panic!("{label}: {other:?}"),
            };
            assert_eq!(error_type, expect["type"], "{label}: {error}");
            assert_eq!(kind, expect["kind"].as_str(), "{label}: {error}");
            if let Some(status) = expect["status"].as_u64() {
                assert_eq!(error.status().map(u64::from), Some(status), "{label}");
            }
            assert_eq!(
                error.may_have_been_processed(),
                expect["may_have_been_processed"],
                "{label}: {error}"
            );
            assert_eq!(
                error.is_outcome_unknown(),
                expect["outcome_unknown"],
                "{label}"
            );
            let operation = match op {
                "create" => OperationKind::Create,
                _ => OperationKind::Delete,
            };
            assert_eq!(error.operation(), Some(operation), "{label}");
            let attempts = if expect["retried"] == true {
                retries + 1
            } else {
                1
            };
            assert_eq!(error.attempts(), attempts, "{label}: {error}");
            if !fault["fault"].is_null() {
                assert_eq!(
                    settled(&mock, action, attempts),
                    attempts as usize,
                    "{label}"
                );
            }
            assert!(!error.report().contains(token), "{label}");
        }
    }
}

/// The requests of `action` the mock saw, once `expected` arrived (a delayed request is
/// logged when the mock finishes it) or two seconds passed.
fn settled(mock: &MockServer, action: MockAction, expected: u32) -> usize {
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    loop {
        let seen = mock.request_count(Some(action));
        if seen >= expected as usize || std::time::Instant::now() > deadline {
            return seen;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(crate) fn hung_server_times_out(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = make(config_for(&mock), short(), fast_retries());
    mock.push_fault(Fault::delay(Duration::from_millis(1_500)))
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
            Fault::redirect(status, location.clone()),
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

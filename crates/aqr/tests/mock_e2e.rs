//! Both clients end to end against the real mock server over HTTP.
//!
//! Every scenario is a plain function over the [`Api`] trait and runs twice, once for the
//! blocking client (ureq) and once for the async client (reqwest, each call inside
//! `tokio::spawn`), through `for_each_client!` at the bottom.

use std::future::Future;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aqr::{
    Bank, Config, CreatedAccount, Dialect, Error, NewAccount, OperationKind, ResponseErrorKind,
    RetryPolicy, Timeouts, TransportErrorKind,
};
use aqr_mock::{Credential, Fault, FaultBody, FaultResponse, MockAction, MockOptions, MockServer};

/// The three calls, whichever client makes them. The async client runs each call inside
/// `tokio::spawn` on a worker thread, so its futures must be `Send`.
trait Api {
    fn create(&self, account: &NewAccount) -> Result<CreatedAccount, Error>;
    fn delete(&self, account_id: &str) -> Result<(), Error>;
    fn qr_image(&self, url: &str) -> Result<Vec<u8>, Error>;
}

struct BlockingApi(aqr::blocking::Client);

impl Api for BlockingApi {
    fn create(&self, account: &NewAccount) -> Result<CreatedAccount, Error> {
        self.0.create(account)
    }
    fn delete(&self, account_id: &str) -> Result<(), Error> {
        self.0.delete(account_id)
    }
    fn qr_image(&self, url: &str) -> Result<Vec<u8>, Error> {
        self.0.qr_image(url)
    }
}

struct AsyncApi {
    client: aqr::Client,
    runtime: tokio::runtime::Runtime,
}

impl AsyncApi {
    /// Runs `call` with `spawn` on the runtime's worker thread: it must be `Send + 'static`.
    fn run<T: Send + 'static>(
        &self,
        call: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        self.runtime.block_on(self.runtime.spawn(call)).unwrap()
    }
}

impl Api for AsyncApi {
    fn create(&self, account: &NewAccount) -> Result<CreatedAccount, Error> {
        let (client, account) = (self.client.clone(), account.clone());
        self.run(async move { client.create(&account).await })
    }
    fn delete(&self, account_id: &str) -> Result<(), Error> {
        let (client, account_id) = (self.client.clone(), account_id.to_owned());
        self.run(async move { client.delete(&account_id).await })
    }
    fn qr_image(&self, url: &str) -> Result<Vec<u8>, Error> {
        let (client, url) = (self.client.clone(), url.to_owned());
        self.run(async move { client.qr_image(&url).await })
    }
}

/// Builds a client of one kind.
type Make = fn(Config, Timeouts, RetryPolicy) -> Box<dyn Api>;

fn make_blocking(config: Config, timeouts: Timeouts, retry: RetryPolicy) -> Box<dyn Api> {
    let driver = aqr::transport::Blocking {
        sender: aqr::blocking::UreqSender::with_timeouts(timeouts),
        timer: aqr::blocking::ThreadTimer,
    };
    Box::new(BlockingApi(
        aqr::blocking::Client::with_driver(config, driver).with_retry_policy(retry),
    ))
}

fn make_async(config: Config, timeouts: Timeouts, retry: RetryPolicy) -> Box<dyn Api> {
    let driver = aqr::transport::Async {
        sender: aqr::ReqwestSender::with_timeouts(timeouts),
        timer: aqr::TokioTimer,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    Box::new(AsyncApi {
        client: aqr::Client::with_driver(config, driver).with_retry_policy(retry),
        runtime,
    })
}

// ---------------------------------------------------------------------------------------
// Settings and helpers

/// Generous enough for a debug build on a loaded 2-core machine.
const NORMAL: Timeouts = Timeouts {
    connect: Duration::from_secs(2),
    attempt: Duration::from_secs(5),
};

/// For the scenarios that must time out.
const SHORT: Timeouts = Timeouts {
    connect: Duration::from_millis(300),
    attempt: Duration::from_millis(300),
};

/// Two retries with tiny backoffs.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

fn config_for(mock: &MockServer) -> Config {
    Config::new(mock.token(), mock.email())
        .unwrap()
        .with_base_url(&mock.url())
        .unwrap()
}

fn client_for(make: Make, mock: &MockServer, retry: RetryPolicy) -> Box<dyn Api> {
    make(config_for(mock), NORMAL, retry)
}

fn account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234").name("월세")
}

fn creates(mock: &MockServer) -> usize {
    mock.request_count(Some(MockAction::Create))
}

fn deletes(mock: &MockServer) -> usize {
    mock.request_count(Some(MockAction::Delete))
}

fn respond(status: u16, body: FaultBody) -> FaultResponse {
    FaultResponse::Respond {
        status,
        body,
        retry_after: None,
        headers: Vec::new(),
        delay_ms: 0,
    }
}

fn json_fail(message: &str) -> FaultBody {
    FaultBody::JsonFail {
        key: None,
        message: message.to_owned(),
        code: Some("injected".to_owned()),
    }
}

fn once_on(action: MockAction, response: FaultResponse) -> Fault {
    Fault::new(response).for_action(action).times(1)
}

/// A port on which nothing listens.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------
// Scenarios

fn round_trip_reference_dialect(make: Make) {
    round_trip(make, Dialect::Reference, "aqr_create", "aqr_delete");
}

fn round_trip_revised_dialect(make: Make) {
    round_trip(make, Dialect::Revised, "create", "delete");
}

fn round_trip(make: Make, dialect: Dialect, create_action: &str, delete_action: &str) {
    let mock = MockServer::start_default().unwrap();
    let client = make(
        config_for(&mock).with_dialect(dialect),
        NORMAL,
        fast_retries(),
    );

    let created = client.create(&account()).unwrap();
    assert!(!created.account_id.is_empty());
    let entries = mock.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].account_id, created.account_id);
    assert_eq!(entries[0].account_number, "1234567894321");
    assert_eq!(entries[0].bank_id, 1);
    assert_eq!(entries[0].account_owner, "홍길동");
    assert_eq!(entries[0].account_name.as_deref(), Some("월세"));

    let png = client.qr_image(&created.qr_image).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");

    client.delete(&created.account_id).unwrap();
    assert!(mock.entries().is_empty());

    let log = mock.requests();
    let actions: Vec<_> = log.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        [MockAction::Create, MockAction::QrImage, MockAction::Delete]
    );
    let form_action = |i: usize| {
        log[i]
            .form
            .iter()
            .find(|(k, _)| k == "action")
            .map(|(_, v)| v.clone())
    };
    assert_eq!(form_action(0).as_deref(), Some(create_action));
    assert_eq!(form_action(2).as_deref(), Some(delete_action));
    // The QR download does not carry the token.
    assert!(
        log[1]
            .headers
            .iter()
            .all(|(name, _)| name != "aqr-developer-token")
    );
    // Deleting again: the entry is gone.
    let error = client.delete(&created.account_id).unwrap_err();
    assert!(
        matches!(&error, Error::Api(api) if api.status == 404),
        "{error:?}"
    );
}

fn validation_errors_never_reach_the_mock(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    let invalid = [
        NewAccount::new("12-34", Bank::TossBank, "홍길동", "01012341234"),
        NewAccount::new("1234abc94321", Bank::TossBank, "홍길동", "01012341234"),
        NewAccount::new("1234567894321", Bank::TossBank, "", "01012341234"),
        NewAccount::new(
            "1234567894321",
            Bank::TossBank,
            "홍\u{7}길동",
            "01012341234",
        ),
        NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "12345"),
        NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
            .name("월".repeat(500)),
    ];
    for account in &invalid {
        let error = client.create(account).unwrap_err();
        assert!(matches!(error, Error::Invalid(_)), "{account:?}: {error:?}");
        assert!(!error.may_have_been_processed());
        assert_eq!(error.attempts(), 0);
    }
    for id in ["", "   ", "bad\nid"] {
        let error = client.delete(id).unwrap_err();
        assert!(matches!(error, Error::Invalid(_)), "{id:?}: {error:?}");
    }
    for url in [
        "",
        "not a url",
        "http://example.com/res?keyword=abc",
        "ftp://127.0.0.1/res",
    ] {
        let error = client.qr_image(url).unwrap_err();
        assert!(matches!(error, Error::Invalid(_)), "{url:?}: {error:?}");
    }
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
}

/// Each failure shape the mock can inject, on a `create` with retries off, and what the
/// client must report.
fn fault_shapes_map_to_typed_errors(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = make(config_for(&mock), SHORT_BODY, RetryPolicy::none());
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
                    && !e.may_have_been_processed()
            },
        ),
    ];
    for (name, response, check) in cases {
        mock.clear_requests();
        mock.push_fault(once_on(MockAction::Create, response));
        let error = client.create(&account()).unwrap_err();
        assert!(check(&error), "{name}: unexpected {error:?}");
        assert_eq!(error.operation(), Some(OperationKind::Create), "{name}");
        assert_eq!(error.attempts(), 1, "{name}");
        assert_eq!(creates(&mock), 1, "{name}: {:?}", mock.requests());
    }
}

/// For the fault table: a short attempt limit so the slow body ends quickly, but enough
/// for the other answers on a loaded machine.
const SHORT_BODY: Timeouts = Timeouts {
    connect: Duration::from_secs(2),
    attempt: Duration::from_millis(800),
};

fn hung_server_times_out(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = make(config_for(&mock), SHORT, fast_retries());
    mock.push_fault(Fault::new(FaultResponse::Delay { delay_ms: 1_500 }));

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

fn hung_listener_times_out(make: Make) {
    // Accepts connections (the kernel does) but never reads or answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = Config::new("tok-hung", "dev@example.com")
        .unwrap()
        .with_base_url(&format!("http://127.0.0.1:{port}"))
        .unwrap();
    let client = make(config, SHORT, RetryPolicy::none());
    let error = client.create(&account()).unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    drop(listener);
}

fn a_tls_failure_is_reported_and_not_retried(make: Make) {
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
    let error = make(config, NORMAL, fast_retries())
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

fn redirect_is_not_followed(make: Make) {
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
        ));
        let error = client.create(&account()).unwrap_err();
        let Error::Response(response) = &error else {
            panic!("{status}: {error:?}");
        };
        assert_eq!(response.kind, ResponseErrorKind::Redirect);
        assert_eq!(response.status, status);
        assert!(error.to_string().contains(&location), "{error}");
        assert!(!error.may_have_been_processed());
    }
    // The call is over and nothing ever connected to the target: the token went nowhere.
    match target.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the redirect target was contacted: {other:?}"),
    }
    // Exactly one create per redirect reached the mock: no retries either.
    assert_eq!(creates(&mock), 5);
}

fn refusals_with_retry_after_are_retried(make: Make) {
    for status in [429, 503] {
        let mock = MockServer::start_default().unwrap();
        let client = client_for(make, &mock, fast_retries());
        mock.push_fault(
            Fault::new(FaultResponse::Respond {
                status,
                body: json_fail("slow down"),
                retry_after: Some("0".to_owned()),
                headers: Vec::new(),
                delay_ms: 0,
            })
            .for_action(MockAction::Create)
            .times(2),
        );
        let created = client.create(&account()).unwrap();
        assert_eq!(creates(&mock), 3, "{status}");
        assert_eq!(mock.entries().len(), 1, "{status}");
        assert_eq!(mock.entries()[0].account_id, created.account_id);
    }
}

fn refusals_stop_after_max_retries(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    mock.push_fault(
        Fault::new(FaultResponse::Respond {
            status: 503,
            body: json_fail("maintenance"),
            retry_after: Some("0".to_owned()),
            headers: Vec::new(),
            delay_ms: 0,
        })
        .for_action(MockAction::Create),
    );
    let error = client.create(&account()).unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.attempts(), 3);
    assert!(
        !error.is_outcome_unknown(),
        "503 is a refusal: nothing was created"
    );
    assert_eq!(creates(&mock), 3);

    // The off switch: one attempt only.
    mock.clear_requests();
    let client = client_for(make, &mock, RetryPolicy::none());
    let error = client.create(&account()).unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(creates(&mock), 1);
}

fn a_retry_after_beyond_the_cap_is_not_waited_for(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    mock.push_fault(once_on(
        MockAction::Create,
        FaultResponse::Respond {
            status: 429,
            body: json_fail("come back in two minutes"),
            retry_after: Some("120".to_owned()),
            headers: Vec::new(),
            delay_ms: 0,
        },
    ));
    let error = client.create(&account()).unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(api.status, 429);
    assert_eq!(api.retry_after, Some(Duration::from_secs(120)));
    assert_eq!(error.attempts(), 1);
    assert_eq!(creates(&mock), 1);
}

fn failures_answered_with_200_are_api_errors(make: Make) {
    let mock = MockServer::start(MockOptions {
        failures_as_200: true,
        ..MockOptions::default()
    })
    .unwrap();
    let client = client_for(make, &mock, fast_retries());
    let error = client.delete("nosuchid").unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(api.status, 200);
    assert_eq!(api.code.as_deref(), Some("not_found"));
    assert!(!error.may_have_been_processed());
    // A definite refusal is not retried, even for delete.
    assert_eq!(deletes(&mock), 1);

    let wrong_email = Config::new(mock.token(), "other@example.com")
        .unwrap()
        .with_base_url(&mock.url())
        .unwrap();
    let error = make(wrong_email, NORMAL, fast_retries())
        .create(&account())
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api(a) if a.status == 200 && a.code.as_deref() == Some("email_mismatch")),
        "{error:?}"
    );
    assert!(mock.entries().is_empty());
}

fn create_is_not_retried_after_a_server_error(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    mock.push_fault(once_on(MockAction::Create, respond(500, json_fail("oops"))));
    let error = client.create(&account()).unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert!(error.is_outcome_unknown());
    assert_eq!(error.attempts(), 1);
    assert_eq!(creates(&mock), 1);
}

fn create_is_not_retried_after_a_dropped_response(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    mock.push_fault(once_on(MockAction::Create, FaultResponse::DropAfterRead));
    let error = client.create(&account()).unwrap_err();
    assert!(matches!(&error, Error::Transport(_)), "{error:?}");
    assert!(error.is_outcome_unknown());
    assert!(error.to_string().contains("may"), "{error}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(creates(&mock), 1);
    // The mock did process it: the entry exists, which is why a retry would be wrong.
    assert_eq!(mock.entries().len(), 1);
}

fn delete_is_retried_on_server_errors(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    let created = client.create(&account()).unwrap();
    mock.push_fault(
        Fault::new(respond(500, json_fail("oops")))
            .for_action(MockAction::Delete)
            .times(2),
    );
    client.delete(&created.account_id).unwrap();
    assert_eq!(deletes(&mock), 3);
    assert!(mock.entries().is_empty());

    // A 502 HTML page from a proxy is retried too.
    let created = client.create(&account()).unwrap();
    mock.push_fault(once_on(MockAction::Delete, respond(502, FaultBody::Html)));
    client.delete(&created.account_id).unwrap();
    assert_eq!(deletes(&mock), 5);
}

fn connection_refused_is_retried_then_a_connect_error(make: Make) {
    let config = Config::new("tok-refused", "dev@example.com")
        .unwrap()
        .with_base_url(&format!("http://127.0.0.1:{}", closed_port()))
        .unwrap();
    let client = make(config, NORMAL, fast_retries());
    let error = client.create(&account()).unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.may_have_been_processed());
    assert!(!error.is_outcome_unknown());
    assert_eq!(error.attempts(), 3);
}

fn the_token_never_appears_in_errors(make: Make) {
    const TOKEN: &str = "tok-9f8e7d6c5b4a-SECRET";
    let mock = MockServer::start(MockOptions {
        credentials: vec![Credential::new(TOKEN, "dev@example.com")],
        ..MockOptions::default()
    })
    .unwrap();
    let client = make(config_for(&mock), SHORT_BODY, RetryPolicy::none());
    let echo = format!("bad token {TOKEN}");
    let faults = [
        respond(401, json_fail(&echo)),
        respond(200, json_fail(&echo)),
        respond(500, FaultBody::Text { text: echo.clone() }),
        respond(200, FaultBody::Text { text: echo.clone() }),
        respond(
            200,
            FaultBody::Json {
                value: serde_json::json!({"result": TOKEN, "code": TOKEN}),
            },
        ),
        FaultResponse::Redirect {
            status: 302,
            location: format!("https://example.com/?t={TOKEN}"),
        },
        FaultResponse::DropAfterRead,
        FaultResponse::SlowBody { delay_ms: 2_000 },
    ];
    let mut errors = Vec::new();
    for fault in faults {
        mock.push_fault(once_on(MockAction::Create, fault));
        errors.push(client.create(&account()).unwrap_err());
    }
    errors.push(client.delete("no-such-id").unwrap_err());
    let refused = Config::new(TOKEN, "dev@example.com")
        .unwrap()
        .with_base_url(&format!("http://127.0.0.1:{}", closed_port()))
        .unwrap();
    errors.push(
        make(refused, NORMAL, RetryPolicy::none())
            .create(&account())
            .unwrap_err(),
    );

    for error in &errors {
        let display = error.to_string();
        let debug = format!("{error:?}");
        assert!(!display.contains(TOKEN), "token in Display: {display}");
        assert!(!debug.contains(TOKEN), "token in Debug: {debug}");
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            assert!(
                !cause.to_string().contains(TOKEN),
                "token in a source: {cause}"
            );
            source = cause.source();
        }
    }
    // The echoing server's message is still there, with the token replaced.
    assert!(errors[0].to_string().contains("bad token"), "{}", errors[0]);
}

/// An agent the user built with ureq's defaults (statuses as errors, 10 redirects): the
/// sender still gets error bodies and never follows a redirect.
#[test]
fn injected_ureq_agent_keeps_error_bodies_and_follows_no_redirect() {
    let mock = MockServer::start_default().unwrap();
    let target = TcpListener::bind("127.0.0.1:0").unwrap();
    target.set_nonblocking(true).unwrap();
    let agent = aqr::blocking::ureq::Agent::new_with_defaults();
    let client = aqr::blocking::Client::with_driver(
        config_for(&mock),
        aqr::transport::Blocking {
            sender: aqr::blocking::UreqSender::from(agent),
            timer: aqr::blocking::ThreadTimer,
        },
    )
    .with_retry_policy(RetryPolicy::none());

    mock.push_fault(once_on(MockAction::Create, respond(400, json_fail("kept"))));
    let error = client.create(&account()).unwrap_err();
    assert!(
        matches!(&error, Error::Api(a) if a.status == 400 && a.message.as_deref() == Some("kept")),
        "{error:?}"
    );

    mock.push_fault(once_on(
        MockAction::Create,
        FaultResponse::Redirect {
            status: 307,
            location: format!("http://{}/api/", target.local_addr().unwrap()),
        },
    ));
    let error = client.create(&account()).unwrap_err();
    assert!(
        matches!(&error, Error::Response(r) if r.kind == ResponseErrorKind::Redirect),
        "{error:?}"
    );
    match target.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the redirect target was contacted: {other:?}"),
    }
}

/// A reqwest client the user built with the default redirect policy: the sender refuses
/// the redirected answer instead of passing it off as the API's.
#[test]
fn injected_reqwest_client_that_follows_redirects_is_caught() {
    let mock = MockServer::start_default().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = aqr::Client::with_driver(
        config_for(&mock),
        aqr::transport::Async {
            sender: aqr::ReqwestSender::from(aqr::reqwest::Client::new()),
            timer: aqr::TokioTimer,
        },
    )
    .with_retry_policy(RetryPolicy::none());
    // A redirect to a page that answers 200 with JSON.
    mock.push_fault(once_on(
        MockAction::Create,
        FaultResponse::Redirect {
            status: 303,
            location: format!("{}/__mock/health", mock.url()),
        },
    ));
    let error = runtime.block_on(client.create(&account())).unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}");
    };
    assert!(transport.message().contains("redirect"), "{error}");
    assert!(error.is_outcome_unknown());
}

macro_rules! for_each_client {
    ($($scenario:ident),* $(,)?) => {
        /// The scenarios with the blocking client (ureq).
        mod blocking {
            $( #[test] fn $scenario() { super::$scenario(super::make_blocking) } )*
        }
        /// The scenarios with the async client (reqwest on tokio).
        mod async_client {
            $( #[test] fn $scenario() { super::$scenario(super::make_async) } )*
        }
    };
}

for_each_client!(
    round_trip_reference_dialect,
    round_trip_revised_dialect,
    validation_errors_never_reach_the_mock,
    fault_shapes_map_to_typed_errors,
    hung_server_times_out,
    hung_listener_times_out,
    redirect_is_not_followed,
    a_tls_failure_is_reported_and_not_retried,
    refusals_with_retry_after_are_retried,
    refusals_stop_after_max_retries,
    a_retry_after_beyond_the_cap_is_not_waited_for,
    failures_answered_with_200_are_api_errors,
    create_is_not_retried_after_a_server_error,
    create_is_not_retried_after_a_dropped_response,
    delete_is_retried_on_server_errors,
    connection_refused_is_retried_then_a_connect_error,
    the_token_never_appears_in_errors,
);

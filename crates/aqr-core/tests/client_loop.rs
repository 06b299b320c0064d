//! The generic client loop and the retry policy, driven by closure senders (no sockets).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use aqr_core::{
    AttemptTimeout, Bank, Blocking, BlockingTimer, Client, Config, DeleteRequest, Error, Exchange,
    HttpRequest, HttpResponse, Limit, NewAccount, Now, RetryPolicy, Step, Timeouts, TransportError,
};

const TOKEN: &str = "tok_LOOP_SECRET_42";
const SUCCESS: &str = r#"{"result":"success","qr_image":"https://aplx.link/res?keyword=abcde","short_url":"https://aq.gy/f/abcde","account_id":"abcde"}"#;

/// Records the waits instead of sleeping.
#[derive(Default)]
struct RecordingTimer(Mutex<Vec<Duration>>);

impl BlockingTimer for RecordingTimer {
    fn sleep(&self, duration: Duration) {
        self.0.lock().unwrap().push(duration);
    }
    fn jitter(&self) -> f64 {
        1.0
    }
}

type Outcome = Result<HttpResponse, TransportError>;
type RequestLog = Rc<RefCell<Vec<HttpRequest>>>;

fn respond(status: u16, headers: &[(&str, &str)], body: &str) -> Outcome {
    let mut builder = http::Response::builder().status(status);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    Ok(builder.body(body.as_bytes().to_vec()).unwrap())
}

/// A client whose sender plays `script` in order and records every request.
fn scripted(
    script: Vec<Outcome>,
) -> (
    Client<Blocking<impl Fn(HttpRequest) -> Outcome, RecordingTimer>>,
    RequestLog,
) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let log = seen.clone();
    let script = RefCell::new(script.into_iter());
    let sender = move |request: HttpRequest| {
        log.borrow_mut().push(request);
        script
            .borrow_mut()
            .next()
            .expect("more requests than scripted")
    };
    let config = Config::new(TOKEN, "dev@example.com").unwrap();
    let policy = RetryPolicy::DEFAULT
        .with_initial_backoff(Duration::from_millis(100))
        .unwrap();
    let client = Client::with_driver(
        config,
        Blocking {
            sender,
            timer: RecordingTimer::default(),
        },
    )
    .with_retry_policy(policy);
    (client, seen)
}

fn account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234").account_name("월세")
}

#[test]
fn success_takes_one_request() {
    let (client, seen) = scripted(vec![respond(200, &[], SUCCESS)]);
    let created = client.create(&account()).unwrap();
    assert_eq!(created.account_id, "abcde");
    assert_eq!(seen.borrow().len(), 1);
    assert!(client.driver().timer.0.lock().unwrap().is_empty());
}

#[test]
fn validation_error_sends_nothing() {
    let (client, seen) = scripted(vec![]);
    let err = client
        .create(&NewAccount::new(
            "12",
            Bank::TossBank,
            "홍길동",
            "01012341234",
        ))
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(ref e) if e.field().name() == "account_number"));
    assert!(!err.may_have_been_processed());
    assert_eq!(err.attempts(), 0);
    assert!(seen.borrow().is_empty());
}

#[test]
fn create_is_retried_after_503_with_retry_after() {
    let (client, seen) = scripted(vec![
        respond(503, &[("retry-after", "1.5")], ""),
        respond(429, &[], "{}"),
        respond(200, &[], SUCCESS),
    ]);
    client.create(&account()).unwrap();
    assert_eq!(seen.borrow().len(), 3);
    let waits = client.driver().timer.0.lock().unwrap().clone();
    // Retry-After wins; then backoff 2 × 100 ms (second retry) at jitter 1.0.
    assert_eq!(
        waits,
        vec![Duration::from_millis(1500), Duration::from_millis(200)]
    );
    // The same bytes each time.
    let seen = seen.borrow();
    assert_eq!(seen[0].body(), seen[2].body());
}

#[test]
fn create_is_not_retried_after_500() {
    let (client, seen) = scripted(vec![respond(
        500,
        &[],
        r#"{"result":"fail","message":"boom"}"#,
    )]);
    let err = client.create(&account()).unwrap_err();
    assert_eq!(seen.borrow().len(), 1);
    assert!(err.is_outcome_unknown(), "{err}");
    assert!(err.to_string().contains("may have been created"), "{err}");
    assert_eq!(err.status(), Some(500));
}

#[test]
fn create_is_not_retried_after_a_possible_send() {
    let (client, seen) = scripted(vec![Err(TransportError::timeout(true, "read timed out"))]);
    let err = client.create(&account()).unwrap_err();
    assert_eq!(seen.borrow().len(), 1);
    assert!(err.is_timeout() && err.is_outcome_unknown());
}

#[test]
fn create_is_retried_when_nothing_was_sent() {
    let (client, seen) = scripted(vec![
        Err(TransportError::connect("connection refused")),
        Err(TransportError::timeout(false, "connect timed out")),
        Err(TransportError::connect("connection refused")),
    ]);
    let err = client.create(&account()).unwrap_err();
    assert_eq!(seen.borrow().len(), 3);
    assert!(err.is_connect());
    assert!(!err.is_outcome_unknown());
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[test]
fn tls_failures_are_never_retried() {
    let (client, seen) = scripted(vec![Err(TransportError::tls("unknown issuer"))]);
    client.delete("abcde").unwrap_err();
    assert_eq!(seen.borrow().len(), 1);
}

#[test]
fn delete_is_retried_on_5xx_and_after_send() {
    let (client, seen) = scripted(vec![
        respond(
            502,
            &[("content-type", "text/html")],
            "<html>bad gateway</html>",
        ),
        Err(TransportError::io(true, "connection reset")),
        respond(200, &[], r#"{"result":"success"}"#),
    ]);
    client.delete("abcde").unwrap();
    assert_eq!(seen.borrow().len(), 3);
}

#[test]
fn not_found_after_an_ambiguous_delete_says_so() {
    let (client, seen) = scripted(vec![
        Err(TransportError::timeout(true, "read timed out")),
        respond(
            404,
            &[],
            r#"{"result":"fail","code":"not_found","message":"no such account"}"#,
        ),
    ]);
    let err = client.delete("abcde").unwrap_err();
    assert_eq!(seen.borrow().len(), 2);
    match &err {
        Error::Api(e) => assert!(e.after_ambiguous_attempt && e.attempts == 2),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("may already be deleted"), "{err}");
}

#[test]
fn a_clean_refusal_is_not_ambiguous() {
    let (client, _) = scripted(vec![
        respond(503, &[("retry-after", "0")], ""),
        respond(404, &[], r#"{"result":"fail","message":"no such account"}"#),
    ]);
    match client.delete("abcde").unwrap_err() {
        Error::Api(e) => assert!(!e.after_ambiguous_attempt),
        other => panic!("{other:?}"),
    }
}

#[test]
fn client_errors_are_not_retried() {
    let (client, seen) = scripted(vec![respond(
        404,
        &[],
        r#"{"result":"fail","code":"not_found","message":"no such account"}"#,
    )]);
    let err = client.delete("abcde").unwrap_err();
    assert_eq!(seen.borrow().len(), 1);
    assert!(err.to_string().contains("no such account"));
    assert!(!err.may_have_been_processed());
}

#[test]
fn too_long_retry_after_stops() {
    let (client, seen) = scripted(vec![respond(429, &[("retry-after", "3600")], "")]);
    let err = client.create(&account()).unwrap_err();
    assert_eq!(seen.borrow().len(), 1);
    match err {
        Error::Api(e) => assert_eq!(e.retry_after, Some(Duration::from_secs(3600))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn retry_after_as_an_http_date() {
    // A date in the past means "retry now"; one far ahead exceeds max_retry_after.
    let (client, seen) = scripted(vec![
        respond(503, &[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")], ""),
        respond(503, &[("retry-after", "Fri, 01 Jan 2100 00:00:00 GMT")], ""),
    ]);
    let err = client.create(&account()).unwrap_err();
    assert_eq!(seen.borrow().len(), 2);
    assert_eq!(
        *client.driver().timer.0.lock().unwrap(),
        vec![Duration::ZERO]
    );
    match err {
        Error::Api(e) => {
            assert!(e.retry_at.is_some());
            assert!(e.retry_after.unwrap() > Duration::from_secs(60 * 60 * 24 * 365));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn zero_retries_means_one_attempt() {
    let (client, seen) = scripted(vec![respond(503, &[], "")]);
    let client = client.with_retry_policy(RetryPolicy::none());
    client.create(&account()).unwrap_err();
    assert_eq!(seen.borrow().len(), 1);
}

#[test]
fn echoed_token_is_scrubbed_from_errors() {
    let body = format!(r#"{{"result":"fail","message":"bad token {TOKEN}"}}"#);
    let (client, _) = scripted(vec![respond(401, &[], &body)]);
    let err = client.create(&account()).unwrap_err();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[test]
fn no_error_or_debug_output_contains_the_token() {
    let config = Config::new(TOKEN, "dev@example.com").unwrap();
    let request = account()
        .validate()
        .map(|op| aqr_core::Operation::to_http(&op, &config).unwrap())
        .unwrap();
    let outputs = [
        format!("{config:?}"),
        format!("{request:?}"),
        format!("{:?}", config.token()),
        format!("{:?}", account()),
    ];
    for text in outputs {
        assert!(!text.contains(TOKEN), "{text}");
    }
    // Debug of the request masks the account number too.
    assert!(!format!("{:?}", account()).contains("1234567894321"));
}

#[test]
fn backoff_doubles_and_caps() {
    let p = RetryPolicy::default();
    assert_eq!(p.backoff(0, 1.0), Duration::from_millis(500));
    assert_eq!(p.backoff(1, 1.0), Duration::from_secs(1));
    assert_eq!(p.backoff(10, 1.0), Duration::from_secs(8));
    assert_eq!(p.backoff(0, 0.0), Duration::from_millis(250));
    assert_eq!(p.backoff(0, f64::NAN), Duration::from_millis(500));
    assert_eq!(p.backoff(u32::MAX, 0.5), Duration::from_secs(6));
}

fn at(elapsed_ms: u64) -> Now {
    Now {
        elapsed: Duration::from_millis(elapsed_ms),
        wall_clock: SystemTime::now(),
    }
}

#[test]
fn deadline_stops_retries_and_bounds_the_attempt() {
    let config = Config::new(TOKEN, "dev@example.com").unwrap();
    let retry = RetryPolicy::DEFAULT;
    let timeouts = Timeouts::DEFAULT
        .with_total(Some(Duration::from_secs(1)))
        .unwrap();
    let delete = DeleteRequest::new("abcde").unwrap();
    let mut exchange = Exchange::new(&delete, &config, &retry, &timeouts).unwrap();

    // The first attempt may use the whole deadline (it is sooner than 30 s).
    let request = exchange.start_attempt(Duration::ZERO);
    assert_eq!(AttemptTimeout::of(&request), Some(Duration::from_secs(1)));
    let refused = || Err(TransportError::connect("refused"));
    match exchange.finish_attempt(refused(), at(100), 1.0) {
        Step::Wait(wait) => assert_eq!(wait, Duration::from_millis(500)),
        other => panic!("{other:?}"),
    }
    // The retry starts 600 ms in: 400 ms remain for it.
    let request = exchange.start_attempt(Duration::from_millis(600));
    assert_eq!(
        AttemptTimeout::of(&request),
        Some(Duration::from_millis(400))
    );
    // It times out after sending; no retry fits before the deadline.
    let timed_out = Err(TransportError::timeout(true, "no answer"));
    match exchange.finish_attempt(timed_out, at(1000), 1.0) {
        Step::Done(Err(Error::Transport(e))) => {
            let limit = e.timeout_limit().expect("a timeout names its limit");
            assert_eq!(limit.limit, Limit::Total);
            assert_eq!(limit.after, Duration::from_secs(1));
            assert!(e.to_string().contains("the total limit of 1 s"), "{e}");
            assert!(e.to_string().contains("after 2 attempts"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn timeouts_name_the_limit_they_hit() {
    let config = Config::new(TOKEN, "dev@example.com").unwrap();
    let retry = RetryPolicy::none();
    let timeouts = Timeouts::DEFAULT
        .with_attempt(Duration::from_secs(7))
        .unwrap()
        .with_connect(Duration::from_secs(2))
        .unwrap();
    let delete = DeleteRequest::new("abcde").unwrap();
    for (sent, limit, after) in [(true, Limit::Attempt, 7), (false, Limit::Connect, 2)] {
        let mut exchange = Exchange::new(&delete, &config, &retry, &timeouts).unwrap();
        let request = exchange.start_attempt(Duration::ZERO);
        assert_eq!(AttemptTimeout::of(&request), Some(Duration::from_secs(7)));
        match exchange.finish_attempt(Err(TransportError::timeout(sent, "x")), at(1), 0.0) {
            Step::Done(Err(error)) => {
                let Error::Transport(e) = &error else {
                    panic!("{error:?}")
                };
                assert_eq!(e.timeout_limit().unwrap().limit, limit);
                assert_eq!(e.timeout_limit().unwrap().after, Duration::from_secs(after));
                // A connect timeout is both a connect failure and a timeout.
                assert_eq!(error.is_connect(), !sent);
                assert!(error.is_timeout());
            }
            other => panic!("{other:?}"),
        }
    }
}

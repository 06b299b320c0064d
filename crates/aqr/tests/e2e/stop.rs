//! Stopping a call: a blocking call from its own thread
//! (`aqr::blocking::interrupt::with_check`, what the Python binding does for Ctrl-C on
//! Python's main thread), and an async call by dropping its future. Over HTTP and over
//! TLS, as the real service is.

use std::io::Read;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aqr::blocking::interrupt::{POLL, Stop, with_check};
use aqr::{Config, RetryPolicy, Timeouts, TransportErrorKind};
use aqr_mock::{Fault, FaultBody, MockAction, MockOptions, MockServer, TlsCertificate};

use crate::clients::*;

/// Limits long enough that only a stop can end a wait early.
fn patient_timeouts() -> Timeouts {
    Timeouts::DEFAULT
        .with_connect(Duration::from_secs(20))
        .unwrap()
        .with_attempt(Duration::from_secs(20))
        .unwrap()
}

/// A blocking client with generous limits: only a stop can end its waits early.
fn patient(config: Config, retry: RetryPolicy) -> aqr::blocking::Client {
    aqr::blocking::Client::builder()
        .config(config)
        .timeouts(patient_timeouts())
        .retry_policy(retry)
        .build()
        .unwrap()
}

/// A check that says stop once `after` has passed.
fn stop_after(after: Duration) -> impl Fn() -> bool + 'static {
    let at = Instant::now() + after;
    move || Instant::now() >= at
}

/// How long a stopped call may take after the stop: one slice, plus a loaded machine.
const SOON: Duration = Duration::from_millis(700);

/// A create that a check stops after 200 ms: its error and what became of it, once it
/// has ended no later than [`SOON`] after the stop.
fn create_stopped_soon(client: &aqr::blocking::Client) -> (aqr::Error, Stop) {
    let stop_at = Duration::from_millis(200);
    let started = Instant::now();
    let (result, stop) = with_check(stop_after(stop_at), || client.create(&account()));
    let took = started.elapsed();
    assert!(took < stop_at + SOON, "{took:?}");
    (result.unwrap_err(), stop)
}

/// The plain mock and the TLS mock, each holding its next create's answer for `delay`
/// (the mock logs a request when it answers).
fn slow_mocks(delay: Duration) -> [MockServer; 2] {
    let tls = MockOptions {
        tls: Some(TlsCertificate::Generated),
        ..MockOptions::default()
    };
    let mocks = [
        MockServer::start_default().unwrap(),
        MockServer::start(tls).unwrap(),
    ];
    for mock in &mocks {
        mock.push_fault(once_on(MockAction::Create, Fault::delay(delay)))
            .unwrap();
    }
    mocks
}

/// The mock's CA, trusted by the client when the mock serves HTTPS.
fn trusting<C: aqr::Connect>(
    builder: aqr::ClientBuilder<C>,
    mock: &MockServer,
) -> aqr::ClientBuilder<C> {
    match mock.ca_pem() {
        Some(ca) => builder.ca_bundle(ca).unwrap(),
        None => builder,
    }
}

#[test]
fn a_stop_ends_the_wait_for_a_response_in_flight() {
    let delay = Duration::from_millis(1500);
    for mock in slow_mocks(delay) {
        let builder = aqr::blocking::Client::builder()
            .config(config_for(&mock))
            .timeouts(patient_timeouts());
        let client = trusting(builder, &mock).build().unwrap();
        let started = Instant::now();
        let (error, stop) = create_stopped_soon(&client);
        let aqr::Error::Transport(transport) = &error else {
            panic!("a transport error: {error:?}")
        };
        assert_eq!(transport.kind(), TransportErrorKind::Io, "{error:?}");
        assert!(error.is_outcome_unknown(), "the create was sent: {error:?}");
        assert!(stop.stopped && stop.sent, "{stop:?}");
        assert!(error.to_string().contains("stopped"), "{error}");
        std::thread::sleep((started + delay + POLL * 4).saturating_duration_since(Instant::now()));
        assert_eq!(creates(&mock), 1, "a stopped create is not sent again");
    }
}

#[test]
fn dropping_an_async_call_ends_it_and_the_client_goes_on() {
    let delay = Duration::from_millis(1500);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for mock in slow_mocks(delay) {
        let builder = aqr::Client::builder()
            .config(config_for(&mock))
            .timeouts(patient_timeouts());
        let client = trusting(builder, &mock).build().unwrap();
        let started = Instant::now();
        let cancelled = runtime.block_on(async {
            tokio::time::timeout(Duration::from_millis(200), client.create(&account())).await
        });
        let took = started.elapsed();
        assert!(cancelled.is_err(), "the timeout dropped the call");
        assert!(took < Duration::from_millis(200) + SOON, "{took:?}");
        std::thread::sleep((started + delay + POLL * 4).saturating_duration_since(Instant::now()));
        assert_eq!(creates(&mock), 1, "a dropped create is not sent again");
        // The client is still usable: the abandoned connection is not reused.
        let created = runtime.block_on(client.create(&account())).unwrap();
        assert_eq!(mock.entries().len(), 2, "{created:?}");
    }
}

/// [`patient`], on an agent of the user's own (ureq's defaults).
fn patient_on_own_agent(config: Config, retry: RetryPolicy) -> aqr::blocking::Client {
    let settings = aqr::blocking::Client::builder()
        .config(config)
        .timeouts(patient_timeouts())
        .retry_policy(retry)
        .settings()
        .unwrap();
    let agent = aqr::blocking::ureq::Agent::new_with_defaults();
    aqr::blocking::Client::with_agent(agent, settings).unwrap()
}

#[test]
fn a_stop_ends_the_wait_between_retries_and_nothing_more_is_sent() {
    // Also on an injected agent, whose own connector is not sliced: the wait between
    // retries and the next attempt are the SDK's.
    let makers: [fn(Config, RetryPolicy) -> aqr::blocking::Client; 2] =
        [patient, patient_on_own_agent];
    for make in makers {
        let mock = MockServer::start_default().unwrap();
        mock.push_fault(
            Fault::respond(503, FaultBody::json_fail("maintenance"))
                .with_retry_after("30")
                .for_action(MockAction::Delete),
        )
        .unwrap();
        let retry = RetryPolicy::DEFAULT
            .with_max_backoff(Duration::from_secs(60))
            .unwrap();
        let client = make(config_for(&mock), retry);
        let started = Instant::now();
        let (result, stop) = with_check(stop_after(Duration::from_millis(200)), || {
            client.delete("some-id")
        });
        assert!(stop.stopped && stop.sent, "{stop:?}");
        let took = started.elapsed();
        assert!(result.is_err());
        assert!(took < Duration::from_millis(200) + SOON, "{took:?}");
        // Give a wrongly continuing call the time to send its retry.
        std::thread::sleep(POLL * 3);
        assert_eq!(deletes(&mock), 1);
    }
}

#[test]
fn a_stop_ends_a_connection_that_never_completes() {
    // Accepts TCP, reads the ClientHello and never answers: the TLS handshake hangs.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut hello = [0u8; 512];
            let _ = stream.read(&mut hello);
            held.push(stream);
        }
    });
    let config = Config::new("tok-stop", "dev@example.com")
        .unwrap()
        .with_base_url(&format!("https://127.0.0.1:{port}"))
        .unwrap();
    let client = patient(config, RetryPolicy::DEFAULT);
    let (error, stop) = create_stopped_soon(&client);
    assert!(!error.is_outcome_unknown(), "nothing was sent: {error:?}");
    assert!(stop.stopped && !stop.sent, "{stop:?}");
    assert!(error.to_string().contains("stopped"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "no second attempt");
}

#[test]
fn a_check_that_never_stops_changes_nothing() {
    let mock = MockServer::start_default().unwrap();
    let client = patient(config_for(&mock), RetryPolicy::DEFAULT);
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let check = move || {
        counter.fetch_add(1, Ordering::SeqCst);
        false
    };
    let ((), stop) = with_check(check, || {
        for _ in 0..3 {
            let created = client.create(&account()).unwrap();
            client.delete(&created.account_id).unwrap();
        }
    });
    assert!(!stop.stopped && stop.sent, "{stop:?}");
    assert_eq!(mock.entries().len(), 0);
    // Quick answers never wait a whole slice: the check is asked once per wait at most.
    assert!(
        asked.load(Ordering::SeqCst) <= 12,
        "{}",
        asked.load(Ordering::SeqCst)
    );
}

//! Clients built on the user's own `ureq::Agent` or `reqwest::ClientBuilder` keep the
//! SDK's rules.

use std::io::ErrorKind;
use std::net::TcpListener;

use aqr::{Error, ResponseErrorKind, RetryPolicy};
use aqr_mock::{Fault, FaultBody, MockAction, MockServer};

use crate::clients::*;

/// An agent the user built with ureq's defaults (statuses as errors, 10 redirects): the
/// sender still gets error bodies and never follows a redirect.
#[test]
fn injected_ureq_agent_keeps_error_bodies_and_follows_no_redirect() {
    let mock = MockServer::start_default().unwrap();
    let target = TcpListener::bind("127.0.0.1:0").unwrap();
    target.set_nonblocking(true).unwrap();
    let agent = aqr::blocking::ureq::Agent::new_with_defaults();
    let settings = aqr::blocking::Client::builder()
        .config(config_for(&mock))
        .retry_policy(RetryPolicy::none())
        .settings()
        .unwrap();
    let client = aqr::blocking::Client::with_agent(agent, settings).unwrap();

    mock.push_fault(once_on(
        MockAction::Create,
        Fault::respond(400, FaultBody::json_fail("kept")),
    ))
    .unwrap();
    let error = client.create(&account()).unwrap_err();
    assert!(
        matches!(&error, Error::Api(a) if a.status == 400 && a.message.as_deref() == Some("kept")),
        "{error:?}"
    );

    mock.push_fault(once_on(
        MockAction::Create,
        Fault::redirect(307, format!("http://{}/api/", target.local_addr().unwrap())),
    ))
    .unwrap();
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

/// A `reqwest::ClientBuilder` the user set to follow redirects: the SDK sets its own
/// policy on it before building, so a redirect is reported, never followed.
#[test]
fn injected_reqwest_builder_never_follows_redirects() {
    let mock = MockServer::start_default().unwrap();
    let target = TcpListener::bind("127.0.0.1:0").unwrap();
    target.set_nonblocking(true).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let settings = aqr::Client::builder()
        .config(config_for(&mock))
        .retry_policy(RetryPolicy::none())
        .settings()
        .unwrap();
    let builder = aqr::reqwest::Client::builder()
        .redirect(aqr::reqwest::redirect::Policy::limited(10))
        .timeout(std::time::Duration::from_secs(3600));
    let client = aqr::Client::from_reqwest_builder(builder, settings).unwrap();
    mock.push_fault(once_on(
        MockAction::Create,
        Fault::redirect(307, format!("http://{}/api/", target.local_addr().unwrap())),
    ))
    .unwrap();
    let error = runtime.block_on(client.create(&account())).unwrap_err();
    assert!(
        matches!(&error, Error::Response(r) if r.kind == ResponseErrorKind::Redirect),
        "{error:?}"
    );
    // A redirect answer to a create may mean it was processed (303 See Other).
    assert!(error.is_outcome_unknown());
    match target.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the redirect target was contacted: {other:?}"),
    }
}

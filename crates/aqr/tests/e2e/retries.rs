//! When calls are retried, and when they must not be.

use std::time::Duration;

use aqr::{Config, Error, RetryPolicy};
use aqr_mock::{Fault, FaultBody, MockAction, MockOptions, MockServer};

use crate::clients::*;

pub(crate) fn refusals_with_retry_after_are_retried(make: Make) {
    for status in [429, 503] {
        let mock = MockServer::start_default().unwrap();
        let client = client_for(make, &mock, fast_retries());
        mock.push_fault(
            Fault::respond(status, FaultBody::json_fail("slow down"))
                .with_retry_after("0")
                .for_action(MockAction::Create)
                .times(2),
        )
        .unwrap();
        let created = client.create(&account()).unwrap();
        assert_eq!(creates(&mock), 3, "{status}");
        assert_eq!(mock.entries().len(), 1, "{status}");
        assert_eq!(mock.entries()[0].account_id, created.account_id);
    }
}

pub(crate) fn refusals_stop_after_max_retries(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    mock.push_fault(
        Fault::respond(503, FaultBody::json_fail("maintenance"))
            .with_retry_after("0")
            .for_action(MockAction::Create),
    )
    .unwrap();
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

pub(crate) fn a_retry_after_beyond_the_cap_is_not_waited_for(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    mock.push_fault(once_on(
        MockAction::Create,
        Fault::respond(429, FaultBody::json_fail("come back in two minutes"))
            .with_retry_after("120"),
    ))
    .unwrap();
    let error = client.create(&account()).unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(api.status, 429);
    assert_eq!(api.retry_after, Some(Duration::from_secs(120)));
    assert_eq!(error.attempts(), 1);
    assert_eq!(creates(&mock), 1);
}

pub(crate) fn failures_answered_with_200_are_api_errors(make: Make) {
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
    let error = make(wrong_email, normal(), fast_retries())
        .create(&account())
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api(a) if a.status == 200 && a.code.as_deref() == Some("email_mismatch")),
        "{error:?}"
    );
    assert!(mock.entries().is_empty());
}

pub(crate) fn create_is_not_retried_after_a_server_error(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    mock.push_fault(once_on(
        MockAction::Create,
        Fault::respond(500, FaultBody::json_fail("oops")),
    ))
    .unwrap();
    let error = client.create(&account()).unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert!(error.is_outcome_unknown());
    assert_eq!(error.attempts(), 1);
    assert_eq!(creates(&mock), 1);
}

pub(crate) fn create_is_not_retried_after_a_dropped_response(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    mock.push_fault(once_on(MockAction::Create, Fault::drop_after_read()))
        .unwrap();
    let error = client.create(&account()).unwrap_err();
    assert!(matches!(&error, Error::Transport(_)), "{error:?}");
    assert!(error.is_outcome_unknown());
    assert!(error.to_string().contains("may"), "{error}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(creates(&mock), 1);
    // The mock did process it: the entry exists, which is why a retry would be wrong.
    assert_eq!(mock.entries().len(), 1);
}

pub(crate) fn delete_is_retried_on_server_errors(make: Make) {
    let mock = MockServer::start_default().unwrap();
    let client = client_for(make, &mock, fast_retries());
    let created = client.create(&account()).unwrap();
    mock.push_fault(
        Fault::respond(500, FaultBody::json_fail("oops"))
            .for_action(MockAction::Delete)
            .times(2),
    )
    .unwrap();
    client.delete(&created.account_id).unwrap();
    assert_eq!(deletes(&mock), 3);
    assert!(mock.entries().is_empty());

    // A 502 HTML page from a proxy is retried too.
    let created = client.create(&account()).unwrap();
    mock.push_fault(once_on(
        MockAction::Delete,
        Fault::respond(502, FaultBody::Html),
    ))
    .unwrap();
    client.delete(&created.account_id).unwrap();
    assert_eq!(deletes(&mock), 5);
}

pub(crate) fn connection_refused_is_retried_then_a_connect_error(make: Make) {
    let config = Config::new("tok-refused", "dev@example.com")
        .unwrap()
        .with_base_url(&format!("http://127.0.0.1:{}", closed_port()))
        .unwrap();
    let client = make(config, normal(), fast_retries());
    let error = client.create(&account()).unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.may_have_been_processed());
    assert!(!error.is_outcome_unknown());
    assert_eq!(error.attempts(), 3);
}

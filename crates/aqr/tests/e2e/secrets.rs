//! The token never appears in an error, whatever the server sends back.

use aqr::{Config, RetryPolicy};
use aqr_mock::{Credential, Fault, FaultBody, MockAction, MockOptions, MockServer};

use crate::clients::*;

pub(crate) fn the_token_never_appears_in_errors(make: Make) {
    const TOKEN: &str = "tok-9f8e7d6c5b4a-SECRET";
    let mock = MockServer::start(MockOptions {
        credentials: vec![Credential::new(TOKEN, "dev@example.com")],
        ..MockOptions::default()
    })
    .unwrap();
    let client = make(config_for(&mock), short_body(), RetryPolicy::none());
    let echo = format!("bad token {TOKEN}");
    let faults = [
        Fault::respond(401, FaultBody::json_fail(&echo)),
        Fault::respond(200, FaultBody::json_fail(&echo)),
        Fault::respond(500, FaultBody::text(echo.clone())),
        Fault::respond(200, FaultBody::text(echo.clone())),
        Fault::respond(
            200,
            FaultBody::json(serde_json::json!({"result": TOKEN, "code": TOKEN})),
        ),
        Fault::redirect(302, format!("https://example.com/?t={TOKEN}")),
        Fault::drop_after_read(),
        Fault::slow_body(std::time::Duration::from_secs(2)),
    ];
    let mut errors = Vec::new();
    for fault in faults {
        mock.push_fault(once_on(MockAction::Create, fault)).unwrap();
        errors.push(client.create(&account()).unwrap_err());
    }
    errors.push(client.delete("no-such-id").unwrap_err());
    let refused = Config::new(TOKEN, "dev@example.com")
        .unwrap()
        .with_base_url(&format!("http://127.0.0.1:{}", closed_port()))
        .unwrap();
    errors.push(
        make(refused, normal(), RetryPolicy::none())
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

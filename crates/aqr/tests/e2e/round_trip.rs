//! The happy path and input validation.

use aqr::{Bank, Dialect, Error, NewAccount};
use aqr_mock::{MockAction, MockServer};

use crate::clients::*;

pub(crate) fn round_trip_reference_dialect(make: Make) {
    round_trip(make, Dialect::Reference, "aqr_create", "aqr_delete");
}

pub(crate) fn round_trip_revised_dialect(make: Make) {
    round_trip(make, Dialect::Revised, "create", "delete");
}

pub(crate) fn round_trip(make: Make, dialect: Dialect, create_action: &str, delete_action: &str) {
    let mock = MockServer::start_default().unwrap();
    let client = make(
        config_for(&mock).with_dialect(dialect),
        normal(),
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

pub(crate) fn validation_errors_never_reach_the_mock(make: Make) {
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
            .account_name("월".repeat(500)),
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

/// The async client's futures can be made outside any runtime and awaited inside one (the
/// input is checked when `create` is called; nothing is sent or started until the future
/// is polled), and they are `Send`: many calls spawned at once on one shared client.
#[test]
fn async_futures_start_when_polled_and_can_be_spawned() {
    let mock = MockServer::start_default().unwrap();
    let client = aqr::Client::builder()
        .config(config_for(&mock))
        .timeouts(normal())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let account = account();
    let made_outside = client.create(&account);
    assert_eq!(
        mock.requests().len(),
        0,
        "nothing sent before the first poll"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let first = runtime.block_on(made_outside).unwrap();

    let mut bad = account.clone();
    bad.phone_number = "not a phone".to_owned();
    let refused = runtime.block_on(client.create(&bad)).unwrap_err();
    assert!(matches!(refused, Error::Invalid(_)), "{refused:?}");

    let ids = runtime.block_on(async {
        let calls: Vec<_> = (0..16)
            .map(|_| {
                let client = client.clone();
                let account = account.clone();
                tokio::spawn(async move { client.create(&account).await })
            })
            .collect();
        let mut ids = Vec::new();
        for call in calls {
            ids.push(call.await.unwrap().unwrap().account_id);
        }
        ids
    });
    assert_eq!(ids.len(), 16);
    assert_eq!(mock.entries().len(), 17);
    assert!(!ids.contains(&first.account_id));
}

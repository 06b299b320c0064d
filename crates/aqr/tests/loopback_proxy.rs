//! A proxy — explicit or from the environment — is never used for a loopback host: a
//! proxy elsewhere cannot reach this machine's servers (the local mock), and must not see
//! its traffic. Both clients.

use aqr::{Bank, Config, NewAccount, Proxy};
use aqr_mock::MockServer;

fn config(mock: &MockServer) -> Config {
    Config::new(mock.token(), mock.email())
        .unwrap()
        .with_base_url(&mock.url())
        .unwrap()
}

/// Nothing listens here: every request sent through this proxy would fail.
fn dead_proxy() -> Proxy {
    Proxy::new("http://127.0.0.2:9").unwrap()
}

fn account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
}

#[test]
fn blocking_client_goes_direct_to_loopback() {
    let mock = MockServer::start_default().unwrap();
    let client = aqr::blocking::Client::builder()
        .config(config(&mock))
        .proxy(dead_proxy())
        .build()
        .unwrap();
    let created = client.create(&account()).unwrap();
    client.delete(&created.account_id).unwrap();
    assert_eq!(mock.request_count(None), 2);
}

#[test]
fn async_client_goes_direct_to_loopback() {
    let mock = MockServer::start_default().unwrap();
    let client = aqr::Client::builder()
        .config(config(&mock))
        .proxy(dead_proxy())
        .build()
        .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let created = client.create(&account()).await.unwrap();
        client.delete(&created.account_id).await.unwrap();
    });
    assert_eq!(mock.request_count(None), 2);
}

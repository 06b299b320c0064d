//! A proxy configured for the whole agent (as `HTTP_PROXY` does) is bypassed for the local
//! mock: a proxy elsewhere cannot reach this machine's loopback interface.

use aqr::blocking::{Client, ThreadTimer, UreqSender, ureq};
use aqr::transport::Blocking;
use aqr::{Bank, Config, NewAccount};
use aqr_mock::MockServer;

#[test]
fn loopback_requests_skip_the_agents_proxy() {
    let mock = MockServer::start_default().unwrap();
    // Nothing listens on port 9: every request sent through this proxy would fail.
    let proxy = ureq::Proxy::new("http://127.0.0.2:9").unwrap();
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .proxy(Some(proxy))
            .timeout_global(Some(std::time::Duration::from_secs(5)))
            .build(),
    );
    let config = Config::new(mock.token(), mock.email())
        .unwrap()
        .with_base_url(&mock.url())
        .unwrap();
    let client = Client::with_driver(
        config,
        Blocking {
            sender: UreqSender::from(agent),
            timer: ThreadTimer,
        },
    );
    let account = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234");
    let created = client.create(&account).unwrap();
    client.delete(&created.account_id).unwrap();
    assert_eq!(mock.request_count(None), 2);
}

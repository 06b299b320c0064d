//! Every client this build of the facade has, over HTTPS against the TLS mock, trusting
//! only the mock's generated CA. `scripts/feature_matrix.sh` runs this file once per
//! feature combination (default, `blocking`+`rustls`, `async`+`rustls`, each also with
//! `native-tls`), so every combination that compiles is shown to work.

use aqr::{Bank, Config, NewAccount};
use aqr_mock::{MockOptions, MockServer, TlsCertificate};

fn tls_mock() -> MockServer {
    MockServer::start(MockOptions {
        tls: Some(TlsCertificate::Generated),
        ..MockOptions::default()
    })
    .unwrap()
}

fn config(mock: &MockServer) -> Config {
    assert!(mock.url().starts_with("https://"), "{}", mock.url());
    Config::new(mock.token(), mock.email())
        .unwrap()
        .with_base_url(&mock.url())
        .unwrap()
}

fn account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_client_round_trip_over_https() {
    let mock = tls_mock();
    let client = aqr::blocking::Client::builder()
        .config(config(&mock))
        .ca_bundle(mock.ca_pem().unwrap())
        .unwrap()
        .build()
        .unwrap();
    let created = client.create(&account()).unwrap();
    let png = client.qr_image(&created.qr_image).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    client.delete(&created.account_id).unwrap();
    assert!(mock.entries().is_empty());
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_client_refuses_an_untrusted_certificate() {
    let mock = tls_mock();
    let client = aqr::blocking::Client::new(config(&mock)).unwrap();
    let error = client.create(&account()).unwrap_err();
    assert!(
        matches!(&error, aqr::Error::Transport(t) if t.kind() == aqr::TransportErrorKind::Tls),
        "{error:?}"
    );
    assert!(mock.requests().is_empty());
}

#[cfg(feature = "async")]
#[test]
fn async_client_round_trip_over_https() {
    let mock = tls_mock();
    let client = aqr::Client::builder()
        .config(config(&mock))
        .ca_bundle(mock.ca_pem().unwrap())
        .unwrap()
        .build()
        .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let created = client.create(&account()).await.unwrap();
        let png = client.qr_image(&created.qr_image).await.unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        client.delete(&created.account_id).await.unwrap();
    });
    assert!(mock.entries().is_empty());
}

#[cfg(feature = "async")]
#[test]
fn async_client_refuses_an_untrusted_certificate() {
    let mock = tls_mock();
    let client = aqr::Client::new(config(&mock)).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let error = runtime.block_on(client.create(&account())).unwrap_err();
    assert!(
        matches!(&error, aqr::Error::Transport(t) if t.kind() == aqr::TransportErrorKind::Tls),
        "{error:?}"
    );
    assert!(mock.requests().is_empty());
}

/// A program that uses rustls itself, beside the SDK, with the process-wide provider:
/// the SDK enables exactly one provider (ring), so rustls can pick it, and the SDK never
/// installs one itself.
#[test]
fn rustls_beside_the_sdk_does_not_panic() {
    let mock = tls_mock();
    #[cfg(feature = "blocking")]
    let _ = aqr::blocking::Client::new(config(&mock)).unwrap();
    #[cfg(feature = "async")]
    let _ = aqr::Client::new(config(&mock)).unwrap();
    let roots = rustls::RootCertStore::empty();
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    assert!(!config.alpn_protocols.contains(&b"h3".to_vec()));
    assert!(rustls::crypto::CryptoProvider::get_default().is_some());
}

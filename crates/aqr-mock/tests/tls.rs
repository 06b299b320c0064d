//! HTTPS: the whole API over TLS with a client that trusts only the generated CA,
//! certificate files, and the ways a handshake must fail.

mod common;

use aqr_mock::{
    Fault, FaultBody, HostileServer, MockAction, MockOptions, MockServer, TlsCertificate,
};
use common::{Answer, CREATE, delete_form};
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// A client that trusts exactly `ca_pem` (or, with `None`, only the public web roots).
fn agent(ca_pem: Option<&str>, timeout: Duration) -> ureq::Agent {
    let roots = match ca_pem {
        Some(pem) => RootCerts::new_with_certs(&[Certificate::from_pem(pem.as_bytes()).unwrap()]),
        None => RootCerts::WebPki,
    };
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .tls_config(TlsConfig::builder().root_certs(roots).build())
        .build()
        .into()
}

fn start(certificate: TlsCertificate) -> MockServer {
    MockServer::start(MockOptions {
        tls: Some(certificate),
        ..MockOptions::default()
    })
    .unwrap()
}

fn api(agent: &ureq::Agent, server: &MockServer, form: &str) -> Result<Answer, ureq::Error> {
    common::try_send(
        agent,
        "POST",
        &format!("{}/api/", server.url()),
        &[
            ("AQR-DEVELOPER-TOKEN", server.token()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(form.as_bytes()),
    )
}

fn get(agent: &ureq::Agent, url: &str) -> Answer {
    common::try_send(agent, "GET", url, &[], None).unwrap()
}

#[test]
fn the_whole_api_over_tls_with_only_the_generated_ca_trusted() {
    let server = start(TlsCertificate::Generated);
    assert!(
        server.url().starts_with("https://127.0.0.1:"),
        "{}",
        server.url()
    );
    let ca = server.ca_pem().unwrap().to_owned();
    assert_eq!(
        std::fs::read_to_string(server.ca_file().unwrap()).unwrap(),
        ca
    );
    let client = agent(Some(&ca), Duration::from_secs(10));

    let created = api(&client, &server, CREATE).unwrap();
    assert_eq!(created.status, 200, "{}", created.text());
    let json = created.json();
    let id = json["account_id"].as_str().unwrap();
    assert_eq!(json["short_url"], format!("{}/f/{id}", server.url()));
    assert_eq!(
        json["qr_image"],
        format!("{}/res?keyword={id}", server.url())
    );
    let png = get(&client, json["qr_image"].as_str().unwrap());
    assert_eq!(png.status, 200);
    assert_eq!(
        aqr_qr::decode_png(&png.body).as_deref(),
        json["short_url"].as_str()
    );
    assert_eq!(
        get(&client, json["short_url"].as_str().unwrap()).status,
        200
    );

    // Faults and the log behave as over HTTP.
    server
        .push_fault(
            Fault::respond(503, FaultBody::json_fail("busy"))
                .with_retry_after("1")
                .for_action(MockAction::Delete)
                .times(1),
        )
        .unwrap();
    let busy = api(&client, &server, &delete_form(id, "aqr_delete")).unwrap();
    assert_eq!((busy.status, busy.header("retry-after")), (503, Some("1")));
    server
        .push_fault(
            Fault::drop_after_read()
                .for_action(MockAction::Create)
                .times(1),
        )
        .unwrap();
    assert!(api(&client, &server, CREATE).is_err());
    assert_eq!(server.entries().len(), 2);
    let deleted = api(&client, &server, &delete_form(id, "delete")).unwrap();
    assert_eq!(deleted.status, 200, "{}", deleted.text());
    let faults = common::try_send(
        &client,
        "POST",
        &format!("{}/__mock/faults", server.url()),
        &[("Content-Type", "application/json")],
        Some(br#"{"times":1,"response":{"kind":"respond","status":502,"body":{"type":"html"}}}"#),
    )
    .unwrap();
    assert_eq!(faults.status, 200, "{}", faults.text());
    assert_eq!(api(&client, &server, CREATE).unwrap().status, 502);
    let log = get(&client, &format!("{}/__mock/requests", server.url())).json();
    let statuses: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 200, 200, 503, 0, 200, 502]);
    assert!(!log.to_string().contains(server.token()));

    // The CA's directory goes with the server.
    let ca_file = server.ca_file().unwrap().to_owned();
    drop(server);
    assert!(!ca_file.exists() && !ca_file.parent().unwrap().exists());
}

#[test]
fn a_client_without_the_ca_fails_the_handshake() {
    let server = start(TlsCertificate::Generated);
    let err = api(&agent(None, Duration::from_secs(5)), &server, CREATE).unwrap_err();
    let text = err.to_string().to_lowercase();
    assert!(
        text.contains("unknownissuer") || text.contains("unknown issuer"),
        "{text}"
    );
    // Plain HTTP to the TLS port does not reach the API either.
    let plain = common::try_send(
        &common::agent(Duration::from_secs(5)),
        "POST",
        &format!("http://127.0.0.1:{}/api/", server.port()),
        &[("AQR-DEVELOPER-TOKEN", server.token())],
        Some(CREATE.as_bytes()),
    );
    assert!(plain.is_err() || plain.is_ok_and(|a| a.status != 200));
    assert!(server.entries().is_empty());
}

#[test]
fn certificate_and_key_files() {
    let dir = tempfile::tempdir().unwrap();
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, format!("{}{}", leaf.pem(), ca_cert.pem())).unwrap();
    std::fs::write(&key, leaf_key.serialize_pem()).unwrap();
    let server = start(TlsCertificate::Files { cert, key });
    assert!(server.ca_pem().is_none() && server.ca_file().is_none());
    let answer = api(
        &agent(Some(&ca_cert.pem()), Duration::from_secs(10)),
        &server,
        CREATE,
    )
    .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(
        answer.json()["short_url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    // Unusable files are refused at start, naming the file.
    let err = MockServer::start(MockOptions {
        tls: Some(TlsCertificate::Files {
            cert: dir.path().join("missing.pem"),
            key: dir.path().join("key.pem"),
        }),
        ..MockOptions::default()
    })
    .unwrap_err();
    assert!(err.to_string().contains("missing.pem"), "{err}");
}

#[test]
fn hostile_certificates_fail_the_handshake_with_their_reason() {
    for (certificate, reason) in [
        (TlsCertificate::Expired, "expired"),
        (TlsCertificate::WrongHost, "not valid for name"),
    ] {
        let server = start(certificate);
        let client = agent(server.ca_pem(), Duration::from_secs(5));
        let err = api(&client, &server, CREATE).unwrap_err();
        let text = err.to_string().to_lowercase();
        assert!(text.contains(reason), "{reason}: {text}");
        assert!(server.entries().is_empty());
    }
}

#[test]
fn hostile_servers_that_never_answer_or_send_an_alert() {
    let silent = HostileServer::silent().unwrap();
    let started = Instant::now();
    let err = common::try_send(
        &agent(None, Duration::from_millis(500)),
        "GET",
        &format!("{}/api/", silent.url()),
        &[],
        None,
    )
    .unwrap_err();
    assert!(matches!(err, ureq::Error::Timeout(_)), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));

    let alert = HostileServer::handshake_alert().unwrap();
    let err = common::try_send(
        &agent(None, Duration::from_secs(5)),
        "GET",
        &format!("{}/api/", alert.url()),
        &[],
        None,
    )
    .unwrap_err();
    let text = err.to_string().to_lowercase();
    assert!(
        text.contains("handshakefailure") || text.contains("alert"),
        "{text}"
    );
}

#[test]
fn a_handshake_that_never_completes_is_bounded_by_the_header_timeout() {
    let server = MockServer::start(MockOptions {
        tls: Some(TlsCertificate::Generated),
        header_timeout: Duration::from_millis(300),
        ..MockOptions::default()
    })
    .unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The start of a ClientHello record, then nothing.
    stream
        .write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
        .unwrap();
    let started = Instant::now();
    let mut buffer = [0u8; 64];
    let closed = matches!(stream.read(&mut buffer), Ok(0) | Err(_));
    assert!(closed);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(200) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}

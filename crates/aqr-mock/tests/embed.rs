//! Running the mock inside an existing tokio runtime, and what a `MockServer` guarantees.

mod common;

use aqr_mock::{MockOptions, MockServer, serve};

#[test]
fn a_mock_server_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<MockServer>();
}

#[test]
fn serve_runs_in_an_existing_runtime_and_stops_on_its_signal() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, MockOptions::default(), async {
            let _ = stopped.await;
        }));
        let created = tokio::task::spawn_blocking(move || {
            let answer = common::send(
                "POST",
                &format!("{url}/api/"),
                &[
                    ("AQR-DEVELOPER-TOKEN", aqr_mock::DEFAULT_TOKEN),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                ],
                Some(common::CREATE.as_bytes()),
            );
            (answer.status, answer.json())
        })
        .await
        .unwrap();
        assert_eq!(created.0, 200);
        assert!(created.1["short_url"].as_str().unwrap().contains("/f/"));
        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    });
}

#[test]
fn start_and_drop_from_inside_a_runtime() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = MockServer::start_default().unwrap();
        let url = server.url();
        let health = tokio::task::spawn_blocking(move || {
            common::get(&format!("{url}/__mock/health")).json()
        })
        .await
        .unwrap();
        assert_eq!(health["status"], "ok");
        drop(server);
    });
}

#[test]
fn a_taken_port_is_an_error_and_port_zero_is_free() {
    let first = MockServer::start_default().unwrap();
    assert_ne!(first.port(), 0);
    let err = MockServer::start(MockOptions {
        port: first.port(),
        ..MockOptions::default()
    })
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    let second = MockServer::start_default().unwrap();
    assert_ne!(first.port(), second.port());
    assert_eq!(first.url(), format!("http://127.0.0.1:{}", first.port()));
}

#[test]
fn limits_that_are_not_limits_are_refused() {
    use std::time::Duration;
    for options in [
        MockOptions {
            header_timeout: Duration::ZERO,
            ..MockOptions::default()
        },
        MockOptions {
            idle_timeout: Duration::MAX,
            ..MockOptions::default()
        },
        MockOptions {
            body_timeout: Duration::from_secs(90_000),
            ..MockOptions::default()
        },
        MockOptions {
            max_connections: 0,
            ..MockOptions::default()
        },
        MockOptions {
            max_connections: usize::MAX,
            ..MockOptions::default()
        },
    ] {
        let err = MockServer::start(options).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains(": must be"), "{err}");
    }
}

//! The mock's own limits against hostile clients: the request log's memory, the header,
//! body, idle and write timeouts, and the connection cap.

mod common;

use aqr_mock::{MockAction, MockOptions, MockServer};
use common::{CREATE, api, raw_create};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn start(options: MockOptions) -> MockServer {
    MockServer::start(options).unwrap()
}

/// A 64 KiB form of empty fields, as the attack run sent it.
fn junk_form() -> String {
    let mut form = String::from("action=aqr_create");
    while form.len() < 64 * 1024 - 2 {
        form.push_str("&a=");
    }
    form.truncate(64 * 1024);
    form
}

fn post_with_token(server: &MockServer, token: &str, body: &[u8]) -> u16 {
    common::send(
        "POST",
        &format!("{}/api/", server.url()),
        &[
            ("AQR-DEVELOPER-TOKEN", token),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(body),
    )
    .status
}

#[test]
fn a_flood_of_wrong_token_bodies_costs_the_log_little() {
    let server = start(MockOptions::default());
    let junk = junk_form();
    for _ in 0..500 {
        assert_eq!(
            post_with_token(&server, "wrong-token", junk.as_bytes()),
            401
        );
    }
    let bytes = server.request_log_bytes();
    // Before: ~2.56 MB of log per request (1.28 GB here). Now a short record each.
    println!("log after 500 unauthenticated 64 KiB bodies: {bytes} bytes");
    assert!(bytes < 500 * 400, "{bytes} bytes");
    let records = server.requests();
    assert_eq!(records.len(), 500);
    assert!(
        records
            .iter()
            .all(|r| r.status == 401 && r.truncated && r.form.is_empty() && r.headers.is_empty())
    );
}

#[test]
fn the_log_stays_within_its_byte_budget() {
    let budget = 256 * 1024;
    let server = start(MockOptions {
        request_log_bytes: budget,
        ..MockOptions::default()
    });
    // Authenticated junk is kept in full up to the per-record cap, within the budget.
    let mut junk = junk_form().replace("action=aqr_create", "action=aqr_create&email_address=x");
    junk.truncate(64 * 1024);
    for _ in 0..200 {
        assert_eq!(
            post_with_token(&server, server.token(), junk.as_bytes()),
            400
        );
        assert!(server.request_log_bytes() <= budget);
    }
    let records = server.requests();
    assert!(records.len() < 200, "{}", records.len());
    let last = records.last().unwrap();
    assert!(last.truncated);
    assert!(
        last.form
            .iter()
            .map(|(n, v)| n.len() + v.len())
            .sum::<usize>()
            <= 8 * 1024
    );
    // Normal traffic is untouched.
    assert_eq!(api(&server, CREATE).status, 200);
    let last = server.requests().pop().unwrap();
    assert!(!last.truncated);
    assert_eq!(last.form.len(), 7);
}

fn connect(server: &MockServer) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

/// Reads until the server closes; returns what it sent and how long it took.
fn read_until_closed(stream: &mut TcpStream) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut out = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buffer[..n]),
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(err) => panic!("not closed: {err}"),
        }
    }
    (out, started.elapsed())
}

fn quick(options: MockOptions) -> MockServer {
    start(MockOptions {
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(600),
        write_timeout: Duration::from_millis(500),
        ..options
    })
}

#[test]
fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let server = quick(MockOptions::default());
    let mut stream = connect(&server);
    stream
        .write_all(b"POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        .unwrap();
    let (answer, waited) = read_until_closed(&mut stream);
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    // A connection that never sends a byte is closed the same way.
    let mut silent = connect(&server);
    let (answer, _) = read_until_closed(&mut silent);
    assert!(answer.is_empty());
    assert_eq!(api(&server, CREATE).status, 200);
}

#[test]
fn a_slow_body_gets_408_after_the_body_timeout() {
    let server = quick(MockOptions::default());
    let mut stream = connect(&server);
    let head = format!(
        "POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAQR-DEVELOPER-TOKEN: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        server.token(),
        CREATE.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&CREATE.as_bytes()[..10]).unwrap();
    let (answer, waited) = read_until_closed(&mut stream);
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("request_timeout"), "{text}");
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    assert!(server.entries().is_empty());
    let record = server.requests().pop().unwrap();
    assert_eq!((record.status, record.truncated), (408, true));
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let server = quick(MockOptions::default());
    let mut stream = connect(&server);
    let keep_alive = String::from_utf8(raw_create(&server))
        .unwrap()
        .replace("Connection: close\r\n", "");
    stream.write_all(keep_alive.as_bytes()).unwrap();
    // The answer arrives, then the connection stays open past the header timeout …
    let mut buffer = [0u8; 4096];
    let n = stream.read(&mut buffer).unwrap();
    assert!(buffer[..n].starts_with(b"HTTP/1.1 200"));
    let (rest, waited) = read_until_closed(&mut stream);
    // … and is closed at the idle timeout.
    assert!(rest.len() < 400, "{}", String::from_utf8_lossy(&rest));
    assert!(waited >= Duration::from_millis(450), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    assert_eq!(server.request_count(Some(MockAction::Create)), 1);
}

#[test]
fn over_the_cap_clients_get_503_until_old_ones_time_out() {
    let server = quick(MockOptions {
        max_connections: 4,
        ..MockOptions::default()
    });
    let silent: Vec<TcpStream> = (0..4).map(|_| connect(&server)).collect();
    std::thread::sleep(Duration::from_millis(50));
    // Over the cap: a clear, retryable answer, not a hang.
    let answer = common::send(
        "POST",
        &format!("{}/api/", server.url()),
        &[
            ("AQR-DEVELOPER-TOKEN", server.token()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(CREATE.as_bytes()),
    );
    answer.assert_fail(503, "too_many_connections");
    assert_eq!(answer.header("retry-after"), Some("1"));
    assert!(server.entries().is_empty());
    // Once the silent ones time out, clients are served again.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(api(&server, CREATE).status, 200);
    drop(silent);
}

#[test]
fn a_client_that_never_reads_its_answers_is_closed_after_the_write_timeout() {
    // The header and idle timeouts would close the stalled connection too, later: here
    // they are far longer than the test may take, so only the write timeout can.
    let server = start(MockOptions {
        header_timeout: Duration::from_secs(120),
        idle_timeout: Duration::from_secs(120),
        write_timeout: Duration::from_millis(500),
        ..MockOptions::default()
    });
    let stream = connect(&server);
    // Pipelined requests, sent until the server closes the connection; no answer is ever
    // read, so the answers fill the socket's buffers and the server's writes stall.
    let mut writer = stream.try_clone().unwrap();
    let batch = "GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(1000);
    let (done, finished) = std::sync::mpsc::channel();
    let started = Instant::now();
    std::thread::spawn(move || {
        let mut batches = 0u64;
        while writer.write_all(batch.as_bytes()).is_ok() {
            batches += 1;
        }
        let _ = done.send(batches);
    });
    // Without the write timeout the server's writes, and so this writer, would wait
    // forever.
    let batches = finished
        .recv_timeout(Duration::from_secs(30))
        .expect("the server kept the stalled connection open");
    let took = started.elapsed();
    assert!(batches > 0, "nothing was sent");
    assert!(took >= Duration::from_millis(500), "closed after {took:?}");
    println!("closed after {took:?} and {batches} batches of 1,000 requests");
    // The server still serves everyone else.
    assert_eq!(api(&server, CREATE).status, 200);
    drop(stream);
}

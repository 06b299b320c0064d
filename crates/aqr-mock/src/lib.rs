//! A faithful local stand-in for the [AQR](https://aplx.link) Open API, for demos and
//! tests.
//!
//! It serves the one AQR endpoint (`POST /api/`, `aqr_create`/`create` and
//! `aqr_delete`/`delete`) on 127.0.0.1 with the same validation rules as the SDK, keeps
//! the entries it creates (optionally in a state file), serves a real PNG QR code at
//! `GET /res?keyword=ID` and a small page at `GET /f/ID`, records every request, and can
//! be told to misbehave in every way a client must survive.
//!
//! # In your own test suite
//!
//! ```
//! use aqr_mock::{Fault, FaultBody, MockAction, MockServer};
//!
//! let server = MockServer::start_default()?; // a free port, the default credentials
//! let base_url = server.url();               // http://127.0.0.1:PORT
//! let (token, email) = (server.token(), server.email());
//! // Point your client at `base_url` with `token` / `email`, e.g.
//! // aqr_core::Config::new(token, email)?.with_base_url(&base_url)?
//!
//! // The next create fails with 503 and Retry-After: 1; everything else works.
//! server.push_fault(
//!     Fault::respond(503, FaultBody::json_fail("busy"))
//!         .with_retry_after("1")
//!         .for_action(MockAction::Create)
//!         .times(1),
//! )?;
//!
//! // … run the code under test, then inspect what the mock saw:
//! let creates = server.request_count(Some(MockAction::Create));
//! let entries = server.entries();
//! # assert_eq!((creates, entries.len()), (0, 0));
//! # let _ = (token, email, base_url);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Inside an existing tokio runtime, [`serve`] runs the same server on a listener you
//! bound yourself.
//!
//! # HTTPS
//!
//! With [`MockOptions::tls`] the mock serves HTTPS: a CA and a leaf for `localhost`,
//! `127.0.0.1` and `::1` are generated at start ([`MockServer::ca_pem`],
//! [`MockServer::ca_file`] give the CA to trust), or a certificate is read from PEM files.
//! Behaviour, faults and log are the same as over HTTP; the URLs it hands out start with
//! `https://`. For client suites that test failures, [`TlsCertificate`] also offers an
//! expired leaf and a leaf for the wrong host, and [`HostileServer`] a server that never
//! answers the ClientHello or answers it with an alert.
//!
//! # Limits
//!
//! Every request must name a loopback `Host` and carry no foreign `Origin` (`403
//! forbidden_host` / `forbidden_origin`), and `POST /__mock/faults` must be JSON: a web
//! page cannot reach the mock. A connection has [`MockOptions::header_timeout`] to send
//! its headers (TLS handshake included), [`MockOptions::body_timeout`] for the body
//! (`408 request_timeout`) and [`MockOptions::idle_timeout`] between requests, and an
//! answer that a client does not read is dropped after [`MockOptions::write_timeout`]; beyond
//! [`MockOptions::max_connections`] a client gets `503 too_many_connections` with
//! `Retry-After: 1`. The request log is bounded by count and by
//! [`MockOptions::request_log_bytes`], a record's headers and form by 8 KiB each, and a
//! request refused before authentication keeps only a short record.
//!
//! # HTTP surface
//!
//! | route | what |
//! |---|---|
//! | `POST /api/` | the AQR API |
//! | `GET /res?keyword=ID` | PNG QR code of the entry's short URL; 404 for an unknown id |
//! | `GET /f/ID` | an HTML page for the entry (fields escaped); 404 for an unknown id |
//! | `GET /__mock/requests` | the request log as JSON ([`RecordedRequest`]); `DELETE` clears it |
//! | `POST /__mock/faults` | one [`Fault`] or an array of them (JSON); `GET` lists, `DELETE` clears |
//! | `GET /__mock/entries` | the entries as JSON ([`Entry`]) |
//! | `GET /__mock/health` | `{"status":"ok"}` |
//!
//! Control routes (`/__mock/…`) take no token and are not recorded; `POST` takes
//! `Content-Type: application/json` only (`415 unsupported_content_type` otherwise).
//!
//! Success: `{"result":"success","qr_image":"<base>/res?keyword=ID","short_url":"<base>/f/ID","account_id":"ID"}`
//! for create, `{"result":"success"}` for delete. Failures are
//! `{"result":"fail","code":CODE,"message":TEXT}` with these statuses (or all 200 with
//! [`MockOptions::failures_as_200`]):
//!
//! | status | code | when |
//! |---|---|---|
//! | 401 | `invalid_token` | no or unknown `AQR-DEVELOPER-TOKEN` (also: the token sent as `Authorization`) |
//! | 403 | `email_mismatch` | `email_address` is not the token's e-mail address |
//! | 415 | `unsupported_content_type` | not `application/x-www-form-urlencoded` (multipart included) |
//! | 400 | `malformed_body` | a broken percent-escape, or not UTF-8 once decoded |
//! | 400 | `invalid_action` | `action` is none of the four spellings |
//! | 400 | `missing_field` | a required field is missing or empty |
//! | 400 | `invalid_field` | a field breaks an SDK rule ([`aqr_core::validate`]); `bank_id` outside 0–59 |
//! | 404 | `not_found` | unknown or already deleted `account_id`, or another developer's |
//! | 405 | `method_not_allowed` | not `POST` |
//! | 413 | `body_too_large` | a body over 64 KiB ([`MAX_REQUEST_BODY`]) |
//! | 408 | `request_timeout` | the body did not arrive within [`MockOptions::body_timeout`] |
//! | 403 | `forbidden_host` / `forbidden_origin` | not a loopback `Host`; a foreign `Origin` (any route) |
//! | 503 | `too_many_connections` | over [`MockOptions::max_connections`] (any route) |
//! | 500 | `state_not_saved` | the state file's journal could not be written; the change was undone |
//!
//! The checks run in this order: method, token, content type, form, action, e-mail,
//! fields. `GET /res` and `GET /f/` failures always keep their status (404/400/405).
//!
//! # Faults
//!
//! A [`Fault`] applies to the next `times` requests (or all, until cleared) whose
//! [`MockAction`] matches `action` (or every request when `action` is `None`). Faults are
//! tried in push order. A fault that breaks a rule ([`InvalidFault`]: `times: 0`, a 1xx
//! status, a `Content-Length` or `Transfer-Encoding` header, …) is refused when pushed.
//! Over HTTP:
//!
//! ```text
//! curl -X POST $URL/__mock/faults -H 'Content-Type: application/json' -d '{"action":"create",
//!   "times":1,"response":{"kind":"respond","status":503,"retry_after":"2","body":{"type":"html"}}}'
//! ```
//!
//! | `kind` | effect |
//! |---|---|
//! | `respond` | answer `status` with `body` (+ `retry_after`, `headers`, after `delay_ms`); nothing is processed |
//! | `delay` | wait `delay_ms`, then handle normally (the request is processed even if the client gave up) |
//! | `drop_before_read` | close the connection without answering; nothing is processed |
//! | `drop_after_read` | process the request (a create creates), then close without answering |
//! | `slow_body` | handle normally, send headers and half the body, stall `delay_ms`, send the rest |
//! | `redirect` | answer a 3xx `status` with `Location: location`; nothing is processed |
//!
//! and the `body` of `respond` ([`FaultBody`], by `type`): `json_fail` (`key`, `message`,
//! `code`), `json` (`value`), `html` (a proxy error page), `text` (`text`), `empty`,
//! `truncated_json`, `huge` (`bytes`).
//!
//! # Binary
//!
//! `aqr-mock --port 8080 --token T --email dev@example.com [--failures-as-200]
//! [--state state.json] [--tls | --cert FILE --key FILE]` prints `AQR mock listening on
//! http://127.0.0.1:PORT` (or `https://…`) as its first line — with a generated
//! certificate, the CA file's path next — then the credentials it accepts, and stops on
//! Ctrl-C or SIGTERM (exit status 0, state file written). `aqr-mock --help` lists the
//! limits' flags.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod api;
mod body;
mod control;
mod deadline;
mod fault;
mod fault_queue;
mod form;
mod guard;
mod hostile;
mod ids;
mod inject;
mod journal;
mod log;
mod options;
mod pages;
mod reply;
mod route;
mod running;
mod server;
mod shared;
mod signal;
mod store;
mod tls;
mod types;

pub use fault::{Fault, FaultBody, FaultResponse, InvalidFault, MAX_HUGE_BODY};
pub use hostile::HostileServer;
pub use options::{
    Credential, DEFAULT_BODY_TIMEOUT, DEFAULT_EMAIL, DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_LOG_BYTES, DEFAULT_REQUEST_LOG_CAPACITY,
    DEFAULT_TOKEN, DEFAULT_WRITE_TIMEOUT, MAX_REQUEST_BODY, MockOptions, TlsCertificate,
};
pub use running::MockServer;
pub use signal::StopSignal;
pub use types::{Entry, MockAction, RecordedRequest};

use std::future::Future;

/// Runs the mock on `listener` inside the current tokio runtime until `shutdown`
/// completes; then open connections get a moment to finish and the state file is
/// written. `options.port` is ignored (the listener is already bound); the entries'
/// URLs use the listener's address.
///
/// HTTPS works here with [`TlsCertificate::Files`] only: a generated CA would have no
/// way out — use [`MockServer`], which exposes it.
///
/// # Errors
/// Invalid options (a generated certificate included) or an unusable state file (before
/// serving), or a failure to write the state file at the end.
pub async fn serve(
    listener: tokio::net::TcpListener,
    options: MockOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tls = match &options.tls {
        None => None,
        Some(files @ TlsCertificate::Files { .. }) => Some(tls::Tls::new(files)?),
        Some(_) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "serve() takes certificate files only; MockServer::start generates a CA and exposes it",
            ));
        }
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let settings = running::settings(&options, tls);
    let shared = shared::Shared::new(options, listener.local_addr()?, scheme)?;
    server::serve(listener, shared, settings, shutdown).await
}

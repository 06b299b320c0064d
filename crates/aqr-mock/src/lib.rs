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
//! use aqr_mock::{Fault, FaultBody, FaultResponse, MockAction, MockServer};
//!
//! let server = MockServer::start_default()?; // a free port, the default credentials
//! let base_url = server.url();               // http://127.0.0.1:PORT
//! let (token, email) = (server.token(), server.email());
//! // Point your client at `base_url` with `token` / `email`, e.g.
//! // aqr_core::Config::new(token, email)?.with_base_url(&base_url)?
//!
//! // The next create fails with 503 and Retry-After: 1; everything else works.
//! server.push_fault(
//!     Fault::new(FaultResponse::Respond {
//!         status: 503,
//!         body: FaultBody::JsonFail { key: None, message: "busy".into(), code: None },
//!         retry_after: Some("1".into()),
//!         headers: vec![],
//!         delay_ms: 0,
//!     })
//!     .for_action(MockAction::Create)
//!     .times(1),
//! );
//!
//! // … run the code under test, then inspect what the mock saw:
//! let creates = server.request_count(Some(MockAction::Create));
//! let entries = server.entries();
//! # assert_eq!((creates, entries.len()), (0, 0));
//! # let _ = (token, email, base_url);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Inside an existing tokio runtime, [`serve`] runs the same server on a listener you
//! bound yourself.
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
//! Control routes (`/__mock/…`) take no token and are not recorded.
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
//!
//! The checks run in this order: method, token, content type, form, action, e-mail,
//! fields. `GET /res` and `GET /f/` failures always keep their status (404/400/405).
//!
//! # Faults
//!
//! A [`Fault`] applies to the next `times` requests (or all, until cleared) whose
//! [`MockAction`] matches `action` (or every request when `action` is `None`). Faults are
//! tried in push order. Over HTTP:
//!
//! ```text
//! curl -X POST $URL/__mock/faults -d '{"action":"create","times":1,
//!   "response":{"kind":"respond","status":503,"retry_after":"2","body":{"type":"html"}}}'
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
//! [--state state.json]` prints `AQR mock listening on http://127.0.0.1:PORT` as its
//! first line, then the credentials it accepts, and stops on Ctrl-C.
#![warn(missing_docs)]

mod api;
mod control;
mod fault;
mod form;
mod handle;
mod ids;
mod inject;
mod log;
mod pages;
mod reply;
mod server;
mod store;
mod types;

pub use fault::{Fault, FaultBody, FaultResponse, MAX_HUGE_BODY};
pub use handle::MockServer;
pub use types::{
    Credential, DEFAULT_EMAIL, DEFAULT_REQUEST_LOG_CAPACITY, DEFAULT_TOKEN, Entry,
    MAX_REQUEST_BODY, MockAction, MockOptions, RecordedRequest,
};

use std::future::Future;

/// Runs the mock on `listener` inside the current tokio runtime until `shutdown`
/// completes; then open connections get a moment to finish and the state file is
/// written. `options.port` is ignored (the listener is already bound); the entries'
/// URLs use the listener's address.
///
/// # Errors
/// Invalid options or an unreadable state file (before serving), or a failure to write
/// the state file at the end.
pub async fn serve(
    listener: tokio::net::TcpListener,
    options: MockOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shared = server::Shared::new(&options, listener.local_addr()?)?;
    server::serve_shared(listener, shared, shutdown).await
}

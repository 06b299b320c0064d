//! The Rust SDK for the [AQR Open API](https://aplx.link): publish a bank account as a QR
//! code and a short URL, and delete it again.
//!
//! ```no_run
//! use aqr::{Bank, NewAccount};
//!
//! let client = aqr::blocking::Client::from_env()?; // AQR_DEVELOPER_TOKEN, AQR_EMAIL, AQR_BASE_URL
//! let created = client.create(
//!     &NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
//!         .account_name("월세"),
//! )?;
//! println!("{} → {}", created.account_id, created.short_url);
//! let png: Vec<u8> = client.qr_image(&created.qr_image)?;
//! client.delete(&created.account_id)?;
//! # let _ = png;
//! # Ok::<(), aqr::Error>(())
//! ```
//!
//! The async client has the same methods, `.await`ed:
//!
//! ```no_run
//! use aqr::{Bank, Config, NewAccount};
//!
//! # async fn run() -> Result<(), aqr::Error> {
//! let client = aqr::Client::new(Config::new("my-token", "dev@example.com")?)?;
//! let created = client
//!     .create(&NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234"))
//!     .await?;
//! client.delete(&created.account_id).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Everything a client is built from has a default and one place to change it:
//!
//! ```no_run
//! use std::time::Duration;
//! use aqr::{Config, Proxy, RetryPolicy, Timeouts};
//!
//! let client = aqr::blocking::Client::builder()
//!     .config(Config::new("my-token", "dev@example.com")?)
//!     .timeouts(Timeouts::DEFAULT.with_attempt(Duration::from_secs(10))?.with_total(Some(Duration::from_secs(20)))?)
//!     .retry_policy(RetryPolicy::DEFAULT.with_max_retries(3)?)
//!     .proxy(Proxy::new("http://proxy.corp.example:3128")?)
//!     .ca_bundle("/etc/corp/root-ca.pem")?
//!     .build()?;
//! // One call with other limits, on the same connection pool:
//! let quick = client.with_timeouts(Timeouts::DEFAULT.with_attempt(Duration::from_secs(2))?);
//! # let _ = quick;
//! # Ok::<(), aqr::Error>(())
//! ```
//!
//! # Choosing a transport
//!
//! | you are writing | use | feature | HTTP library |
//! |---|---|---|---|
//! | a script, CLI, or threaded server | [`blocking::Client`] | `blocking` | ureq (no async runtime) |
//! | tokio code (axum, a bot, many calls in flight) | [`Client`] | `async` | reqwest |
//! | anything else (another HTTP stack, a test double) | [`transport::Client`] | — | yours |
//!
//! Both features are on by default; turn off the one you do not need
//! (`default-features = false, features = ["blocking", "rustls"]`). Do not call the
//! blocking client from an async task: it blocks the executor thread. Both clients are
//! cheap to clone and meant to be shared; each keeps one connection pool.
//!
//! # Logging
//!
//! With the default feature `log`, every call logs through the [`log`](https://docs.rs/log)
//! facade under the target `aqr`: one DEBUG record per attempt (operation, method, URL
//! without its query, status or error kind, elapsed time, attempt n of m) and one INFO
//! record per retry (the wait and its reason: backoff or `Retry-After`) — never the token,
//! a form value or the server's text. Per-call limits are cheap copies:
//! `client.with_timeouts(..)` / `client.with_retry_policy(..)` share the pool. ureq logs
//! the raw bytes of each request (token included) at TRACE under `ureq_proto` and cannot be
//! told not to: the blocking client refuses to send (a transport error, nothing sent) while
//! the installed logger would keep those records — log `ureq_proto` at DEBUG or above.
//!
//! Any sender can drive the client — a closure included — because the protocol (request
//! building, response parsing, retries) lives in one place and the transports only move
//! bytes. See [`transport`] and `examples/custom_transport.rs`. Without any client at all,
//! [`Operation::to_http`] and [`CreateRequest::parse_response`] (and its siblings) turn
//! inputs into an [`http::Request`] and a response into a typed result.
//!
//! # Errors and retries
//!
//! Every method returns [`Error`]: [`Error::Invalid`] before any I/O (an input or a
//! setting broke a rule; it names which), [`Error::Api`] when the service says no,
//! [`Error::Response`] for an answer that cannot be read, [`Error::Transport`] when no
//! answer came. Failed calls are retried per the [`RetryPolicy`] (2 retries by default,
//! exponential backoff, `Retry-After` honoured); `create` is never re-sent once it may have
//! reached the server, and then [`Error::is_outcome_unknown`] is `true`: check before
//! creating again. [`Error::report`] gives the message with its causes on one line.
//!
//! # The network
//!
//! - **Trust**: the system's roots (`SSL_CERT_FILE` and `SSL_CERT_DIR` honoured), the
//!   Mozilla roots built in where the system has none, plus roots you add
//!   ([`ClientBuilder::ca_bundle`] or `AQR_CA_BUNDLE`).
//! - **Proxies**: loopback hosts never; an explicit [`Proxy`] for everything else, or
//!   `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` with `NO_PROXY` (either case), as curl reads
//!   them. A proxy that refuses is a connect error: nothing was sent.
//! - **Time**: connect 5 s, 30 s per attempt, and an optional overall deadline
//!   ([`Timeouts::with_total`]) that bounds the attempt in flight too.
//!
//! # Security
//!
//! - **Redirects are never followed**: they would forward the `AQR-DEVELOPER-TOKEN`
//!   header to another host. A redirect is reported as [`Error::Response`].
//! - **TLS verification cannot be turned off**, and plain `http` is accepted only for
//!   loopback addresses (a local mock). TLS is rustls with the ring provider by default
//!   (never installed process-wide); the `native-tls` feature uses the platform's library
//!   instead, for both clients.
//! - **QR images** are downloaded only from the service's hosts (the base URL's, or
//!   `aplx.link`; [`Config::with_image_host`] adds one).
//! - **The token is redacted**: it lives in a secret type, is sent only in its header, and
//!   never appears in `Debug`, `Display`, or error messages (even if a server echoes it).
//! - Response bodies are read with a size cap; every attempt has a time limit (connect 5 s,
//!   30 s per attempt by default, see [`Timeouts`]).
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
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
compile_error!(
    "aqr needs a TLS library: keep the default `rustls` feature, or enable `native-tls` \
     (e.g. default-features = false, features = [\"blocking\", \"rustls\"])"
);

pub use aqr_core::{
    ApiError, Bank, Config, CreateRequest, CreatedAccount, DEFAULT_BASE_URL, DeleteRequest,
    DeveloperToken, Dialect, ENV_BASE_URL, ENV_EMAIL, ENV_TOKEN, Error, Field, Limit, NewAccount,
    Operation, OperationKind, QrImageRequest, ResponseError, ResponseErrorKind, RetryPolicy, Rule,
    TimeoutLimit, Timeouts, TransportError, TransportErrorKind, ValidationError, escape_controls,
    http,
};
pub use aqr_net::{ClientBuilder, ClientOptions, ClientSettings, Connect, ENV_CA_BUNDLE, Proxy};

/// Building blocks for driving the client with your own HTTP stack: the generic
/// [`Client`](transport::Client) and the traits a sender implements.
///
/// ```
/// use std::time::Duration;
///
/// use aqr::transport::{Blocking, BlockingTimer, Client, HttpRequest, HttpResponse};
/// use aqr::{Bank, Config, NewAccount, TransportError};
///
/// /// Sleeps the way your runtime does; here, not at all.
/// struct NoWait;
/// impl BlockingTimer for NoWait {
///     fn sleep(&self, _: Duration) {}
/// }
///
/// // Send the request with any HTTP library; here, a canned answer.
/// let sender = |_request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     Ok(aqr::http::Response::new(
///         br#"{"result":"success","account_id":"abcde",
///              "qr_image":"https://aplx.link/res?keyword=abcde",
///              "short_url":"https://aq.gy/f/abcde"}"#
///             .to_vec(),
///     ))
/// };
/// let client = Client::with_driver(
///     Config::new("my-token", "dev@example.com")?,
///     Blocking { sender, timer: NoWait },
/// );
/// let account = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234");
/// assert_eq!(client.create(&account)?.account_id, "abcde");
/// # Ok::<(), aqr::Error>(())
/// ```
pub mod transport {
    pub use aqr_core::{
        Async, AsyncSender, AsyncTimer, AttemptTimeout, Blocking, BlockingSender, BlockingTimer,
        Client, Exchange, HttpRequest, HttpResponse, Now, ResponseLimit, Step, TransportError,
        TransportErrorKind,
    };
}

/// The blocking client on ureq (feature `blocking`).
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking {
    pub use aqr_ureq::{Client, ThreadTimer, UreqSender, interrupt, ureq};
}

#[cfg(feature = "async")]
#[cfg_attr(docsrs, doc(cfg(feature = "async")))]
pub use aqr_reqwest::{Client, ReqwestSender, TokioTimer, reqwest};

/// The README's examples, compiled (and run, unless marked `no_run`) as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

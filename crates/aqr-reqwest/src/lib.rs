//! The async AQR client on [`reqwest`].
//!
//! [`Client`] is [`aqr_core::Client`] driven by [`ReqwestSender`] (one `reqwest::Client`,
//! so one connection pool) and [`TokioTimer`] (`tokio::time::sleep` between retries). Its
//! futures are `Send`, so calls work inside `tokio::spawn`. Everything about the API —
//! validation, request building, response parsing, retries — lives in `aqr-core`; this
//! crate only moves bytes.
//!
//! ```no_run
//! use aqr_core::{Bank, NewAccount};
//! use aqr_reqwest::Client;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::from_env()?; // AQR_DEVELOPER_TOKEN, AQR_EMAIL, AQR_BASE_URL
//! let created = client
//!     .create(&NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234").name("월세"))
//!     .await?;
//! client.delete(&created.account_id).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Defaults: connect 5 s, 30 s per attempt (the body read included), no redirects, the
//! system proxy, TLS with rustls (feature `rustls`, default) or the platform's library
//! (feature `native-tls`). Requires a tokio runtime.
#![warn(missing_docs)]

mod error;
mod request;
mod sender;
mod timer;

pub use sender::ReqwestSender;
pub use timer::TokioTimer;

pub use reqwest;

/// The async AQR client: `create`, `delete`, `qr_image`, each `.await`ed.
///
/// Build it with `Client::new(config)`, `Client::from_env()` or, with your own
/// `reqwest::Client`, `Client::with_driver(config, Async { sender: client.into(), timer:
/// TokioTimer })` (see [`ReqwestSender`] for what that client must be configured with).
pub type Client = aqr_core::Client<aqr_core::Async<ReqwestSender, TokioTimer>>;

//! The blocking AQR client on [`ureq`].
//!
//! [`Client`] is [`aqr_core::Client`] driven by [`UreqSender`] (one `ureq::Agent`) and
//! [`ThreadTimer`] (`std::thread::sleep` between retries). Everything about the API —
//! validation, request building, response parsing, retries — lives in `aqr-core`; this
//! crate only moves bytes.
//!
//! ```no_run
//! use aqr_core::{Bank, NewAccount};
//! use aqr_ureq::Client;
//!
//! let client = Client::from_env()?; // AQR_DEVELOPER_TOKEN, AQR_EMAIL, AQR_BASE_URL
//! let created = client.create(
//!     &NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234").name("월세"),
//! )?;
//! client.delete(&created.account_id)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Defaults: connect 5 s, 30 s per attempt (the body read included), no redirects, proxy
//! from `HTTPS_PROXY`/`ALL_PROXY`/`HTTP_PROXY`, TLS with rustls (feature `rustls`,
//! default) or the platform's library (feature `native-tls`). Do not call it from inside
//! an async runtime's worker threads; use `aqr-reqwest` there.
#![warn(missing_docs)]

mod error;
mod resolver;
mod sender;
mod timer;

pub use sender::UreqSender;
pub use timer::ThreadTimer;

pub use ureq;

/// The blocking AQR client: `create`, `delete`, `qr_image`.
///
/// Build it with `Client::new(config)`, `Client::from_env()` or, with your own agent,
/// `Client::with_driver(config, Blocking { sender: agent.into(), timer: ThreadTimer })`.
pub type Client = aqr_core::Client<aqr_core::Blocking<UreqSender, ThreadTimer>>;

//! The async AQR client on [`reqwest`].
//!
//! [`Client`] is the core's client loop driven by [`ReqwestSender`] (one
//! `reqwest::Client`, so one connection pool) and [`TokioTimer`] (`tokio::time::sleep`
//! between retries). Everything about the API — validation, request building, response
//! parsing, retries, time limits — lives in `aqr-core`, and the network rules (proxy,
//! trusted roots) in `aqr-net`; this crate only moves bytes.
//!
//! Defaults: connect 5 s, 30 s per attempt (the body read included), no redirects, the
//! proxy the environment names (never for loopback hosts), the system's trusted roots
//! plus `AQR_CA_BUNDLE`, TLS with rustls and ring (feature `rustls`, default) or the
//! platform's library (feature `native-tls`, which wins when both are enabled). Requires
//! a tokio runtime.
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

mod client;
mod error;
mod request;
mod sender;
mod timer;
mod tls;

pub use client::Client;
pub use sender::ReqwestSender;
pub use timer::TokioTimer;

pub use reqwest;

//! The blocking AQR client on [`ureq`].
//!
//! [`Client`] is the core's client loop driven by [`UreqSender`] (one `ureq::Agent`) and
//! [`ThreadTimer`] (`std::thread::sleep` between retries). Everything about the API —
//! validation, request building, response parsing, retries, time limits — lives in
//! `aqr-core`, and the network rules (proxy, trusted roots) in `aqr-net`; this crate only
//! moves bytes.
//!
//! Defaults: connect 5 s, 30 s per attempt (the body read included), no redirects, the
//! proxy the environment names (never for loopback hosts), the system's trusted roots
//! plus `AQR_CA_BUNDLE`, TLS with rustls and ring (feature `rustls`, default) or the
//! platform's library (feature `native-tls`, which wins when both are enabled).
//!
//! ureq logs the raw bytes of every request it writes (head and body, as hex) at TRACE
//! under the log target `ureq_proto::util`, and cannot be told not to. So that the token
//! and the form never reach a log, the sender refuses to send (a transport error, nothing
//! sent) while the installed logger would keep those records: log `ureq_proto` at DEBUG or
//! above.
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
mod connector;
mod error;
pub mod interrupt;
mod resolver;
mod sender;
mod timer;
mod tls;

pub use client::Client;
pub use sender::UreqSender;
pub use timer::ThreadTimer;

pub use ureq;

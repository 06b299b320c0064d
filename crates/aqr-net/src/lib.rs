//! What every AQR transport shares to reach the service the same way: the client
//! settings and their builder, the proxy rules, the trusted roots, and how to read a
//! network failure. Used by `aqr-ureq` and `aqr-reqwest`; re-exported by `aqr`.
//!
//! - [`ClientBuilder`] / [`ClientSettings`]: credentials, [`aqr_core::Timeouts`],
//!   [`aqr_core::RetryPolicy`], proxy and trust, with every default and environment
//!   variable read in one place; [`ClientOptions`] is the same for front ends that
//!   receive loose values (Python keyword arguments, command-line flags).
//! - [`ProxyRules`]: loopback never proxied; an explicit proxy, else `HTTPS_PROXY`,
//!   `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (either case), as curl reads them.
//! - [`TrustedRoots`]: the system's roots (honouring `SSL_CERT_FILE`/`SSL_CERT_DIR`), the
//!   built-in Mozilla roots where the system has none, and roots added with
//!   `AQR_CA_BUNDLE` or [`ClientBuilder::ca_bundle`]. Verification cannot be turned off.
//!
//! One crypto provider in the whole SDK: **ring** (smaller and faster to build than
//! aws-lc-rs, which needs a C and assembly toolchain; no FIPS need). It is passed to
//! rustls explicitly, never installed process-wide, so a program that uses rustls with
//! another provider beside the SDK is unaffected.
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

mod classify;
mod proxy;
mod settings;
mod trust;

#[cfg(feature = "rustls")]
pub use classify::rustls_error;
pub use classify::{describe_connect, describe_tls, io_error, is_dns_failure, is_tls};
pub use proxy::{Proxy, ProxyRules, ProxySetting};
pub use rustls_pki_types::CertificateDer;
pub use settings::{ClientBuilder, ClientOptions, ClientSettings, Connect};
#[cfg(feature = "rustls")]
pub use trust::rustls_config;
pub use trust::{ENV_CA_BUNDLE, RootSource, TrustedRoots};

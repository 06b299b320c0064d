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
#![cfg_attr(docsrs, feature(doc_cfg))]

mod classify;
mod proxy;
mod settings;
mod trust;

#[cfg(test)]
mod test_env;

#[cfg(feature = "rustls")]
pub use classify::rustls_error;
pub use classify::{describe_connect, describe_tls, io_error, is_dns_failure, is_tls};
pub use proxy::{Proxy, ProxyRules, ProxySetting};
pub use rustls_pki_types::CertificateDer;
pub use settings::{ClientBuilder, ClientOptions, ClientSettings, Connect};
#[cfg(feature = "rustls")]
pub use trust::rustls_config;
pub use trust::{ENV_CA_BUNDLE, RootSource, TrustedRoots};

/// The methods both transport clients have that do not move bytes — construction from
/// settings, the cheap copies with other per-call limits, the getters — written once for
/// `aqr_ureq::Client` and `aqr_reqwest::Client`. The client type must have a field
/// `inner: Arc<aqr_core::Client<_>>` and a constructor `from_parts(ClientSettings, $sender)`;
/// `$sender` must have `new(&ClientSettings) -> Result<Self, TransportError>`.
#[doc(hidden)]
#[macro_export]
macro_rules! transport_client_common {
    ($client:ident, $sender:ty) => {
        impl $client {
            /// A builder: credentials, time limits, retries, proxy, trusted roots.
            #[must_use]
            pub fn builder() -> $crate::ClientBuilder<$client> {
                $crate::ClientBuilder::new()
            }

            /// A client for `config` with the defaults for everything else.
            ///
            /// # Errors
            /// [`aqr_core::Error::Invalid`] when `AQR_CA_BUNDLE` or a proxy variable of the
            /// environment is invalid; [`aqr_core::Error::Transport`] when the HTTP library
            /// cannot be set up.
            pub fn new(config: aqr_core::Config) -> Result<Self, aqr_core::Error> {
                $client::builder().config(config).build()
            }

            /// A client configured from the environment: `AQR_DEVELOPER_TOKEN`,
            /// `AQR_EMAIL`, `AQR_BASE_URL`, `AQR_CA_BUNDLE` and the proxy variables.
            ///
            /// # Errors
            /// [`aqr_core::Error::Invalid`] naming the missing or invalid setting.
            pub fn from_env() -> Result<Self, aqr_core::Error> {
                $client::builder().build()
            }

            /// A copy with other time limits for its calls, sharing this client's
            /// connection pool (the connect limit stays the pool's).
            #[must_use]
            pub fn with_timeouts(&self, timeouts: aqr_core::Timeouts) -> Self {
                $client {
                    inner: ::std::sync::Arc::new((*self.inner).clone().with_timeouts(timeouts)),
                }
            }

            /// A copy with another retry policy, sharing this client's connection pool.
            #[must_use]
            pub fn with_retry_policy(&self, retry: aqr_core::RetryPolicy) -> Self {
                $client {
                    inner: ::std::sync::Arc::new((*self.inner).clone().with_retry_policy(retry)),
                }
            }

            /// The configuration (credentials, endpoint, dialect).
            #[must_use]
            pub fn config(&self) -> &aqr_core::Config {
                self.inner.config()
            }

            /// The time limits of each call.
            #[must_use]
            pub fn timeouts(&self) -> &aqr_core::Timeouts {
                self.inner.timeouts()
            }

            /// The retry policy.
            #[must_use]
            pub fn retry_policy(&self) -> &aqr_core::RetryPolicy {
                self.inner.retry_policy()
            }

            /// The sender (for the HTTP library's client).
            #[must_use]
            pub fn sender(&self) -> &$sender {
                &self.inner.driver().sender
            }
        }

        impl $crate::Connect for $client {
            fn connect(settings: $crate::ClientSettings) -> Result<Self, aqr_core::Error> {
                let sender = <$sender>::new(&settings)?;
                Ok($client::from_parts(settings, sender))
            }
        }
    };
}

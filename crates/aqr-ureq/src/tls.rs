//! The TLS half of the agent: the SDK's trusted roots and the TLS library the features
//! chose (native-tls wins when both are enabled, as in every AQR client).

use aqr_net::TrustedRoots;
use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
compile_error!(
    "aqr-ureq needs a TLS library: enable the `rustls` feature (the default) or `native-tls`"
);

/// The TLS configuration of an agent that trusts `roots`.
pub(crate) fn config(roots: &TrustedRoots) -> TlsConfig {
    let (all, _) = roots.all();
    let certs: Vec<Certificate<'static>> = all
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    let builder = TlsConfig::builder()
        .root_certs(RootCerts::new_with_certs(&certs))
        .provider(provider());
    #[cfg(feature = "rustls")]
    let builder = builder.unversioned_rustls_crypto_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ));
    builder.build()
}

#[cfg(feature = "native-tls")]
fn provider() -> TlsProvider {
    TlsProvider::NativeTls
}

#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn provider() -> TlsProvider {
    TlsProvider::Rustls
}

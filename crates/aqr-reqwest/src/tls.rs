//! The TLS half of the `reqwest::Client`: the SDK's trusted roots and the TLS library the
//! features chose (native-tls wins when both are enabled, as in every AQR client).

use aqr_core::TransportError;
use aqr_net::TrustedRoots;
use reqwest::ClientBuilder;

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
compile_error!(
    "aqr-reqwest needs a TLS library: enable the `rustls` feature (the default) or `native-tls`"
);

/// `builder` with TLS that trusts `roots` (a rustls configuration with the ring provider,
/// handed over whole: reqwest never picks a process-wide provider).
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
pub(crate) fn configure(
    builder: ClientBuilder,
    roots: &TrustedRoots,
) -> Result<ClientBuilder, TransportError> {
    let config = aqr_net::rustls_config(roots).map_err(|e| {
        TransportError::new(
            aqr_core::TransportErrorKind::Other,
            false,
            format!("the TLS configuration was refused: {e}"),
        )
    })?;
    Ok(builder.tls_backend_preconfigured((*config).clone()))
}

/// `builder` with the platform's TLS library, trusting exactly `roots`.
#[cfg(feature = "native-tls")]
pub(crate) fn configure(
    builder: ClientBuilder,
    roots: &TrustedRoots,
) -> Result<ClientBuilder, TransportError> {
    let (all, _) = roots.all();
    let certs = all
        .iter()
        .filter_map(|der| reqwest::Certificate::from_der(der.as_ref()).ok());
    Ok(builder.tls_backend_native().tls_certs_only(certs))
}

//! Reading a failure the way every transport must: was it TLS, did the name resolve.
//! HTTP libraries wrap these deep in their error chains (often inside `io::Error`s, whose
//! `source` skips the wrapped error), so the chain is walked through both.

use std::error::Error as StdError;
use std::io;

use crate::proxy::Proxy;

/// Every error in the chain of `error`, itself first, opening `io::Error` wrappers too.
fn chain<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(error);
    while let Some(current) = next {
        if out.len() > 32 {
            break;
        }
        out.push(current);
        next = current
            .downcast_ref::<io::Error>()
            .and_then(|e| e.get_ref())
            .map(|inner| inner as &(dyn StdError + 'static))
            .or_else(|| current.source());
    }
    out
}

/// Whether a TLS library's own error is in the chain (a failed handshake or
/// certificate check).
#[must_use]
pub fn is_tls(error: &(dyn StdError + 'static)) -> bool {
    chain(error).into_iter().any(is_tls_library_error)
}

#[allow(unused_variables)]
fn is_tls_library_error(error: &(dyn StdError + 'static)) -> bool {
    #[cfg(feature = "rustls")]
    if error.is::<rustls::Error>() {
        return true;
    }
    #[cfg(feature = "native-tls")]
    if error.is::<native_tls::Error>() {
        return true;
    }
    false
}

/// The rustls error in the chain, if any (to say *why* a handshake failed).
#[cfg(feature = "rustls")]
#[must_use]
pub fn rustls_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    chain(error)
        .into_iter()
        .find_map(|e| e.downcast_ref::<rustls::Error>())
}

/// The first `io::Error` in the chain with an OS error code or a telling kind (to say
/// "connection refused" and to hand Python its `errno`).
#[must_use]
pub fn io_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a io::Error> {
    chain(error)
        .into_iter()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .find(|e| e.raw_os_error().is_some() || e.kind() != io::ErrorKind::Other)
}

/// Whether the chain says a host name did not resolve (getaddrinfo's messages, as the
/// standard library and hyper report them).
#[must_use]
pub fn is_dns_failure(error: &(dyn StdError + 'static)) -> bool {
    const SIGNS: [&str; 6] = [
        "failed to lookup address",
        "dns error",
        "name or service not known",
        "temporary failure in name resolution",
        "no address associated with hostname",
        "nodename nor servname provided",
    ];
    chain(error).into_iter().any(|e| {
        let text = e.to_string().to_ascii_lowercase();
        SIGNS.iter().any(|sign| text.contains(sign))
    })
}

/// What a failed connection attempt means, in the SDK's words: the name did not resolve,
/// the connection was refused, … — saying so when it was the proxy that failed.
#[must_use]
pub fn describe_connect(
    error: &(dyn StdError + 'static),
    host: &str,
    proxy: Option<&Proxy>,
) -> String {
    let peer = proxy.map_or_else(|| host.to_owned(), |p| format!("the proxy {p}"));
    if is_dns_failure(error) {
        return match proxy {
            Some(p) => format!("the proxy's host name {} did not resolve", p.host()),
            None => format!("the host name {host} did not resolve"),
        };
    }
    match io_error(error).map(io::Error::kind) {
        Some(io::ErrorKind::ConnectionRefused) => format!("{peer} refused the connection"),
        Some(
            io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown,
        ) => format!("{peer} is unreachable from this machine"),
        _ => format!("could not connect to {peer}"),
    }
}

/// Why a TLS handshake with `host` failed, in the SDK's words.
#[must_use]
pub fn describe_tls(error: &(dyn StdError + 'static), host: &str) -> String {
    #[cfg(feature = "rustls")]
    if let Some(reason) = rustls_error(error) {
        use rustls::{CertificateError, Error};
        return match reason {
            Error::InvalidCertificate(CertificateError::UnknownIssuer) => format!(
                "the certificate of {host} is not issued by a trusted authority \
                 (trust its CA with ca_bundle, --ca-cert or AQR_CA_BUNDLE)"
            ),
            Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            ) => format!("the certificate of {host} is not valid for that name"),
            Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. },
            ) => format!("the certificate of {host} has expired"),
            Error::AlertReceived(alert) => {
                format!("{host} refused the TLS handshake (alert {alert:?})")
            }
            Error::InvalidCertificate(other) => {
                format!("the certificate of {host} is invalid ({other:?})")
            }
            _ => format!("the TLS handshake with {host} failed"),
        };
    }
    let _ = error;
    format!("the TLS handshake with {host} failed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapper(io::Error);
    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("error sending request")
        }
    }
    impl StdError for Wrapper {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn walks_through_io_wrappers() {
        let dns = Wrapper(io::Error::other(
            "failed to lookup address information: Name or service not known",
        ));
        assert!(is_dns_failure(&dns));
        let refused = Wrapper(io::Error::from(io::ErrorKind::ConnectionRefused));
        assert!(!is_dns_failure(&refused));
        assert_eq!(
            io_error(&refused).map(io::Error::kind),
            Some(io::ErrorKind::ConnectionRefused)
        );
        assert!(!is_tls(&refused));
    }

    #[cfg(feature = "rustls")]
    #[test]
    fn finds_rustls_inside_io() {
        let tls = Wrapper(io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ));
        assert!(is_tls(&tls));
        assert!(rustls_error(&tls).is_some());
    }
}

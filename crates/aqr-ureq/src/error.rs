//! Mapping ureq's errors to the core's transport error kinds.

use std::io;

use aqr_core::{TransportError, TransportErrorKind};
use ureq::Error;
use ureq::Timeout;

/// Where the exchange was when the error happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Connecting, sending the request or waiting for the response head.
    Exchange,
    /// Reading the response body: the request was certainly sent.
    Body,
}

/// The core's view of a ureq error: its kind and whether the request may have been sent.
pub(crate) fn map_error(error: Error, phase: Phase) -> TransportError {
    let message = error.to_string();
    let sent_if_unknown = true;
    let mapped = match &error {
        Error::Timeout(timeout) => {
            let sent = phase == Phase::Body || !is_before_send(*timeout);
            TransportError::timeout(sent, message)
        }
        Error::HostNotFound | Error::ConnectionFailed | Error::ConnectProxyFailed(_) => {
            TransportError::connect(message)
        }
        Error::Io(io) if is_tls(io) => TransportError::tls(message),
        Error::Io(io) if phase == Phase::Exchange && is_connect_failure(io) => {
            TransportError::connect(message)
        }
        Error::Io(io) if io.kind() == io::ErrorKind::TimedOut => {
            TransportError::timeout(sent_if_unknown, message)
        }
        Error::Io(_) => TransportError::io(sent_if_unknown, message),
        Error::Tls(_) | Error::TlsRequired => TransportError::tls(message),
        #[cfg(feature = "rustls")]
        Error::Rustls(_) | Error::Pem(_) => TransportError::tls(message),
        #[cfg(feature = "native-tls")]
        Error::NativeTls(_) | Error::Der(_) => TransportError::tls(message),
        // Refused before any byte was written.
        Error::BadUri(_) | Error::Http(_) | Error::InvalidProxyUrl | Error::RequireHttpsOnly(_) => {
            TransportError::new(TransportErrorKind::Other, false, message)
        }
        Error::Protocol(_) | Error::LargeResponseHeader(..) => {
            TransportError::io(sent_if_unknown, message)
        }
        _ => TransportError::new(TransportErrorKind::Other, sent_if_unknown, message),
    };
    mapped.with_source(error)
}

/// Timeouts of the phases before the first request byte is written.
fn is_before_send(timeout: Timeout) -> bool {
    matches!(timeout, Timeout::Resolve | Timeout::Connect)
}

/// Whether the I/O error wraps a TLS library's error (a failed handshake).
fn is_tls(error: &io::Error) -> bool {
    let mut inner = error.get_ref();
    while let Some(current) = inner {
        #[cfg(feature = "rustls")]
        if current.is::<rustls::Error>() {
            return true;
        }
        #[cfg(feature = "native-tls")]
        if current.is::<native_tls::Error>() {
            return true;
        }
        inner = current
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref);
    }
    false
}

/// I/O errors that mean no connection was established.
fn is_connect_failure(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io_error(kind: io::ErrorKind) -> Error {
        Error::Io(io::Error::from(kind))
    }

    #[test]
    fn connect_phase_failures_are_not_sent() {
        for error in [
            Error::HostNotFound,
            Error::ConnectionFailed,
            Error::Timeout(Timeout::Connect),
            Error::Timeout(Timeout::Resolve),
            io_error(io::ErrorKind::ConnectionRefused),
        ] {
            let mapped = map_error(error, Phase::Exchange);
            assert!(!mapped.may_have_been_sent(), "{mapped}");
        }
        assert_eq!(
            map_error(Error::HostNotFound, Phase::Exchange).kind(),
            TransportErrorKind::Connect
        );
        assert_eq!(
            map_error(Error::Timeout(Timeout::Connect), Phase::Exchange).kind(),
            TransportErrorKind::Timeout
        );
    }

    #[test]
    fn later_failures_may_have_been_sent() {
        for (error, kind) in [
            (Error::Timeout(Timeout::Global), TransportErrorKind::Timeout),
            (
                Error::Timeout(Timeout::RecvResponse),
                TransportErrorKind::Timeout,
            ),
            (
                io_error(io::ErrorKind::ConnectionReset),
                TransportErrorKind::Io,
            ),
            (
                io_error(io::ErrorKind::UnexpectedEof),
                TransportErrorKind::Io,
            ),
        ] {
            let mapped = map_error(error, Phase::Exchange);
            assert!(mapped.may_have_been_sent(), "{mapped}");
            assert_eq!(mapped.kind(), kind);
        }
    }

    #[test]
    fn body_phase_is_always_sent() {
        let mapped = map_error(io_error(io::ErrorKind::ConnectionRefused), Phase::Body);
        assert!(mapped.may_have_been_sent());
        assert_eq!(mapped.kind(), TransportErrorKind::Io);
        let mapped = map_error(Error::Timeout(Timeout::Connect), Phase::Body);
        assert!(mapped.may_have_been_sent());
    }

    #[test]
    fn tls_errors_are_tls() {
        let mapped = map_error(Error::Tls("bad certificate"), Phase::Exchange);
        assert_eq!(mapped.kind(), TransportErrorKind::Tls);
        assert!(!mapped.may_have_been_sent());
    }
}

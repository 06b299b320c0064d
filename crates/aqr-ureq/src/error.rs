//! Mapping ureq's errors to the core's transport error kinds, with messages that say what
//! happened in the SDK's words (the ureq error is kept as the source).

use std::io;

use aqr_core::{HttpRequest, TransportError, TransportErrorKind};
use aqr_net::{Proxy, describe_connect, describe_tls, is_dns_failure, is_tls};
use ureq::{Error, Timeout};

use crate::interrupt;

/// Where the exchange was when the error happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Connecting, sending the request or waiting for the response head.
    Exchange,
    /// Reading the response body: the request was certainly sent.
    Body,
}

/// What the request was: for messages.
pub(crate) struct Context<'a> {
    host: String,
    proxy: Option<&'a Proxy>,
}

impl<'a> Context<'a> {
    pub(crate) fn of(request: &HttpRequest, proxy: Option<&'a Proxy>) -> Self {
        Context {
            host: request.uri().host().unwrap_or_default().to_owned(),
            proxy,
        }
    }
}

/// The core's view of a ureq error: its kind, whether the request may have been sent, and
/// a message.
pub(crate) fn map_error(error: Error, phase: Phase, context: &Context<'_>) -> TransportError {
    let host = &context.host;
    let proxy = context.proxy;
    if let Error::Io(io) = &error
        && let Some(sent) = interrupt::stopped_in(io)
    {
        // No source: ureq's error only repeats the stop ("io: the call was stopped …"),
        // and the core adds whether the request may have been processed.
        return if sent || phase == Phase::Body {
            TransportError::io(
                true,
                "the call was stopped while it waited for the response",
            )
        } else {
            TransportError::connect("the call was stopped before its request was sent")
        };
    }
    let mapped = match &error {
        _ if phase == Phase::Body => match &error {
            Error::Timeout(_) => {
                TransportError::timeout(true, "the response body did not arrive in time")
            }
            Error::Io(io) if io.kind() == io::ErrorKind::TimedOut => {
                TransportError::timeout(true, "the response body did not arrive in time")
            }
            _ => TransportError::io(true, "the connection failed while the response was read"),
        },
        Error::Timeout(timeout) if is_before_send(*timeout) => {
            TransportError::timeout(false, "no connection was made in time")
        }
        Error::Timeout(_) => TransportError::timeout(true, "no response in time"),
        Error::HostNotFound => TransportError::connect(describe_connect(&error, host, proxy)),
        Error::ConnectProxyFailed(reason) => {
            let proxy = proxy.map_or_else(|| "the proxy".to_owned(), |p| format!("the proxy {p}"));
            TransportError::connect(format!("{proxy} refused the tunnel to {host} ({reason})"))
        }
        Error::Io(io) if is_tls(io) => TransportError::tls(describe_tls(io, host)),
        Error::Io(io) if is_dns_failure(io) || is_connect_failure(io) => {
            TransportError::connect(describe_connect(io, host, proxy))
        }
        Error::Io(io) if io.kind() == io::ErrorKind::TimedOut => {
            TransportError::timeout(true, "no response in time")
        }
        Error::Io(_) | Error::Protocol(_) | Error::LargeResponseHeader(..) => {
            TransportError::io(true, "the connection failed before a complete response")
        }
        Error::Tls(_) | Error::TlsRequired => TransportError::tls(describe_tls(&error, host)),
        #[cfg(feature = "rustls")]
        Error::Rustls(_) | Error::Pem(_) => TransportError::tls(describe_tls(&error, host)),
        #[cfg(feature = "native-tls")]
        Error::NativeTls(_) | Error::Der(_) => TransportError::tls(describe_tls(&error, host)),
        // Refused before any byte was written.
        Error::BadUri(_) | Error::Http(_) | Error::InvalidProxyUrl | Error::RequireHttpsOnly(_) => {
            TransportError::new(
                TransportErrorKind::Other,
                false,
                "the request could not be sent",
            )
        }
        _ => TransportError::new(TransportErrorKind::Other, true, "the HTTP library failed"),
    };
    mapped.with_source(error)
}

/// Timeouts of the phases before the first request byte is written.
fn is_before_send(timeout: Timeout) -> bool {
    matches!(timeout, Timeout::Resolve | Timeout::Connect)
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

    fn context() -> Context<'static> {
        Context {
            host: "aplx.link".to_owned(),
            proxy: None,
        }
    }

    fn io_error(kind: io::ErrorKind) -> Error {
        Error::Io(io::Error::from(kind))
    }

    #[test]
    fn connect_phase_failures_are_not_sent() {
        for error in [
            Error::HostNotFound,
            Error::Timeout(Timeout::Connect),
            Error::Timeout(Timeout::Resolve),
            io_error(io::ErrorKind::ConnectionRefused),
            Error::Io(io::Error::other(
                "failed to lookup address information: Name or service not known",
            )),
            Error::ConnectProxyFailed(
                "proxy server responded 407/Proxy Authentication Required".into(),
            ),
        ] {
            let mapped = map_error(error, Phase::Exchange, &context());
            assert!(!mapped.may_have_been_sent(), "{mapped}");
            assert!(mapped.is_connect(), "{mapped}");
        }
        let dns = map_error(
            Error::Io(io::Error::other(
                "failed to lookup address information: Name or service not known",
            )),
            Phase::Exchange,
            &context(),
        );
        assert_eq!(dns.kind(), TransportErrorKind::Connect);
        assert!(dns.message().contains("did not resolve"), "{dns}");
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
            let mapped = map_error(error, Phase::Exchange, &context());
            assert!(mapped.may_have_been_sent(), "{mapped}");
            assert_eq!(mapped.kind(), kind);
        }
    }

    #[test]
    fn body_phase_is_always_sent() {
        let mapped = map_error(
            io_error(io::ErrorKind::ConnectionRefused),
            Phase::Body,
            &context(),
        );
        assert!(mapped.may_have_been_sent());
        assert_eq!(mapped.kind(), TransportErrorKind::Io);
        let mapped = map_error(Error::Timeout(Timeout::Connect), Phase::Body, &context());
        assert!(mapped.may_have_been_sent());
    }

    #[test]
    fn tls_errors_are_tls_and_the_message_is_not_the_source() {
        let mapped = map_error(Error::Tls("bad certificate"), Phase::Exchange, &context());
        assert_eq!(mapped.kind(), TransportErrorKind::Tls);
        assert!(!mapped.may_have_been_sent());
        let source = std::error::Error::source(&mapped).unwrap().to_string();
        assert!(!mapped.message().contains(&source), "{mapped}");
    }
}

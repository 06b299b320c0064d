//! Mapping reqwest's errors to the core's transport error kinds.

use aqr_core::{TransportError, TransportErrorKind};

/// The core's view of an error from sending the request or reading the response head.
///
/// A TLS failure is reported as such (never retried). Another connect error (DNS, TCP,
/// proxy) means nothing was sent, even when it is also a timeout; any other timeout may
/// have happened after the request was written.
pub(crate) fn map_send_error(error: reqwest::Error) -> TransportError {
    let message = describe(&error);
    let mapped = if error.is_connect() && is_tls(&error) {
        TransportError::tls(message)
    } else if error.is_connect() {
        TransportError::connect(message)
    } else if error.is_timeout() {
        TransportError::timeout(true, message)
    } else if error.is_builder() {
        TransportError::new(TransportErrorKind::Other, false, message)
    } else if error.is_request() || error.is_body() {
        TransportError::io(true, message)
    } else {
        TransportError::new(TransportErrorKind::Other, true, message)
    };
    mapped.with_source(error)
}

/// The core's view of an error while reading the response body (the request was sent).
pub(crate) fn map_body_error(error: reqwest::Error) -> TransportError {
    let message = describe(&error);
    let mapped = if error.is_timeout() {
        TransportError::timeout(true, message)
    } else {
        TransportError::io(true, message)
    };
    mapped.with_source(error)
}

/// Whether a TLS library's error is in the chain. reqwest wraps it in `io::Error`s, whose
/// `source` skips the wrapped error, so those are opened with `get_ref`.
fn is_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    is_tls_error(error)
        || error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .is_some_and(|inner| is_tls(inner))
        || error.source().is_some_and(is_tls)
}

/// A TLS library's own error type.
fn is_tls_error(error: &(dyn std::error::Error + 'static)) -> bool {
    #[cfg(feature = "rustls")]
    if error.is::<rustls::Error>() {
        return true;
    }
    #[cfg(feature = "native-tls")]
    if error.is::<native_tls::Error>() {
        return true;
    }
    let _ = error;
    false
}

/// The error and its causes on one line: reqwest's own `Display` is only the outermost
/// ("error sending request for url (..)"). The URL is the endpoint and carries no secret.
fn describe(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

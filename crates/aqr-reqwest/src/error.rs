//! Mapping reqwest's errors to the core's transport error kinds, with messages that say
//! what happened in the SDK's words (the reqwest error is kept as the source).

use aqr_core::{TransportError, TransportErrorKind};
use aqr_net::{Proxy, describe_connect, describe_tls, is_tls};

/// What the request was: for messages.
pub(crate) struct Context<'a> {
    pub(crate) host: &'a str,
    pub(crate) proxy: Option<&'a Proxy>,
}

/// The core's view of an error from sending the request or reading the response head.
///
/// A TLS failure is reported as such (never retried). Another connect error (DNS, TCP,
/// proxy) means nothing was sent; a connect-phase timeout too. Any other timeout may have
/// happened after the request was written.
pub(crate) fn map_send_error(error: reqwest::Error, context: &Context<'_>) -> TransportError {
    let host = context.host;
    let mapped = if error.is_connect() && is_tls(&error) {
        TransportError::tls(describe_tls(&error, host))
    } else if error.is_connect() && error.is_timeout() {
        TransportError::timeout(false, "no connection was made in time")
    } else if error.is_connect() && is_proxy_refusal(&error) {
        let proxy = context
            .proxy
            .map_or_else(|| "the proxy".to_owned(), |p| format!("the proxy {p}"));
        TransportError::connect(format!("{proxy} refused the tunnel to {host}"))
    } else if error.is_connect() {
        TransportError::connect(describe_connect(&error, host, context.proxy))
    } else if error.is_timeout() {
        TransportError::timeout(true, "no response in time")
    } else if error.is_builder() {
        TransportError::new(
            TransportErrorKind::Other,
            false,
            "the request could not be sent",
        )
    } else if error.is_request() || error.is_body() {
        TransportError::io(true, "the connection failed before a complete response")
    } else {
        TransportError::new(TransportErrorKind::Other, true, "the HTTP library failed")
    };
    mapped.with_source(error)
}

/// The core's view of an error while reading the response body (the request was sent).
pub(crate) fn map_body_error(error: reqwest::Error) -> TransportError {
    let mapped = if error.is_timeout() {
        TransportError::timeout(true, "the response body did not arrive in time")
    } else {
        TransportError::io(true, "the connection failed while the response was read")
    };
    mapped.with_source(error)
}

/// Whether the proxy answered the CONNECT with an error status (hyper-util's tunnel
/// errors: "unsuccessful tunnel", "proxy authorization required", …).
fn is_proxy_refusal(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(current) = next {
        let text = current.to_string().to_ascii_lowercase();
        if text.contains("underlying connection") {
            return false;
        }
        if text.contains("tunnel") || text.contains("proxy auth") {
            return true;
        }
        next = current.source();
    }
    false
}

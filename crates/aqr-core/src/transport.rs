//! What a transport implements: send one request, and (for retries) sleep.

use std::future::Future;
use std::time::Duration;

use crate::error::TransportError;
use crate::retry::random_jitter;
use crate::vocabulary::{HttpRequest, HttpResponse};

/// Sends one request and returns the whole response, blocking the thread.
///
/// Implementations must not follow redirects, must read at most
/// [`crate::ResponseLimit::of`] bytes of body, must end the exchange when the request's
/// [`crate::AttemptTimeout`] elapses (with a timeout error), and must map every failure to
/// a [`TransportError`] that says whether the request may have been sent.
/// Closures `Fn(HttpRequest) -> Result<HttpResponse, TransportError>` implement it.
pub trait BlockingSender {
    /// Performs one HTTP exchange.
    ///
    /// # Errors
    /// A [`TransportError`] when no complete response was received.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl<F> BlockingSender for F
where
    F: Fn(HttpRequest) -> Result<HttpResponse, TransportError>,
{
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request)
    }
}

/// Sends one request asynchronously; the same contract as [`BlockingSender`].
/// The future is `Send` so that calls work inside `tokio::spawn`.
/// Closures returning such a future implement it.
pub trait AsyncSender: Send + Sync {
    /// Performs one HTTP exchange.
    ///
    /// # Errors
    /// A [`TransportError`] when no complete response was received.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;
}

impl<F, Fut> AsyncSender for F
where
    F: Fn(HttpRequest) -> Fut + Send + Sync,
    Fut: Future<Output = Result<HttpResponse, TransportError>> + Send,
{
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        self(request)
    }
}

/// Waits between retries on a blocking client.
pub trait BlockingTimer {
    /// Blocks for `duration`.
    fn sleep(&self, duration: Duration);

    /// A random number in `[0, 1)` that spreads retries of many clients.
    fn jitter(&self) -> f64 {
        random_jitter()
    }
}

/// Waits between retries on an async client.
pub trait AsyncTimer: Send + Sync {
    /// Completes after `duration`.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;

    /// A random number in `[0, 1)` that spreads retries of many clients.
    fn jitter(&self) -> f64 {
        random_jitter()
    }
}

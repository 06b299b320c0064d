//! The sender: one HTTP exchange on a `reqwest::Client`.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use aqr_core::http::Response;
use aqr_core::{
    AsyncSender, AttemptTimeout, HttpRequest, HttpResponse, ResponseLimit, TransportError,
    TransportErrorKind,
};
use aqr_net::{ClientSettings, Proxy, ProxyRules};
use reqwest::redirect;

use crate::error::{Context, map_body_error, map_send_error};
use crate::request::{Endpoint, UrlCache, to_reqwest};
use crate::tls;

/// Sends AQR requests with a [`reqwest::Client`].
///
/// The client never follows redirects (they would forward the token header to another
/// host), uses the SDK's proxy rules and trusted roots, and applies each attempt's time
/// limit. The response body is read chunk by chunk up to the request's [`ResponseLimit`].
/// A client can only be injected as a [`reqwest::ClientBuilder`]
/// ([`ReqwestSender::from_builder`]): a built `reqwest::Client` cannot be checked for its
/// redirect policy, so it is refused.
///
/// [`AsyncSender::send`] hands the request to `reqwest::Client::execute` when it is called,
/// which sets up its timer there and then: call it inside a tokio runtime. (The client's
/// `create`, `delete` and `qr_image` futures call it when first polled, so they can be made
/// anywhere.)
#[derive(Clone)]
pub struct ReqwestSender {
    client: reqwest::Client,
    proxy: Arc<ProxyRules>,
    urls: Arc<UrlCache>,
    /// The time limit the client applies to every request (its builder's `timeout`).
    client_attempt_limit: Duration,
}

impl ReqwestSender {
    /// A sender for `settings`: their time limits, proxy rules and trusted roots.
    ///
    /// # Errors
    /// A transport error when reqwest cannot set up its TLS backend.
    pub fn new(settings: &ClientSettings) -> Result<Self, TransportError> {
        Self::from_builder(reqwest::Client::builder(), settings)
    }

    /// A sender on your `reqwest::ClientBuilder` (pool size, local address, headers, …),
    /// with the SDK's rules set on it before it is built: no redirects, the connect and
    /// attempt limits of `settings`, the SDK's proxy rules and trusted roots.
    ///
    /// # Errors
    /// As [`ReqwestSender::new`].
    pub fn from_builder(
        builder: reqwest::ClientBuilder,
        settings: &ClientSettings,
    ) -> Result<Self, TransportError> {
        let rules = Arc::new(settings.proxy.clone());
        let mut builder = builder
            .connect_timeout(settings.timeouts.connect())
            .timeout(settings.timeouts.attempt())
            .redirect(redirect::Policy::none())
            // The SDK's proxy rules replace reqwest's own reading of the environment.
            .no_proxy();
        // Only when the rules have a proxy: reqwest turns every request's URI back into a
        // URL to ask a custom proxy (about a fifth of a keep-alive call's instructions).
        if !rules.is_empty() {
            let routes = Arc::clone(&rules);
            builder = builder.proxy(reqwest::Proxy::custom(move |url| {
                routes
                    .route_to(url.scheme(), url.host_str()?)
                    .map(|proxy| proxy.url().to_owned())
            }));
        }
        let client = tls::configure(builder, &settings.roots)?
            .build()
            .map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Other,
                    false,
                    "the HTTP client could not be built",
                )
                .with_source(e)
            })?;
        Ok(ReqwestSender {
            client,
            proxy: rules,
            urls: Arc::default(),
            client_attempt_limit: settings.timeouts.attempt(),
        })
    }

    /// The client requests go through.
    #[must_use]
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

impl fmt::Debug for ReqwestSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestSender")
            .field("client", &self.client)
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl AsyncSender for ReqwestSender {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        // The request is converted and handed to reqwest here (inside the runtime: the core
        // calls this from its own future), so that the future holds only what the exchange
        // needs afterwards: with many calls in flight, every byte of a call's future is
        // memory a poll touches.
        let started = start(self, request);
        async move { receive(started?).await }
    }
}

/// A request handed to reqwest, and what reading its answer needs.
struct Started<'a, P> {
    pending: P,
    endpoint: Arc<Endpoint>,
    proxy: Option<&'a Proxy>,
    limit: usize,
}

/// Converts the request, sets its time limit and starts sending it.
fn start(
    sender: &ReqwestSender,
    request: HttpRequest,
) -> Result<Started<'_, impl Future<Output = reqwest::Result<reqwest::Response>>>, TransportError> {
    let limit = ResponseLimit::of(&request);
    let attempt = AttemptTimeout::of(&request);
    let proxy = sender.proxy.route(request.uri());
    let (mut request, endpoint) = to_reqwest(request, &sender.urls)?;
    // A request's own limit is stored in its extensions (allocations on every call): set
    // only when it is not the limit the client already applies.
    if let Some(limit) = attempt.filter(|&limit| limit != sender.client_attempt_limit) {
        *request.timeout_mut() = Some(limit);
    }
    Ok(Started {
        pending: sender.client.execute(request),
        endpoint,
        proxy,
        limit,
    })
}

/// The rest of one exchange: await the head, check the redirect guard and the declared
/// length, read the body up to the limit.
async fn receive(
    started: Started<'_, impl Future<Output = reqwest::Result<reqwest::Response>>>,
) -> Result<HttpResponse, TransportError> {
    let Started {
        pending,
        endpoint,
        proxy,
        limit,
    } = started;
    let target = endpoint.url();
    let mut response = pending.await.map_err(|e| {
        let context = Context {
            host: target.host_str().unwrap_or_default(),
            proxy,
        };
        map_send_error(e, &context)
    })?;

    if response.url() != target {
        // Not reachable with the redirect policy this crate sets; kept as a guard.
        return Err(TransportError::new(
            TransportErrorKind::Other,
            true,
            "the HTTP client followed a redirect",
        ));
    }
    if response
        .content_length()
        .is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX))
    {
        return Err(TransportError::body_too_large(limit));
    }

    let mut body = Vec::with_capacity(initial_capacity(response.content_length(), limit));
    while let Some(chunk) = response.chunk().await.map_err(map_body_error)? {
        if body.len() + chunk.len() > limit {
            return Err(TransportError::body_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }

    let mut http = Response::new(body);
    *http.status_mut() = response.status();
    *http.version_mut() = response.version();
    *http.headers_mut() = std::mem::take(response.headers_mut());
    Ok(http)
}

/// Room for the declared length (already checked against the limit), or a small buffer.
fn initial_capacity(content_length: Option<u64>, limit: usize) -> usize {
    content_length
        .and_then(|length| usize::try_from(length).ok())
        .map_or(1024, |length| length.min(limit))
}

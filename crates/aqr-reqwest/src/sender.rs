//! The sender: one HTTP exchange on a `reqwest::Client`.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use aqr_core::http::Response;
use aqr_core::{
    AsyncSender, HttpRequest, HttpResponse, ResponseLimit, Timeouts, TransportError,
    TransportErrorKind,
};
use reqwest::redirect;

use crate::error::{map_body_error, map_send_error};
use crate::request::{UrlCache, to_reqwest};

/// Sends AQR requests with a [`reqwest::Client`].
///
/// The default client never follows redirects (they would forward the token header to
/// another host), times out, and verifies TLS. The response body is read chunk by chunk
/// up to the request's [`ResponseLimit`].
///
/// # Injecting a client
/// `reqwest` sets its redirect policy per client, so a client you pass with
/// [`From<reqwest::Client>`] **must** be built with
/// `.redirect(reqwest::redirect::Policy::none())`, and should set `connect_timeout` and
/// `timeout`. A 3xx response is then handed to the core, which reports it as an error
/// without following it. Should a client follow a redirect anyway, the call fails with a
/// transport error instead of returning the redirected answer.
#[derive(Clone)]
pub struct ReqwestSender {
    client: Result<reqwest::Client, Arc<reqwest::Error>>,
    urls: Arc<UrlCache>,
}

impl ReqwestSender {
    /// A sender with the given timeouts and the other safe defaults (see [`Default`]).
    ///
    /// Should the TLS backend fail to initialise, every request fails with a transport
    /// error that says so; use [`ReqwestSender::try_with_timeouts`] to see it up front.
    #[must_use]
    pub fn with_timeouts(timeouts: Timeouts) -> Self {
        Self::try_with_timeouts(timeouts).unwrap_or_else(|e| ReqwestSender {
            client: Err(Arc::new(e)),
            urls: Arc::default(),
        })
    }

    /// A sender with the given timeouts and the other safe defaults.
    ///
    /// # Errors
    /// The [`reqwest::Error`] of [`reqwest::ClientBuilder::build`] (the TLS backend could
    /// not be initialised).
    pub fn try_with_timeouts(timeouts: Timeouts) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.attempt)
            .redirect(redirect::Policy::none())
            .build()?;
        Ok(ReqwestSender::from(client))
    }

    /// The client requests go through (`None` when building the default one failed).
    #[must_use]
    pub fn client(&self) -> Option<&reqwest::Client> {
        self.client.as_ref().ok()
    }
}

/// Connect timeout 5 s, 30 s per attempt including the body, no redirects, the system
/// proxy, the crate's TLS backend with verification on.
impl Default for ReqwestSender {
    fn default() -> Self {
        ReqwestSender::with_timeouts(Timeouts::DEFAULT)
    }
}

/// Uses your client (its pool, timeouts, proxy, TLS roots). It must not follow redirects:
/// see [`ReqwestSender`].
impl From<reqwest::Client> for ReqwestSender {
    fn from(client: reqwest::Client) -> Self {
        ReqwestSender {
            client: Ok(client),
            urls: Arc::default(),
        }
    }
}

impl fmt::Debug for ReqwestSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestSender")
            .field("client", &self.client)
            .finish()
    }
}

impl AsyncSender for ReqwestSender {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        send(
            self.client.as_ref().map_err(Arc::clone),
            &self.urls,
            request,
        )
    }
}

/// One exchange: send, check the redirect guard and the declared length, read the body
/// up to the limit.
async fn send(
    client: Result<&reqwest::Client, Arc<reqwest::Error>>,
    urls: &UrlCache,
    request: HttpRequest,
) -> Result<HttpResponse, TransportError> {
    let client = client.map_err(|e| {
        TransportError::new(
            TransportErrorKind::Other,
            false,
            format!("the HTTP client could not be built: {e}"),
        )
    })?;
    let limit = ResponseLimit::of(&request);
    let request = to_reqwest(request, urls)?;
    let target = request.url().clone();
    let mut response = client.execute(request).await.map_err(map_send_error)?;

    if *response.url() != target {
        return Err(TransportError::new(
            TransportErrorKind::Other,
            true,
            format!(
                "the reqwest client followed a redirect to {}; build it with \
                 redirect::Policy::none()",
                response.url()
            ),
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

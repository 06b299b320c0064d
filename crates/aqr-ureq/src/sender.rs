//! The sender: one HTTP exchange on a `ureq::Agent`.

use std::fmt;

use aqr_core::{
    BlockingSender, HttpRequest, HttpResponse, ResponseLimit, Timeouts, TransportError,
};
use ureq::Agent;
use ureq::unversioned::transport::DefaultConnector;

use crate::resolver::LiteralFirstResolver;

use crate::error::{Phase, map_error};

/// Sends AQR requests with a [`ureq::Agent`].
///
/// Whatever the agent's configuration, every request is sent with
/// `http_status_as_error(false)` (error bodies reach the parser) and `max_redirects(0)`
/// (a redirect is returned, never followed: it would forward the token). The response
/// body is read up to the request's [`ResponseLimit`]. Timeouts, proxy and TLS come from
/// the agent.
#[derive(Clone)]
pub struct UreqSender {
    agent: Agent,
}

impl UreqSender {
    /// A sender with the given timeouts and the other safe defaults (see [`Default`]).
    #[must_use]
    pub fn with_timeouts(timeouts: Timeouts) -> Self {
        let config = Agent::config_builder()
            .timeout_connect(Some(timeouts.connect))
            .timeout_global(Some(timeouts.attempt))
            .http_status_as_error(false)
            .max_redirects(0)
            .build();
        // IP-literal hosts (the mock, local proxies) skip ureq's per-request resolver
        // thread; host names resolve exactly as with `Agent::new_with_config`.
        let agent = Agent::with_parts(
            config,
            DefaultConnector::default(),
            LiteralFirstResolver::default(),
        );
        UreqSender { agent }
    }

    /// The agent requests go through.
    #[must_use]
    pub fn agent(&self) -> &Agent {
        &self.agent
    }
}

/// Connect timeout 5 s, 30 s per attempt including the body, no redirects, proxy from the
/// environment, the crate's TLS backend with verification on.
impl Default for UreqSender {
    fn default() -> Self {
        UreqSender::with_timeouts(Timeouts::DEFAULT)
    }
}

/// Uses your agent (its timeouts, proxy, TLS roots). Status-as-error and redirects are
/// still switched off per request.
impl From<Agent> for UreqSender {
    fn from(agent: Agent) -> Self {
        UreqSender { agent }
    }
}

impl fmt::Debug for UreqSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqSender")
            .field("agent", &self.agent)
            .finish()
    }
}

impl BlockingSender for UreqSender {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let limit = ResponseLimit::of(&request);
        let config = self.agent.config();
        // A proxy from the environment cannot reach a server on this machine (the mock).
        let bypass_proxy = config.proxy().is_some()
            && request.uri().host().is_some_and(aqr_core::is_loopback_host);
        // A per-request configuration costs a copy of the agent's; the default agent
        // already has the right settings, an injected one may not.
        let request =
            if config.http_status_as_error() || config.max_redirects() != 0 || bypass_proxy {
                let mut builder = self
                    .agent
                    .configure_request(request)
                    .http_status_as_error(false)
                    .max_redirects(0);
                if bypass_proxy {
                    builder = builder.proxy(None);
                }
                builder.build()
            } else {
                request
            };
        let response = self
            .agent
            .run(request)
            .map_err(|e| map_error(e, Phase::Exchange))?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => TransportError::body_too_large(limit),
                other => map_error(other, Phase::Body),
            })?;
        Ok(aqr_core::http::Response::from_parts(parts, bytes))
    }
}

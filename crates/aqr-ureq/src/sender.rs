//! The sender: one HTTP exchange on a `ureq::Agent`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aqr_core::{
    AttemptTimeout, BlockingSender, HttpRequest, HttpResponse, ResponseLimit, TransportError,
};
use aqr_net::{ClientSettings, Proxy, ProxyRules};
use ureq::Agent;

use crate::connector::StoppableConnector;
use crate::error::{Context, Phase, map_error};
use crate::interrupt;
use crate::resolver::LiteralFirstResolver;
use crate::tls;

/// Idle connections kept per host for reuse.
const IDLE_CONNECTIONS_PER_HOST: usize = 32;

/// Sends AQR requests with a [`ureq::Agent`].
///
/// Every request is sent with `http_status_as_error(false)` (error bodies reach the
/// parser), `max_redirects(0)` (a redirect is returned, never followed: it would forward
/// the token), the attempt's time limit, and the proxy the SDK's rules choose. The
/// response body is read up to the request's [`ResponseLimit`].
#[derive(Clone)]
pub struct UreqSender {
    agent: Agent,
    routes: Arc<Routes>,
    connect: Duration,
    /// An agent the user built: its settings are overridden per request.
    injected: bool,
}

/// The proxy rules, with each proxy already in ureq's form.
struct Routes {
    rules: ProxyRules,
    proxies: Vec<(Proxy, ureq::Proxy)>,
}

impl Routes {
    fn new(rules: ProxyRules) -> Result<Self, TransportError> {
        let mut proxies: Vec<(Proxy, ureq::Proxy)> = Vec::new();
        for proxy in rules.proxies().cloned().collect::<Vec<_>>() {
            if proxies.iter().any(|(known, _)| *known == proxy) {
                continue;
            }
            let converted = ureq::Proxy::new(proxy.url()).map_err(|_| {
                TransportError::connect(format!("the proxy {proxy} cannot be used"))
            })?;
            proxies.push((proxy, converted));
        }
        Ok(Routes { rules, proxies })
    }

    fn route(&self, request: &HttpRequest) -> Option<&(Proxy, ureq::Proxy)> {
        let chosen = self.rules.route(request.uri())?;
        self.proxies.iter().find(|(proxy, _)| proxy == chosen)
    }
}

impl UreqSender {
    /// A sender for `settings`: their time limits, proxy rules and trusted roots.
    ///
    /// # Errors
    /// A transport error when a proxy cannot be used by ureq.
    pub fn new(settings: &ClientSettings) -> Result<Self, TransportError> {
        let config = Agent::config_builder()
            .timeout_connect(Some(settings.timeouts.connect()))
            .timeout_global(Some(settings.timeouts.attempt()))
            .http_status_as_error(false)
            .max_redirects(0)
            // A client is shared by many threads (a CLI import runs 16): keep a
            // connection for each of them instead of ureq's default of 3.
            .max_idle_connections_per_host(IDLE_CONNECTIONS_PER_HOST)
            .max_idle_connections(IDLE_CONNECTIONS_PER_HOST * 2)
            // The SDK's proxy rules are applied per request (`Routes`).
            .proxy(None)
            .tls_config(tls::config(&settings.roots))
            .build();
        // IP-literal hosts (the mock, local proxies) skip ureq's per-request resolver
        // thread; host names resolve exactly as with `Agent::new_with_config`. Both the
        // connector and the resolver are ureq's defaults, stoppable (`interrupt`).
        let agent = Agent::with_parts(
            config,
            StoppableConnector::default(),
            LiteralFirstResolver::default(),
        );
        Ok(UreqSender {
            agent,
            routes: Arc::new(Routes::new(settings.proxy.clone())?),
            connect: settings.timeouts.connect(),
            injected: false,
        })
    }

    /// A sender on your agent (its TLS roots, pool and other settings). The SDK's rules
    /// still apply to every request: no redirects, no status-as-error, the SDK's connect
    /// and attempt time limits, and the SDK's proxy rules.
    ///
    /// # Errors
    /// As [`UreqSender::new`].
    pub fn with_agent(agent: Agent, settings: &ClientSettings) -> Result<Self, TransportError> {
        Ok(UreqSender {
            agent,
            routes: Arc::new(Routes::new(settings.proxy.clone())?),
            connect: settings.timeouts.connect(),
            injected: true,
        })
    }

    /// The agent requests go through.
    #[must_use]
    pub fn agent(&self) -> &Agent {
        &self.agent
    }
}

impl fmt::Debug for UreqSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqSender")
            .field("agent", &self.agent)
            .field(
                "proxies",
                &self
                    .routes
                    .proxies
                    .iter()
                    .map(|(p, _)| p)
                    .collect::<Vec<_>>(),
            )
            .field("injected", &self.injected)
            .finish()
    }
}

/// The log target under which ureq records, at TRACE, every byte it writes (request head
/// and body, as hex): the developer token and the form included. ureq cannot be told not
/// to, so the sender refuses to send while that record would be kept.
const RAW_BYTES_TARGET: &str = "ureq_proto::util";

/// Whether the installed logger would keep ureq's raw-bytes records (a single atomic
/// load when TRACE is off, which it normally is).
fn would_log_raw_bytes() -> bool {
    log::log_enabled!(target: RAW_BYTES_TARGET, log::Level::Trace)
}

impl BlockingSender for UreqSender {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if !interrupt::may_send() {
            return Err(TransportError::connect(
                "the call was stopped: no further attempt is sent",
            ));
        }
        if self.injected {
            // The agent's own connector: count the attempt as sent (the safe side).
            interrupt::note_sent();
        }
        if would_log_raw_bytes() {
            return Err(TransportError::new(
                aqr_core::TransportErrorKind::Other,
                false,
                "the request was not sent: the logger keeps TRACE records of `ureq_proto`, \
                 where ureq writes the raw request bytes, the developer token included; \
                 log `ureq_proto` at DEBUG or above (or use the async client)",
            ));
        }
        let limit = ResponseLimit::of(&request);
        let attempt = AttemptTimeout::of(&request);
        let route = self.routes.route(&request);
        let context = Context::of(&request, route.map(|(proxy, _)| proxy));
        let config = self.agent.config();
        let retimed = attempt.is_some_and(|t| config.timeouts().global != Some(t));
        // A per-request configuration costs a copy of the agent's: only when needed.
        let request = if self.injected || route.is_some() || retimed {
            let mut builder = self
                .agent
                .configure_request(request)
                .http_status_as_error(false)
                .max_redirects(0)
                .proxy(route.map(|(_, proxy)| proxy.clone()));
            if let Some(attempt) = attempt {
                builder = builder
                    .timeout_global(Some(attempt))
                    .timeout_connect(Some(self.connect.min(attempt)));
            }
            builder.build()
        } else {
            request
        };
        let response = self
            .agent
            .run(request)
            .map_err(|e| map_error(e, Phase::Exchange, &context))?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => TransportError::body_too_large(limit),
                other => map_error(other, Phase::Body, &context),
            })?;
        Ok(aqr_core::http::Response::from_parts(parts, bytes))
    }
}

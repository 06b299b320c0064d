//! A ureq resolver that answers IP-literal hosts without a lookup.
//!
//! ureq 3 resolves the host on every request, before it looks for a pooled connection,
//! and with a timeout set its default resolver does so on a new thread. For an IP
//! literal (the mock, the local responder, `base_url="http://127.0.0.1:…"`) that is a
//! thread spawn per call for nothing; this resolver returns the address directly and
//! hands host names to ureq's default resolver unchanged.

use std::net::{IpAddr, SocketAddr};

use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// IP literals directly; names through [`DefaultResolver`].
#[derive(Debug, Default)]
pub struct LiteralResolver {
    names: DefaultResolver,
}

impl Resolver for LiteralResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let literal = uri.authority().and_then(|authority| {
            let host = authority
                .host()
                .trim_start_matches('[')
                .trim_end_matches(']');
            let ip = host.parse::<IpAddr>().ok()?;
            let port = authority.port_u16().or_else(|| match uri.scheme_str() {
                Some("https") => Some(443),
                Some("http") => Some(80),
                _ => None,
            })?;
            Some(SocketAddr::new(ip, port))
        });
        match literal {
            Some(address) => {
                let mut addresses = self.empty();
                match addresses.try_push(address) {
                    Ok(()) => Ok(addresses),
                    Err(_) => self.names.resolve(uri, config, timeout),
                }
            }
            None => self.names.resolve(uri, config, timeout),
        }
    }
}

/// aqr-ureq's sender (its configuration: timeouts, no redirects, statuses not errors)
/// on an agent that uses [`LiteralResolver`].
pub fn ureq_sender(timeouts: aqr_core::Timeouts) -> aqr_ureq::UreqSender {
    let defaults = aqr_ureq::UreqSender::with_timeouts(timeouts);
    let agent = ureq::Agent::with_parts(
        defaults.agent().config().clone(),
        ureq::unversioned::transport::DefaultConnector::new(),
        LiteralResolver::default(),
    );
    aqr_ureq::UreqSender::from(agent)
}

//! Name resolution that skips the resolver thread for IP-literal hosts.
//!
//! With any overall timeout set, ureq's default resolver looks every host up on a new
//! thread so that the lookup can be abandoned at the deadline — even `127.0.0.1`, which
//! needs no lookup at all. That thread costs more than the rest of a loopback call. This
//! resolver answers IP literals directly and hands every real host name to ureq's default
//! resolver unchanged (with its timeout). It uses ureq's `unversioned` resolver API, so the
//! workspace pins ureq to one minor version. While a call can be stopped
//! ([`crate::interrupt`]), a lookup runs on a helper thread the call can abandon.

use std::net::{IpAddr, SocketAddr};

use crate::interrupt;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// [`DefaultResolver`], except that IP-literal hosts are answered without a lookup.
#[derive(Debug, Default)]
pub(crate) struct LiteralFirstResolver {
    fallback: DefaultResolver,
}

/// The socket address of `uri` when its host is an IP literal (`127.0.0.1`, `[::1]`).
fn literal_address(uri: &Uri) -> Option<SocketAddr> {
    let authority = uri.authority()?;
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let ip = host.parse::<IpAddr>().ok()?;
    let port = authority.port_u16().or(match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    })?;
    Some(SocketAddr::new(ip, port))
}

impl Resolver for LiteralFirstResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match literal_address(uri) {
            Some(address) => {
                let mut resolved = self.empty();
                resolved.push(address);
                Ok(resolved)
            }
            // With a check installed the lookup runs aside, so that the call can stop.
            None if interrupt::is_watched() => {
                let (uri, config) = (uri.clone(), config.clone());
                interrupt::aside(move || {
                    DefaultResolver::default().resolve(&uri, &config, timeout)
                })?
            }
            None => self.fallback.resolve(uri, config, timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_answered_without_lookup() {
        let at = |s: &str| literal_address(&s.parse::<Uri>().unwrap());
        assert_eq!(
            at("http://127.0.0.1:8080/api/"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(at("https://[::1]/x"), Some("[::1]:443".parse().unwrap()));
        assert_eq!(at("http://10.0.0.1/"), Some("10.0.0.1:80".parse().unwrap()));
        assert_eq!(at("https://aplx.link/api/"), None);
        assert_eq!(at("http://localhost:1/"), None);
    }
}

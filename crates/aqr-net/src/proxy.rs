//! Which proxy a request goes through: the one rule every client follows.
//!
//! - A request to a loopback host (`localhost`, `127.0.0.0/8`, `::1`) never goes through a
//!   proxy: a proxy elsewhere cannot reach this machine's servers, and a local mock must
//!   not see its traffic (token included) relayed.
//! - An explicit proxy ([`ProxySetting::Explicit`]) is used for every other request.
//! - Otherwise the environment decides, as curl does: `https_proxy`/`HTTPS_PROXY` for
//!   `https` URLs, `http_proxy`/`HTTP_PROXY` for `http` URLs, then `all_proxy`/`ALL_PROXY`
//!   (the lower-case name wins when both are set), except for hosts matched by
//!   `no_proxy`/`NO_PROXY` (`*`, host names and their subdomains, IP addresses, CIDR
//!   ranges; comma- or space-separated).
//! - [`ProxySetting::Disabled`] turns proxies off entirely.

use std::fmt;
use std::net::IpAddr;

use aqr_core::http::Uri;
use aqr_core::validate::is_loopback_host;
use aqr_core::{Field, Rule, ValidationError};

/// A proxy server: `http://[user:password@]host[:port]` (or `https://`, the connection to
/// the proxy then being TLS too). The password is never shown by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    url: String,
    scheme: &'static str,
    host: String,
    port: u16,
    user: Option<String>,
}

impl Proxy {
    /// Parses and checks a proxy URL. A URL without a scheme is taken as `http://`.
    ///
    /// # Errors
    /// [`Rule::InvalidUrl`] for `proxy` when it is not an `http(s)://host[:port]` URL (a
    /// SOCKS proxy is not supported), or has a path or query.
    pub fn new(url: &str) -> Result<Self, ValidationError> {
        let invalid = || ValidationError::new(Field::Proxy, Rule::InvalidUrl);
        let url = url.trim();
        if url.is_empty() || url.chars().any(char::is_control) {
            return Err(invalid());
        }
        let full = if url.contains("://") {
            url.to_owned()
        } else {
            format!("http://{url}")
        };
        let uri = Uri::try_from(full.as_str()).map_err(|_| invalid())?;
        let scheme = match uri.scheme_str() {
            Some("http") => "http",
            Some("https") => "https",
            _ => return Err(invalid()),
        };
        if uri
            .path_and_query()
            .is_some_and(|p| p.as_str() != "/" && !p.as_str().is_empty())
        {
            return Err(invalid());
        }
        let authority = uri.authority().ok_or_else(invalid)?;
        let host = authority.host();
        if host.is_empty() {
            return Err(invalid());
        }
        let user = authority
            .as_str()
            .rsplit_once('@')
            .map(|(user, _)| user.split(':').next().unwrap_or_default().to_owned());
        let port = authority
            .port_u16()
            .unwrap_or(if scheme == "https" { 443 } else { 80 });
        Ok(Proxy {
            url: full.trim_end_matches('/').to_owned(),
            scheme,
            host: host.to_owned(),
            port,
            user,
        })
    }

    /// The URL, credentials included: hand it to the HTTP library, never print it.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `http` or `https`.
    #[must_use]
    pub fn scheme(&self) -> &str {
        self.scheme
    }

    /// The proxy's host.
    #[must_use]
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The proxy's port.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// `http://user:****@host:port`: what may be printed.
impl fmt::Display for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.scheme)?;
        if let Some(user) = &self.user {
            write!(f, "{user}:****@")?;
        }
        write!(f, "{}:{}", self.host, self.port)
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proxy({self})")
    }
}

/// Where proxies come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxySetting {
    /// The environment variables (the default).
    #[default]
    FromEnvironment,
    /// This proxy for every request except to loopback hosts.
    Explicit(Proxy),
    /// No proxy at all.
    Disabled,
}

/// The proxy rules resolved once (the environment read when the client is built).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyRules {
    https: Option<Proxy>,
    http: Option<Proxy>,
    no_proxy: NoProxy,
}

impl ProxyRules {
    /// The rules of `setting`, reading the environment through `env` when it says so.
    ///
    /// # Errors
    /// [`Rule::InvalidUrl`] for `proxy` when an explicit proxy or a proxy variable of the
    /// environment is not a usable proxy URL (rather than silently going direct).
    pub fn resolve(
        setting: &ProxySetting,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ValidationError> {
        match setting {
            ProxySetting::Disabled => Ok(ProxyRules::default()),
            ProxySetting::Explicit(proxy) => Ok(ProxyRules {
                https: Some(proxy.clone()),
                http: Some(proxy.clone()),
                no_proxy: NoProxy::default(),
            }),
            ProxySetting::FromEnvironment => {
                let var = |name: &str| {
                    env(&name.to_ascii_lowercase())
                        .or_else(|| env(&name.to_ascii_uppercase()))
                        .filter(|v| !v.trim().is_empty())
                };
                let proxy = |name: &str| var(name).map(|url| Proxy::new(&url)).transpose();
                let all = proxy("all_proxy")?;
                Ok(ProxyRules {
                    https: proxy("https_proxy")?.or_else(|| all.clone()),
                    http: proxy("http_proxy")?.or(all),
                    no_proxy: NoProxy::parse(var("no_proxy").as_deref().unwrap_or_default()),
                })
            }
        }
    }

    /// The proxy a request to `uri` goes through, if any.
    #[must_use]
    pub fn route(&self, uri: &Uri) -> Option<&Proxy> {
        self.route_to(uri.scheme_str()?, uri.host()?)
    }

    /// The proxy a request to `host` over `scheme` goes through, if any.
    #[must_use]
    pub fn route_to(&self, scheme: &str, host: &str) -> Option<&Proxy> {
        if is_loopback_host(host) || self.no_proxy.matches(host) {
            return None;
        }
        match scheme {
            "https" => self.https.as_ref(),
            "http" => self.http.as_ref(),
            _ => None,
        }
    }

    /// Every proxy the rules may choose.
    pub fn proxies(&self) -> impl Iterator<Item = &Proxy> {
        self.https.iter().chain(self.http.iter())
    }

    /// Whether any request could go through a proxy.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.https.is_none() && self.http.is_none()
    }
}

/// The `no_proxy` list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct NoProxy {
    everything: bool,
    names: Vec<String>,
    networks: Vec<(IpAddr, u8)>,
}

impl NoProxy {
    fn parse(list: &str) -> Self {
        let mut out = NoProxy::default();
        for entry in list
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            if entry == "*" {
                out.everything = true;
            } else if let Some(network) = parse_network(entry) {
                out.networks.push(network);
            } else {
                let name = entry.trim_start_matches("*.").trim_start_matches('.');
                // `host:port` entries apply to the host (ports are not distinguished).
                let name = name.rsplit_once(':').map_or(name, |(host, _)| host);
                out.names.push(name.to_ascii_lowercase());
            }
        }
        out
    }

    fn matches(&self, host: &str) -> bool {
        if self.everything {
            return true;
        }
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return self
                .networks
                .iter()
                .any(|(net, bits)| in_network(ip, *net, *bits));
        }
        let host = bare.trim_end_matches('.').to_ascii_lowercase();
        self.names.iter().any(|name| {
            host == *name
                || host
                    .strip_suffix(name.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }
}

/// `10.0.0.0/8`, `::1`, `192.168.1.5` as a network and its prefix length.
fn parse_network(entry: &str) -> Option<(IpAddr, u8)> {
    let (address, bits) = match entry.split_once('/') {
        Some((address, bits)) => (address, Some(bits.parse::<u8>().ok()?)),
        None => (entry, None),
    };
    let ip = address
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((ip, bits))
}

fn in_network(ip: IpAddr, network: IpAddr, bits: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_env::env;

    fn uri(text: &str) -> Uri {
        text.parse().unwrap()
    }

    fn route(rules: &ProxyRules, url: &str) -> Option<String> {
        rules.route(&uri(url)).map(ToString::to_string)
    }

    #[test]
    fn environment_per_scheme_lower_case_first() {
        let rules = ProxyRules::resolve(
            &ProxySetting::FromEnvironment,
            env(&[
                ("HTTPS_PROXY", "http://upper:3128"),
                ("https_proxy", "http://lower:3128"),
                ("ALL_PROXY", "http://all:1"),
            ]),
        )
        .unwrap();
        assert_eq!(
            route(&rules, "https://aplx.link/api/").as_deref(),
            Some("http://lower:3128")
        );
        assert_eq!(
            route(&rules, "http://example.com/").as_deref(),
            Some("http://all:1")
        );
    }

    #[test]
    fn loopback_is_never_proxied() {
        for setting in [
            ProxySetting::Explicit(Proxy::new("http://p:1").unwrap()),
            ProxySetting::FromEnvironment,
        ] {
            let rules = ProxyRules::resolve(&setting, env(&[("ALL_PROXY", "http://p:1")])).unwrap();
            for local in [
                "http://127.0.0.1:8080/api/",
                "https://localhost/",
                "http://[::1]:9/",
                "https://127.5.6.7/",
            ] {
                assert_eq!(route(&rules, local), None, "{local}");
            }
            assert!(route(&rules, "https://aplx.link/").is_some());
        }
    }

    #[test]
    fn no_proxy_names_ips_and_networks() {
        let rules = ProxyRules::resolve(
            &ProxySetting::FromEnvironment,
            env(&[
                ("HTTPS_PROXY", "proxy:3128"),
                (
                    "NO_PROXY",
                    ".corp.example, aplx.link:443 10.0.0.0/8 ::ffff:0:0/96",
                ),
            ]),
        )
        .unwrap();
        for direct in [
            "https://aplx.link/api/",
            "https://APLX.link./api/",
            "https://a.corp.example/",
            "https://corp.example/",
            "https://10.1.2.3/",
        ] {
            assert_eq!(route(&rules, direct), None, "{direct}");
        }
        for proxied in [
            "https://xaplx.link/",
            "https://example.com/",
            "https://11.0.0.1/",
        ] {
            assert_eq!(
                route(&rules, proxied).as_deref(),
                Some("http://proxy:3128"),
                "{proxied}"
            );
        }
        let star = ProxyRules::resolve(
            &ProxySetting::FromEnvironment,
            env(&[("https_proxy", "http://p:1"), ("no_proxy", "*")]),
        )
        .unwrap();
        assert_eq!(route(&star, "https://aplx.link/"), None);
    }

    #[test]
    fn bad_proxies_are_errors_and_passwords_never_show() {
        for bad in [
            "socks5://p:1080",
            "http://",
            "http://p:1/path",
            "ftp://p",
            " ",
        ] {
            let err = Proxy::new(bad).unwrap_err();
            assert_eq!(err.field(), Field::Proxy, "{bad}");
        }
        let err = ProxyRules::resolve(
            &ProxySetting::FromEnvironment,
            env(&[("ALL_PROXY", "socks5://p:1080")]),
        )
        .unwrap_err();
        assert_eq!(err.rule(), Rule::InvalidUrl);
        let proxy = Proxy::new("http://alice:s3cret@proxy.corp:8080").unwrap();
        assert_eq!(proxy.to_string(), "http://alice:****@proxy.corp:8080");
        assert!(!format!("{proxy:?}").contains("s3cret"));
        assert_eq!(proxy.url(), "http://alice:s3cret@proxy.corp:8080");
        assert_eq!(Proxy::new("proxy:3128").unwrap().url(), "http://proxy:3128");
        let disabled =
            ProxyRules::resolve(&ProxySetting::Disabled, env(&[("ALL_PROXY", "http://p:1")]))
                .unwrap();
        assert!(disabled.is_empty());
    }
}

//! Keeping web pages away from the mock: every request must name a loopback `Host`, and
//! an `Origin`, when a browser sends one, must be the mock's own.
//!
//! Programs (the SDK, curl, test suites) send a loopback `Host` and no `Origin`, so they
//! never notice; a suite that reaches the mock under another name (through a proxy that
//! maps it to 127.0.0.1) names it in [`crate::MockOptions::allowed_hosts`]. A page on another site cannot reach the mock through DNS rebinding (its
//! requests carry the attacker's host name) nor through a cross-site form or `fetch`
//! (they carry the page's origin).

use crate::reply::{Failure, Reply};
use hyper::HeaderMap;
use hyper::Uri;
use hyper::header::{HOST, ORIGIN};

/// Who may talk to the mock.
pub(crate) struct Guard {
    /// `http` or `https`.
    scheme: &'static str,
    port: u16,
    /// Host names accepted besides the loopback ones, lower-case.
    allowed_hosts: Vec<String>,
}

impl Guard {
    /// A guard for the mock at `scheme://127.0.0.1:port`, also accepting `allowed_hosts`.
    pub(crate) fn new(scheme: &'static str, port: u16, allowed_hosts: &[String]) -> Guard {
        Guard {
            scheme,
            port,
            allowed_hosts: allowed_hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether `host` (without a port) names the mock.
    fn is_ours(&self, host: &str) -> bool {
        aqr_core::validate::is_loopback_host(host)
            || self
                .allowed_hosts
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(host))
    }

    /// The refusal for a request that did not come from a program on this machine.
    pub(crate) fn check(&self, headers: &HeaderMap) -> Result<(), Reply> {
        if let Some(host) = headers.get(HOST) {
            let ours = host
                .to_str()
                .ok()
                .and_then(|h| h.parse::<hyper::http::uri::Authority>().ok())
                .is_some_and(|authority| self.is_ours(authority.host()));
            if !ours {
                return Err(Reply::fail(
                    Failure::ForbiddenHost,
                    "the Host header must name this machine (127.0.0.1, localhost or [::1]): \
                     the mock answers programs on this machine only",
                    false,
                ));
            }
        }
        if let Some(origin) = headers.get(ORIGIN) {
            let own = origin
                .to_str()
                .ok()
                .and_then(|o| o.parse::<Uri>().ok())
                .is_some_and(|uri| self.is_own_origin(&uri));
            if !own {
                return Err(Reply::fail(
                    Failure::ForbiddenOrigin,
                    "requests from web pages of other origins are refused (send no Origin header)",
                    false,
                ));
            }
        }
        Ok(())
    }

    /// Whether `origin` is the mock's own: its scheme, one of its host names, its port.
    fn is_own_origin(&self, origin: &Uri) -> bool {
        let Some(authority) = origin.authority() else {
            return false;
        };
        let default_port = match origin.scheme_str() {
            Some("http") => 80,
            Some("https") => 443,
            _ => return false,
        };
        origin.scheme_str() == Some(self.scheme)
            && self.is_ours(authority.host())
            && authority.port_u16().unwrap_or(default_port) == self.port
            && origin.path_and_query().is_none_or(|p| p.as_str() == "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(pairs: &[(&str, &str)]) -> Result<(), u16> {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(
                hyper::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        Guard::new("http", 8080, &["aqr.test".to_owned()])
            .check(&headers)
            .map_err(|reply| reply.status.as_u16())
    }

    #[test]
    fn loopback_hosts_and_own_origins_pass() {
        for host in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "localhost:8080",
            "LOCALHOST",
            "[::1]:8080",
            "127.1.2.3:9",
            "AQR.test:8080",
        ] {
            assert_eq!(checked(&[("host", host)]), Ok(()), "{host}");
        }
        assert_eq!(checked(&[]), Ok(()));
        for origin in [
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://aqr.test:8080",
        ] {
            assert_eq!(checked(&[("origin", origin)]), Ok(()), "{origin}");
        }
    }

    #[test]
    fn other_hosts_and_origins_are_refused() {
        for host in [
            "evil.example:8080",
            "127.0.0.1.evil.example",
            "10.0.0.1",
            "",
            "a b",
        ] {
            assert_eq!(checked(&[("host", host)]), Err(403), "{host}");
        }
        for origin in [
            "http://evil.example",
            "null",
            "https://127.0.0.1:8080",
            "http://127.0.0.1:8081",
            "http://localhost",
            "file://",
        ] {
            assert_eq!(checked(&[("origin", origin)]), Err(403), "{origin}");
        }
    }
}

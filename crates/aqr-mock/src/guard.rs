//! Keeping web pages away from the mock: every request must name a loopback `Host`, and
//! an `Origin`, when a browser sends one, must be the mock's own.
//!
//! Programs (the SDK, curl, test suites) send a loopback `Host` and no `Origin`, so they
//! never notice. A page on another site cannot reach the mock through DNS rebinding (its
//! requests carry the attacker's host name) nor through a cross-site form or `fetch`
//! (they carry the page's origin).

use crate::reply::{Failure, Reply};
use hyper::HeaderMap;
use hyper::Uri;
use hyper::header::{HOST, ORIGIN};

/// The refusal for a request that did not come from a program on this machine.
pub(crate) fn check(headers: &HeaderMap, scheme: &str, port: u16) -> Result<(), Reply> {
    if let Some(host) = headers.get(HOST) {
        let loopback = host
            .to_str()
            .ok()
            .and_then(|h| h.parse::<hyper::http::uri::Authority>().ok())
            .is_some_and(|authority| aqr_core::validate::is_loopback_host(authority.host()));
        if !loopback {
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
            .is_some_and(|uri| is_own_origin(&uri, scheme, port));
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

/// Whether `origin` is `scheme://<loopback host>:port`.
fn is_own_origin(origin: &Uri, scheme: &str, port: u16) -> bool {
    let Some(authority) = origin.authority() else {
        return false;
    };
    let default_port = match origin.scheme_str() {
        Some("http") => 80,
        Some("https") => 443,
        _ => return false,
    };
    origin.scheme_str() == Some(scheme)
        && aqr_core::validate::is_loopback_host(authority.host())
        && authority.port_u16().unwrap_or(default_port) == port
        && origin.path_and_query().is_none_or(|p| p.as_str() == "/")
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
        check(&headers, "http", 8080).map_err(|reply| reply.status.as_u16())
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
        ] {
            assert_eq!(checked(&[("host", host)]), Ok(()), "{host}");
        }
        assert_eq!(checked(&[]), Ok(()));
        for origin in ["http://127.0.0.1:8080", "http://localhost:8080"] {
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

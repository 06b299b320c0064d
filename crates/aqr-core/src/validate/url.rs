//! The URL rules: which URLs the SDK will send a request to.

use std::net::IpAddr;

use http::Uri;

use super::{Field, Rule, ValidationError};

/// Whether `host` (as in a URI: `localhost`, `127.0.0.1`, `[::1]`) names this machine.
#[must_use]
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `url` if it may be fetched: `https`, or `http` to a loopback host; no user info.
pub(crate) fn fetchable_url(field: Field, url: &str) -> Result<Uri, ValidationError> {
    let invalid = |rule| ValidationError::new(field, rule);
    let url = url.trim();
    if url.chars().any(char::is_control) {
        return Err(invalid(Rule::ControlCharacter));
    }
    let uri = Uri::try_from(url).map_err(|_| invalid(Rule::InvalidUrl))?;
    let host = uri.host().ok_or_else(|| invalid(Rule::InvalidUrl))?;
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(invalid(Rule::InvalidUrl));
    }
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") if is_loopback_host(host) => Ok(uri),
        Some("http") => Err(invalid(Rule::InsecureUrl)),
        _ => Err(invalid(Rule::InvalidUrl)),
    }
}

/// A base URL (no query) and the API endpoint under it: `<base>/api/` (a base that
/// already ends in `/api` is used as is).
pub(crate) fn base_url(url: &str) -> Result<(String, Uri), ValidationError> {
    let uri = fetchable_url(Field::BaseUrl, url)?;
    if uri.query().is_some() {
        return Err(ValidationError::new(Field::BaseUrl, Rule::InvalidUrl));
    }
    let scheme = uri.scheme_str().unwrap_or("https");
    let authority = uri
        .authority()
        .map(http::uri::Authority::as_str)
        .unwrap_or_default();
    let path = uri.path().trim_end_matches('/');
    let base = format!("{scheme}://{authority}{path}");
    let endpoint = if path.ends_with("/api") {
        format!("{base}/")
    } else {
        format!("{base}/api/")
    };
    let endpoint = Uri::try_from(endpoint)
        .map_err(|_| ValidationError::new(Field::BaseUrl, Rule::InvalidUrl))?;
    Ok((base, endpoint))
}

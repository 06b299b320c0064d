//! Turning the core's `http::Request` into a `reqwest::Request`.

use std::sync::{Arc, Mutex};

use aqr_core::http::Uri;
use aqr_core::{HttpRequest, TransportError, TransportErrorKind};
use reqwest::Url;

/// The last URI converted and its parsed [`Url`]: every API call goes to the same
/// endpoint, so the parse (with IDNA processing of the host) is done once, not per call.
#[derive(Debug, Default)]
pub(crate) struct UrlCache(Mutex<Option<Arc<Endpoint>>>);

/// A URI and its parsed [`Url`], shared by the requests sent to it.
#[derive(Debug)]
pub(crate) struct Endpoint {
    uri: Uri,
    url: Url,
}

impl Endpoint {
    /// The parsed URL.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }
}

impl UrlCache {
    fn endpoint(&self, uri: &Uri) -> Result<Arc<Endpoint>, TransportError> {
        let hit = self.0.lock().ok().and_then(|cached| {
            cached
                .as_ref()
                .filter(|endpoint| endpoint.uri == *uri)
                .map(Arc::clone)
        });
        if let Some(endpoint) = hit {
            return Ok(endpoint);
        }
        let url = Url::parse(&uri.to_string()).map_err(|e| {
            TransportError::new(
                TransportErrorKind::Other,
                false,
                format!("invalid URL {uri}: {e}"),
            )
        })?;
        let endpoint = Arc::new(Endpoint {
            uri: uri.clone(),
            url,
        });
        if let Ok(mut cached) = self.0.lock() {
            *cached = Some(Arc::clone(&endpoint));
        }
        Ok(endpoint)
    }
}

/// The same request for reqwest (method, URL, version, headers and body), and the
/// endpoint it goes to.
pub(crate) fn to_reqwest(
    request: HttpRequest,
    urls: &UrlCache,
) -> Result<(reqwest::Request, Arc<Endpoint>), TransportError> {
    let (parts, body) = request.into_parts();
    let endpoint = urls.endpoint(&parts.uri)?;
    let mut converted = reqwest::Request::new(parts.method, endpoint.url.clone());
    *converted.version_mut() = parts.version;
    *converted.headers_mut() = parts.headers;
    *converted.body_mut() = Some(body.into());
    Ok((converted, endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_every_part_and_reuses_the_parsed_url() {
        let urls = UrlCache::default();
        let mut endpoints = Vec::new();
        for _ in 0..2 {
            let request = aqr_core::http::Request::post("http://127.0.0.1:8080/api/")
                .header("aqr-developer-token", "t")
                .body(b"a=1".to_vec())
                .unwrap();
            let (converted, endpoint) = to_reqwest(request, &urls).unwrap();
            assert_eq!(endpoint.url(), converted.url());
            endpoints.push(endpoint);
            assert_eq!(converted.method(), "POST");
            assert_eq!(converted.url().as_str(), "http://127.0.0.1:8080/api/");
            assert_eq!(converted.headers()["aqr-developer-token"], "t");
            assert_eq!(
                converted.body().and_then(reqwest::Body::as_bytes),
                Some(&b"a=1"[..])
            );
        }
        assert!(Arc::ptr_eq(&endpoints[0], &endpoints[1]), "parsed once");
        let other = aqr_core::http::Request::get("https://example.com/res?keyword=x")
            .body(Vec::new())
            .unwrap();
        assert_eq!(
            to_reqwest(other, &urls).unwrap().0.url().as_str(),
            "https://example.com/res?keyword=x"
        );
    }
}

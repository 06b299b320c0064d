//! Turning the core's `http::Request` into a `reqwest::Request`.

use std::sync::Mutex;

use aqr_core::http::Uri;
use aqr_core::{HttpRequest, TransportError, TransportErrorKind};
use reqwest::Url;

/// The last URI converted and its parsed [`Url`]: every API call goes to the same
/// endpoint, so the parse (with IDNA processing of the host) is done once, not per call.
#[derive(Debug, Default)]
pub(crate) struct UrlCache(Mutex<Option<(Uri, Url)>>);

impl UrlCache {
    fn url(&self, uri: &Uri) -> Result<Url, TransportError> {
        let hit = self.0.lock().ok().and_then(|cached| {
            cached
                .as_ref()
                .filter(|(cached_uri, _)| cached_uri == uri)
                .map(|(_, url)| url.clone())
        });
        if let Some(url) = hit {
            return Ok(url);
        }
        let url = Url::parse(&uri.to_string()).map_err(|e| {
            TransportError::new(
                TransportErrorKind::Other,
                false,
                format!("invalid URL {uri}: {e}"),
            )
        })?;
        if let Ok(mut cached) = self.0.lock() {
            *cached = Some((uri.clone(), url.clone()));
        }
        Ok(url)
    }
}

/// The same request for reqwest: method, URL, version, headers and body.
pub(crate) fn to_reqwest(
    request: HttpRequest,
    urls: &UrlCache,
) -> Result<reqwest::Request, TransportError> {
    let (parts, body) = request.into_parts();
    let mut converted = reqwest::Request::new(parts.method, urls.url(&parts.uri)?);
    *converted.version_mut() = parts.version;
    *converted.headers_mut() = parts.headers;
    *converted.body_mut() = Some(body.into());
    Ok(converted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_every_part_and_reuses_the_parsed_url() {
        let urls = UrlCache::default();
        for _ in 0..2 {
            let request = aqr_core::http::Request::post("http://127.0.0.1:8080/api/")
                .header("aqr-developer-token", "t")
                .body(b"a=1".to_vec())
                .unwrap();
            let converted = to_reqwest(request, &urls).unwrap();
            assert_eq!(converted.method(), "POST");
            assert_eq!(converted.url().as_str(), "http://127.0.0.1:8080/api/");
            assert_eq!(converted.headers()["aqr-developer-token"], "t");
            assert_eq!(
                converted.body().and_then(reqwest::Body::as_bytes),
                Some(&b"a=1"[..])
            );
        }
        let other = aqr_core::http::Request::get("https://example.com/res?keyword=x")
            .body(Vec::new())
            .unwrap();
        assert_eq!(
            to_reqwest(other, &urls).unwrap().url().as_str(),
            "https://example.com/res?keyword=x"
        );
    }
}

//! Turning an injected fault into an answer, and checking faults that arrive over HTTP.

use crate::fault::{FaultBody, FaultResponse, MAX_HUGE_BODY};
use crate::reply::{HTML, JSON, Reply, TEXT};
use bytes::Bytes;
use hyper::StatusCode;
use hyper::header::{HeaderName, HeaderValue, LOCATION, RETRY_AFTER};

/// The answer of a [`FaultResponse::Respond`].
pub(crate) fn respond(
    status: u16,
    body: &FaultBody,
    retry_after: Option<&str>,
    headers: &[(String, String)],
    base_url: &str,
) -> Reply {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut reply = match body {
        FaultBody::JsonFail { key, message, code } => {
            let mut object = serde_json::Map::new();
            object.insert("result".into(), "fail".into());
            object.insert(
                key.clone().unwrap_or_else(|| "message".to_owned()),
                message.clone().into(),
            );
            if let Some(code) = code {
                object.insert("code".into(), code.clone().into());
            }
            Reply::new(status, JSON, serde_json::Value::Object(object).to_string())
        }
        FaultBody::Json { value } => Reply::new(status, JSON, value.to_string()),
        FaultBody::Html => Reply::new(status, HTML, proxy_page(status)),
        FaultBody::Text { text } => Reply::new(status, TEXT, text.clone()),
        FaultBody::Empty => Reply::empty(status),
        FaultBody::TruncatedJson => {
            let whole = format!(
                r#"{{"result":"success","qr_image":"{base_url}/res?keyword=trunc0","short_url":"{base_url}/f/trunc0","account_id":"trunc0"}}"#
            );
            let half = &whole.as_bytes()[..whole.len() / 2];
            Reply::new(status, JSON, Bytes::copy_from_slice(half))
        }
        FaultBody::Huge { bytes } => Reply::new(status, JSON, huge(*bytes)),
    };
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        reply = reply.header(RETRY_AFTER, value);
    }
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            reply = reply.header(name, value);
        }
    }
    reply
}

/// The answer of a [`FaultResponse::Redirect`].
pub(crate) fn redirect(status: u16, location: &str) -> Reply {
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(StatusCode::is_redirection)
        .unwrap_or(StatusCode::FOUND);
    let mut reply = Reply::empty(status);
    if let Ok(location) = HeaderValue::from_str(location) {
        reply = reply.header(LOCATION, location);
    }
    reply
}

/// A reverse proxy's error page, like nginx's.
fn proxy_page(status: StatusCode) -> String {
    let line = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    format!(
        "<html>\r\n<head><title>{line}</title></head>\r\n<body>\r\n<center><h1>{line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// Exactly `bytes` bytes (at most [`MAX_HUGE_BODY`]) that start like a JSON object.
fn huge(bytes: usize) -> Bytes {
    const HEAD: &[u8] = br#"{"result":"fail","padding":""#;
    const TAIL: &[u8] = br#""}"#;
    let bytes = bytes.min(MAX_HUGE_BODY);
    if bytes < HEAD.len() + TAIL.len() {
        return Bytes::from(vec![b' '; bytes]);
    }
    let mut body = Vec::with_capacity(bytes);
    body.extend_from_slice(HEAD);
    body.resize(bytes - TAIL.len(), b'x');
    body.extend_from_slice(TAIL);
    Bytes::from(body)
}

/// Why a fault sent over HTTP is refused (a fault pushed from Rust is used as well as
/// it can be instead).
pub(crate) fn check(response: &FaultResponse) -> Result<(), String> {
    match response {
        FaultResponse::Respond {
            status,
            body,
            retry_after,
            headers,
            ..
        } => {
            if StatusCode::from_u16(*status).is_err() {
                return Err(format!("status {status} is not an HTTP status (100-999)"));
            }
            if let Some(value) = retry_after
                && HeaderValue::from_str(value).is_err()
            {
                return Err("retry_after is not a valid header value".into());
            }
            for (name, value) in headers {
                if HeaderName::from_bytes(name.as_bytes()).is_err()
                    || HeaderValue::from_str(value).is_err()
                {
                    return Err(format!("header {name:?} is not a valid header"));
                }
            }
            if let FaultBody::Huge { bytes } = body
                && *bytes > MAX_HUGE_BODY
            {
                return Err(format!("huge bodies are limited to {MAX_HUGE_BODY} bytes"));
            }
            Ok(())
        }
        FaultResponse::Redirect { status, location } => {
            if !(300..=399).contains(status) {
                return Err(format!("redirect status {status} is not a 3xx status"));
            }
            if HeaderValue::from_str(location).is_err() {
                return Err("location is not a valid header value".into());
            }
            Ok(())
        }
        FaultResponse::Delay { .. }
        | FaultResponse::DropBeforeRead
        | FaultResponse::DropAfterRead
        | FaultResponse::SlowBody { .. } => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_has_the_exact_length() {
        for n in [0, 5, 30, 31, 1000] {
            assert_eq!(huge(n).len(), n);
        }
        assert!(huge(1000).starts_with(b"{\"result\""));
    }

    #[test]
    fn truncated_json_is_not_json() {
        let reply = respond(
            200,
            &FaultBody::TruncatedJson,
            None,
            &[],
            "http://127.0.0.1:1",
        );
        assert!(serde_json::from_slice::<serde_json::Value>(&reply.body).is_err());
        assert!(reply.body.starts_with(b"{\"result\":\"success\""));
    }
}

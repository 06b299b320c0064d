//! Applying an injected fault to a request: the answer it makes instead of (or around)
//! the normal one, and when the request is processed and recorded.

use crate::body::MockBody;
use crate::fault::{FaultBody, FaultResponse};
use crate::reply::{HTML, JSON, Reply, TEXT};
use bytes::Bytes;
use hyper::header::{HeaderName, HeaderValue, LOCATION, RETRY_AFTER};
use hyper::{Response, StatusCode};
use std::future::Future;
use std::time::Duration;

/// The service's error: hyper closes the connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

/// A request a fault applies to: it can still be processed normally and is recorded
/// exactly once.
pub(crate) trait Pending: Send + 'static {
    /// The normal answer (a create creates).
    fn process(&self) -> impl Future<Output = Reply> + Send;
    /// Records the request with the status answered (0: dropped) and the fault's kind.
    fn record(self, status: u16, fault: &'static str);
    /// The base URL of the entries' URLs (for bodies that imitate a create answer).
    fn base_url(&self) -> &str;
}

/// What `fault` makes of the request.
pub(crate) async fn apply(
    fault: FaultResponse,
    pending: impl Pending,
) -> Result<Response<MockBody>, Dropped> {
    let kind = fault.kind();
    match fault {
        FaultResponse::Respond {
            status,
            body,
            retry_after,
            headers,
            delay_ms,
        } => {
            let reply = respond(
                status,
                &body,
                retry_after.as_deref(),
                &headers,
                pending.base_url(),
            );
            pending.record(reply.status.as_u16(), kind);
            sleep_ms(delay_ms).await;
            Ok(reply.into_response(None))
        }
        FaultResponse::Delay { delay_ms } => {
            // The request is handled even if the client gives up while it waits, as a
            // real server would: run it in its own task.
            let task = tokio::spawn(async move {
                sleep_ms(delay_ms).await;
                let reply = pending.process().await;
                pending.record(reply.status.as_u16(), kind);
                reply
            });
            match task.await {
                Ok(reply) => Ok(reply.into_response(None)),
                Err(_) => Err(Dropped),
            }
        }
        FaultResponse::DropBeforeRead => {
            pending.record(0, kind);
            Err(Dropped)
        }
        FaultResponse::DropAfterRead => {
            let _processed = pending.process().await;
            pending.record(0, kind);
            Err(Dropped)
        }
        FaultResponse::SlowBody { delay_ms } => {
            let reply = pending.process().await;
            pending.record(reply.status.as_u16(), kind);
            Ok(reply.into_response(Some(Duration::from_millis(delay_ms))))
        }
        FaultResponse::Redirect { status, location } => {
            let reply = redirect(status, &location);
            pending.record(reply.status.as_u16(), kind);
            Ok(reply.into_response(None))
        }
        // Refused when pushed; should one get here, the request is handled normally.
        FaultResponse::Misused { .. } => {
            let reply = pending.process().await;
            pending.record(reply.status.as_u16(), kind);
            Ok(reply.into_response(None))
        }
    }
}

async fn sleep_ms(ms: u64) {
    if ms > 0 {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
}

/// The answer of a [`FaultResponse::Respond`] (pushed faults were validated, so every
/// status, header and value here is usable; anything else is left out).
fn respond(
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
            let half = whole.as_bytes().get(..whole.len() / 2).unwrap_or_default();
            Reply::new(status, JSON, Bytes::copy_from_slice(half))
        }
        FaultBody::Huge { bytes } => Reply::padding(status, JSON, *bytes),
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
fn redirect(status: u16, location: &str) -> Reply {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::ReplyBody;

    #[test]
    fn truncated_json_is_not_json() {
        let reply = respond(
            200,
            &FaultBody::TruncatedJson,
            None,
            &[],
            "http://127.0.0.1:1",
        );
        let ReplyBody::Bytes(body) = reply.body else {
            panic!("not bytes");
        };
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
        assert!(body.starts_with(b"{\"result\":\"success\""));
    }

    #[tokio::test]
    async fn huge_is_streamed_with_the_exact_length() {
        use http_body_util::BodyExt;
        for n in [0, 5, 30, 31, 1000, 200_000] {
            let reply = respond(200, &FaultBody::huge(n), None, &[], "");
            assert!(matches!(reply.body, ReplyBody::Padding(_)));
            let body = reply.into_response(None).into_body();
            let bytes = body.collect().await.unwrap().to_bytes();
            assert_eq!(bytes.len(), n);
            if n > 30 {
                assert!(bytes.starts_with(b"{\"result\"") && bytes.ends_with(b"\"}"));
            }
        }
    }
}

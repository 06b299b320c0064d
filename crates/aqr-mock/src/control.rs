//! The control routes under `/__mock/`: request log, faults, entries, health. They take no
//! token and are not recorded; a `POST` must be JSON (a web page cannot send that
//! without a CORS preflight, which the mock never grants).

use crate::fault::Fault;
use crate::reply::{Failure, JSON, Reply};
use crate::shared::Shared;
use hyper::header::{CONTENT_TYPE, HeaderMap};
use hyper::{Method, StatusCode};
use serde::Serialize;

/// Whether `path` is a control route.
pub(crate) fn is_control(path: &str) -> bool {
    path == "/__mock" || path.starts_with("/__mock/")
}

/// Answers a control request.
pub(crate) fn answer(
    shared: &Shared,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Reply {
    let path = path.trim_end_matches('/');
    match (path, method) {
        ("/__mock/health", &Method::GET) => ok(),
        ("/__mock/health", _) => not_allowed("GET"),
        ("/__mock/requests", &Method::GET) => json(&shared.log.snapshot()),
        ("/__mock/requests", &Method::DELETE) => {
            shared.log.clear();
            ok()
        }
        ("/__mock/requests", _) => not_allowed("GET, DELETE"),
        ("/__mock/faults", &Method::POST) => match require_json(headers) {
            Ok(()) => push_faults(shared, body),
            Err(reply) => reply,
        },
        ("/__mock/faults", &Method::GET) => json(&shared.faults.list()),
        ("/__mock/faults", &Method::DELETE) => {
            shared.faults.clear();
            ok()
        }
        ("/__mock/faults", _) => not_allowed("GET, POST, DELETE"),
        ("/__mock/entries", &Method::GET) => json(&shared.store.all()),
        ("/__mock/entries", _) => not_allowed("GET"),
        _ => Reply::fail(Failure::NotFound, "no such control route", false),
    }
}

fn ok() -> Reply {
    Reply::new(StatusCode::OK, JSON, r#"{"status":"ok"}"#)
}

fn not_allowed(allow: &'static str) -> Reply {
    Reply::fail(
        Failure::MethodNotAllowed,
        "this method is not allowed on this control route",
        false,
    )
    .allow(allow)
}

fn json<T: Serialize>(value: &T) -> Reply {
    match serde_json::to_vec(value) {
        Ok(bytes) => Reply::new(StatusCode::OK, JSON, bytes),
        Err(err) => Reply::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            JSON,
            serde_json::json!({"result": "fail", "code": "internal", "message": err.to_string()})
                .to_string(),
        ),
    }
}

/// `Content-Type: application/json` (parameters allowed), or `415`.
fn require_json(headers: &HeaderMap) -> Result<(), Reply> {
    let essence = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    match essence {
        Some(essence) if essence.eq_ignore_ascii_case(JSON) => Ok(()),
        _ => Err(Reply::fail(
            Failure::UnsupportedContentType,
            "control routes take JSON: send Content-Type: application/json",
            false,
        )),
    }
}

/// `POST /__mock/faults`: one fault or an array of them; all or nothing.
fn push_faults(shared: &Shared, body: &[u8]) -> Reply {
    let faults = match parse_faults(body) {
        Ok(faults) => faults,
        Err(message) => return Reply::fail(Failure::InvalidFault, &message, false),
    };
    match shared.faults.push_all(faults) {
        Ok(added) => Reply::new(
            StatusCode::OK,
            JSON,
            serde_json::json!({"status": "ok", "added": added}).to_string(),
        ),
        Err((index, err)) => Reply::fail(
            Failure::InvalidFault,
            &format!("fault {index}: {err}"),
            false,
        ),
    }
}

fn parse_faults(body: &[u8]) -> Result<Vec<Fault>, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|err| format!("the body is not JSON: {err}"))?;
    match value {
        serde_json::Value::Array(_) => serde_json::from_value(value),
        other => serde_json::from_value(other).map(|fault| vec![fault]),
    }
    .map_err(|err| format!("not a fault: {err}"))
}

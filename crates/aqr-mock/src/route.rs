//! One request, start to end: the origin guard, the body, the route, an injected fault
//! or the normal answer, and its record in the log.

use crate::api::{self, ApiCall};
use crate::body::MockBody;
use crate::control;
use crate::form::{self, FormError};
use crate::inject::{self, Dropped, Pending};
use crate::log::Outcome;
use crate::options::MAX_REQUEST_BODY;
use crate::pages;
use crate::reply::{Failure, Reply};
use crate::shared::Shared;
use crate::types::MockAction;
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body, Incoming};
use hyper::header::{CONNECTION, CONTENT_LENGTH, HeaderMap, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Method, Request, Response};
use std::sync::Arc;
use std::time::Duration;

/// Where a request goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route<'a> {
    Api,
    QrImage,
    Page(&'a str),
    Unknown,
}

impl<'a> Route<'a> {
    fn of(path: &'a str) -> Route<'a> {
        match path {
            "/api/" | "/api" => Route::Api,
            "/res" | "/res/" => Route::QrImage,
            _ => match path.strip_prefix("/f/") {
                Some(id) if !id.is_empty() && !id.contains('/') => Route::Page(id),
                _ => Route::Unknown,
            },
        }
    }
}

type Form = Result<Vec<(String, String)>, FormError>;

/// What a request asked for, for fault matching and the log.
fn classify(route: Route<'_>, method: &Method, form: Option<&Form>) -> MockAction {
    let readable = method == Method::GET || method == Method::HEAD;
    match route {
        Route::Api => {
            let call = form
                .and_then(|f| f.as_ref().ok())
                .and_then(|fields| form::last(fields, "action"))
                .and_then(|a| ApiCall::of(a.trim()));
            match call {
                Some(ApiCall::Create) => MockAction::Create,
                Some(ApiCall::Delete) => MockAction::Delete,
                None => MockAction::Other,
            }
        }
        Route::QrImage if readable => MockAction::QrImage,
        Route::Page(_) if readable => MockAction::Page,
        _ => MockAction::Other,
    }
}

/// Answers one request (or drops its connection on purpose).
///
/// # Errors
/// [`Dropped`] when the connection is to be closed without an answer.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    body_timeout: Duration,
    request: Request<Incoming>,
) -> Result<Response<MockBody>, Dropped> {
    let (parts, incoming) = request.into_parts();
    let is_control = control::is_control(parts.uri.path());
    let refuse = |reply: Reply| {
        if !is_control {
            record_refusal(&shared, &parts, &reply);
        }
        // The rest of the request is not read: the connection cannot be reused.
        Ok(reply
            .header(CONNECTION, HeaderValue::from_static("close"))
            .into_response(None))
    };
    if let Err(reply) = shared.guard.check(&parts.headers) {
        return refuse(reply);
    }
    let as_200 = shared.failures_as_200 && Route::of(parts.uri.path()) == Route::Api;
    let body = match read_body(&parts.headers, incoming, body_timeout).await {
        Ok(body) => body,
        Err(ReadError::Aborted) => return Err(Dropped),
        Err(ReadError::TooLarge) => {
            return refuse(Reply::fail(
                Failure::BodyTooLarge,
                "request bodies are limited to 64 KiB",
                as_200,
            ));
        }
        Err(ReadError::TimedOut) => {
            return refuse(Reply::fail(
                Failure::RequestTimeout,
                "the request body did not arrive in time",
                false,
            ));
        }
    };
    if is_control {
        let path = parts.uri.path();
        return Ok(
            control::answer(&shared, &parts.method, path, &parts.headers, &body)
                .into_response(None),
        );
    }
    let route = Route::of(parts.uri.path());
    let form = (route == Route::Api && parts.method == Method::POST).then(|| form::parse(&body));
    let action = classify(route, &parts.method, form.as_ref());
    let routed = Routed {
        shared,
        parts,
        form,
        action,
    };
    match routed.shared.faults.take(action) {
        Some(fault) => inject::apply(fault, routed).await,
        None => {
            let reply = routed.process().await;
            routed.record_reply(&reply, None);
            Ok(reply.into_response(None))
        }
    }
}

/// A routed request with its decoded form.
struct Routed {
    shared: Arc<Shared>,
    parts: Parts,
    form: Option<Form>,
    action: MockAction,
}

impl Routed {
    /// Records the request: in full when it was authenticated, short otherwise.
    fn record_reply(self, reply: &Reply, fault: Option<&'static str>) {
        let short = reply.failure.is_some_and(Failure::keeps_short_record);
        self.record_with(reply.status.as_u16(), fault, short);
    }

    fn record_with(self, status: u16, fault: Option<&'static str>, short: bool) {
        let log = &self.shared.log;
        if !log.enabled() {
            return;
        }
        let outcome = Outcome {
            action: self.action,
            status,
            fault,
        };
        if short {
            log.record_short(&self.parts, outcome);
        } else {
            let form = self.form.and_then(Result::ok).unwrap_or_default();
            log.record(&self.parts, form, outcome);
        }
    }
}

impl Pending for Routed {
    async fn process(&self) -> Reply {
        let parts = &self.parts;
        let readable = parts.method == Method::GET || parts.method == Method::HEAD;
        match Route::of(parts.uri.path()) {
            Route::Api => {
                api::answer(
                    &self.shared,
                    &parts.method,
                    &parts.headers,
                    self.form.as_ref(),
                )
                .await
            }
            Route::QrImage if readable => pages::qr_image(&self.shared, parts.uri.query()),
            Route::Page(id) if readable => pages::page(&self.shared, id),
            Route::QrImage | Route::Page(_) => Reply::fail(
                Failure::MethodNotAllowed,
                "this page takes GET requests only",
                false,
            )
            .allow("GET, HEAD"),
            Route::Unknown => Reply::fail(Failure::NotFound, "no such route", false),
        }
    }

    fn record(self, status: u16, fault: &'static str) {
        self.record_with(status, Some(fault), false);
    }

    fn base_url(&self) -> &str {
        self.shared.base_url()
    }
}

/// A short record of a request refused before it was routed.
fn record_refusal(shared: &Shared, parts: &Parts, reply: &Reply) {
    let outcome = Outcome {
        action: MockAction::Other,
        status: reply.status.as_u16(),
        fault: None,
    };
    shared.log.record_short(parts, outcome);
}

enum ReadError {
    TooLarge,
    TimedOut,
    Aborted,
}

/// The whole request body, at most [`MAX_REQUEST_BODY`] bytes, within `timeout`.
async fn read_body(
    headers: &HeaderMap,
    incoming: Incoming,
    timeout: Duration,
) -> Result<Bytes, ReadError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_REQUEST_BODY as u64) {
        return Err(ReadError::TooLarge);
    }
    if incoming.is_end_stream() {
        return Ok(Bytes::new());
    }
    let collected =
        tokio::time::timeout(timeout, Limited::new(incoming, MAX_REQUEST_BODY).collect());
    match collected.await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => {
            Err(ReadError::TooLarge)
        }
        Ok(Err(_)) => Err(ReadError::Aborted),
        Err(_) => Err(ReadError::TimedOut),
    }
}

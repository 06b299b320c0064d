//! The HTTP server: accepting connections, routing, faults, recording, shutdown.

use crate::api::{self, Operation};
use crate::control;
use crate::fault::{FaultQueue, FaultResponse};
use crate::form::{self, FormError};
use crate::inject;
use crate::log::{Record, RequestLog};
use crate::pages;
use crate::reply::{Failure, MockBody, Reply};
use crate::store::Store;
use crate::types::{Credential, MAX_REQUEST_BODY, MockAction, MockOptions};
use aqr_core::validate;
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body, Incoming};
use hyper::header::{CONTENT_LENGTH, HeaderMap};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How long after a change the state file is written (changes in between are batched).
const FLUSH_DELAY: Duration = Duration::from_millis(50);
/// How long open connections get to finish when the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub(crate) credentials: Vec<Credential>,
    pub(crate) failures_as_200: bool,
    pub(crate) store: Store,
    pub(crate) log: RequestLog,
    pub(crate) faults: FaultQueue,
}

impl Shared {
    /// Checks the options and loads the state file.
    ///
    /// # Errors
    /// `InvalidInput` for missing or malformed credentials; any error reading the state
    /// file.
    pub(crate) fn new(options: &MockOptions, addr: SocketAddr) -> io::Result<Arc<Shared>> {
        if options.credentials.is_empty() {
            return Err(invalid_input(
                "at least one developer token/e-mail pair is needed",
            ));
        }
        for credential in &options.credentials {
            aqr_core::DeveloperToken::new(&credential.token)
                .map_err(|err| invalid_input(&err.to_string()))?;
            validate::email_address(&credential.email)
                .map_err(|err| invalid_input(&err.to_string()))?;
        }
        let host = if addr.ip().is_unspecified() {
            SocketAddr::from(([127, 0, 0, 1], addr.port()))
        } else {
            addr
        };
        Ok(Arc::new(Shared {
            credentials: options.credentials.clone(),
            failures_as_200: options.failures_as_200,
            store: Store::open(format!("http://{host}"), options.state_file.clone())?,
            log: RequestLog::new(
                options.request_log_capacity,
                options
                    .credentials
                    .iter()
                    .map(|c| c.token.clone())
                    .collect(),
            ),
            faults: FaultQueue::default(),
        }))
    }
}

fn invalid_input(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.to_owned())
}

/// Serves `listener` until `shutdown` completes, then lets open connections finish
/// briefly and writes the state file.
pub(crate) async fn serve_shared(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let flusher = shared
        .store
        .state_file()
        .is_some()
        .then(|| tokio::spawn(flush_loop(Arc::clone(&shared))));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut builder = http1::Builder::new();
    builder.keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        while connections.try_join_next().is_some() {}
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a little instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let service = service_fn(move |request| handle(Arc::clone(&shared), request));
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let mut stop = stop_rx.clone();
        connections.spawn(async move {
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    connections.shutdown().await;
    if let Some(flusher) = flusher {
        flusher.abort();
        let _ = flusher.await;
    }
    shared.store.flush()
}

/// Writes the state file shortly after changes, off the request path.
async fn flush_loop(shared: Arc<Shared>) {
    loop {
        shared.store.changed().await;
        tokio::time::sleep(FLUSH_DELAY).await;
        let writer = Arc::clone(&shared);
        let written = tokio::task::spawn_blocking(move || writer.store.flush()).await;
        if let Ok(Err(err)) = written {
            if let Some(path) = shared.store.state_file() {
                eprintln!("aqr-mock: cannot write {}: {err}", path.display());
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// The service's error: hyper closes the connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

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
            let action = form
                .and_then(|f| f.as_ref().ok())
                .and_then(|fields| form::last(fields, "action"))
                .and_then(|a| Operation::of(a.trim()));
            match action {
                Some(Operation::Create) => MockAction::Create,
                Some(Operation::Delete) => MockAction::Delete,
                None => MockAction::Other,
            }
        }
        Route::QrImage if readable => MockAction::QrImage,
        Route::Page(_) if readable => MockAction::Page,
        _ => MockAction::Other,
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<MockBody>, Dropped> {
    let (parts, incoming) = request.into_parts();
    let path = parts.uri.path();
    let route = Route::of(path);
    let body = match read_body(&parts.headers, incoming).await {
        Ok(body) => body,
        Err(ReadError::Aborted) => return Err(Dropped),
        Err(ReadError::TooLarge) => {
            let as_200 = shared.failures_as_200 && route == Route::Api;
            let reply = Reply::fail(
                Failure::BodyTooLarge,
                "request bodies are limited to 64 KiB",
                as_200,
            );
            if !control::is_control(path) {
                record(
                    &shared,
                    &parts,
                    None,
                    MockAction::Other,
                    reply.status.as_u16(),
                    None,
                );
            }
            return Ok(reply.into_response(None));
        }
    };
    if control::is_control(path) {
        return Ok(control::handle(&shared, &parts.method, path, &body).into_response(None));
    }
    let form = (route == Route::Api && parts.method == Method::POST).then(|| form::parse(&body));
    let action = classify(route, &parts.method, form.as_ref());
    let Some(fault) = shared.faults.take(action) else {
        let reply = answer(&shared, route, &parts, form.as_ref());
        record(&shared, &parts, form, action, reply.status.as_u16(), None);
        return Ok(reply.into_response(None));
    };
    let kind = Some(fault.kind());
    match fault {
        FaultResponse::Respond {
            status,
            body,
            retry_after,
            headers,
            delay_ms,
        } => {
            let reply = inject::respond(
                status,
                &body,
                retry_after.as_deref(),
                &headers,
                shared.store.base_url(),
            );
            record(&shared, &parts, form, action, reply.status.as_u16(), kind);
            sleep_ms(delay_ms).await;
            Ok(reply.into_response(None))
        }
        FaultResponse::Delay { delay_ms } => {
            // The request is handled even if the client gives up while it waits, as a
            // real server would: run it in its own task.
            let task = tokio::spawn(async move {
                sleep_ms(delay_ms).await;
                let reply = answer(&shared, Route::of(parts.uri.path()), &parts, form.as_ref());
                record(&shared, &parts, form, action, reply.status.as_u16(), kind);
                reply
            });
            match task.await {
                Ok(reply) => Ok(reply.into_response(None)),
                Err(_) => Err(Dropped),
            }
        }
        FaultResponse::DropBeforeRead => {
            record(&shared, &parts, form, action, 0, kind);
            Err(Dropped)
        }
        FaultResponse::DropAfterRead => {
            let _processed = answer(&shared, route, &parts, form.as_ref());
            record(&shared, &parts, form, action, 0, kind);
            Err(Dropped)
        }
        FaultResponse::SlowBody { delay_ms } => {
            let reply = answer(&shared, route, &parts, form.as_ref());
            record(&shared, &parts, form, action, reply.status.as_u16(), kind);
            Ok(reply.into_response(Some(Duration::from_millis(delay_ms))))
        }
        FaultResponse::Redirect { status, location } => {
            let reply = inject::redirect(status, &location);
            record(&shared, &parts, form, action, reply.status.as_u16(), kind);
            Ok(reply.into_response(None))
        }
    }
}

async fn sleep_ms(ms: u64) {
    if ms > 0 {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
}

/// The normal answer to a (non-control) request.
fn answer(shared: &Shared, route: Route<'_>, parts: &Parts, form: Option<&Form>) -> Reply {
    let readable = parts.method == Method::GET || parts.method == Method::HEAD;
    match route {
        Route::Api => api::handle(shared, &parts.method, &parts.headers, form),
        Route::QrImage if readable => pages::qr_image(shared, parts.uri.query()),
        Route::Page(id) if readable => pages::page(shared, id),
        Route::QrImage | Route::Page(_) => Reply::fail(
            Failure::MethodNotAllowed,
            "this page takes GET requests only",
            false,
        )
        .allow("GET, HEAD"),
        Route::Unknown => Reply::fail(Failure::NotFound, "no such route", false),
    }
}

enum ReadError {
    TooLarge,
    Aborted,
}

/// The whole request body, at most [`MAX_REQUEST_BODY`] bytes.
async fn read_body(headers: &HeaderMap, incoming: Incoming) -> Result<Bytes, ReadError> {
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
    match Limited::new(incoming, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => Err(ReadError::TooLarge),
        Err(_) => Err(ReadError::Aborted),
    }
}

/// Adds the request to the log (the form is moved in; secrets are redacted on reading).
fn record(
    shared: &Shared,
    parts: &Parts,
    form: Option<Form>,
    action: MockAction,
    status: u16,
    fault: Option<&'static str>,
) {
    if !shared.log.enabled() {
        return;
    }
    let form = form.and_then(Result::ok).unwrap_or_default();
    shared.log.push(Record::new(
        &parts.method,
        &parts.uri,
        &parts.headers,
        form,
        action,
        status,
        fault,
    ));
}

//! The HTTP(S) server: accepting connections within the cap, their deadlines, TLS, and
//! shutdown. What a request gets is [`crate::route`]'s business.

use crate::body::MockBody;
use crate::deadline::{Activity, Timeouts, Tracked, Watched};
use crate::inject::Dropped;
use crate::reply::{Failure, Reply};
use crate::route;
use crate::shared::Shared;
use hyper::header::{HeaderValue, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

/// How long open connections get to finish when the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);
/// How many connections over the cap may be sent their `503` at once; beyond that they
/// are closed at once.
const MAX_SHEDDING: usize = 64;
/// How long a connection over the cap has to send its request before it is closed.
const SHED_TIMEOUT: Duration = Duration::from_secs(1);

/// How the server treats connections.
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) timeouts: Timeouts,
    pub(crate) body_timeout: Duration,
    pub(crate) max_connections: usize,
    pub(crate) tls: Option<TlsAcceptor>,
}

/// Serves `listener` until `shutdown` completes, then lets open connections finish
/// briefly and writes the state file.
///
/// # Errors
/// The state file could not be written at the end.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    let slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let shedding = Arc::new(Semaphore::new(MAX_SHEDDING));
    let settings = Arc::new(settings);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        while connections.try_join_next().is_some() {}
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors and the like: wait a little instead of spinning.
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            shared: Arc::clone(&shared),
            settings: Arc::clone(&settings),
            stop: stop_rx.clone(),
        };
        if let Ok(slot) = Arc::clone(&slots).try_acquire_owned() {
            connections.spawn(async move {
                connection.run(stream, false).await;
                drop(slot);
            });
        } else if let Ok(slot) = Arc::clone(&shedding).try_acquire_owned() {
            connections.spawn(async move {
                connection.run(stream, true).await;
                drop(slot);
            });
        } else {
            drop(stream);
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    connections.shutdown().await;
    let closing = Arc::clone(&shared);
    tokio::task::spawn_blocking(move || closing.store.close())
        .await
        .map_err(io::Error::other)?
}

/// One accepted connection and what it needs.
struct Connection {
    shared: Arc<Shared>,
    settings: Arc<Settings>,
    stop: watch::Receiver<bool>,
}

impl Connection {
    /// Serves the connection until it closes, a deadline passes or the server stops. A
    /// connection over the cap (`shed`) gets `503 too_many_connections` to its first
    /// request, within a short deadline.
    async fn run(mut self, stream: TcpStream, shed: bool) {
        let activity = Arc::new(Activity::new());
        let timeouts = if shed {
            Timeouts {
                header: SHED_TIMEOUT,
                idle: SHED_TIMEOUT,
                write: SHED_TIMEOUT,
            }
        } else {
            self.settings.timeouts
        };
        let io = Watched::new(stream, Arc::clone(&activity));
        let Some(acceptor) = self.settings.tls.clone() else {
            self.http(io, activity, timeouts, shed).await;
            return;
        };
        // The handshake runs under the header deadline.
        let handshake = tokio::select! {
            handshake = acceptor.accept(io) => handshake,
            () = activity.expired(timeouts) => return,
            _ = self.stop.changed() => return,
        };
        if let Ok(tls) = handshake {
            self.http(tls, activity, timeouts, shed).await;
        }
    }

    async fn http<IO>(mut self, io: IO, activity: Arc<Activity>, timeouts: Timeouts, shed: bool)
    where
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let mut builder = http1::Builder::new();
        builder.keep_alive(!shed);
        let shared = Arc::clone(&self.shared);
        let body_timeout = self.settings.body_timeout;
        let watched = Arc::clone(&activity);
        let service = service_fn(move |request: Request<hyper::body::Incoming>| {
            watched.busy();
            let shared = Arc::clone(&shared);
            let watched = Arc::clone(&watched);
            async move {
                let response = if shed {
                    too_many_connections()
                } else {
                    route::handle(shared, body_timeout, request).await?
                };
                Ok::<_, Dropped>(response.map(|body| Tracked::new(body, watched)))
            }
        });
        let connection = builder.serve_connection(TokioIo::new(io), service);
        tokio::pin!(connection);
        tokio::select! {
            _ = connection.as_mut() => {}
            () = activity.expired(timeouts) => {}
            _ = self.stop.changed() => {
                connection.as_mut().graceful_shutdown();
                let _ = connection.await;
            }
        }
    }
}

/// The answer to a client over the connection cap.
fn too_many_connections() -> Response<MockBody> {
    Reply::fail(
        Failure::TooManyConnections,
        "the mock serves too many connections at once; retry in a moment",
        false,
    )
    .header(RETRY_AFTER, HeaderValue::from_static("1"))
    .into_response(None)
}

//! [`MockServer`]: the mock on its own thread, controlled from synchronous code.

use crate::fault::Fault;
use crate::server::{Shared, serve_shared};
use crate::types::{Entry, MockAction, MockOptions, RecordedRequest};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// Worker threads of the runtime a [`MockServer`] runs on.
const WORKER_THREADS: usize = 2;

/// A running mock server on 127.0.0.1, with its own thread and tokio runtime.
///
/// It works the same from plain synchronous code, from inside a tokio runtime and from
/// Python. It stops (and writes its state file) on [`MockServer::shutdown`] or on drop.
///
/// ```
/// use aqr_mock::{Fault, FaultBody, FaultResponse, MockAction, MockServer};
///
/// let server = MockServer::start_default()?;
/// assert!(server.url().starts_with("http://127.0.0.1:"));
/// server.push_fault(
///     Fault::new(FaultResponse::Respond {
///         status: 503,
///         body: FaultBody::Empty,
///         retry_after: Some("1".into()),
///         headers: vec![],
///         delay_ms: 0,
///     })
///     .for_action(MockAction::Create)
///     .times(1),
/// );
/// // … point a client at server.url() with server.token() / server.email() …
/// assert_eq!(server.request_count(Some(MockAction::Create)), 0);
/// server.shutdown();
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct MockServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    url: String,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl MockServer {
    /// Binds `127.0.0.1:port` (0 = a free port), loads the state file and starts serving
    /// on a new thread. Returns once the socket is bound.
    ///
    /// # Errors
    /// The port cannot be bound, the options are invalid (no credential, a token that is
    /// not printable ASCII, a malformed e-mail address; `InvalidInput`), the state file
    /// cannot be read or is not a state file (`InvalidData`), or the thread or runtime
    /// cannot be started.
    pub fn start(options: MockOptions) -> io::Result<MockServer> {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, options.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Shared::new(&options, addr)?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let (ready_tx, ready_rx) = mpsc::channel::<io::Result<()>>();
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("aqr-mock-{}", addr.port()))
            .spawn(move || run(listener, serving, stop_rx, &ready_tx))?;
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(err)) => {
                let _ = thread.join();
                return Err(err);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(io::Error::other(
                    "the mock server thread stopped while starting",
                ));
            }
        }
        Ok(MockServer {
            url: format!("http://{addr}"),
            shared,
            addr,
            stop: Mutex::new(Some(stop_tx)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// [`MockServer::start`] with [`MockOptions::default`]: a free port and the default
    /// token and e-mail address.
    ///
    /// # Errors
    /// As [`MockServer::start`].
    pub fn start_default() -> io::Result<MockServer> {
        MockServer::start(MockOptions::default())
    }

    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash). Use it as a client's
    /// base URL; the API is at `{url}/api/`.
    #[must_use]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The port it listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The first configured developer token.
    #[must_use]
    pub fn token(&self) -> &str {
        self.shared
            .credentials
            .first()
            .map_or("", |c| c.token.as_str())
    }

    /// The e-mail address of the first configured token.
    #[must_use]
    pub fn email(&self) -> &str {
        self.shared
            .credentials
            .first()
            .map_or("", |c| c.email.as_str())
    }

    /// The recorded requests, oldest first (control routes are not recorded).
    #[must_use]
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.snapshot()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// How many logged requests have `action` (`None`: all of them).
    #[must_use]
    pub fn request_count(&self, action: Option<MockAction>) -> usize {
        self.shared.log.count(action)
    }

    /// Adds a fault after those already waiting.
    pub fn push_fault(&self, fault: Fault) {
        self.shared.faults.push(fault);
    }

    /// Removes every waiting fault.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// The faults still waiting, with their remaining `times`.
    #[must_use]
    pub fn faults(&self) -> Vec<Fault> {
        self.shared.faults.list()
    }

    /// The entries it holds, oldest first.
    #[must_use]
    pub fn entries(&self) -> Vec<Entry> {
        self.shared.store.all()
    }

    /// Stops serving, lets open connections finish briefly, writes the state file and
    /// waits for the server thread.
    pub fn shutdown(self) {
        self.stop();
    }

    fn stop(&self) {
        let stop = self.stop.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop();
    }
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// The server thread: builds the runtime, reports readiness, serves until stopped.
fn run(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    stop: oneshot::Receiver<()>,
    ready: &mpsc::Sender<io::Result<()>>,
) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("aqr-mock-worker")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            let _ = ready.send(Err(err));
            return;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => listener,
            Err(err) => {
                let _ = ready.send(Err(err));
                return;
            }
        };
        let _ = ready.send(Ok(()));
        let stopped = async move {
            let _ = stop.await;
        };
        if let Err(err) = serve_shared(listener, Arc::clone(&shared), stopped).await
            && let Some(path) = shared.store.state_file()
        {
            eprintln!("aqr-mock: cannot write {}: {err}", path.display());
        }
    });
}

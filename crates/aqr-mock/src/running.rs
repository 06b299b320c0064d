//! [`MockServer`]: the mock on its own thread, controlled from synchronous code.

use crate::fault::{Fault, InvalidFault};
use crate::options::MockOptions;
use crate::server::{self, Settings};
use crate::shared::Shared;
use crate::tls::Tls;
use crate::types::{Entry, MockAction, RecordedRequest};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
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
/// use aqr_mock::{Fault, FaultBody, MockAction, MockServer};
///
/// let server = MockServer::start_default()?;
/// assert!(server.url().starts_with("http://127.0.0.1:"));
/// server.push_fault(
///     Fault::respond(503, FaultBody::Empty)
///         .with_retry_after("1")
///         .for_action(MockAction::Create)
///         .times(1),
/// )?;
/// // … point a client at server.url() with server.token() / server.email() …
/// assert_eq!(server.request_count(Some(MockAction::Create)), 0);
/// server.shutdown();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct MockServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    url: String,
    ca: Option<CaFile>,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    thread: Mutex<Option<JoinHandle<io::Result<()>>>>,
}

/// The generated CA, as PEM and as a file in a private temporary directory.
struct CaFile {
    pem: String,
    path: PathBuf,
    /// Removed (with the file) on drop.
    _dir: tempfile::TempDir,
}

impl CaFile {
    fn write(pem: String) -> io::Result<CaFile> {
        let dir = tempfile::Builder::new().prefix("aqr-mock-ca-").tempdir()?;
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, &pem)?;
        Ok(CaFile {
            pem,
            path,
            _dir: dir,
        })
    }
}

impl MockServer {
    /// Binds `127.0.0.1:port` (0 = a free port), opens the state file, prepares TLS
    /// when asked, and starts serving on a new thread. Returns once the socket is bound.
    ///
    /// # Errors
    /// The port cannot be bound, the options are invalid (no credential, a token that is
    /// not printable ASCII, a malformed e-mail address, a timeout outside 1 ms–24 h, a
    /// connection cap outside 1–1,000,000, unusable certificate files; `InvalidInput`),
    /// the state file cannot be read, is not a state file (`InvalidData`) or cannot be
    /// written, or the thread or runtime cannot be started.
    pub fn start(options: MockOptions) -> io::Result<MockServer> {
        let tls = options.tls.as_ref().map(Tls::new).transpose()?;
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, options.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let ca = match tls.as_ref().and_then(|t| t.ca_pem.clone()) {
            Some(pem) => Some(CaFile::write(pem)?),
            None => None,
        };
        let settings = settings(&options, tls);
        let shared = Shared::new(options, addr, scheme)?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let (ready_tx, ready_rx) = mpsc::channel::<io::Result<()>>();
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("aqr-mock-{}", addr.port()))
            .spawn(move || run(listener, serving, settings, stop_rx, &ready_tx))?;
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
            url: format!("{scheme}://{addr}"),
            shared,
            addr,
            ca,
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

    /// The base URL, `http://127.0.0.1:PORT` (`https://…` with TLS; no trailing slash).
    /// Use it as a client's base URL; the API is at `{url}/api/`.
    #[must_use]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The port it listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The generated CA certificate (PEM) that clients must trust to reach a mock started
    /// with a generated [`crate::TlsCertificate`]; `None` over plain HTTP or with
    /// certificate files.
    #[must_use]
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca.as_ref().map(|ca| ca.pem.as_str())
    }

    /// The same CA as a PEM file, in a private temporary directory that is removed when
    /// the server is dropped.
    #[must_use]
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca.as_ref().map(|ca| ca.path.as_path())
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

    /// The memory the request log holds, as its budget
    /// ([`MockOptions::request_log_bytes`]) counts it.
    #[must_use]
    pub fn request_log_bytes(&self) -> usize {
        self.shared.log.bytes()
    }

    /// Adds a fault after those already waiting.
    ///
    /// # Errors
    /// [`InvalidFault`] when the fault breaks a rule (nothing is added).
    pub fn push_fault(&self, fault: Fault) -> Result<(), InvalidFault> {
        self.shared
            .faults
            .push_all(vec![fault])
            .map(drop)
            .map_err(|(_, err)| err)
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
    /// waits for the server thread; a failure to write the state file is reported on
    /// standard error (see [`MockServer::close`] to handle it).
    pub fn shutdown(self) {
        self.stop_and_report();
    }

    /// [`MockServer::shutdown`], returning the failure to write the state file.
    ///
    /// # Errors
    /// The final state file could not be written (its journal is kept, so the next start
    /// loses nothing).
    pub fn close(self) -> io::Result<()> {
        self.stop()
    }

    fn stop(&self) -> io::Result<()> {
        let stop = self
            .stop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match thread.map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the mock server thread panicked")),
            None => Ok(()),
        }
    }

    fn stop_and_report(&self) {
        if let Err(err) = self.stop() {
            let path = self.shared.store.state_file().map(Path::display);
            match path {
                Some(path) => eprintln!("aqr-mock: cannot write {path}: {err}"),
                None => eprintln!("aqr-mock: {err}"),
            }
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop_and_report();
    }
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// The server's settings from the options.
pub(crate) fn settings(options: &MockOptions, tls: Option<Tls>) -> Settings {
    Settings {
        timeouts: crate::deadline::Timeouts {
            header: options.header_timeout,
            idle: options.idle_timeout,
            write: options.write_timeout,
        },
        body_timeout: options.body_timeout,
        max_connections: options.max_connections,
        tls: tls.map(|t| t.acceptor),
    }
}

/// The server thread: builds the runtime, reports readiness, serves until stopped.
fn run(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    settings: Settings,
    stop: oneshot::Receiver<()>,
    ready: &mpsc::Sender<io::Result<()>>,
) -> io::Result<()> {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("aqr-mock-worker")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            let _ = ready.send(Err(err));
            return Ok(());
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => listener,
            Err(err) => {
                let _ = ready.send(Err(err));
                return Ok(());
            }
        };
        let _ = ready.send(Ok(()));
        let stopped = async move {
            let _ = stop.await;
        };
        server::serve(listener, shared, settings, stopped).await
    })
}

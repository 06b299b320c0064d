//! Hostile TLS servers for client test suites: one that accepts TCP and never answers
//! the ClientHello, and one that answers it with a fatal handshake alert. (An expired
//! leaf and a leaf for the wrong host name are [`crate::TlsCertificate`] kinds of the
//! real mock.)

use std::io::{self, Read as _, Write as _};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// The most connections a [`HostileServer`] holds open at once (older ones are closed).
const MAX_HELD: usize = 256;
/// A TLS 1.2 record: a fatal `handshake_failure` alert.
const HANDSHAKE_FAILURE_ALERT: [u8; 7] = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28];

/// What a [`HostileServer`] does with a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Behaviour {
    Silent,
    Alert,
}

/// A TCP server on 127.0.0.1 that breaks TLS handshakes on purpose; it stops on drop.
///
/// ```
/// use aqr_mock::HostileServer;
///
/// let server = HostileServer::silent()?;
/// // A client pointed at server.url() must give up after its connect/handshake timeout.
/// assert!(server.url().starts_with("https://127.0.0.1:"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct HostileServer {
    port: u16,
    stopping: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HostileServer {
    /// Accepts connections and never sends a byte: the ClientHello is never answered.
    ///
    /// # Errors
    /// The port cannot be bound or the thread cannot be started.
    pub fn silent() -> io::Result<HostileServer> {
        HostileServer::start(Behaviour::Silent)
    }

    /// Reads the ClientHello and answers with a fatal `handshake_failure` alert.
    ///
    /// # Errors
    /// The port cannot be bound or the thread cannot be started.
    pub fn handshake_alert() -> io::Result<HostileServer> {
        HostileServer::start(Behaviour::Alert)
    }

    fn start(behaviour: Behaviour) -> io::Result<HostileServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let port = listener.local_addr()?.port();
        let stopping = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stopping);
        let thread = std::thread::Builder::new()
            .name(format!("aqr-mock-hostile-{port}"))
            .spawn(move || serve(&listener, behaviour, &stop))?;
        Ok(HostileServer {
            port,
            stopping,
            thread: Some(thread),
        })
    }

    /// The port it listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `https://127.0.0.1:PORT`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::Release);
        // Wakes the blocking accept.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for HostileServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostileServer")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

fn serve(listener: &TcpListener, behaviour: Behaviour, stopping: &AtomicBool) {
    let mut held = std::collections::VecDeque::new();
    for stream in listener.incoming() {
        if stopping.load(Ordering::Acquire) {
            return;
        }
        let Ok(mut stream) = stream else {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        match behaviour {
            Behaviour::Silent => {
                if held.len() >= MAX_HELD {
                    held.pop_front();
                }
                held.push_back(stream);
            }
            Behaviour::Alert => {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut hello = [0u8; 4096];
                let _ = stream.read(&mut hello);
                let _ = stream.write_all(&HANDSHAKE_FAILURE_ALERT);
                let _ = stream.flush();
            }
        }
    }
}

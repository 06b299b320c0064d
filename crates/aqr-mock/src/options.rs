//! How to start a mock: [`MockOptions`], credentials, and every default in one place.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The developer token the mock accepts when no credential is configured.
pub const DEFAULT_TOKEN: &str = "mock-developer-token";
/// The e-mail address paired with [`DEFAULT_TOKEN`].
pub const DEFAULT_EMAIL: &str = "dev@example.com";
/// The default capacity of the request log ([`MockOptions::request_log_capacity`]).
pub const DEFAULT_REQUEST_LOG_CAPACITY: usize = 10_000;
/// The default memory budget of the request log ([`MockOptions::request_log_bytes`]).
pub const DEFAULT_REQUEST_LOG_BYTES: usize = 64 << 20;
/// Request bodies larger than this are refused with `413 body_too_large`.
pub const MAX_REQUEST_BODY: usize = 64 * 1024;
/// The default of [`MockOptions::header_timeout`].
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The default of [`MockOptions::body_timeout`].
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// The default of [`MockOptions::idle_timeout`]: longer than the idle time of the
/// connection pools of common HTTP clients (reqwest keeps 90 s), so that a client never
/// reuses a connection the mock is closing.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// The default of [`MockOptions::write_timeout`].
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// The default of [`MockOptions::max_connections`]: well under the usual limit of 1,024
/// open files.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// A developer token and the e-mail address it belongs to.
///
/// `Debug` does not show the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    /// The value of the `AQR-DEVELOPER-TOKEN` header.
    pub token: String,
    /// The `email_address` that must accompany the token.
    pub email: String,
}

impl Credential {
    /// A credential from a token and an e-mail address.
    #[must_use]
    pub fn new(token: impl Into<String>, email: impl Into<String>) -> Self {
        Credential {
            token: token.into(),
            email: email.into(),
        }
    }
}

impl Default for Credential {
    /// [`DEFAULT_TOKEN`] and [`DEFAULT_EMAIL`].
    fn default() -> Self {
        Credential::new(DEFAULT_TOKEN, DEFAULT_EMAIL)
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("token", &"[REDACTED]")
            .field("email", &self.email)
            .finish()
    }
}

/// How to start a mock server. Start from [`MockOptions::default`] and change fields.
#[derive(Clone, Debug)]
pub struct MockOptions {
    /// The port to bind on 127.0.0.1; 0 picks a free port.
    pub port: u16,
    /// The accepted token/e-mail pairs (at least one). Default: one pair,
    /// [`DEFAULT_TOKEN`] / [`DEFAULT_EMAIL`].
    pub credentials: Vec<Credential>,
    /// Answer the API's failures with HTTP 200 (same JSON body), as some real services do.
    pub failures_as_200: bool,
    /// Keep entries in this JSON file across restarts. A create or delete is written to
    /// `<file>.journal` (and synced) before it is answered; the file itself is rewritten
    /// atomically on start and on shutdown, which empties the journal.
    pub state_file: Option<PathBuf>,
    /// How many recent requests the request log keeps (0 turns it off).
    pub request_log_capacity: usize,
    /// How many bytes the request log may hold; the oldest records go first.
    pub request_log_bytes: usize,
    /// How long a client has to send a request's headers once it has connected (or has
    /// started the next request), TLS handshake included.
    pub header_timeout: Duration,
    /// How long a client has to send a request's body once its headers are in; past it
    /// the answer is `408 request_timeout`.
    pub body_timeout: Duration,
    /// How long a keep-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    /// How long an answer may wait to be written to a client that does not read it (a
    /// full socket); past it the connection is closed.
    pub write_timeout: Duration,
    /// How many connections are served at once; a client beyond it gets
    /// `503 too_many_connections` (with `Retry-After: 1`) and is disconnected.
    pub max_connections: usize,
    /// Serve HTTPS with this certificate (`None`: plain HTTP).
    pub tls: Option<TlsCertificate>,
    /// Host names accepted in `Host` and `Origin` besides `127.0.0.1`, `localhost` and
    /// `[::1]` — for suites that reach the mock under another name, e.g. through a proxy
    /// that maps it to 127.0.0.1. Anything else is refused with `403 forbidden_host`, so
    /// that a web page cannot reach the mock through DNS rebinding.
    pub allowed_hosts: Vec<String>,
}

/// The certificate an HTTPS mock serves.
///
/// The generated kinds make a fresh CA at start (see [`crate::MockServer::ca_pem`]); the
/// hostile ones exist so that client suites can test how they fail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsCertificate {
    /// A leaf for `localhost`, `127.0.0.1` and `::1`, signed by a CA generated at start.
    #[default]
    Generated,
    /// A certificate chain and its private key from PEM files (the first certificate is
    /// the leaf).
    Files {
        /// The PEM certificate chain.
        cert: PathBuf,
        /// The PEM private key (PKCS#8, PKCS#1 or SEC1).
        key: PathBuf,
    },
    /// Hostile: like [`TlsCertificate::Generated`], but the leaf expired long ago.
    Expired,
    /// Hostile: like [`TlsCertificate::Generated`], but the leaf names only
    /// `wrong-host.invalid`.
    WrongHost,
}

impl TlsCertificate {
    /// The certificate command-line flags ask for: `--cert FILE --key FILE` (both or
    /// neither; the flag parser enforces it), else `--tls` for a generated one, else
    /// none (plain HTTP).
    #[must_use]
    pub fn from_flags(
        tls: bool,
        cert: Option<PathBuf>,
        key: Option<PathBuf>,
    ) -> Option<TlsCertificate> {
        match (cert, key) {
            (Some(cert), Some(key)) => Some(TlsCertificate::Files { cert, key }),
            _ if tls => Some(TlsCertificate::Generated),
            _ => None,
        }
    }
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            port: 0,
            credentials: vec![Credential::default()],
            failures_as_200: false,
            state_file: None,
            request_log_capacity: DEFAULT_REQUEST_LOG_CAPACITY,
            request_log_bytes: DEFAULT_REQUEST_LOG_BYTES,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            write_timeout: DEFAULT_WRITE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            tls: None,
            allowed_hosts: Vec::new(),
        }
    }
}

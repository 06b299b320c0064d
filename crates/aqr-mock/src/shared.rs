//! [`Shared`]: what every request of one running mock reads and changes.

use crate::fault_queue::FaultQueue;
use crate::guard::Guard;
use crate::log::RequestLog;
use crate::options::{Credential, MockOptions};
use crate::store::Store;
use aqr_core::validate;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub(crate) credentials: Vec<Credential>,
    pub(crate) failures_as_200: bool,
    pub(crate) store: Store,
    pub(crate) log: RequestLog,
    pub(crate) faults: FaultQueue,
    /// Who may talk to the mock.
    pub(crate) guard: Guard,
}

impl Shared {
    /// Checks the options and opens the store (loading the state file).
    ///
    /// # Errors
    /// `InvalidInput` for missing or malformed credentials; any error reading or writing
    /// the state file.
    pub(crate) fn new(
        options: MockOptions,
        addr: SocketAddr,
        scheme: &'static str,
    ) -> io::Result<Arc<Shared>> {
        if options.credentials.is_empty() {
            return Err(invalid_input(
                "at least one developer token/e-mail pair is needed",
            ));
        }
        check_limits(&options)?;
        check_allowed_hosts(&options.allowed_hosts)?;
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
        let secrets = options
            .credentials
            .iter()
            .map(|c| c.token.clone())
            .collect();
        Ok(Arc::new(Shared {
            store: Store::open(format!("{scheme}://{host}"), options.state_file.as_deref())?,
            log: RequestLog::new(
                options.request_log_capacity,
                options.request_log_bytes,
                secrets,
            ),
            credentials: options.credentials,
            failures_as_200: options.failures_as_200,
            faults: FaultQueue::default(),
            guard: Guard::new(scheme, host.port(), &options.allowed_hosts),
        }))
    }

    /// The base URL, `{scheme}://127.0.0.1:PORT`.
    pub(crate) fn base_url(&self) -> &str {
        self.store.base_url()
    }
}

/// The longest timeout the options take: long enough to mean "never" in a test run.
const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// The most connections the options take (far beyond any open-file limit).
const MAX_CONNECTIONS: usize = 1_000_000;

/// Timeouts between 1 ms and a day, 1 to [`MAX_CONNECTIONS`] connections.
fn check_limits(options: &MockOptions) -> io::Result<()> {
    for (name, timeout) in [
        ("header_timeout", options.header_timeout),
        ("body_timeout", options.body_timeout),
        ("idle_timeout", options.idle_timeout),
        ("write_timeout", options.write_timeout),
    ] {
        if timeout < Duration::from_millis(1) || timeout > MAX_TIMEOUT {
            return Err(invalid_input(&format!(
                "{name}: must be between 1 ms and 24 h (a timeout cannot be off), not {timeout:?}"
            )));
        }
    }
    if !(1..=MAX_CONNECTIONS).contains(&options.max_connections) {
        return Err(invalid_input(&format!(
            "max_connections: must be between 1 and {MAX_CONNECTIONS}, not {}",
            options.max_connections
        )));
    }
    Ok(())
}

/// Each allowed host is a bare host name (no port, no user).
fn check_allowed_hosts(hosts: &[String]) -> io::Result<()> {
    for host in hosts {
        let bare = host
            .parse::<hyper::http::uri::Authority>()
            .is_ok_and(|a| a.as_str() == a.host() && !a.host().is_empty());
        if !bare {
            return Err(invalid_input(&format!(
                "allowed_hosts: {host:?} is not a host name (no port, no user)"
            )));
        }
    }
    Ok(())
}

fn invalid_input(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.to_owned())
}

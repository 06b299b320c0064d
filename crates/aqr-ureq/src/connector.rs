//! ureq's default connector chain, made stoppable by [`crate::interrupt`].
//!
//! [`StoppableConnector`] wraps [`DefaultConnector`] (TCP, proxies, TLS) and every
//! transport it opens. With no check installed on the calling thread both only forward;
//! with one, a new connection is opened on a helper thread and the wait for input on an
//! open one is cut into slices (see [`crate::interrupt`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use ureq::Error;
use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport,
};

use crate::interrupt::{self, POLL, Watcher};
use crate::resolver::LiteralFirstResolver;

/// [`DefaultConnector`], stoppable while a check is installed.
#[derive(Debug, Default)]
pub(crate) struct StoppableConnector {
    inner: Arc<DefaultConnector>,
}

impl Connector<()> for StoppableConnector {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, Error> {
        let opened = if interrupt::is_watched() {
            self.connect_aside(details)?
        } else {
            self.inner.connect(details, chained)?
        };
        Ok(opened
            .map(|transport| Box::new(StoppableTransport::new(transport)) as Box<dyn Transport>))
    }
}

impl StoppableConnector {
    /// Opens the connection on a helper thread (its own copy of the details).
    fn connect_aside(
        &self,
        details: &ConnectionDetails,
    ) -> Result<Option<Box<dyn Transport>>, Error> {
        let inner = Arc::clone(&self.inner);
        let uri = details.uri.clone();
        let config = details.config.clone();
        let addrs = details.addrs.clone();
        let (request_level, now, timeout) = (details.request_level, details.now, details.timeout);
        let current_time = Arc::clone(&details.current_time);
        let run_connector = Arc::clone(&details.run_connector);
        let register_shutdown = Arc::clone(&details.register_shutdown);
        interrupt::aside(move || {
            // The agent's resolver is this one (used only to find a SOCKS proxy).
            let resolver = LiteralFirstResolver::default();
            let details = ConnectionDetails {
                uri: &uri,
                addrs,
                config: &config,
                request_level,
                resolver: &resolver,
                now,
                timeout,
                current_time,
                run_connector,
                register_shutdown,
            };
            inner.connect(&details, None)
        })?
    }
}

/// Within this time after a probe found a pooled connection open, with no I/O since, it
/// is taken as still open: ureq probes a connection when it goes back to the pool and
/// again when it is taken out, three system calls each, usually microseconds apart.
const PROBE_HOLDS_FOR: Duration = Duration::from_millis(1);

/// Time limits above this are given to the socket in whole tenths of a second (rounded
/// down), so that consecutive calls set the same value and ureq skips the system call
/// that would change it.
const COARSE_ABOVE: Duration = Duration::from_secs(1);

/// Every transport the SDK's connector opens: its wait for input is sliced while a check
/// is installed, a fresh "open" probe is not repeated, and long time limits are coarse.
#[derive(Debug)]
struct StoppableTransport {
    inner: Box<dyn Transport>,
    /// When a probe last found the connection open (cleared by any I/O).
    found_open: Option<Instant>,
}

impl StoppableTransport {
    fn new(inner: Box<dyn Transport>) -> Self {
        StoppableTransport {
            inner,
            found_open: None,
        }
    }
}

/// `timeout` with a long limit rounded down to a tenth of a second (never longer).
fn coarse(timeout: NextTimeout) -> NextTimeout {
    match timeout.after {
        UreqDuration::Exact(after) if after > COARSE_ABOVE => {
            let tenth = after.subsec_nanos() % 100_000_000;
            NextTimeout {
                after: UreqDuration::Exact(after - Duration::from_nanos(u64::from(tenth))),
                ..timeout
            }
        }
        _ => timeout,
    }
}

impl Transport for StoppableTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        self.found_open = None;
        interrupt::note_sent();
        self.inner.transmit_output(amount, coarse(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.found_open = None;
        // A per-read limit (the SDK sets none) is the inner transport's to apply whole.
        let watcher = match Watcher::current() {
            Some(watcher) if timeout.per_read.is_none() => watcher,
            _ => return self.inner.await_input(coarse(timeout)),
        };
        let within = |limit| NextTimeout {
            after: UreqDuration::Exact(limit),
            ..timeout
        };
        let started = Instant::now();
        loop {
            if watcher.should_stop() {
                return Err(Error::Io(interrupt::stopped(true)));
            }
            let left = timeout.after.saturating_sub(started.elapsed());
            if left <= POLL {
                return self.inner.await_input(within(left));
            }
            match self.inner.await_input(within(POLL)) {
                // The slice ended, the budget did not: ask the check and wait on.
                Err(Error::Timeout(_)) => {}
                other => return other,
            }
        }
    }

    fn is_open(&mut self) -> bool {
        if self
            .found_open
            .is_some_and(|at| at.elapsed() < PROBE_HOLDS_FOR)
        {
            return true;
        }
        let open = self.inner.is_open();
        self.found_open = open.then(Instant::now);
        open
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(timeout: NextTimeout) -> Duration {
        *timeout.after
    }

    fn limit(after: Duration) -> NextTimeout {
        NextTimeout {
            after: UreqDuration::Exact(after),
            ..NextTimeout::default()
        }
    }

    #[test]
    fn long_limits_are_rounded_down_to_a_tenth_and_short_ones_kept() {
        let rounded = coarse(limit(Duration::from_millis(29_987)));
        assert_eq!(after(rounded), Duration::from_millis(29_900));
        assert_eq!(
            after(coarse(limit(Duration::from_millis(29_912)))),
            Duration::from_millis(29_900),
            "consecutive calls give the socket the same value"
        );
        assert_eq!(
            after(coarse(limit(Duration::from_millis(900)))),
            Duration::from_millis(900)
        );
        assert!(coarse(NextTimeout::default()).after.is_not_happening());
    }
}

//! ureq's default connector chain, made stoppable by [`crate::interrupt`].
//!
//! [`StoppableConnector`] wraps [`DefaultConnector`] (TCP, proxies, TLS) and every
//! transport it opens. With no check installed on the calling thread both only forward;
//! with one, a new connection is opened on a helper thread and the wait for input on an
//! open one is cut into slices (see [`crate::interrupt`]).

use std::sync::Arc;
use std::time::Instant;

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
        Ok(opened.map(|transport| Box::new(StoppableTransport(transport)) as Box<dyn Transport>))
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

/// A transport whose wait for input is sliced while a check is installed.
#[derive(Debug)]
struct StoppableTransport(Box<dyn Transport>);

impl Transport for StoppableTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        interrupt::note_sent();
        self.0.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        // A per-read limit (the SDK sets none) is the inner transport's to apply whole.
        let watcher = match Watcher::current() {
            Some(watcher) if timeout.per_read.is_none() => watcher,
            _ => return self.0.await_input(timeout),
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
                return self.0.await_input(within(left));
            }
            match self.0.await_input(within(POLL)) {
                // The slice ended, the budget did not: ask the check and wait on.
                Err(Error::Timeout(_)) => {}
                other => return other,
            }
        }
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

//! ureq's default connector chain, made stoppable by [`crate::interrupt`] and cheaper per
//! call.
//!
//! [`StoppableConnector`] wraps [`DefaultConnector`] (TCP, proxies, TLS) and every
//! transport it opens. With a check installed on the calling thread, a new connection is
//! opened on a helper thread and the wait for input on an open one is cut into slices (see
//! [`crate::interrupt`]). With or without one, the transport saves system calls: a
//! request's head goes out with its body, a fresh "open" probe is not repeated, and long
//! time limits are handed to the socket coarsely.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ureq::Error;
use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport,
};

use crate::interrupt::{self, POLL};
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

/// A first write up to this size is held back and sent with the next one: ureq writes a
/// request's head and its body separately, and one write (one TLS record, one segment)
/// costs both ends less than two.
const HOLD_UP_TO: usize = 4096;

/// Every transport the SDK's connector opens: its wait for input is sliced while a check
/// is installed, a request's head goes out with its body, a fresh "open" probe is not
/// repeated, and long time limits are coarse.
#[derive(Debug)]
struct StoppableTransport {
    inner: Box<dyn Transport>,
    /// When a probe last found the connection open (cleared by any I/O).
    found_open: Option<Instant>,
    /// Bytes written but not yet sent (at most one small write).
    held: Vec<u8>,
}

impl StoppableTransport {
    fn new(inner: Box<dyn Transport>) -> Self {
        StoppableTransport {
            inner,
            found_open: None,
            held: Vec::new(),
        }
    }

    /// Sends the held bytes, if any, in front of the `amount` bytes at the start of the
    /// output buffer (or alone); `false` if they do not fit in front (nothing sent).
    fn send_with_held(&mut self, amount: usize, timeout: NextTimeout) -> Result<bool, Error> {
        let held = self.held.len();
        let output = self.inner.buffers().output();
        let Some(joined) = output.get_mut(..held + amount) else {
            return Ok(false);
        };
        joined.copy_within(..amount, held);
        if let Some(front) = joined.get_mut(..held) {
            front.copy_from_slice(&self.held);
        }
        self.held.clear();
        self.inner.transmit_output(held + amount, coarse(timeout))?;
        Ok(true)
    }

    /// Sends what is held (before waiting for an answer).
    fn flush(&mut self, timeout: NextTimeout) -> Result<(), Error> {
        if self.held.is_empty() || self.send_with_held(0, timeout)? {
            return Ok(());
        }
        // The held bytes came from this buffer, so they fit; never panic if not.
        Err(Error::Io(std::io::Error::other(
            "the request's first bytes no longer fit the output buffer",
        )))
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
        if self.held.is_empty() {
            if amount <= HOLD_UP_TO
                && let Some(bytes) = self.inner.buffers().output().get(..amount)
            {
                self.held.extend_from_slice(bytes);
                return Ok(());
            }
            return self.inner.transmit_output(amount, coarse(timeout));
        }
        if self.send_with_held(amount, timeout)? {
            return Ok(());
        }
        self.flush(timeout)?;
        self.inner.transmit_output(amount, coarse(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.found_open = None;
        self.flush(timeout)?;
        // A per-read limit (the SDK sets none) is the inner transport's to apply whole.
        let watch = match interrupt::current() {
            Some(watch) if timeout.per_read.is_none() => watch,
            _ => return self.inner.await_input(coarse(timeout)),
        };
        let within = |limit| NextTimeout {
            after: UreqDuration::Exact(limit),
            ..timeout
        };
        let started = Instant::now();
        loop {
            if watch.should_stop() {
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
    use std::sync::Mutex;
    use ureq::unversioned::transport::LazyBuffers;

    /// A transport that records what it is asked to send and answers every wait.
    #[derive(Debug)]
    struct Recorder {
        buffers: LazyBuffers,
        sent: Arc<Mutex<Vec<Vec<u8>>>>,
        awaited: Arc<Mutex<usize>>,
    }

    impl Transport for Recorder {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), Error> {
            let bytes = self.buffers.output()[..amount].to_vec();
            self.sent.lock().unwrap().push(bytes);
            Ok(())
        }
        fn await_input(&mut self, _: NextTimeout) -> Result<bool, Error> {
            *self.awaited.lock().unwrap() += 1;
            Ok(true)
        }
        fn is_open(&mut self) -> bool {
            true
        }
    }

    fn recorded() -> (StoppableTransport, Arc<Mutex<Vec<Vec<u8>>>>) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let recorder = Recorder {
            buffers: LazyBuffers::new(16 * 1024, 16 * 1024),
            sent: Arc::clone(&sent),
            awaited: Arc::default(),
        };
        (StoppableTransport::new(Box::new(recorder)), sent)
    }

    fn write(transport: &mut StoppableTransport, bytes: &[u8]) {
        transport.buffers().output()[..bytes.len()].copy_from_slice(bytes);
        transport
            .transmit_output(bytes.len(), NextTimeout::default())
            .unwrap();
    }

    #[test]
    fn a_head_goes_out_with_its_body_in_one_write() {
        let (mut transport, sent) = recorded();
        write(&mut transport, b"POST / HTTP/1.1\r\n\r\n");
        assert!(
            sent.lock().unwrap().is_empty(),
            "the head waits for the body"
        );
        write(&mut transport, b"a=1&b=2");
        assert_eq!(
            *sent.lock().unwrap(),
            vec![b"POST / HTTP/1.1\r\n\r\na=1&b=2".to_vec()]
        );
        // Whatever is held goes out before the answer is awaited.
        write(&mut transport, b"more");
        assert_eq!(sent.lock().unwrap().len(), 1);
        transport.await_input(NextTimeout::default()).unwrap();
        assert_eq!(sent.lock().unwrap()[1], b"more");
    }

    #[test]
    fn a_held_head_is_sent_before_waiting_for_the_answer() {
        let (mut transport, sent) = recorded();
        write(&mut transport, b"GET /qr.png HTTP/1.1\r\n\r\n");
        transport.await_input(NextTimeout::default()).unwrap();
        assert_eq!(
            *sent.lock().unwrap(),
            vec![b"GET /qr.png HTTP/1.1\r\n\r\n".to_vec()]
        );
    }

    #[test]
    fn large_writes_are_not_held() {
        let (mut transport, sent) = recorded();
        write(&mut transport, &[b'x'; HOLD_UP_TO + 1]);
        assert_eq!(sent.lock().unwrap().len(), 1);
    }

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

//! Connection deadlines: how long a client may take to send a request's headers, and how
//! long a keep-alive connection may sit idle.
//!
//! Each connection has an [`Activity`] that moves between three phases: waiting for a
//! request's headers (from the connection's start, or from the first byte of a later
//! request), busy (from the moment hyper hands a request over until its answer's body is
//! sent), and idle (between an answer and the next request's first byte). Reads mark
//! progress through [`Watched`], answers through [`Tracked`]; the connection's task
//! races its work against [`Activity::expired`].

use hyper::body::{Body, Frame, SizeHint};
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

const HEAD: u64 = 0;
const IDLE: u64 = 1;
const BUSY: u64 = 2;
const PHASE_BITS: u32 = 2;
const PHASE_MASK: u64 = (1 << PHASE_BITS) - 1;

/// The limits the watchdog enforces.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    /// From the start of a request (or of the connection) to its last header byte.
    pub(crate) header: Duration,
    /// From the end of an answer to the first byte of the next request.
    pub(crate) idle: Duration,
}

/// What a connection is doing and since when.
pub(crate) struct Activity {
    /// The phase in the low bits, the milliseconds since `epoch` above them.
    state: AtomicU64,
    epoch: Instant,
}

impl Activity {
    /// A connection that has just opened: waiting for headers from now.
    pub(crate) fn new() -> Activity {
        Activity {
            state: AtomicU64::new(HEAD),
            epoch: Instant::now(),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX >> PHASE_BITS)
    }

    fn set(&self, phase: u64) {
        self.state
            .store(self.now_ms() << PHASE_BITS | phase, Ordering::Release);
    }

    /// Bytes arrived: an idle connection now waits for the rest of a request's headers.
    fn read_some(&self) {
        let state = self.state.load(Ordering::Acquire);
        if state & PHASE_MASK == IDLE {
            let _ = self.state.compare_exchange(
                state,
                self.now_ms() << PHASE_BITS | HEAD,
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
        }
    }

    /// A request's headers are in: no deadline of this module applies until its answer
    /// is sent (the body has its own timeout; injected delays are meant to be long).
    pub(crate) fn busy(&self) {
        self.set(BUSY);
    }

    /// An answer was sent: idle from now.
    fn idle(&self) {
        self.set(IDLE);
    }

    /// Completes when the connection has waited longer than its phase allows.
    pub(crate) async fn expired(&self, timeouts: Timeouts) {
        let recheck = timeouts.header.min(timeouts.idle);
        loop {
            let state = self.state.load(Ordering::Acquire);
            let since = self.epoch + Duration::from_millis(state >> PHASE_BITS);
            let deadline = match state & PHASE_MASK {
                HEAD => since + timeouts.header,
                IDLE => since + timeouts.idle,
                _ => Instant::now() + recheck,
            };
            if state & PHASE_MASK != BUSY && Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// A stream whose reads mark progress on an [`Activity`].
pub(crate) struct Watched<IO> {
    inner: IO,
    activity: std::sync::Arc<Activity>,
}

impl<IO> Watched<IO> {
    /// `inner`, reporting to `activity`.
    pub(crate) fn new(inner: IO, activity: std::sync::Arc<Activity>) -> Self {
        Watched { inner, activity }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Watched<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.read_some();
        }
        polled
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Watched<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// An answer's body that marks the connection idle once it is sent (or dropped).
pub(crate) struct Tracked<B> {
    body: B,
    activity: std::sync::Arc<Activity>,
}

impl<B> Tracked<B> {
    /// `body`, reporting to `activity`.
    pub(crate) fn new(body: B, activity: std::sync::Arc<Activity>) -> Self {
        Tracked { body, activity }
    }
}

impl<B> Drop for Tracked<B> {
    fn drop(&mut self) {
        self.activity.idle();
    }
}

impl<B: Body + Unpin> Body for Tracked<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUTS: Timeouts = Timeouts {
        header: Duration::from_millis(100),
        idle: Duration::from_millis(300),
    };

    async fn expires_within(activity: &Activity, limit: Duration) -> bool {
        tokio::time::timeout(limit, activity.expired(TIMEOUTS))
            .await
            .is_ok()
    }

    #[tokio::test(start_paused = true)]
    async fn each_phase_has_its_deadline() {
        let activity = Activity::new();
        // A fresh connection gets the header timeout.
        assert!(!expires_within(&activity, Duration::from_millis(90)).await);
        assert!(expires_within(&activity, Duration::from_millis(20)).await);
        // Busy: never.
        activity.busy();
        assert!(!expires_within(&activity, Duration::from_secs(10)).await);
        // Idle: the idle timeout, from the end of the answer.
        activity.idle();
        assert!(!expires_within(&activity, Duration::from_millis(290)).await);
        // The first byte of the next request starts the header clock again.
        activity.read_some();
        assert!(!expires_within(&activity, Duration::from_millis(90)).await);
        assert!(expires_within(&activity, Duration::from_millis(20)).await);
    }
}

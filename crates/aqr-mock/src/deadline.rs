//! Connection deadlines: how long a client may take to send a request's headers, how long
//! a keep-alive connection may sit idle, and how long an answer may wait for a client that
//! does not read it.
//!
//! Each connection has an [`Activity`] that moves between three phases: waiting for a
//! request's headers (from the connection's start, or from the first byte of a later
//! request), busy (from the moment hyper hands a request over until its answer's body is
//! sent), and idle (between an answer and the next request's first byte). Reads mark
//! progress through [`Watched`], answers through [`Tracked`]; in any phase, a write that
//! cannot proceed (the client's window and the socket's buffer are full) starts a stall
//! that the next write that proceeds ends. The connection's task races its work against
//! [`Activity::expired`].

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
    /// How long a write may stall.
    pub(crate) write: Duration,
}

/// What a connection is doing and since when.
pub(crate) struct Activity {
    /// The phase in the low bits, the milliseconds since `epoch` above them.
    state: AtomicU64,
    /// Since when (milliseconds since `epoch`, plus one) writes have stalled; 0 when not.
    write_stalled: AtomicU64,
    epoch: Instant,
}

impl Activity {
    /// A connection that has just opened: waiting for headers from now.
    pub(crate) fn new() -> Activity {
        Activity {
            state: AtomicU64::new(HEAD),
            write_stalled: AtomicU64::new(0),
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

    /// A write could not proceed: a stall starts now unless one is under way.
    fn write_blocked(&self) {
        let since = self.now_ms().saturating_add(1);
        let _ = self
            .write_stalled
            .compare_exchange(0, since, Ordering::AcqRel, Ordering::Relaxed);
    }

    /// A write proceeded: no stall.
    fn write_proceeded(&self) {
        self.write_stalled.store(0, Ordering::Release);
    }

    /// When the current write stall passes its limit, if writes are stalled.
    fn write_deadline(&self, limit: Duration) -> Option<Instant> {
        match self.write_stalled.load(Ordering::Acquire) {
            0 => None,
            since => Some(self.epoch + Duration::from_millis(since - 1) + limit),
        }
    }

    /// An answer was sent: idle from now.
    fn idle(&self) {
        self.set(IDLE);
    }

    /// Completes when the connection has waited longer than its phase allows, or a write
    /// has stalled longer than the write limit.
    pub(crate) async fn expired(&self, timeouts: Timeouts) {
        let recheck = timeouts.header.min(timeouts.idle).min(timeouts.write);
        loop {
            let state = self.state.load(Ordering::Acquire);
            let since = self.epoch + Duration::from_millis(state >> PHASE_BITS);
            let phase_deadline = match state & PHASE_MASK {
                HEAD => Some(since + timeouts.header),
                IDLE => Some(since + timeouts.idle),
                _ => None,
            };
            let deadline = phase_deadline
                .into_iter()
                .chain(self.write_deadline(timeouts.write))
                .min();
            let now = Instant::now();
            if deadline.is_some_and(|deadline| now >= deadline) {
                return;
            }
            // Wake up in time for a phase change or a stall that starts meanwhile.
            let recheck_at = now + recheck;
            tokio::time::sleep_until(deadline.map_or(recheck_at, |d| d.min(recheck_at))).await;
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

impl<IO> Watched<IO> {
    /// Notes whether a write proceeded or stalled.
    fn noting<T>(&self, polled: Poll<T>) -> Poll<T> {
        if polled.is_pending() {
            self.activity.write_blocked();
        } else {
            self.activity.write_proceeded();
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
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.noting(polled)
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
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.noting(polled)
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
        write: Duration::from_millis(200),
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

    #[tokio::test(start_paused = true)]
    async fn a_stalled_write_expires_in_any_phase_and_progress_resets_it() {
        let activity = Activity::new();
        activity.busy();
        activity.write_blocked();
        tokio::time::advance(Duration::from_millis(150)).await;
        // Another stalled write does not restart the clock; one that proceeds ends it.
        activity.write_blocked();
        assert!(!expires_within(&activity, Duration::from_millis(40)).await);
        activity.write_proceeded();
        assert!(!expires_within(&activity, Duration::from_secs(10)).await);
        // A new stall gets the whole limit again.
        activity.write_blocked();
        assert!(!expires_within(&activity, Duration::from_millis(190)).await);
        assert!(expires_within(&activity, Duration::from_millis(20)).await);
    }
}

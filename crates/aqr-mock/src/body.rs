//! The bodies the mock sends: whole, in two halves with a stall between them, or
//! generated padding of any length that is never held in memory.

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// The start of a padding body.
const PADDING_HEAD: &[u8] = br#"{"result":"fail","padding":""#;
/// The end of a padding body.
const PADDING_TAIL: &[u8] = br#""}"#;
/// The filler a padding body is sent from, one slice at a time.
static FILLER: [u8; 64 * 1024] = [b'x'; 64 * 1024];

/// A body sent whole, in two halves with a pause between them, or generated.
pub(crate) struct MockBody {
    first: Option<Bytes>,
    stall: Option<Pin<Box<Sleep>>>,
    /// Filler bytes still to send after `first` (and before `rest`).
    filler: usize,
    rest: Option<Bytes>,
    len: u64,
}

impl MockBody {
    /// The body at once.
    pub(crate) fn full(body: Bytes) -> Self {
        let len = body.len() as u64;
        MockBody {
            first: Some(body).filter(|b| !b.is_empty()),
            stall: None,
            filler: 0,
            rest: None,
            len,
        }
    }

    /// Exactly `len` bytes that start like a JSON object (spaces when `len` is too short
    /// for that), sent from a static filler.
    pub(crate) fn padding(len: usize) -> Self {
        let frame = PADDING_HEAD.len() + PADDING_TAIL.len();
        let (first, filler, rest) = if len < frame {
            (Bytes::from(vec![b' '; len]), 0, Bytes::new())
        } else {
            (
                Bytes::from_static(PADDING_HEAD),
                len - frame,
                Bytes::from_static(PADDING_TAIL),
            )
        };
        MockBody {
            first: Some(first).filter(|b| !b.is_empty()),
            stall: None,
            filler,
            rest: Some(rest).filter(|b| !b.is_empty()),
            len: len as u64,
        }
    }

    /// The first half, a pause of `delay`, then the second half.
    pub(crate) fn stalled(mut body: Bytes, delay: Duration) -> Self {
        let len = body.len() as u64;
        let rest = body.split_off(body.len() / 2);
        MockBody {
            first: Some(body).filter(|b| !b.is_empty()),
            stall: Some(Box::pin(tokio::time::sleep(delay))),
            filler: 0,
            rest: Some(rest).filter(|b| !b.is_empty()),
            len,
        }
    }
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if let Some(first) = this.first.take() {
            return Poll::Ready(Some(Ok(Frame::data(first))));
        }
        if this.filler > 0 {
            let n = this.filler.min(FILLER.len());
            this.filler -= n;
            let chunk = FILLER.get(..n).unwrap_or_default();
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(chunk)))));
        }
        if this.rest.is_some()
            && let Some(stall) = this.stall.as_mut()
        {
            if stall.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.stall = None;
        }
        Poll::Ready(this.rest.take().map(|rest| Ok(Frame::data(rest))))
    }

    fn is_end_stream(&self) -> bool {
        self.first.is_none() && self.filler == 0 && self.rest.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len)
    }
}

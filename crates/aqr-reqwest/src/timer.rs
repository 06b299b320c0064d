//! Sleeping between retries on the tokio timer.

use std::future::Future;
use std::time::Duration;

use aqr_core::AsyncTimer;

/// Sleeps with [`tokio::time::sleep`] (needs a tokio runtime with the time driver).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokioTimer;

impl AsyncTimer for TokioTimer {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }
}

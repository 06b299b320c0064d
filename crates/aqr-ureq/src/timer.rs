//! Sleeping between retries on the calling thread.

use std::time::Duration;

use aqr_core::BlockingTimer;

/// Sleeps with [`std::thread::sleep`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThreadTimer;

impl BlockingTimer for ThreadTimer {
    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

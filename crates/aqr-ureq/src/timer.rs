//! Sleeping between retries on the calling thread.

use std::time::Duration;

use aqr_core::BlockingTimer;

/// Sleeps with [`std::thread::sleep`]; while a check is installed
/// ([`crate::interrupt::with_check`]) the sleep ends early once the check says stop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThreadTimer;

impl BlockingTimer for ThreadTimer {
    fn sleep(&self, duration: Duration) {
        crate::interrupt::sleep(duration);
    }
}

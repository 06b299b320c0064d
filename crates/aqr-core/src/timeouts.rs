//! Transport-neutral timeout settings every transport honours.

use std::time::Duration;

/// How long a transport may wait. There is always a limit: a call can never hang.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timeouts {
    /// Establishing the connection (DNS, TCP, TLS). Default 5 s.
    pub connect: Duration,
    /// One attempt, from sending the request to the end of the response body. Default 30 s.
    pub attempt: Duration,
}

impl Timeouts {
    /// The defaults: connect 5 s, attempt 30 s.
    pub const DEFAULT: Timeouts = Timeouts {
        connect: Duration::from_secs(5),
        attempt: Duration::from_secs(30),
    };

    /// The defaults with a different per-attempt limit (the connect limit is capped to it).
    #[must_use]
    pub fn per_attempt(attempt: Duration) -> Self {
        Timeouts {
            connect: Timeouts::DEFAULT.connect.min(attempt),
            attempt,
        }
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts::DEFAULT
    }
}

//! How long a call may take: the limits every transport honours, and their defaults.

use std::time::Duration;

use crate::validate::{self, Field, ValidationError};

/// How long a transport may wait. There is always a limit: a call can never hang.
///
/// - `connect`: establishing a connection (DNS, TCP, proxy, TLS). Default 5 s. It belongs
///   to the connection pool, so it is fixed when a transport is built.
/// - `attempt`: one attempt, from sending the request to the end of the response body.
///   Default 30 s.
/// - `total`: the whole call, retries and the waits between them included. Default none
///   (the attempts and the retry policy bound it). When set, no attempt runs past it: each
///   attempt's limit is the smaller of `attempt` and what remains.
///
/// Every value is checked when set: positive and at most [`Timeouts::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timeouts {
    connect: Duration,
    attempt: Duration,
    total: Option<Duration>,
}

impl Timeouts {
    /// The defaults: connect 5 s, attempt 30 s, no overall deadline.
    pub const DEFAULT: Timeouts = Timeouts {
        connect: Duration::from_secs(5),
        attempt: Duration::from_secs(30),
        total: None,
    };

    /// The longest limit accepted: one day. Longer values are mistakes (and some would
    /// overflow a clock).
    pub const MAX: Duration = Duration::from_secs(86_400);

    /// The connect limit.
    #[must_use]
    pub fn connect(&self) -> Duration {
        self.connect
    }

    /// The per-attempt limit.
    #[must_use]
    pub fn attempt(&self) -> Duration {
        self.attempt
    }

    /// The overall deadline, if any.
    #[must_use]
    pub fn total(&self) -> Option<Duration> {
        self.total
    }

    /// Sets the connect limit.
    ///
    /// # Errors
    /// [`crate::Rule::Duration`] for `connect_timeout` when zero or over [`Timeouts::MAX`].
    pub fn with_connect(mut self, connect: Duration) -> Result<Self, ValidationError> {
        self.connect = limit(Field::ConnectTimeout, connect)?;
        Ok(self)
    }

    /// Sets the per-attempt limit.
    ///
    /// # Errors
    /// [`crate::Rule::Duration`] for `timeout` when zero or over [`Timeouts::MAX`].
    pub fn with_attempt(mut self, attempt: Duration) -> Result<Self, ValidationError> {
        self.attempt = limit(Field::AttemptTimeout, attempt)?;
        Ok(self)
    }

    /// Sets (or, with `None`, removes) the overall deadline.
    ///
    /// # Errors
    /// [`crate::Rule::Duration`] for `deadline` when zero or over [`Timeouts::MAX`].
    pub fn with_total(mut self, total: Option<Duration>) -> Result<Self, ValidationError> {
        self.total = total.map(|t| limit(Field::Deadline, t)).transpose()?;
        Ok(self)
    }

    /// The limit of an attempt that starts `elapsed` into the call: the per-attempt limit,
    /// or what remains of the deadline when that is sooner (then `true`). Never zero.
    #[must_use]
    pub(crate) fn for_attempt(&self, elapsed: Duration) -> (Duration, bool) {
        match self.total {
            Some(total) if total.saturating_sub(elapsed) < self.attempt => (
                total.saturating_sub(elapsed).max(Duration::from_millis(1)),
                true,
            ),
            _ => (self.attempt, false),
        }
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts::DEFAULT
    }
}

fn limit(field: Field, value: Duration) -> Result<Duration, ValidationError> {
    validate::duration(field, value, false, Timeouts::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Rule;

    #[test]
    fn limits_are_checked_when_set() {
        let zero = Timeouts::DEFAULT.with_attempt(Duration::ZERO).unwrap_err();
        assert_eq!(zero.field(), Field::AttemptTimeout);
        assert!(matches!(zero.rule(), Rule::Duration { .. }));
        let huge = Timeouts::DEFAULT
            .with_total(Some(Duration::MAX))
            .unwrap_err();
        assert_eq!(huge.field(), Field::Deadline);
        assert!(Timeouts::DEFAULT.with_connect(Timeouts::MAX).is_ok());
    }

    #[test]
    fn the_deadline_bounds_the_attempt() {
        let t = Timeouts::DEFAULT
            .with_total(Some(Duration::from_secs(10)))
            .unwrap();
        assert_eq!(
            t.for_attempt(Duration::ZERO),
            (Duration::from_secs(10), true)
        );
        assert_eq!(
            t.for_attempt(Duration::from_secs(4)),
            (Duration::from_secs(6), true)
        );
        assert_eq!(
            t.for_attempt(Duration::from_secs(11)).0,
            Duration::from_millis(1)
        );
        assert_eq!(
            Timeouts::DEFAULT.for_attempt(Duration::from_secs(100)),
            (Duration::from_secs(30), false)
        );
    }
}

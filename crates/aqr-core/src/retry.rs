//! The retry decision: a pure function of policy, operation, attempt and outcome.

use std::time::Duration;

use crate::error::{Error, TransportErrorKind};
use crate::status;
use crate::validate::{self, Field, ValidationError};
use crate::vocabulary::OperationKind;

/// How failed calls are retried.
///
/// `create` has no idempotency key, so it is retried only when the request provably was
/// not processed: it failed before being sent, or the server refused it with 408, 429 or
/// 503. After a possible send it fails with an error for which
/// [`Error::is_outcome_unknown`] is `true`. `delete` and QR downloads are also retried on
/// other 5xx statuses and on failures after sending.
///
/// The defaults ([`RetryPolicy::DEFAULT`]): 2 retries, a backoff of 0.5 s doubling up to
/// 8 s (with jitter), a server's `Retry-After` honoured up to 60 s. Every value is checked
/// when set. The overall deadline is [`crate::Timeouts::total`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl RetryPolicy {
    /// 2 retries, 0.5 s initial backoff, 8 s largest backoff, `Retry-After` up to 60 s.
    pub const DEFAULT: RetryPolicy = RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(500),
        max_backoff: Duration::from_secs(8),
        max_retry_after: Duration::from_secs(60),
    };

    /// The largest number of retries accepted.
    pub const MAX_RETRIES: u32 = 100;

    /// The longest backoff or `Retry-After` wait accepted: one hour.
    pub const MAX_WAIT: Duration = Duration::from_secs(3_600);

    /// A policy that never retries.
    #[must_use]
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::DEFAULT
        }
    }

    /// Retries after the first attempt (0 disables retrying).
    #[must_use]
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Backoff before the first retry; it doubles each time.
    #[must_use]
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff.
    #[must_use]
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The largest `Retry-After` honoured; a longer one ends the call with the error
    /// (which carries the `retry_after`).
    #[must_use]
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Sets the number of retries.
    ///
    /// # Errors
    /// [`crate::Rule::TooMany`] for `max_retries` above [`RetryPolicy::MAX_RETRIES`].
    pub fn with_max_retries(mut self, max_retries: u32) -> Result<Self, ValidationError> {
        if max_retries > Self::MAX_RETRIES {
            return Err(ValidationError::new(
                Field::MaxRetries,
                validate::Rule::TooMany {
                    max: Self::MAX_RETRIES,
                },
            ));
        }
        self.max_retries = max_retries;
        Ok(self)
    }

    /// Sets the backoff before the first retry (zero allowed); the largest backoff is
    /// raised to it when lower.
    ///
    /// # Errors
    /// [`crate::Rule::Duration`] for `retry_backoff` above [`RetryPolicy::MAX_WAIT`].
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Result<Self, ValidationError> {
        self.initial_backoff = wait(Field::RetryBackoff, backoff)?;
        self.max_backoff = self.max_backoff.max(self.initial_backoff);
        Ok(self)
    }

    /// Sets the largest backoff; the initial backoff is lowered to it when higher.
    ///
    /// # Errors
    /// [`crate::Rule::Duration`] for `retry_backoff` above [`RetryPolicy::MAX_WAIT`].
    pub fn with_max_backoff(mut self, backoff: Duration) -> Result<Self, ValidationError> {
        self.max_backoff = wait(Field::RetryBackoff, backoff)?;
        self.initial_backoff = self.initial_backoff.min(self.max_backoff);
        Ok(self)
    }

    /// Sets the largest `Retry-After` honoured.
    ///
    /// # Errors
    /// [`crate::Rule::Duration`] for `retry_backoff` above [`RetryPolicy::MAX_WAIT`].
    pub fn with_max_retry_after(mut self, wait_at_most: Duration) -> Result<Self, ValidationError> {
        self.max_retry_after = wait(Field::RetryBackoff, wait_at_most)?;
        Ok(self)
    }

    /// The backoff before retry number `retry` (0-based), with `jitter` in `[0, 1]`
    /// choosing a point in the upper half: `d/2 + jitter·d/2` where
    /// `d = min(initial·2^retry, max)`.
    #[must_use]
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(30));
        let full = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            1.0
        };
        full.mul_f64(0.5 + 0.5 * jitter)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::DEFAULT
    }
}

fn wait(field: Field, value: Duration) -> Result<Duration, ValidationError> {
    validate::duration(field, value, true, RetryPolicy::MAX_WAIT)
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then send the request again.
    RetryAfter(Duration),
    /// Give up and return the error.
    Stop,
}

/// Whether and when to retry after `error`, given that `retries_done` retries were
/// already made, `elapsed` time has passed since the call began (no retry starts whose
/// wait would end past `deadline`) and `jitter` is a random number in `[0, 1]`.
pub(crate) fn decide(
    policy: &RetryPolicy,
    deadline: Option<Duration>,
    operation: OperationKind,
    retries_done: u32,
    error: &Error,
    elapsed: Duration,
    jitter: f64,
) -> Decision {
    if retries_done >= policy.max_retries || !is_retryable(operation, error) {
        return Decision::Stop;
    }
    let wait = match error {
        Error::Api(api) => match api.retry_after {
            Some(asked) if asked > policy.max_retry_after => return Decision::Stop,
            Some(asked) => asked,
            None => policy.backoff(retries_done, jitter),
        },
        _ => policy.backoff(retries_done, jitter),
    };
    match deadline {
        Some(deadline) if elapsed.saturating_add(wait) >= deadline => Decision::Stop,
        _ => Decision::RetryAfter(wait),
    }
}

/// The classification table of the design: which failures may be retried for which
/// operation.
fn is_retryable(operation: OperationKind, error: &Error) -> bool {
    match error {
        Error::Transport(e) => match e.kind() {
            TransportErrorKind::Tls | TransportErrorKind::BodyTooLarge => false,
            _ => !e.may_have_been_sent() || operation.is_idempotent(),
        },
        Error::Api(api) => {
            status::is_refusal(api.status)
                || ((500..600).contains(&api.status) && operation.is_idempotent())
        }
        _ => false,
    }
}

/// A jitter value in `[0, 1)` from the standard library's per-process random hash keys
/// (no extra dependency; quality is ample for spreading retries).
pub(crate) fn random_jitter() -> f64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x5eed);
    // 53 random bits → [0, 1).
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    fn api(status: u16, retry_after: Option<Duration>) -> Error {
        let mut error = ApiError::for_status(OperationKind::Delete, status);
        error.retry_after = retry_after;
        Error::from(error)
    }

    #[test]
    fn retry_after_within_the_cap_is_honoured() {
        let policy = RetryPolicy::DEFAULT;
        let wait = |ra| {
            decide(
                &policy,
                None,
                OperationKind::Create,
                0,
                &api(503, ra),
                Duration::ZERO,
                0.0,
            )
        };
        assert_eq!(
            wait(Some(Duration::from_secs(2))),
            Decision::RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(wait(Some(Duration::from_secs(61))), Decision::Stop);
        // A Retry-After too large to represent is longer than the cap, not "none".
        assert_eq!(wait(Some(Duration::MAX)), Decision::Stop);
        assert_eq!(wait(None), Decision::RetryAfter(Duration::from_millis(250)));
    }

    #[test]
    fn the_deadline_stops_retries() {
        let policy = RetryPolicy::DEFAULT;
        let deadline = Some(Duration::from_secs(1));
        let error = api(503, Some(Duration::from_secs(2)));
        assert_eq!(
            decide(
                &policy,
                deadline,
                OperationKind::Delete,
                0,
                &error,
                Duration::ZERO,
                0.0
            ),
            Decision::Stop
        );
    }

    #[test]
    fn setters_check_and_keep_backoffs_ordered() {
        let policy = RetryPolicy::DEFAULT
            .with_initial_backoff(Duration::from_secs(20))
            .unwrap();
        assert_eq!(policy.max_backoff(), Duration::from_secs(20));
        let policy = policy.with_max_backoff(Duration::from_secs(1)).unwrap();
        assert_eq!(policy.initial_backoff(), Duration::from_secs(1));
        assert!(RetryPolicy::DEFAULT.with_max_retries(101).is_err());
        assert!(
            RetryPolicy::DEFAULT
                .with_initial_backoff(Duration::from_secs(3_601))
                .is_err()
        );
    }
}

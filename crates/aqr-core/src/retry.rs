//! The retry decision: a pure function of policy, operation, attempt and outcome.

use std::time::Duration;

use http::StatusCode;

use crate::error::{Error, TransportErrorKind};
use crate::operation::OperationKind;
use crate::response::is_refusal;

/// How failed calls are retried.
///
/// `create` has no idempotency key, so it is retried only when the request provably was
/// not processed: it failed before being sent, or the server refused it with 408, 429 or
/// 503. After a possible send it fails with an error for which
/// [`Error::is_outcome_unknown`] is `true`. `delete` and QR downloads are also retried on
/// other 5xx statuses and on failures after sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying). Default 2.
    pub max_retries: u32,
    /// Backoff before the first retry; doubles each time. Default 0.5 s.
    pub initial_backoff: Duration,
    /// Largest backoff. Default 8 s.
    pub max_backoff: Duration,
    /// Largest `Retry-After` honoured; a longer one ends the call with the error (which
    /// carries the `retry_after`). Default 60 s.
    pub max_retry_after: Duration,
    /// Optional time budget for the whole call including retries: no retry starts whose
    /// wait would end past it. Default none.
    pub deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            deadline: None,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    #[must_use]
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The default policy with `max_retries` retries.
    #[must_use]
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
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

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then send the request again.
    RetryAfter(Duration),
    /// Give up and return the error.
    Stop,
}

/// Whether and when to retry after `error`, given that `retries_done` retries were
/// already made, `elapsed` time has passed since the call began and `jitter` is a
/// random number in `[0, 1]`.
#[must_use]
pub fn decide(
    policy: &RetryPolicy,
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
    match policy.deadline {
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
            let status = StatusCode::from_u16(api.status).unwrap_or(StatusCode::OK);
            is_refusal(status) || (status.is_server_error() && operation.is_idempotent())
        }
        _ => false,
    }
}

/// A jitter value in `[0, 1)` from the standard library's per-process random hash keys
/// (no extra dependency; quality is ample for spreading retries).
#[must_use]
pub fn random_jitter() -> f64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x5eed);
    // 53 random bits → [0, 1).
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

//! One call of an operation, attempt by attempt, without I/O and without a clock.
//!
//! The blocking and async clients drive the same [`Exchange`]: it hands out the request
//! of each attempt (with that attempt's time limit attached), takes what the transport
//! returned together with the time the driver read, and says whether to finish or to wait
//! and send again. All policy lives here, once.

use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::error::{Error, Limit, ResponseError, ResponseErrorKind, TimeoutLimit, TransportError};
use crate::operation::Operation;
use crate::redact;
use crate::retry::{Decision, RetryPolicy, decide};
use crate::timeouts::Timeouts;
use crate::vocabulary::{AttemptTimeout, HttpRequest, HttpResponse};

/// The next thing the driver must do.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step<T> {
    /// Sleep for the duration, then start the next attempt.
    Wait(Duration),
    /// The call is over.
    Done(Result<T, Error>),
}

/// The time as the driver read it when an attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    /// Time since the call began (a monotonic clock).
    pub elapsed: Duration,
    /// The wall clock, to turn a `Retry-After` date into a wait.
    pub wall_clock: SystemTime,
}

/// The state of one call: the built request and the attempts made so far.
#[derive(Debug)]
pub struct Exchange<'a, O: Operation> {
    operation: &'a O,
    config: &'a Config,
    retry: &'a RetryPolicy,
    timeouts: &'a Timeouts,
    request: HttpRequest,
    attempts: u32,
    /// The limit the last attempt ran under, and whether it was the deadline's.
    attempt_limit: (Duration, bool),
    /// An earlier attempt failed in a way the server may have processed.
    ambiguous: bool,
}

impl<'a, O: Operation> Exchange<'a, O> {
    /// Builds the request (again only for a retry).
    ///
    /// # Errors
    /// Whatever [`Operation::to_http`] reports (nothing has been sent).
    pub fn new(
        operation: &'a O,
        config: &'a Config,
        retry: &'a RetryPolicy,
        timeouts: &'a Timeouts,
    ) -> Result<Self, Error> {
        Ok(Exchange {
            request: operation.to_http(config)?,
            operation,
            config,
            retry,
            timeouts,
            attempts: 0,
            attempt_limit: (timeouts.attempt(), false),
            ambiguous: false,
        })
    }

    /// Starts the next attempt, `elapsed` into the call: the request to send, carrying its
    /// time limit as an [`AttemptTimeout`] (the per-attempt limit, or what remains of the
    /// overall deadline when that is sooner). The request is moved out: a retry builds it
    /// again, so the common single attempt costs no copy.
    #[must_use]
    pub fn start_attempt(&mut self, elapsed: Duration) -> HttpRequest {
        self.attempts += 1;
        self.attempt_limit = self.timeouts.for_attempt(elapsed);
        let mut request = std::mem::take(&mut self.request);
        request
            .extensions_mut()
            .insert(AttemptTimeout(self.attempt_limit.0));
        request
    }

    /// Takes the outcome of the attempt, the time read when it ended, and `jitter`, a
    /// random number in `[0, 1)`.
    pub fn finish_attempt(
        &mut self,
        outcome: Result<HttpResponse, TransportError>,
        now: Now,
        jitter: f64,
    ) -> Step<O::Output> {
        let kind = self.operation.kind();
        let secret = self.config.token().expose_secret();
        let mut error = match outcome {
            Ok(response) => match self.interpret(response, secret) {
                Ok(output) => return Step::Done(Ok(output)),
                Err(error) => error,
            },
            Err(mut transport) => {
                transport.set_operation(kind);
                let mut error = Error::Transport(transport);
                error.set_timeout_limit(self.timeout_limit(&error));
                error
            }
        };
        error.resolve_retry_at(now.wall_clock);
        let decision = decide(
            self.retry,
            self.timeouts.total(),
            kind,
            self.attempts - 1,
            &error,
            now.elapsed,
            jitter,
        );
        match decision {
            Decision::RetryAfter(wait) => match self.operation.to_http(self.config) {
                Ok(request) => {
                    self.ambiguous |= error.may_have_been_processed();
                    self.request = request;
                    Step::Wait(wait)
                }
                Err(rebuild_error) => Step::Done(Err(rebuild_error)),
            },
            Decision::Stop => {
                if self.ambiguous {
                    error.set_after_ambiguous_attempt();
                }
                error.set_attempts(self.attempts);
                error.scrub(secret);
                Step::Done(Err(error))
            }
        }
    }

    /// Parses a response whose body never shows the token: a body that carries it is
    /// scrubbed first, and a success that carried it is not trusted.
    fn interpret(&self, mut response: HttpResponse, secret: &str) -> Result<O::Output, Error> {
        let echoed = {
            let text = String::from_utf8_lossy(response.body());
            redact::body_contains(&text, secret)
                .then(|| redact::scrub_body(&text, secret).into_owned())
        };
        let Some(clean) = echoed else {
            return self.operation.from_http(&response);
        };
        *response.body_mut() = clean.into_bytes();
        let output = self.operation.from_http(&response)?;
        drop(output);
        Err(Error::Response(ResponseError::for_response(
            self.operation.kind(),
            ResponseErrorKind::EchoedToken,
            &response,
            None,
        )))
    }

    /// Which limit a timeout of the last attempt hit: the connect limit when nothing was
    /// sent (unless the deadline was sooner), else the attempt's or the deadline's.
    fn timeout_limit(&self, error: &Error) -> TimeoutLimit {
        let (limit, by_deadline) = self.attempt_limit;
        let total = self.timeouts.total().unwrap_or(limit);
        let sent = error.may_have_been_processed();
        match (sent, by_deadline) {
            (false, true) if limit <= self.timeouts.connect() => TimeoutLimit {
                limit: Limit::Total,
                after: total,
            },
            (false, _) => TimeoutLimit {
                limit: Limit::Connect,
                after: self.timeouts.connect().min(limit),
            },
            (true, true) => TimeoutLimit {
                limit: Limit::Total,
                after: total,
            },
            (true, false) => TimeoutLimit {
                limit: Limit::Attempt,
                after: limit,
            },
        }
    }
}

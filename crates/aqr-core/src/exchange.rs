//! One call of an operation, attempt by attempt, without I/O.
//!
//! The blocking and async clients drive the same [`Exchange`]: it hands out the request
//! to send, takes what the transport returned, and says whether to finish or to wait
//! and send again. All policy lives here, once.

use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::error::{Error, TransportError};
use crate::operation::Operation;
use crate::retry::{Decision, RetryPolicy, decide};
use crate::{HttpRequest, HttpResponse};

/// The next thing the driver must do.
#[derive(Debug)]
pub enum Step<T> {
    /// Sleep for the duration, then send [`Exchange::request`] again.
    Wait(Duration),
    /// The call is over.
    Done(Result<T, Error>),
}

/// The state of one call: the built request and the attempts made so far.
#[derive(Debug)]
pub struct Exchange<'a, O: Operation> {
    operation: &'a O,
    config: &'a Config,
    policy: &'a RetryPolicy,
    request: HttpRequest,
    attempts: u32,
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
        policy: &'a RetryPolicy,
    ) -> Result<Self, Error> {
        Ok(Exchange {
            request: operation.to_http(config)?,
            operation,
            config,
            policy,
            attempts: 0,
            ambiguous: false,
        })
    }

    /// The request to send for the next attempt (moved out: a retry builds it again, so
    /// the common single attempt costs no copy).
    #[must_use]
    pub fn request(&mut self) -> HttpRequest {
        self.attempts += 1;
        std::mem::take(&mut self.request)
    }

    /// Takes the outcome of the attempt; `elapsed` is the time since the call began and
    /// `jitter` a random number in `[0, 1)`.
    pub fn handle(
        &mut self,
        outcome: Result<HttpResponse, TransportError>,
        elapsed: Duration,
        jitter: f64,
    ) -> Step<O::Output> {
        let kind = self.operation.kind();
        let mut error = match outcome {
            Ok(response) => match self.operation.from_http(&response) {
                Ok(output) => return Step::Done(Ok(output)),
                Err(error) => error,
            },
            Err(mut transport) => {
                transport.set_operation(kind);
                Error::Transport(transport)
            }
        };
        error.resolve_retry_at(SystemTime::now());
        match decide(
            self.policy,
            kind,
            self.attempts - 1,
            &error,
            elapsed,
            jitter,
        ) {
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
                error.scrub(self.config.token().expose_secret());
                Step::Done(Err(error))
            }
        }
    }
}

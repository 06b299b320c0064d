//! One call of an operation, attempt by attempt, without I/O and without a clock.
//!
//! The blocking and async clients drive the same [`Exchange`]: it hands out the request
//! of each attempt (with that attempt's time limit attached), takes what the transport
//! returned together with the time the driver read, and says whether to finish or to wait
//! and send again. All policy lives here, once.
//!
//! With the feature `log`, each attempt is logged at DEBUG and each retry at INFO under
//! the target `aqr` (operation, URL without its query, status or error kind, elapsed time,
//! attempt n of m; for a retry the wait and its reason). Records never carry the token,
//! form values or the server's text.

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
    /// When the current attempt started, into the call.
    #[cfg(feature = "log")]
    attempt_started: Duration,
    /// The request's method and URL, for the log.
    #[cfg(feature = "log")]
    target: (http::Method, http::Uri),
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
        let request = operation.to_http(config)?;
        Ok(Exchange {
            #[cfg(feature = "log")]
            target: (request.method().clone(), request.uri().clone()),
            request,
            operation,
            config,
            retry,
            timeouts,
            attempts: 0,
            attempt_limit: (timeouts.attempt(), false),
            ambiguous: false,
            #[cfg(feature = "log")]
            attempt_started: Duration::ZERO,
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
        #[cfg(feature = "log")]
        {
            self.attempt_started = elapsed;
        }
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
        #[cfg(feature = "log")]
        records::attempt(self, &outcome, now.elapsed);
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
                    #[cfg(feature = "log")]
                    records::retry(self, &error, wait);
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
        let echoed = if redact::body_may_contain(response.body(), secret) {
            let text = String::from_utf8_lossy(response.body());
            redact::body_contains(&text, secret)
                .then(|| redact::scrub_body(&text, secret).into_owned())
        } else {
            None
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

/// The log records of the client loop (feature `log`): what they show is chosen here, so
/// that no secret can reach them — the URL without its query or user info, a status or an
/// error kind, never a body, a header or a message from the server.
#[cfg(feature = "log")]
mod records {
    use std::time::Duration;

    use super::Exchange;
    use crate::error::{Error, TransportError};
    use crate::operation::Operation;
    use crate::vocabulary::HttpResponse;

    /// The log target of every record of the SDK (`logging.getLogger("aqr")` in Python).
    const TARGET: &str = "aqr";

    /// One DEBUG record for the attempt that just ended.
    pub(super) fn attempt<O: Operation>(
        exchange: &Exchange<'_, O>,
        outcome: &Result<HttpResponse, TransportError>,
        elapsed: Duration,
    ) {
        if !log::log_enabled!(target: TARGET, log::Level::Debug) {
            return;
        }
        let result = match outcome {
            Ok(response) => format!("HTTP {}", response.status().as_u16()),
            Err(error) => format!("{} error", error.kind().code()),
        };
        log::debug!(
            target: TARGET,
            "{} attempt {} of {}: {} {} -> {} in {:.1} ms",
            exchange.operation.kind(),
            exchange.attempts,
            exchange.retry.max_retries().saturating_add(1),
            exchange.target.0,
            url_without_query(&exchange.target.1),
            result,
            elapsed.saturating_sub(exchange.attempt_started).as_secs_f64() * 1000.0,
        );
    }

    /// One INFO record for a retry about to wait `wait`.
    pub(super) fn retry<O: Operation>(exchange: &Exchange<'_, O>, error: &Error, wait: Duration) {
        if !log::log_enabled!(target: TARGET, log::Level::Info) {
            return;
        }
        let (cause, reason) = match error {
            Error::Api(api) if api.retry_after.is_some() => {
                (format!("HTTP {}", api.status), "the server's Retry-After")
            }
            Error::Api(api) => (format!("HTTP {}", api.status), "backoff"),
            Error::Response(response) => (format!("HTTP {}", response.status), "backoff"),
            Error::Transport(transport) => {
                (format!("{} error", transport.kind().code()), "backoff")
            }
            _ => ("failure".to_owned(), "backoff"),
        };
        log::info!(
            target: TARGET,
            "{} retry {} of {} in {:.3} s ({}) after {}",
            exchange.operation.kind(),
            exchange.attempts,
            exchange.retry.max_retries(),
            wait.as_secs_f64(),
            reason,
            cause,
        );
    }

    /// `scheme://host[:port]/path` of the request: no user info, no query (a QR image
    /// URL's `keyword` is an entry id, and a base URL could carry credentials).
    fn url_without_query(uri: &http::Uri) -> String {
        let scheme = uri.scheme_str().unwrap_or("");
        let host = uri.host().unwrap_or("");
        let port = uri.port_u16().map(|p| format!(":{p}")).unwrap_or_default();
        format!("{scheme}://{host}{port}{}", uri.path())
    }
}

#[cfg(all(test, feature = "log"))]
mod log_tests {
    use std::sync::{Mutex, Once};
    use std::time::{Duration, SystemTime};

    use super::{Exchange, Now, Step};
    use crate::bank::Bank;
    use crate::config::Config;
    use crate::error::TransportError;
    use crate::operation::NewAccount;
    use crate::retry::RetryPolicy;
    use crate::timeouts::Timeouts;

    /// Every record of every target, at every level.
    struct Capture(Mutex<Vec<(log::Level, String, String)>>);

    impl log::Log for Capture {
        fn enabled(&self, _: &log::Metadata<'_>) -> bool {
            true
        }

        fn log(&self, record: &log::Record<'_>) {
            if let Ok(mut records) = self.0.lock() {
                records.push((
                    record.level(),
                    record.target().to_owned(),
                    record.args().to_string(),
                ));
            }
        }

        fn flush(&self) {}
    }

    static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));
    static INSTALL: Once = Once::new();

    const TOKEN: &str = "tok_LOG_SECRET_0123456789";

    #[test]
    fn attempts_and_retries_are_logged_without_secrets() {
        INSTALL.call_once(|| {
            log::set_logger(&CAPTURE).expect("the only logger of this test binary");
            log::set_max_level(log::LevelFilter::Trace);
        });
        let config = Config::new(TOKEN, "dev@example.com")
            .and_then(|c| c.with_base_url("http://127.0.0.1:9"))
            .expect("valid config");
        let create = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
            .account_name("월세")
            .validate()
            .expect("valid account");
        let retry = RetryPolicy::DEFAULT;
        let timeouts = Timeouts::DEFAULT;
        let mut exchange = Exchange::new(&create, &config, &retry, &timeouts).expect("built");
        let now = |ms| Now {
            elapsed: Duration::from_millis(ms),
            wall_clock: SystemTime::UNIX_EPOCH,
        };
        drop(exchange.start_attempt(Duration::ZERO));
        let refused = TransportError::connect(format!("refused {TOKEN}"));
        assert!(matches!(
            exchange.finish_attempt(Err(refused), now(12), 0.0),
            Step::Wait(_)
        ));
        drop(exchange.start_attempt(Duration::from_millis(300)));
        let response = http::Response::builder()
            .status(503)
            .header("retry-after", "1")
            .body(format!("{{\"result\":\"fail\",\"message\":\"{TOKEN}\"}}").into_bytes())
            .expect("response");
        assert!(matches!(
            exchange.finish_attempt(Ok(response), now(320), 0.0),
            Step::Wait(_)
        ));
        let records = CAPTURE.0.lock().expect("records").clone();
        let ours: Vec<_> = records.iter().filter(|(_, t, _)| t == "aqr").collect();
        let texts: Vec<&str> = ours.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(ours.len(), 4, "{texts:?}");
        assert_eq!(ours[0].0, log::Level::Debug);
        assert_eq!(
            texts[0],
            "create attempt 1 of 3: POST http://127.0.0.1:9/api/ -> connect error in 12.0 ms"
        );
        assert_eq!(ours[1].0, log::Level::Info);
        assert!(
            texts[1].starts_with("create retry 1 of 2 in "),
            "{}",
            texts[1]
        );
        assert!(
            texts[1].ends_with("(backoff) after connect error"),
            "{}",
            texts[1]
        );
        assert!(texts[2].contains("attempt 2 of 3") && texts[2].contains("HTTP 503 in 20.0 ms"));
        assert!(texts[3].contains("in 1.000 s (the server's Retry-After) after HTTP 503"));
        for (_, _, text) in &records {
            for secret in [TOKEN, "1234567894321", "홍길동", "01012341234", "월세"] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
    }
}

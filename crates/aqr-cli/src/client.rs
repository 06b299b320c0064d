//! The blocking client the commands use, built from the global flags, with the
//! `--verbose` trace (method, endpoint, status, attempts; never the token).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use aqr_core::{
    BlockingSender, BlockingTimer, Config, CreatedAccount, DeveloperToken, Dialect, HttpRequest,
    HttpResponse, NewAccount, RetryPolicy, Timeouts, TransportError,
};
use aqr_ureq::{ThreadTimer, UreqSender};

use crate::args::GlobalArgs;
use crate::error::CliError;
use crate::output::{self, Output};

/// The configuration from `--token`/`--email`/`--base-url`/`--dialect` (or the
/// environment variables).
///
/// # Errors
/// [`CliError::Usage`] when the token or e-mail is missing; a configuration error naming
/// the setting when one is invalid.
pub fn config(global: &GlobalArgs) -> Result<Config, CliError> {
    let token = present(global.token.as_deref()).ok_or_else(|| {
        CliError::Usage(format!(
            "missing developer token: set {} (or pass --token)",
            aqr_core::ENV_TOKEN
        ))
    })?;
    let email = present(global.email.as_deref()).ok_or_else(|| {
        CliError::Usage(format!(
            "missing e-mail address: set {} or pass --email",
            aqr_core::ENV_EMAIL
        ))
    })?;
    let configure = |e: aqr_core::ConfigError| CliError::sdk("configure the client", e);
    let mut config = Config::new(token, email).map_err(configure)?;
    if let Some(base_url) = present(Some(global.base_url.as_str())) {
        config = config.with_base_url(base_url).map_err(configure)?;
    }
    Ok(config.with_dialect(dialect(global)))
}

/// The `--dialect` chosen, or the reference spelling.
#[must_use]
pub fn dialect(global: &GlobalArgs) -> Dialect {
    global.dialect.map_or(Dialect::Reference, Dialect::from)
}

fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// The blocking client, traced when `--verbose` is on.
pub struct CliClient {
    inner: aqr_core::Client<aqr_core::Blocking<Traced<UreqSender>, Traced<ThreadTimer>>>,
    out: Output,
}

impl CliClient {
    /// A client for `config` with the `--timeout`, `--retries` and `--retry-backoff` of
    /// `global`.
    #[must_use]
    pub fn new(config: Config, global: &GlobalArgs, out: Output) -> Self {
        let timeouts = global
            .timeout
            .map_or(Timeouts::DEFAULT, Timeouts::per_attempt);
        let defaults = RetryPolicy::default();
        let initial_backoff = global.retry_backoff.unwrap_or(defaults.initial_backoff);
        let retry = RetryPolicy {
            max_retries: global.retries.unwrap_or(defaults.max_retries),
            initial_backoff,
            max_backoff: defaults.max_backoff.max(initial_backoff),
            ..defaults
        };
        let secret = config.token().clone();
        let sender = UreqSender::with_timeouts(timeouts);
        let driver = aqr_core::Blocking {
            sender: Traced::new(sender, out, secret.clone()),
            timer: Traced::new(ThreadTimer, out, secret),
        };
        CliClient {
            inner: aqr_core::Client::with_driver(config, driver).with_retry_policy(retry),
            out,
        }
    }

    /// Creates an entry.
    ///
    /// # Errors
    /// The SDK's error, labelled "create".
    pub fn create(&self, account: &NewAccount) -> Result<CreatedAccount, CliError> {
        self.try_create(account)
            .map_err(|error| CliError::sdk("create", error))
    }

    /// Creates an entry, returning the SDK's own error (bulk runs classify it per row).
    ///
    /// # Errors
    /// The SDK's error.
    pub fn try_create(&self, account: &NewAccount) -> Result<CreatedAccount, aqr_core::Error> {
        self.traced("create", || self.inner.create(account))
    }

    /// Deletes an entry.
    ///
    /// # Errors
    /// The SDK's error, labelled "delete".
    pub fn delete(&self, account_id: &str) -> Result<(), CliError> {
        self.try_delete(account_id)
            .map_err(|error| CliError::sdk("delete", error))
    }

    /// Deletes an entry, returning the SDK's own error.
    ///
    /// # Errors
    /// The SDK's error.
    pub fn try_delete(&self, account_id: &str) -> Result<(), aqr_core::Error> {
        self.traced("delete", || self.inner.delete(account_id))
    }

    /// Downloads a QR image (the token is not sent).
    ///
    /// # Errors
    /// The SDK's error, labelled "download the QR image".
    pub fn qr_image(&self, url: &str) -> Result<Vec<u8>, CliError> {
        self.traced("download the QR image", || self.inner.qr_image(url))
            .map_err(|error| CliError::sdk("download the QR image", error))
    }

    fn traced<T>(
        &self,
        action: &'static str,
        run: impl FnOnce() -> Result<T, aqr_core::Error>,
    ) -> Result<T, aqr_core::Error> {
        self.inner
            .driver()
            .sender
            .attempts
            .store(0, Ordering::Relaxed);
        let started = Instant::now();
        let result = run();
        let attempts = self.inner.driver().sender.attempts.load(Ordering::Relaxed);
        let outcome = if result.is_ok() { "ok" } else { "failed" };
        self.out.trace(&format!(
            "{action}: {outcome} after {attempts} attempt{} in {}",
            if attempts == 1 { "" } else { "s" },
            millis(started.elapsed())
        ));
        result
    }
}

/// A sender or timer that reports what it does on stderr under `--verbose`.
///
/// It sees the request but prints only its method and URI; transport messages are
/// scrubbed of the token before they are printed.
pub struct Traced<T> {
    inner: T,
    out: Output,
    secret: DeveloperToken,
    attempts: AtomicU32,
}

impl<T> Traced<T> {
    fn new(inner: T, out: Output, secret: DeveloperToken) -> Self {
        Traced {
            inner,
            out,
            secret,
            attempts: AtomicU32::new(0),
        }
    }

    fn scrub(&self, text: &str) -> String {
        let secret = self.secret.expose_secret();
        if secret.is_empty() {
            text.to_owned()
        } else {
            text.replace(secret, "[REDACTED]")
        }
    }
}

impl<S: BlockingSender> BlockingSender for Traced<S> {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let attempt = self.attempts.fetch_add(1, Ordering::Relaxed) + 1;
        let verbose = self.out.is_verbose();
        if verbose {
            output::trace(&format!(
                "{} {} (attempt {attempt})",
                request.method(),
                self.scrub(&request.uri().to_string())
            ));
        }
        let started = Instant::now();
        let outcome = self.inner.send(request);
        if verbose {
            let elapsed = millis(started.elapsed());
            match &outcome {
                Ok(response) => output::trace(&format!(
                    "  -> HTTP {} ({} bytes) in {elapsed}",
                    response.status(),
                    response.body().len()
                )),
                Err(error) => output::trace(&format!(
                    "  -> {} error{} in {elapsed}: {}",
                    error.kind().code(),
                    if error.may_have_been_sent() {
                        " (request may have been sent)"
                    } else {
                        " (request not sent)"
                    },
                    self.scrub(error.message())
                )),
            }
        }
        outcome
    }
}

impl<T: BlockingTimer> BlockingTimer for Traced<T> {
    fn sleep(&self, duration: Duration) {
        self.out
            .trace(&format!("  retrying in {}", millis(duration)));
        self.inner.sleep(duration);
    }

    fn jitter(&self) -> f64 {
        self.inner.jitter()
    }
}

fn millis(duration: Duration) -> String {
    format!("{} ms", duration.as_millis())
}

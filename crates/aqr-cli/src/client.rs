//! The blocking client the commands use, built from the global flags, with the
//! `--verbose` trace (method, endpoint, status, attempts; never the token).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use aqr::blocking::interrupt::with_check;
use aqr::blocking::{ThreadTimer, UreqSender};
use aqr::transport::{
    Blocking, BlockingSender, BlockingTimer, HttpRequest, HttpResponse, TransportError,
};
use aqr::{ClientSettings, CreatedAccount, DeveloperToken, NewAccount};

use crate::args::GlobalArgs;
use crate::error::CliError;
use crate::interrupt::Interrupt;
use crate::output::{self, Output};

/// The client settings from the global flags, falling back to the environment
/// (`AQR_DEVELOPER_TOKEN`, `AQR_EMAIL`, `AQR_BASE_URL`, `AQR_CA_BUNDLE`, the proxy
/// variables) and the SDK's defaults.
///
/// # Errors
/// An SDK validation error naming the missing or invalid setting (exit code 2).
pub(crate) fn settings(global: &GlobalArgs) -> Result<ClientSettings, CliError> {
    global
        .client_options()
        .resolve(|name| std::env::var(name).ok())
        .map_err(|e| CliError::sdk("configure the client", e))
}

/// The blocking client, traced when `--verbose` is on.
pub(crate) struct CliClient {
    inner: aqr::transport::Client<Blocking<Traced<UreqSender>, Traced<ThreadTimer>>>,
    out: Output,
}

impl CliClient {
    /// A client for `settings` (credentials, time limits, retries, proxy, trust).
    ///
    /// # Errors
    /// A transport error when a proxy of the settings cannot be used.
    pub(crate) fn new(settings: ClientSettings, out: Output) -> Result<Self, CliError> {
        let sender =
            UreqSender::new(&settings).map_err(|e| CliError::sdk("configure the client", e))?;
        let secret = settings.config.token().clone();
        let driver = Blocking {
            sender: Traced::new(sender, out, secret.clone()),
            timer: Traced::new(ThreadTimer, out, secret),
        };
        let inner = aqr::transport::Client::with_driver(settings.config, driver)
            .with_timeouts(settings.timeouts)
            .with_retry_policy(settings.retry);
        Ok(CliClient { inner, out })
    }

    /// Creates an entry.
    ///
    /// # Errors
    /// The SDK's error, labelled "create".
    pub(crate) fn create(&self, account: &NewAccount) -> Result<CreatedAccount, CliError> {
        self.try_create(account)
            .map_err(|error| CliError::sdk("create", error))
    }

    /// Creates an entry, returning the SDK's own error (bulk runs classify it per row).
    ///
    /// # Errors
    /// The SDK's error.
    pub(crate) fn try_create(&self, account: &NewAccount) -> Result<CreatedAccount, aqr::Error> {
        self.traced("create", || self.inner.create(account))
    }

    /// Deletes an entry.
    ///
    /// # Errors
    /// The SDK's error, labelled "delete".
    pub(crate) fn delete(&self, account_id: &str) -> Result<(), CliError> {
        self.try_delete(account_id)
            .map_err(|error| CliError::sdk("delete", error))
    }

    /// Deletes an entry, returning the SDK's own error.
    ///
    /// # Errors
    /// The SDK's error.
    pub(crate) fn try_delete(&self, account_id: &str) -> Result<(), aqr::Error> {
        self.traced("delete", || self.inner.delete(account_id))
    }

    /// Downloads a QR image (the token is not sent).
    ///
    /// # Errors
    /// The SDK's error, labelled "download the QR image".
    pub(crate) fn qr_image(&self, url: &str) -> Result<Vec<u8>, CliError> {
        self.traced("download the QR image", || self.inner.qr_image(url))
            .map_err(|error| CliError::sdk("download the QR image", error))
    }

    /// Runs `call` so that Ctrl-C (`interrupt`) stops it where it waits — for a response,
    /// for a connection, between retries — after which nothing more is sent. Returns the
    /// call's result and whether Ctrl-C stopped it (the SDK's error then says whether the
    /// request may have been sent).
    pub(crate) fn stoppable<T>(
        &self,
        interrupt: &Interrupt,
        call: impl FnOnce(&Self) -> Result<T, aqr::Error>,
    ) -> (Result<T, aqr::Error>, bool) {
        let pressed = interrupt.clone();
        let (result, stop) = with_check(move || pressed.is_set(), || call(self));
        (result, stop.stopped)
    }

    fn traced<T>(
        &self,
        action: &'static str,
        run: impl FnOnce() -> Result<T, aqr::Error>,
    ) -> Result<T, aqr::Error> {
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
pub(crate) struct Traced<T> {
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
        aqr::escape_controls(&self.secret.redact(text)).into_owned()
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

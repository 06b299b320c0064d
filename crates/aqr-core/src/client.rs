//! The client: configuration, retry policy and a driver that moves bytes.

use std::future::Future;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use crate::config::Config;
use crate::error::Error;
use crate::exchange::{Exchange, Now, Step};
use crate::operation::{DeleteRequest, NewAccount, Operation, QrImageRequest};
use crate::retry::RetryPolicy;
use crate::timeouts::Timeouts;
use crate::transport::{AsyncSender, AsyncTimer, BlockingSender, BlockingTimer};
use crate::validate::ValidationError;
use crate::vocabulary::CreatedAccount;

/// A blocking driver: a sender and a timer.
#[derive(Clone, Debug, Default)]
pub struct Blocking<S, T> {
    /// Sends requests.
    pub sender: S,
    /// Sleeps between retries.
    pub timer: T,
}

/// An async driver: a sender and a timer.
#[derive(Clone, Debug, Default)]
pub struct Async<S, T> {
    /// Sends requests.
    pub sender: S,
    /// Sleeps between retries.
    pub timer: T,
}

/// An AQR client over driver `D` ([`Blocking`] or [`Async`]).
///
/// The transport crates build the usual ones (`aqr_ureq::Client`, `aqr_reqwest::Client`);
/// any sender — a closure included — can be plugged in with [`Client::with_driver`].
/// Blocking and async clients have the same methods: `create`, `delete`, `qr_image` and
/// the generic `execute`.
///
/// The retry policy and the time limits apply per call: a clone with other ones
/// ([`Client::with_retry_policy`], [`Client::with_timeouts`]) shares the driver, and with
/// it the connection pool. The connect limit is the driver's (it belongs to the pool);
/// [`Timeouts::connect`] here only names it in errors.
///
/// Cloning is cheap: the configuration is shared, the driver is cloned (the transports'
/// drivers share their connection pool).
#[derive(Clone, Debug)]
pub struct Client<D> {
    config: Arc<Config>,
    retry: RetryPolicy,
    timeouts: Timeouts,
    driver: D,
}

impl<D> Client<D> {
    /// A client with the default retry policy and time limits.
    #[must_use]
    pub fn with_driver(config: Config, driver: D) -> Self {
        Client {
            config: Arc::new(config),
            retry: RetryPolicy::DEFAULT,
            timeouts: Timeouts::DEFAULT,
            driver,
        }
    }

    /// Replaces the retry policy.
    #[must_use]
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the time limits of each call (see [`Timeouts`]).
    #[must_use]
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The time limits of each call.
    #[must_use]
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The retry policy.
    #[must_use]
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The driver (sender and timer).
    #[must_use]
    pub fn driver(&self) -> &D {
        &self.driver
    }
}

impl<D: Default> Client<D> {
    /// A client with the driver's defaults.
    #[must_use]
    pub fn new(config: Config) -> Self {
        Client::with_driver(config, D::default())
    }

    /// A client configured from `AQR_DEVELOPER_TOKEN`, `AQR_EMAIL` and `AQR_BASE_URL`.
    ///
    /// # Errors
    /// A [`ValidationError`] when the token or e-mail is missing or invalid.
    pub fn from_env() -> Result<Self, ValidationError> {
        Ok(Client::new(Config::from_env()?))
    }
}

impl<S: BlockingSender, T: BlockingTimer> Client<Blocking<S, T>> {
    /// Runs any operation with retries.
    ///
    /// # Errors
    /// See [`Error`]; nothing is sent when building the request fails.
    pub fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        let started = Instant::now();
        let mut exchange = Exchange::new(operation, &self.config, &self.retry, &self.timeouts)?;
        loop {
            let outcome = self
                .driver
                .sender
                .send(exchange.start_attempt(started.elapsed()));
            match exchange.finish_attempt(outcome, now(started), self.driver.timer.jitter()) {
                Step::Wait(wait) => self.driver.timer.sleep(wait),
                Step::Done(result) => return result,
            }
        }
    }

    /// Creates an entry.
    ///
    /// # Errors
    /// [`Error::Invalid`] before any I/O; otherwise see [`Error`]. When
    /// [`Error::is_outcome_unknown`] is `true` the entry may exist.
    pub fn create(&self, account: &NewAccount) -> Result<CreatedAccount, Error> {
        self.execute(&account.validate()?)
    }

    /// Deletes an entry.
    ///
    /// # Errors
    /// [`Error::Invalid`] before any I/O; [`Error::Api`] for an unknown id; see [`Error`].
    pub fn delete(&self, account_id: &str) -> Result<(), Error> {
        self.execute(&DeleteRequest::new(account_id)?)
    }

    /// Downloads a QR image (the `qr_image` URL of a [`CreatedAccount`]); the token is
    /// not sent.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a URL that is not `https` (or loopback `http`); see [`Error`].
    pub fn qr_image(&self, qr_image_url: &str) -> Result<Vec<u8>, Error> {
        self.execute(&QrImageRequest::new(qr_image_url)?)
    }
}

impl<S: AsyncSender, T: AsyncTimer> Client<Async<S, T>> {
    /// Runs any operation with retries.
    ///
    /// # Errors
    /// See [`Error`]; nothing is sent when building the request fails.
    pub async fn execute<O: Operation + Sync>(&self, operation: &O) -> Result<O::Output, Error> {
        let started = Instant::now();
        let mut exchange = Exchange::new(operation, &self.config, &self.retry, &self.timeouts)?;
        loop {
            let request = exchange.start_attempt(started.elapsed());
            let outcome = self.driver.sender.send(request).await;
            match exchange.finish_attempt(outcome, now(started), self.driver.timer.jitter()) {
                Step::Wait(wait) => self.driver.timer.sleep(wait).await,
                Step::Done(result) => return result,
            }
        }
    }

    /// Creates an entry. The entry is checked when this is called, before the future
    /// is first polled.
    ///
    /// # Errors
    /// As the blocking [`Client::create`].
    pub fn create(
        &self,
        account: &NewAccount,
    ) -> impl Future<Output = Result<CreatedAccount, Error>> {
        self.execute_checked(account.validate())
    }

    /// Deletes an entry (the id is checked when this is called).
    ///
    /// # Errors
    /// As the blocking [`Client::delete`].
    pub fn delete(&self, account_id: &str) -> impl Future<Output = Result<(), Error>> {
        self.execute_checked(DeleteRequest::new(account_id))
    }

    /// Downloads a QR image; the token is not sent (the URL is checked when this is
    /// called).
    ///
    /// # Errors
    /// As the blocking [`Client::qr_image`].
    pub fn qr_image(&self, qr_image_url: &str) -> impl Future<Output = Result<Vec<u8>, Error>> {
        self.execute_checked(QrImageRequest::new(qr_image_url))
    }

    /// Runs an operation that was checked outside the future, or fails with its error.
    /// The future holds only the check's result and the call (it is borrowed, not moved:
    /// with many calls in flight, every byte of a call's future is memory a poll touches).
    async fn execute_checked<O: Operation + Sync>(
        &self,
        operation: Result<O, ValidationError>,
    ) -> Result<O::Output, Error> {
        match &operation {
            Ok(operation) => self.execute(operation).await,
            Err(error) => Err(error.clone().into()),
        }
    }
}

/// The clocks as the loop reads them when an attempt ends.
fn now(started: Instant) -> Now {
    Now {
        elapsed: started.elapsed(),
        wall_clock: SystemTime::now(),
    }
}

//! [`Client`]: the async client, a thin named wrapper over the core's client loop.

use aqr_core::{
    Async, Config, CreatedAccount, Error, NewAccount, Operation, RetryPolicy, Timeouts,
};
use aqr_net::{ClientBuilder, ClientSettings, Connect};

use crate::sender::ReqwestSender;
use crate::timer::TokioTimer;

type Inner = aqr_core::Client<Async<ReqwestSender, TokioTimer>>;

/// The async AQR client on reqwest: `create`, `delete`, `qr_image`, each `.await`ed.
///
/// Cheap to clone and meant to be shared (clones share one connection pool). Its futures
/// are `Send`, so calls work inside `tokio::spawn`; it needs a tokio runtime.
///
/// ```no_run
/// # use aqr_core::{Bank, NewAccount};
/// # async fn run() -> Result<(), aqr_core::Error> {
/// let client = aqr_reqwest::Client::from_env()?; // AQR_DEVELOPER_TOKEN, AQR_EMAIL, …
/// let created = client
///     .create(&NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234"))
///     .await?;
/// client.delete(&created.account_id).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Inner,
}

impl Client {
    /// A builder: credentials, time limits, retries, proxy, trusted roots.
    #[must_use]
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    /// A client for `config` with the defaults for everything else.
    ///
    /// # Errors
    /// [`Error::Invalid`] when `AQR_CA_BUNDLE` or a proxy variable of the environment is
    /// invalid; [`Error::Transport`] when the TLS backend cannot be set up.
    pub fn new(config: Config) -> Result<Self, Error> {
        Client::builder().config(config).build()
    }

    /// A client configured from the environment: `AQR_DEVELOPER_TOKEN`, `AQR_EMAIL`,
    /// `AQR_BASE_URL`, `AQR_CA_BUNDLE` and the proxy variables.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the missing or invalid setting.
    pub fn from_env() -> Result<Self, Error> {
        Client::builder().build()
    }

    /// A client built from your `reqwest::ClientBuilder`, with the SDK's rules set on it
    /// (no redirects, the time limits, proxy rules and trusted roots of `settings`).
    ///
    /// # Errors
    /// [`Error::Transport`] when the client cannot be built.
    pub fn from_reqwest_builder(
        builder: reqwest::ClientBuilder,
        settings: ClientSettings,
    ) -> Result<Self, Error> {
        let sender = ReqwestSender::from_builder(builder, &settings)?;
        Ok(Client::from_parts(settings, sender))
    }

    fn from_parts(settings: ClientSettings, sender: ReqwestSender) -> Self {
        let inner = aqr_core::Client::with_driver(
            settings.config,
            Async {
                sender,
                timer: TokioTimer,
            },
        )
        .with_timeouts(settings.timeouts)
        .with_retry_policy(settings.retry);
        Client { inner }
    }

    /// Creates an entry.
    ///
    /// # Errors
    /// [`Error::Invalid`] before any I/O; otherwise see [`Error`]. When
    /// [`Error::is_outcome_unknown`] is `true` the entry may exist.
    pub async fn create(&self, account: &NewAccount) -> Result<CreatedAccount, Error> {
        self.inner.create(account).await
    }

    /// Deletes an entry.
    ///
    /// # Errors
    /// [`Error::Invalid`] before any I/O; [`Error::Api`] for an unknown id; see [`Error`].
    pub async fn delete(&self, account_id: &str) -> Result<(), Error> {
        self.inner.delete(account_id).await
    }

    /// Downloads a QR image (the `qr_image` URL of a [`CreatedAccount`]); the token is not
    /// sent, and only the service's hosts are fetched from.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a URL that is not `https` (or loopback `http`) or not on the
    /// service's host; see [`Error`].
    pub async fn qr_image(&self, qr_image_url: &str) -> Result<Vec<u8>, Error> {
        self.inner.qr_image(qr_image_url).await
    }

    /// Runs any operation with the client's retries and time limits.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn execute<O: Operation + Sync>(&self, operation: &O) -> Result<O::Output, Error> {
        self.inner.execute(operation).await
    }

    /// A copy with other time limits for its calls, sharing this client's connection
    /// pool (the connect limit stays the pool's).
    #[must_use]
    pub fn with_timeouts(&self, timeouts: Timeouts) -> Self {
        Client {
            inner: self.inner.clone().with_timeouts(timeouts),
        }
    }

    /// A copy with another retry policy, sharing this client's connection pool.
    #[must_use]
    pub fn with_retry_policy(&self, retry: RetryPolicy) -> Self {
        Client {
            inner: self.inner.clone().with_retry_policy(retry),
        }
    }

    /// The configuration (credentials, endpoint, dialect).
    #[must_use]
    pub fn config(&self) -> &Config {
        self.inner.config()
    }

    /// The time limits of each call.
    #[must_use]
    pub fn timeouts(&self) -> &Timeouts {
        self.inner.timeouts()
    }

    /// The retry policy.
    #[must_use]
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.inner.retry_policy()
    }

    /// The sender (for its `reqwest::Client`).
    #[must_use]
    pub fn sender(&self) -> &ReqwestSender {
        &self.inner.driver().sender
    }
}

impl Connect for Client {
    fn connect(settings: ClientSettings) -> Result<Self, Error> {
        let sender = ReqwestSender::new(&settings)?;
        Ok(Client::from_parts(settings, sender))
    }
}

//! [`Client`]: the async client, a thin named wrapper over the core's client loop.

use std::future::Future;
use std::sync::Arc;

use aqr_core::{Async, CreatedAccount, Error, NewAccount, Operation};
use aqr_net::ClientSettings;

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
    inner: Arc<Inner>,
}

impl Client {
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
        Client {
            inner: Arc::new(inner),
        }
    }

    /// Creates an entry. The entry is checked when this is called, before the future is
    /// first polled.
    ///
    /// # Errors
    /// [`Error::Invalid`] before any I/O; otherwise see [`Error`]. When
    /// [`Error::is_outcome_unknown`] is `true` the entry may exist.
    pub fn create(
        &self,
        account: &NewAccount,
    ) -> impl Future<Output = Result<CreatedAccount, Error>> + Send {
        self.inner.create(account)
    }

    /// Deletes an entry (the id is checked when this is called).
    ///
    /// # Errors
    /// [`Error::Invalid`] before any I/O; [`Error::Api`] for an unknown id; see [`Error`].
    pub fn delete(&self, account_id: &str) -> impl Future<Output = Result<(), Error>> + Send {
        self.inner.delete(account_id)
    }

    /// Downloads a QR image (the `qr_image` URL of a [`CreatedAccount`]); the token is not
    /// sent, and only the service's hosts are fetched from.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a URL that is not `https` (or loopback `http`) or not on the
    /// service's host; see [`Error`].
    pub fn qr_image(
        &self,
        qr_image_url: &str,
    ) -> impl Future<Output = Result<Vec<u8>, Error>> + Send {
        self.inner.qr_image(qr_image_url)
    }

    /// Runs any operation with the client's retries and time limits.
    ///
    /// # Errors
    /// See [`Error`].
    pub fn execute<O: Operation + Sync>(
        &self,
        operation: &O,
    ) -> impl Future<Output = Result<O::Output, Error>> {
        self.inner.execute(operation)
    }
}

aqr_net::transport_client_common!(Client, ReqwestSender);

//! [`Client`]: the blocking client, a thin named wrapper over the core's client loop.

use std::sync::Arc;

use aqr_core::{Blocking, CreatedAccount, Error, NewAccount, Operation};
use aqr_net::ClientSettings;

use crate::sender::UreqSender;
use crate::timer::ThreadTimer;

type Inner = aqr_core::Client<Blocking<UreqSender, ThreadTimer>>;

/// The blocking AQR client on ureq: `create`, `delete`, `qr_image`.
///
/// Cheap to clone and meant to be shared (clones share one connection pool). Do not call
/// it from inside an async runtime's worker threads; use the async client there.
///
/// ```no_run
/// # use aqr_core::{Bank, NewAccount};
/// let client = aqr_ureq::Client::from_env()?; // AQR_DEVELOPER_TOKEN, AQR_EMAIL, …
/// let created = client.create(&NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234"))?;
/// client.delete(&created.account_id)?;
/// # Ok::<(), aqr_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

impl Client {
    /// A client on your own [`ureq::Agent`] (its pool, TLS roots and other settings); the
    /// SDK's rules still apply to each request — no redirects, the time limits of
    /// `settings`, the SDK's proxy rules.
    ///
    /// # Errors
    /// [`Error::Transport`] when a proxy of `settings` cannot be used.
    pub fn with_agent(agent: ureq::Agent, settings: ClientSettings) -> Result<Self, Error> {
        let sender = UreqSender::with_agent(agent, &settings)?;
        Ok(Client::from_parts(settings, sender))
    }

    fn from_parts(settings: ClientSettings, sender: UreqSender) -> Self {
        let inner = aqr_core::Client::with_driver(
            settings.config,
            Blocking {
                sender,
                timer: ThreadTimer,
            },
        )
        .with_timeouts(settings.timeouts)
        .with_retry_policy(settings.retry);
        Client {
            inner: Arc::new(inner),
        }
    }

    /// Creates an entry.
    ///
    /// # Errors
    /// [`Error::Invalid`] before any I/O; otherwise see [`Error`]. When
    /// [`Error::is_outcome_unknown`] is `true` the entry may exist.
    pub fn create(&self, account: &NewAccount) -> Result<CreatedAccount, Error> {
        self.inner.create(account)
    }

    /// Deletes an entry.
    ///
    /// # Errors
    /// [`Error::Invalid`] before any I/O; [`Error::Api`] for an unknown id; see [`Error`].
    pub fn delete(&self, account_id: &str) -> Result<(), Error> {
        self.inner.delete(account_id)
    }

    /// Downloads a QR image (the `qr_image` URL of a [`CreatedAccount`]); the token is not
    /// sent, and only the service's hosts are fetched from.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a URL that is not `https` (or loopback `http`) or not on the
    /// service's host; see [`Error`].
    pub fn qr_image(&self, qr_image_url: &str) -> Result<Vec<u8>, Error> {
        self.inner.qr_image(qr_image_url)
    }

    /// Runs any operation with the client's retries and time limits.
    ///
    /// # Errors
    /// See [`Error`].
    pub fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        self.inner.execute(operation)
    }
}

aqr_net::transport_client_common!(Client, UreqSender);

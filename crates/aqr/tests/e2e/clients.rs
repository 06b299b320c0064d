//! The two clients behind one interface, and the settings the scenarios use.

use std::future::Future;
use std::net::TcpListener;
use std::time::Duration;

use aqr::{Bank, Config, CreatedAccount, Error, NewAccount, RetryPolicy, Timeouts};
use aqr_mock::{Fault, MockAction, MockServer};

/// The three calls, whichever client makes them. The async client runs each call inside
/// `tokio::spawn` on a worker thread, so its futures must be `Send`.
pub(crate) trait Api {
    fn create(&self, account: &NewAccount) -> Result<CreatedAccount, Error>;
    fn delete(&self, account_id: &str) -> Result<(), Error>;
    fn qr_image(&self, url: &str) -> Result<Vec<u8>, Error>;
}

struct BlockingApi(aqr::blocking::Client);

impl Api for BlockingApi {
    fn create(&self, account: &NewAccount) -> Result<CreatedAccount, Error> {
        self.0.create(account)
    }
    fn delete(&self, account_id: &str) -> Result<(), Error> {
        self.0.delete(account_id)
    }
    fn qr_image(&self, url: &str) -> Result<Vec<u8>, Error> {
        self.0.qr_image(url)
    }
}

struct AsyncApi {
    client: aqr::Client,
    runtime: tokio::runtime::Runtime,
}

impl AsyncApi {
    /// Runs `call` with `spawn` on the runtime's worker thread: it must be `Send + 'static`.
    fn run<T: Send + 'static>(
        &self,
        call: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        self.runtime.block_on(self.runtime.spawn(call)).unwrap()
    }
}

impl Api for AsyncApi {
    fn create(&self, account: &NewAccount) -> Result<CreatedAccount, Error> {
        let (client, account) = (self.client.clone(), account.clone());
        self.run(async move { client.create(&account).await })
    }
    fn delete(&self, account_id: &str) -> Result<(), Error> {
        let (client, account_id) = (self.client.clone(), account_id.to_owned());
        self.run(async move { client.delete(&account_id).await })
    }
    fn qr_image(&self, url: &str) -> Result<Vec<u8>, Error> {
        let (client, url) = (self.client.clone(), url.to_owned());
        self.run(async move { client.qr_image(&url).await })
    }
}

/// Builds a client of one kind.
pub(crate) type Make = fn(Config, Timeouts, RetryPolicy) -> Box<dyn Api>;

pub(crate) fn make_blocking(
    config: Config,
    timeouts: Timeouts,
    retry: RetryPolicy,
) -> Box<dyn Api> {
    let client = aqr::blocking::Client::builder()
        .config(config)
        .timeouts(timeouts)
        .retry_policy(retry)
        .build()
        .unwrap();
    Box::new(BlockingApi(client))
}

pub(crate) fn make_async(config: Config, timeouts: Timeouts, retry: RetryPolicy) -> Box<dyn Api> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let client = aqr::Client::builder()
        .config(config)
        .timeouts(timeouts)
        .retry_policy(retry)
        .build()
        .unwrap();
    Box::new(AsyncApi { client, runtime })
}

fn limits(connect_ms: u64, attempt_ms: u64) -> Timeouts {
    Timeouts::DEFAULT
        .with_connect(Duration::from_millis(connect_ms))
        .unwrap()
        .with_attempt(Duration::from_millis(attempt_ms))
        .unwrap()
}

/// Generous enough for a debug build on a loaded 2-core machine.
pub(crate) fn normal() -> Timeouts {
    limits(2_000, 5_000)
}

/// For the scenarios that must time out.
pub(crate) fn short() -> Timeouts {
    limits(300, 300)
}

/// For the fault table: a short attempt limit so the slow body ends quickly, but enough
/// for the other answers on a loaded machine.
pub(crate) fn short_body() -> Timeouts {
    limits(2_000, 800)
}

/// Two retries with tiny backoffs.
pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::DEFAULT
        .with_initial_backoff(Duration::from_millis(10))
        .unwrap()
        .with_max_backoff(Duration::from_millis(40))
        .unwrap()
}

pub(crate) fn config_for(mock: &MockServer) -> Config {
    Config::new(mock.token(), mock.email())
        .unwrap()
        .with_base_url(&mock.url())
        .unwrap()
}

pub(crate) fn client_for(make: Make, mock: &MockServer, retry: RetryPolicy) -> Box<dyn Api> {
    make(config_for(mock), normal(), retry)
}

pub(crate) fn account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234").account_name("월세")
}

pub(crate) fn creates(mock: &MockServer) -> usize {
    mock.request_count(Some(MockAction::Create))
}

pub(crate) fn deletes(mock: &MockServer) -> usize {
    mock.request_count(Some(MockAction::Delete))
}

/// `fault` for the next request of `action` only.
pub(crate) fn once_on(action: MockAction, fault: Fault) -> Fault {
    fault.for_action(action).times(1)
}

/// A port on which nothing listens.
pub(crate) fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

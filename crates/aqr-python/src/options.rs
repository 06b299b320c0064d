//! The keyword arguments both clients (and the sans-I/O builders) accept: one
//! extraction into the SDK's [`ClientOptions`], whose defaults and rules live in Rust.

use aqr_net::{ClientOptions, ClientSettings};
use pyo3::prelude::*;

use crate::errors::invalid_to_py_err;

/// The `User-Agent` of the Python clients.
const USER_AGENT: &str = concat!("aqr-python/", env!("CARGO_PKG_VERSION"));

/// The client keyword arguments as Python passes them (`None` = not given).
#[derive(Default)]
pub struct ClientArgs {
    /// `token=`
    pub token: Option<String>,
    /// `email=`
    pub email: Option<String>,
    /// `base_url=`
    pub base_url: Option<String>,
    /// `dialect=`
    pub dialect: Option<String>,
    /// `timeout=` (seconds per attempt)
    pub timeout: Option<f64>,
    /// `connect_timeout=`
    pub connect_timeout: Option<f64>,
    /// `deadline=`
    pub deadline: Option<f64>,
    /// `max_retries=`
    pub max_retries: Option<i64>,
    /// `retry_backoff=`
    pub retry_backoff: Option<f64>,
    /// `proxy=`
    pub proxy: Option<String>,
    /// `ca_bundle=`
    pub ca_bundle: Option<String>,
}

impl ClientArgs {
    /// The SDK's options for these arguments.
    #[must_use]
    pub fn options(&self) -> ClientOptions {
        let mut options = ClientOptions::default();
        options.token = self.token.clone();
        options.email = self.email.clone();
        options.base_url = self.base_url.clone();
        options.dialect = self.dialect.clone();
        options.user_agent = Some(USER_AGENT.to_owned());
        options.timeout = self.timeout;
        options.connect_timeout = self.connect_timeout;
        options.deadline = self.deadline;
        options.max_retries = self.max_retries;
        options.retry_backoff = self.retry_backoff;
        options.proxy = self.proxy.clone();
        options.ca_bundle = self.ca_bundle.clone();
        options
    }

    /// Checks every argument (arguments win over the environment).
    ///
    /// # Errors
    /// `InvalidRequestError` naming the argument and the rule.
    pub fn settings(&self, py: Python<'_>) -> PyResult<ClientSettings> {
        self.options()
            .resolve(|name| std::env::var(name).ok())
            .map_err(|e| invalid_to_py_err(py, &e))
    }
}

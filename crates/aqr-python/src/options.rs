//! The keyword arguments both clients (and the sans-I/O builders) accept, turned into
//! the core's [`Config`], [`RetryPolicy`] and [`Timeouts`].

use std::time::Duration;

use aqr_core::{
    Config, ConfigError, Dialect, ENV_BASE_URL, ENV_EMAIL, ENV_TOKEN, RetryPolicy, Timeouts,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors::config_to_py_err;

/// Credentials and endpoint: explicit arguments, falling back to `AQR_DEVELOPER_TOKEN`,
/// `AQR_EMAIL` and `AQR_BASE_URL`.
pub struct ConfigArgs {
    /// `token=`
    pub token: Option<String>,
    /// `email=`
    pub email: Option<String>,
    /// `base_url=`
    pub base_url: Option<String>,
    /// `dialect=`
    pub dialect: String,
}

impl ConfigArgs {
    /// Builds the configuration (arguments win over the environment).
    ///
    /// # Errors
    /// `InvalidRequestError` naming the missing or invalid setting.
    pub fn build(&self, py: Python<'_>) -> PyResult<Config> {
        self.try_build().map_err(|e| config_to_py_err(py, &e))
    }

    fn try_build(&self) -> Result<Config, ConfigError> {
        let dialect: Dialect = self.dialect.parse()?;
        let argument = |name: &str| match name {
            ENV_TOKEN => self.token.clone(),
            ENV_EMAIL => self.email.clone(),
            ENV_BASE_URL => self.base_url.clone(),
            _ => None,
        };
        let config =
            Config::from_lookup(|name| argument(name).or_else(|| std::env::var(name).ok()))?;
        config
            .with_dialect(dialect)
            .with_user_agent(concat!("aqr-python/", env!("CARGO_PKG_VERSION")))
    }
}

/// Everything a client needs.
pub struct ClientOptions {
    /// Credentials, endpoint and dialect.
    pub config: Config,
    /// Retries.
    pub retry: RetryPolicy,
    /// Connect and per-attempt limits.
    pub timeouts: Timeouts,
}

impl ClientOptions {
    /// Validates the client keyword arguments.
    ///
    /// # Errors
    /// `InvalidRequestError` for credentials/endpoint/dialect; `ValueError` for a timeout
    /// that is not a positive number of seconds or a negative backoff.
    pub fn new(
        py: Python<'_>,
        config: &ConfigArgs,
        timeout: f64,
        connect_timeout: f64,
        max_retries: u32,
        retry_backoff: f64,
    ) -> PyResult<Self> {
        let attempt = seconds("timeout", timeout)?;
        let connect = seconds("connect_timeout", connect_timeout)?.min(attempt);
        let backoff = Duration::try_from_secs_f64(retry_backoff).map_err(|_| {
            PyValueError::new_err(format!(
                "retry_backoff must be a number of seconds >= 0, got {retry_backoff}"
            ))
        })?;
        let defaults = RetryPolicy::default();
        Ok(ClientOptions {
            config: config.build(py)?,
            retry: RetryPolicy {
                max_retries,
                initial_backoff: backoff,
                max_backoff: defaults.max_backoff.max(backoff),
                ..defaults
            },
            timeouts: Timeouts { connect, attempt },
        })
    }
}

/// A positive, finite number of seconds.
fn seconds(name: &str, value: f64) -> PyResult<Duration> {
    match Duration::try_from_secs_f64(value) {
        Ok(duration) if !duration.is_zero() => Ok(duration),
        _ => Err(PyValueError::new_err(format!(
            "{name} must be a positive number of seconds, got {value}"
        ))),
    }
}

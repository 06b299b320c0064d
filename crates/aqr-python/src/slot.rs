//! What both Python clients hold: the transport's client (and with it the connection
//! pool) until `close()`, shared by the copies `with_options` makes, and this copy's time
//! limits and retry policy.

use std::sync::{Arc, RwLock};

use aqr_core::{RetryPolicy, Timeouts};
use aqr_net::Connect;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::errors::to_py_err;
use crate::options::{GivenOptions, Timeout};

/// A transport's client as the bindings use it: built from settings, with limits that a
/// cheap copy sharing the pool can replace.
pub trait Transport: Connect + Send + Sync + 'static {
    /// The time limits and retry policy of its calls.
    fn limits(&self) -> (Timeouts, RetryPolicy);
    /// A copy with other limits, sharing the connection pool.
    #[must_use]
    fn with_limits(&self, timeouts: Timeouts, retry: RetryPolicy) -> Self;
}

impl Transport for aqr_ureq::Client {
    fn limits(&self) -> (Timeouts, RetryPolicy) {
        (*self.timeouts(), self.retry_policy().clone())
    }

    fn with_limits(&self, timeouts: Timeouts, retry: RetryPolicy) -> Self {
        self.with_timeouts(timeouts).with_retry_policy(retry)
    }
}

impl Transport for aqr_reqwest::Client {
    fn limits(&self) -> (Timeouts, RetryPolicy) {
        (*self.timeouts(), self.retry_policy().clone())
    }

    fn with_limits(&self, timeouts: Timeouts, retry: RetryPolicy) -> Self {
        self.with_timeouts(timeouts).with_retry_policy(retry)
    }
}

/// The pool: the transport's client until closed.
struct Pool<C> {
    inner: RwLock<Option<Arc<C>>>,
    email: String,
    base_url: String,
}

/// One Python client object: the shared pool, the options it was made from, and its
/// own limits.
pub struct ClientSlot<C> {
    pool: Arc<Pool<C>>,
    given: GivenOptions,
    /// This copy's limits (they differ from the pool client's after `with_options`).
    limits: (Timeouts, RetryPolicy),
    /// Whether `limits` are the pool client's own (no copy per call needed).
    pool_limits: bool,
}

impl<C: Transport> ClientSlot<C> {
    /// A client (and pool) for the options.
    ///
    /// # Errors
    /// `InvalidRequestError` naming a bad option; the SDK's error when the HTTP library
    /// cannot be set up.
    pub fn new(py: Python<'_>, given: GivenOptions) -> PyResult<Self> {
        let settings = given.settings(py)?;
        let email = settings.config.email().to_owned();
        let base_url = settings.config.base_url().to_owned();
        let client = C::connect(settings).map_err(|e| to_py_err(py, &e))?;
        let limits = client.limits();
        Ok(ClientSlot {
            pool: Arc::new(Pool {
                inner: RwLock::new(Some(Arc::new(client))),
                email,
                base_url,
            }),
            given,
            limits,
            pool_limits: true,
        })
    }

    /// A copy with `overrides`: sharing the pool when they are call options only, else
    /// with a pool of its own.
    ///
    /// # Errors
    /// As [`ClientSlot::new`].
    pub fn with_options(&self, py: Python<'_>, overrides: &GivenOptions) -> PyResult<Self> {
        if !overrides.is_call_only() {
            return ClientSlot::new(py, self.given.merged(overrides));
        }
        let limits = overrides.over(py, self.limits.0, &self.limits.1)?;
        Ok(ClientSlot {
            pool: Arc::clone(&self.pool),
            given: self.given.merged(overrides),
            pool_limits: self.pool_limits && overrides.is_empty(),
            limits,
        })
    }

    /// The client for one call, with this copy's limits and the call's `overrides`.
    ///
    /// # Errors
    /// `RuntimeError` naming `class` once closed; `InvalidRequestError` for a bad
    /// override.
    pub fn for_call(
        &self,
        py: Python<'_>,
        class: &str,
        overrides: Option<&GivenOptions>,
    ) -> PyResult<Arc<C>> {
        let client = self.get(class)?;
        let overrides = overrides.filter(|o| !o.is_empty());
        if self.pool_limits && overrides.is_none() {
            return Ok(client);
        }
        let (timeouts, retry) = match overrides {
            Some(overrides) => overrides.over(py, self.limits.0, &self.limits.1)?,
            None => self.limits.clone(),
        };
        Ok(Arc::new(client.with_limits(timeouts, retry)))
    }
}

impl<C> ClientSlot<C> {
    fn get(&self, class: &str) -> PyResult<Arc<C>> {
        self.pool
            .inner
            .read()
            .ok()
            .and_then(|inner| inner.clone())
            .ok_or_else(|| PyRuntimeError::new_err(format!("{class} is closed")))
    }

    /// Drops the client (and with it the connection pool) for this object and every copy
    /// sharing the pool; calls in flight finish.
    pub fn close(&self) {
        if let Ok(mut inner) = self.pool.inner.write() {
            inner.take();
        }
    }

    /// Whether `close()` was called (on this object or a copy sharing its pool).
    pub fn closed(&self) -> bool {
        self.pool
            .inner
            .read()
            .map(|inner| inner.is_none())
            .unwrap_or(true)
    }

    /// The developer's e-mail address.
    pub fn email(&self) -> &str {
        &self.pool.email
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.pool.base_url
    }

    /// What this copy was configured with, as both Python clients show it.
    pub fn settings(&self) -> ClientSettings {
        let (timeouts, retry) = &self.limits;
        ClientSettings {
            email: self.email().to_owned(),
            base_url: self.base_url().to_owned(),
            timeout: Timeout::of(timeouts),
            max_retries: retry.max_retries(),
            retry_backoff: retry.initial_backoff().as_secs_f64(),
        }
    }
}

/// A client's settings as Python reads them (`aqr.Client` and `aqr.AsyncClient` alike; the
/// public properties of both are defined once, in `aqr/_client.py`).
#[pyclass(frozen, module = "aqr._aqr", name = "_ClientSettings")]
pub struct ClientSettings {
    /// The developer's e-mail address.
    #[pyo3(get)]
    email: String,
    /// The base URL requests go to.
    #[pyo3(get)]
    base_url: String,
    /// The time limits of each call.
    #[pyo3(get)]
    timeout: Timeout,
    /// Retries after a failed attempt (when safe).
    #[pyo3(get)]
    max_retries: u32,
    /// Seconds before the first retry.
    #[pyo3(get)]
    retry_backoff: f64,
}

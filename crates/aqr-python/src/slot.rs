//! What both Python clients hold: the shared core client until `close()`, and the
//! settings their `repr` and getters show.

use std::sync::{Arc, RwLock};

use aqr_core::Timeouts;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::options::ClientOptions;

/// A core client over driver `D`, shared by Python threads and tasks until closed.
pub struct ClientSlot<D> {
    inner: RwLock<Option<Arc<aqr_core::Client<D>>>>,
    email: String,
    base_url: String,
}

impl<D> ClientSlot<D> {
    /// A client built from the keyword arguments, with the driver `driver` makes for the
    /// chosen timeouts.
    pub fn new(options: ClientOptions, driver: impl FnOnce(Timeouts) -> D) -> Self {
        let email = options.config.email().to_owned();
        let base_url = options.config.base_url().to_owned();
        let client = aqr_core::Client::with_driver(options.config, driver(options.timeouts))
            .with_retry_policy(options.retry);
        ClientSlot {
            inner: RwLock::new(Some(Arc::new(client))),
            email,
            base_url,
        }
    }

    /// The client, for one call.
    ///
    /// # Errors
    /// `RuntimeError` naming `class` (`aqr.Client`, …) once the client is closed.
    pub fn get(&self, class: &str) -> PyResult<Arc<aqr_core::Client<D>>> {
        self.inner
            .read()
            .ok()
            .and_then(|inner| inner.clone())
            .ok_or_else(|| PyRuntimeError::new_err(format!("{class} is closed")))
    }

    /// Drops the client (and with it the connection pool); calls in flight finish.
    pub fn close(&self) {
        if let Ok(mut inner) = self.inner.write() {
            inner.take();
        }
    }

    /// Whether `close()` was called.
    pub fn closed(&self) -> bool {
        self.inner
            .read()
            .map(|inner| inner.is_none())
            .unwrap_or(true)
    }

    /// The developer's e-mail address.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

//! What both Python clients hold: the shared core client until `close()`, and the
//! settings their `repr` and getters show.

use std::sync::{Arc, RwLock};

use aqr_net::{ClientSettings, Connect};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::errors::to_py_err;

/// A transport's client `C`, shared by Python threads and tasks until closed.
pub struct ClientSlot<C> {
    inner: RwLock<Option<Arc<C>>>,
    email: String,
    base_url: String,
}

impl<C: Connect> ClientSlot<C> {
    /// The client for `settings`.
    ///
    /// # Errors
    /// The SDK's error when the HTTP library cannot be set up.
    pub fn new(py: Python<'_>, settings: ClientSettings) -> PyResult<Self> {
        let email = settings.config.email().to_owned();
        let base_url = settings.config.base_url().to_owned();
        let client = C::connect(settings).map_err(|e| to_py_err(py, &e))?;
        Ok(ClientSlot {
            inner: RwLock::new(Some(Arc::new(client))),
            email,
            base_url,
        })
    }
}

impl<C> ClientSlot<C> {
    /// The client, for one call.
    ///
    /// # Errors
    /// `RuntimeError` naming `class` (`aqr.Client`, …) once the client is closed.
    pub fn get(&self, class: &str) -> PyResult<Arc<C>> {
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

//! The client options as Python passes them — the keyword arguments of `aqr.Client(...)`,
//! `aqr.AsyncClient(...)`, `with_options(...)` and of each call — read in one place into
//! aqr-net's [`ClientOptions`], whose defaults and rules live in Rust; and `aqr.Timeout`.
//!
//! Connection options (credentials, endpoint, dialect, connect limit, proxy, trusted
//! roots) belong to a client and its connection pool. Call options (`timeout` without a
//! connect limit, `deadline`, `max_retries`, `retry_backoff`) may also be given to one
//! call or to `with_options`, which then shares the pool.

use aqr_core::{RetryPolicy, Timeouts, ValidationError};
use aqr_net::{ClientOptions, ClientSettings};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyString};

use crate::arguments::{path_or_text, text, wrong_type};
use crate::errors::{invalid_argument, invalid_to_py_err};

/// The `User-Agent` of the Python clients.
const USER_AGENT: &str = concat!("aqr-python/", env!("CARGO_PKG_VERSION"));

/// The options only a client (and its connection pool) can take.
const CONNECTION_OPTIONS: [&str; 7] = [
    "token",
    "email",
    "base_url",
    "dialect",
    "connect_timeout",
    "proxy",
    "ca_bundle",
];

/// The options a single call (or `with_options` sharing the pool) can take.
const CALL_OPTIONS: [&str; 4] = ["timeout", "deadline", "max_retries", "retry_backoff"];

/// `aqr.Timeout(attempt, *, connect, total)`: time limits in seconds, each checked when
/// the object is made; a limit left `None` keeps the client's (or the SDK's default).
#[pyclass(frozen, eq, module = "aqr", name = "Timeout")]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timeout {
    attempt: Option<f64>,
    connect: Option<f64>,
    total: Option<f64>,
}

#[pymethods]
impl Timeout {
    #[new]
    #[pyo3(signature = (attempt=None, *, connect=None, total=None))]
    fn py_new(
        py: Python<'_>,
        attempt: Option<&Bound<'_, PyAny>>,
        connect: Option<&Bound<'_, PyAny>>,
        total: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let timeout = Timeout {
            attempt: attempt.map(|v| seconds(v, "attempt")).transpose()?,
            connect: connect.map(|v| seconds(v, "connect")).transpose()?,
            total: total.map(|v| seconds(v, "total")).transpose()?,
        };
        timeout.check(py)?;
        Ok(timeout)
    }

    /// The SDK's defaults: `Timeout(30.0, connect=5.0, total=None)` (no overall deadline).
    #[classattr]
    #[allow(non_snake_case)]
    fn DEFAULT() -> Timeout {
        Timeout::of(&Timeouts::DEFAULT)
    }

    /// Seconds for one attempt (sending the request and reading the whole answer).
    #[getter]
    fn attempt(&self) -> Option<f64> {
        self.attempt
    }

    /// Seconds to connect (DNS, TCP, proxy, TLS).
    #[getter]
    fn connect(&self) -> Option<f64> {
        self.connect
    }

    /// Seconds for the whole call, retries and waits included.
    #[getter]
    fn total(&self) -> Option<f64> {
        self.total
    }

    fn __repr__(&self) -> String {
        let shown = |value: Option<f64>| value.map_or_else(|| "None".to_owned(), float_repr);
        format!(
            "aqr.Timeout({}, connect={}, total={})",
            shown(self.attempt),
            shown(self.connect),
            shown(self.total)
        )
    }

    fn __hash__(&self) -> u64 {
        let bits = |v: Option<f64>| v.map_or(u64::MAX, f64::to_bits);
        bits(self.attempt) ^ bits(self.connect).rotate_left(21) ^ bits(self.total).rotate_left(42)
    }
}

impl Timeout {
    /// The limits of `timeouts`, as Python shows them.
    #[must_use]
    pub fn of(timeouts: &Timeouts) -> Timeout {
        Timeout {
            attempt: Some(timeouts.attempt().as_secs_f64()),
            connect: Some(timeouts.connect().as_secs_f64()),
            total: timeouts.total().map(|t| t.as_secs_f64()),
        }
    }

    fn check(&self, py: Python<'_>) -> PyResult<()> {
        let mut options = ClientOptions::default();
        options.timeout = self.attempt;
        options.connect_timeout = self.connect;
        options.deadline = self.total;
        options
            .timeouts()
            .map(drop)
            .map_err(|e| invalid_to_py_err(py, &e))
    }
}

/// `30.0`, `0.5`: Python's float repr for the usual values.
fn float_repr(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.1}")
    } else {
        format!("{value}")
    }
}

/// Options as given: the SDK's loose options, plus what only Python can say.
#[derive(Clone, Default)]
pub struct GivenOptions {
    options: ClientOptions,
    /// `deadline=None` given explicitly: no overall deadline (for a call or a copy).
    no_deadline: bool,
}

/// What the keyword arguments are for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A client (all options).
    Client,
    /// One call (call options only).
    Call,
}

impl GivenOptions {
    /// Credentials, endpoint and dialect only (the sans-I/O builders).
    #[must_use]
    pub fn credentials(
        token: Option<String>,
        email: Option<String>,
        base_url: Option<String>,
        dialect: Option<String>,
    ) -> GivenOptions {
        let mut options = ClientOptions::default();
        options.token = token;
        options.email = email;
        options.base_url = base_url;
        options.dialect = dialect;
        GivenOptions {
            options,
            no_deadline: false,
        }
    }

    /// Reads keyword arguments; `what` names the callable in errors (`aqr.Client()`).
    ///
    /// # Errors
    /// `TypeError` for an unknown keyword or a value of the wrong type,
    /// `InvalidRequestError` for `timeout=None` or, per call, a connect limit.
    pub fn extract(
        kwargs: Option<&Bound<'_, PyDict>>,
        scope: Scope,
        what: &str,
    ) -> PyResult<GivenOptions> {
        let mut given = GivenOptions::default();
        let Some(kwargs) = kwargs else {
            return Ok(given);
        };
        let py = kwargs.py();
        for (key, value) in kwargs.iter() {
            let key: String = key.extract()?;
            let known =
                CALL_OPTIONS.contains(&key.as_str()) || CONNECTION_OPTIONS.contains(&key.as_str());
            if !known {
                return Err(PyTypeError::new_err(format!(
                    "{what} got an unexpected keyword argument '{key}'"
                )));
            }
            if scope == Scope::Call && !CALL_OPTIONS.contains(&key.as_str()) {
                return Err(per_call_refusal(py, &key));
            }
            given.set(&key, &value, scope)?;
        }
        Ok(given)
    }

    fn set(&mut self, key: &str, value: &Bound<'_, PyAny>, scope: Scope) -> PyResult<()> {
        let py = value.py();
        let options = &mut self.options;
        if value.is_none() {
            return match key {
                "timeout" | "connect_timeout" => Err(invalid_argument(
                    py,
                    key,
                    "required",
                    &format!(
                        "{key}=None is not allowed: the SDK never runs without a time limit; \
                         pass seconds or aqr.Timeout(...)"
                    ),
                )),
                "deadline" => {
                    options.deadline = None;
                    self.no_deadline = true;
                    Ok(())
                }
                // None means "not given" for every other option.
                _ => Ok(()),
            };
        }
        match key {
            "token" => options.token = Some(text(value, key)?),
            "email" => options.email = Some(text(value, key)?),
            "base_url" => options.base_url = Some(text(value, key)?),
            "dialect" => options.dialect = Some(text(value, key)?),
            "proxy" => options.proxy = Some(text(value, key)?),
            "ca_bundle" => options.ca_bundle = Some(path_or_text(value, key)?),
            "connect_timeout" => options.connect_timeout = Some(seconds(value, key)?),
            "deadline" => {
                options.deadline = Some(seconds(value, key)?);
                self.no_deadline = false;
            }
            "retry_backoff" => options.retry_backoff = Some(seconds(value, key)?),
            "max_retries" => options.max_retries = Some(count(value, key)?),
            "timeout" => {
                if let Ok(timeout) = value.cast::<Timeout>() {
                    let timeout = *timeout.get();
                    if scope == Scope::Call && timeout.connect.is_some() {
                        return Err(per_call_refusal(py, "connect_timeout"));
                    }
                    options.timeout = timeout.attempt.or(options.timeout);
                    options.connect_timeout = timeout.connect.or(options.connect_timeout);
                    if timeout.total.is_some() {
                        options.deadline = timeout.total;
                        self.no_deadline = false;
                    }
                } else {
                    options.timeout = Some(seconds(value, key)?);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether these options leave the connection pool as it is (call options only).
    #[must_use]
    pub fn is_call_only(&self) -> bool {
        let o = &self.options;
        o.token.is_none()
            && o.email.is_none()
            && o.base_url.is_none()
            && o.dialect.is_none()
            && o.connect_timeout.is_none()
            && o.proxy.is_none()
            && o.ca_bundle.is_none()
    }

    /// Whether nothing was given.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        let o = &self.options;
        self.is_call_only()
            && o.timeout.is_none()
            && o.deadline.is_none()
            && o.max_retries.is_none()
            && o.retry_backoff.is_none()
            && !self.no_deadline
    }

    /// These options with `overrides` on top.
    #[must_use]
    pub fn merged(&self, overrides: &GivenOptions) -> GivenOptions {
        let (a, b) = (&self.options, &overrides.options);
        let mut options = ClientOptions::default();
        options.token = b.token.clone().or_else(|| a.token.clone());
        options.email = b.email.clone().or_else(|| a.email.clone());
        options.base_url = b.base_url.clone().or_else(|| a.base_url.clone());
        options.dialect = b.dialect.clone().or_else(|| a.dialect.clone());
        options.proxy = b.proxy.clone().or_else(|| a.proxy.clone());
        options.ca_bundle = b.ca_bundle.clone().or_else(|| a.ca_bundle.clone());
        options.timeout = b.timeout.or(a.timeout);
        options.connect_timeout = b.connect_timeout.or(a.connect_timeout);
        options.max_retries = b.max_retries.or(a.max_retries);
        options.retry_backoff = b.retry_backoff.or(a.retry_backoff);
        let (deadline, no_deadline) = if overrides.no_deadline || b.deadline.is_some() {
            (b.deadline, overrides.no_deadline)
        } else {
            (a.deadline, self.no_deadline)
        };
        options.deadline = deadline;
        GivenOptions {
            options,
            no_deadline,
        }
    }

    /// Checks every option and builds the client settings (arguments win over the
    /// environment).
    ///
    /// # Errors
    /// `InvalidRequestError` naming the option and the rule.
    pub fn settings(&self, py: Python<'_>) -> PyResult<ClientSettings> {
        let mut options = self.options.clone();
        options.user_agent = Some(USER_AGENT.to_owned());
        options
            .resolve(|name| std::env::var(name).ok())
            .map_err(|e| invalid_to_py_err(py, &e))
    }

    /// A client's limits and policy with these call options on top.
    ///
    /// # Errors
    /// `InvalidRequestError` naming the option and the rule.
    pub fn over(
        &self,
        py: Python<'_>,
        timeouts: Timeouts,
        retry: &RetryPolicy,
    ) -> PyResult<(Timeouts, RetryPolicy)> {
        let overlay = || -> Result<(Timeouts, RetryPolicy), ValidationError> {
            let mut timeouts = self.options.timeouts_over(timeouts)?;
            if self.no_deadline {
                timeouts = timeouts.with_total(None)?;
            }
            Ok((timeouts, self.options.retry_policy_over(retry.clone())?))
        };
        overlay().map_err(|e| invalid_to_py_err(py, &e))
    }
}

/// The error for a connection option given to one call.
fn per_call_refusal(py: Python<'_>, key: &str) -> PyErr {
    invalid_argument(
        py,
        key,
        "per_call",
        &format!(
            "{key} cannot change for one call: it belongs to the client's connection pool; \
             use client.with_options({key}=...), which makes a client with its own pool"
        ),
    )
}

/// A number of seconds (an int or a float; not a bool, not a str).
fn seconds(value: &Bound<'_, PyAny>, name: &str) -> PyResult<f64> {
    if value.is_instance_of::<PyBool>() || value.is_instance_of::<PyString>() {
        return Err(wrong_type(value, name, "a number of seconds"));
    }
    value
        .extract::<f64>()
        .map_err(|_| wrong_type(value, name, "a number of seconds"))
}

/// A whole number (an int; not a bool). One too large for `i64` breaks the rule all the
/// same.
fn count(value: &Bound<'_, PyAny>, name: &str) -> PyResult<i64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(wrong_type(value, name, "an int"));
    }
    Ok(value.extract::<i64>().unwrap_or(i64::MAX))
}

//! What a client is built from, with every default and every environment variable read
//! in one place, and the builder both transports share.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use aqr_core::validate::{self, Field, Rule};
use aqr_core::{Config, Dialect, Error, RetryPolicy, Timeouts, ValidationError};

use crate::proxy::{Proxy, ProxyRules, ProxySetting};
use crate::trust::{ENV_CA_BUNDLE, TrustedRoots};

/// Everything a client is built from: credentials and endpoint, time limits, retries,
/// proxy and trusted roots.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ClientSettings {
    /// Credentials, endpoint, dialect, user agent.
    pub config: Config,
    /// Connect, per-attempt and overall limits.
    pub timeouts: Timeouts,
    /// When failed calls are retried.
    pub retry: RetryPolicy,
    /// The proxy rules, resolved when the client was built.
    pub proxy: ProxyRules,
    /// The roots trusted on top of the system's.
    pub roots: TrustedRoots,
}

/// A transport's client, built from [`ClientSettings`].
pub trait Connect: Sized {
    /// Builds the client (its connection pool, proxy and TLS configuration).
    ///
    /// # Errors
    /// [`Error::Transport`] when the HTTP library cannot be set up.
    fn connect(settings: ClientSettings) -> Result<Self, Error>;
}

/// Builds a client of transport `C` (`aqr::blocking::Client::builder()`,
/// `aqr::Client::builder()`).
///
/// Unset values take the SDK's defaults; the credentials, when not given, come from
/// `AQR_DEVELOPER_TOKEN`, `AQR_EMAIL` and `AQR_BASE_URL`; `AQR_CA_BUNDLE` adds trusted
/// roots; proxies come from the usual environment variables unless set here.
pub struct ClientBuilder<C> {
    config: Option<Config>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    proxy: ProxySetting,
    roots: TrustedRoots,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            config: None,
            timeouts: Timeouts::DEFAULT,
            retry: RetryPolicy::DEFAULT,
            proxy: ProxySetting::FromEnvironment,
            roots: TrustedRoots::default(),
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("proxy", &self.proxy)
            .field("added_roots", &self.roots.added().len())
            .finish()
    }
}

impl<C: Connect> ClientBuilder<C> {
    /// A builder with the defaults.
    #[must_use]
    pub fn new() -> Self {
        ClientBuilder::default()
    }

    /// Credentials, endpoint and dialect (default: from the environment).
    #[must_use]
    pub fn config(mut self, config: Config) -> Self {
        self.config = Some(config);
        self
    }

    /// Time limits (default [`Timeouts::DEFAULT`]).
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Retry policy (default [`RetryPolicy::DEFAULT`]).
    #[must_use]
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sends every request except those to loopback hosts through `proxy`.
    #[must_use]
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.proxy = ProxySetting::Explicit(proxy);
        self
    }

    /// Ignores the proxy environment variables: every request goes direct.
    #[must_use]
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxySetting::Disabled;
        self
    }

    /// Trusts the certificates of a PEM bundle (or PEM file path) in addition to the
    /// system's roots, e.g. a company's TLS-inspecting proxy.
    ///
    /// # Errors
    /// [`Rule::UnreadableFile`] or [`Rule::NoCertificate`] for `ca_bundle`.
    pub fn ca_bundle(mut self, path_or_pem: &str) -> Result<Self, ValidationError> {
        self.roots.add_bundle(path_or_pem)?;
        Ok(self)
    }

    /// Resolves the settings (reading the environment where nothing was set) without
    /// building a client.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the setting that is missing or invalid.
    pub fn settings(self) -> Result<ClientSettings, ValidationError> {
        self.settings_with(|name| std::env::var(name).ok())
    }

    fn settings_with(
        self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientSettings, ValidationError> {
        let config = match self.config {
            Some(config) => config,
            None => Config::from_lookup(&env)?,
        };
        let mut roots = self.roots;
        if let Some(bundle) = env(ENV_CA_BUNDLE).filter(|b| !b.trim().is_empty()) {
            roots.add_bundle(&bundle)?;
        }
        Ok(ClientSettings {
            config,
            timeouts: self.timeouts,
            retry: self.retry,
            proxy: ProxyRules::resolve(&self.proxy, &env)?,
            roots,
        })
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming a missing or invalid setting; [`Error::Transport`] when
    /// the HTTP library cannot be set up.
    pub fn build(self) -> Result<C, Error> {
        C::connect(self.settings()?)
    }
}

/// Client options as front ends receive them (Python keyword arguments, command-line
/// flags): each optional, loosely typed, checked here against the one rule for each, with
/// the defaults of [`Timeouts::DEFAULT`] and [`RetryPolicy::DEFAULT`] for what is unset.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ClientOptions {
    /// `token=` / `--token` (else `AQR_DEVELOPER_TOKEN`).
    pub token: Option<String>,
    /// `email=` / `--email` (else `AQR_EMAIL`).
    pub email: Option<String>,
    /// `base_url=` / `--base-url` (else `AQR_BASE_URL`, else the service).
    pub base_url: Option<String>,
    /// `dialect=` / `--dialect`: `reference` or `revised`.
    pub dialect: Option<String>,
    /// The `User-Agent` (each front end names itself).
    pub user_agent: Option<String>,
    /// `timeout=`: seconds per attempt.
    pub timeout: Option<f64>,
    /// `connect_timeout=`: seconds to connect.
    pub connect_timeout: Option<f64>,
    /// `deadline=`: seconds for the whole call.
    pub deadline: Option<f64>,
    /// `max_retries=`.
    pub max_retries: Option<i64>,
    /// `retry_backoff=`: seconds before the first retry.
    pub retry_backoff: Option<f64>,
    /// `proxy=`: a proxy URL, or `""`/`"none"` for no proxy at all.
    pub proxy: Option<String>,
    /// `ca_bundle=`: a PEM file path or PEM text.
    pub ca_bundle: Option<String>,
}

/// Shows every option but the token and the proxy URL (which may hold a password).
impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .field("email", &self.email)
            .field("base_url", &self.base_url)
            .field("dialect", &self.dialect)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("retry_backoff", &self.retry_backoff)
            .field("proxy", &self.proxy.as_ref().map(|_| "[REDACTED]"))
            .field("ca_bundle", &self.ca_bundle)
            .finish()
    }
}

impl ClientOptions {
    /// Checks every option and builds the settings, reading the environment through
    /// `env` for what is not given.
    ///
    /// # Errors
    /// The first [`ValidationError`], naming the option and the rule.
    pub fn resolve(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientSettings, ValidationError> {
        let given = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
        let lookup = |name: &str| {
            let argument = match name {
                aqr_core::ENV_TOKEN => given(&self.token),
                aqr_core::ENV_EMAIL => given(&self.email),
                aqr_core::ENV_BASE_URL => given(&self.base_url),
                _ => None,
            };
            argument.or_else(|| env(name))
        };
        let mut config = Config::from_lookup(lookup)?;
        if let Some(dialect) = &self.dialect {
            config = config.with_dialect(dialect.parse::<Dialect>()?);
        }
        if let Some(agent) = &self.user_agent {
            config = config.with_user_agent(agent)?;
        }
        let mut builder = ClientBuilder::<Unbuilt>::new()
            .config(config)
            .timeouts(self.timeouts()?)
            .retry_policy(self.retry_policy()?);
        builder = match self.proxy.as_deref().map(str::trim) {
            None => builder,
            Some("" | "none") => builder.no_proxy(),
            Some(url) => builder.proxy(Proxy::new(url)?),
        };
        if let Some(bundle) = &self.ca_bundle {
            builder = builder.ca_bundle(bundle)?;
        }
        builder.settings_with(env)
    }

    /// The time limits: the defaults with the options given.
    ///
    /// # Errors
    /// [`Rule::Duration`] naming `timeout`, `connect_timeout` or `deadline`.
    pub fn timeouts(&self) -> Result<Timeouts, ValidationError> {
        self.timeouts_over(Timeouts::DEFAULT)
    }

    /// The time limits: `base` with the options given (per-call overrides of a client's
    /// limits).
    ///
    /// # Errors
    /// As [`ClientOptions::timeouts`].
    pub fn timeouts_over(&self, base: Timeouts) -> Result<Timeouts, ValidationError> {
        let mut timeouts = base;
        if let Some(secs) = self.timeout {
            timeouts = timeouts.with_attempt(seconds(Field::AttemptTimeout, secs, false)?)?;
        }
        if let Some(secs) = self.connect_timeout {
            timeouts = timeouts.with_connect(seconds(Field::ConnectTimeout, secs, false)?)?;
        }
        if let Some(secs) = self.deadline {
            timeouts = timeouts.with_total(Some(seconds(Field::Deadline, secs, false)?))?;
        }
        Ok(timeouts)
    }

    /// The retry policy: the default with the options given.
    ///
    /// # Errors
    /// [`Rule::TooMany`] for `max_retries`, [`Rule::Duration`] for `retry_backoff`.
    pub fn retry_policy(&self) -> Result<RetryPolicy, ValidationError> {
        self.retry_policy_over(RetryPolicy::DEFAULT)
    }

    /// The retry policy: `base` with the options given (per-call overrides of a client's
    /// policy).
    ///
    /// # Errors
    /// As [`ClientOptions::retry_policy`].
    pub fn retry_policy_over(&self, base: RetryPolicy) -> Result<RetryPolicy, ValidationError> {
        let mut retry = base;
        if let Some(count) = self.max_retries {
            let count = u32::try_from(count).map_err(|_| {
                ValidationError::new(
                    Field::MaxRetries,
                    Rule::TooMany {
                        max: RetryPolicy::MAX_RETRIES,
                    },
                )
            })?;
            retry = retry.with_max_retries(count)?;
        }
        if let Some(secs) = self.retry_backoff {
            retry = retry.with_initial_backoff(seconds(Field::RetryBackoff, secs, true)?)?;
        }
        Ok(retry)
    }
}

/// Seconds as a duration, checked by the core's rule (the limits are applied again by
/// the setter that receives it).
fn seconds(field: Field, value: f64, zero_ok: bool) -> Result<Duration, ValidationError> {
    validate::seconds(field, value, zero_ok, Timeouts::MAX)
}

/// A placeholder transport for resolving settings without building a client.
enum Unbuilt {}

impl Connect for Unbuilt {
    fn connect(_: ClientSettings) -> Result<Self, Error> {
        Err(Error::Invalid(ValidationError::new(
            Field::BaseUrl,
            Rule::Required,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_env::env;

    #[test]
    fn debug_never_shows_the_token() {
        let options = ClientOptions {
            token: Some("tok_DEBUG_SECRET".into()),
            proxy: Some("http://user:pw_SECRET@proxy:3128".into()),
            ..ClientOptions::default()
        };
        let shown = format!("{options:?}");
        assert!(!shown.contains("tok_DEBUG_SECRET") && !shown.contains("pw_SECRET"));
        assert!(shown.contains("[REDACTED]"));
    }

    #[test]
    fn arguments_win_over_the_environment() {
        let options = ClientOptions {
            token: Some("tok_ARG".into()),
            base_url: Some("http://127.0.0.1:9".into()),
            ..ClientOptions::default()
        };
        let settings = options
            .resolve(env(&[
                ("AQR_DEVELOPER_TOKEN", "tok_ENV"),
                ("AQR_EMAIL", "env@example.com"),
            ]))
            .unwrap();
        assert_eq!(settings.config.token().expose_secret(), "tok_ARG");
        assert_eq!(settings.config.email(), "env@example.com");
        assert_eq!(settings.config.base_url(), "http://127.0.0.1:9");
        assert_eq!(settings.timeouts, Timeouts::DEFAULT);
        assert_eq!(settings.retry, RetryPolicy::DEFAULT);
    }

    #[test]
    fn every_option_is_checked_and_named() {
        let base = ClientOptions {
            token: Some("t".into()),
            email: Some("a@b".into()),
            ..ClientOptions::default()
        };
        let cases: Vec<(ClientOptions, Field)> = vec![
            (
                ClientOptions {
                    timeout: Some(1e19),
                    ..base.clone()
                },
                Field::AttemptTimeout,
            ),
            (
                ClientOptions {
                    timeout: Some(0.0),
                    ..base.clone()
                },
                Field::AttemptTimeout,
            ),
            (
                ClientOptions {
                    connect_timeout: Some(f64::NAN),
                    ..base.clone()
                },
                Field::ConnectTimeout,
            ),
            (
                ClientOptions {
                    deadline: Some(-1.0),
                    ..base.clone()
                },
                Field::Deadline,
            ),
            (
                ClientOptions {
                    max_retries: Some(-1),
                    ..base.clone()
                },
                Field::MaxRetries,
            ),
            (
                ClientOptions {
                    retry_backoff: Some(f64::INFINITY),
                    ..base.clone()
                },
                Field::RetryBackoff,
            ),
            (
                ClientOptions {
                    dialect: Some("x".into()),
                    ..base.clone()
                },
                Field::Dialect,
            ),
            (
                ClientOptions {
                    proxy: Some("socks5://p".into()),
                    ..base.clone()
                },
                Field::Proxy,
            ),
            (
                ClientOptions {
                    ca_bundle: Some("/nope".into()),
                    ..base.clone()
                },
                Field::CaBundle,
            ),
            (
                ClientOptions {
                    token: None,
                    ..base.clone()
                },
                Field::DeveloperToken,
            ),
        ];
        for (options, field) in cases {
            let err = options.resolve(env(&[])).unwrap_err();
            assert_eq!(err.field(), field, "{err}");
        }
        let err = base
            .resolve(env(&[("AQR_CA_BUNDLE", "/no/such.pem")]))
            .unwrap_err();
        assert_eq!(err.field(), Field::CaBundle);
    }

    #[test]
    fn given_values_replace_defaults_and_keep_the_backoff_rule() {
        let options = ClientOptions {
            token: Some("t".into()),
            email: Some("a@b".into()),
            timeout: Some(2.5),
            deadline: Some(9.0),
            max_retries: Some(0),
            retry_backoff: Some(20.0),
            proxy: Some("none".into()),
            ..ClientOptions::default()
        };
        let settings = options
            .resolve(env(&[("HTTPS_PROXY", "http://p:1")]))
            .unwrap();
        assert_eq!(settings.timeouts.attempt(), Duration::from_millis(2500));
        assert_eq!(settings.timeouts.total(), Some(Duration::from_secs(9)));
        assert_eq!(settings.retry.max_retries(), 0);
        assert_eq!(settings.retry.max_backoff(), Duration::from_secs(20));
        assert!(settings.proxy.is_empty());
    }
}

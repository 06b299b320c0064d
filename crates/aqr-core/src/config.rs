//! Client configuration: credentials, endpoint, action-name dialect, user agent.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use http::{HeaderValue, Uri};

use crate::token::DeveloperToken;
use crate::validate::{self, Field, Rule, ValidationError};

/// Environment variable holding the developer token.
pub const ENV_TOKEN: &str = "AQR_DEVELOPER_TOKEN";
/// Environment variable holding the developer's e-mail address.
pub const ENV_EMAIL: &str = "AQR_EMAIL";
/// Environment variable overriding the base URL (e.g. a local mock server).
pub const ENV_BASE_URL: &str = "AQR_BASE_URL";

/// The production service.
pub const DEFAULT_BASE_URL: &str = "https://aplx.link";

/// Which spelling of the `action` field the server expects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// `aqr_create` / `aqr_delete`, as in the reference (the default).
    #[default]
    Reference,
    /// `create` / `delete`, as in the later revision of the docs.
    Revised,
}

impl Dialect {
    /// The `action` value for creating an entry.
    #[must_use]
    pub fn create_action(self) -> &'static str {
        match self {
            Dialect::Reference => "aqr_create",
            Dialect::Revised => "create",
        }
    }

    /// The `action` value for deleting an entry.
    #[must_use]
    pub fn delete_action(self) -> &'static str {
        match self {
            Dialect::Reference => "aqr_delete",
            Dialect::Revised => "delete",
        }
    }

    /// `"reference"` or `"revised"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Reference => "reference",
            Dialect::Revised => "revised",
        }
    }
}

impl FromStr for Dialect {
    type Err = ConfigError;

    /// Accepts `reference` (or `aqr_create`) and `revised` (or `create`), case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reference" | "aqr" | "aqr_create" => Ok(Dialect::Reference),
            "revised" | "plain" | "create" => Ok(Dialect::Revised),
            _ => Err(ConfigError::UnknownDialect),
        }
    }
}

/// A configuration problem; nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is missing or empty.
    #[error("environment variable {0} is not set (or is empty)")]
    MissingEnv(&'static str),
    /// A setting broke a rule.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The dialect name is not `reference` or `revised`.
    #[error(
        "unknown dialect: expected `reference` (aqr_create/aqr_delete) or `revised` (create/delete)"
    )]
    UnknownDialect,
}

/// Everything a request needs besides its own fields.
///
/// `Debug` shows the e-mail, endpoint and dialect but never the token.
#[derive(Clone)]
pub struct Config {
    token: DeveloperToken,
    token_header: HeaderValue,
    email: String,
    base_url: String,
    endpoint: Uri,
    dialect: Dialect,
    user_agent: HeaderValue,
}

impl Config {
    /// A configuration for the production service with the reference dialect.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming `developer_token` or `email_address`.
    pub fn new(token: &str, email: &str) -> Result<Self, ConfigError> {
        let token = DeveloperToken::new(token)?;
        let email = validate::email_address(email)?;
        let mut token_header = HeaderValue::from_str(token.expose_secret())
            .map_err(|_| ValidationError::new(Field::DeveloperToken, Rule::NotPrintableAscii))?;
        token_header.set_sensitive(true);
        let (base_url, endpoint) = parse_base_url(DEFAULT_BASE_URL)?;
        Ok(Config {
            token,
            token_header,
            email,
            base_url,
            endpoint,
            dialect: Dialect::Reference,
            user_agent: HeaderValue::from_static(concat!("aqr-rust/", env!("CARGO_PKG_VERSION"))),
        })
    }

    /// Reads `AQR_DEVELOPER_TOKEN`, `AQR_EMAIL` and (optionally) `AQR_BASE_URL`.
    ///
    /// # Errors
    /// [`ConfigError::MissingEnv`] when the token or e-mail is missing or empty, or
    /// [`ConfigError::Invalid`] when a value breaks a rule.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup` (handy in tests).
    ///
    /// # Errors
    /// As [`Config::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let present = |name: &'static str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or(ConfigError::MissingEnv(name))
        };
        let config = Config::new(&present(ENV_TOKEN)?, &present(ENV_EMAIL)?)?;
        match lookup(ENV_BASE_URL).filter(|v| !v.trim().is_empty()) {
            Some(url) => config.with_base_url(&url),
            None => Ok(config),
        }
    }

    /// Points the client at another server: `https://…`, or `http://` on a loopback host
    /// (`127.0.0.1`, `::1`, `localhost`) for the mock. The API endpoint is `<base>/api/`
    /// (a base that already ends in `/api` is used as is).
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] for `base_url` ([`Rule::InvalidUrl`] or [`Rule::InsecureUrl`]).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self, ConfigError> {
        let (base, endpoint) = parse_base_url(base_url)?;
        self.base_url = base;
        self.endpoint = endpoint;
        Ok(self)
    }

    /// Chooses the `action` spelling.
    #[must_use]
    pub fn with_dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// Replaces the `User-Agent` header (default `aqr-rust/<version>`).
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] for `user_agent` when it is empty or not printable text.
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, ConfigError> {
        let invalid = |rule| ConfigError::Invalid(ValidationError::new(Field::UserAgent, rule));
        let text = user_agent.trim();
        if text.is_empty() {
            return Err(invalid(Rule::Required));
        }
        if !text.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
            return Err(invalid(Rule::NotPrintableAscii));
        }
        self.user_agent =
            HeaderValue::from_str(text).map_err(|_| invalid(Rule::NotPrintableAscii))?;
        Ok(self)
    }

    /// The developer's e-mail address (sent as `email_address`).
    #[must_use]
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The developer token (secret: do not print it).
    #[must_use]
    pub fn token(&self) -> &DeveloperToken {
        &self.token
    }

    /// The base URL, without a trailing slash.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The API endpoint every operation posts to.
    #[must_use]
    pub fn endpoint(&self) -> &Uri {
        &self.endpoint
    }

    /// The action-name dialect.
    #[must_use]
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The `User-Agent` header value.
    #[must_use]
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }

    /// The `AQR-DEVELOPER-TOKEN` header value, marked sensitive.
    #[must_use]
    pub fn token_header(&self) -> &HeaderValue {
        &self.token_header
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("token", &self.token)
            .field("email", &self.email)
            .field("endpoint", &self.endpoint)
            .field("dialect", &self.dialect)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// Whether `url` may be fetched: `https`, or `http` to a loopback host.
///
/// # Errors
/// A [`ValidationError`] for `field` ([`Rule::InvalidUrl`] or [`Rule::InsecureUrl`]).
pub fn parse_fetchable_url(field: Field, url: &str) -> Result<Uri, ValidationError> {
    let invalid = |rule| ValidationError::new(field, rule);
    let url = url.trim();
    if url.chars().any(char::is_control) {
        return Err(invalid(Rule::ControlCharacter));
    }
    let uri = Uri::try_from(url).map_err(|_| invalid(Rule::InvalidUrl))?;
    let host = uri.host().ok_or_else(|| invalid(Rule::InvalidUrl))?;
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(invalid(Rule::InvalidUrl));
    }
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") if is_loopback_host(host) => Ok(uri),
        Some("http") => Err(invalid(Rule::InsecureUrl)),
        _ => Err(invalid(Rule::InvalidUrl)),
    }
}

/// Whether `host` (as in a URI: `localhost`, `127.0.0.1`, `[::1]`) names this machine.
#[must_use]
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn parse_base_url(url: &str) -> Result<(String, Uri), ValidationError> {
    let uri = parse_fetchable_url(Field::BaseUrl, url)?;
    if uri.query().is_some() {
        return Err(ValidationError::new(Field::BaseUrl, Rule::InvalidUrl));
    }
    let scheme = uri.scheme_str().unwrap_or("https");
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    let path = uri.path().trim_end_matches('/');
    let base = format!("{scheme}://{authority}{path}");
    let endpoint = if path.ends_with("/api") {
        format!("{base}/")
    } else {
        format!("{base}/api/")
    };
    let endpoint = Uri::try_from(endpoint)
        .map_err(|_| ValidationError::new(Field::BaseUrl, Rule::InvalidUrl))?;
    Ok((base, endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn endpoint_is_base_plus_api() {
        let c = Config::new("tok", "dev@example.com").unwrap();
        assert_eq!(c.endpoint().to_string(), "https://aplx.link/api/");
        let c = c.with_base_url("http://127.0.0.1:8080/").unwrap();
        assert_eq!(c.endpoint().to_string(), "http://127.0.0.1:8080/api/");
        let c = c.with_base_url("https://aplx.link/api").unwrap();
        assert_eq!(c.endpoint().to_string(), "https://aplx.link/api/");
        let c = c.with_base_url("http://[::1]:9/").unwrap();
        assert_eq!(c.endpoint().to_string(), "http://[::1]:9/api/");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        let c = Config::new("tok", "dev@example.com").unwrap();
        let err = c.clone().with_base_url("http://aplx.link").unwrap_err();
        assert_eq!(
            err,
            ConfigError::Invalid(ValidationError::new(Field::BaseUrl, Rule::InsecureUrl))
        );
        assert!(c.clone().with_base_url("ftp://x").is_err());
        assert!(c.clone().with_base_url("aplx.link").is_err());
        assert!(
            c.clone()
                .with_base_url("https://user:pw@aplx.link")
                .is_err()
        );
        assert!(c.with_base_url("http://localhost:1").is_ok());
    }

    #[test]
    fn from_env_requires_token_and_email() {
        assert_eq!(
            Config::from_lookup(env(&[("AQR_EMAIL", "a@b")])).unwrap_err(),
            ConfigError::MissingEnv(ENV_TOKEN)
        );
        assert_eq!(
            Config::from_lookup(env(&[("AQR_DEVELOPER_TOKEN", "t"), ("AQR_EMAIL", " ")]))
                .unwrap_err(),
            ConfigError::MissingEnv(ENV_EMAIL)
        );
        let c = Config::from_lookup(env(&[
            ("AQR_DEVELOPER_TOKEN", "t"),
            ("AQR_EMAIL", "a@b"),
            ("AQR_BASE_URL", "http://127.0.0.1:5"),
        ]))
        .unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:5");
    }

    #[test]
    fn debug_hides_the_token() {
        let c = Config::new("tok_TOPSECRET", "dev@example.com").unwrap();
        let text = format!("{c:?}");
        assert!(!text.contains("TOPSECRET"), "{text}");
        assert!(text.contains("dev@example.com"));
    }

    #[test]
    fn dialects_parse() {
        assert_eq!("revised".parse::<Dialect>().unwrap(), Dialect::Revised);
        assert_eq!("AQR_CREATE".parse::<Dialect>().unwrap(), Dialect::Reference);
        assert!("other".parse::<Dialect>().is_err());
    }
}

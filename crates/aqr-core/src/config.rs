//! Client configuration: credentials, endpoint, action-name dialect, user agent.

use std::fmt;
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

/// The hosts the service hands out QR image URLs on (`https://aplx.link/res?keyword=…`).
const SERVICE_IMAGE_HOSTS: [&str; 1] = ["aplx.link"];

/// Which spelling of the `action` field the server expects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
    type Err = ValidationError;

    /// Accepts `reference` (or `aqr_create`) and `revised` (or `create`), case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reference" | "aqr" | "aqr_create" => Ok(Dialect::Reference),
            "revised" | "plain" | "create" => Ok(Dialect::Revised),
            _ => Err(ValidationError::new(Field::Dialect, Rule::UnknownDialect)),
        }
    }
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
    image_hosts: Vec<String>,
}

impl Config {
    /// A configuration for the production service with the reference dialect.
    ///
    /// # Errors
    /// A [`ValidationError`] naming `developer_token` or `email_address`.
    pub fn new(token: &str, email: &str) -> Result<Self, ValidationError> {
        let token = DeveloperToken::new(token)?;
        let email = validate::email_address(email)?;
        let mut token_header = HeaderValue::from_str(token.expose_secret())
            .map_err(|_| ValidationError::new(Field::DeveloperToken, Rule::NotPrintableAscii))?;
        token_header.set_sensitive(true);
        let (base_url, endpoint) = validate::base_url(DEFAULT_BASE_URL)?;
        Ok(Config {
            token,
            token_header,
            email,
            base_url,
            endpoint,
            dialect: Dialect::Reference,
            user_agent: HeaderValue::from_static(concat!("aqr-rust/", env!("CARGO_PKG_VERSION"))),
            image_hosts: Vec::new(),
        })
    }

    /// Reads `AQR_DEVELOPER_TOKEN`, `AQR_EMAIL` and (optionally) `AQR_BASE_URL`.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the setting: [`Rule::NotSet`] when the token or
    /// e-mail is missing or empty, another rule when a value is invalid.
    pub fn from_env() -> Result<Self, ValidationError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup` (handy in tests, and
    /// for front ends whose explicit arguments win over the environment).
    ///
    /// # Errors
    /// As [`Config::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ValidationError> {
        let present = |name: &'static str, field: Field| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or(ValidationError::new(field, Rule::NotSet { env: name }))
        };
        let config = Config::new(
            &present(ENV_TOKEN, Field::DeveloperToken)?,
            &present(ENV_EMAIL, Field::EmailAddress)?,
        )?;
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
    /// A [`ValidationError`] for `base_url` ([`Rule::InvalidUrl`] or [`Rule::InsecureUrl`]).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self, ValidationError> {
        let (base, endpoint) = validate::base_url(base_url)?;
        self.base_url = base;
        self.endpoint = endpoint;
        Ok(self)
    }

    /// Trusts `host` for QR image downloads too (besides the base URL's host and the
    /// service's own, `aplx.link`), for a deployment that serves images elsewhere.
    ///
    /// # Errors
    /// [`Rule::InvalidUrl`] for `qr_image` when `host` is not a host name.
    pub fn with_image_host(mut self, host: &str) -> Result<Self, ValidationError> {
        let host = host.trim().to_ascii_lowercase();
        let valid = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !valid {
            return Err(ValidationError::new(Field::QrImageUrl, Rule::InvalidUrl));
        }
        self.image_hosts.push(host);
        Ok(self)
    }

    /// Whether a QR image may be fetched from `url`: only from the base URL's origin, the
    /// service's image host (`aplx.link`), or a host added with
    /// [`Config::with_image_host`] — so that a server cannot make the client fetch from
    /// elsewhere (an internal address, say).
    #[must_use]
    pub fn allows_image_url(&self, url: &Uri) -> bool {
        let Some(host) = url.host().map(str::to_ascii_lowercase) else {
            return false;
        };
        let same_origin =
            self.endpoint.scheme() == url.scheme() && self.endpoint.authority() == url.authority();
        same_origin
            || (url.scheme_str() == Some("https") && SERVICE_IMAGE_HOSTS.contains(&host.as_str()))
            || self.image_hosts.contains(&host)
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
    /// A [`ValidationError`] for `user_agent` when it is empty or not printable text.
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, ValidationError> {
        let invalid = |rule| ValidationError::new(Field::UserAgent, rule);
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
            .field("image_hosts", &self.image_hosts)
            .finish()
    }
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
        assert_eq!(err, ValidationError::new(Field::BaseUrl, Rule::InsecureUrl));
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
            ValidationError::new(Field::DeveloperToken, Rule::NotSet { env: ENV_TOKEN })
        );
        assert_eq!(
            Config::from_lookup(env(&[("AQR_DEVELOPER_TOKEN", "t"), ("AQR_EMAIL", " ")]))
                .unwrap_err(),
            ValidationError::new(Field::EmailAddress, Rule::NotSet { env: ENV_EMAIL })
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
    fn images_only_from_the_service() {
        let url = |s: &str| s.parse::<Uri>().unwrap();
        let c = Config::new("tok", "dev@example.com").unwrap();
        assert!(c.allows_image_url(&url("https://aplx.link/res?keyword=a")));
        assert!(!c.allows_image_url(&url("http://127.0.0.1:9/internal-admin")));
        assert!(!c.allows_image_url(&url("https://evil.example/res")));
        let mock = c.clone().with_base_url("http://127.0.0.1:9").unwrap();
        assert!(mock.allows_image_url(&url("http://127.0.0.1:9/res?keyword=a")));
        assert!(!mock.allows_image_url(&url("http://127.0.0.1:10/res?keyword=a")));
        let cdn = c.with_image_host("img.example").unwrap();
        assert!(cdn.allows_image_url(&url("https://IMG.example/x.png")));
    }

    #[test]
    fn dialects_parse() {
        assert_eq!("revised".parse::<Dialect>().unwrap(), Dialect::Revised);
        assert_eq!("AQR_CREATE".parse::<Dialect>().unwrap(), Dialect::Reference);
        assert!("other".parse::<Dialect>().is_err());
    }
}

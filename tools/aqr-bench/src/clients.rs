//! The clients under test, built the same way for every scenario and for `calls`: the
//! SDK's clients with their defaults plus the server's CA (`ca_bundle`), and the raw
//! libraries configured like the SDK and trusting the same CA.

use std::sync::Arc;

use aqr_core::{Bank, Config, NewAccount, Timeouts};

use crate::raw::{self, Target};
use crate::responder::NEW_CONNECTION_PATH;
use crate::tls;

const TOKEN: &str = "bench-token";
const EMAIL: &str = "dev@example.com";

/// A server to measure against.
#[derive(Clone, Debug)]
pub struct Server {
    /// `http://…` or `https://…`, without a trailing slash.
    pub base_url: String,
    /// The CA that signed an HTTPS server's certificate, PEM.
    pub ca_pem: Option<String>,
}

/// Whether calls reuse a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// Keep-alive: one connection per caller, reused.
    Reused,
    /// Every answer closes its connection: each call connects (and shakes hands) anew.
    New,
}

impl Connection {
    /// The table's name.
    pub fn label(self) -> &'static str {
        match self {
            Connection::Reused => "keep-alive",
            Connection::New => "new connection",
        }
    }
}

impl Server {
    /// `HTTP` or `HTTPS`.
    pub fn transport(&self) -> &'static str {
        if self.base_url.starts_with("https:") {
            "HTTPS"
        } else {
            "HTTP"
        }
    }

    /// The base URL for calls with `connection`.
    pub fn base_url(&self, connection: Connection) -> String {
        match connection {
            Connection::Reused => self.base_url.clone(),
            Connection::New => format!("{}{NEW_CONNECTION_PATH}", self.base_url),
        }
    }

    fn config(&self, connection: Connection) -> Result<Config, String> {
        Config::new(TOKEN, EMAIL)
            .and_then(|c| c.with_base_url(&self.base_url(connection)))
            .map_err(|e| e.to_string())
    }

    /// What the raw clients send to.
    ///
    /// # Errors
    /// A message for an invalid base URL.
    pub fn target(&self, connection: Connection) -> Result<Target, String> {
        Ok(Target {
            endpoint: self.config(connection)?.endpoint().to_string(),
            token: TOKEN.to_owned(),
            email: EMAIL.to_owned(),
        })
    }

    /// `aqr_ureq::Client` (the blocking `aqr::blocking::Client`).
    ///
    /// # Errors
    /// A message for an invalid base URL or CA.
    pub fn sdk_blocking(&self, connection: Connection) -> Result<aqr_ureq::Client, String> {
        let mut builder = aqr_ureq::Client::builder().config(self.config(connection)?);
        if let Some(pem) = &self.ca_pem {
            builder = builder.ca_bundle(pem).map_err(|e| e.to_string())?;
        }
        builder.build().map_err(|e| e.to_string())
    }

    /// `aqr_reqwest::Client` (the async `aqr::Client`).
    ///
    /// # Errors
    /// A message for an invalid base URL or CA.
    pub fn sdk_async(&self, connection: Connection) -> Result<aqr_reqwest::Client, String> {
        let mut builder = aqr_reqwest::Client::builder().config(self.config(connection)?);
        if let Some(pem) = &self.ca_pem {
            builder = builder.ca_bundle(pem).map_err(|e| e.to_string())?;
        }
        builder.build().map_err(|e| e.to_string())
    }

    /// A raw ureq agent, with the SDK's timeouts or (`sdk_timeouts == false`) ureq's
    /// defaults: none.
    ///
    /// # Errors
    /// A message for an invalid CA.
    pub fn raw_ureq(&self, sdk_timeouts: bool) -> Result<ureq::Agent, String> {
        let timeouts = Timeouts::DEFAULT;
        let tls = tls::raw_ureq_config(self.ca_pem.as_deref())?;
        Ok(if sdk_timeouts {
            raw::ureq_agent(Some(timeouts.connect()), Some(timeouts.attempt()), tls)
        } else {
            raw::ureq_agent(None, None, tls)
        })
    }

    /// A raw reqwest client with the SDK's timeouts.
    ///
    /// # Errors
    /// A message for an invalid CA.
    pub fn raw_reqwest(&self) -> Result<reqwest::Client, String> {
        let timeouts = Timeouts::DEFAULT;
        let tls = tls::raw_reqwest_config(self.ca_pem.as_deref())?;
        raw::reqwest_client(timeouts.connect(), timeouts.attempt(), tls)
    }
}

/// The entry every SDK call creates (the raw clients send the same form).
pub fn account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234").account_name("월세")
}

/// One create with the async SDK client: the new entry's id, or the error's message.
///
/// # Errors
/// The error's message.
pub async fn sdk_async_create(
    client: aqr_reqwest::Client,
    account: Arc<NewAccount>,
) -> Result<String, String> {
    client
        .create(&account)
        .await
        .map(|c| c.account_id)
        .map_err(|e| e.to_string())
}

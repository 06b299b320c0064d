//! The sans-I/O core of the AQR Open API SDK.
//!
//! [AQR](https://aplx.link) publishes a bank account (bank, number, owner, phone) as a QR
//! code and a short URL. This crate knows everything about the API that does not depend
//! on how bytes move:
//!
//! - the [`Bank`] table (ids 0–59, Korean and English names, KFTC codes);
//! - validated inputs ([`NewAccount`], [`DeleteAccount`], [`DownloadQrImage`]) whose
//!   errors name the field and the rule ([`ValidationError`]);
//! - [`Config`] with the token in a secret type;
//! - request building to [`http::Request`] and lenient response parsing
//!   ([`Operation::to_http`], [`Operation::from_http`]);
//! - the error model ([`Error`]), the retry decision ([`retry::decide`]), the transport
//!   traits ([`BlockingSender`], [`AsyncSender`]) and the one client loop ([`Client`]).
//!
//! It opens no socket, reads the clock only in the client loop (a call's elapsed time and
//! the wait until a `Retry-After` date), and reads the environment only in
//! [`Config::from_env`]. Use it directly to drive your own HTTP stack:
//!
//! ```
//! use aqr_core::{Bank, Config, NewAccount, Operation};
//!
//! let config = Config::new("my-token", "dev@example.com")?;
//! let create = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "010-1234-1234")
//!     .name("월세")
//!     .validate()?;
//! let request = create.to_http(&config)?;
//! assert_eq!(request.uri(), "https://aplx.link/api/");
//!
//! let response = http::Response::builder()
//!     .status(200)
//!     .body(br#"{"result":"success","qr_image":"https://aplx.link/res?keyword=abcde",
//!                "short_url":"https://aq.gy/f/abcde","account_id":"abcde"}"#.to_vec())?;
//! let created = create.from_http(&response)?;
//! assert_eq!(created.account_id, "abcde");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod bank;
mod client;
mod config;
mod error;
mod exchange;
mod http_date;
mod operation;
pub mod response;
pub mod retry;
mod timeouts;
mod token;
mod transport;
pub mod validate;

pub use bank::Bank;
pub use client::{Async, Blocking, Client};
pub use config::{
    Config, ConfigError, DEFAULT_BASE_URL, Dialect, ENV_BASE_URL, ENV_EMAIL, ENV_TOKEN,
    is_loopback_host, parse_fetchable_url,
};
pub use error::{
    ApiError, Error, MAX_BODY_SNIPPET, ResponseError, ResponseErrorKind, TransportError,
    TransportErrorKind, body_snippet,
};
pub use exchange::{Exchange, Step};
pub use operation::{
    CreateAccount, CreatedAccount, DeleteAccount, DownloadQrImage, NewAccount, Operation,
    OperationKind, ResponseLimit, TOKEN_HEADER,
};
pub use retry::RetryPolicy;
pub use timeouts::Timeouts;
pub use token::DeveloperToken;
pub use transport::{AsyncSender, AsyncTimer, BlockingSender, BlockingTimer};
pub use validate::{Field, Rule, ValidationError};

pub use http;

/// A request as the core builds it: the whole body in memory.
pub type HttpRequest = http::Request<Vec<u8>>;
/// A response as the core parses it: the whole (size-capped) body in memory.
pub type HttpResponse = http::Response<Vec<u8>>;

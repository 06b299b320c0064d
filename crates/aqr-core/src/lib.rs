//! The sans-I/O core of the AQR Open API SDK.
//!
//! [AQR](https://aplx.link) publishes a bank account (bank, number, owner, phone) as a QR
//! code and a short URL. This crate knows everything about the API that does not depend
//! on how bytes move:
//!
//! - the [`Bank`] table (ids 0–59, Korean and English names, KFTC codes);
//! - validated inputs ([`NewAccount`], [`DeleteRequest`], [`QrImageRequest`]) whose
//!   errors name the field and the rule ([`ValidationError`]);
//! - [`Config`] with the token in a secret type;
//! - request building to [`http::Request`] and lenient response parsing
//!   ([`Operation::to_http`], [`CreateRequest::parse_response`], …);
//! - the error model ([`Error`]), the retry policy ([`RetryPolicy`]) and time limits
//!   ([`Timeouts`]), the transport traits ([`BlockingSender`], [`AsyncSender`]), the
//!   sans-I/O state of one call ([`Exchange`]) and the client loop ([`Client`]).
//!
//! It opens no socket and reads no clock: the client loop reads the time and hands it to
//! the [`Exchange`]. It reads the environment only in [`Config::from_env`]. Use it
//! directly to drive your own HTTP stack:
//!
//! ```
//! use aqr_core::{Bank, Config, CreateRequest, NewAccount, Operation};
//!
//! let config = Config::new("my-token", "dev@example.com")?;
//! let create = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "010-1234-1234")
//!     .account_name("월세")
//!     .validate()?;
//! let request = create.to_http(&config)?;
//! assert_eq!(request.uri(), "https://aplx.link/api/");
//!
//! let response = http::Response::builder()
//!     .status(200)
//!     .body(br#"{"result":"success","qr_image":"https://aplx.link/res?keyword=abcde",
//!                "short_url":"https://aq.gy/f/abcde","account_id":"abcde"}"#.to_vec())?;
//! let created = CreateRequest::parse_response(&response)?;
//! assert_eq!(created.account_id, "abcde");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod bank;
mod client;
mod config;
mod error;
mod exchange;
mod form;
mod http_date;
mod operation;
mod redact;
mod response;
mod retry;
mod status;
mod text;
mod timeouts;
mod token;
mod transport;
pub mod validate;
mod vocabulary;

pub use bank::Bank;
pub use client::{Async, Blocking, Client};
pub use config::{Config, DEFAULT_BASE_URL, Dialect, ENV_BASE_URL, ENV_EMAIL, ENV_TOKEN};
pub use error::{
    ApiError, Error, Limit, MAX_BODY_SNIPPET, ResponseError, ResponseErrorKind, TimeoutLimit,
    TransportError, TransportErrorKind,
};
pub use exchange::{Exchange, Now, Step};
pub use operation::{CreateRequest, DeleteRequest, NewAccount, Operation, QrImageRequest};
pub use retry::RetryPolicy;
pub use text::escape_controls;
pub use timeouts::Timeouts;
pub use token::DeveloperToken;
pub use transport::{AsyncSender, AsyncTimer, BlockingSender, BlockingTimer};
pub use validate::{Field, Rule, ValidationError};
pub use vocabulary::{
    AttemptTimeout, CreatedAccount, HttpRequest, HttpResponse, OperationKind, ResponseLimit,
    TOKEN_HEADER,
};

pub use http;

/// The README's examples, compiled (and run, unless marked `no_run`) as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

//! The words every other module speaks: which operation, what it yields, and what a
//! request carries for the transport. This module depends on no other module of the crate.

use std::fmt;
use std::time::Duration;

use http::Request;
use serde::{Deserialize, Serialize};

/// A request as the core builds it: the whole body in memory.
pub type HttpRequest = Request<Vec<u8>>;
/// A response as the core parses it: the whole (size-capped) body in memory.
pub type HttpResponse = http::Response<Vec<u8>>;

/// The header carrying the developer token.
pub const TOKEN_HEADER: http::HeaderName = http::HeaderName::from_static("aqr-developer-token");

/// Which operation a request performs; drives the retry policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OperationKind {
    /// Create an entry (not idempotent: a retry can create a duplicate).
    Create,
    /// Delete an entry (idempotent in effect).
    Delete,
    /// Download an entry's QR image (a plain GET).
    QrImage,
}

impl OperationKind {
    /// `"create"`, `"delete"` or `"qr_image"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            OperationKind::Create => "create",
            OperationKind::Delete => "delete",
            OperationKind::QrImage => "qr_image",
        }
    }

    /// Whether sending the request twice has the same effect as sending it once.
    #[must_use]
    pub fn is_idempotent(self) -> bool {
        !matches!(self, OperationKind::Create)
    }
}

impl fmt::Display for OperationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An entry the service created.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedAccount {
    /// The entry's id, needed to delete it.
    pub account_id: String,
    /// Where the QR image can be downloaded (see [`crate::QrImageRequest`]).
    pub qr_image: String,
    /// The entry's public short URL (what the QR code encodes).
    pub short_url: String,
}

impl CreatedAccount {
    /// An entry with these fields (for tests and for entries read back from storage;
    /// clients get theirs from `create`).
    #[must_use]
    pub fn new(
        account_id: impl Into<String>,
        qr_image: impl Into<String>,
        short_url: impl Into<String>,
    ) -> Self {
        CreatedAccount {
            account_id: account_id.into(),
            qr_image: qr_image.into(),
            short_url: short_url.into(),
        }
    }
}

/// The largest response body a transport should read for a request, carried in the
/// request's extensions. Transports fail with [`crate::TransportError::body_too_large`]
/// past it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseLimit(pub usize);

impl ResponseLimit {
    /// Cap for API (JSON) responses: 1 MiB.
    pub const API: ResponseLimit = ResponseLimit(1 << 20);
    /// Cap for QR image downloads: 8 MiB.
    pub const IMAGE: ResponseLimit = ResponseLimit(8 << 20);

    /// The limit set on `request`, or [`ResponseLimit::API`].
    #[must_use]
    pub fn of<B>(request: &Request<B>) -> usize {
        request
            .extensions()
            .get::<ResponseLimit>()
            .copied()
            .unwrap_or(ResponseLimit::API)
            .0
    }
}

/// How long the attempt a request belongs to may take, from the first byte sent to the
/// last byte of the response body, carried in the request's extensions. The client loop
/// sets it to the smaller of the per-attempt limit and what remains of the overall
/// deadline; transports apply it to that one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptTimeout(pub Duration);

impl AttemptTimeout {
    /// The limit set on `request`, if any.
    #[must_use]
    pub fn of<B>(request: &Request<B>) -> Option<Duration> {
        request
            .extensions()
            .get::<AttemptTimeout>()
            .map(|limit| limit.0)
    }
}

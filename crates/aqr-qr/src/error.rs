//! The one error type of this crate.

/// Why a QR code could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The text does not fit in the largest QR code (version 40).
    #[error("the text is too long for a QR code")]
    TooLong,
    /// The QR encoder rejected the text for another reason.
    #[error("the text cannot be encoded as a QR code: {0}")]
    Encode(qrcode::types::QrError),
    /// The PNG scale is outside `1..=MAX_SCALE`.
    #[error("PNG scale must be between 1 and {max} pixels per module, got {scale}")]
    InvalidScale {
        /// The scale that was asked for.
        scale: u32,
        /// The largest scale allowed.
        max: u32,
    },
    /// Writing the PNG failed.
    #[error("PNG encoding failed: {0}")]
    Png(#[from] png::EncodingError),
}

impl From<qrcode::types::QrError> for QrError {
    fn from(err: qrcode::types::QrError) -> Self {
        match err {
            qrcode::types::QrError::DataTooLong => QrError::TooLong,
            other => QrError::Encode(other),
        }
    }
}

//! QR code rendering for AQR short URLs: PNG, SVG and terminal text.
//!
//! Every renderer draws the standard quiet zone of four modules around the code, so the
//! output scans wherever it is placed.
//!
//! ```
//! let png = aqr_qr::png("https://aq.gy/f/abcde", 8)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! let svg = aqr_qr::svg("https://aq.gy/f/abcde")?;
//! assert!(svg.contains("<svg"));
//! print!("{}", aqr_qr::terminal("https://aq.gy/f/abcde")?);
//! # Ok::<(), aqr_qr::QrError>(())
//! ```
//!
//! With the `decode` feature, `decode_png` reads the text back out of a PNG (any colour
//! type or bit depth), which is how tests check that an image really encodes a URL.
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

#[cfg(feature = "decode")]
mod decode;
mod error;
mod matrix;
mod png_out;
mod svg_out;
mod terminal_out;

#[cfg(feature = "decode")]
pub use decode::decode_png;
pub use error::QrError;
pub use png_out::{MAX_SCALE, png};
pub use svg_out::svg;
pub use terminal_out::{terminal, terminal_plain};

/// Width of the light border drawn around every code, in modules (the standard's minimum).
pub const QUIET_ZONE: usize = 4;

/// The README's examples, compiled (and run, unless marked `no_run`) as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

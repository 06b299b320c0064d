//! Rendering a QR code to the terminal or to a PNG / SVG file (with aqr-qr).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::args::QrOutput;
use crate::error::CliError;

/// Pixels per QR module in PNG files unless `--scale` says otherwise.
pub(crate) const DEFAULT_SCALE: u32 = 8;

/// A rendered QR code.
#[derive(Debug)]
pub(crate) enum Rendered {
    /// Unicode block art, ready to print.
    Terminal(String),
    /// A file that was written.
    File {
        /// `png` or `svg`.
        format: &'static str,
        /// Where it was written.
        path: PathBuf,
        /// Its size.
        bytes: usize,
    },
}

impl Rendered {
    /// A short human description (`wrote qr.png (1234 bytes, PNG)`) or the block art.
    #[must_use]
    pub(crate) fn to_text(&self) -> String {
        match self {
            Rendered::Terminal(art) => art.trim_end_matches('\n').to_owned(),
            Rendered::File {
                format,
                path,
                bytes,
            } => format!(
                "wrote {} ({bytes} bytes, {})",
                path.display(),
                format.to_uppercase()
            ),
        }
    }

    /// The `--json` form: `{"format": "terminal", "text": …}` or
    /// `{"format": "png", "path": …, "bytes": …}`.
    #[must_use]
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Rendered::Terminal(art) => json!({ "format": "terminal", "text": art }),
            Rendered::File {
                format,
                path,
                bytes,
            } => json!({ "format": format, "path": path.display().to_string(), "bytes": bytes }),
        }
    }
}

/// Encodes `text` as a QR code and renders it to `target`.
///
/// # Errors
/// [`CliError::Qr`] when the text cannot be encoded, [`CliError::Io`] when the file
/// cannot be written.
pub(crate) fn render(text: &str, target: &QrOutput, scale: u32) -> Result<Rendered, CliError> {
    let encode =
        |e: aqr_qr::QrError| CliError::Qr(format!("cannot encode the text as a QR code: {e}"));
    match target {
        QrOutput::Terminal => {
            let art = if colours_wanted() {
                aqr_qr::terminal(text)
            } else {
                aqr_qr::terminal_plain(text)
            };
            art.map(Rendered::Terminal).map_err(encode)
        }
        QrOutput::Png(path) => {
            let png = aqr_qr::png(text, scale).map_err(encode)?;
            write("png", path, png.as_slice())
        }
        QrOutput::Svg(path) => {
            let svg = aqr_qr::svg(text).map_err(encode)?;
            write("svg", path, svg.as_bytes())
        }
    }
}

/// Escape codes only on a terminal, and never with `NO_COLOR` set (no-color.org).
fn colours_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes `bytes` to `path`.
///
/// # Errors
/// [`CliError::Io`] naming the file.
pub(crate) fn write(format: &'static str, path: &Path, bytes: &[u8]) -> Result<Rendered, CliError> {
    std::fs::write(path, bytes).map_err(|e| {
        CliError::io(
            format!("write the {} image", format.to_uppercase()),
            path,
            e,
        )
    })?;
    Ok(Rendered::File {
        format,
        path: path.to_owned(),
        bytes: bytes.len(),
    })
}

//! `aqr qr TEXT [--png FILE | --svg FILE]`: render any text (a short URL) locally.

use crate::args::QrArgs;
use crate::error::CliError;
use crate::output::Output;
use crate::render;

/// Renders the QR code.
///
/// # Errors
/// The text cannot be encoded (exit 2) or the file cannot be written (exit 1).
pub(super) fn run(args: &QrArgs, out: &Output) -> Result<(), CliError> {
    if args.url.is_empty() {
        return Err(CliError::Usage(
            "nothing to encode: the text is empty".to_owned(),
        ));
    }
    let rendered = render::render(&args.url, &args.target(), args.scale)?;
    out.json(&rendered.to_json());
    out.text(&rendered.to_text());
    Ok(())
}

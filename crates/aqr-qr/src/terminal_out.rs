//! Terminal output with Unicode half blocks (two module rows per text line).

use crate::QrError;
use crate::matrix::Matrix;

/// Black foreground on a white background (basic ANSI colours, understood everywhere).
const COLORS_ON: &str = "\x1b[30;47m";
/// Back to the terminal's own colours.
const COLORS_OFF: &str = "\x1b[0m";

/// Renders `text` for a terminal: dark modules drawn with `█ ▀ ▄` in black on an explicit
/// white background (ANSI colours), quiet zone included, one line per two module rows.
///
/// Because it sets both colours itself, it reads the same on dark and light terminals.
/// Each line ends with a colour reset and `\n`. Use [`terminal_plain`] where escape codes
/// are unwelcome (`NO_COLOR`, output to a file).
///
/// # Errors
/// [`QrError::TooLong`] when the text does not fit in a QR code.
pub fn terminal(text: &str) -> Result<String, QrError> {
    render(text, true)
}

/// Like [`terminal`] but with no escape codes: the *light* modules (quiet zone included)
/// are drawn as blocks, so the code shows dark-on-light on the usual dark-background
/// terminal. On a light-background terminal it appears inverted, which most phone
/// scanners still read.
///
/// # Errors
/// [`QrError::TooLong`] when the text does not fit in a QR code.
pub fn terminal_plain(text: &str) -> Result<String, QrError> {
    render(text, false)
}

fn render(text: &str, colors: bool) -> Result<String, QrError> {
    let matrix = Matrix::encode(text)?;
    let size = matrix.size();
    let mut out = String::with_capacity((size + 12) * 3 * size.div_ceil(2) + 16);
    for y in (0..size).step_by(2) {
        if colors {
            out.push_str(COLORS_ON);
        }
        for x in 0..size {
            // With colours, blocks are dark modules; without, blocks are light modules.
            // A row past the bottom edge is drawn as the terminal background.
            let top = matrix.is_dark(x, y) == colors;
            let bottom = if y + 1 < size {
                matrix.is_dark(x, y + 1) == colors
            } else {
                false
            };
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        if colors {
            out.push_str(COLORS_OFF);
        }
        out.push('\n');
    }
    Ok(out)
}

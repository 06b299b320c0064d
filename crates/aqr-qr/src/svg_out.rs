//! SVG output.

use crate::QrError;
use crate::matrix::Matrix;
use std::fmt::Write as _;

/// Renders `text` as a standalone SVG document: one `<path>` of unit squares on a white
/// background, a quiet zone of four modules, scalable to any size (`viewBox` in modules).
///
/// # Errors
/// [`QrError::TooLong`] when the text does not fit in a QR code.
pub fn svg(text: &str) -> Result<String, QrError> {
    let matrix = Matrix::encode(text)?;
    let size = matrix.size();
    let mut out = String::with_capacity(size * size * 4 + 300);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        concat!(
            r#"<?xml version="1.0" standalone="yes"?>"#,
            "\n",
            r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{px}" height="{px}" viewBox="0 0 {n} {n}" shape-rendering="crispEdges">"#,
            r##"<rect width="{n}" height="{n}" fill="#ffffff"/><path fill="#000000" d=""##
        ),
        px = size * 8,
        n = size
    );
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if matrix.is_dark(x, y) {
                let start = x;
                while x < size && matrix.is_dark(x, y) {
                    x += 1;
                }
                let _ = write!(out, "M{start} {y}h{}v1h-{}z", x - start, x - start);
            } else {
                x += 1;
            }
        }
    }
    out.push_str("\"/></svg>\n");
    Ok(out)
}

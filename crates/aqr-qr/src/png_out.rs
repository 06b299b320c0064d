//! PNG output: 1-bit greyscale, dark modules black on white.

use crate::QrError;
use crate::matrix::Matrix;

/// The largest `scale` [`png()`] accepts (pixels per module).
pub const MAX_SCALE: u32 = 64;

/// Renders `text` as a PNG image, `scale` pixels per module (1..=[`MAX_SCALE`]), with a
/// quiet zone of four modules.
///
/// # Errors
/// [`QrError::TooLong`] when the text does not fit in a QR code,
/// [`QrError::InvalidScale`] for a scale outside `1..=MAX_SCALE`, [`QrError::Png`] if the
/// encoder fails.
pub fn png(text: &str, scale: u32) -> Result<Vec<u8>, QrError> {
    if !(1..=MAX_SCALE).contains(&scale) {
        return Err(QrError::InvalidScale {
            scale,
            max: MAX_SCALE,
        });
    }
    let matrix = Matrix::encode(text)?;
    let scale = scale as usize;
    let pixels = matrix.size() * scale;
    let row_bytes = pixels.div_ceil(8);
    let mut data = vec![0u8; row_bytes * pixels];
    for (y, row) in data.chunks_exact_mut(row_bytes).enumerate() {
        for x in 0..pixels {
            // In 1-bit greyscale, a set bit is white.
            if !matrix.is_dark(x / scale, y / scale)
                && let Some(byte) = row.get_mut(x / 8)
            {
                *byte |= 0x80 >> (x % 8);
            }
        }
    }
    let side = u32::try_from(pixels).map_err(|_| QrError::InvalidScale {
        scale: u32::try_from(scale).unwrap_or(u32::MAX),
        max: MAX_SCALE,
    })?;
    let mut out = Vec::with_capacity(data.len() / 4 + 128);
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(out)
}

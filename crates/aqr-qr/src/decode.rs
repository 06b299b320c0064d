//! Reading a QR code back out of a PNG.

use std::io::Cursor;

/// Images larger than this many pixels per side are not decoded.
const MAX_SIDE: u32 = 8192;

/// Decodes the first QR code found in a PNG image and returns its text.
///
/// Accepts any PNG colour type and bit depth. Returns `None` when the bytes are not a
/// PNG, the image is larger than 8192×8192, no code is found or it does not decode.
#[must_use]
pub fn decode_png(bytes: &[u8]) -> Option<String> {
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: 256 << 20 });
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).ok()?;
    if info.width > MAX_SIDE || info.height > MAX_SIDE {
        return None;
    }
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return None,
    };
    let (width, height) = (info.width as usize, info.height as usize);
    let line = info.line_size;
    let luma = |x: usize, y: usize| -> u8 {
        let at = y * line + x * channels;
        match buf.get(at..at + channels) {
            Some([g]) | Some([g, _]) => *g,
            Some([r, g, b]) | Some([r, g, b, _]) => {
                let sum = u32::from(*r) * 299 + u32::from(*g) * 587 + u32::from(*b) * 114;
                u8::try_from(sum / 1000).unwrap_or(u8::MAX)
            }
            _ => u8::MAX,
        }
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

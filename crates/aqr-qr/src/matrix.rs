//! The module grid of a code, quiet zone included.

use crate::{QUIET_ZONE, QrError};
use qrcode::{Color, QrCode};

/// A square grid of modules (`true` = dark) including the quiet zone.
pub(crate) struct Matrix {
    size: usize,
    dark: Vec<bool>,
}

impl Matrix {
    /// Encodes `text` (medium error correction, the smallest version that fits).
    pub(crate) fn encode(text: &str) -> Result<Matrix, QrError> {
        let code = QrCode::new(text.as_bytes())?;
        let width = code.width();
        let size = width + 2 * QUIET_ZONE;
        let mut dark = vec![false; size * size];
        for (i, color) in code.to_colors().into_iter().enumerate() {
            if color == Color::Dark {
                let (y, x) = (i / width, i % width);
                if let Some(module) = dark.get_mut((y + QUIET_ZONE) * size + x + QUIET_ZONE) {
                    *module = true;
                }
            }
        }
        Ok(Matrix { size, dark })
    }

    /// Modules per side, quiet zone included.
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// Whether the module at (`x`, `y`) is dark; outside the grid is light.
    pub(crate) fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark.get(y * self.size + x) == Some(&true)
    }
}

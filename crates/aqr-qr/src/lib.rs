//! QR code rendering (PNG, SVG, terminal) shared by the AQR mock and CLI (under construction).

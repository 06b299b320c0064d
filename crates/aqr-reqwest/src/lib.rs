//! Async AQR client on reqwest (under construction).

//! A faithful local AQR server for demos and tests (under construction).

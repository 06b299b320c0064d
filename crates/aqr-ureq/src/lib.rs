//! Blocking AQR client on ureq (under construction).

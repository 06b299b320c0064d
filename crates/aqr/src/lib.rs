//! AQR Open API SDK: one dependency, blocking and async clients (under construction).

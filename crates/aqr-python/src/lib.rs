//! Python bindings of the AQR SDK (module aqr._aqr) (under construction).

//! Response parsing must never panic, whatever the status, headers and body.
#![no_main]

use aqr_core::{CreateRequest, DeleteRequest, QrImageRequest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Layout: 2 bytes status, 1 byte header count, then `name\0value\0` pairs, then body.
    if data.len() < 3 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 900;
    let mut builder = aqr_core::http::Response::builder().status(status);
    let mut rest = &data[3..];
    for _ in 0..(data[2] % 5) {
        let mut fields = rest.splitn(3, |b| *b == 0);
        let (Some(name), Some(value)) = (fields.next(), fields.next()) else { break };
        let names = ["content-type", "retry-after", "retry-after-ms", "location"];
        let name = names[usize::from(name.first().copied().unwrap_or(0)) % names.len()];
        if let Ok(value) = aqr_core::http::HeaderValue::from_bytes(value) {
            builder = builder.header(name, value);
        }
        rest = fields.next().unwrap_or_default();
    }
    let Ok(response) = builder.body(rest.to_vec()) else { return };
    if let Err(e) = CreateRequest::parse_response(&response) {
        let _ = e.report();
        assert!(e.status().is_some());
    }
    let _ = DeleteRequest::parse_response(&response);
    let _ = QrImageRequest::parse_response(&response);
});

//! One call's state machine with any response and any wall clock: it never panics, and
//! nothing it returns shows the token, whatever the server echoes (whole, cut, or inside
//! multi-byte text).
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aqr_core::{
    Bank, Config, Exchange, NewAccount, Now, RetryPolicy, Step, Timeouts, TransportError,
};
use libfuzzer_sys::fuzz_target;

const TOKEN: &str = "tok_FUZZ_SECRET_9";

fuzz_target!(|data: &[u8]| {
    if data.len() < 12 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 900;
    let wall = UNIX_EPOCH + Duration::from_secs(u64::from_le_bytes(data[2..10].try_into().unwrap_or_default()) >> 16);
    let shape = data[10];
    let rest = &data[11..];
    // Bodies that echo the token: whole, cut at the end, or not at all.
    let mut body = rest.to_vec();
    match shape % 4 {
        0 => body.extend_from_slice(TOKEN.as_bytes()),
        1 => body.extend_from_slice(&TOKEN.as_bytes()[..(usize::from(shape) % TOKEN.len()).max(1)]),
        2 => {
            body.extend_from_slice(b" ");
            body.extend_from_slice(TOKEN.as_bytes());
            body.extend_from_slice("홍길동".as_bytes());
        }
        _ => {}
    }
    let mut builder = aqr_core::http::Response::builder().status(status);
    if shape & 0x10 != 0 {
        builder = builder.header("retry-after", String::from_utf8_lossy(rest).trim().to_owned());
    }
    let Ok(response) = builder.body(body) else { return };
    let config = Config::new(TOKEN, "dev@example.com").expect("valid");
    let retry = RetryPolicy::DEFAULT;
    let timeouts = Timeouts::DEFAULT;
    let create = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
        .validate()
        .expect("valid");
    let mut exchange = Exchange::new(&create, &config, &retry, &timeouts).expect("builds");
    let _ = exchange.start_attempt(Duration::ZERO);
    let outcome = if shape & 0x20 != 0 {
        Err(TransportError::io(true, String::from_utf8_lossy(rest).into_owned() + TOKEN))
    } else {
        Ok(response)
    };
    let now = Now { elapsed: Duration::from_millis(u64::from(shape)), wall_clock: wall.max(SystemTime::UNIX_EPOCH) };
    if let Step::Done(Err(error)) = exchange.finish_attempt(outcome, now, 0.5) {
        // Display and the report are what users print; `Debug` escapes strings its own way
        // (a tab before `ok…` reads `\tok…`), so it is not searched for the text.
        let text = format!("{error} | {}", error.report());
        assert!(!text.contains(TOKEN), "{text}");
    }
});

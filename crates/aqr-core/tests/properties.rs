//! Property tests: parsing never panics; valid inputs round-trip through the form encoding.

use aqr_core::{Bank, Config, CreateRequest, DeleteRequest, NewAccount, Operation, QrImageRequest};
use proptest::prelude::*;

fn any_response() -> impl Strategy<Value = http::Response<Vec<u8>>> {
    let body = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        // Near-miss JSON is where parsers break.
        "[{}\\[\\]\":,a-z0-9 ]{0,200}".prop_map(String::into_bytes),
        Just(br#"{"result":"success","account_id":"x","qr_image":"q","short_url":"s"}"#.to_vec()),
        Just(br#"{"result":"fail","error":{"message":{"msg":[1]}},"code":1e999}"#.to_vec()),
    ];
    let headers = proptest::collection::vec(
        (
            prop_oneof![
                Just("content-type"),
                Just("retry-after"),
                Just("retry-after-ms"),
                Just("location"),
                Just("x-other"),
            ],
            "[ -~]{0,40}",
        ),
        0..4,
    );
    (100u16..1000, headers, body).prop_map(|(status, headers, body)| {
        let mut response = http::Response::new(body);
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        for (name, value) in headers {
            if let Ok(value) = http::HeaderValue::from_str(&value) {
                response.headers_mut().append(name, value);
            }
        }
        response
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsing_never_panics(response in any_response()) {
        let create = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
            .validate().unwrap();
        let created = create.from_http(&response);
        let deleted = DeleteRequest::new("abc").unwrap().from_http(&response);
        let image = QrImageRequest::new("https://aplx.link/res?keyword=a").unwrap().from_http(&response);
        // Whatever the outcome, an error always renders and never claims success on a non-2xx.
        for error in [created.err(), deleted.err(), image.err()].into_iter().flatten() {
            let _ = error.to_string();
            prop_assert!(error.status().is_some());
        }
        if !response.status().is_success() {
            prop_assert!(DeleteRequest::new("abc").unwrap().from_http(&response).is_err());
        }
    }

    #[test]
    fn valid_inputs_round_trip(
        digits in "[0-9]{6,20}",
        bank_id in 0u8..60,
        owner in "[가-힣a-zA-Z()&=+%/# .-]{0,48}[가-힣a-zA-Z]",
        phone_tail in "[0-9]{8}",
        name in proptest::option::of("[가-힣a-zA-Z0-9&=+%/?# .-]{0,98}[가-힣0-9]"),
        revised in any::<bool>(),
    ) {
        let bank = Bank::from_id(bank_id).unwrap();
        let phone = format!("010-{}-{}", &phone_tail[..4], &phone_tail[4..]);
        let mut account = NewAccount::new(digits.clone(), bank, owner.clone(), phone);
        if let Some(name) = &name {
            account = account.account_name(name.clone());
        }
        let dialect = if revised { aqr_core::Dialect::Revised } else { aqr_core::Dialect::Reference };
        let config = Config::new("tok", "dev@example.com").unwrap().with_dialect(dialect);
        let request = account.validate().unwrap().to_http(&config).unwrap();
        let form: Vec<(String, String)> = serde_urlencoded::from_bytes(request.body()).unwrap();
        let get = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        prop_assert_eq!(get("account_number"), Some(digits));
        prop_assert_eq!(get("bank_id"), Some(bank_id.to_string()));
        prop_assert_eq!(get("account_owner"), Some(owner.trim().to_owned()));
        prop_assert_eq!(get("phone_number"), Some(format!("010{phone_tail}")));
        prop_assert_eq!(get("account_name"), name.map(|n| n.trim().to_owned()));
        prop_assert_eq!(get("email_address"), Some("dev@example.com".to_owned()));
        prop_assert_eq!(get("action"), Some(dialect.create_action().to_owned()));
    }

    /// `Retry-After` and `retry-after-ms` in any form a server might send — numbers of
    /// any size or sign, HTTP dates with absurd fields, garbage — never panic, in any
    /// build, and a refusal that carries one is still an `ApiError` for 503.
    #[test]
    fn retry_after_headers_never_panic(
        seconds in prop_oneof![
            "[0-9]{1,40}(\\.[0-9]{0,10})?",
            "-?[0-9]{1,5}",
            "[0-9]e[0-9]{1,4}",
            "(inf|NaN|-inf|infinity)",
        ],
        day in 0u64..100,
        year in prop_oneof![Just(0i128), Just(1969i128), Just(1970i128), Just(9999i128), Just(10000i128), any::<i64>().prop_map(i128::from), Just(i128::MAX)],
        hour in 0u32..100,
        garbage in "\\PC{0,40}",
    ) {
        let date = format!("Sun, {day:02} Nov {year} {hour:02}:59:60 GMT");
        for (name, value) in [
            ("retry-after", seconds.clone()),
            ("retry-after-ms", seconds.clone()),
            ("retry-after", date),
            ("retry-after", garbage.clone()),
        ] {
            let Ok(header) = http::HeaderValue::from_str(&value) else { continue };
            let response = http::Response::builder()
                .status(503)
                .header(name, header)
                .body(br#"{"result":"fail"}"#.to_vec())
                .unwrap();
            let error = CreateRequest::parse_response(&response).unwrap_err();
            prop_assert_eq!(error.status(), Some(503));
        }
    }

    #[test]
    fn validation_never_panics(text in "\\PC{0,64}", raw in ".{0,64}") {
        let _ = aqr_core::validate::account_number(&text);
        let _ = aqr_core::validate::phone_number(&raw);
        let _ = aqr_core::validate::email_address(&raw);
        let _ = Bank::lookup(&raw);
        let _ = QrImageRequest::new(&raw);
        let _ = Config::new(&raw, &text);
    }
}

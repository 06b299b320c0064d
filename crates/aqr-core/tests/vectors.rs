//! Runs the language-neutral cases in `tests/vectors/` (shared with the Python suite).

use std::path::PathBuf;
use std::time::Duration;

use aqr_core::{
    Bank, Config, CreateRequest, DeleteRequest, Dialect, Error, HttpResponse, NewAccount,
    Operation, QrImageRequest, ValidationError,
};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn cases(file: &Value) -> &Vec<Value> {
    file["cases"].as_array().unwrap()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

/// A bank as the vectors give it: a number (id) or text (id, code or name).
fn bank(value: &Value) -> Result<Bank, ValidationError> {
    match value {
        Value::Number(n) => Bank::lookup(&n.to_string()),
        other => Bank::lookup(other.as_str().unwrap()),
    }
}

fn new_account(input: &Value) -> Result<NewAccount, ValidationError> {
    let mut account = NewAccount::new(
        text(input, "account_number"),
        bank(&input["bank"])?,
        text(input, "account_owner"),
        text(input, "phone_number"),
    );
    if let Some(name) = input["account_name"].as_str() {
        account = account.account_name(name);
    }
    Ok(account)
}

fn config(spec: &Value, dialect: &str) -> Config {
    Config::new(text(spec, "token"), text(spec, "email"))
        .unwrap()
        .with_base_url(text(spec, "base_url"))
        .unwrap()
        .with_dialect(dialect.parse::<Dialect>().unwrap())
}

#[test]
fn bank_table_matches_vectors() {
    let file = load("banks.json");
    let banks = file["banks"].as_array().unwrap();
    assert_eq!(banks.len(), Bank::ALL.len());
    for (expected, bank) in banks.iter().zip(Bank::ALL) {
        assert_eq!(expected["id"].as_u64().unwrap(), u64::from(bank.id()));
        assert_eq!(text(expected, "ident"), bank.ident());
        assert_eq!(text(expected, "korean"), bank.korean_name());
        assert_eq!(text(expected, "english"), bank.english_name());
        assert_eq!(text(expected, "kftc"), bank.kftc_code());
    }
}

#[test]
fn requests_match_vectors() {
    let file = load("requests.json");
    for case in cases(&file) {
        let name = text(case, "name");
        let config = config(&file["config"], text(case, "dialect"));
        let request = match text(case, "operation") {
            "create" => new_account(&case["input"])
                .unwrap()
                .validate()
                .unwrap()
                .to_http(&config),
            "delete" => DeleteRequest::new(text(&case["input"], "account_id"))
                .unwrap()
                .to_http(&config),
            other => panic!("unknown operation {other}"),
        }
        .unwrap();
        let expect = &case["expect"];
        assert_eq!(request.method().as_str(), text(expect, "method"), "{name}");
        assert_eq!(request.uri().to_string(), text(expect, "url"), "{name}");
        for (header, value) in expect["headers"].as_object().unwrap() {
            let sent = request.headers().get(header.as_str());
            assert_eq!(
                sent.and_then(|v| v.to_str().ok()),
                value.as_str(),
                "{name}: header {header}"
            );
        }
        assert!(
            request.headers()["aqr-developer-token"].is_sensitive(),
            "{name}: token header must be marked sensitive"
        );
        let decoded: Vec<(String, String)> = serde_urlencoded::from_bytes(request.body()).unwrap();
        let expected: Vec<(String, String)> =
            serde_json::from_value(expect["form"].clone()).unwrap();
        assert_eq!(decoded, expected, "{name}: form fields");
        assert_eq!(
            std::str::from_utf8(request.body()).unwrap(),
            text(expect, "body"),
            "{name}: encoded body"
        );
    }
}

fn rejection(case: &Value) -> ValidationError {
    let input = &case["input"];
    let error: Error = match text(case, "operation") {
        "create" => match new_account(input) {
            Err(e) => e.into(),
            Ok(account) => account.validate().unwrap_err().into(),
        },
        "delete" => DeleteRequest::new(text(input, "account_id"))
            .unwrap_err()
            .into(),
        "qr_image" => {
            let config = Config::new("tok", "dev@example.com").unwrap();
            QrImageRequest::new(text(input, "url"))
                .map_err(Error::from)
                .and_then(|request| request.to_http(&config).map(drop))
                .unwrap_err()
        }
        "config" => {
            let built = Config::new(text(input, "token"), text(input, "email")).and_then(|c| {
                match input["base_url"].as_str() {
                    Some(url) => c.with_base_url(url),
                    None => Ok(c),
                }
            });
            built.unwrap_err().into()
        }
        other => panic!("unknown operation {other}"),
    };
    match error {
        Error::Invalid(e) => e,
        other => panic!(
            "{}: expected a validation error, got {other:?}",
            text(case, "name")
        ),
    }
}

#[test]
fn invalid_inputs_match_vectors() {
    let file = load("invalid.json");
    for case in cases(&file) {
        let name = text(case, "name");
        let error = rejection(case);
        assert_eq!(error.field().name(), text(case, "field"), "{name}");
        assert_eq!(error.rule().code(), text(case, "rule"), "{name}");
        assert!(
            error.to_string().contains(text(case, "field")),
            "{name}: {error}"
        );
    }
}

fn response(case: &Value) -> HttpResponse {
    let mut builder = http::Response::builder().status(case["status"].as_u64().unwrap() as u16);
    for (header, value) in case["headers"].as_object().unwrap() {
        builder = builder.header(header.as_str(), value.as_str().unwrap());
    }
    let body = match (case["body"].as_str(), case["body_base64"].as_str()) {
        (Some(text), _) => text.as_bytes().to_vec(),
        (None, Some(b64)) => decode_base64(b64),
        (None, None) => Vec::new(),
    };
    builder.body(body).unwrap()
}

/// Minimal standard base64 decoder for the vectors (keeps the dependency list short).
fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|a| *a == byte).unwrap() as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

fn outcome(case: &Value) -> Result<Value, Error> {
    let response = response(case);
    match text(case, "operation") {
        "create" => CreateRequest::parse_response(&response)
            .map(|created| serde_json::to_value(created).unwrap()),
        "delete" => DeleteRequest::parse_response(&response).map(|()| Value::Null),
        "qr_image" => {
            QrImageRequest::parse_response(&response).map(|bytes| Value::from(bytes.len()))
        }
        other => panic!("unknown operation {other}"),
    }
}

#[test]
fn responses_match_vectors() {
    let file = load("responses.json");
    for case in cases(&file) {
        let name = text(case, "name");
        let expect = &case["expect"];
        let result = outcome(case);
        match (text(expect, "outcome"), result) {
            ("success", Ok(value)) => {
                if let Some(created) = expect.get("created") {
                    assert_eq!(&value, created, "{name}");
                }
                if let Some(bytes) = expect.get("bytes") {
                    assert_eq!(&value, bytes, "{name}");
                }
            }
            ("api_error", Err(Error::Api(e))) => {
                assert_eq!(
                    u64::from(e.status),
                    expect["status"].as_u64().unwrap(),
                    "{name}"
                );
                assert_eq!(e.message.as_deref(), expect["message"].as_str(), "{name}");
                assert_eq!(e.code.as_deref(), expect["code"].as_str(), "{name}");
                assert_eq!(e.result.as_deref(), expect["result"].as_str(), "{name}");
                assert_eq!(
                    e.retry_after,
                    expect["retry_after"].as_f64().map(Duration::from_secs_f64),
                    "{name}"
                );
                let retry_at = e
                    .retry_at
                    .map(|at| at.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs());
                assert_eq!(retry_at, expect["retry_at_epoch"].as_u64(), "{name}");
                assert!(e.to_string().contains(&e.status.to_string()), "{name}: {e}");
                if let Some(message) = &e.message {
                    assert!(e.to_string().contains(message.as_str()), "{name}: {e}");
                }
            }
            ("response_error", Err(Error::Response(e))) => {
                assert_eq!(e.kind.code(), text(expect, "kind"), "{name}");
                assert_eq!(
                    u64::from(e.status),
                    expect["status"].as_u64().unwrap(),
                    "{name}"
                );
                assert!(e.body.len() <= aqr_core::MAX_BODY_SNIPPET, "{name}");
            }
            (wanted, got) => panic!("{name}: expected {wanted}, got {got:?}"),
        }
    }
}

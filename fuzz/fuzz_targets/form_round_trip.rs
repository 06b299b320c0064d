//! Any input either fails validation with a named field, or encodes to a form that
//! decodes back to exactly the normalised values.
#![no_main]

use aqr_core::{Bank, Config, NewAccount, Operation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}');
    let number = parts.next().unwrap_or_default();
    let owner = parts.next().unwrap_or_default();
    let phone = parts.next().unwrap_or_default();
    let name = parts.next();
    let bank = Bank::from_id(data.first().copied().unwrap_or(0) % 60).expect("in range");
    let mut account = NewAccount::new(number, bank, owner, phone);
    if let Some(name) = name {
        account = account.account_name(name);
    }
    let op = match account.validate() {
        Ok(op) => op,
        Err(e) => {
            assert!(!e.field().name().is_empty());
            return;
        }
    };
    let config = Config::new("fuzz-token", "dev@example.com").expect("valid");
    let request = op.to_http(&config).expect("validated input always encodes");
    let form: Vec<(String, String)> =
        serde_urlencoded::from_bytes(request.body()).expect("our own encoding decodes");
    let get = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    assert_eq!(get("account_number"), Some(op.account_number()));
    assert_eq!(get("account_owner"), Some(op.account_owner()));
    assert_eq!(get("phone_number"), Some(op.phone_number()));
    assert_eq!(get("account_name"), op.account_name());
    assert_eq!(get("bank_id"), Some(bank.id().to_string().as_str()));
});

//! The real AQR service, opt-in only: it needs a developer token (Advanced tier or partner)
//! and creates and deletes a real entry.
//!
//! ```sh
//! AQR_DEVELOPER_TOKEN=… AQR_EMAIL=… cargo test -p aqr --test live -- --ignored
//! ```
//! (`AQR_BASE_URL` may point elsewhere; `AQR_DIALECT=revised` sends `create`/`delete`.)

use aqr::{Bank, Config, Dialect, NewAccount};

fn config() -> Config {
    let config = Config::from_env().expect("AQR_DEVELOPER_TOKEN and AQR_EMAIL must be set");
    match std::env::var("AQR_DIALECT") {
        Ok(name) => config.with_dialect(name.parse::<Dialect>().expect("reference or revised")),
        Err(_) => config,
    }
}

#[test]
#[ignore = "live API: set AQR_DEVELOPER_TOKEN and AQR_EMAIL, then run with --ignored"]
fn live_create_qr_delete_round_trip() {
    let client = aqr::blocking::Client::new(config()).expect("client");
    let account = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
        .account_name("aqr SDK live test");
    let created = client.create(&account).expect("create");
    let png = client.qr_image(&created.qr_image);
    let deleted = client.delete(&created.account_id);
    // Delete first, then judge: never leave an entry behind because an assertion failed.
    deleted.expect("delete");
    assert!(!png.expect("qr image").is_empty());
    let again = client.delete(&created.account_id);
    assert!(again.is_err(), "a second delete of the same id must fail");
}

//! The async client end to end: create an entry, print it as one JSON line, delete it.
//!
//! ```sh
//! export AQR_DEVELOPER_TOKEN=… AQR_EMAIL=… AQR_BASE_URL=http://127.0.0.1:8080  # e.g. `aqr mock`
//! cargo run -p aqr --example async
//! ```
//!
//! Exits with status 1 and the error's message on any failure.

use std::process::ExitCode;

use aqr::{Bank, NewAccount};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Reads AQR_DEVELOPER_TOKEN, AQR_EMAIL and AQR_BASE_URL.
    let client = aqr::Client::from_env()?;
    // Bank id 1 is Toss Bank (토스뱅크).
    let account = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
        .account_name("월세");

    let created = client.create(&account).await?;
    println!("{}", serde_json::to_string(&created)?);

    client.delete(&created.account_id).await?;
    Ok(())
}

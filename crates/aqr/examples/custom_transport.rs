//! The transport is pluggable: any closure `Fn(HttpRequest) -> Result<HttpResponse,
//! TransportError>` drives the same client (validation, request building, parsing and
//! retries included) as the ureq and reqwest transports do.
//!
//! Here the "network" is an in-memory fake of the AQR endpoint, so the example runs
//! without any server: `cargo run -p aqr --example custom_transport`. Its first answer is
//! a 503 with `Retry-After`, to show the client's retry loop at work.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Duration;

use aqr::http::{Response, StatusCode, header};
use aqr::transport::{Blocking, BlockingTimer, Client, HttpRequest, HttpResponse};
use aqr::{Bank, Config, NewAccount, RetryPolicy, TransportError};

/// A timer that logs the wait instead of sleeping.
struct LoggingTimer;

impl BlockingTimer for LoggingTimer {
    fn sleep(&self, duration: Duration) {
        println!("  (client waits {duration:?} before retrying)");
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let entries: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    let calls = Cell::new(0u32);

    // The sender: one closure. A real one would hand `request` to an HTTP library.
    let sender = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
        calls.set(calls.get() + 1);
        let form: HashMap<String, String> =
            serde_urlencoded::from_bytes(request.body()).unwrap_or_default();
        let action = form.get("action").map_or("", String::as_str);
        println!("  → {} {} action={action}", request.method(), request.uri());

        if calls.get() == 1 {
            let mut busy = json(
                StatusCode::SERVICE_UNAVAILABLE,
                r#"{"result":"fail","message":"busy"}"#,
            );
            busy.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            return Ok(busy);
        }
        Ok(match action {
            "aqr_create" => {
                let id = format!("id{:03}", entries.borrow().len() + 1);
                let owner = form.get("account_owner").cloned().unwrap_or_default();
                entries.borrow_mut().insert(id.clone(), owner);
                json(
                    StatusCode::OK,
                    &format!(
                        r#"{{"result":"success","account_id":"{id}",
                            "qr_image":"https://aplx.link/res?keyword={id}",
                            "short_url":"https://aq.gy/f/{id}"}}"#
                    ),
                )
            }
            "aqr_delete" => {
                let id = form.get("account_id").map_or("", String::as_str);
                if entries.borrow_mut().remove(id).is_some() {
                    json(StatusCode::OK, r#"{"result":"success"}"#)
                } else {
                    json(
                        StatusCode::NOT_FOUND,
                        r#"{"result":"fail","code":"not_found","message":"no such entry"}"#,
                    )
                }
            }
            _ => json(
                StatusCode::BAD_REQUEST,
                r#"{"result":"fail","message":"unknown action"}"#,
            ),
        })
    };

    // The generic client (`aqr::transport::Client` is `aqr_core::Client`) with our driver.
    let client = Client::with_driver(
        Config::new("my-secret-token", "dev@example.com")?,
        Blocking {
            sender,
            timer: LoggingTimer,
        },
    )
    .with_retry_policy(RetryPolicy::default().with_max_retries(1)?);

    println!("create:");
    let account = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
        .account_name("월세");
    let created = client.create(&account)?;
    println!("  created {created:?}");

    println!("delete:");
    client.delete(&created.account_id)?;
    println!("  deleted {}", created.account_id);

    println!("delete again:");
    match client.delete(&created.account_id) {
        Err(error) => println!("  error as expected: {error}"),
        Ok(()) => return Err("the fake accepted a second delete".into()),
    }
    println!("{} requests went through the custom sender", calls.get());
    Ok(())
}

/// A JSON response.
fn json(status: StatusCode, body: &str) -> HttpResponse {
    let mut response = Response::new(body.as_bytes().to_vec());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

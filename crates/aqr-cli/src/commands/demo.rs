//! `aqr demo`: the whole flow against an embedded mock server — no account, no network.
//!
//! Starts the mock on a free loopback port, creates an entry for a sample account,
//! prints it, renders its QR code, downloads the QR image and saves it, shows the request
//! as the server received it (token masked), deletes the entry and shows that deleting
//! it again fails with a typed error.

use std::time::Instant;

use aqr::{Bank, Error, NewAccount};
use aqr_mock::{MockAction, MockOptions, MockServer, RecordedRequest};
use serde_json::{Value, json};

use crate::args::{DemoArgs, GlobalArgs, QrOutput};
use crate::client::CliClient;
use crate::commands::create::describe;
use crate::error::CliError;
use crate::output::Output;
use crate::render;

/// The sample account: a Toss Bank account of 홍길동, labelled 월세 (rent).
fn sample_account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "010-1234-1234").account_name("월세")
}

/// Runs the demo.
///
/// # Errors
/// When the mock cannot start, a step fails, the image cannot be written, or the second
/// delete does not fail as the API promises.
pub(super) fn run(args: &DemoArgs, global: &GlobalArgs, out: &Output) -> Result<(), CliError> {
    let started = Instant::now();
    let server = MockServer::start(MockOptions::default())
        .map_err(|e| CliError::io("start the embedded mock server", "127.0.0.1:0".as_ref(), e))?;
    let mut options = global.client_options();
    options.token = Some(server.token().to_owned());
    options.email = Some(server.email().to_owned());
    options.base_url = Some(server.url());
    let settings = options
        .resolve(|name| std::env::var(name).ok())
        .map_err(|e| CliError::sdk("configure the client", e))?;
    let client = CliClient::new(settings, *out)?;

    out.text(&format!(
        "1. Started an embedded AQR mock server at {} (nothing leaves this machine).\n",
        server.url()
    ));

    let account = sample_account();
    out.text(&format!(
        "2. Creating an entry: {} account {} of {}, phone {}, label \"{}\"",
        account.bank.korean_name(),
        account.account_number,
        account.account_owner,
        account.phone_number,
        account.account_name.as_deref().unwrap_or_default(),
    ));
    let created = client.create(&account)?;
    out.text(&format!("{}\n", indent(&describe(&created))));

    let art = render::render(
        &created.short_url,
        &QrOutput::Terminal,
        render::DEFAULT_SCALE,
    )?;
    out.text(&format!(
        "3. The short URL as a QR code (scan it with a phone):\n{}\n",
        art.to_text()
    ));

    let png = client.qr_image(&created.qr_image)?;
    let saved = render::write("png", &args.out, &png)?;
    out.text(&format!(
        "4. Downloaded the QR image ({} bytes of PNG) and saved it to {}\n",
        png.len(),
        args.out.display()
    ));

    let request = server
        .requests()
        .into_iter()
        .find(|r| r.action == MockAction::Create)
        .ok_or_else(|| CliError::Demo("the mock did not record the create request".into()))?;
    out.text(&format!(
        "5. The create request as the server received it (token masked):\n{}\n",
        indent(&wire_text(&request))
    ));

    client.delete(&created.account_id)?;
    out.text(&format!("6. Deleted entry {}.\n", created.account_id));

    let second = match client.delete(&created.account_id) {
        Ok(()) => {
            return Err(CliError::Demo(format!(
                "deleting entry {} a second time succeeded; the API promises a not_found error",
                created.account_id
            )));
        }
        Err(error) => error,
    };
    if !matches!(&second, CliError::Sdk { error, .. } if matches!(**error, Error::Api(_))) {
        return Err(second);
    }
    out.text(&format!(
        "7. Deleting it again fails cleanly with a typed error (exit code {}):\n   {second}\n",
        second.code().value()
    ));
    out.text(&format!(
        "Done in {} ms. Next: `aqr create --help`, `aqr mock`, `aqr banks`.",
        started.elapsed().as_millis()
    ));

    out.json(&json!({
        "mock_url": server.url(),
        "entry": created,
        "qr_image_file": saved.to_json(),
        "request": wire_json(&request),
        "deleted": created.account_id,
        "second_delete": second.to_json().get("error"),
    }));
    Ok(())
}

fn wire_text(request: &RecordedRequest) -> String {
    let mut lines = vec![format!("{} {}", request.method, request.path)];
    lines.extend(
        request
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}")),
    );
    lines.push("form fields (decoded):".to_owned());
    lines.extend(
        request
            .form
            .iter()
            .map(|(name, value)| format!("  {name} = {value}")),
    );
    lines.join("\n")
}

fn wire_json(request: &RecordedRequest) -> Value {
    let headers: serde_json::Map<String, Value> = request
        .headers
        .iter()
        .map(|(name, value)| (name.clone(), json!(value)))
        .collect();
    let form: serde_json::Map<String, Value> = request
        .form
        .iter()
        .map(|(name, value)| (name.clone(), json!(value)))
        .collect();
    json!({
        "method": request.method,
        "path": request.path,
        "headers": headers,
        "form": form,
        "status": request.status,
    })
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("   {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

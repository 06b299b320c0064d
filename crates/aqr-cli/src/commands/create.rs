//! `aqr create`: create an entry, print it, optionally render its QR code.

use aqr::{Bank, CreatedAccount, NewAccount};
use serde_json::json;

use crate::args::{CreateArgs, GlobalArgs, QrOutput};
use crate::client::{self, CliClient};
use crate::error::CliError;
use crate::output::Output;
use crate::render;

/// Creates the entry and prints it.
///
/// # Errors
/// Configuration or validation errors (nothing sent), API, response or transport
/// errors, or an I/O error writing the QR file (the entry exists then; the message says
/// so).
pub fn run(args: &CreateArgs, global: &GlobalArgs, out: &Output) -> Result<(), CliError> {
    if out.is_json() && args.qr == Some(QrOutput::Terminal) {
        return Err(CliError::Usage(
            "--qr terminal cannot be combined with --json: use --qr png:FILE or svg:FILE"
                .to_owned(),
        ));
    }
    let bank = Bank::lookup(&args.bank).map_err(|e| CliError::sdk("create", e))?;
    let mut account = NewAccount::new(&*args.account_number, bank, &*args.owner, &*args.phone);
    if let Some(name) = &args.name {
        account = account.account_name(name.as_str());
    }
    // Validate before reading the configuration so that a bad field is reported first
    // even without credentials; the client validates again (cheaply) before sending.
    account.validate().map_err(|e| CliError::sdk("create", e))?;
    let client = CliClient::new(client::settings(global)?, *out)?;
    let created = client.create(&account)?;

    let qr = args
        .qr
        .as_ref()
        .map(|target| render::render(&created.short_url, target, render::DEFAULT_SCALE))
        .transpose();
    let mut value = json!(created);
    if let Ok(Some(rendered)) = &qr {
        value["qr"] = rendered.to_json();
    }
    out.json(&value);
    out.text(&describe(&created));
    match qr {
        Ok(Some(rendered)) => {
            out.text(&rendered.to_text());
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(error) => Err(CliError::Partial {
            done: format!("entry {} was created", created.account_id),
            error: Box::new(error),
        }),
    }
}

/// The entry as aligned `label  value` lines.
#[must_use]
pub fn describe(created: &CreatedAccount) -> String {
    format!(
        "account id  {}\nshort URL   {}\nQR image    {}",
        created.account_id, created.short_url, created.qr_image
    )
}

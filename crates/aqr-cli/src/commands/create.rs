//! `aqr create`: create an entry, print it, optionally render its QR code.

use aqr::{Bank, CreatedAccount, NewAccount};
use aqr_ledger::{Claim, CreateRecord};
use serde_json::json;

use crate::args::{CreateArgs, GlobalArgs, QrOutput};
use crate::client::{self, CliClient};
use crate::commands::ledger;
use crate::error::CliError;
use crate::interrupt::{CALL_FIRST_PRESS, Interrupt};
use crate::output::{Output, untrusted};
use crate::render;

/// Creates the entry and prints it.
///
/// # Errors
/// Configuration or validation errors (nothing sent), API, response or transport
/// errors, or an I/O error writing the QR file (the entry exists then; the message says
/// so).
pub(crate) fn run(args: &CreateArgs, global: &GlobalArgs, out: &Output) -> Result<(), CliError> {
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
    let request = account.validate().map_err(|e| CliError::sdk("create", e))?;
    let settings = client::settings(global)?;
    let config = &settings.config;
    // From here on, Ctrl-C stops the call instead of killing the process, so that its
    // outcome is recorded.
    let interrupt = Interrupt::install(CALL_FIRST_PRESS);
    // Recorded `pending` before it is sent: a crash cannot lose the entry silently.
    let pending = match ledger::open(&args.ledger)? {
        Some(ledger) => {
            let record = CreateRecord::new(config.email(), config.base_url(), &request);
            let id = ledger.record_pending(&record, Claim::NextFree)?;
            Some((ledger, id))
        }
        None => None,
    };
    let client = CliClient::new(settings.clone(), *out)?;
    let (outcome, stopped) = client.stoppable(&interrupt, |client| client.try_create(&account));
    let recorded = pending
        .as_ref()
        .map(|(ledger, id)| ledger.record_outcome(*id, &request, &outcome));
    let created = outcome.map_err(|e| CliError::call("create", e, stopped))?;
    if let Some(Err(error)) = recorded {
        return Err(CliError::Partial {
            done: format!("entry {} was created", untrusted(&created.account_id)),
            error: Box::new(error.into()),
        });
    }

    let qr = args
        .qr
        .as_ref()
        .map(|target| render::render(&created.short_url, target, render::DEFAULT_SCALE))
        .transpose();
    let mut value = json!(created);
    if let (Ok(Some(rendered)), Some(fields)) = (&qr, value.as_object_mut()) {
        fields.insert("qr".to_owned(), rendered.to_json());
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
            done: format!("entry {} was created", untrusted(&created.account_id)),
            error: Box::new(error),
        }),
    }
}

/// The entry as aligned `label  value` lines (server text escaped).
#[must_use]
pub(crate) fn describe(created: &CreatedAccount) -> String {
    format!(
        "account id  {}\nshort URL   {}\nQR image    {}",
        untrusted(&created.account_id),
        untrusted(&created.short_url),
        untrusted(&created.qr_image)
    )
}
